"""Document metadata from the printed header, by the conventions of Nghị định 30/2020/NĐ-CP.

An administrative document prints, in order: the issuing body (top left, with
its superior body above it), the national motto (top right), "Số: N/KH-UBND",
"Hà Nội, ngày 08 tháng 8 năm 2023", the type in capitals ("QUYẾT ĐỊNH") and the
trích yếu under it — or, for a Công văn, no type line but "V/v …" under the
number. The signature block ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ
TỊCH / name") closes it. Laws follow the same layout with "QUỐC HỘI" as body.

Real files bend this: two columns flattened into one line, the header lost
(a Quyết định that starts at its type line), the number and date missing but
repeated in an annex's "(Ban hành kèm theo Quyết định số … ngày …)", OCR'd
scans. Every field therefore has a main source and general fallbacks, never a
string from a particular file. What the text cannot give, a human can: a
``<file name>.meta.toml`` beside the document overrides any field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from indexer.doc_numbers import (
    DOC_TYPE_NAMES,
    DOC_TYPE_WORD_PATTERN,
    ISSUER_BY_CODE,
    LAW_TYPES,
    doc_type_from_number,
    doc_type_from_word,
    find_doc_numbers,
    issuer_code,
    parse_doc_number,
)
from indexer.normalise import edit_distance, fold_accents, has_diacritics
from indexer.model import Table
from indexer.records import STATUS_LABELS, DocumentMeta

OVERRIDE_SUFFIX = ".meta.toml"
HEADER_MAX_LINES = 120  # the header never runs longer (a crawled page's portal block comes first)

# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

# "26/01/2022", "20-5-1957", "11 tháng 01 năm 2022", "20/12/ 2019"
# (accents optional: OCR and unaccented typing give "ngay 3 thang 4 nam 2024")
DATE_BODY = r"(\d{1,2})\s*(?:[/.\-]\s*|th[áa]ng\s*)(\d{1,2})\s*(?:[/.\-]\s*|n[ăa]m\s*)(\d{4})"
DATE_RE = re.compile(rf"ng[àa]y\s*{DATE_BODY}", re.IGNORECASE)


def iso_date(day: str | int, month: str | int, year: str | int) -> str | None:
    """ISO "YYYY-MM-DD" if the parts make a real date, else None (OCR gives 31/02)."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first valid "ngày …" date in ``text`` as (ISO, match)."""
    for m in DATE_RE.finditer(text):
        iso = iso_date(m.group(1), m.group(2), m.group(3))
        if iso:
            return iso, m
    return None


# ---------------------------------------------------------------------------
# Casing: capitals in headers → readable text
# ---------------------------------------------------------------------------

# Names that keep their capitals inside otherwise lower-cased text (general usage, not per file).
PROPER_NAMES = (
    "Cộng hòa xã hội chủ nghĩa Việt Nam", "Việt Nam dân chủ cộng hòa", "Việt Nam", "Hà Nội",
    "Hồ Chí Minh", "Ủy ban thường vụ Quốc hội", "Quốc hội", "Thủ tướng Chính phủ", "Chính phủ",
    "Chủ tịch nước", "Mặt trận Tổ quốc", "Đảng Cộng sản Việt Nam", "Hội đồng nhân dân",
    "Ủy ban nhân dân", "Tòa án nhân dân", "Viện kiểm sát nhân dân", "Quân đội nhân dân",
    "Công an nhân dân", "Ngân hàng Nhà nước", "Thủ đô", "Trung ương", "Thành ủy", "Tỉnh ủy",
    "Hiến pháp",
)
_PROPER_RES = [
    (re.compile(rf"(?<!\w){re.escape(name.lower())}(?!\w)"), name)
    for name in sorted(PROPER_NAMES, key=len, reverse=True)
]


def is_mostly_upper(text: str, threshold: float = 0.8) -> bool:
    """True when most letters are capitals (a header line, a title printed in capitals)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= threshold


def _restore_proper_names(text: str) -> str:
    for pattern, name in _PROPER_RES:
        text = pattern.sub(name, text)
    return text


# A place name follows these words; in a title printed in capitals it gets its capitals back
# ("… TỈNH NGHỆ AN NHIỆM KỲ …" → "… tỉnh Nghệ An nhiệm kỳ …"): two words, the usual length.
_LOCALITY_BEFORE_NAME = re.compile(r"(?<!cấp )(?<!\w)(thành phố|tỉnh|quận|huyện|thị xã|phường|thị trấn)((?: [^\W\d_]+){1,2})")
_NOT_A_PLACE_WORD = {
    "năm", "và", "của", "trên", "các", "thuộc", "về", "trong", "để", "có", "là", "được", "theo", "tại",
    "với", "cho", "đến", "giai", "nhiệm", "trực", "đã", "sẽ", "từ", "nhằm", "này", "đó", "khác", "mới",
}


def _capitalise_place(m: re.Match[str]) -> str:
    out: list[str] = []
    for word in m.group(2).split():
        if word in _NOT_A_PLACE_WORD:
            break
        out.append(word[:1].upper() + word[1:])
    rest = m.group(2).split()[len(out) :]
    return " ".join([m.group(1), *out, *rest])


# One Vietnamese syllable (accent-folded): onset, vowel nucleus, final. A capitalised token that
# is not one is an abbreviation and keeps its capitals: "CCHC", "UBND", "SIPAS", "HIV", "XVII".
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"(?:[aeiouy]{1,3})"
    r"(?:ch|ng|nh|[cmnptk])?"  # final k: Central Highlands names ("ĐẮK LẮK", "ĐẮK NÔNG")
)


def _is_abbreviation(token: str) -> bool:
    folded = fold_accents(token).lower()
    return len(token) > 1 and folded.isalpha() and not _SYLLABLE.fullmatch(folded)


def _lower_keeping_abbreviations(text: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0) if _is_abbreviation(m.group(0)) else m.group(0).lower(), text)


def sentence_case(text: str) -> str:
    """A title printed in capitals as a sentence: "VỀ VIỆC … HÀ NỘI" → "Về việc … Hà Nội"."""
    # proper names first, so that a place wrapped over three words keeps them ("… Hồ Chí Minh")
    lowered = _restore_proper_names(_lower_keeping_abbreviations(text))
    lowered = _LOCALITY_BEFORE_NAME.sub(_capitalise_place, lowered)
    return lowered[:1].upper() + lowered[1:]


def title_case(text: str) -> str:
    """Every word capitalised: proper names of places ("HÀ NỘI" → "Hà Nội")."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


def readable_title(text: str) -> str:
    """Whitespace tidied; capitals turned into sentence case; first letter upper."""
    text = re.sub(r"\s+", " ", text).strip().strip("*").strip()
    if is_mostly_upper(text):
        return sentence_case(text)
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------
# Issuing bodies
# ---------------------------------------------------------------------------

# Heads of issuing bodies, by accent-folded capitals → readable head. Longest first.
_BODY_HEADS = {
    "UY BAN THUONG VU QUOC HOI": "Ủy ban Thường vụ Quốc hội",
    "UY BAN NHAN DAN": "UBND", "UBND": "UBND",
    "HOI DONG NHAN DAN": "HĐND", "HDND": "HĐND",
    "THU TUONG CHINH PHU": "Thủ tướng Chính phủ", "CHINH PHU": "Chính phủ",
    "QUOC HOI": "Quốc hội", "CHU TICH NUOC": "Chủ tịch nước",
    "BAN CHAP HANH TRUNG UONG": "Ban Chấp hành Trung ương",
    "THANH UY": "Thành ủy", "TINH UY": "Tỉnh ủy", "QUAN UY": "Quận ủy", "HUYEN UY": "Huyện ủy",
    "DANG UY": "Đảng ủy", "DANG BO": "Đảng bộ",
    "TONG CUC": "Tổng cục", "CHI CUC": "Chi cục", "CUC": "Cục", "VU": "Vụ",
    "VAN PHONG": "Văn phòng", "THANH TRA": "Thanh tra", "TRUNG TAM": "Trung tâm",
    "HOC VIEN": "Học viện", "VIEN": "Viện", "SO": "Sở", "BO": "Bộ", "PHONG": "Phòng",
    "KHO BAC": "Kho bạc", "BAN": "Ban", "TRUONG": "Trường", "DAI": "Đài",
    "TOA AN NHAN DAN": "Tòa án nhân dân", "VIEN KIEM SAT NHAN DAN": "Viện kiểm sát nhân dân",
    "KIEM TOAN NHA NUOC": "Kiểm toán nhà nước", "NGAN HANG NHA NUOC": "Ngân hàng Nhà nước",
    "MAT TRAN TO QUOC": "Mặt trận Tổ quốc", "HOI DONG": "Hội đồng", "UY BAN": "Ủy ban",
}
_HEADS_BY_LENGTH = sorted(_BODY_HEADS, key=len, reverse=True)
# Party committees are followed by a place name, not a field of work.
_PLACE_NAMED_HEADS = {"Thành ủy", "Tỉnh ủy", "Quận ủy", "Huyện ủy", "Đảng bộ"}
# Words naming a locality ("THÀNH PHỐ HÀ NỘI"), folded. "XÃ" only at the start: "XÃ HỘI" is a field.
_LOCALITY_WORDS = ("THANH PHO", "THI XA", "THI TRAN", "TINH", "QUAN", "HUYEN", "PHUONG", "XA")
_LOCALITY_MID = re.compile(r"\s(THANH PHO|THI XA|TINH|QUAN|HUYEN)\s")
# Titles of people heading an authority line ("CHỦ TỊCH ỦY BAN NHÂN DÂN …"), stripped to the body.
_PERSON_TITLES = (
    "PHO CHU TICH", "CHU TICH", "PHO GIAM DOC", "TONG GIAM DOC", "GIAM DOC", "BO TRUONG",
    "TONG CUC TRUONG", "CUC TRUONG", "VU TRUONG", "VIEN TRUONG", "CHANH AN", "TRUONG BAN",
    "CHANH VAN PHONG", "CHANH THANH TRA", "HIEU TRUONG", "TRUONG PHONG",
)
_MOTTO = re.compile(r"C[O\W]NG\s*H[OÒ]A\s*X|DOC\s*LAP\s*[-–]|TU\s*DO\s*[-–]\s*HANH|HANH\s*PHUC\s*$")
# The motto's words, folded. A narrow column wraps it anywhere ("CỘNG HÒA XÃ" / "HỘI CHỦ NGHĨA VIỆT
# NAM", "CỘNG" / "HÒA XÃ HỘI …"): a line made only of these words is a piece of it when it has two
# of them or one that belongs to nothing else ("CỘNG"; a lone "HÒA" may end "THANH HÓA").
_MOTTO_WORDS = {"CONG", "HOA", "XA", "HOI", "CHU", "NGHIA", "VIET", "NAM", "DOC", "LAP", "TU", "DO", "HANH", "PHUC"}
_MOTTO_ONLY_WORDS = {"CONG", "NGHIA", "DOC", "LAP", "PHUC"}


def _folded_upper(text: str) -> str:
    # Ð (U+00D0) is the look-alike of Đ that Word fonts print ("Ðộc lập"); one character for one.
    return fold_accents(text).upper().replace("Ð", "D")


def _strip_motto(line: str) -> tuple[str, bool]:
    """(the text before the national motto, whether the line held the motto or a piece of it).

    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI …" (two columns flattened) → ("ỦY BAN NHÂN DÂN", True);
    "CHỦ NGHĨA VIỆT NAM" (the motto wrapped) → ("", True).
    """
    folded = _folded_upper(line)
    words = re.findall(r"[A-Z]+", folded)
    if words and all(w in _MOTTO_WORDS for w in words) and (len(words) >= 2 or words[0] in _MOTTO_ONLY_WORDS):
        return "", True
    m = _MOTTO.search(folded)
    if m:
        return line[: m.start()].strip(), True
    return line, False


def _body_head(text: str) -> str | None:
    """The folded head an issuing-body text starts with ("SO" for "SỞ NỘI VỤ"), if any.

    Text with diacritics is compared with them ("SỐ" is not "SỞ"); only text
    without any (OCR, typed without accents) is compared folded.
    """
    text = text.strip()
    folded = _folded_upper(text)
    accented = text.upper() if has_diacritics(text) else None
    for head in _HEADS_BY_LENGTH:
        if not (folded == head or folded.startswith(head + " ")):
            continue
        if accented is not None and not _same_head(accented[: len(head)], head):
            continue
        return head
    return None


def _same_head(accented: str, head: str) -> bool:
    """The accented start of a line spells the head exactly (the readable head, in capitals)."""
    readable = _BODY_HEADS[head].upper()
    spelled = {readable, readable.replace("ỦY", "UỶ")}
    if head in ("UBND", "HDND"):
        spelled |= {"UBND", "HĐND"}
    if head == "UY BAN NHAN DAN":
        spelled |= {"ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN"}
    if head == "HOI DONG NHAN DAN":
        spelled |= {"HỘI ĐỒNG NHÂN DÂN"}
    return accented in spelled


def _split_locality(rest: str) -> tuple[str, str]:
    """("SỞ NỘI VỤ THÀNH PHỐ HÀ NỘI" minus head) → ("NỘI VỤ", "THÀNH PHỐ HÀ NỘI")."""
    folded = " " + _folded_upper(rest) + " "
    m = _LOCALITY_MID.search(folded)
    if not m or m.start() == 0:
        return rest, ""
    cut = m.start()  # positions match: folding keeps one character per character
    return rest[: cut - 1].strip(), rest[cut - 1 :].strip()


def _readable_locality(text: str) -> str:
    """"THÀNH PHỐ HÀ NỘI" → "thành phố Hà Nội" (the locality word lower, the name capitalised)."""
    folded = _folded_upper(text)
    for word in _LOCALITY_WORDS:
        if folded == word or folded.startswith(word + " "):
            n = len(word)
            return text[:n].lower() + (" " + title_case(text[n:]) if text[n:].strip() else "")
    return title_case(text)


def _field_case(text: str) -> str:
    """A field of work: first word and words after "và", "," or "-" capitalised ("Văn hóa và Thể thao")."""
    words = text.lower().split()
    out: list[str] = []
    capitalise = True
    for w in words:
        out.append(w[:1].upper() + w[1:] if capitalise else w)
        capitalise = w in {"và", "-", "–"} or w.endswith(",")
    return _restore_proper_names(" ".join(out))


def readable_body(text: str) -> str:
    """An issuing body printed in capitals, as people write it.

    "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" → "UBND thành phố Hà Nội";
    "SỞ VĂN HÓA VÀ THỂ THAO" → "Sở Văn hóa và Thể thao"; "QUỐC HỘI" → "Quốc hội".
    Text already in mixed case only gets "Ủy ban nhân dân" shortened to "UBND".
    """
    text = re.sub(r"\s+", " ", text).strip(" *,.;:")
    if not is_mostly_upper(text):
        text = re.sub(r"(?i)^(ủy|uỷ) ban nhân dân\b", "UBND", text)
        return re.sub(r"(?i)^hội đồng nhân dân\b", "HĐND", text)
    head = _body_head(text)
    if head is None:
        return _restore_proper_names(title_case(text))
    readable_head = _BODY_HEADS[head]
    rest = text[len(head) :].strip() if _folded_upper(text[: len(head)]) == head else ""
    if not rest:
        return readable_head
    if readable_head in _PLACE_NAMED_HEADS:
        return f"{readable_head} {title_case(rest)}"
    if any(_folded_upper(rest) == w or _folded_upper(rest).startswith(w + " ") for w in _LOCALITY_WORDS):
        return f"{readable_head} {_readable_locality(rest)}"
    field_part, locality = _split_locality(rest)
    parts = [readable_head, _field_case(field_part)]
    if locality:
        parts.append(_readable_locality(locality))
    return " ".join(parts)


def _strip_person_title(text: str) -> str:
    folded = _folded_upper(text)
    for title in _PERSON_TITLES:
        if folded.startswith(title + " "):
            rest = text[len(title) :].strip()
            return rest if _body_head(rest) else text
    return text


# ---------------------------------------------------------------------------
# Header lines
# ---------------------------------------------------------------------------

_SEPARATOR = re.compile(r"^[\s\-–—_*=~.·•|]*$")  # rules under the header, "|" between crawled cells
_BODY_START = re.compile(
    r"^\s*(?:căn\s+cứ|kính\s+gửi|"
    r"điều\s+(?:1|i)\b|chương\s+(?:1|i)\b|phần\s+(?:thứ|i\b|1\b)|(?:i|1)\s*[.)]\s|lời\s+nói\s+đầu)",
    re.IGNORECASE,
)
# Sentences that open the body; in capitals they are a title instead ("THỰC HIỆN LỘ TRÌNH …").
_SENTENCE_START = re.compile(r"^\s*(?:thực\s+hiện|theo\s+đề\s+nghị|xét\s+đề\s+nghị|để\s|nhằm\s)", re.IGNORECASE)
_NUMBER_LINE = re.compile(r"(?:^|[\s(])s[oốôồ6]\s*:+", re.IGNORECASE)
_VV_LINE = re.compile(r"^\s*v\s*/\s*v\b\.?\s*:?\s*", re.IGNORECASE)
_DATE_LINE = re.compile(
    rf"(?P<place>[^\W\d_][^,;:\n]{{0,60}}?)\s*,\s*ng[àa]y\s*{DATE_BODY}", re.IGNORECASE
)
_TYPE_LINE = re.compile(
    r"^(?P<type>" + "|".join(re.escape(n.upper()) for n in DOC_TYPE_NAMES) + r")(?:\s+(?P<rest>.*))?$"
)
# Titles that restate number and date, as legal databases print them:
# "SỐ 18-L/CTN NGÀY 06/07/1993 CỦA QUỐC HỘI VỀ DẦU KHÍ", "CỦA QUỐC HỘI … SỐ 28/2001/QH10 VỀ …"
_OF_ISSUER = (
    r"CỦA\s+(?:QUỐC\s+HỘI|CHÍNH\s+PHỦ|THỦ\s+TƯỚNG|CHỦ\s+TỊCH|ỦY\s+BAN|UBND|HĐND|HỘI\s+ĐỒNG|BỘ\s+(?!LUẬT))"
    r"[^\d]*?"
)
_TITLE_NUMBER_PREFIX = re.compile(
    rf"^(?:{_OF_ISSUER}\s+)?SỐ\s*:?\s*(?P<num>\d\S*)(?:\s+NGÀY\s+{DATE_BODY})?\s*"
    r"(?:CỦA\s+(?P<issuer>.+?)\s+(?=VỀ\s))?(?:VỀ\s+(?:VIỆC\s+)?(?:(?:BỘ\s+)?LUẬT\s+)?)?(?P<rest>.*)$",
    re.IGNORECASE,
)
# … or after the name: "DOANH NGHIỆP TƯ NHÂN CỦA QUỐC HỘI SỐ 48-LCT/HĐNN8 NGÀY 21/12/1990"
_TITLE_NUMBER_SUFFIX = re.compile(
    rf"^(?P<rest>.+?)\s+(?:{_OF_ISSUER}\s+)?SỐ\s*:?\s*(?P<num>\d\S*)(?:\s+NGÀY\s+{DATE_BODY})?"
    r"(?:\s+CỦA\s+[^\d]+)?$",
    re.IGNORECASE,
)
# A law names itself: "Quốc hội ban hành Luật Mặt trận Tổ quốc Việt Nam."
_LAW_SELF_NAME = re.compile(r"^\s*Quốc hội ban hành (?P<name>(?:Bộ luật|Luật) \w.*?)\s*[.,;]?\s*$")


def _is_body_start(line: str) -> bool:
    """The first line of the body ("Căn cứ …", "Kính gửi", "Điều 1.", "I. …", "Thực hiện …")."""
    return bool(_BODY_START.match(line) or (_SENTENCE_START.match(line) and not is_mostly_upper(line)))


def _clean(line: str) -> str:
    return line.replace("**", "").strip()


def _header_end(lines: list[str]) -> int:
    """Index of the first body line ("Căn cứ", "Kính gửi", "I. …"); the header is above it.

    A narrow column may wrap the opener itself ("Căn" / "cứ Luật …"): a one-word line is read
    with the next one.
    """
    limit = min(len(lines), HEADER_MAX_LINES)
    for i in range(limit):
        line = _clean(lines[i])
        if _is_body_start(line):
            return i
        if i + 1 < len(lines) and re.fullmatch(r"[^\W\d_]+", line) and _is_body_start(f"{line} {_clean(lines[i + 1])}"):
            return i
    return limit


@dataclasses.dataclass
class _Header:
    """Where each element of the header was found (line indexes into the document)."""

    lines: list[str]
    end: int
    number_line: int | None = None
    date_line: int | None = None
    type_line: int | None = None
    vv_line: int | None = None


def _fuzzy_type_line(line: str) -> str | None:
    """An OCR'd type line ("KE HOi%CH") within one or two edits of a type name."""
    if len(line) > 24 or not is_mostly_upper(line, 0.7):
        return None
    letters = re.sub(r"\s+", " ", re.sub(r"[^A-Z ]", "", _folded_upper(line).replace("%", ""))).strip()
    best: tuple[int, str] | None = None
    for name in DOC_TYPE_NAMES:
        target = _folded_upper(name)
        if len(target) < 6:
            continue
        dist = edit_distance(letters, target)
        allowed = 2 if len(target) >= 8 else 1
        if dist <= allowed and (best is None or dist < best[0]):
            best = (dist, name)
    return best[1] if best else None


def _scan_header(lines: list[str]) -> _Header:
    header = _Header(lines=lines, end=_header_end(lines))
    for i in range(header.end):
        line = _clean(lines[i])
        if not line:
            continue
        if header.number_line is None and _NUMBER_LINE.search(_folded_upper(line).lower()):
            header.number_line = i
        if header.date_line is None and _date_line_match(line):
            header.date_line = i
        if header.type_line is None and _type_line_match(line):
            header.type_line = i
        if header.vv_line is None and _VV_LINE.match(line):
            header.vv_line = i
    if header.type_line is None:
        for i in range(header.end):
            if _fuzzy_type_line(_clean(lines[i])):
                header.type_line = i
                break
    return header


def _type_line_match(line: str) -> re.Match[str] | None:
    """A line that is the type in capitals, alone or followed by more capitals; not "QUYẾT ĐỊNH:"."""
    if line.endswith(":"):
        return None
    m = _TYPE_LINE.match(line)
    if not m:
        return None
    rest = m.group("rest") or ""
    if rest and not is_mostly_upper(rest):
        return None
    return m


def _date_line_match(line: str) -> re.Match[str] | None:
    for m in _DATE_LINE.finditer(line):
        if iso_date(m.group(2), m.group(3), m.group(4)):
            return m
    return None


# ---------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------


def _place_from_date_line(line: str, m: re.Match[str]) -> str | None:
    """The place before ", ngày": "Hà Nội"; in a flattened line "Số: 77/QĐ-UBND Ba Đình" → "Ba Đình"."""
    raw = line[: m.end("place")]
    found = find_doc_numbers(raw)
    if found:
        raw = raw[found[-1].end :]
    raw = re.split(r"(?i)\bs[oố]\s*:", raw)[-1]
    raw = re.sub(r"^[^\w]*(?:[\w.]*[/\-][\w./\-]*)?", "", raw.strip()).strip()  # "/QĐ-UBND" of a blank number
    words = raw.split()
    if not words or len(words) > 6 or any(ch.isdigit() for ch in raw):
        return None
    return title_case(raw) if is_mostly_upper(raw) else raw


def _type_from_header(h: _Header) -> tuple[str | None, str]:
    """(type, trailing text on the type line) from the capitalised type line."""
    if h.type_line is None:
        return None, ""
    line = _clean(h.lines[h.type_line])
    m = _type_line_match(line)
    if m:
        return doc_type_from_word(m.group("type")), (m.group("rest") or "").strip()
    return _fuzzy_type_line(line), ""


def _is_authority_line(line: str) -> bool:
    """A capitalised line naming who issues ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "BỘ TRƯỞNG BỘ NỘI VỤ")."""
    if not is_mostly_upper(line):
        return False
    folded = _folded_upper(line)
    return _body_head(line) is not None or any(folded.startswith(t + " ") for t in _PERSON_TITLES)


_TITLE_GOES_ON = re.compile(r"(?i)\b(?:của|về|và|cho|tại|với|thuộc|trên|đến|các|đối)$")


def _title_after_type(h: _Header, same_line: str) -> tuple[list[str], int]:
    """The trích yếu lines under the type line, and the index where it stopped."""
    parts = [same_line] if same_line else []
    i = (h.type_line or 0) + 1
    while i < h.end and not _clean(h.lines[i]) and not parts:
        i += 1
    while i < h.end:
        line = _clean(h.lines[i])
        if not line or _SEPARATOR.match(line):
            break
        if (
            # the line right under the type is the title; after "… CỦA" the title goes on
            (parts and _is_authority_line(line) and not _TITLE_GOES_ON.search(parts[-1])
             and not re.search(r"[\d,]", line))  # "… MÔI" / "TRƯỜNG KHÔNG KHÍ GIAI ĐOẠN 2026 - 2030": still the title
            or line.startswith("(")
            or i in (h.number_line, h.date_line)
            or _VV_LINE.match(line)
            or line.endswith((";", ":"))
            or (parts and _MOTTO.search(_folded_upper(line)))
            # a trích yếu in capitals ends where the body's first sentence begins
            or (parts and all(is_mostly_upper(p) for p in parts) and not is_mostly_upper(line))
        ):
            break
        parts.append(line)
        i += 1
        if sum(len(p) for p in parts) > 500:
            break
    return parts, i


def _vv_title(h: _Header) -> str | None:
    if h.vv_line is None:
        return None
    first = _VV_LINE.sub("", _clean(h.lines[h.vv_line]))
    parts = [first] if first else []
    for i in range(h.vv_line + 1, h.end):
        line = _clean(h.lines[i])
        if not line or i in (h.number_line, h.date_line) or _SEPARATOR.match(line):
            break
        if re.match(r"(?i)kính\s+gửi", line) or _is_authority_line(line):
            break
        parts.append(line)
    return " ".join(parts) if parts else None


# ---------------------------------------------------------------------------
# The letterhead: issuing bodies, "Số: …", "<place>, ngày … tháng … năm …"
# ---------------------------------------------------------------------------

# Words a wrapped body name goes on after ("SỞ NÔNG NGHIỆP VÀ" / "MÔI TRƯỜNG").
_BODY_GOES_ON = re.compile(r"(?:\bV[ÀA]|[-–,&])$", re.IGNORECASE)
# Any printed "<place>, ngày … tháng … năm YYYY", the day and month possibly left blank (a draft:
# "Lâm Đồng, ngày   tháng 12 năm 2025") or illegible (a scan).
_DATE_FIELD = re.compile(
    r"(?P<place>[^\W\d_][^,;:\n]{0,60}?)\s*,\s*ng[àa]y[^,;\n]{0,14}?th[áa]ng[^,;\n]{0,14}?n[ăaáâ]m\s*\d{4}",
    re.IGNORECASE,
)
# A date whose line was wrapped: it stops after "ngày", its day, its month, or after "<place>,".
_DATE_GOES_ON = re.compile(
    r"(?:,\s*ng[àa]y(?:\s+\d{1,2})?(?:\s+th[áa]ng(?:\s+\d{1,2})?(?:\s+n[ăa]m)?)?|,)\s*$", re.IGNORECASE
)
# "Số 123/KH-UBND": the field printed without its colon, at the start of a letterhead line.
_NUMBER_NO_COLON = re.compile(r"s[ốo]\s+(?=\d{1,5}\s*/)", re.IGNORECASE)
# A code after a blank or illegible number: "Số:      /KH-UBND", "Số: /UBND-NC", "So: /f'Z/KH - SVHTT".
_BLANK_NUMBER_CODE = re.compile(r"/\s*([A-Za-zĐđÐ]{1,8})\s*[-–]\s*([A-Za-zĐđÐ][\w.]*)")


@dataclasses.dataclass
class _Letterhead:
    """What the letterhead prints. ``*_printed``: the field is there, though maybe left blank."""

    bodies: list[str] = dataclasses.field(default_factory=list)  # top to bottom: superior body, issuer
    number_printed: bool = False
    number: str | None = None
    number_type: str | None = None  # the type a blank number's code implies ("/KH-UBND" → Kế hoạch)
    date_printed: bool = False
    date: str | None = None
    place: str | None = None
    summary: str | None = None  # a Công văn's trích yếu under the number ("V/v …", "Về …")


def _field_clean(line: str) -> str:
    """A header line without markdown emphasis ("**SỐ**", "*Hà Nội, ngày …*")."""
    return re.sub(r"[*_]{1,3}", "", line).strip()


# Heads that name a whole body on their own; any other head is followed by what it is of
# ("VĂN PHÒNG" … "CHÍNH PHỦ", "BỘ" … "NỘI VỤ").
_WHOLE_BODY_HEADS = {
    "CHINH PHU", "THU TUONG CHINH PHU", "QUOC HOI", "CHU TICH NUOC", "UY BAN THUONG VU QUOC HOI",
    "KIEM TOAN NHA NUOC", "NGAN HANG NHA NUOC", "BAN CHAP HANH TRUNG UONG",
}


def _bare_head(text: str) -> bool:
    """A line that is only a body's head, one that needs a name after it ("VĂN PHÒNG", "SỞ")."""
    head = _body_head(text)
    return head is not None and head not in _WHOLE_BODY_HEADS and _folded_upper(text).strip() == head


def _split_bodies(lines: list[str]) -> list[str]:
    """Issuing bodies from the capitalised lines of the issuer column, top to bottom.

    A narrow column wraps a name anywhere ("VĂN" / "PHÒNG CHÍNH PHỦ", "THỦ TƯỚNG" / "CHÍNH PHỦ",
    "ỦY BAN NHÂN" / "DÂN" / "THÀNH PHỐ HÀ NỘI"), so a line starts a new body only when it
    starts with a body's head that is not the end of the name above, and the line above does
    not end in "VÀ" or a dash.
    """
    bodies: list[str] = []
    for line in lines:
        if not bodies:
            bodies.append(line)
            continue
        prev = bodies[-1]
        joined = f"{prev} {line}"
        joined_head = _body_head(joined)
        if joined_head is not None and len(joined_head) > len(_folded_upper(prev).strip()):
            bodies[-1] = joined  # the head itself was wrapped
        elif _body_head(prev) is None:
            bodies[-1] = line  # a line that starts no name (a portal's banner): dropped
        elif _body_head(line) is None or _BODY_GOES_ON.search(prev) or _bare_head(prev):
            bodies[-1] = joined  # "VĂN PHÒNG" / "CHÍNH PHỦ": a head alone names no body yet
        else:
            bodies.append(line)
    return [b for b in bodies if _body_head(b)]


def _locality_of(body: str) -> str | None:
    """The locality of a UBND/HĐND ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" → "thành phố Hà Nội")."""
    m = re.search(r"((?:thành phố|tỉnh|quận|huyện|thị xã|xã|phường|thị trấn|đặc khu)\s+.+)$", readable_body(body))
    return m.group(1) if m else None


def _issuer_from_bodies(bodies: list[str]) -> str | None:
    """The lowest body is the issuer; a superior UBND/HĐND lends it its locality.

    "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH" / "SỞ GIÁO DỤC VÀ ĐÀO TẠO" → "Sở Giáo dục và Đào
    tạo thành phố Hồ Chí Minh"; a bare "VĂN PHÒNG" under it → "Văn phòng UBND thành phố …".
    """
    if not bodies:
        return None
    issuer = readable_body(bodies[-1])
    if len(bodies) >= 2 and _BODY_HEADS.get(_body_head(bodies[-2]) or "") in {"UBND", "HĐND"}:
        superior = readable_body(bodies[-2])
        if issuer == _BODY_HEADS.get(_body_head(bodies[-1]) or ""):
            return f"{issuer} {superior}"
        locality = _locality_of(bodies[-2])
        has_own_locality = re.search(r"\b(?:thành phố|tỉnh|quận|huyện|thị xã|xã|phường|thị trấn|đặc khu)\s", issuer)
        name = locality.split(" ", 2)[-1] if locality else None
        if locality and not has_own_locality and name and name not in issuer:
            issuer = f"{issuer} {locality}"
    return issuer


def _number_in_field(value: str) -> str | None:
    """The number a "Số:" field prints at its start ("28 /KH-UBND" → "28/KH-UBND"), else None.

    A code segment may end in a dotted unit ("11554/VPCP-V.I": Vụ I of the Office).
    """
    found = find_doc_numbers(value)
    if not found or value[: found[0].start].strip(" .:*"):
        return None
    number = found[0].number
    unit = re.match(r"\.([A-ZĐ0-9]{1,4})(?![\w.])", value[found[0].end :])
    if unit and not number[-1].isdigit():
        number = f"{number}.{unit.group(1)}"
    return number


def _type_of_blank_number(value: str) -> str | None:
    """The type a blank number's code implies: "/KH-UBND" → Kế hoạch, "/UBND-NC" → Công văn."""
    m = _BLANK_NUMBER_CODE.search(value)
    return doc_type_from_number(f"1/{m.group(1)}-{m.group(2)}") if m else None


def _date_field(text: str) -> re.Match[str] | None:
    """A "<place>, ngày …" field: a real date ("ngày 05/3/2025" too), else one printed blank."""
    return _date_line_match(text) or _DATE_FIELD.search(text)


def _date_in_lines(lines: list[str]) -> tuple[bool, str | None, str | None]:
    """(printed, ISO date, place) of the "<place>, ngày …" field among the lines of one column.

    The field may wrap ("Hà Nội, ngày 20" / "tháng 11 năm 2025", "Đồng Tháp," / "ngày 19 …") and
    its place may too ("Thành phố Hồ Chí" / "Minh, ngày 18 …"): those lines are read joined.
    """
    for k, line in enumerate(lines):
        text = line
        if not _date_field(text) and _DATE_GOES_ON.search(text):
            for extra in lines[k + 1 : k + 3]:
                text = f"{text} {extra}"
                if _date_field(text):
                    break
        m = _date_field(text)
        if not m:
            continue
        prev = lines[k - 1] if k else ""
        if (
            m.start() == 0 and prev and not _date_field(prev) and len(prev.split()) <= 4
            and not any(ch.isdigit() or ch in ":/" for ch in prev) and not is_mostly_upper(prev)
        ):
            text = f"{prev} {text}"  # the place began on the line above
        full = _date_line_match(text)
        if full:
            return True, iso_date(full.group(2), full.group(3), full.group(4)), _place_from_date_line(text, full)
        m = _DATE_FIELD.search(text)
        return True, None, _place_from_date_line(text, m) if m else None
    return False, None, None


def _summary_under_number(lines: list[str]) -> str | None:
    """The trích yếu a Công văn prints under its number ("V/v …" or "Về …"), up to the date."""
    parts: list[str] = []
    for line in lines:
        if _date_field(line) or re.search(r"(?i),\s*ng[àa]y\b", line) or (parts and is_mostly_upper(line)):
            break
        if not parts and not re.match(r"(?:v\s*/\s*v\b|về\s)", line, re.IGNORECASE):
            return None
        parts.append(line)
    return _VV_LINE.sub("", " ".join(parts)).strip() or None


def _read_letterhead(columns: list[list[str]]) -> _Letterhead:
    """The letterhead's fields from its columns (table cells, or runs of header lines) in reading order.

    Per Nghị định 30/2020/NĐ-CP the left column prints the superior body, the issuing body and
    "Số: …"; the right one the motto and "<place>, ngày … tháng … năm …". Bodies are the
    capitalised lines printed before any number or date; the motto, wherever it wraps, is
    dropped.
    """
    lh = _Letterhead()
    issuer_lines: list[str] = []
    for column in columns:
        kept: list[str] = []
        for raw in column:
            line, _ = _strip_motto(_field_clean(raw))
            if line and not _SEPARATOR.match(line):
                kept.append(line)
        for k, line in enumerate(kept):
            number_m = _NUMBER_LINE.search(_folded_upper(line).lower()) or _NUMBER_NO_COLON.match(line)
            if number_m and not lh.number_printed:
                lh.number_printed = True
                before = line[: number_m.start()].strip()
                if before and is_mostly_upper(before) and not (lh.number or lh.date_printed):
                    issuer_lines.append(before)  # "ỦY BAN NHÂN DÂN Số: …" flattened
                value = line[number_m.end() :].strip()
                if not re.search(r"\w", value) and k + 1 < len(kept):
                    value = kept[k + 1]  # "Số:" / "122/2025/QĐ-UBND"
                lh.number = _number_in_field(value)
                lh.number_type = None if lh.number else _type_of_blank_number(value)
                lh.summary = _summary_under_number(kept[k + 1 :])
                continue
            if (
                not lh.number_printed and not lh.date_printed and is_mostly_upper(line)
                and not _date_field(line)
            ):
                issuer_lines.append(line)
        if not lh.date_printed:
            printed, date, place = _date_in_lines(kept)
            if printed:
                lh.date_printed, lh.date, lh.place = True, date, place
    lh.bodies = _split_bodies(issuer_lines)
    return lh


def _table_columns(table: Table) -> list[list[str]]:
    """The letterhead table's cells in reading order, each as its lines, content cells left out."""
    columns: list[list[str]] = []
    seen: set[tuple[int, int, str]] = set()
    for row in table.rows:
        for cell in row:
            key = (cell.line_start, cell.line_end, cell.text)
            if cell.blank or cell.carried or key in seen:
                continue
            seen.add(key)
            lines: list[str] = []
            for raw in cell.text.split("\n"):
                line = _field_clean(raw)
                if _is_body_start(line) or _type_line_match(line) or _VV_LINE.match(line):
                    break  # a cell that runs on into the title or the body (a broken table)
                lines.append(line)
            columns.append(lines)
    return columns


def _line_columns(h: _Header) -> list[list[str]]:
    """The header's lines above the type line, in runs between blank and rule lines.

    A Word table flattened into text ("ỦY BAN NHÂN DÂN / TỈNH X | CỘNG HÒA … / Độc lập …") gives
    one run per cell. The "V/v …" trích yếu of a Công văn, under the number, is left out; the
    date may follow it.
    """
    stop = min(x for x in (h.type_line, h.end) if x is not None)
    columns: list[list[str]] = [[]]
    in_vv = False
    for i in range(stop):
        line = _field_clean(h.lines[i])
        if " | " in line:
            columns.extend([part.strip() for part in cell.split(" / ")] for cell in line.split(" | "))
            columns.append([])
            in_vv = False
        elif not line or _SEPARATOR.match(line):
            columns.append([])
            in_vv = False
        elif _VV_LINE.match(line):
            columns.append([])
            in_vv = True
        elif in_vv and not (
            _NUMBER_LINE.search(_folded_upper(line).lower()) or _date_field(line) or _DATE_GOES_ON.search(line)
        ):
            continue
        else:
            if in_vv:
                columns.append([])
                in_vv = False
            columns[-1].append(line)
    return [c for c in columns if c]


def _letterhead(h: _Header, tables: list[Table] | None) -> _Letterhead:
    """The letterhead read from its table when the reader found one, else from the header lines."""
    from_lines = _read_letterhead(_line_columns(h))
    table = next((t for t in tables or () if t.role == "letterhead"), None)
    if table is None:
        return from_lines
    lh = _read_letterhead(_table_columns(table))
    # A cell the reader left out of its table (a blank line inside it) is still in the lines.
    if not lh.bodies:
        lh.bodies = from_lines.bodies
    if not lh.number_printed:
        lh.number_printed, lh.number, lh.number_type = (
            from_lines.number_printed, from_lines.number, from_lines.number_type)
        lh.summary = lh.summary or from_lines.summary
    if not lh.date_printed:
        lh.date_printed, lh.date, lh.place = from_lines.date_printed, from_lines.date, from_lines.place
    return lh


# ---------------------------------------------------------------------------
# A crawled page's properties block ("Số hiệu: … Loại văn bản: … Ngày ban hành: …")
# ---------------------------------------------------------------------------

_PORTAL_LABEL = re.compile(
    r"^\s*(?P<label>số hiệu|loại văn bản|nơi ban hành|cơ quan ban hành|ngày ban hành)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)


def _portal_fields(h: _Header) -> dict[str, str]:
    """The properties a legal portal prints above a crawled document, by folded label.

    Read only for what the document's own header does not print (the letterhead was lost).
    """
    fields: dict[str, str] = {}
    for i in range(h.end):
        m = _PORTAL_LABEL.match(_field_clean(h.lines[i]))
        if not m:
            continue
        value = m.group("value").strip(" |")
        j = i + 1
        while not value and j < min(h.end, i + 4):
            nxt = _field_clean(h.lines[j])
            if _PORTAL_LABEL.match(nxt):
                break
            value = nxt.strip(" |")
            j += 1
        if value:
            fields.setdefault(fold_accents(m.group("label")).lower(), value)
    return fields


def _portal_issuer(fields: dict[str, str], number: str | None) -> str | None:
    """"Nơi ban hành: Bộ Nội vụ" → "Bộ Nội vụ"; a locality ("Thành phố Hồ Chí Minh") names the
    People's Committee or Council whose code the number carries."""
    value = fields.get("noi ban hanh") or fields.get("co quan ban hanh")
    if not value:
        return None
    upper = value.upper()
    if _body_head(upper):
        return readable_body(upper)
    folded = _folded_upper(value)
    code = issuer_code(number) if number else None
    body = _BODY_HEADS.get(fold_accents(code or "").upper().replace("Ð", "D"))
    if body in ("UBND", "HĐND") and any(folded == w or folded.startswith(w + " ") for w in _LOCALITY_WORDS):
        return f"{body} {_readable_locality(value)}"
    return None


def _portal_date(fields: dict[str, str]) -> str | None:
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", fields.get("ngay ban hanh", ""))
    return iso_date(m.group(1), m.group(2), m.group(3)) if m else None


def _issuer_from_authority_line(h: _Header, start: int) -> str | None:
    """The capitalised line between the trích yếu and "Căn cứ" (the header may have lost its block)."""
    for i in range(start, h.end):
        line = _clean(h.lines[i])
        if line and _is_authority_line(line) and not _MOTTO.search(_folded_upper(line)):
            return readable_body(_strip_person_title(line))
    return None


@dataclasses.dataclass
class _Annex:
    """A "(Ban hành kèm theo Quyết định số N ngày … của …)" line: the parent document restated."""

    doc_type: str | None
    number: str | None
    date: str | None
    issuer: str | None


_ANNEX = re.compile(rf"kèm\s+theo\s+(?P<type>{DOC_TYPE_WORD_PATTERN})\b", re.IGNORECASE)


def _annex_lines(lines: list[str]) -> list[_Annex]:
    """Every parenthesised "kèm theo <Type> …" line (joined with its wrapped continuation)."""
    found: list[_Annex] = []
    for i, raw in enumerate(lines):
        line = _clean(raw)
        if not (line.startswith("(") or re.match(r"(?i)(?:ban hành\s+)?kèm theo\s", line)):
            continue
        m = _ANNEX.search(line)
        if not m:
            continue
        span = line
        j = i + 1
        while ")" not in span and j < len(lines) and j <= i + 3:
            span = f"{span} {_clean(lines[j])}"
            j += 1
        span = span.split(")", 1)[0]
        tail = span[m.end() :]
        numbers = find_doc_numbers(tail)
        date = find_date(tail)
        issuer_m = re.search(r"\bcủa\s+(.+?)\s*$", tail)
        found.append(
            _Annex(
                doc_type=doc_type_from_word(m.group("type")),
                number=numbers[0].number if numbers else None,
                date=date[0] if date else None,
                issuer=readable_body(issuer_m.group(1)) if issuer_m else None,
            )
        )
    return found


def _looks_like_name(line: str) -> str | None:
    """A person's name ("Lê Hồng Sơn", "NGUYỄN VĂN A" → capitalised), else None."""
    line = line.strip(" *.")
    if len(line) > 60:
        return None
    words = line.split()
    if not 2 <= len(words) <= 6 or not all(w.isalpha() for w in words):
        return None
    if all(w.isupper() for w in words):
        if _body_head(line) or _is_signature_title(line):
            return None
        return title_case(line)
    if all(w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words):
        return line
    return None


_SIGN_TITLE = re.compile(
    r"^(?:(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\s*\.\s*)?"
    r"(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TỔNG\s+GIÁM\s+ĐỐC|BỘ\s+TRƯỞNG|THỨ\s+TRƯỞNG|THỦ\s+TƯỚNG|"
    r"CHÁNH\s+VĂN\s+PHÒNG|TRƯỞNG\s+BAN|BÍ\s+THƯ|CỤC\s+TRƯỞNG|TỔNG\s+CỤC\s+TRƯỞNG|VỤ\s+TRƯỞNG|"
    r"CHÁNH\s+THANH\s+TRA|TRƯỞNG\s+PHÒNG|VIỆN\s+TRƯỞNG|HIỆU\s+TRƯỞNG|CHÁNH\s+ÁN|THỦ\s+TRƯỞNG|"
    r"TỔNG\s+KIỂM\s+TOÁN|CHỦ\s+NHIỆM)\b"
)
_SIGN_PREFIX = re.compile(r"^(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\s*\.\s*\S")
_SIGNED_NOTE = re.compile(r"(?i)^[(\[]?\s*(?:đã\s+ký|ký\s+tên|ký\s+bởi|daky|đã\s+ký\s+và\s+đóng\s+dấu)\b.*$")


def _is_signature_title(line: str) -> bool:
    if len(line) > 80 or not (_SIGN_TITLE.match(line) or _SIGN_PREFIX.match(line)):
        return False
    return len(line.split()) <= 10 and is_mostly_upper(line)


def _name_under_title(block: list[str]) -> str | None:
    """The signer's name in the lines under a signature title, else None.

    The title may wrap ("TM. ỦY BAN" / "NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / name): a line
    in capitals followed by another title is the title's tail, not a name.
    """
    lines: list[str] = []
    for raw in block:
        line = _clean(raw)
        if line == "|":
            break  # the end of a crawled cell
        if line and not _SIGNED_NOTE.match(line):
            lines.append(line)
    for k, line in enumerate(lines[:8]):
        if _is_signature_title(line):
            continue
        name = _looks_like_name(line)
        if not name:
            return None
        if line.isupper() and k + 1 < len(lines) and _is_signature_title(lines[k + 1]):
            continue
        return name
    return None


def _signer(lines: list[str], start: int, tables: list[Table] | None = None) -> str | None:
    """The name under the first signature block ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / name").

    Then the signature table's signer cell (a Word table prints the block as one row), and
    last a name followed by "(Đã ký)", the form of older laws.
    """
    for i in range(start, len(lines)):
        if _is_signature_title(_clean(lines[i])):
            name = _name_under_title(lines[i + 1 : i + 16])
            if name:
                return name
    for table in tables or ():
        if table.role != "signature":
            continue
        for cell in (c for row in table.rows for c in row):
            cell_lines = cell.text.split("\n")
            for k, line in enumerate(cell_lines):
                if _is_signature_title(_clean(line)):
                    name = _name_under_title(cell_lines[k + 1 :])
                    if name:
                        return name
                    break
    for i in range(start, len(lines) - 1):
        name = _looks_like_name(_clean(lines[i]))
        if not name:
            continue
        nxt = [_clean(x) for x in lines[i + 1 : i + 3] if _clean(x)]
        if nxt and _SIGNED_NOTE.match(nxt[0]):
            return name
    return None


# A type name right before "SỐ": the title cites that document, it does not restate its own number.
_CITED_TYPE_BEFORE = re.compile(rf"(?:^|\s)(?:{DOC_TYPE_WORD_PATTERN})\s*$", re.IGNORECASE)


def _own_number_fits(number: str, doc_type: str | None) -> bool:
    """Whether a number restated outside the letterhead can be the document's own.

    Its type code must be the document's type: a Quyết định is not "72/2025/QH15" (a law) nor
    "78/2025/NĐ-CP". Laws printed by legal databases keep old shapes ("48-LCT/HĐNN8") and pass.
    """
    if doc_type is None or doc_type in LAW_TYPES:
        return True
    implied = doc_type_from_number(number)
    if implied in (None, "Công văn"):
        return True
    if implied == "Luật":
        return doc_type == "Nghị quyết"  # a Nghị quyết of Quốc hội shares the law's shape
    return implied == doc_type


def _split_title_number(title: str) -> tuple[str, str | None, str | None]:
    """(title, number, ISO date) of a title that restates its number and date, else (title, None, None)."""
    for pattern in (_TITLE_NUMBER_PREFIX, _TITLE_NUMBER_SUFFIX):
        m = pattern.match(title) if title else None
        if not m:
            continue
        if pattern is _TITLE_NUMBER_SUFFIX and _CITED_TYPE_BEFORE.search(m.group("rest")):
            continue  # "BÃI BỎ QUYẾT ĐỊNH SỐ 22/2025/QĐ-UBND …": another document, cited
        found = find_doc_numbers(m.group("num"))
        if not found:
            continue
        date = iso_date(m.group(2), m.group(3), m.group(4)) if m.group(4) else None
        return m.group("rest").strip(" ,;"), found[0].number, date
    return title, None, None


def _law_self_name(lines: list[str], start: int, doc_type: str) -> str | None:
    """The name a law gives itself in "Quốc hội ban hành Luật …" (exact casing), if present."""
    for line in lines[start : start + 40]:
        m = _LAW_SELF_NAME.match(line)
        if not m or not m.group("name").startswith(doc_type + " "):
            continue
        first = m.group("name")[len(doc_type) + 1 :][:1]
        if first.isupper():  # "Luật thanh tra," is a sentence, not the name as titled
            return m.group("name")
    return None


def _law_title(doc_type: str, name: str) -> str:
    """"Luật" + "BÁO CHÍ" → "Luật Báo chí", as laws are cited.

    Hiến pháp keeps "nước" lower; an amending law reads "Luật sửa đổi, bổ sung
    … của Luật Đầu tư …" (the amended law's name capitalised, "sửa đổi" not).
    """
    name = re.sub(r"(?i)^về\s+(?:việc\s+)?", "", name.strip())
    readable = readable_title(name)
    if doc_type == "Hiến pháp" or re.match(r"(?i)sửa đổi|bổ sung", readable):
        readable = readable[:1].lower() + readable[1:]
    readable = re.sub(
        r"(?<=của )(bộ luật|luật) (\w)", lambda m: f"{m.group(1).capitalize()} {m.group(2).upper()}", readable
    )
    return f"{doc_type} {readable}"


def extract_metadata(doc_id: str, source: str, text: str, tables: list[Table] | None = None) -> DocumentMeta:
    """Metadata from a normalised document text; fields the text does not give stay None.

    The letterhead comes first (Nghị định 30/2020/NĐ-CP): read from the reader's letterhead
    table when there is one, else from the header lines. A field the letterhead prints blank
    (a draft's "Số:      /KH-UBND", "ngày   tháng 12 năm 2025") stays None: nothing else may
    fill it. A document's own number never comes from its *Căn cứ* or body lines.

    Sources, in order: number — the "Số:" field, else (no field printed) a title that restates
    "SỐ … NGÀY …", the annex line "kèm theo <own type> số …", a crawled page's properties
    block; type — the type line in capitals, else the number's code (a blank number's too),
    else "V/v" (a Công văn), else the properties block; date and place — "<Place>, ngày …
    tháng … năm …", else (no field printed) the title, the annex line, the properties block;
    issuer — the bodies of the letterhead (the lowest one, with its superior's locality), else
    Quốc hội for a law, the capitalised authority line before "Căn cứ", the properties block,
    the annex line's "của …", the number's issuer code; title — the trích yếu under the type
    line, or "V/v"; signer — the name under the signature block.
    """
    lines = text.split("\n")
    h = _scan_header(lines)
    lh = _letterhead(h, tables)
    meta = DocumentMeta(doc_id=doc_id, source=source)
    meta.doc_number, meta.issued_date, meta.place = lh.number, lh.date, lh.place
    # A page whose letterhead was lost may still print the portal's properties of the document.
    portal = {} if (lh.number_printed or lh.bodies) else _portal_fields(h)
    portal_number = parse_doc_number(portal.get("so hieu", ""))

    doc_type, same_line = _type_from_header(h)
    title_parts, after_title = _title_after_type(h, same_line) if h.type_line is not None else ([], h.end)
    if doc_type is None:
        doc_type = (
            (doc_type_from_number(meta.doc_number) if meta.doc_number else None)
            or lh.number_type
            or ("Công văn" if h.vv_line is not None else None)
            or doc_type_from_word(portal.get("loai van ban", ""))
            or (portal_number.doc_type if portal_number else None)
        )
    meta.doc_type = doc_type

    title, number, date = _split_title_number(" ".join(title_parts).strip())
    if not lh.number_printed and number and _own_number_fits(number, doc_type):
        meta.doc_number = number
    if not lh.date_printed:
        meta.issued_date = date
    if doc_type in LAW_TYPES:
        meta.title = _law_self_name(lines, h.end, doc_type) or (_law_title(doc_type, title) if title else None)
    elif title:
        meta.title = readable_title(title)
    elif vv := (_vv_title(h) if h.vv_line is not None else None) or lh.summary:
        meta.title = readable_title(vv)  # a Công văn: "V/v …" (or "Về …") under its number

    annexes = [a for a in _annex_lines(lines) if a.doc_type and a.doc_type == doc_type]
    if annexes:
        annex = next((a for a in annexes if a.number and _own_number_fits(a.number, doc_type)), annexes[0])
        if not lh.number_printed and annex.number and _own_number_fits(annex.number, doc_type):
            meta.doc_number = meta.doc_number or annex.number
        if not lh.date_printed:
            meta.issued_date = meta.issued_date or annex.date
    if not lh.number_printed and meta.doc_number is None and portal_number:
        meta.doc_number = portal_number.number
    if not lh.date_printed and meta.issued_date is None:
        meta.issued_date = _portal_date(portal)

    meta.issuer = (
        _issuer_from_bodies(lh.bodies)
        or ("Quốc hội" if doc_type in LAW_TYPES else None)
        or _issuer_from_authority_line(h, after_title)
        or _portal_issuer(portal, meta.doc_number)
        or next((a.issuer for a in annexes if a.issuer), None)
    )
    if meta.issuer is None and meta.doc_number:
        code = issuer_code(meta.doc_number)
        meta.issuer = ISSUER_BY_CODE.get(code, code) if code else None

    if meta.title is None and meta.doc_type and meta.doc_number:
        meta.title = _portal_title(lines, meta.doc_type, meta.doc_number)

    meta.signer = _signer(lines, h.end, tables)
    return meta


def _portal_title(lines: list[str], doc_type: str, number: str) -> str | None:
    """The name a legal portal prints for a page whose letterhead and "V/v" were lost: "Công văn
    4001/UBND-ĐT năm 2025 về Danh mục …" (above or below the document) gives the title after "về"."""
    head = re.compile(rf"^\W*{re.escape(doc_type)}\s+(?:số\s+)?{re.escape(number)}\s+"
                      r"(?:năm\s+\d{4}|ngày\s+\d{1,2}/\d{1,2}/\d{4})\s+về\s+(?P<title>.{10,300}?)\W*$", re.IGNORECASE)
    for line in lines:
        m = head.match(line.strip())
        if m:
            return readable_title(m.group("title"))
    return None


# ---------------------------------------------------------------------------
# Overrides: <file name>.meta.toml
# ---------------------------------------------------------------------------

OVERRIDABLE_FIELDS = tuple(
    f.name for f in dataclasses.fields(DocumentMeta) if f.name not in ("doc_id", "source")
)


_DATE_FIELDS = ("issued_date", "effective_date")


class OverrideError(ValueError):
    """A metadata override file that cannot be applied; the message names the file and the key."""


def override_path(document_path: Path) -> Path:
    """The override of "corpus/003_x.txt" is "corpus/003_x.txt.meta.toml" (full file name + suffix).

    The full name (not the stem) keeps "a.txt" and "a.docx" apart, and the
    ".toml" suffix keeps the loader from taking it for a document.
    """
    return document_path.with_name(document_path.name + OVERRIDE_SUFFIX)


def load_override(path: Path) -> dict[str, Any]:
    """Read and check an override: keys are DocumentMeta field names, values strings.

    ``issued_date`` may be a TOML date or an ISO string. An empty string clears
    a field the extractor got wrong. ``doc_id`` and ``source`` are the file's
    identity and cannot be overridden.
    """
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise OverrideError(f"{path.name}: tệp ghi đè siêu dữ liệu không đúng cú pháp TOML ({exc}).") from exc
    except OSError as exc:
        raise OverrideError(f"{path.name}: không đọc được tệp ghi đè siêu dữ liệu ({exc}).") from exc
    checked: dict[str, Any] = {}
    for key, value in data.items():
        if key not in OVERRIDABLE_FIELDS:
            raise OverrideError(
                f"{path.name}: khóa '{key}' không hợp lệ; các khóa được phép: {', '.join(OVERRIDABLE_FIELDS)}."
            )
        if key in _DATE_FIELDS and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = value.isoformat()
        if not isinstance(value, str):
            raise OverrideError(f"{path.name}: giá trị của khóa '{key}' phải là chuỗi (hoặc ngày cho {key}).")
        value = value.strip()
        if key in _DATE_FIELDS and value:
            try:
                value = dt.date.fromisoformat(value).isoformat()
            except ValueError as exc:
                raise OverrideError(f"{path.name}: {key} '{value}' không phải ngày dạng YYYY-MM-DD.") from exc
        if key == "status" and value and value not in STATUS_LABELS:
            raise OverrideError(
                f"{path.name}: status '{value}' không hợp lệ; các giá trị được phép: {', '.join(STATUS_LABELS)}."
            )
        checked[key] = value or None
    return checked


def apply_override(meta: DocumentMeta, override: dict[str, Any]) -> DocumentMeta:
    """A copy of ``meta`` with the override's fields replaced (None clears a field)."""
    unknown = set(override) - set(OVERRIDABLE_FIELDS)
    if unknown:
        raise OverrideError(f"khóa ghi đè không hợp lệ: {', '.join(sorted(unknown))}.")
    return dataclasses.replace(meta, **override)
