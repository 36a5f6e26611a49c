"""The kinds of question the answerer knows, registered in one place.

Each kind is declared once, on its detector, and lands in ``KINDS``: its name
(the ``kind`` string of /api/ask), its Vietnamese label (the web page's badge), a
short description (the API schema), its priority among the detectors, and the
``Answerer`` method that answers it. The classifier, the answerer's dispatch,
the web labels and the schema read this registry, so a new kind is one new
decorated detector here plus its handler method, the way datasette registers
facet classes.

There are two scopes:

- ``QuestionKind``: what the question asks for, read from its folded text
  ("cơ quan nào chủ trì" → lead). Its name is the answer's ``kind`` string.
- ``DocumentKind``: a question about the corpus document it names ("Công văn
  2458 do ai ký?", "399/QĐ-UBND"). It is answered from that document before
  any question kind, and its answer keeps the question's ``kind`` string, so
  it has no label or description of its own.

Detector patterns are written in folded form (no diacritics, đ → d), so one rule
serves questions typed with or without accents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from search_api.cited import DOC_TYPE_WORD, REFERENCE_ASKED
from search_api.ranking import asks_for_rank_holder
from search_api.roles import asked_role
from search_api.search import names_only_a_number

if TYPE_CHECKING:  # questions.py imports this module for `classify`
    from search_api.questions import Question

FoldedDetector = Callable[[str], bool]  # folded question → does it ask for this kind?
DocumentDetector = Callable[["Question"], bool]  # classified question naming a corpus document → is it this?


@dataclass(frozen=True, kw_only=True)
class Kind:
    """What every registered kind declares: its name and how the answerer treats it."""

    name: str
    handler: str  # the ``Answerer`` method that answers it, by name: answer.py imports this module
    priority: int  # lower is tried first, among the kinds of the same scope
    passage_fallback: bool = True  # may a relevant passage stand in when the handler finds nothing?


@dataclass(frozen=True, kw_only=True)
class QuestionKind(Kind):
    """A kind of fact the question asks for; handler: ``(Asked) -> Answer`` (search_api.answer)."""

    label: str  # the badge over the answer on the web page
    description: str  # one line of the API schema's description of ``kind``
    detect: FoldedDetector | None  # None: the fallback, the kind when no detector accepts


@dataclass(frozen=True, kw_only=True)
class DocumentKind(Kind):
    """A question answered from the document it names; handler: ``(Asked, Document) -> Answer``."""

    detect: DocumentDetector


_registered: list[QuestionKind | DocumentKind] = []  # filled by the declarations below; frozen into KINDS


def _registering(make: Callable[[Callable[..., bool]], QuestionKind | DocumentKind]) -> Callable[[Any], Any]:
    """A decorator that registers the kind ``make`` builds around the decorated detector."""

    def register(detect: Any) -> Any:
        _registered.append(make(detect))
        return detect

    return register


def question_kind(
    name: str, *, label: str, description: str, priority: int, handler: str, passage_fallback: bool = True
) -> Callable[[FoldedDetector], FoldedDetector]:
    """Register the decorated function as the detector of a question kind."""
    return _registering(lambda detect: QuestionKind(name=name, label=label, description=description, priority=priority,
                                                    handler=handler, passage_fallback=passage_fallback, detect=detect))


def document_kind(
    name: str, *, priority: int, handler: str, passage_fallback: bool = True
) -> Callable[[DocumentDetector], DocumentDetector]:
    """Register the decorated function as the detector of a document kind."""
    return _registering(lambda detect: DocumentKind(name=name, priority=priority, handler=handler,
                                                    passage_fallback=passage_fallback, detect=detect))


# -- detector patterns (folded form) --------------------------------------------------------

# "ai", "cơ quan nào", "bộ nào", "sở nào" …: an agent is asked for ("văn bản nào" asks for a document).
_LEAD_WHO = re.compile(
    r"\b(ai|ai la|(co quan|don vi|so|(?<!van )ban|nganh|cap|noi|bo phan|to chuc|bo|phong|trung tam|dia phuong"
    r"|uy ban|cuc|chi cuc|luc luong|doanh nghiep|tinh|thanh pho|ben) nao)\b"
)
# who does the work, formally or as officials say it ("sở nào lo việc …", "ai đảm nhận …")
_LEAD_VERB = re.compile(r"\b(chu tri|chiu trach nhiem|co trach nhiem|dau moi|phu trach|dam nhiem|dam nhan|lo viec|lo phan)\b")
_APPLIES_TO = re.compile(r"\bap dung (?:voi |doi voi |cho )?(?:nhung |cac )?(?:co quan|don vi|to chuc|dia phuong) nao\b")
_ASKING = re.compile(r"\b(nao|ai|gi)\b")
_TARGET = re.compile(
    r"\b(bao nhieu|muc nao|ty le|ti le|chi tieu|chi so .* (dat|la)|dat (muc|toi thieu|it nhat|bao nhieu|duoc)|toi thieu|it nhat|phan tram|muc tieu .* (la|dat))\b|%"
)
_SUPPORT = re.compile(r"\b(phoi hop|cung voi|ho tro)\b")
_AGENT_GAP = re.compile(r"(?:\s+\w+){0,3}?\s+(?=phoi hop|cung voi|ho tro)|\s+")  # "… nào (được giao) phối hợp"
# "X làm cùng bộ nào", "X cùng với những cơ quan nào": the partners of a named agent
# "phối hợp với những tập đoàn nào", "… với những cơ quan báo chí nào"
_WITH_WHICH = re.compile(r"\b(?:phoi hop (?:voi )?|cung (?:voi )?)(?:nhung |cac )?\w+(?: \w+){0,3} nao\b")
_DEADLINE = re.compile(
    r"\b(khi nao|bao gio|luc nao|thoi han|han chot|han hoan thanh|thoi gian hoan thanh|truoc ngay nao|den ngay nao"
    r"|ngay nao|hom nao|thang nao|quy nao|nam nao|den khi nao|trong thoi gian nao|bao lau|deadline|han cuoi|cham nhat"
    r"|han (gui|nop|trinh|ban hanh|bao cao|xong|thuc hien))\b"
    r"|^\s*han\b(?!\s+che)"  # "Hạn gửi báo cáo …?" opens on the word itself
)
_BASIS = re.compile(
    r"\b(can cu|co so phap ly|van ban phap ly|dua tren (van ban|quy dinh) nao|theo (van ban|quy dinh) nao"
    r"|(thuc hien|trien khai) (van ban|quyet dinh|cong van|ke hoach|chi thi|nghi quyet|nghi dinh|thong tu) (nao|gi)"
    r"|theo de nghi cua (ai|\w+ nao|\w+ \w+ nao)|de nghi cua ai|to trinh (so )?nao|ai de nghi ban hanh)\b"
)
_LIST = re.compile(
    # ("… các nội dung liên quan … là khi nào" asks a date: "nào" of "khi nào" asks no list)
    r"\b(nhung|cac|liet ke|bao nhieu)\s+(nhiem vu|viec|cong viec|hoat dong|noi dung)\b.*"
    r"\b((?<!khi )(?<!ngay )(?<!thang )(?<!quy )(?<!nam )nao|gi|chu tri|phu trach|duoc giao|thuc hien)\b"
    r"|\b(chu tri|phu trach|duoc giao|dam nhiem)\s+(nhung|cac)\s+(nhiem vu|viec|cong viec|hoat dong|noi dung)\b"
    # "<agency> chủ trì (xây dựng) những <things> nào": what an agency leads, however the things are called
    r"|\b(chu tri|phu trach|duoc giao|dam nhiem)\b(\s+\w+){0,3}\s+nhung\s+[\w\s]{2,60}?\s+nao\b"
    r"|\bnhung\s+[\w\s,]{2,60}?\s+nao\s+(do|ma)\s+.{3,80}?\b(chu tri|phu trach|thuc hien|dam nhiem)\b"
)
_EFFECT = re.compile(r"\bhieu luc\b.*\b(nao|khi|bao gio|chua|tu ngay|ke tu)\b|\b(khi nao|bao gio|tu ngay nao)\b.*\bhieu luc\b"
                     # "Nghị quyết 77 (bắt đầu) áp dụng từ ngày nào?" asks the same of a document
                     r"|\b(?:bat dau )?(?:ap dung|thi hanh) (?:tu|ke tu) (?:ngay nao|khi nao|bao gio)")
# "Văn bản nào thay thế / sửa đổi / hướng dẫn … X?", "X được hướng dẫn bởi văn bản nào?", "X thay thế văn bản nào?",
# "Những văn bản nào căn cứ vào X?": the relations graph (indexer.relations).
_DOC_WORD = f"(?:van ban|{DOC_TYPE_WORD})"
RELATION_VERBS = (
    ("thay_the", r"thay the"), ("sua_doi", r"sua doi|bo sung"), ("huong_dan", r"huong dan|quy dinh chi tiet"),
    ("bai_bo", r"bai bo|huy bo"), ("dinh_chinh", r"dinh chinh"), ("thuc_hien", r"trien khai|thuc hien|cu the hoa"),
    ("can_cu", r"can cu(?: vao)?|dua tren"),
)
_RELATION_VERB = "(?:" + "|".join(v for _, v in RELATION_VERBS) + ")"
RELATION_INCOMING = re.compile(
    rf"\b{_DOC_WORD}\s+nao\s+(?:da\s+|duoc\s+)?(?P<verb>{_RELATION_VERB})\b"
    rf"|\b(?:duoc|bi)\s+(?P<passive>{_RELATION_VERB})\b(?:\s+\w+){{0,3}}?\s+boi\s+(?:{_DOC_WORD}\s+)?(?:nao|gi)\b"
)
RELATION_OUTGOING = re.compile(
    rf"\b(?P<verb>thay the|sua doi|bo sung|huong dan|bai bo|huy bo|dinh chinh)\s+(?:cho\s+)?"
    rf"(?:toan bo\s+|mot phan\s+|mot so\s+)?(?:nhung\s+|cac\s+)?{_DOC_WORD}"
    rf"\s+(?:nao|so\s+may|so\s+bao\s+nhieu)\b"
)
_IN_FORCE = re.compile(
    r"\b(?:con|het|da het)\s+hieu\s+luc\b.*\b(?:khong|chua|nua)\b|\bcon\s+(?:ap dung|gia tri)\b.*\bkhong\b"
    r"|\b(?:trang thai|tinh trang)\s+hieu\s+luc\b"
)
_SIGNER = re.compile(r"\b(ai ky|nguoi ky|ky boi|ky ten|ky ban hanh|ai la nguoi ky)\b")


# -- the kinds, in the order the API schema and the web list them -------------------------
# Priorities keep the more specific forms first: a basis or list question also says
# "nào" and "chủ trì", a deadline question often names an agency.


@question_kind("lead", label="Cơ quan chủ trì", description="cơ quan chủ trì (chịu trách nhiệm, được giao) nhiệm vụ",
               priority=50, handler="_answer_task")
def asks_for_lead(folded: str) -> bool:
    """"Cơ quan nào / ai …" asks for an agent whatever the verb (unless it asks for a figure);
    so does "chủ trì / phụ trách … nào"."""
    if _APPLIES_TO.search(folded):  # "không áp dụng với những cơ quan nào": a scope, not who does the work
        return False
    if _LEAD_WHO.search(folded) and not _TARGET.search(folded):
        return True
    return bool(_LEAD_VERB.search(folded) and _ASKING.search(folded))


@question_kind("support", label="Cơ quan phối hợp", description="cơ quan phối hợp thực hiện nhiệm vụ",
               priority=40, handler="_answer_task")
def asks_for_support(folded: str) -> bool:
    """"Ai / cơ quan nào phối hợp …", "phối hợp với ai": the partners; before lead, which would take the agent."""
    if "voi ai" in folded or "nhung ai" in folded or _WITH_WHICH.search(folded):
        return True
    # The verb must belong to the agent asked for ("sở nào phối hợp", "ai được giao hỗ trợ"), not to
    # the task's name ("giao sở nào tổng kết Mô hình một cửa hỗ trợ phụ nữ"), and the agent must not be
    # asked as the one who leads first ("cơ quan nào chủ trì, phối hợp với Bộ X …" asks for the lead).
    return any(_SUPPORT.match(folded, m.end() + len(gap.group())) and not _LEAD_VERB.search(gap.group())
               for m in _LEAD_WHO.finditer(folded) for gap in [_AGENT_GAP.match(folded, m.end())] if gap)


@question_kind("role", label="Chức danh trong tổ chức",
               description="ai giữ một vai trò trong hội đồng, ban chỉ đạo, tổ công tác (chủ tịch, thường trực …)",
               priority=35, handler="_answer_role", passage_fallback=False)
def asks_for_role(folded: str) -> bool:
    """"Hội đồng … do ai làm chủ tịch?", "cơ quan nào làm thường trực?": the member list of the body."""
    return asked_role(folded) is not None


@question_kind("ranked", label="Xếp hạng", description="đơn vị đứng đầu (hoặc cuối) một bảng xếp hạng, chỉ số",
               priority=33, handler="_answer_ranked", passage_fallback=False)
def asks_for_ranked(folded: str) -> bool:
    """"Đơn vị nào đứng đầu bảng xếp hạng Chỉ số CCHC?", "xã nào xếp cuối?": a row of a results table."""
    return asks_for_rank_holder(folded)


@question_kind("deadline", label="Thời hạn", description="thời hạn hoàn thành, trong bảng nhiệm vụ hoặc câu văn",
               priority=30, handler="_answer_task")
def asks_for_deadline(folded: str) -> bool:
    """"Khi nào / thời hạn / hạn gửi …" (not "hạn chế"): a date, even when the question names an agency."""
    return bool(_DEADLINE.search(folded))


@question_kind("target", label="Chỉ tiêu", description="chỉ tiêu phải đạt (tỷ lệ, số lượng, xếp hạng)",
               priority=60, handler="_answer_target")
def asks_for_target(folded: str) -> bool:
    """"… đạt bao nhiêu / tỷ lệ": a figure; after lead, so "cơ quan nào chủ trì … đạt bao nhiêu" asks who."""
    return bool(_TARGET.search(folded))


@question_kind("basis", label="Căn cứ pháp lý", description="căn cứ pháp lý của văn bản, hoặc văn bản mà nó thực hiện",
               priority=10, handler="_answer_basis", passage_fallback=False)
def asks_for_basis(folded: str) -> bool:
    """"Căn cứ pháp lý …", "thực hiện kế hoạch nào": answered from the *Căn cứ* or not at all.

    A bare "căn cứ" after "cơ quan nào chủ trì …" opens the words of a task ("… chủ trì căn cứ
    nhiệm vụ được giao rà soát …"), so that question asks who leads.
    """
    found = _BASIS.search(folded)
    if found is None:
        return False
    who = _LEAD_WHO.search(folded, 0, found.start())
    return not (who and found.group(0) == "can cu" and _LEAD_VERB.search(folded, who.end(), found.start()))


def basis_asked_at(folded: str) -> int:
    """Where a basis question starts asking for the basis (the document it is asked of comes before)."""
    m = _BASIS.search(folded)
    return m.start() if m else len(folded)


@question_kind("list", label="Danh sách nhiệm vụ", description="những nhiệm vụ do một cơ quan chủ trì",
               priority=20, handler="_answer_list", passage_fallback=False)
def asks_for_list(folded: str) -> bool:
    """"Những nhiệm vụ nào do Sở X chủ trì?": every task of the agency, never a passage in their place."""
    return bool(_LIST.search(folded))


@question_kind("effective", label="Hiệu lực", description="ngày văn bản có hiệu lực (thi hành)",
               priority=25, handler="_answer_effective", passage_fallback=False)
def asks_for_effect(folded: str) -> bool:
    """"… có hiệu lực từ ngày nào / khi nào": read from the document's own clause on its effect."""
    return bool(_EFFECT.search(folded))


@question_kind("relation", label="Quan hệ văn bản",
               description="văn bản thay thế, sửa đổi, hướng dẫn, bãi bỏ, căn cứ vào một văn bản (và ngược lại)",
               priority=5, handler="_answer_relation", passage_fallback=False)
def asks_for_relation(folded: str) -> bool:
    """"Văn bản nào thay thế Quyết định 10?", "Những văn bản nào căn cứ vào Luật …?": from the graph, never a passage."""
    return bool(RELATION_INCOMING.search(folded) or RELATION_OUTGOING.search(folded))


@question_kind("in_force", label="Tình trạng hiệu lực",
               description="văn bản còn hiệu lực không (theo các văn bản trong kho)",
               priority=24, handler="_answer_in_force", passage_fallback=False)
def asks_if_in_force(folded: str) -> bool:
    """"… còn hiệu lực không?": the status the relations graph derives, with the clause that ended or amended it."""
    return bool(_IN_FORCE.search(folded))


@document_kind("signer", priority=10, handler="_answer_signer", passage_fallback=False)
def asks_for_signer(question: Question) -> bool:
    """"Quyết định 399/QĐ-UBND do ai ký?": from the signature, so no passage stands in, named document or not."""
    return bool(_SIGNER.search(question.folded))


@document_kind("document", priority=20, handler="_answer_document")
def names_only_the_document(question: Question) -> bool:
    """Nothing but a document number ("399/QĐ-UBND", "Kế hoạch số 28"): the answer is that document."""
    return question.kind == FALLBACK.name and names_only_a_number(question.text)


@question_kind("reference", label="Văn bản được dẫn",
               description="văn bản mà câu văn hoặc nhiệm vụ liên quan dẫn chiếu (quyết định, thông tư … nào, số mấy)",
               priority=90, handler="_answer_reference", passage_fallback=False)
def asks_for_reference(folded: str) -> bool:
    """"… dựa trên quyết định nào của Bộ Xây dựng?", "… là quyết định số mấy?": a document the text
    cites, when no other kind claims the question (a document's own basis, its relations)."""
    return REFERENCE_ASKED.search(folded) is not None


# The fallback: the kind when no detector accepts. When its own handler finds nothing,
# there is nothing else to try, hence no passage fallback.
_registered.append(QuestionKind(
    name="passage", label="Đoạn văn liên quan",
    description="đoạn văn có căn cứ (câu hỏi khác, hoặc chỉ nêu số hiệu văn bản)",
    detect=None, priority=100, handler="_answer_passage", passage_fallback=False,
))

# -- the registry ---------------------------------------------------------------------------

KINDS: tuple[QuestionKind | DocumentKind, ...] = tuple(_registered)
QUESTION_KINDS: tuple[QuestionKind, ...] = tuple(k for k in KINDS if isinstance(k, QuestionKind))
DOCUMENT_KINDS: tuple[DocumentKind, ...] = tuple(
    sorted((k for k in KINDS if isinstance(k, DocumentKind)), key=lambda k: k.priority)
)
BY_NAME: dict[str, QuestionKind] = {k.name: k for k in QUESTION_KINDS}
_DETECTORS: tuple[tuple[str, FoldedDetector], ...] = tuple(
    (k.name, k.detect) for k in sorted(QUESTION_KINDS, key=lambda k: k.priority) if k.detect is not None
)


def _the_fallback() -> QuestionKind:
    """Checked at import, not on the first question of a kind: names unique, exactly one fallback."""
    names = [k.name for k in KINDS]
    if len(set(names)) != len(names):
        raise ValueError(f"a question kind is registered twice: {names}")
    fallbacks = [k for k in QUESTION_KINDS if k.detect is None]
    if len(fallbacks) != 1:
        raise ValueError("exactly one question kind must have no detector (the fallback)")
    return fallbacks[0]


FALLBACK: QuestionKind = _the_fallback()


def classify(folded: str) -> str:
    """The kind of fact asked for: the first detector, by priority, that accepts; else the fallback."""
    return next((name for name, detect in _DETECTORS if detect(folded)), FALLBACK.name)


def passage_may_answer(question: Question) -> bool:
    """Whether a relevant passage may stand in for an answer its kind could not find.

    Not for a kind that must answer with its own evidence (a basis, a list), nor
    when the question asks for what only a named document gives (its signer),
    whether or not a corpus document is named.
    """
    if not BY_NAME[question.kind].passage_fallback:
        return False
    return not any(k.detect(question) for k in DOCUMENT_KINDS if not k.passage_fallback)


def schema_description() -> str:
    """The description of ``kind`` in the API schema: the names on one line, then what each means."""
    names = " | ".join(k.name for k in QUESTION_KINDS)
    return names + "\n\n" + "\n".join(f"- {k.name}: {k.description}" for k in QUESTION_KINDS)
