"""Tables and assignments: who leads, who supports, by when.

Vietnamese plans state assignments in two ways. Appendix tables name their
columns (STT / Mục tiêu / Nhiệm vụ / Hoạt động / Sản phẩm / Cơ quan chủ trì /
Cơ quan phối hợp / Thời gian hoàn thành); the columns are found by keyword in
the header row (accent-folded), never by position. Prose states them under
agency headings ("2.2. Sở Nội vụ", "3. Giao Sở Tài chính") or inline ("Sở X
chủ trì, phối hợp với Y …"). Both become :class:`indexer.records.Task` records.

Three table layouts are read, all after ``normalise_text``:

* ``cells`` — one cell per line, each cell line starting with a tab, multi-line
  cells continuing on lines without a tab. Normalisation strips the tab of an
  empty cell, so an empty cell is a blank line like the separator between
  rows; rows are recovered by counting cells against the header.
* ``tsv`` — one row per line, cells separated by tabs (trailing empty cells
  lose their tabs, so a row may have no tab left at all).
* ``ocr`` — a scanned table whose cells arrive as interleaved paragraphs; rows
  are found from their printed numbers and cells guessed in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from indexer.normalise import folded_form, lexical_form
from indexer.records import Passage, Task

SEP = " › "

# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------


@lru_cache(maxsize=8192)
class _CharFolds(dict):
    """Character code → its folded, lower-case form, worked out on first sight.

    A dict with ``__missing__`` lets ``str.translate`` fold a text at C speed; the
    character-by-character Python loop it replaces was most of highlighting a page.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = folded_form(ch)
        self[code] = value = folded if len(folded) == 1 else ch.lower()
        return value


_CHAR_FOLDS = _CharFolds()


def fold(text: str) -> str:
    """Accent-folded, lower-cased text of exactly the same length, so offsets map back."""
    return text.translate(_CHAR_FOLDS)


def _squash(text: str) -> str:
    """Whitespace collapsed to single spaces."""
    return " ".join(text.split())


def _unique(values: list[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def _deadline_text(value: str) -> str:
    """A deadline as printed, without the stray full stop of a table cell."""
    return _squash(value).rstrip(" .;,")


# ---------------------------------------------------------------------------
# Column roles
# ---------------------------------------------------------------------------

ROLES = ("stt", "objective", "duty", "activities", "product", "lead", "support", "deadline")
ROLE_LABELS = {
    "stt": "STT",
    "objective": "Mục tiêu",
    "duty": "Nhiệm vụ",
    "activities": "Hoạt động",
    "product": "Sản phẩm",
    "lead": "Chủ trì",
    "support": "Phối hợp",
    "deadline": "Thời gian hoàn thành",
}
_TASK_ROLES = frozenset(ROLES[1:])
_LEAD_START = re.compile(
    r"^(?:co quan|don vi|cq|dv|bo phan|chu tri|trach nhiem|chiu trach nhiem|to chuc thuc hien|"
    r"nguoi thuc hien|noi thuc hien|thuc hien)\b"
)


def column_role(header_cell: str) -> str | None:
    """The role of a column from its header text, by accent-folded keywords."""
    f = _squash(fold(header_cell).replace("/", " / ").replace("(", " ( ")).strip(" .:")
    if f in {"stt", "tt", "so tt", "so thu tu", "s tt"}:
        return "stt"
    if "phoi hop" in f:
        return "support"
    if "chu tri" in f or _LEAD_START.match(f):  # "Đơn vị thống kê báo cáo" leads too
        return "lead"
    if "muc tieu" in f:
        return "objective"
    if any(k in f for k in ("thoi gian", "thoi han", "tien do", "han hoan thanh", "moc thoi gian")):
        return "deadline"
    if "san pham" in f or "ket qua dau ra" in f:
        return "product"
    if "hoat dong" in f or "giai phap" in f:
        return "activities"
    if any(k in f for k in ("nhiem vu", "chi tieu", "tieu chi", "noi dung", "cong viec", "de an", "du an")):
        return "duty"
    return None


# ---------------------------------------------------------------------------
# Table records
# ---------------------------------------------------------------------------


@dataclass
class TableRow:
    """One physical row: cells aligned to the header, with its 1-based line span."""

    cells: list[str]
    line_start: int
    line_end: int


@dataclass
class TableEntry:
    """One logical row: a numbered row plus the continuation rows that belong to it."""

    stt: str | None
    stt_inferred: bool
    group: str | None
    values: dict[str, list[str]]  # role -> cell values in row order
    rows: list[TableRow]
    line_start: int
    line_end: int

    def value(self, role: str, sep: str = "\n") -> str:
        """All values of one role joined, repeats dropped."""
        return sep.join(_unique(self.values.get(role, [])))

    def first(self, role: str) -> str:
        """The first non-empty value of a role: the numbered row's own agencies.

        Continuation rows are sub-activities; their agencies (often "Sở, Ban,
        Ngành" for the units' own plans) must not widen who leads the task.
        """
        return next((v for v in self.values.get(role, []) if v.strip()), "")


@dataclass
class Table:
    """A table region: header, column roles and physical rows."""

    layout: str  # "cells" | "tsv" | "ocr"
    header: list[str]
    roles: list[str | None]
    rows: list[TableRow]
    line_start: int  # 1-based, header included
    line_end: int
    header_lines: list[int] = field(default_factory=list)  # 1-based lines of (repeated) headers
    _entries: list[TableEntry] | None = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        """"task" for assignment tables (a passage per row), "stat" for statistics tables."""
        present = {r for r in self.roles if r in _TASK_ROLES}
        return "task" if ({"duty", "objective"} & present) and len(present) >= 3 else "stat"

    def role_index(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]

    @property
    def entries(self) -> list[TableEntry]:
        if self._entries is None:
            self._entries = table_entries(self)
        return self._entries


# ---------------------------------------------------------------------------
# STT cells
# ---------------------------------------------------------------------------

_ROMAN = re.compile(r"^[IVX]{1,6}$")
_BULLET_STT = re.compile(r"^[-+*•–]$")


def _roman_value(s: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for k, ch in enumerate(s):
        v = values[ch]
        total += -v if k + 1 < len(s) and values[s[k + 1]] > v else v
    return total


def _stt_kind(cell: str) -> str:
    """empty | number | roman | bullet | text."""
    core = cell.strip().rstrip(".)").strip()
    if not core:
        return "empty"
    if re.fullmatch(r"\d{1,3}", core):
        return "number"
    if _ROMAN.match(core):
        return "roman"
    if _BULLET_STT.match(core):
        return "bullet"
    return "text"


# ---------------------------------------------------------------------------
# Layout 1: one cell per line
# ---------------------------------------------------------------------------

_CELL_LINE = re.compile(r"^([ ]*)\t(.*)$")


def _header_roles(cells: list[str]) -> list[str | None]:
    return [column_role(c) for c in cells]


def _looks_like_header(cells: list[str]) -> bool:
    roles = {r for r in _header_roles(cells) if r}
    return len(cells) >= 3 and len(roles) >= 2 and bool({"stt", "duty", "objective"} & roles)


@dataclass
class _Item:
    kind: str  # "C": a cell with content, "E": an empty line (empty cell or row separator)
    text: str
    start: int  # 0-based line index
    end: int
    marker: bool = False  # spaces before the tab: the converter marked a row start


def _cell_items(lines: list[str], start: int) -> tuple[list[_Item], int]:
    """Cells and blank lines from ``start`` until the table ends; also the end line (exclusive)."""
    items: list[_Item] = []
    i = start
    while i < len(lines):
        line = lines[i]
        m = _CELL_LINE.match(line)
        if m:
            text = m.group(2).replace("\t", " ").strip()
            items.append(_Item("C" if text else "E", text, i, i, bool(m.group(1))))
        elif not line.strip():
            items.append(_Item("E", "", i, i))
        elif items and items[-1].kind == "C":
            items[-1].text += "\n" + line.strip()
            items[-1].end = i
        else:
            break  # a paragraph after a blank line: the table is over
        i += 1
    while items and items[-1].kind == "E":
        items.pop()
    return items, (items[-1].end + 1 if items else start)


def _row_cost(row: list[_Item], ncols: int) -> float:
    """How unlikely a row is: a short row (merged STT) or an STT-like first cell in the wrong place."""
    cost = 0.0 if len(row) == ncols else 1.0
    first = row[0]
    if first.kind == "C":
        stt_like = _stt_kind(first.text.split("\n")[0]) != "text" and len(first.text) <= 8
        cost += 2.0 if (len(row) == ncols) != stt_like else 0.0
    if any(it.marker for it in row[1:]):
        cost += 5.0
    return cost


def _split_rows(items: list[_Item], ncols: int) -> list[list[_Item]]:
    """Partition cells into rows of ``ncols`` (or one fewer, when the STT cell is merged away).

    Least-cost segmentation: a blank line is an empty cell or the separator
    between rows, and counting cells against the header decides which.
    """
    n = len(items)
    best = [float("inf")] * (n + 1)
    choice: list[tuple[int, int]] = [(0, n)] * (n + 1)
    best[n] = 0.0
    for i in range(n - 1, -1, -1):
        if all(it.kind == "E" for it in items[i:]):
            best[i], choice[i] = 0.0, (0, n)
            continue
        if items[i].kind == "E":  # a stray blank line
            best[i], choice[i] = best[i + 1] + 3.0, (0, i + 1)
        for length in (ncols, ncols - 1):
            j = i + length
            if length <= 0 or j > n or all(it.kind == "E" for it in items[i:j]):
                continue
            cost = _row_cost(items[i:j], ncols)
            if j == n:
                nxt = n
            elif items[j].kind == "E":
                nxt = j + 1
            else:
                nxt = j
                cost += 0.0 if items[j].marker else 4.0
            if cost + best[nxt] < best[i]:
                best[i], choice[i] = cost + best[nxt], (length, nxt)
    rows: list[list[_Item]] = []
    i = 0
    while i < n:
        length, nxt = choice[i]
        if length:
            rows.append(items[i : i + length])
        i = max(nxt, i + 1)
    return rows


def _header_block(lines: list[str], i: int) -> tuple[list[str], int]:
    """Header cells starting at line ``i`` (until a blank line) and the line after them."""
    cells: list[str] = []
    j = i
    while j < len(lines) and lines[j].strip():
        m = _CELL_LINE.match(lines[j])
        if m:
            cells.append(m.group(2).strip())
        elif cells:
            cells[-1] += " " + lines[j].strip()
        j += 1
    return cells, j


def _parse_cell_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        m = _CELL_LINE.match(lines[i])
        if not m or "\t" in m.group(2):
            i += 1
            continue
        header, head_end = _header_block(lines, i)
        if not _looks_like_header(header):
            i = max(head_end, i + 1)
            continue
        items, end = _cell_items(lines, head_end)
        rows = []
        for row in _split_rows(items, len(header)):
            cells = [""] * (len(header) - len(row)) + [it.text for it in row]  # a short row lost its STT
            rows.append(TableRow(cells, row[0].start + 1, row[-1].end + 1))
        tables.append(
            Table(
                "cells", header, _header_roles(header), rows, i + 1, max(end, head_end), list(range(i + 1, head_end + 1))
            )
        )
        i = max(end, head_end + 1)
    return tables


# ---------------------------------------------------------------------------
# Layout 2: tab-separated rows
# ---------------------------------------------------------------------------


def _is_tsv_line(line: str) -> bool:
    return "\t" in line and (line.count("\t") >= 2 or not _CELL_LINE.match(line))


def _tsv_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Blocks (0-based, end exclusive) that start with a tab-separated line and run to a blank line."""
    blocks: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if not _is_tsv_line(lines[i]):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip() and (_is_tsv_line(lines[j]) or not _CELL_LINE.match(lines[j])):
            j += 1  # a row whose empty cells were stripped has no tab left, but is still a row
        blocks.append((i, j))
        i = j
    return blocks


def _parse_tsv_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    for start, end in _tsv_blocks(lines):
        header = [c.strip() for c in lines[start].split("\t")]
        while header and not header[-1]:
            header.pop()
        if len(header) < 3 and not any(_header_roles(header)):
            continue  # a two-column layout (issuer | motto, recipients | signature), not a table
        prev = tables[-1] if tables else None
        same = prev is not None and _squash(" ".join(prev.header)) == _squash(" ".join(header))
        if same and prev is not None and all(not lines[k].strip() for k in range(prev.line_end, start)):
            table = prev  # the header repeated after a page break: the same table goes on
            table.header_lines.append(start + 1)
        else:
            table = Table("tsv", header, _header_roles(header), [], start + 1, end, [start + 1])
            tables.append(table)
        for k in range(start + 1, end):
            cells = [c.strip() for c in lines[k].split("\t")]
            table.rows.append(TableRow(cells + [""] * (len(header) - len(cells)), k + 1, k + 1))
        table.line_end = end
    return tables


# ---------------------------------------------------------------------------
# Layout 3: OCR'd tables (best effort)
# ---------------------------------------------------------------------------

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


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=16384)
def _near(token: str, word: str) -> bool:
    """Equal up to one OCR error (short words) or a close match (long words)."""
    if token == word:
        return True
    if min(len(token), len(word)) <= 4:
        if abs(len(token) - len(word)) > 1:
            return False
        return _edit_distance(token, word) <= 1
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


def _parse_ocr_tables(lines: list[str], taken: set[int]) -> list[Table]:
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
    rows: list[TableRow] = []
    bounds = [first_body] + [m[0] for m in marks] + [region_end]
    carried: list[_Para] = []
    for (kind, value), a, b in zip([("pre", "")] + [(m[1], m[2]) for m in marks], bounds, bounds[1:]):
        if kind == "group":
            title = _OCR_GROUP.match(lines[a])
            rows.append(TableRow([value, title.group(2).strip() if title else ""] + [""] * 6, a + 1, a + 1))
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
            rows.append(TableRow(cells, start + 1, chunk[-1][1] + 1))
            value = ""  # later rows of the block carry no printed number
    header = [ROLE_LABELS[r] for r in ROLES]
    return [Table("ocr", header, list(ROLES), rows, region_start + 1, region_end, sorted(h + 1 for h in skip))]


# ---------------------------------------------------------------------------
# All layouts
# ---------------------------------------------------------------------------


def parse_tables(lines: list[str]) -> list[Table]:
    """Every table of a document in order: cell-per-line, tab-separated and OCR'd layouts."""
    return list(_parse_tables(tuple(lines)))


@lru_cache(maxsize=8)
def _parse_tables(key: tuple[str, ...]) -> tuple[Table, ...]:
    """Cached: the structure pass and the task pass read the same document's tables."""
    lines = list(key)
    tables = _parse_cell_tables(lines) + _parse_tsv_tables(lines)
    taken = {k for t in tables for k in range(t.line_start - 1, t.line_end)}
    tables += _parse_ocr_tables(lines, taken)
    return tuple(sorted(tables, key=lambda t: t.line_start))


# ---------------------------------------------------------------------------
# Logical rows: groups, continuations, inferred numbers
# ---------------------------------------------------------------------------


def _cell(row: TableRow, idx: list[int]) -> str:
    return "\n".join(row.cells[i] for i in idx if i < len(row.cells) and row.cells[i]).strip()


def _group_title(row: TableRow, stt_idx: list[int]) -> str | None:
    """"II. Cải cách thể chế" when the row is a group heading: roman STT and one title."""
    if not stt_idx or _stt_kind(row.cells[stt_idx[0]]) != "roman":
        return None
    others = {_squash(c) for i, c in enumerate(row.cells) if i not in stt_idx and c.strip()}
    if len(others) != 1:
        return None
    return f"{row.cells[stt_idx[0]].strip().rstrip('.')}. {others.pop()}"


def _row_kind(table: Table, row: TableRow, stt_idx: list[int], primary: list[int]) -> str:
    """group | number | new (no STT but its own primary content) | cont."""
    kind = _stt_kind(row.cells[stt_idx[0]])
    if kind == "roman" and _group_title(row, stt_idx):
        return "group"
    if kind == "number":
        return "number"
    if kind == "empty" and primary and _cell(row, primary):
        return "new"
    return "cont"


def table_entries(table: Table) -> list[TableEntry]:
    """Logical rows: numbered rows with their continuation rows attached.

    A row without STT but with its own primary content (Mục tiêu, else Nhiệm
    vụ) is a new entry whose STT is inferred from its neighbours when the
    printed numbering leaves a gap; otherwise it continues the row above.
    """
    stt_idx = table.role_index("stt")
    if not stt_idx:
        return [_entry(table, row, None, False, None) for row in table.rows]
    primary = table.role_index("objective") or table.role_index("duty")
    kinds = [_row_kind(table, row, stt_idx, primary) for row in table.rows]
    numbers = [
        int(r.cells[stt_idx[0]].strip().rstrip(".)")) if k == "number" else None for k, r in zip(kinds, table.rows)
    ]
    entries: list[TableEntry] = []
    group: str | None = None
    prev_n = 0
    current: TableEntry | None = None
    for pos, (kind, row) in enumerate(zip(kinds, table.rows)):
        if kind == "group":
            group, current = _group_title(row, stt_idx), None
            continue
        if kind == "number":
            prev_n = numbers[pos] or 0
            current = _entry(table, row, str(prev_n), False, group)
            entries.append(current)
            continue
        next_n = next((n for n in numbers[pos + 1 :] if n is not None), None)
        if kind == "new" and (next_n is None or prev_n + 1 < next_n):
            prev_n += 1
            current = _entry(table, row, str(prev_n), True, group)
            entries.append(current)
        elif current is None:
            current = _entry(table, row, None, False, group)
            entries.append(current)
        else:
            _extend(table, current, row, bullet=_stt_kind(row.cells[stt_idx[0]]) == "bullet")
    return entries


def row_groups(table: Table) -> list[tuple[TableRow, str | None]]:
    """Each physical row with the group heading in force (a group row carries its own)."""
    stt_idx = table.role_index("stt")
    out: list[tuple[TableRow, str | None]] = []
    group: str | None = None
    for row in table.rows:
        group = (_group_title(row, stt_idx) if stt_idx else None) or group
        out.append((row, group))
    return out


def _entry(table: Table, row: TableRow, stt: str | None, inferred: bool, group: str | None) -> TableEntry:
    entry = TableEntry(stt, inferred, group, {}, [], row.line_start, row.line_end)
    _extend(table, entry, row)
    return entry


def _extend(table: Table, entry: TableEntry, row: TableRow, *, bullet: bool = False) -> None:
    """Append a row's cells to an entry, role by role ("-" sub-items keep their dash)."""
    for i, role in enumerate(table.roles):
        value = row.cells[i].strip() if i < len(row.cells) else ""
        if role in (None, "stt") or not value:
            continue
        if bullet and role in ("duty", "objective") and not value.startswith("-"):
            value = f"- {value}"
        entry.values.setdefault(role, []).append(value)
    if table.layout == "tsv" and not any(row.cells[i].strip() for i, r in enumerate(table.roles) if r and r != "stt"):
        stray = " ".join(c for c in row.cells if c.strip())
        if stray:  # a row that lost its tabs: keep its text with the duty
            entry.values.setdefault("duty", []).append(f"- {stray}" if entry.rows else stray)
    entry.rows.append(row)
    entry.line_start = min(entry.line_start, row.line_start)
    entry.line_end = max(entry.line_end, row.line_end)


def render_entry(table: Table, entry: TableEntry) -> str:
    """"STT 21 — Mục tiêu: … | Nhiệm vụ: … | Chủ trì: … | Thời gian hoàn thành: …"."""
    parts: list[str] = []
    for role in ROLES[1:]:
        if role in ("lead", "support"):
            value = "; ".join(split_agencies(entry.value(role)))
        elif role == "deadline":
            value = "; ".join(_unique([_deadline_text(v) for v in entry.values.get(role, [])]))
        else:
            value = "; ".join(_squash(v) for v in _unique(entry.values.get(role, [])))
        if value:
            parts.append(f"{ROLE_LABELS[role]}: {value}")
    for i, role in enumerate(table.roles):
        vals = [r.cells[i] for r in entry.rows if i < len(r.cells) and r.cells[i].strip()]
        if role is None and i < len(table.header) and vals:
            parts.append(f"{_squash(table.header[i])}: {_squash(' '.join(vals))}")
    body = " | ".join(parts)
    return f"STT {entry.stt} — {body}" if entry.stt else body


def render_row(row: TableRow) -> str:
    """A physical row as "a | b | c" without its trailing empty cells (statistics tables)."""
    cells = [_squash(c) for c in row.cells]
    while cells and not cells[-1]:
        cells.pop()
    return " | ".join(cells)


# ---------------------------------------------------------------------------
# Agency names
# ---------------------------------------------------------------------------

# Head nouns of organisations (lexical form). The single-syllable ones must be
# capitalised (or follow "các") so that "số", "bộ phận", "ban hành" do not match.
_ORG_HEADS = (
    "ủy ban nhân dân", "ubnd", "hđnd", "hội đồng nhân dân", "ủy ban mặt trận", "ubmttq", "mặt trận",
    "văn phòng", "vp", "vpub", "chi cục", "tổng cục", "cục", "sở", "bộ chỉ huy", "bộ tư lệnh", "bộ",
    "ban quản lý", "ban chỉ đạo", "bcđ", "ban", "vụ", "viện kiểm sát", "viện", "trung tâm", "phòng",
    "thanh tra", "công an", "trường", "đài", "báo", "kho bạc", "bảo hiểm xã hội", "ngân hàng", "tòa án",
    "thành ủy", "tỉnh ủy", "huyện ủy", "quận ủy", "đảng ủy", "liên đoàn", "hội", "đoàn", "cổng",
    "quỹ", "tổng công ty", "công ty", "bưu điện", "học viện", "đại học", "bệnh viện", "ủy ban",
    "chi nhánh", "hạt", "đội", "tổ công tác", "hội đồng", "tỉnh đoàn", "thành đoàn", "huyện đoàn",
)
_POSITION_HEADS = (
    "giám đốc", "phó giám đốc", "thủ trưởng", "chủ tịch", "phó chủ tịch", "chánh văn phòng",
    "người đứng đầu", "trưởng ban", "trưởng phòng", "hiệu trưởng", "tổng giám đốc", "cục trưởng",
    "viện trưởng", "chánh thanh tra", "bí thư", "lãnh đạo", "bộ trưởng", "thứ trưởng", "tổng cục trưởng",
)
_AMBIGUOUS = {"sở", "bộ", "ban", "cục", "vụ", "viện", "phòng", "đài", "báo", "hội", "đoàn", "trường",
              "quỹ", "cổng", "hạt", "đội", "vp", "lãnh đạo"}
_GENERIC_GROUPS = ("các cơ quan", "các đơn vị", "cơ quan", "đơn vị", "các tổ chức", "các sở", "các ngành")
_ORG_SORTED = [(h, fold(h)) for h in sorted(_ORG_HEADS, key=len, reverse=True)]
_ALL_SORTED = [(h, fold(h)) for h in sorted(_ORG_HEADS + _POSITION_HEADS, key=len, reverse=True)]


def _head_at(text: str, *, positions: bool = True) -> str | None:
    """The head noun an agency name starts with ("sở", "ubnd", "giám đốc" …), or None."""
    s = text.lstrip(" -+•*–")[:60]
    low = lexical_form(s)
    plural = low.startswith(("các ", "những "))
    offset = low.index(" ") + 1 if plural else 0
    low, original = low[offset:], s[offset:]
    folded = fold(original)
    for head, fhead in _ALL_SORTED if positions else _ORG_SORTED:
        if not low.startswith(head):
            # without accents (typed or OCR'd): only where folding cannot confuse two words
            word = original[: len(head)]
            if not folded.startswith(fhead) or not (" " in head or (word.lower() == fhead and head not in _AMBIGUOUS)):
                continue
        after = low[len(head) : len(head) + 1]
        if after.isalnum() or after == "_":
            continue
        if not _names_follow(head, original, plural):
            continue
        return head
    return None


_NOT_AGENCIES = {  # head noun + word: a common word, not an agency
    "trường hợp", "báo cáo", "ban hành", "hội nghị", "hội thảo", "đội ngũ", "bộ luật", "bộ máy", "bộ hồ",
    "bộ tiêu", "bộ phận", "phòng ngừa", "phòng chống", "viện dẫn", "quỹ đất", "đoàn kết", "sở hữu", "cục bộ",
    "đài thọ", "vụ việc", "vụ án",
}


def _names_follow(head: str, original: str, plural: bool = False) -> bool:
    """A single-syllable head is an agency only when capitalised and a name follows.

    "Sở Nội vụ", "Trường Đại học …", "Sở, Ban, Ngành", "các phòng chuyên môn"
    are agencies; "Trường hợp", "Báo cáo", "Ban hành", "Thanh tra việc …" are not.
    """
    rest = original[len(head) :]
    nxt = rest.split()[0] if rest.split() else ""
    word = re.findall(r"[^\W\d_]+", rest)[:1]
    if word and f"{head} {lexical_form(word[0])}" in _NOT_AGENCIES:
        return False
    if plural:
        return True
    if head == "thanh tra":
        return not nxt[:1].islower() or lexical_form(nxt) in _NAME_WORDS
    if head not in _AMBIGUOUS:
        return True
    if not original[:1].isupper():
        return False
    return not rest.strip() or rest.lstrip()[:1] in ",;:.)" or nxt[:1].isupper() or nxt[:1].isdigit()


_CAC_HEAD_LIST = re.compile(
    r"(?:^|(?<=[\s,;]))([Cc]ác|[Nn]hững)\s+(Sở|Bộ|Ban|Cục|Chi cục|Phòng|Viện|Trung tâm|Vụ|sở|bộ|ban|cục|phòng)\s*:\s*"
)


def _clean_agency(text: str) -> str:
    return _squash(text).strip(" -+•*–.;,:")


def _bare_head(text: str) -> bool:
    """"Sở", "các Sở", "Ban" — a head noun with no name after it."""
    low = re.sub(r"^(?:các|những)\s+", "", lexical_form(_clean_agency(text)))
    return low in _ORG_HEADS or low in _POSITION_HEADS


def _smart_split(piece: str) -> list[str]:
    """Split on commas and "và" only where the next part starts a new agency name.

    Keeps "UBND các quận, huyện, thị xã" and "Sở, Ban, Ngành" whole.
    """
    tokens = re.split(r"(,|\bvà\b)", piece)
    items: list[str] = []
    cur = tokens[0]
    for k in range(1, len(tokens), 2):
        sep, nxt = tokens[k], tokens[k + 1] if k + 1 < len(tokens) else ""
        if nxt.strip() and _head_at(nxt.strip()) and _clean_agency(cur) and not _bare_head(cur):
            items.append(cur)
            cur = nxt
        else:
            cur += sep + nxt
    items.append(cur)
    return [c for c in (_clean_agency(i) for i in items) if c]


def _split_plain(text: str) -> list[str]:
    return [a for piece in text.split(";") if piece.strip() for a in _smart_split(piece)]


def _expand_list(head: str, rest: str) -> list[str]:
    """"Các Sở: Tư pháp, Tài chính; Cục Thuế" → "Sở Tư pháp", "Sở Tài chính", "Cục Thuế".

    The list is comma-separated when its first ";"-chunk has commas, else
    ";"-separated; it ends at an item that names its own head ("Cục Thuế").
    """
    head = head[:1].upper() + head[1:]
    chunks = rest.split(";")
    if "," in chunks[0]:
        names, remaining = chunks[0].split(","), chunks[1:]
    else:
        cut = next((k for k, c in enumerate(chunks) if k and _head_at(c.strip())), len(chunks))
        names, remaining = chunks[:cut], chunks[cut:]
    out: list[str] = []
    for name in (_clean_agency(n) for n in names):
        if name:
            out.extend(_smart_split(name) if _head_at(name) else [f"{head} {name}"])
    for chunk in remaining:
        out.extend(_smart_split(chunk))
    return out


def _dash_parts(line: str) -> list[str]:
    """Split "- A - B" on dashes that start a new agency; keep "kinh tế - xã hội" whole."""
    parts = re.split(r"\s[-–]\s+(?=\S)", re.sub(r"^\s*[-+•*–]\s*", "", line))
    merged = [parts[0]]
    for part in parts[1:]:
        if _head_at(part.strip()):
            merged.append(part)
        else:
            merged[-1] = f"{merged[-1]} - {part}"
    return [m.strip() for m in merged if m.strip()]


def split_agencies(cell: str) -> list[str]:
    """Agency names of a lead/support cell or phrase: split on lines, bullets and ";".

    Commas split only before a new agency name; "Các Sở: A; B" expands to
    "Sở A", "Sở B".
    """
    out: list[str] = []
    for raw in (cell or "").split("\n"):
        for line in _dash_parts(raw):
            m = _CAC_HEAD_LIST.search(line)
            if m:
                out.extend(_split_plain(line[: m.start()]))
                out.extend(_expand_list(m.group(2), line[m.end() :]))
            else:
                out.extend(_split_plain(line))
    return _unique([_clean_agency(a) for a in out])


# ---------------------------------------------------------------------------
# Agency phrases in prose
# ---------------------------------------------------------------------------

# Lowercase words that end an agency name: the verbs and prepositions that follow it.
_STOP_WORDS = {
    "chủ", "phối", "triển", "thực", "xây", "chịu", "tham", "hướng", "theo", "đôn", "rà", "nghiên",
    "tổng", "báo", "ban", "căn", "khẩn", "tiếp", "nghiêm", "kiểm", "đề", "hoàn", "gửi", "lập", "trình",
    "cung", "bố", "phân", "quán", "tập", "đảm", "bảo", "thường", "định", "để", "trong", "về", "tại",
    "khi", "nhằm", "trước", "sau", "đối", "là", "được", "đã", "sẽ", "cần", "phải", "không", "giao",
    "yêu", "của", "với", "cho", "từ", "đến", "qua", "bằng", "nhưng", "nếu", "thì", "mà", "hằng", "hàng",
    "đầu", "làm", "tổ", "chỉ", "có", "nâng", "đẩy", "tăng", "giải", "xử", "ứng", "phát", "đánh",
    "tuyên", "hỗ", "duy", "quản", "sử", "lấy", "tự", "mở", "đổi", "bổ", "sửa", "phát",
    "thẩm", "phê", "rút", "thu", "ra", "đưa", "nhận", "cập", "quy", "việc",
    "chuẩn", "trách", "nơi", "ở", "trên", "dưới",
}
# Verbs that start with a word found in names ("công bố" but "hành chính công").
_STOP_BIGRAMS = {
    "công bố", "công khai", "công nhận", "thông báo", "thông qua", "vận động", "vận hành", "phát hiện",
    "phát động", "phát huy", "thống kê", "thống nhất", "tổ chức", "ban hành", "báo cáo", "ký kết",
}
_LEVELS = {"huyện", "tỉnh", "xã", "quận", "phường", "thành", "cơ", "trung", "bộ", "sở", "trên", "dưới"}
# Two-word pieces of names that start with an action-looking word.
_NAME_BIGRAMS = {
    "phát triển", "có liên", "thông tin", "công lập", "công an", "công nghệ", "công thương",
    "vận tải", "tổ chức", "tài chính", "tư pháp", "nội vụ", "kế hoạch", "đầu tư", "xã hội",
    "kinh tế", "hành chính", "dịch vụ", "thành phố", "thành viên", "chính trị", "đào tạo",
    "thường vụ", "thường trực", "kiểm sát", "quản trị", "thẩm định",
}
# Lowercase words found inside names ("UBND các quận, huyện", "đơn vị sự nghiệp công lập").
_NAME_WORDS = {
    "và", "các", "cấp", "quận", "huyện", "thị", "xã", "phường", "trấn", "tỉnh", "thành", "phố", "ngành",
    "sở", "ban", "cơ", "quan", "đơn", "vị", "tổ", "chức", "liên", "trực", "thuộc", "tương", "đương",
    "nhân", "dân", "nhà", "nước", "sự", "nghiệp", "lập", "chuyên", "môn", "địa", "phương", "trung",
    "ương", "chính", "trị", "cán", "bộ", "đào", "tạo", "triển", "kinh", "tế", "hội", "nông", "thôn",
    "tải", "truyền", "hình", "thanh", "tra", "mới", "viên", "khác", "tư", "pháp", "tài", "nguyên",
    "môi", "trường", "tin", "an", "nghệ", "thương", "vụ", "hoạch", "hành", "dịch", "có", "thông",
    "vận", "công", "đất", "đai", "ký", "khu", "chi", "nhánh",
}


def _plural_head_before(prefix: str) -> bool:
    """True when ``prefix`` ends with "các Sở" / "các Bộ" … (a list follows the colon)."""
    words = prefix.split()[-2:]
    return len(words) == 2 and lexical_form(words[0]) in ("các", "những") and _head_at(" ".join(words)) is not None


def _name_like(word: str, first: bool) -> bool:
    return first or word[:1].isupper() or any(ch.isdigit() or ch in "-&/." for ch in word)


def agency_phrase(text: str, *, positions: bool = True, generic: bool = False) -> str:
    """The agency name(s) at the start of ``text``: "Sở Nội vụ", "UBND các quận, huyện, thị xã".

    Reads capitalised words, acronyms and the lowercase words of names, and
    stops at the first action word ("chủ trì", "triển khai" …). Empty when the
    text does not start with an agency (or, with ``generic``, "các cơ quan …").
    """
    s = text.lstrip(" -+•*–")
    head = _head_at(s, positions=positions)
    if not (head or (generic and lexical_form(s).startswith(_GENERIC_GROUPS))):
        return ""
    tokens = list(re.finditer(r"[^\s,;:()]+|[,;:()]", s))
    skip = len(head.split()) + (1 if lexical_form(s).startswith(("các ", "những ")) else 0) if head else 0
    end = tokens[skip - 1].end() if skip and len(tokens) >= skip else 0
    lower_run, k = 0, skip
    prev = tokens[skip - 1].group() if skip and len(tokens) >= skip else ""
    while k < len(tokens):
        m = tokens[k]
        w, wl = m.group(), lexical_form(m.group())
        nxt = lexical_form(tokens[k + 1].group()) if k + 1 < len(tokens) else ""
        if w == ";" and _head_at(s[m.end() :].lstrip()):  # "các Sở, ngành; UBND các quận, huyện"
            prev, lower_run, k = ",", 0, k + 1
            continue
        if w in ("(", ")", ";") or (w == ":" and not _plural_head_before(s[: m.start()])):
            break
        if w in (":", ","):
            if w == "," and (not nxt or nxt in (",", ":", ";", "(", ")")):
                break
            prev, lower_run, k = w, 0, k + 1
            continue
        if _name_like(w, k == 0):
            lower_run, end, prev, k = 0, m.end(), w, k + 1
            continue
        if f"{wl} {nxt}" in _NAME_BIGRAMS and (wl != "tổ" or prev in (",", "các", "và")):
            lower_run, end, prev, k = lower_run + 2, tokens[k + 1].end(), nxt, k + 2
            continue
        if wl == "cấp" and nxt not in _LEVELS:  # "cấp huyện" names a level, "cấp giấy phép" is a verb
            break
        if f"{wl} {nxt}" in _STOP_BIGRAMS:
            break
        in_name = (prev[:1].isupper() and wl in _NAME_WORDS) or (prev == "," and nxt in (",", ";", "và", ""))
        if not in_name and (wl in _STOP_WORDS or (wl not in _NAME_WORDS and lower_run >= 2)):
            break
        lower_run += 1
        if lower_run > 10:
            break
        end, prev, k = m.end(), wl, k + 1
    phrase = re.sub(r"(?:[\s,]+(?:và|các|của|với|tại|-))+\s*$", "", s[:end])
    return _clean_agency(phrase)


# ---------------------------------------------------------------------------
# Deadlines in prose
# ---------------------------------------------------------------------------

_PROSE_DEADLINES = [
    re.compile(
        r"(?i)\b(?:trước|chậm nhất(?: là)?|hoàn thành trước|trong)\s+(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?"
    ),
    re.compile(r"(?i)\b(?:trước|chậm nhất(?: là)?)\s+ngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?"),
    re.compile(r"(?i)\b(?:hoàn thành\s+)?trong\s+quý\s+(?:[IV]+|\d)(?:\s*(?:năm\s+|/\s*)\d{4})?"),
    re.compile(r"(?i)\b(?:hoàn thành\s+)?(?:trong|trước)\s+tháng\s+\d{1,2}(?:\s*(?:năm\s+|/\s*)\d{4})?"),
    re.compile(r"(?i)\bquý\s+[IV]+\s*/\s*\d{4}"),
    re.compile(r"(?i)\b(?:trong|trước)\s+năm\s+\d{4}"),
]


def prose_deadline(text: str) -> str | None:
    """The first deadline phrase as printed ("trước ngày 15/4/2020", "trong quý II năm 2020")."""
    found = [m for rx in _PROSE_DEADLINES for m in [rx.search(text)] if m]
    if not found:
        return None
    return _squash(min(found, key=lambda m: (m.start(), -len(m.group()))).group())


# ---------------------------------------------------------------------------
# Prose assignments
# ---------------------------------------------------------------------------

_MARKER = re.compile(
    r"^\s*(?:(?:phần|chương|mục|điều)\s+\S+|[IVX]+\s*[.)]|\d{1,2}(?:\.\d{1,2})*\s*[.)]?|[a-zđ]\s*\))\s*",
    re.IGNORECASE,
)
_HEADING_PREFIXES = (
    "giao nhiệm vụ cho", "giao", "đề nghị", "yêu cầu", "trách nhiệm của", "nhiệm vụ của", "đối với",
    "phân công", "nhiệm vụ cụ thể của",
)
_BULLET = re.compile(r"^\s*[-•*–]\s*")
_SUB_BULLET = re.compile(r"^\s*\+\s*")
_FOOTNOTE = re.compile(r"^\s*\[\d{1,3}\]")
_INLINE_LEAD = re.compile(r"(?i)\b(?:chủ trì|chịu trách nhiệm|có trách nhiệm)\b")
_GIAO = re.compile(r"(?i)(?:^|(?<=[\s,;.:(]))(?:giao|đề nghị|yêu cầu)\s+(?=\S)")
_SUPPORT = re.compile(r"(?i)\bphối hợp(?:\s+chặt chẽ)?\s+(?:với|cùng)\s+")
_DEMONSTRATIVE = re.compile(r"(?i)\s+(?:sau đây|nêu trên|dưới đây|này|đó|trên)\s*$")


_LEAD_IN = re.compile(r"(?i)trách nhiệm|nhiệm vụ|chủ trì|triển khai|thực hiện (?:các|những)|tổ chức thực hiện|chỉ đạo")


def heading_agencies(label: str) -> list[str]:
    """Agencies a heading gives work to: "2.2. Sở Nội vụ", "2. Giao Văn phòng UBND Thành phố".

    A heading that goes on after the agency ("1. Yêu cầu các Sở … triển khai
    các nhiệm vụ sau:") must say it assigns work; "X có các quyền sau đây:" does not.
    """
    rest = _MARKER.sub("", label, count=1).strip()
    low = lexical_form(rest)
    prefix = next((p for p in _HEADING_PREFIXES if low.startswith(p + " ")), "")
    rest = rest[len(prefix) :].strip(" :")
    phrase = agency_phrase(rest)
    tail = rest[len(phrase) :] if phrase and rest.startswith(phrase) else ""
    is_sentence = len(tail.split()) >= 4 or tail.rstrip().endswith(":")
    if is_sentence and not _LEAD_IN.search(tail):
        return []
    return split_agencies(phrase)


def _subject_before(clause: str) -> str:
    """The agency the clause ends with ("Giao Sở Nội vụ" → "Sở Nội vụ"), else ""."""
    for m in re.finditer(r"\S+", clause):
        tail = _DEMONSTRATIVE.sub("", clause[m.start() :].rstrip(" ,"))
        if not _head_at(tail):
            continue
        phrase = agency_phrase(tail)
        if phrase and _squash(phrase) == _clean_agency(tail):
            return phrase
    return ""


def _inline_lead(text: str) -> list[str]:
    """Lead of "X chủ trì", "Giao X chủ trì", "… do X chủ trì", "X chịu trách nhiệm", "giao X: …", "X: …"."""
    for m in _INLINE_LEAD.finditer(text):
        clause = re.split(r"[.;:(\n]", text[: m.start()])[-1]
        clause = re.sub(r"(?i)\bdo\s+(?=\S)", " ", re.sub(r"^\s*[-+•]?\s*", "", clause))
        giao = list(_GIAO.finditer(clause))
        subject = _subject_before(clause[giao[-1].end() :] if giao else clause)
        if subject:
            return split_agencies(subject)
    for m in _GIAO.finditer(text):
        phrase = agency_phrase(text[m.end() :], positions=not m.group().lower().startswith("giao"))
        before = re.sub(r"^[\s\-+•]+", "", _MARKER.sub("", re.split(r"[.;:\n]", text[: m.start()])[-1], count=1))
        by_issuer = bool(before.strip()) and bool(_subject_before(before))  # "UBND tỉnh giao Sở X …"
        if phrase and (not before.strip() or by_issuer or text[m.end() + len(phrase) :].lstrip().startswith(":")):
            return split_agencies(phrase)
    m = re.match(r"^\s*(?:[-+•]\s*)?([^:]{3,120}):\s", text)
    if m and not _CAC_HEAD_LIST.search(m.group(0)):
        phrase = agency_phrase(m.group(1))
        if phrase and _squash(phrase) == _clean_agency(m.group(1)):
            return split_agencies(phrase)
    return _leading_subject(text)


def _leading_subject(text: str) -> list[str]:
    """"Sở Y tế hướng dẫn …", "2. Hội đồng quản trị bổ nhiệm …": the agency the sentence starts with.

    Not when it goes on to ask someone else ("UBND tỉnh yêu cầu …"): that one is the issuer.
    """
    body = _MARKER.sub("", re.sub(r"^\s*[-+•]\s*", "", text), count=1)
    phrase = agency_phrase(body, positions=False)
    after = body[len(phrase) :] if phrase and body.startswith(phrase) else ""
    asks = lexical_form(after.strip()).startswith(("giao", "yêu cầu", "đề nghị", "chỉ đạo"))
    if re.match(r"^\s+[^\W\d_]", after) and after.strip()[:1].islower() and not asks:
        return split_agencies(phrase)
    return []


def inline_assignment(text: str) -> tuple[list[str], list[str]]:
    """(lead, support) stated inside a sentence; the lead is empty when none is named."""
    lead = _inline_lead(text)
    support: list[str] = []
    for m in _SUPPORT.finditer(text):
        support.extend(split_agencies(agency_phrase(text[m.end() :], generic=True)))
    return lead, [a for a in _unique(support) if a not in lead]


@dataclass
class _Unit:
    lines: list[int]  # 0-based
    text: str
    bullet: bool


def _units(lines: list[str], indices: list[int]) -> list[_Unit]:
    """Bullets (with their "+" sub-bullets) and paragraphs of a section's body lines.

    A line continues the unit above when it starts in lower case (a page break
    cut the sentence), is a "+" under a "-", or follows a line that does not end
    a sentence (a wrapped line). Footnotes ("[1] …") are left out.
    """
    units: list[_Unit] = []
    prev_blank = True
    for k in indices:
        s = lines[k].strip()
        if not s or _FOOTNOTE.match(s):
            prev_blank = True
            continue
        bullet, sub = bool(_BULLET.match(s)), bool(_SUB_BULLET.match(s))
        last = units[-1] if units else None
        wrapped = not prev_blank and not bullet and not sub
        unfinished = wrapped and last is not None and not last.text.endswith((".", ":", ";", "!", "?"))
        if last and (s[:1].islower() or (sub and last.bullet) or unfinished):
            last.lines.append(k)
            last.text += "\n" + s
        else:
            units.append(_Unit([k], s, bullet))
        prev_blank = False
    return units


def _heading_lines(lines: list[str], indices: list[int], label: str) -> set[int]:
    """The lines that print the section heading (kept out of tasks).

    A truncated label ("3. Các cơ quan … chủ động…") marks a numbered paragraph
    whose text is content, so nothing is skipped then.
    """
    if not label or _content_label(label):
        return set()
    want = _squash(label)
    skip: set[int] = set()
    for k in indices:
        s = _squash(lines[k])
        if not s:
            continue
        if (not skip and (want.startswith(s) or s.startswith(want))) or (skip and s in want):
            skip.add(k)
            continue
        break
    return skip


def _skip_unit(text: str) -> bool:
    """No words, the closing formula ("Trên đây là Kế hoạch …"), or a lead-in ending with ":"."""
    text = text.strip()
    closing = lexical_form(text).startswith(("trên đây là", "trên đây"))
    return not re.search(r"[^\W\d_]{2}", text) or closing or (text.endswith(":") and "\n" not in text)


def _unit_assignment(unit: _Unit, heading_leads: list[str], use_heading: bool) -> tuple[list[str], list[str]]:
    """(lead, support) of one bullet or paragraph.

    Under an agency heading the heading's agencies lead, unless the unit names
    its own subject, or starts with "Phối hợp với X" (then X leads when it is
    an agency and the heading's agencies support).
    """
    lead, support = inline_assignment(unit.text)
    if not (heading_leads and use_heading):
        return lead, support
    if lexical_form(_BULLET.sub("", unit.text)).startswith("phối hợp"):
        named = [a for a in support if _head_at(a)]
        lead = lead or named
        return lead, [a for a in heading_leads if a not in lead] + [a for a in support if a not in lead]
    return lead or heading_leads, support


def _content_label(label: str) -> bool:
    """A section opened by a numbered sentence (a clause of a law, "3. Các cơ quan … chủ động …")."""
    return label.endswith("…") or label.rstrip().endswith((".", ";", ","))


def section_agencies(section: str) -> list[str]:
    """Agencies the section's headings give work to.

    The innermost titled heading decides ("2.2. Sở Nội vụ", "Điều 9. Trách
    nhiệm của Bộ Công an"); the clauses numbered under it inherit it.
    """
    for label in reversed(section.split(SEP) if section else []):
        if not _content_label(label):
            return heading_agencies(label)
    return []


def _section_groups(passages: list[Passage]) -> list[tuple[str, list[Passage]]]:
    """Consecutive body passages of one section (a long section is cut into several)."""
    groups: list[tuple[str, list[Passage]]] = []
    for p in passages:
        if p.kind != "body":
            continue
        if groups and groups[-1][0] == p.section:
            groups[-1][1].append(p)
        else:
            groups.append((p.section, [p]))
    return groups


def _prose_tasks(doc_id: str, lines: list[str], passages: list[Passage]) -> list[Task]:
    tasks: list[Task] = []
    for section, group in _section_groups(passages):
        label = section.split(SEP)[-1] if section else ""
        heading_leads = section_agencies(section)
        indices = sorted({k for p in group for k in range(p.line_start - 1, p.line_end)})
        skip = _heading_lines(lines, indices, label)
        units = _units(lines, [k for k in indices if k not in skip])
        has_bullets = any(u.bullet for u in units)
        for unit in units:
            if _skip_unit(unit.text):
                continue
            lead, support = _unit_assignment(unit, heading_leads, unit.bullet or not has_bullets)
            if not lead and not (heading_leads and set(heading_leads) <= set(support)):
                continue  # no agency named: not an assignment
            first = unit.lines[0] + 1
            passage = next((p for p in group if p.line_start <= first <= p.line_end), group[0])
            tasks.append(
                Task(
                    task_id="",
                    doc_id=doc_id,
                    origin="prose",
                    duty=_squash(_BULLET.sub("", unit.text, count=1)),
                    lead=lead,
                    support=[a for a in support if a not in lead],
                    deadline=prose_deadline(unit.text),
                    section=section,
                    line_start=first,
                    line_end=unit.lines[-1] + 1,
                    passage_id=passage.passage_id,
                )
            )
    return tasks


# ---------------------------------------------------------------------------
# Table assignments
# ---------------------------------------------------------------------------

_DEFAULT_LEAD = re.compile(r"\(([^():]*\b(?:don vi|co quan)\b[^():]*):\s*([^()]+)\)")


def default_lead(texts: list[str]) -> list[str]:
    """Agencies named by "(Đơn vị thống kê, báo cáo: Sở X, Sở Y)" in the headings above a table."""
    for text in texts:
        m = _DEFAULT_LEAD.search(fold(text))
        if m:
            return split_agencies(text[m.start(2) : m.end(2)])
    return []


def _table_context(table: Table, lines: list[str], table_passages: list[Passage]) -> list[str]:
    """Texts that may name a default lead: the lines just above the table, then its headings inward-out."""
    inside = [p for p in table_passages if table.line_start <= p.line_start <= table.line_end]
    parts = inside[0].section.split(SEP) if inside and inside[0].section else []
    before = [lines[k] for k in range(max(0, table.line_start - 5), table.line_start - 1) if lines[k].strip()]
    return list(reversed(before)) + list(reversed(parts))


def _entry_task(doc_id: str, entry: TableEntry, lead: list[str], passage: Passage | None) -> Task:
    return Task(
        task_id="",
        doc_id=doc_id,
        origin="table",
        stt=entry.stt,
        stt_inferred=entry.stt_inferred,
        group=entry.group,
        objective=_squash(entry.value("objective", " ")) or None,
        duty=entry.value("duty") or None,
        activities=entry.value("activities") or None,
        product=entry.value("product") or None,
        lead=lead,
        support=split_agencies(entry.first("support")),
        deadline="; ".join(_unique([_deadline_text(v) for v in entry.values.get("deadline", [])])) or None,
        section=passage.section if passage else "",
        line_start=entry.line_start,
        line_end=entry.line_end,
        passage_id=passage.passage_id if passage else None,
    )


def _table_tasks(doc_id: str, lines: list[str], passages: list[Passage]) -> list[Task]:
    """Task rows of task tables; of statistics tables, the numbered rows that name a unit."""
    tasks: list[Task] = []
    table_passages = [p for p in passages if p.kind in ("table_row", "table")]
    for table in parse_tables(lines):
        fallback = default_lead(_table_context(table, lines, table_passages))
        has_lead_col = bool(table.role_index("lead"))
        for entry in table.entries:
            lead = split_agencies(entry.first("lead"))
            if not lead and (not has_lead_col or table.kind == "stat"):
                lead = list(fallback)
            if table.kind == "stat" and (entry.stt is None or not lead):
                continue
            if table.kind == "task" and entry.stt is None and not (lead or entry.value("duty")):
                continue
            passage = next((p for p in table_passages if p.line_start <= entry.line_start <= p.line_end), None)
            tasks.append(_entry_task(doc_id, entry, lead, passage))
    return tasks


def extract_tasks(doc_id: str, text: str, passages: list[Passage]) -> list[Task]:
    """All assignments of a document — table rows and prose — in document order.

    ``text`` is the normalised text the passages were cut from (by
    ``indexer.structure.split_passages``); each task points at its passage.
    """
    lines = text.split("\n")
    tasks = _table_tasks(doc_id, lines, passages) + _prose_tasks(doc_id, lines, passages)
    tasks.sort(key=lambda t: (t.line_start, t.origin != "table"))
    for n, task in enumerate(tasks, 1):
        task.task_id = f"{doc_id}:t{n}"
    return tasks
