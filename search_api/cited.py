"""Questions that ask which document a text cites, by its type and issuer.

"… dựa trên quyết định nào của Bộ Xây dựng?", "… theo mẫu biểu của thông tư nào?",
"văn bản bị bãi bỏ là quyết định số mấy?": the answer is a reference printed in the
sentence or task that matches the question's subject, of the type asked for and,
when the question names one, from that issuer. Issuers are matched the way document
numbers spell them: a code is the initials of the issuer's name ("BXD" = Bộ Xây dựng,
"BLĐTBXH" = Bộ Lao động - Thương binh và Xã hội, "CP" = Chính phủ), or a known code
(``ISSUER_BY_CODE``: "TTg" = Thủ tướng Chính phủ).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from indexer.agencies import agency_key
from indexer.doc_numbers import DOC_TYPE_NAMES, ISSUER_BY_CODE, doc_number_key, issuer_code
from indexer.normalise import fold_accents, folded_form
from indexer.records import Reference
from indexer.references import extract_references

# Every document type word, folded ("quyet dinh", "thong tu" …): also the relation questions' (search_api.kinds).
DOC_TYPE_WORD = "(?:" + "|".join(re.escape(fold_accents(n).lower()) for n in DOC_TYPE_NAMES) + ")"
# The type word, then what asks for one of them: "nào", "gì", "số mấy", "số bao nhiêu", "số hiệu nào"
# ("văn bản nào" is not here: it asks which corpus document, answered by search).
REFERENCE_ASKED = re.compile(
    rf"\b(?P<type>{DOC_TYPE_WORD})\s+(?:goc\s+)?(?:(?:so\s+)?(?:nao|gi|may|bao nhieu)|so hieu(?:\s+nao|\s+la\s+gi)?)\b"
)
# "… của Bộ Xây dựng về …": the issuer named after the type word, up to what starts another phrase.
_ISSUER_AFTER = re.compile(
    r"\s*(?:do\s+|cua\s+)(?P<issuer>[\w\s&.-]{2,60}?)(?=\s+(?:ve|de|nam|so|ngay|ban hanh|quy dinh|la|co|thi|duoc)\b|[?,;:]|$)"
)
_ISSUER_BEFORE = re.compile(r"\b(?:cua|do)\s+(?P<issuer>[\w\s&.-]{2,60}?)\s*$")


@dataclass(frozen=True)
class AskedReference:
    """What a "which document" question asks for: the folded type word, and the issuer if named."""

    doc_type: str
    issuer: str | None = None
    span: tuple[int, int] = (0, 0)  # where the question asks for it: "quyết định nào của Bộ Xây dựng"


def asked_reference(folded: str) -> AskedReference | None:
    """The type and issuer a question asks a cited document by; None when it asks for none."""
    m = REFERENCE_ASKED.search(folded)
    if m is None:
        return None
    after = _ISSUER_AFTER.match(folded, m.end())
    if after is not None and _names_an_issuer(after.group("issuer").strip()):
        return AskedReference(m.group("type"), after.group("issuer").strip(), (m.start(), after.end()))
    # "… theo mẫu biểu của Bộ Y tế tại thông tư nào"
    before = _ISSUER_BEFORE.search(folded[: m.start()].rstrip(" ,"))
    issuer = before.group("issuer").strip() if before and len(before.group("issuer").split()) <= 6 else None
    if issuer and _names_an_issuer(issuer):
        return AskedReference(m.group("type"), issuer, (before.start(), m.end()))
    return AskedReference(m.group("type"), None, (m.start(), m.end()))


def without_asked_reference(folded: str) -> str:
    """What describes the citing document: the words before those that ask for the cited one (as a
    basis question describes its document before "căn cứ"), else the question less them; so "… theo
    nghị quyết nào của Chính phủ" does not keep only the Government's documents."""
    asked = asked_reference(folded)
    if asked is None:
        return folded
    start, end = asked.span
    before = folded[:start].split()
    return " ".join(before) if len(before) >= 4 else " ".join(f"{folded[:start]} {folded[end:]}".split())


_ISSUER_HEADS = re.compile(r"^(?:bo|chinh phu|thu tuong|quoc hoi|uy ban|ubnd|hdnd|hoi dong|van phong|so|ban|tong cuc|cuc|"
                           r"ngan hang|kiem toan|toa an|vien kiem sat|chu tich|tinh uy|thanh uy|trung uong|ttg|vpcp)\b")


def _names_an_issuer(words: str) -> bool:
    return bool(_ISSUER_HEADS.match(words))


def _initials(name: str) -> str:
    return "".join(w[0] for w in agency_key(name).split() if w != "va")


def issued_by(reference: Reference, issuer: str) -> bool:
    """Whether a cited document is the named issuer's: by the name the citation gives, by a known
    code, or by the code being the initials of the issuer's name ("BXD", "UBND" of "UBND Thành phố")."""
    wanted = agency_key(issuer)
    if reference.issuer and wanted in agency_key(reference.issuer):
        return True
    code = issuer_code(reference.number) if reference.number else None
    if not code:
        return False
    known = ISSUER_BY_CODE.get(code)
    if known is not None:
        return agency_key(known).startswith(wanted)
    folded_code = folded_form(code).replace("&", "")
    return len(folded_code) >= 2 and _initials(wanted).startswith(folded_code)


def of_type(reference: Reference, doc_type: str) -> bool:
    kind = folded_form(reference.doc_type or "")
    return kind == doc_type or (doc_type == "luat" and kind in ("luat", "bo luat"))


@lru_cache(maxsize=8192)
def cited_in(doc_id: str, text: str) -> tuple[Reference, ...]:
    """The documents a unit's text cites (its own document's number excluded), cached per text."""
    return tuple(extract_references(doc_id, text))


def of_asked(reference: Reference, asked: AskedReference) -> bool:
    """Of the asked type, and of the asked issuer when the question names one."""
    return of_type(reference, asked.doc_type) and (not asked.issuer or issued_by(reference, asked.issuer))


def fitting(asked: AskedReference, doc_id: str, text: str, own_number: str | None = None) -> list[Reference]:
    """The references of a unit's ``text`` that the question asks for; the unit's own document
    (``own_number``, which a sentence may print: "Công văn số 4001/UBND-ĐT") is never one."""
    own = doc_number_key(own_number) if own_number else None
    return [r for r in cited_in(doc_id, text)
            if of_asked(r, asked) and not (own and r.number and doc_number_key(r.number) == own)]
