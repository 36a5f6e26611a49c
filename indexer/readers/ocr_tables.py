"""Tables of scanned documents, whose cells OCR delivered as interleaved paragraphs.

A scan's table arrives as paragraphs in reading order: row numbers, then the
cells of each row one after another, repeated header fragments after page
breaks. Rows are found from their printed numbers (kept only while they run in
sequence) and cells are guessed from their shape, in the column order of an
assignment table: objective, task, activities ("- …"), product, lead, partners,
deadline. Best effort: what cannot be placed stays in the task text.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from indexer.model import Cell, Table
from indexer.normalise import edit_distance, fold

# The canonical columns an OCR'd assignment table is read into.
OCR_HEADER = ("STT", "Mục tiêu", "Nhiệm vụ", "Hoạt động", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp",
              "Thời gian hoàn thành")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def _roman_value(s: str) -> int:
    total = 0
    for k, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        total += -v if k + 1 < len(s) and _ROMAN_VALUES[s[k + 1]] > v else v
    return total


_HEADER_VOCAB = (
    "stt muc tieu nhiem vu hoat dong noi dung san pham co quan don vi chu tri phoi hop "
    "thoi gian hoan thanh han ket qua"
).split()
_OCR_ROW = re.compile(r"^\s*(\d{1,2})(?:\s*$|\s+(?=[^\W\d_]))")
_OCR_GROUP = re.compile(r"^\s*([IVX]{1,4})\s+([A-ZĐ\u00c0-\u1ef9].*)$")
_DATE_IN_CELL = re.compile(r"\d{1,2}\s*/\s*\d{4}|\d{1,2}/\d{1,2}/\d{2,4}")
_DEADLINE_START = re.compile(
    r"^(?:thang|quy|qu|truoc|nam|trong nam|trong thang|theo yeu|theo huong|thuong xuyen|hang nam|"
    r"hang quy|hang thang|dinh ky|t\d{1,2}/)\b"
)
_GLUED_DEADLINE = re.compile(r"^(?:thang|quy|qu|truoc|theo yeu|theo huong|thuong xuyen)\b")
_DEADLINE_TAIL = re.compile(r"\s((?:thang|quy|qu|t)\s*[ivx\d]{1,4}\s*/\s*\d{4}.*)$")
_AGENCY_START_OCR = re.compile(
    r"^(?:[-+]\s*)?(?:van\s*ph|ph[o0]ng|s[oa]\b|ubnd|ban\b|t[o0]?\s*ch|thanh tra|trung tam|cac\b|"
    r"don\s*v|vien\b|uy ban|co quan)"
)
_Para = tuple[int, int, str]  # first line, last line (0-based), text


def _ocr_token(token: str) -> str:
    """Undo the commonest OCR confusions inside a word: "rn" for "m", digits for letters."""
    token = token.replace("rn", "m")
    return token.translate(str.maketrans("0135", "olis")) if re.search(r"[a-z]", token) else token


def _ocr_fold(text: str) -> str:
    return " ".join(_ocr_token(t) for t in fold(text).split())


@lru_cache(maxsize=16384)
def _near(token: str, word: str) -> bool:
    """Equal up to one OCR error (short words) or a close match (long words)."""
    if token == word:
        return True
    if min(len(token), len(word)) <= 4:
        if abs(len(token) - len(word)) > 1:
            return False
        return edit_distance(token, word) <= 1
    return SequenceMatcher(None, token, word).ratio() >= 0.75


def _vocab_hits(text: str) -> tuple[int, int]:
    """(header-vocabulary tokens, all tokens) of an OCR'd line."""
    toks = [_ocr_token(t) for t in re.findall(r"[a-z0-9]+", fold(text))]
    return sum(any(_near(t, w) for w in _HEADER_VOCAB) for t in toks), len(toks)


def _is_header_fragment(text: str) -> bool:
    """A piece of a repeated header ("Cơ quan, đơn vị chủ trì") stranded inside a row."""
    hits, total = _vocab_hits(text)
    exact = sum(t in _HEADER_VOCAB for t in _ocr_fold(text).replace(",", " ").split())
    return 0 < total <= 6 and hits == total and exact * 2 >= total


def _is_ocr_header_start(line: str) -> bool:
    if "\t" in line or not fold(line).strip().startswith("stt "):
        return False
    hits, _ = _vocab_hits(line)
    return hits >= 3


def _ocr_header_end(lines: list[str], i: int) -> int:
    """The line after a header block starting at ``i`` (the "STT …" line)."""
    j = i + 1
    while j < len(lines) and j - i <= 24:
        s = lines[j].strip()
        hits, total = _vocab_hits(s)
        if s and not (0 < total <= 5 and hits * 2 >= total):
            break
        j += 1
        toks = _ocr_fold(s).split()
        if any(_near(t, "hoan") for t in toks) and any(_near(t, "thanh") for t in toks):
            break  # "Thời gian hoàn thành" is the last column
    return j


def _is_deadline_text(text: str) -> bool:
    f = _ocr_fold(text)
    short = len(text) <= 48 and not text.lstrip().startswith("-")
    return short and bool(_DEADLINE_START.match(f) or (_DATE_IN_CELL.search(f) and len(f.split()) <= 4))


def _is_agency_text(text: str) -> bool:
    return len(text) <= 90 and bool(_AGENCY_START_OCR.match(fold(text).strip())) and not _is_deadline_text(text)


def _ocr_paragraphs(lines: list[str], start: int, end: int, skip: set[int]) -> list[_Para]:
    """Blank-separated paragraphs of an OCR region; a deadline line glued under a cell starts its own."""
    paras: list[_Para] = []
    cur: list[int] = []

    def flush() -> None:
        if cur:
            paras.append((cur[0], cur[-1], " ".join(lines[x].strip() for x in cur)))
            cur.clear()

    for k in range(start, end):
        s = lines[k].strip()
        if k in skip or not s:
            flush()
            continue
        glued = _GLUED_DEADLINE.match(_ocr_fold(s)) and len(s) <= 48
        if cur and glued and not _is_deadline_text(" ".join(lines[x].strip() for x in cur)):
            flush()
        cur.append(k)
    flush()
    return paras


def _split_deadline_tail(texts: list[str]) -> str:
    """A deadline glued to the end of the last agency cell ("… thuộc Sở Quý II/2024")."""
    m = _DEADLINE_TAIL.search(_ocr_fold(texts[-1]))
    if not (m and _is_agency_text(texts[-1])):
        return ""
    cut = len(texts[-1]) - len(m.group(1))
    deadline, texts[-1] = texts[-1][cut:].strip(), texts[-1][:cut].strip()
    return deadline


def _ocr_row_cells(paras: list[_Para], stt: str) -> list[str] | None:
    """The eight canonical cells of an OCR'd row, guessed from its paragraphs in reading order.

    Reading order follows the columns: objective, duty, activities ("- …"),
    product, lead, support, deadline.
    """
    texts = [p[2] for p in paras if not _is_header_fragment(p[2])]
    if not texts:
        return None
    dl = next((k for k, t in enumerate(texts) if k >= 2 and _is_deadline_text(t)), None)
    deadline, tail = "", []
    if dl is not None:
        deadline, tail, texts = texts[dl], texts[dl + 1 :], texts[:dl]
        while tail and deadline.count("(") > deadline.count(")"):
            deadline += " " + tail.pop(0)
    elif texts:
        deadline = _split_deadline_tail(texts)
    lead = support = ""
    if len(texts) >= 3 and _is_agency_text(texts[-1]):
        support = texts.pop()
        if len(texts) >= 3 and _is_agency_text(texts[-1]):
            lead = texts.pop()
        else:
            lead, support = support, ""
    objective, duty, middle = (texts + ["", ""])[0], (texts + ["", ""])[1], texts[2:]
    product = middle.pop() if middle and not middle[-1].startswith("-") else ""
    return [stt, objective, duty, "\n".join(middle + tail), product, lead, support, deadline]


def _split_on_deadlines(paras: list[_Para]) -> list[list[_Para]]:
    """Split a block after each deadline that is followed by a whole row (an unnumbered row)."""
    chunks: list[list[_Para]] = [[]]
    for p in paras:
        chunks[-1].append(p)
        if _is_deadline_text(p[2]) and len(chunks[-1]) >= 3:
            chunks.append([])
    merged: list[list[_Para]] = []
    for chunk in (c for c in chunks if c):
        whole_row = len(chunk) >= 4 and any(_is_deadline_text(p[2]) for p in chunk)
        if merged and not whole_row:
            merged[-1].extend(chunk)  # continued cells belong to the row above
        else:
            merged.append(chunk)
    return merged


def _ocr_marks(lines: list[str], start: int, end: int, skip: set[int]) -> list[tuple[int, str, str]]:
    """Row numbers and roman group numbers, kept only while they run in sequence."""
    marks: list[tuple[int, str, str]] = []
    last_n = last_g = 0
    for k in range(start, end):
        if k in skip:
            continue
        m = _OCR_ROW.match(lines[k])
        if m and last_n < int(m.group(1)) <= last_n + 3:
            last_n = int(m.group(1))
            marks.append((k, "row", m.group(1)))
            continue
        g = _OCR_GROUP.match(lines[k])
        if g and _roman_value(g.group(1)) in (last_g + 1, last_g + 2):
            last_g = _roman_value(g.group(1))
            marks.append((k, "group", g.group(1)))
    return marks


def _strip_row_number(lines: list[str], paras: list[_Para]) -> list[_Para]:
    """Remove the printed STT from the first paragraph of a numbered block."""
    if not paras:
        return paras
    first, last, _ = paras[0]
    head = _OCR_ROW.sub("", lines[first], count=1).strip()
    rest = " ".join([head] + [lines[x].strip() for x in range(first + 1, last + 1)])
    return [(first, last, rest.strip())] + paras[1:] if rest.strip() else paras[1:]


def ocr_tables(lines: list[str], taken: set[int]) -> list[Table]:
    """The assignment table of a scan, if its header ("STT … chủ trì … thời gian") is found outside ``taken``."""
    starts = [i for i, line in enumerate(lines) if i not in taken and _is_ocr_header_start(line)]
    if not starts:
        return []
    region_start, region_end = starts[0], len(lines)
    for k in range(region_start + 1, len(lines)):
        if re.match(r"^(?:phu luc|noi nhan)\b", fold(lines[k]).strip()):
            region_end = k
            break
    skip: set[int] = set()
    for s in (s for s in starts if s < region_end):
        skip.update(range(s, _ocr_header_end(lines, s)))
    first_body = _ocr_header_end(lines, region_start)
    marks = _ocr_marks(lines, first_body, region_end, skip)
    if sum(1 for m in marks if m[1] == "row") < 2:
        return []
    rows: list[list[Cell]] = []
    bounds = [first_body] + [m[0] for m in marks] + [region_end]
    carried: list[_Para] = []
    for (kind, value), a, b in zip([("pre", "")] + [(m[1], m[2]) for m in marks], bounds, bounds[1:]):
        if kind == "group":
            title = _OCR_GROUP.match(lines[a])
            texts = [value, title.group(2).strip() if title else ""] + [""] * 6
            rows.append([Cell(t, a + 1, a + 1) for t in texts])
            # a scanned STT sits mid-row: text between a group title and the next number belongs to that row
            carried = _ocr_paragraphs(lines, a + 1, b, skip)
            continue
        paras = _ocr_paragraphs(lines, a, b, skip)
        paras, carried = carried + (_strip_row_number(lines, paras) if kind == "row" else paras), []
        for chunk in _split_on_deadlines(paras):
            cells = _ocr_row_cells(chunk, value)
            if cells is None:
                continue
            start = min(chunk[0][0], a) if kind == "row" and value else chunk[0][0]
            rows.append([Cell(t, start + 1, chunk[-1][1] + 1) for t in cells])
            value = ""  # later rows of the block carry no printed number
    header = [Cell(h, region_start + 1, region_start + 1) for h in OCR_HEADER]
    return [Table("ocr", [header, *rows], 1, region_start + 1, region_end)]

