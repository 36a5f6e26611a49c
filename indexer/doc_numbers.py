"""What a Vietnamese document number looks like — the one place that knows it.

Lexical tokenisation, metadata, references and answering all import from here,
so "399/QĐ-UBND", "399/qd-ubnd" and "399 /QĐ-UBND" mean the same document
everywhere. Three printed shapes exist (Nghị định 30/2020/NĐ-CP, Luật Ban hành
VBQPPL, Quy định của Đảng):

* ``N/YYYY/CODE-ISSUER`` — normative documents: "60/2021/NĐ-CP", "52/2014/QH13";
* ``N/CODE-ISSUER[-UNIT]`` — administrative documents: "399/QĐ-UBND",
  "28/KH-UBND"; a Công văn has no type code, it starts with the issuer:
  "2458/UBND-SNV", "3668/BNV-CCHC";
* ``N-CODE/ISSUER`` — Party documents and pre-1992 laws: "01-CTr/TU",
  "18-NQ/TW", "18-L/CTN".

The pattern accepts what real files contain besides the clean form: a space
before the slash ("28 /KH-UBND"), lower case or accent-folded letters
("399/qd-ubnd"), OCR'd codes without Đ ("6745/QD-UBND"), the look-alike Ð
(U+00D0) that Word fonts put for Đ, and "QH 14" with a space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.normalise import fold_accents

# Cyrillic capitals that look like Latin ones, typed into codes by mistake ("TT-BKHĐТ" with a Cyrillic Т):
# read as the Latin letter, so the number is the one printed elsewhere in Latin letters.
_CYRILLIC_LOOKALIKES = "АВЕКМНОРСТХ"
_LATIN_LOOKALIKES = str.maketrans(_CYRILLIC_LOOKALIKES, "ABEKMHOPCTX")
# Letters a code may use: ASCII, Đ, the look-alike Ð (U+00D0) common in Word files, Cyrillic look-alikes.
_L = "A-Za-zĐđÐð" + _CYRILLIC_LOOKALIKES
# One code segment: "QĐ", "UBND", "BCĐCCHC", "QH13", "HĐNN8", "L.005", "CTTN&BĐG" (two units joined by "&").
_SEG = rf"[{_L}][{_L}0-9]{{0,11}}(?:&[{_L}]{{1,8}})?(?:\.\d{{1,4}})?"
# Segment separators inside a code: "-" (optionally spaced, "KH - SVHTT") or "/" ("QĐ/UBND").
_SEP = r"(?:\s?[-–]\s?|/)"  # en dash: Word's autocorrect of "-"
_NUM = r"\d{1,5}[a-z]?"  # "399", "30c" (Nghị quyết 30c/NQ-CP)
_START = r"(?<![\w/.\-–])"  # not inside a longer token ("T10/2022", "1.5/…")
_END = r"(?![\w])"

DOC_NUMBER_PATTERN = (
    rf"{_START}(?:"
    # N/YYYY/CODE[-ISSUER…] — "60/2021/NĐ-CP", "52/2014/QH13", "115/2020/QH 14"
    rf"(?P<y_num>{_NUM}(?:\.\d{{1,2}})?)\s?/\s?(?P<year>(?:1[89]|20)\d\d)\s?/\s?"
    rf"(?P<y_code>QH\s\d{{1,2}}|{_SEG}(?:{_SEP}{_SEG}){{0,3}})"
    r"|"
    # N-CODE/ISSUER — "01-CTr/TU", "18-L/CTN", "103-SL/L.005"; "10- CTr/TU" as PDFs extract it
    rf"(?P<p_num>{_NUM})[-–]\s?(?P<p_code>{_SEG}/{_SEG}(?:[-–]{_SEG}){{0,2}})"
    r"|"
    # N/CODE-ISSUER[-UNIT] — "399/QĐ-UBND", "2458 /UBND-SNV", "7216/QĐ/UBND"; before 2000 the
    # Government's and the Prime Minister's numbers carried the issuer alone: "769/TTg", "15/CP"
    rf"(?P<a_num>{_NUM})\s?/\s?(?P<a_code>{_SEG}(?:{_SEP}{_SEG}){{1,3}}|TTg|CP|HĐBT)"
    rf"){_END}"
)
DOC_NUMBER_RE = re.compile(DOC_NUMBER_PATTERN)

# Canonical spellings of code segments that carry Đ or mixed case, by ASCII upper form,
# so OCR'd / accent-folded input ("QD", "ND", "TTG") comes back as printed.
_SEGMENT_SPELLING = {
    "QD": "QĐ", "ND": "NĐ", "HDND": "HĐND", "BCD": "BCĐ", "CD": "CĐ", "QDI": "QĐi",
    "QĐI": "QĐi", "TTG": "TTg", "CTR": "CTr", "TTR": "TTr", "QYD": "QyĐ", "QYĐ": "QyĐ",
}

# Type code (canonical spelling, upper-cased) → document type (Phụ lục III, NĐ 30/2020 + normative types).
TYPE_BY_CODE = {
    "QĐ": "Quyết định", "KH": "Kế hoạch", "NQ": "Nghị quyết", "NĐ": "Nghị định",
    "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "CT": "Chỉ thị", "CTR": "Chương trình",
    "TTR": "Tờ trình", "BC": "Báo cáo", "TB": "Thông báo", "HD": "Hướng dẫn",
    "CV": "Công văn", "CĐ": "Công điện", "QC": "Quy chế", "QYĐ": "Quy định", "QĐI": "Quy định",
    "KL": "Kết luận", "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BB": "Biên bản",
    "HĐ": "Hợp đồng", "GM": "Giấy mời", "GGT": "Giấy giới thiệu", "GUQ": "Giấy ủy quyền",
    "TC": "Thông cáo", "TTRI": "Thông tri", "PL": "Pháp lệnh", "SL": "Sắc lệnh",
    "LCT": "Lệnh",
}

# Issuers named by a number's code, for when the text names none ("60/2021/NĐ-CP" → Chính phủ).
# Local codes stay as printed: "UBND", "SNV" say which kind of body, not which place.
ISSUER_BY_CODE = {
    "CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ", "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội", "CTN": "Chủ tịch nước", "TW": "Ban Chấp hành Trung ương",
    "VPCP": "Văn phòng Chính phủ", "BNV": "Bộ Nội vụ", "BTC": "Bộ Tài chính", "BTP": "Bộ Tư pháp",
    "BCA": "Bộ Công an", "BQP": "Bộ Quốc phòng", "BYT": "Bộ Y tế", "BXD": "Bộ Xây dựng",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư", "BTTTT": "Bộ Thông tin và Truyền thông",
    "BGDĐT": "Bộ Giáo dục và Đào tạo", "BTNMT": "Bộ Tài nguyên và Môi trường",
}

# Types of law-level documents passed by the National Assembly.
LAW_TYPES = ("Hiến pháp", "Bộ luật", "Luật")

# Every document type by its name as written, longest first so "Thông tư liên tịch"
# wins over "Thông tư" and "Bộ luật" over "Luật".
DOC_TYPE_NAMES = tuple(sorted(
    {
        "Quyết định", "Kế hoạch", "Nghị quyết", "Nghị định", "Thông tư", "Thông tư liên tịch",
        "Chỉ thị", "Chương trình", "Tờ trình", "Báo cáo", "Thông báo", "Hướng dẫn", "Công văn",
        "Công điện", "Quy chế", "Quy định", "Kết luận", "Phương án", "Đề án", "Dự án",
        "Biên bản", "Giấy mời", "Thông cáo", "Thông tri", "Pháp lệnh", "Lệnh", "Sắc lệnh",
        "Hiến pháp", "Bộ luật", "Luật",
    },
    key=lambda name: (-len(name), name),
))
_TYPE_BY_FOLDED_NAME = {fold_accents(n).lower(): n for n in DOC_TYPE_NAMES}
DOC_TYPE_WORD_PATTERN = "|".join(re.escape(n) for n in DOC_TYPE_NAMES)


def doc_type_from_word(word: str) -> str | None:
    """The canonical type for a type name in any case or accent ("QUYẾT ĐỊNH", "quyet dinh")."""
    return _TYPE_BY_FOLDED_NAME.get(fold_accents(re.sub(r"\s+", " ", word.strip())).lower())


@dataclass(frozen=True)
class DocNumberMatch:
    """One document number found in a text, with where it is and what it says."""

    start: int
    end: int
    text: str  # as written: "28 /KH-UBND"
    number: str  # canonical: "28/KH-UBND"
    key: str  # lookup key: "28/kh-ubnd"
    shape: str  # "year" | "party" | "admin"
    doc_type: str | None  # from the type code, see doc_type_from_number


def _spell_segment(segment: str) -> str:
    upper = segment.replace("ð", "đ").replace("Ð", "Đ").upper()
    return _SEGMENT_SPELLING.get(fold_accents(upper), _SEGMENT_SPELLING.get(upper, upper))


def canonical_doc_number(s: str) -> str:
    """The printed form: spaces removed, code upper-cased with Đ restored ("399/qd-ubnd" → "399/QĐ-UBND").

    Conventional mixed-case codes keep their case ("QĐ-TTg", "01-CTr/TU",
    "68/TTr-SNV"); the number's letter suffix stays lower ("30c/NQ-CP").
    """
    s = re.sub(r"\s+", "", s).replace("Ð", "Đ").replace("ð", "đ").replace("–", "-").translate(_LATIN_LOOKALIKES)
    m = re.match(r"(\d+[a-zA-Z]?)(.*)$", s)
    if not m:
        return s.upper()
    number, rest = m.group(1), m.group(2)
    number = number[:-1] + number[-1].lower() if number[-1].isalpha() else number
    parts = re.split(r"([-/])", rest)
    spelled = [p if p in "-/" or p.isdigit() or p.startswith(".") else _spell_segment(p) for p in parts]
    if len(spelled) == 5 and spelled[2].isdigit():  # "79/2025/NĐCP": the hyphen dropped between type and issuer
        spelled[4:] = _split_fused_code(spelled[4])
    return number + "".join(spelled)


def _split_fused_code(code: str) -> list[str]:
    """"NĐCP" → ["NĐ", "-", "CP"] when a type code runs into a national issuer's code; else [code]."""
    for size in (2, 3, 4):
        head, tail = code[:size], code[size:]
        if head.upper() in TYPE_BY_CODE and tail in ISSUER_BY_CODE:
            return [head, "-", tail]
    return [code]


# A number printed with a space at a separator ("10- CTr/TU", "28 /KH-UBND") as written normally.
_SPACED_SEPARATOR = re.compile(r"(?<=\d)\s*([-–/])\s*(?=[A-Za-zĐđ])")


def tidy_number_spacing(text: str) -> str:
    """``text`` with document numbers' separators unspaced: "số 10- CTr/TU" → "số 10-CTr/TU"."""
    return _SPACED_SEPARATOR.sub(r"\1", text)


def doc_number_key(s: str) -> str:
    """The exact-lookup key: accent-folded, lower case, no spaces, no leading zeros ("399 /QĐ-UBND" →
    "399/qd-ubnd"; "07/2022/QĐ-UBND" and "7/2022/QĐ-UBND" are one document printed two ways)."""
    key = fold_accents(canonical_doc_number(s)).lower().lstrip("0") or "0"
    party = _PARTY_AS_ADMIN.fullmatch(key)  # "57/NQ-TW", a common slip for the Party's "57-NQ/TW"
    return f"{party.group(1)}-{party.group(2)}/{party.group(3)}" if party else key


# Party committees sign "N-CODE/ISSUER"; printed "N/CODE-ISSUER" it is the same document.
_PARTY_AS_ADMIN = re.compile(r"(\d+[a-z]?)/([a-z]{1,4})-(tw|tu|hu|qu|du|bcstw|bcdtw)")


def _segments(code: str) -> list[str]:
    return [p for p in re.split(r"[-–/]", re.sub(r"\s+", "", code)) if p]


def _type_of_code(code: str) -> str | None:
    return TYPE_BY_CODE.get(_spell_segment(code).upper())


def _doc_type_from_match(m: re.Match[str]) -> str | None:
    if m.group("y_num"):
        segs = _segments(m.group("y_code"))
        first = fold_accents(segs[0]).upper()
        if re.fullmatch(r"QH\d*", first):
            return "Luật"  # Luật and Nghị quyết of Quốc hội share this shape; the mention's word decides
        if first.startswith("UBTVQH"):
            return "Pháp lệnh"
        if first == "L":
            return "Lệnh"  # "10/2014/L-CTN": the President's order promulgating a law
        return _type_of_code(segs[0]) if len(segs) > 1 else None
    if m.group("p_num"):
        code = m.group("p_code").split("/")[0]
        if fold_accents(code).upper() == "L":
            return "Luật"  # pre-1992 law numbers: "18-L/CTN"
        return _type_of_code(code)
    segs = _segments(m.group("a_code"))
    if len(segs) == 1:
        return None  # "769/TTg": the number says only who issued it; the type word before it says what
    return _type_of_code(segs[0]) or "Công văn"  # no type code: the issuer comes first


def _match_to_result(m: re.Match[str]) -> DocNumberMatch:
    text = m.group(0)
    shape = "year" if m.group("y_num") else "party" if m.group("p_num") else "admin"
    number = canonical_doc_number(text)
    return DocNumberMatch(
        start=m.start(), end=m.end(), text=text, number=number,
        key=doc_number_key(number), shape=shape, doc_type=_doc_type_from_match(m),
    )


def find_doc_numbers(text: str) -> list[DocNumberMatch]:
    """Every document number in ``text``, in order of appearance."""
    return [_match_to_result(m) for m in DOC_NUMBER_RE.finditer(text)]


def parse_doc_number(s: str) -> DocNumberMatch | None:
    """``s`` read as exactly one document number (surrounding spaces allowed), else None."""
    stripped = s.strip()
    m = DOC_NUMBER_RE.fullmatch(stripped)
    return _match_to_result(m) if m else None


def is_doc_number(s: str) -> bool:
    """True when ``s`` is exactly one document number (a query token, a "Số:" value)."""
    return parse_doc_number(s) is not None


def doc_type_from_number(number: str) -> str | None:
    """The document type a number's code implies ("28/KH-UBND" → "Kế hoạch"), None if unknown.

    A code starting with the issuer instead of a type ("2458/UBND-SNV",
    "6503/BNV-CCHC") is a Công văn. "N/YYYY/QHxx" is read as "Luật", though a
    Nghị quyết of Quốc hội shares the shape: where a text says which, the
    text's word wins (metadata and references do that).
    """
    m = DOC_NUMBER_RE.fullmatch(number.strip())
    if m is None:
        found = DOC_NUMBER_RE.search(number)
        if found is None:
            return None
        m = found
    return _doc_type_from_match(m)


def issuer_code(number: str) -> str | None:
    """The issuer's abbreviation in a number: "UBND" in "28/KH-UBND" and in "2458/UBND-SNV"."""
    parsed = parse_doc_number(number)
    if parsed is None:
        return None
    m = DOC_NUMBER_RE.fullmatch(number.strip())
    assert m is not None
    if parsed.shape == "party":
        return _spell_segment(_segments(m.group("p_code"))[1])
    if parsed.shape == "year":
        segs = _segments(m.group("y_code"))
        return _spell_segment(segs[1]) if len(segs) > 1 else _spell_segment(re.sub(r"\d+$", "", segs[0]))
    segs = _segments(m.group("a_code"))
    if _type_of_code(segs[0]) is None:
        return _spell_segment(segs[0])  # Công văn: the issuer comes first
    return _spell_segment(segs[1])
