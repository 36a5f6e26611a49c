"""Question understanding: what kind of fact is asked for, and about what.

Rules are the ordinary ways Vietnamese officials ask (with or without diacritics):
"cơ quan nào chủ trì", "ai chịu trách nhiệm", "phối hợp với ai", "khi nào / thời
hạn", "bao nhiêu / đạt / tỷ lệ", "căn cứ pháp lý", "những nhiệm vụ nào do X chủ
trì". Matching runs on the accent-folded, lower-cased question so both spellings
share one rule set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.normalise import folded_form

KINDS = ("lead", "support", "deadline", "target", "basis", "list", "passage")

# Patterns are written in folded form (no diacritics, đ → d).
_BASIS = re.compile(
    r"\b(can cu|co so phap ly|van ban phap ly|dua tren (van ban|quy dinh) nao|theo (van ban|quy dinh) nao"
    r"|(thuc hien|trien khai) (van ban|quyet dinh|cong van|ke hoach|chi thi|nghi quyet|nghi dinh|thong tu) (nao|gi))\b"
)
_LIST = re.compile(
    r"\b(nhung|cac|liet ke|bao nhieu)\s+(nhiem vu|viec|cong viec|hoat dong|noi dung)\b.*\b(nao|gi|chu tri|phu trach|duoc giao|thuc hien)\b"
    r"|\b(chu tri|phu trach|duoc giao|dam nhiem)\s+(nhung|cac)\s+(nhiem vu|viec|cong viec|hoat dong|noi dung)\b"
)
_SUPPORT = re.compile(r"\b(phoi hop|cung voi|ho tro)\b")
_LEAD_WHO = re.compile(r"\b(ai|co quan nao|don vi nao|so nao|(?<!van )ban nao|nganh nao|cap nao|noi nao|bo phan nao|to chuc nao|ai la)\b")
_DEADLINE = re.compile(
    r"\b(khi nao|bao gio|luc nao|thoi han|han chot|han hoan thanh|thoi gian hoan thanh|truoc ngay nao|den ngay nao"
    r"|ngay nao|thang nao|quy nao|nam nao|den khi nao|trong thoi gian nao|bao lau|deadline|han cuoi|cham nhat"
    r"|han (gui|nop|trinh|ban hanh|bao cao|xong|thuc hien))\b"
    r"|^\s*han\b(?!\s+che)"  # "Hạn gửi báo cáo …?" opens on the word itself
)
_TARGET = re.compile(
    r"\b(bao nhieu|muc nao|ty le|ti le|chi tieu|chi so .* (dat|la)|dat (muc|toi thieu|it nhat|bao nhieu|duoc)|toi thieu|it nhat|phan tram|muc tieu .* (la|dat))\b|%"
)

# Phrases that frame a question but say nothing about its subject (folded form);
# removed as whole phrases so that "cơ sở dữ liệu" keeps its "cơ sở".
_FRAME_PHRASES = sorted(
    [
        "co quan nao", "don vi nao", "so nao", "ban nao", "nganh nao", "cap nao", "noi nao", "bo phan nao",
        "to chuc nao", "ai la", "la ai", "chu tri", "chiu trach nhiem", "duoc giao", "giao cho", "dau moi",
        "phu trach", "dam nhiem", "phoi hop", "cung voi", "khi nao", "bao gio", "luc nao", "thoi han", "han chot",
        "han hoan thanh", "thoi gian hoan thanh", "hoan thanh", "truoc ngay nao", "den ngay nao", "ngay nao",
        "thang nao", "quy nao", "nam nao", "den khi nao", "bao lau", "han cuoi", "cham nhat", "bao nhieu",
        "muc nao", "phai dat", "can dat", "toi thieu", "it nhat", "phan tram", "can cu phap ly", "co so phap ly",
        "van ban phap ly", "can cu", "liet ke", "nhu the nao", "the nao", "xin cho biet", "cho biet",
        "toi muon biet", "nhung nhiem vu", "cac nhiem vu", "nhiem vu nao", "nhiem vu gi", "viec gi", "viec nao",
        "la gi", "tu dau", "o dau", "lay tu dau", "tu nguon nao", "nguon nao", "gom nhung gi", "gom nhung",
        "vi tri nao", "vi tri thu may", "thu may", "thu hang nao", "xep thu may", "xep hang nao", "phan dau dat",
        "phan dau", "yeu cau", "quy dinh",
    ],
    key=len,
    reverse=True,
)
_FRAME_PATTERN = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _FRAME_PHRASES) + r")\b")
_STOPWORDS = set(
    "ai gi nao la thi hay cua trong theo ve voi cho de duoc va cac nhung mot a vay phai can do ma o tai "
    "se da dang khong bi nay kia ay".split()
)


_SIGNER = re.compile(r"\b(ai ky|nguoi ky|ky boi|ky ten|ky ban hanh|ai la nguoi ky)\b")


def asks_for_signer(folded: str) -> bool:
    """"Quyết định 399/QĐ-UBND do ai ký?": answered from the document's signature, not its text."""
    return bool(_SIGNER.search(folded))


@dataclass(frozen=True)
class Question:
    """A classified question: its kind, the folded text, and the words that name its subject."""

    text: str
    folded: str
    kind: str
    subject_terms: list[str]
    agency: str | None = None  # for `list`: the agency whose tasks are listed


def classify(folded: str) -> str:
    """The kind of fact asked for; `passage` when no rule applies."""
    if _BASIS.search(folded):
        return "basis"
    if _LIST.search(folded):
        return "list"
    if _DEADLINE.search(folded):
        return "deadline"
    if _SUPPORT.search(folded) and (_LEAD_WHO.search(folded) or "voi ai" in folded or "nhung ai" in folded):
        return "support"
    if _LEAD_WHO.search(folded) and not _TARGET.search(folded):
        return "lead"  # "cơ quan nào / ai …" asks for an agent, whatever the verb
    if re.search(r"\b(chu tri|chiu trach nhiem|dau moi|phu trach)\b", folded) and re.search(r"\b(nao|ai|gi)\b", folded):
        return "lead"
    if _TARGET.search(folded):
        return "target"
    return "passage"


_AGENCY_HEAD = (
    r"(?:so|ubnd|uy ban nhan dan|van phong|ban|bo|cuc|chi cuc|vien|trung tam|phong|thanh tra|cong an|truong|dai|bao|"
    r"hoi dong|quan|huyen|thi xa|xa|phuong)"
)
# Agency names keep their abbreviations whole: "KT-XH", "TT&TT", "KH&ĐT", "P. Tư pháp".
_NAME_CHARS = r"[\w\s,&.-]"
_LIST_AGENCY = re.compile(
    rf"\b(?:do|cua|ma|giao)\s+({_AGENCY_HEAD}\b{_NAME_CHARS}*?)\s+(?:chu tri|phu trach|dam nhiem|thuc hien|duoc giao|lam dau moi)\b"
    rf"|\b({_AGENCY_HEAD}\b{_NAME_CHARS}*?)\s+(?:chu tri|phu trach|dam nhiem|duoc giao)\s+(?:nhung|cac)\b"
    rf"|\bgiao\s+(?:cho\s+)?({_AGENCY_HEAD}\b{_NAME_CHARS}*?)\s+(?:nhung|cac|la)\b"
)


def list_agency(folded: str) -> str | None:
    """For "những nhiệm vụ nào do Sở Nội vụ chủ trì", the agency in folded form."""
    match = _LIST_AGENCY.search(folded)
    if not match:
        return None
    agency = next(g for g in match.groups() if g)
    return agency.strip(" ,.-") or None


def subject_terms(folded: str) -> list[str]:
    """Folded syllables that carry the subject of the question (frame phrases removed)."""
    words = re.findall(r"[\w/%.-]+", _FRAME_PATTERN.sub(" ", folded))
    return [w.strip(".-") for w in words if w.strip(".-") and w.strip(".-") not in _STOPWORDS]


def understand(question: str) -> Question:
    """Classify a question and pull out what it is about."""
    folded = folded_form(" ".join(question.split()))
    kind = classify(folded)
    agency = list_agency(folded) if kind == "list" else None
    terms = subject_terms(folded)
    return Question(question, folded, kind, terms, agency)
