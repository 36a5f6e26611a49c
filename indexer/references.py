"""Documents a document cites, and which of them are its legal bases.

A citation is either a number with the type word before it and usually a date
after it — "Quyết định số 4042/QĐ-UBND ngày 27/8/2021", "Nghị quyết số
76/NQ-CP của Chính phủ ngày 15/7/2021", "văn bản số 2023/UBND-NC" — or a law by
name: "Luật Tổ chức chính quyền địa phương năm 2015", "Bộ luật Dân sự",
"Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam", "Luật sửa đổi, bổ sung
một số điều của Luật … và Luật …".

Legal bases — the rule, so that one basis is one instrument in force:

1. Only "Căn cứ …" paragraphs of the preamble count (before the operative
   heading "QUYẾT ĐỊNH:", "QUYẾT NGHỊ:", "Điều 1", "Chương I" or the first
   numbered section; a letter's bases follow its "Kính gửi"), and a paragraph
   opening with an instrument right after a basis ending in ";" (the repeated
   "Căn cứ" left out). "Theo đề nghị của … Tờ trình số …",
   "Xét …" and "Thực hiện …" are references, not bases. The instruments of an
   opening "Thực hiện …" / "Triển khai …" paragraph (before the first numbered
   section, "Kính gửi" included) are marked ``implements`` by the same clause
   rules: what a plan or letter carries out, its grounds when it cites no basis.
2. A paragraph splits into clauses at ";". In each clause the first cited
   instrument is a basis; a later one is a basis too when it is coordinated
   with it ("Chương trình số 01-CTr/TU … của Thành ủy và Kế hoạch số
   136/KH-UBND …"), but not when it is part of the previous one's title
   (the words between them say "về", "sửa đổi", "bổ sung", "hướng dẫn",
   "quy định", "thực hiện", "thi hành", "ban hành", "phê duyệt", "tại", "theo"…):
   "Nghị định 107/2021/NĐ-CP sửa đổi, bổ sung … của Nghị định 61/2018/NĐ-CP"
   cites one instrument.
3. An amending instrument ("Luật sửa đổi, bổ sung một số điều của Luật X …",
   "Nghị định … sửa đổi, bổ sung … Nghị định …") cited after the instrument it
   amends in the same "Căn cứ" paragraph is not a basis of its own: the basis
   is X as amended, as a lawyer lists it. It stays in the references with
   ``is_basis=False``. Cited alone, or in a "Căn cứ" paragraph of its own, the
   amending instrument is a basis.

Instruments cited without a number: laws by name (a name printed in capitals in a title is
read in sentence case; a name running into the sentence is cut back to the same law named
alone elsewhere in the text; "Luật ngày 25 tháng 6 năm 2025" by its date; the laws an amending
law's title names), "Đề án 06", "Nghị quyết Đại hội … lần thứ XIII". Laws being drafted
("xây dựng Luật …") and licences ("Giấy phép số …/GP-…") are not cited documents.

Each instrument appears once per document: the same number (or law name)
cited again is merged into its first reference (first line and mention kept,
missing date/type/name filled from later mentions, ``is_basis`` if any
mention is a basis). The document's own number — its "Số:" line, the annex
line "(Ban hành kèm theo Quyết định số …)" — and a law's own name are not
references.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from indexer.doc_numbers import (
    DOC_TYPE_NAMES,
    DOC_TYPE_WORD_PATTERN,
    doc_number_key,
    doc_type_from_word,
    find_doc_numbers,
    tidy_number_spacing,
)
from indexer.metadata import DATE_BODY, extract_metadata, is_mostly_upper, iso_date
from indexer.normalise import fold, fold_accents, squash
from indexer.records import Reference

# ---------------------------------------------------------------------------
# Mentions
# ---------------------------------------------------------------------------


@dataclass
class _Mention:
    """One citation in the text, before deduplication."""

    start: int
    end: int
    key: str
    doc_type: str | None
    number: str | None = None
    issued_date: str | None = None
    name: str | None = None
    amending: bool = False  # "Luật sửa đổi, bổ sung …", "Nghị định … sửa đổi, bổ sung …"
    amends: list[str] = field(default_factory=list)  # keys of the instruments it names as amended
    is_basis: bool = False
    implements: bool = False
    issuer: str | None = None  # "của Thủ tướng Chính phủ" right after the number
    relations: list[str] = field(default_factory=list)  # sua_doi, thay_the … (see "Relations")
    articles: str | None = None


# "Quyết định số", "Kế hoạch", "văn bản số", "Công văn số:" right before a number.
_TYPE_BEFORE = re.compile(
    rf"(?P<type>{DOC_TYPE_WORD_PATTERN}|văn bản)(?:\s+hành\s+động)?\s*(?:số\s*[:.]?\s*)?$", re.IGNORECASE
)  # "Chương trình hành động số 10-CTr/TU" is a Chương trình
_TYPE_BEFORE_FOLDED = re.compile(
    "(?P<type>" + "|".join(re.escape(fold_accents(n)) for n in DOC_TYPE_NAMES)
    + r"|van ban)(?:\s+hanh\s+dong)?\s*(?:so\s*[:.]?\s*)?$",
    re.IGNORECASE,
)
# After a number: ", ngày 27/8/2021", " của Chính phủ ngày 15/7/2021", "(ngày …)".
_DATE_AFTER = re.compile(
    rf"^\s*[,(]?\s*(?:c[ủu]a\s+(?P<issuer>[^;\d()\n]{{1,80}}?)\s*,?\s*)?ng[àa]y\s*{DATE_BODY}", re.IGNORECASE
)
# "… số 42/2018/QĐ-UBND của UBND tỉnh Thừa Thiên Huế" without a date: whose it is.
_ISSUER_AFTER = re.compile(
    r"^\s*,?\s*c[ủu]a\s+((?:Ủy\s+ban|UBND|HĐND|Hội\s+đồng|Thủ\s+tướng|Chính\s+phủ|Bộ|Sở|Quốc\s+hội|Văn\s+phòng|"
    r"Ban|Tỉnh\s+ủy|Thành\s+ủy|Chủ\s+tịch)[^;,.\d()\n]{0,70}?)(?=\s+(?:về|ngày|quy|hướng|ban|phê)\b|[;,.(\n]|$)",
)
_AMENDS_AFTER = re.compile(r"^\s*,?\s*(?:của\s+[^;\d()\n]{1,60}?\s+)?(?:sửa\s+đổi|bổ\s+sung)", re.IGNORECASE)


def _type_before(text: str, start: int) -> tuple[str | None, int]:
    """(type word, where it starts) of the words right before a number, on the same line."""
    line_start = text.rfind("\n", 0, start) + 1
    window_start = max(line_start, start - 60)
    window = text[window_start:start]
    m = _TYPE_BEFORE.search(window)
    if m is None:
        folded = fold_accents(window)
        if len(folded) == len(window):
            m = _TYPE_BEFORE_FOLDED.search(folded)
    if m is None:
        return None, start
    word = m.group("type")
    doc_type = None if fold_accents(word).lower() == "van ban" else doc_type_from_word(word)
    return doc_type, window_start + m.start()


# Licences and certificates carry numbers too ("Giấy phép thăm dò số 709/GP-TNMT"): they are granted to
# someone, not documents a text cites (tests/gold/RELATIONS.md leaves mining licences out).
_PERMIT_CODE = re.compile(r"^\d+\w?(?:/\d{4})?/(?:GP|GCN|CCHN)\w*(?:[-/]|$)", re.IGNORECASE)
_PERMIT_BEFORE = re.compile(r"(?:giấy\s+phép|giấy\s+chứng\s+nhận|chứng\s+chỉ)[^\n.;]{0,40}?(?:số\s*:?\s*)?$", re.IGNORECASE)


def _numbered_mentions(text: str) -> list[_Mention]:
    mentions: list[_Mention] = []
    for found in find_doc_numbers(text):
        if _PERMIT_CODE.match(found.number) or _PERMIT_BEFORE.search(text[max(0, found.start - 60) : found.start]):
            continue
        word_type, start = _type_before(text, found.start)
        end = found.end
        date = issuer = None
        after = text[found.end : found.end + 160].split("\n", 1)[0]
        m = _DATE_AFTER.match(after)
        if m:
            date = iso_date(m.group(2), m.group(3), m.group(4))
            if date:
                end = found.end + m.end()
                issuer = m.group("issuer").strip(" ,") if m.group("issuer") else None
        else:
            m = _ISSUER_AFTER.match(after)
            issuer = m.group(1).strip(" ,") if m else None
        mentions.append(
            _Mention(
                start=start,
                end=end,
                key=found.key,
                doc_type=word_type or found.doc_type,
                number=found.number,
                issued_date=date,
                issuer=issuer,
                amending=bool(_AMENDS_AFTER.match(text[end : end + 120].split("\n", 1)[0])),
            )
        )
    return mentions


# Laws by name. The name runs from its first (capitalised) word until punctuation
# or a word that cannot be part of a law's name.
_LAW_START = re.compile(r"(?<!\w)(?P<kind>Bộ luật|Luật|Hiến pháp)(?!\w)")
_NAME_STOP_WORDS = {
    "năm", "số", "ngày", "của", "được", "đã", "có", "là", "để", "nhằm", "tại", "theo", "trong",
    "cho", "với", "về", "khi", "thì", "này", "đó", "các", "những", "mà", "như", "do", "bởi", "sẽ",
    "phải", "đang", "hiện", "sau", "trước", "đến", "từ", "làm", "nhưng", "hoặc", "hay", "cũng",
    "đồng", "gồm", "thuộc", "hết", "sửa", "nay", "vào", "ra", "trên", "dưới", "giữa",
    "còn", "xảy", "mới", "cũ", "vẫn", "chưa", "đều", "cần", "nếu",  # not "không": "Luật Hàng không …"
}
# Two words that end a name even though each may occur inside one ("quy chuẩn", "Thi hành án").
_NAME_STOP_BIGRAMS = {
    ("quy", "định"), ("hướng", "dẫn"), ("ban", "hành"), ("thông", "qua"), ("hiệu", "lực"),
    ("thi", "hành"), ("bổ", "sung"), ("có", "hiệu"), ("quy", "chi"), ("đối", "với"),
}
_CONSTITUTION_TAIL = re.compile(r"^\s+nước\s+Cộng\s+h(?:òa|oà)\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam", re.IGNORECASE)
_AMENDING_LAW = re.compile(r"^\s+sửa\s+đổi\s*,?\s*(?:bổ\s+sung\s+)?", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"^\s*,?\s*(?:năm|khóa\s+\w+\s+năm)\s+(\d{4})(?!\d)", re.IGNORECASE)
_NUMBER_AFTER = re.compile(r"^\s*,?\s*(?:số\s*:?\s*)")
_PINNED = re.compile(r"^\s*,?\s*(?:năm\s+\d{4}|số\s*:?\s*\d|ngày\s+\d)")
# A bare year right after a name is the law's year: "Luật An ninh mạng 2025".
_BARE_YEAR_AFTER = re.compile(r"^\s+((?:19|20)\d\d)(?![\d/.,]\d)")
# "theo quy định của Luật ngân sách nhà nước": mid-sentence, after a word that hands over to an
# instrument, a capital "Luật" is a name even when its next word is in lower case.
_CITING_WORD_BEFORE = re.compile(r"\b(?:của|theo|tại)\s*$", re.IGNORECASE)
# Common nouns that start with "Luật": "Luật sư", "Luật gia", "luật lệ", "Luật pháp", "Luật học".
_NOT_A_LAW_NAME = {"sư", "gia", "lệ", "pháp", "học", "định", "hóa", "hoá", "chơi", "tục"}


def _cited_lower_case_name(text: str, start: int, name: str) -> bool:
    """Whether "Luật <lower-case words>" at ``start`` is a law cited by name (see ``_CITING_WORD_BEFORE``)."""
    words = name.split()
    if len(words) < 2 or words[0].lower() in _NOT_A_LAW_NAME:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_CITING_WORD_BEFORE.search(text[max(line_start, start - 30) : start]))


# After "," or "và" inside a name, words that start a new phrase instead ("Luật Đầu tư, trừ …").
_AFTER_JOIN_STOP = {
    "trừ", "pháp", "nội", "thẩm", "dự", "chi", "người", "điều", "khoản", "bao", "gồm", "cụ",
    "luật", "thông", "phù", "làm", "quy", "hướng", "văn", "nghị", "quyết", "chỉ",
}
_TRAILING_JOIN = re.compile(r"(?:\s+và|,)\s*$")


def _name_end(text: str, pos: int, limit: int) -> int:
    """End of a law's name whose first (capitalised) word starts at ``pos``.

    The name runs until punctuation, a digit, a word or word pair that cannot
    be part of a name ("năm", "của", "quy định"…), or "và" before a capital or
    a new phrase ("… Chính phủ và Luật …", "… và quy định khác"). A comma
    continues it only early and before a lower-case word ("Luật Phòng, chống
    tham nhũng").
    """
    found = list(re.finditer(r"\S+", text[pos:limit]))
    words = [w.group(0) for w in found]
    end = pos
    for i, raw in enumerate(words):
        word = raw.rstrip(",;.:)”\"'")
        low = word.lower()
        nxt = words[i + 1].rstrip(",;.:)”\"'").lower() if i + 1 < len(words) else ""
        if i > 0:
            joined = low == "làm" and words[i - 1].lower() == "việc"  # "Luật Việc làm"
            if not word or (low in _NAME_STOP_WORDS and not joined) or raw[0] in "(\"“'" or re.search(r"\d", word):
                break
            if (low, nxt) in _NAME_STOP_BIGRAMS:
                break
            if low == "và":
                following = words[i + 1] if i + 1 < len(words) else ""
                if not following[:1].islower() or nxt in _NAME_STOP_WORDS or nxt in _AFTER_JOIN_STOP:
                    break
        end = pos + found[i].start() + len(word)
        if raw != word:  # punctuation after the word
            after_comma_ok = (
                raw.endswith(",") and i < 2 and i + 1 < len(words) and words[i + 1][:1].islower()
                and nxt not in _NAME_STOP_WORDS and nxt not in _AFTER_JOIN_STOP
            )
            if not after_comma_ok:
                break
        if i >= 14:
            break
    while True:  # "… Luật Doanh nghiệp và" stopped at "quy định": drop the dangling "và"
        m = _TRAILING_JOIN.search(text[pos:end])
        if not m:
            return end
        end = pos + m.start()


_COMMA_RUN = re.compile(r"^((?:\s*,\s*|\s+và\s+)[^\W\d][^\W\d]*(?:\s+[^\W\d]+){0,5}){1,4}(?=\s+số\s+\d{1,3}/\d{4}/(?:QH|PL))")


def _name_through_commas(text: str, end: int, line_end: int) -> int:
    """A law's name that runs on over commas up to its number: "Luật Quản lý, sử dụng vũ khí, vật liệu
    nổ và công cụ hỗ trợ số 14/2017/QH14". Only lower-case words that may stand in a name, so that a
    list of laws ("Luật A, Luật B số …") or a new phrase ("Luật Đầu tư, trừ …") is not taken in."""
    run = _COMMA_RUN.match(text[end:line_end])
    if not run:
        return end
    words = re.findall(r"[^\W\d]+", run.group(0))
    firsts = re.findall(r"(?:,|\bvà)\s*([^\W\d]+)", run.group(0))
    if any(not w[0].islower() or (w in _NAME_STOP_WORDS and w != "và") for w in words) or \
            any(w in _AFTER_JOIN_STOP for w in firsts):
        return end
    return end + run.end()


# Instruments known by a name without a number: "Đề án 06" (a project named by its number in a programme),
# "Nghị quyết Đại hội Đảng lần thứ XIII", "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng".
_NAMED_INSTRUMENT = re.compile(  # the type word with its capital, as a name is printed (also in capitals)
    r"(?<!\w)(?:(?P<project>Đề\s+án|ĐỀ\s+ÁN)\s+\d{1,3}(?![\d/\-–.,]\w)"
    r"|(?P<congress>Nghị\s+quyết|NGHỊ\s+QUYẾT)\s+(?i:(?:của\s+)?Đại\s+hội\s+(?:đại\s+biểu\s+)?(?:toàn\s+quốc\s+)?"
    r"(?:Đảng\s+(?:bộ\s+[^\W\d]+(?:\s+[^\W\d]+){0,3}?\s+)?)?lần\s+thứ\s+[IVXLC]+\b(?:\s+của\s+Đảng\b)?))",
)


def _named_mentions(text: str) -> list[_Mention]:
    """Instruments cited by a name that carries no number (see ``_NAMED_INSTRUMENT``)."""
    mentions = []
    for m in _NAMED_INSTRUMENT.finditer(text):
        if m.group(0)[0].islower():
            continue  # "đề án 06 …" in running text is a common noun with a figure
        name = re.sub(r"\s+", " ", m.group(0))
        kind = "Đề án" if m.group("project") else "Nghị quyết"
        mentions.append(_Mention(m.start(), m.end(), _name_key(name), kind, name=name))
    return mentions


def _sentence_cased(text: str) -> str:
    """``text`` with lines printed in capitals in sentence case, a law's name keeping its capital:
    "TRIỂN KHAI THI HÀNH LUẬT VIỆC LÀM TRÊN ĐỊA BÀN" → "triển khai thi hành Luật Việc làm trên địa bàn",
    so that a title names a law as running text does. Same length, so offsets hold."""
    if "LUẬT" not in text and "HIẾN PHÁP" not in text:
        return text
    lines = text.split("\n")
    capitals = [False] * len(lines)
    for i, line in enumerate(lines):  # only the blocks of capitals around a law's name are looked at
        if "LUẬT" in line or "HIẾN PHÁP" in line:
            for k in (i - 1, i, i + 1):
                if 0 <= k < len(lines) and not capitals[k]:
                    capitals[k] = bool(lines[k].strip()) and is_mostly_upper(lines[k], 0.9)
    for i, line in enumerate(lines):
        if not capitals[i] or not re.search(r"LUẬT|HIẾN PHÁP", line + (lines[i + 1] if i + 1 < len(lines) else "")):
            continue
        lower = line.lower()
        if len(lower) != len(line):
            continue

        def capital(m: re.Match[str]) -> str:
            word = m.group("name")
            return m.group("kind").capitalize() + m.group("gap") + (word if word in _NOT_A_LAW_NAME else word.capitalize())

        lines[i] = re.sub(r"(?<!pháp )(?<!kỷ )(?<!quy )(?<!\w)(?P<kind>bộ luật|luật|hiến pháp)(?P<gap>\s+)(?P<name>\w+)", capital, lower)
    # A title wraps over lines ("LUẬT BẢO VỆ DỮ" / "LIỆU CÁ NHÂN"): its lines are one run of words.
    return "".join(line + ("" if i + 1 == len(lines) else " " if capitals[i] and capitals[i + 1] else "\n")
                   for i, line in enumerate(lines))


def _law_mentions(text: str) -> list[_Mention]:
    mentions: list[_Mention] = []
    text = _sentence_cased(text)
    for m in _LAW_START.finditer(text):
        kind = m.group("kind")
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        rest = text[m.end() : line_end]
        if kind == "Hiến pháp":
            if re.match(r"^\s+này\b", rest):
                continue
            tail = _CONSTITUTION_TAIL.match(rest)
            end = m.end() + (tail.end() if tail else 0)
            name = text[m.start() : end]
            mention = _Mention(m.start(), end, "name:hien phap", "Hiến pháp", name=re.sub(r"\s+", " ", name))
        elif _AMENDING_LAW.match(rest):
            stop = re.search(r"[;.(\n]|\s(?:ngày|số)\s+\d|\s(?:năm)\s+\d{4}|\s(?:đã|được)\s", rest)
            end = m.end() + (stop.start() if stop else len(rest))
            name = re.sub(r"\s+", " ", text[m.start() : end]).rstrip(" ,")
            end = m.start() + len(text[m.start() : end].rstrip(" ,"))
            mention = _Mention(m.start(), end, _name_key(name), kind, name=name, amending=True)
        else:
            first = re.match(r"^\s+(\S+)", rest)
            dated = _DATE_AFTER.match(rest)
            if dated and iso_date(dated.group(2), dated.group(3), dated.group(4)) and not dated.group("issuer"):
                # "… được sửa đổi, bổ sung bởi Luật ngày 25 tháng 6 năm 2025": a law known by its date alone
                iso = iso_date(dated.group(2), dated.group(3), dated.group(4))
                mentions.append(_Mention(m.start(), m.end() + dated.end(), f"name:{fold_accents(kind).lower()}@{iso}",
                                         kind, name=kind, issued_date=iso))
                continue
            if not first or first.group(1).lower().strip(",.;:") in _NAME_STOP_WORDS:
                continue  # "Luật này", "Luật số …", a sentence about the law in general
            name_start = m.end() + first.start(1)
            end = _name_end(text, name_start, line_end)
            if end <= name_start:
                continue
            end = _name_through_commas(text, end, line_end)
            # Old laws are often named in lower case ("Luật báo chí ngày 28 tháng 12 năm 1989"):
            # such a name counts only when a year, number or date pins it to one instrument.
            if not first.group(1)[0].isupper() and not _PINNED.match(text[end:line_end]) \
                    and not _cited_lower_case_name(text, m.start(), text[name_start:end]):
                continue
            name = re.sub(r"\s+", " ", text[m.start() : end])
            mention = _Mention(m.start(), end, _name_key(name), kind, name=name)
        _extend_law_mention(text, mention, line_end)
        if not _is_draft(text, mention):
            mentions.append(mention)
    return mentions


# A law being drafted is no document yet: "Nghiên cứu, xây dựng Luật Chuyển đổi số", "hoàn thiện dự thảo
# Luật Trí tuệ nhân tạo" (tests/gold/RELATIONS.md: not labelled). "Luật Thủ đô (sửa đổi)" may name the
# enacted revision, so it stays.
_DRAFTING_BEFORE = re.compile(
    r"\b(?:xây\s+dựng|soạn\s+thảo|dự\s+thảo|dự\s+án|hoàn\s+thiện|nghiên\s+cứu|đề\s+nghị\s+xây\s+dựng)\s+(?:các\s+)?$",
    re.IGNORECASE)


def _is_draft(text: str, mention: _Mention) -> bool:
    if mention.number or mention.issued_date:
        return False  # a number or a date: an enacted law
    line_start = text.rfind("\n", 0, mention.start) + 1
    before = text[max(line_start, mention.start - 40) : mention.start]
    return bool(_DRAFTING_BEFORE.search(before))


def _extend_law_mention(text: str, mention: _Mention, line_end: int) -> None:
    """Take in a following "năm 2015", "số 52/2014/QH13" and "ngày …" into the mention."""
    after = text[mention.end : line_end]
    year = _YEAR_AFTER.match(after) or _BARE_YEAR_AFTER.match(after)
    if year:
        mention.end += year.end()
        after = text[mention.end : line_end]
    number = _NUMBER_AFTER.match(after)
    if number:
        found = find_doc_numbers(after[number.end() : number.end() + 40])
        if found and found[0].start == 0:
            mention.number = found[0].number
            mention.end += number.end() + found[0].end
            after = text[mention.end : line_end]
    date = _DATE_AFTER.match(after)
    if date:
        iso = iso_date(date.group(2), date.group(3), date.group(4))
        if iso:
            mention.issued_date = iso
            mention.end += date.end()


def _name_key(name: str) -> str:
    """Dedup key of a law cited by name: accent-folded, lower case ("name:luat thu do")."""
    return "name:" + fold_accents(re.sub(r"\s+", " ", name)).lower()


def _merge_law_numbers(laws: list[_Mention], numbered: list[_Mention]) -> list[_Mention]:
    """A law named with its number ("Luật … số 52/2014/QH13") is one mention, keyed by the number.

    Returns the numbered mentions that are not part of a named law.
    """
    kept = []
    for n in numbered:
        owner = next((m for m in laws if m.number == n.number and m.start <= n.start < m.end), None)
        if owner is None:
            kept.append(n)
        else:
            owner.key = n.key
            owner.issued_date = owner.issued_date or n.issued_date
    return kept


def _join_bare_law_names(text: str, laws: list[_Mention], own: set[str]) -> None:
    """"Luật Ban hành văn bản quy phạm pháp luật" after "Luật Ban hành … số 64/2025/QH15" is the same law.

    Not when the bare mention pins another one by a year or date ("Luật Đất đai năm 2013" beside
    "… số 31/2024/QH15"), nor when it is the document's own name (a law speaking of itself).
    """
    numbered_names: dict[str, dict[str, str | None]] = {}  # name → {number key: year}
    for m in laws:
        if m.number and m.name:
            year = re.search(r"/((?:19|20)\d\d)/", m.number)
            numbered_names.setdefault(_name_key(m.name), {})[m.key] = year.group(1) if year else \
                (m.issued_date[:4] if m.issued_date else None)
    for m in laws:
        if m.number or not m.name or m.key in own:
            continue
        keys = numbered_names.get(m.key, {})
        pinned = re.search(r"\b((?:19|20)\d\d)\b", text[m.start : m.end])
        year = m.issued_date[:4] if m.issued_date else pinned.group(1) if pinned else None
        # "Luật Tổ chức chính quyền địa phương năm 2025" beside "… số 72/2025/QH15": the same law, by its year.
        if len(keys) == 1 and (year is None or year == next(iter(keys.values()))):
            m.key = next(iter(keys))


def _drop_nested(mentions: list[_Mention]) -> tuple[list[_Mention], list[_Mention]]:
    """Mentions inside another mention's span are part of its name (an amending law names the laws it amends).

    Returns the kept mentions, and the laws an amending law names in its title: those are cited
    too (``_titled_laws``), though never as a basis or with a relation of their own.
    """
    mentions.sort(key=lambda m: (m.start, -m.end))
    out: list[_Mention] = []
    titled: list[_Mention] = []
    widest: _Mention | None = None  # the kept mention reaching furthest: the only possible container
    for m in mentions:
        if widest is not None and m.end <= widest.end:
            if widest.amending:
                widest.amends.append(m.key)
                titled.append(m)
            continue
        out.append(m)
        widest = m
    return out, titled


def _titled_laws(text: str, titled: list[_Mention]) -> list[_Mention]:
    """The laws named in an amending law's title, by name alone: "Luật sửa đổi, bổ sung một số điều của
    Luật Phòng, chống thiên tai và Luật Đê điều ngày 17 tháng 6 năm 2020" cites Luật Đê điều, but the
    date (or number) printed after the last name is the amending law's, not that law's."""
    return [_Mention(m.start, _words_end(m.start, m.end, m.name, text), _name_key(m.name), m.doc_type, name=m.name)
            for m in titled if m.name and m.doc_type in ("Luật", "Bộ luật") and m.name not in ("Luật", "Bộ luật")]


def _words_end(start: int, end: int, name: str, text: str) -> int:
    """Where the words of ``name`` end in ``text[start:end]`` (the name may wrap over lines)."""
    spans = list(re.finditer(r"\S+", text[start:end]))
    count = len(name.split())
    return start + spans[count - 1].end() if 0 < count <= len(spans) else end


def _trim_to_known_names(text: str, laws: list[_Mention]) -> None:
    """A name that runs into the sentence is cut back to the same law named alone elsewhere in the text.

    "Luật Việc làm bảo đảm kịp thời" next to "Luật Việc làm;" is Luật Việc làm: nothing marks where
    a name ends but the drafter's other mentions. Two or more words must be left over, so that
    "Luật Đầu tư công" stays itself beside "Luật Đầu tư".
    """
    names = set()  # names that end in the line, not where the line wraps
    for m in laws:
        name_end = _words_end(m.start, m.end, m.name, text) if m.name else len(text)
        if m.name and not m.amending and name_end < len(text) and text[name_end] != "\n":
            names.add(m.name)
    for m in laws:
        if m.amending or m.number or m.issued_date or not m.name or re.search(r"\b(?:19|20)\d\d\b", text[m.start : m.end]):
            continue  # a year pins the name as printed: "Luật doanh nghiệp nhà nước năm 1995"
        words = m.name.split()
        for k in range(len(words) - 2, 2, -1):
            prefix = " ".join(words[:k])
            if prefix in names:
                m.end = _words_end(m.start, m.end, prefix, text)
                m.name, m.key = prefix, _name_key(prefix)
                break


# ---------------------------------------------------------------------------
# Legal bases
# ---------------------------------------------------------------------------

# Where the preamble ends: "Điều 1", "Chương I", "Phần thứ nhất", "I. …", "1. …", "Kính gửi" …
_OPERATIVE = re.compile(
    r"^\s*(?:Điều\s+1\b|Chương\s+(?:I|1)\b|Phần\s+(?:thứ\s+nhất|I|1)\b|(?:I|1)\s*[.)]\s|Kính\s+gửi)",
    re.IGNORECASE,
)
_BASIS_START = re.compile(r"^\s*Căn\s+cứ\b", re.IGNORECASE)
# Loose on the vowels so that an OCR'd scan's "Thirc hin" / "Trin khai" still opens the paragraph.
_IMPLEMENTS_VERB = r"(?:(?:Để|Nhằm)\s+)?(?:tiếp\s+tục\s+)?(?:Th\w{0,3}c\s+h\w{0,3}n|Tri\w{0,3}n\s+khai|Thi\s+hành)\b"
_IMPLEMENTS_START = re.compile(r"^\s*" + _IMPLEMENTS_VERB, re.IGNORECASE)
# A paragraph that opens with an instrument's type word and number ("*Nghị định số 79/2025/NĐ-CP …").
_INSTRUMENT_START = re.compile(
    r"^[\s*_]*(?:" + "|".join(sorted((re.escape(n) for n in DOC_TYPE_NAMES), key=len, reverse=True)) + r")\s+(?:số\s+)?\d",
    re.IGNORECASE,
)
_PREAMBLE_ITEM = re.compile(r"^\s*(?:[-+•]|[a-zđ]\))\s+")
_PREAMBLE_MARKER = re.compile(r"^\s*(?:Căn\s+cứ|Theo\s+đề\s+nghị|Xét|(?:(?:Để|Nhằm)\s+)?(?:tiếp\s+tục\s+)?Thực\s+hiện)\b",
                              re.IGNORECASE)
_NESTING_WORDS = re.compile(
    r"\b(?:ve|sua doi|bo sung|huong dan|quy dinh|thuc hien|thi hanh|ban hanh|phe duyet|tai|theo|"
    r"trien khai|nham|de|kem theo)\b"
)


# "Thực hiện Thông tri số 02-TT/TU … và hướng dẫn của Bộ Nội vụ tại Công văn số 8935/BNV-CTTN&BĐG": after
# "và" or ",", a direction "of <body> at <instrument>" is a new object of the verb, not the title's words.
_DIRECTION_AT = re.compile(
    r"(?:,|\bva)\s+(?:y\s+kien\s+)?(?:chi\s+dao|huong\s+dan|de\s+nghi|yeu\s+cau|ket\s+luan|y\s+kien)"
    r"(?:\s+cua\s+[^,;]{1,80}?)?\s+(?:tai|theo)\s*$"
)


# "…, UBND thành phố Hà Nội ban hành Kế hoạch tổng kết … và Kế hoạch số 158/KH-UBND": after a comma the
# sentence's own subject and verb; what follows is the object of that verb, not one more instrument listed.
_MAIN_CLAUSE = re.compile(r",\s*(?:\w+\s+){1,8}?(?:ban\s+hanh|de\s+nghi|yeu\s+cau|giao|chi\s+dao|bao\s+cao|xay\s+dung)\b")


def _is_operative(line: str) -> bool:
    """The operative heading ("QUYẾT ĐỊNH:", "QUYẾT NGHỊ:", "CHỈ THỊ:") or the first article/section."""
    stripped = line.strip()
    if stripped.endswith(":") and len(stripped) <= 40 and stripped[:-1].strip() and is_mostly_upper(stripped, 0.9):
        return True
    return bool(_OPERATIVE.match(stripped))


def _preamble_end(lines: list[str]) -> int:
    """Index of the operative heading; "Căn cứ" lines above it are the legal bases."""
    return next((i for i, line in enumerate(lines) if _is_operative(line)), len(lines))


def _body_start(lines: list[str]) -> int:
    """Index of the first operative line other than "Kính gửi": a letter's opening follows it."""
    return next((i for i, line in enumerate(lines) if _is_operative(line) and not re.match(r"(?i)^\s*Kính\s+gửi", line.strip())),
                len(lines))


def _basis_paragraphs(lines: list[str], offsets: list[int], start: re.Pattern[str] = _BASIS_START,
                      end_line: int | None = None) -> list[tuple[int, int]]:
    """(start, end) character spans of the preamble paragraphs opening with ``start`` ("Căn cứ").

    The preamble runs to the operative heading; in a letter the bases follow "Kính gửi",
    so it runs to the first numbered section. A paragraph that opens with an instrument
    right after a basis ending in ";" continues the list ("*Căn cứ Nghị định số 78 …;*
    *Nghị định số 79 …;*"): the drafter dropped the repeated "Căn cứ", not the basis.
    """
    end_line = _body_start(lines) if end_line is None else end_line
    spans: list[tuple[int, int]] = []
    i = 0
    continues = listing = False
    while i < end_line:
        item = listing and _PREAMBLE_ITEM.match(lines[i])
        if not item and not start.match(lines[i]) and not (continues and _INSTRUMENT_START.match(lines[i])):
            continues = continues and not lines[i].strip()
            listing = listing and not lines[i].strip()
            i += 1
            continue
        j = i
        while (
            j + 1 < end_line
            and lines[j + 1].strip()
            and not lines[j].rstrip(" *_").endswith((";", ".", ":"))
            and not _PREAMBLE_MARKER.match(lines[j + 1])
        ):
            j += 1
        spans.append((offsets[i], offsets[j] + len(lines[j])))
        continues = lines[j].rstrip(" *_").endswith(";")
        # "Thực hiện các văn bản sau:" / "- Nghị quyết số …;" / "- Kế hoạch số …": each item is a clause of it.
        listing = bool(item) or lines[j].rstrip(" *_").endswith(":")
        i = j + 1
    return spans


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A paragraph's clauses: the spans between ";"."""
    cuts = [start] + [start + k + 1 for k, ch in enumerate(text[start:end]) if ch == ";"] + [end]
    return list(zip(cuts[:-1], cuts[1:]))


def _mark_bases(text: str, mentions: list[_Mention], paragraphs: list[tuple[int, int]],
                attribute: str = "is_basis") -> None:
    """Set ``is_basis`` (or ``implements``) by the rules of the module docstring."""
    for p_start, p_end in paragraphs:
        bases_so_far: set[str] = set()  # rule 3 holds inside one paragraph: its own "Căn cứ" makes a basis
        for c_start, c_end in _clauses(text, p_start, p_end):
            clause = [m for m in mentions if c_start <= m.start < c_end]
            # "Căn cứ Luật …; thực hiện Chương trình số 10-CTr/TU …;": a clause that opens by carrying out
            role = "implements" if _IMPLEMENTS_START.match(text[c_start:c_end].lstrip(" ;*_")) else attribute
            previous: _Mention | None = None  # the last basis of this clause
            last: _Mention | None = None  # the mention right before
            for m in clause:
                if previous is None:
                    setattr(m, role, True)
                else:
                    gap = text[previous.end : m.start]
                    # A quoted title ends at its closing quote: "… phê duyệt Chương trình “…” và Kế hoạch …"
                    # coordinates, the words inside the quotes say nothing about the next instrument.
                    gap = fold_accents(gap[gap.rfind("”") + 1 :] if "”" in gap else gap).lower()
                    joined = bool(re.search(r"\bva\b|,", gap)) and not _NESTING_WORDS.search(gap)
                    # "Nghị quyết số 57-NQ/TW … về đột phá phát triển khoa học, Nghị quyết số 71/NQ-CP …": a title
                    # ends where ", " or "và" hands over to the next instrument's type word. Right after an
                    # instrument named inside a title ("… theo Luật số 44/2009/QH12 và Luật số 97/2015/QH13") the
                    # next one is in that title too.
                    listed = bool(re.search(r"(?:,|\bva)\s*$", gap) and not _MAIN_CLAUSE.search(gap)
                                  or _DIRECTION_AT.search(gap))
                    setattr(m, role, (joined or listed) if last is previous else joined and not listed)
                    if not getattr(m, role) and previous.amending:
                        previous.amends.append(m.key)  # "… sửa đổi, bổ sung … của <m>"
                if getattr(m, role):
                    previous = m
                last = m
            for m in clause:
                if getattr(m, role) and m.amending and any(key in bases_so_far for key in m.amends):
                    setattr(m, role, False)  # rule 3: the amended instrument, as amended, is the basis
            bases_so_far |= {m.key for m in clause if getattr(m, attribute)}


# ---------------------------------------------------------------------------
# Relations: what the document does to the instruments it cites
# ---------------------------------------------------------------------------
#
# By the drafting conventions (NĐ 30/2020/NĐ-CP, Luật Ban hành VBQPPL) the document
# says what it does in its title, its enacting words and its closing articles:
# "Quyết định này … thay thế Quyết định số …", "Điều 1. Bãi bỏ …: 1. Quyết định
# số …", "Sửa đổi, bổ sung khoản 2 Điều 3 của Quyết định số …", "Thông tư này
# hướng dẫn …", "Luật … số … hết hiệu lực kể từ ngày Luật này có hiệu lực".
# A verb counts only when the document itself is its subject: it stands in the
# title, in a heading or list item, after "… này" or "ban hành <loại>", and no
# other instrument is named before it in the sentence (else the verb belongs to
# that instrument's title: "Quyết định số A về việc bãi bỏ Quyết định số B").
# *Căn cứ* paragraphs never carry these relations: their verbs describe the basis.
# A law's closing article amends other laws under headings ("1. Sửa đổi, bổ sung một số điều
# của Luật X … như sau:"); the items below them act on X though they do not name it
# (``_mark_amending_items``), and the quoted new wording is X's text, never this one's acts.
# Carrying out (``thuc_hien``) is the document's only in its title or enacting words (besides
# the opening "Thực hiện …" paragraph, see the bases above).

_ACTIONS: tuple[tuple[str, str], ...] = (
    ("dinh_chinh", r"dinh\s+chinh"),
    ("thay_the", r"thay\s+the(?:\s+cho)?"),
    ("bai_bo", r"(?:bai|huy)\s+bo"),
    # "Thay thế cụm từ “…” bằng cụm từ “…” tại khoản 2 Điều 3 của Luật …" changes words: an amendment.
    ("sua_doi", r"sua\s+doi(?:\s*,\s*|\s+va\s+|\s+)?(?:bo\s+sung)?"
                r"|thay\s+the\s+(?:cac\s+)?(?:cum\s+tu|tu\s+ngu|tu)\b[^;]{0,300}?\b(?:quy\s+dinh\s+)?tai"),
    ("huong_dan", r"(?:quy\s+dinh\s+chi\s+tiet(?:\s+va\s+)?)?huong\s+dan(?:\s+(?:thi\s+hanh|thuc\s+hien|chi\s+tiet))?"
                  r"|quy\s+dinh\s+chi\s+tiet(?:\s+(?:va\s+)?bien\s+phap\s+thi\s+hanh)?"),
    ("thuc_hien", r"(?:trien\s+khai|thuc\s+hien|thi\s+hanh)(?:\s+(?:thi\s+hanh|thuc\s+hien))?"),
)
_PART = r"(?:dieu|khoan|diem|muc|phu\s+luc|chuong|phan)\s+[\w.]+"
# What may stand between the verb and the instrument: "toàn bộ", "một số điều của", "khoản 2 Điều 3 của".
# An instrument issued with the cited one: "… một số điều của Quy chế … ban hành kèm theo Quyết định số …".
_ANNEXED = r"(?:quy\s+che|quy\s+dinh|quy\s+trinh|dieu\s+le|danh\s+muc|chuong\s+trinh|ke\s+hoach|de\s+an)\b[^;.]{0,120}?\bban\s+hanh\s+kem\s+theo"
_GAP = rf"(?:[\s,:*(]|toan\s+bo|mot\s+phan|mot\s+so\s+(?:dieu|noi\s+dung|quy\s+dinh)|quy\s+dinh|noi\s+dung|{_PART}|{_ANNEXED}|va\b|cua\b|tai\b|cac\b)*"
_GAP_ONLY = re.compile(_GAP)
# A longer run of parts ending in a word that hands them to the instrument: "điểm 4.1 tiểu mục 04, mục II,
# Phần A thuộc Phụ lục số 01 ban hành kèm theo <Luật>", "các điều 3, 20 và 61 của <Luật>", "các quy định
# về trưng dụng đất trong <Luật>". It opens with a part word; another instrument inside it is checked apart.
_PART_GAP = (r"\s*,?\s*(?:(?:toan\s+bo|mot\s+phan|mot\s+so|cac|nhung)\s+)?(?:quy\s+dinh|noi\s+dung|dieu|khoan|diem|"
             r"muc|tieu\s+muc|phu\s+luc|chuong|phan|ten)\b[^;]{0,300}?\b(?:cua|tai|trong|thuoc|kem\s+theo)\s*")
_PART_GAP_ONLY = re.compile(_PART_GAP)
_ACTS_ON_TEXT = ("sua_doi", "bai_bo", "thay_the")  # verbs that may act on parts of the instrument's text
# Only the verbs that act on parts of a text take the long run; "thực hiện các biện pháp … của Luật" does not.
# "Kế hoạch thực hiện Quy hoạch tỉnh … được phê duyệt tại Quyết định số …": a programme carried out,
# named with the instrument that approved or issued it.
_PROGRAMMES = r"(?:de\s+an|chuong\s+trinh|quy\s+hoach|chien\s+luoc|ke\s+hoach|phuong\s+an|du\s+an)"
_PROGRAMME_GAP = (rf"\s+{_PROGRAMMES}\b[^;]{{0,300}}?\b(?:da\s+|duoc\s+)*(?:phe\s+duyet|ban\s+hanh)"
                  r"\s+(?:tai|theo|kem\s+theo)\s*")
_ACTION_BEFORE = [(kind, re.compile(rf"\b(?:{verb})\b(?P<gap>{_GAP}|{_PART_GAP})$" if kind in _ACTS_ON_TEXT else
                                    rf"\b(?:{verb})\b(?P<gap>{_GAP}|{_PROGRAMME_GAP})$" if kind == "thuc_hien" else
                                    rf"\b(?:{verb})\b(?P<gap>{_GAP})$"))
                  for kind, verb in _ACTIONS]
# The programme a title carries out, by its quoted name, and a cited instrument that approved it by that name.
_TITLE_PROGRAMME = re.compile(rf"\b(?:thuc\s+hien|trien\s+khai|thi\s+hanh)\s+{_PROGRAMMES}\s*“(?P<name>[^”]{{8,300}})”")
_APPROVES_PROGRAMME = re.compile(
    rf"[^;“]{{0,200}}?\b(?:phe\s+duyet|ban\s+hanh)\s+{_PROGRAMMES}?\s*“(?P<name>[^”]{{8,300}})”")
# "Bãi bỏ, sửa đổi, bổ sung một số điều của Luật …", "bãi bỏ, thay thế một số nội dung của …": acts on the
# text of one instrument written as one chain; every verb of it acts on the instrument.
_VERB_CHAIN = [(kind, re.compile(rf"\b(?:{verb})\s*(?:,|\bva\b)\s*$")) for kind, verb in _ACTIONS
               if kind in _ACTS_ON_TEXT]
_ACTION_ANYWHERE = re.compile(r"\b(?:" + "|".join(verb for _, verb in _ACTIONS[:5]) + r")\b")
_OWN_SUBJECT = re.compile(
    r"\b(?:" + "|".join(re.escape(fold_accents(n).lower()) for n in DOC_TYPE_NAMES) + r"|van\s+ban)\s+nay\b"
)
# "… này" as the subject, not as the object of "của/tại/theo" ("nghĩa vụ quy định tại khoản 2 Điều 55 của
# Luật này, tổ chức … còn phải thực hiện quy định của Luật …": the verb is the organisation's).
_OWN_AS_SUBJECT = re.compile(r"(?<!\bcua )(?<!\btai )(?<!\btheo )(?<!\btrong )(?<!\bvoi )" + _OWN_SUBJECT.pattern)
_REPORTED_ON = re.compile(r"\b(?:tinh\s+hinh|ket\s+qua|so\s+ket|tong\s+ket|danh\s+gia|kiem\s+tra|giam\s+sat)\s*$")
_PASSIVE = re.compile(r"\b(?:bi|duoc|da|se|can|de\s+nghi|kien\s+nghi)\s*$")
_ENACTING = re.compile(r"\bban\s+hanh\s+(?:\w+\s+){1,3}$")
_LIST_ITEM = re.compile(r"^\W{0,3}(?:\d+(?:\.\d+)*\s*[.)]|[a-zđ]\s*\)|[-+•])\s*")
_NEW_ARTICLE = re.compile(r"^\W{0,3}(?:dieu\s+\d+|chuong\s+[ivxl\d]+|[ivx]+\s*[.)])", re.IGNORECASE)
_AMENDED_BY = re.compile(r"\bda\s+duoc\s+sua\s+doi\b")
_EXPIRES = re.compile(r"\bhet\s+hieu\s+luc\b")
_SENTENCE_BREAK = re.compile(r"[;]|(?<!\b\d)(?<!\b\d\d)\.(?=\s|\*|$)|\n\s*\n|\n(?=\W{0,3}(?:\d+(?:\.\d+)*\s*[.)]|[a-zđ]\s*\)|[-+•]|Điều\s+\d))")


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences: cut at ";", ". ", blank lines and new list items or articles."""
    cuts = [0] + [m.end() for m in _SENTENCE_BREAK.finditer(text)] + [len(text)]
    return [(a, b) for a, b in zip(cuts[:-1], cuts[1:]) if b > a]


def _title_end(lines: list[str], offsets: list[int]) -> int:
    """Character offset where the title block ends: the first preamble, operative or address line."""
    for i, line in enumerate(lines):
        if _PREAMBLE_MARKER.match(line) or _is_operative(line):
            return offsets[i]
    return 0


def _is_self(head: str, in_title: bool, kind: str | None = None) -> bool:
    """Whether the document itself is the subject of a verb that follows ``head`` (folded).

    An act on a text (repeal, amendment …) may open a bare article or list item. Carrying
    out is the document's only in its title, after "… này" or in "ban hành Kế hoạch triển
    khai …" (guidelines, tests/gold/RELATIONS.md); "Thực hiện Quyết định số …, Sở …" in the
    body is what someone does, and "tình hình thực hiện" in a title is what it reports on.
    """
    if _PASSIVE.search(head) or (kind == "thuc_hien" and _REPORTED_ON.search(head)):
        return False  # "… bị bãi bỏ", "đã được sửa đổi": the verb is said of something else
    if in_title or _OWN_AS_SUBJECT.search(head) or _ENACTING.search(head + " "):
        return True
    if kind == "thuc_hien":
        return False
    bare = head.strip(" *_-+.:()\t\n")
    return not bare or bool(re.fullmatch(r"(?:dieu\s+\d+\w?|\d+(?:\.\d+)*|[a-zđ])\s*[.:)]?", bare))


def _articles(gap: str, original: str) -> str | None:
    """The parts named between the verb and the instrument ("khoản 2 Điều 3"), as printed."""
    if not re.search(r"\b(?:dieu|khoan|diem|muc|phu luc|chuong)\s+(?:\d|[ivxl]+\b|[a-zđ]\b)", gap):
        return None
    return squash(original).strip(" ,:*(").removesuffix(" của").removesuffix(" tại").strip(" ,") or None


def _mark_relations(text: str, mentions: list[_Mention], bases: list[tuple[int, int]], title_end: int,
                    own: set[str]) -> None:
    """Set each mention's ``relations`` (and ``articles``) by the rules above."""
    folded = fold(text)
    in_bases = {id(m) for m in mentions for a, b in bases if a <= m.start < b}
    list_kind: str | None = None
    carried: list[str] = []  # "Bãi bỏ A; Điều 4 của B; C.": what the verb did to A goes on after ";"
    order = sorted(mentions, key=lambda m: m.start)
    k = 0
    for s_start, s_end in _sentences(text):
        while k < len(order) and order[k].start < s_start:
            k += 1
        inside = []
        j = k
        while j < len(order) and order[j].start < s_end:
            if id(order[j]) not in in_bases:
                inside.append(order[j])
            j += 1
        sentence = folded[s_start:s_end]
        lead = sentence.lstrip()
        in_title = s_start < title_end
        if _NEW_ARTICLE.match(lead):
            list_kind = None
        is_item = bool(_LIST_ITEM.match(lead))
        if not is_item and not in_title:
            list_kind = None if list_kind and inside else list_kind
        _mark_expiry(folded, s_start, s_end, inside, own)
        previous: _Mention | None = None
        for m in inside:
            before = folded[s_start : m.start]
            others = [o for o in inside if o.start < m.start and o.key not in own]
            for kind, pattern in _ACTION_BEFORE:
                found = pattern.search(before[-400:])
                if not found:
                    continue
                verb_at = m.start - len(before[-400:]) + found.start()
                kinds, verb_at = _verb_chain(folded, s_start, verb_at, kind)
                named_before = any(o.start < verb_at for o in others)
                named_between = any(verb_at < o.start for o in inside if o.start < m.start)
                if not named_before and not named_between and _is_self(folded[s_start:verb_at], in_title, kind):
                    gap = found.group("gap")
                    articles = _articles(gap, text[m.start - len(gap) : m.start])
                    parts = bool(articles) or not _GAP_ONLY.fullmatch(gap)
                    for acted in kinds:  # parts replaced are amended: "thay thế" is said of a whole text
                        _add(m, "sua_doi" if acted == "thay_the" and parts else acted, articles)
                break
            else:
                if previous is not None and previous.relations and _coordinated(folded[previous.end : m.start]):
                    for kind in previous.relations:
                        if kind != "het_hieu_luc":
                            _add(m, kind, None)
                elif list_kind and is_item and m is inside[0] and not folded[s_start : m.start].strip(" *_-+.:()0123456789abcdefghijklmnopqrstuvwxyz"):
                    _add(m, list_kind, None)
                elif carried and m is inside[0] and _is_part_run(folded[s_start : m.start]):
                    articles = _articles(folded[s_start : m.start], text[s_start : m.start])
                    for kind in carried:
                        _add(m, "sua_doi" if kind == "thay_the" and articles else kind, articles)
            previous = m
        acting = [m for m in inside if set(m.relations) - {"het_hieu_luc"}]
        ends_list = sentence.rstrip(" *_\n").endswith(";")
        carried = [k for k in acting[-1].relations if k != "het_hieu_luc"] if acting and ends_list else \
            (carried if ends_list and not inside else [])
        # "Điều 1. Bãi bỏ … sau:" or "Bãi bỏ các văn bản sau:": a self verb naming nothing announces a list.
        if not in_title and not inside and (_NEW_ARTICLE.match(lead) or sentence.rstrip(" *_\n").endswith(":")):
            for kind, verb in _ACTIONS[:5]:
                v = re.search(rf"\b(?:{verb})\b", sentence)
                if v and _is_self(folded[s_start : s_start + v.start()], False):
                    list_kind = kind
                    break


def _verb_chain(folded: str, s_start: int, verb_at: int, kind: str) -> tuple[list[str], int]:
    """Every kind of a chain ending in the verb at ``verb_at`` ("bãi bỏ, sửa đổi, bổ sung"), and where it starts."""
    kinds = [kind]
    while kind in _ACTS_ON_TEXT:
        head = folded[s_start:verb_at]
        chained = next(((k, c) for k, c in ((k, p.search(head)) for k, p in _VERB_CHAIN) if c and k not in kinds), None)
        if chained is None:
            break
        kinds.append(chained[0])
        verb_at = s_start + chained[1].start()
    return kinds, verb_at


def _is_part_run(gap: str) -> bool:
    """Whether the words before an instrument only name parts of it ("Điều 2 của", "các quy định … trong")."""
    return bool(_GAP_ONLY.fullmatch(gap) or (_PART_GAP_ONLY.fullmatch(gap) and not _ACTION_ANYWHERE.search(gap)))


def _mark_programme_approvals(text: str, mentions: list[_Mention], title_end: int, own: set[str]) -> None:
    """"Kế hoạch triển khai thực hiện Đề án “X”" in the title, "Quyết định số 553/QĐ-TTg … phê duyệt Đề án
    “X”" in the text: the plan carries out that decision (guidelines: "Kế hoạch thực hiện Đề án … phê duyệt
    tại Quyết định …"), however the drafter splits the two."""
    names = {_quoted_key(m.group("name")) for m in _TITLE_PROGRAMME.finditer(fold(text[:title_end]))}
    if not names:
        return
    folded = fold(text)
    for m in mentions:
        if m.key in own or m.start < title_end:
            continue
        approves = _APPROVES_PROGRAMME.match(folded, m.end, min(len(folded), m.end + 600))
        if approves and _quoted_key(approves.group("name")) in names:
            _add(m, "thuc_hien", None)


def _quoted_key(name: str) -> str:
    return " ".join(re.findall(r"\w+", name.lower()))


def _coordinated(gap: str) -> bool:
    """Whether the words between two instruments join them ("…, Quyết định số …", "… và …")."""
    return bool(re.search(r"(?:,|\bva\b)\s*$", gap)) and not _ACTION_ANYWHERE.search(gap) and len(gap) < 300


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside curly quotes “…”: the new wording an amending act writes into another text.

    Its verbs and list items belong to the amended text, never to this document. Unmatched
    quotes give no span, so a stray “ cannot swallow the rest of a document.
    """
    pairs: list[tuple[int, int]] = []
    opened: list[int] = []
    for m in re.finditer("[“”]", text):
        if m.group(0) == "“":
            opened.append(m.start())
        elif opened:
            pairs.append((opened.pop(), m.end()))
    pairs.sort()
    spans: list[tuple[int, int]] = []
    for a, b in pairs:
        if spans and a < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    return spans


# Levels of the items of an article: "Điều 5." / "Chương II" (0), "1." (1), "a)" (2).
_ITEM_LEVELS = (
    (0, re.compile(r"^\W{0,3}(?:Điều\s+\d+\w?\s*[.:]|Chương\s+[IVXLC\d]+\b|Mục\s+\d+\s*[.:])", re.IGNORECASE)),
    (1, re.compile(r"^\W{0,3}\d+\s*[.)](?:\s|$)")),
    (2, re.compile(r"^\W{0,3}[a-zđ]\s*\)(?:\s|$)")),
)
# What an item under an amending heading does to the heading's instrument: "a) Bãi bỏ khoản 3 Điều 22",
# "5. Bãi bỏ điểm d …", "b) Bỏ số “14” …", "Bổ sung khoản 5a …", "Điểm đ khoản 1 Điều 2 được sửa đổi …".
_ITEM_ACTIONS = (
    ("bai_bo", re.compile(r"^(?:bai|huy)\s+bo\b")),
    ("sua_doi", re.compile(r"^(?:sua\s+doi|sua|bo\s+sung|thay\s+the|thay|bo)\b")),
    ("bai_bo", re.compile(r"^(?:(?:cac\s+)?(?:dieu|khoan|diem)\s+[\w.,\s]{1,40}?)\bduoc\s+bai\s+bo\b")),
    ("sua_doi", re.compile(r"^(?:(?:cac\s+)?(?:dieu|khoan|diem)\s+[\w.,\s]{1,40}?)\bduoc\s+(?:sua\s+doi|bo\s+sung)\b")),
)


def _item_level(line: str) -> int | None:
    return next((level for level, pattern in _ITEM_LEVELS if pattern.match(line)), None)


def _mark_amending_items(text: str, lines: list[str], offsets: list[int], mentions: list[_Mention],
                         quoted: list[tuple[int, int]]) -> None:
    """Items under a heading that amends one instrument act on it, though they do not name it.

    "1. Sửa đổi, bổ sung một số điều của Luật Nhà ở số 65/2014/QH13 … như sau:" then
    "a) Sửa đổi, bổ sung khoản 2 Điều 21 …", "e) Bãi bỏ khoản 3 Điều 22 và Điều 171.": the repeal
    is of Luật Nhà ở (a closing article of a law, or an amending decision). The heading is an
    article title or an item ending in ":"; its scope ends at the next item of its level or above.
    Lines inside quotes (the new wording) neither open, act in, nor close a scope.
    """
    if not any({"sua_doi", "bai_bo"} & set(m.relations) for m in mentions):
        return  # no heading amends anything
    quote_starts = [a for a, _ in quoted]

    def is_quoted(pos: int) -> bool:
        i = bisect.bisect_right(quote_starts, pos) - 1
        return i >= 0 and quoted[i][0] <= pos < quoted[i][1]

    order = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in order]
    scope: tuple[int, _Mention] | None = None
    for i, line in enumerate(lines):
        level = _item_level(line)
        if level is None or is_quoted(offsets[i] + len(line) - len(line.lstrip())):
            continue
        if scope and level <= scope[0]:
            scope = None
        end = i + 1  # the item runs over its wrapped lines, to a blank line or the next item
        while end < len(lines) and lines[end].strip() and _item_level(lines[end]) is None:
            end += 1
        item_start, item_end = offsets[i], offsets[end - 1] + len(lines[end - 1])
        named = order[bisect.bisect_left(starts, item_start) : bisect.bisect_left(starts, item_end)]
        item = text[item_start:item_end].rstrip(" *_")
        acting = [m for m in named if {"sua_doi", "bai_bo"} & set(m.relations)]
        if len({m.key for m in acting}) == 1 and (level == 0 or item.endswith(":")):
            scope = (level, acting[0])
            continue
        if scope is None or named:
            continue
        body = fold(_LIST_ITEM.sub("", item.lstrip(" *_"), count=1))
        for kind, pattern in _ITEM_ACTIONS:
            if pattern.match(body):
                _add(scope[1], kind, None)
                break


def _mark_expiry(folded: str, s_start: int, s_end: int, inside: list[_Mention], own: set[str]) -> None:
    """"<instrument(s)> hết hiệu lực kể từ ngày <this> có hiệu lực": each instrument before the words."""
    sentence = folded[s_start:s_end]
    expires = _EXPIRES.search(sentence)
    if not expires or not _OWN_SUBJECT.search(sentence):
        return
    at = s_start + expires.start()
    subjects = [m for m in inside if m.end <= at and m.key not in own]
    amenders = False  # "Luật X số … đã được sửa đổi, bổ sung theo Luật số … và Luật số …": X (as amended) ends
    for previous, m in zip([None, *subjects], subjects):
        if previous is not None:
            gap = folded[previous.end : m.start]
            if _AMENDED_BY.search(gap):
                amenders = True
                continue
            if amenders and len(gap) < 12 and re.fullmatch(r"\s*(?:,|va)\s*", gap):
                continue
            amenders = False
        _add(m, "het_hieu_luc", None)


def _add(mention: _Mention, kind: str, articles: str | None) -> None:
    if kind not in mention.relations:
        mention.relations.append(kind)
    mention.articles = mention.articles or articles

# ---------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------


def _own_keys(doc_id: str, text: str) -> tuple[set[str], str | None]:
    """Keys of the document itself (its number, a law's own name), never a reference; and its year."""
    meta = extract_metadata(doc_id, doc_id, text)
    keys = set()
    if meta.doc_number:
        keys.add(doc_number_key(meta.doc_number))
    if meta.title and meta.doc_type in ("Luật", "Bộ luật", "Hiến pháp"):
        keys.add("name:" + fold_accents(meta.title).lower())
        if meta.doc_type == "Hiến pháp":
            keys.add("name:hien phap")
    return keys, meta.issued_date[:4] if meta.issued_date else None


def _tell_older_namesakes(text: str, mentions: list[_Mention], own: set[str], own_year: str | None) -> None:
    """"Luật báo chí ngày 28 tháng 12 năm 1989" in the 2016 Luật Báo chí is the old law, not itself."""
    for m in mentions:
        if m.key in own and m.key.startswith("name:") and own_year:
            year = m.issued_date[:4] if m.issued_date else None
            found = re.search(r"năm\s+(\d{4})", text[m.start : m.end])
            year = year or (found.group(1) if found else None)
            if year and year != own_year:
                m.key = f"{m.key}@{year}"


def _is_own_number_line(line: str) -> bool:
    """The "Số:" line of the header and annex lines restating the document's own number."""
    stripped = line.strip()
    if re.match(r"(?i)^(?:(?:bộ\s+)?luật\s+)?s[ốo]\s*:", stripped):
        return True
    return bool(stripped.startswith("(") and re.search(r"(?i)kèm\s+theo", stripped[:40]))


def extract_references(doc_id: str, text: str) -> list[Reference]:
    """Every instrument ``text`` cites, once each, in order of first mention (see module doc)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)

    numbered = _numbered_mentions(text)
    laws = _law_mentions(text)
    _trim_to_known_names(text, laws)
    numbered = _merge_law_numbers(laws, numbered)
    mentions, titled = _drop_nested(numbered + laws + _named_mentions(text))
    laws = [m for m in laws if m not in titled] + _titled_laws(text, titled)
    _mark_bases(text, mentions, _basis_paragraphs(lines, offsets))
    opening = _basis_paragraphs(lines, offsets, _IMPLEMENTS_START, _body_start(lines))
    _mark_bases(text, mentions, opening, "implements")

    own, own_year = _own_keys(doc_id, text)
    _tell_older_namesakes(text, mentions, own, own_year)
    _join_bare_law_names(text, laws, own)
    _mark_relations(text, mentions, _basis_paragraphs(lines, offsets), _title_end(lines, offsets), own)
    _mark_amending_items(text, lines, offsets, [m for m in mentions if m.key not in own], _quoted_spans(text))
    _mark_programme_approvals(text, mentions, _title_end(lines, offsets), own)
    mentions = sorted(mentions + [m for m in laws if m not in mentions], key=lambda m: m.start)
    references: dict[str, Reference] = {}
    for m in mentions:
        line_index = bisect.bisect_right(offsets, m.start) - 1
        if m.key in own or _is_own_number_line(lines[line_index]):
            continue
        if _is_self_enactment(lines[line_index]):
            continue
        ref = references.get(m.key)
        if ref is None:
            references[m.key] = Reference(
                doc_id=doc_id,
                mention=tidy_number_spacing(re.sub(r"\s+", " ", text[m.start : m.end]).strip()),
                doc_type=m.doc_type,
                number=m.number,
                issued_date=m.issued_date,
                name=m.name,
                is_basis=m.is_basis,
                line=line_index + 1,
                implements=m.implements,
                relations=list(m.relations),
                articles=m.articles,
                issuer=m.issuer,
            )
            continue
        ref.relations += [t for t in m.relations if t not in ref.relations]
        ref.articles = ref.articles or m.articles
        ref.issuer = ref.issuer or m.issuer
        ref.issued_date = ref.issued_date or m.issued_date
        ref.doc_type = ref.doc_type or m.doc_type
        ref.name = ref.name or m.name
        ref.number = ref.number or m.number
        ref.is_basis = ref.is_basis or m.is_basis
        ref.implements = ref.implements or m.implements
    return list(references.values())


def _is_self_enactment(line: str) -> bool:
    """"Quốc hội ban hành Luật …" names the law being enacted, not a cited one."""
    return bool(re.match(r"^\s*Quốc hội ban hành\b", line))

