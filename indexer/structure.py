"""Document structure: heading paths and the passages that search and citations use.

Vietnamese administrative documents share one skeleton: a header block
(issuer, national motto, "Số: …", place and date, document type, trích yếu),
the legal basis ("Căn cứ …"), headings — Phần / Chương / Mục / Điều in legal
texts, I. / 1. / 1.1. / a) in plans and letters — then "Nơi nhận", the
signature, and appendices ("PHỤ LỤC") that usually hold task tables.

``section_paths`` gives every line the heading path it sits under, kept on a
stack of heading levels; ``split_passages`` cuts passages that never cross a
heading, keeps the header, basis and recipients blocks apart, and renders
table rows as readable passages instead of cutting tables as prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from indexer.agencies import split_agencies
from indexer.model import Block, Table
from indexer.normalise import fold
from indexer.lines import line_groups
from indexer.records import SEP, Passage
from indexer.tables import TableEntry, TableView, render_entry, render_row
from indexer.vocabulary import DOC_TITLE_WORDS

__all__ = ["SEP", "section_paths", "split_passages"]

# All-caps document-type titles that open a new top-level part (" KẾ HOẠCH", "QUYẾT ĐỊNH:").
_DOC_TYPES = DOC_TITLE_WORDS
# First words of the sentence that ends the header block.
_OPENERS = ("can cu", "thuc hien", "theo de nghi", "xet de nghi", "xet ", "de trien khai", "de thuc hien",
            "nham ", "tren co so")
_BASIS = ("can cu", "theo de nghi", "xet de nghi", "xet ")
_RECIPIENTS = {"noi nhan": "Nơi nhận", "kinh gui": "Kính gửi"}
_VN_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the order of "a) b) … đ) e) g)" items


@dataclass
class _Heading:
    rank: float  # smaller is higher; PHỤ LỤC is -1, a new top-level branch
    style: str  # appendix | part | chapter | section | article | roman | arabic | decimalN | letter
    number: int | None
    label: str
    truncated: bool = False  # the label was shortened with "…"
    content: bool = False  # the heading line is a sentence ("Điều 2. Quyết định này có hiệu lực …")


# ---------------------------------------------------------------------------
# Heading recognition
# ---------------------------------------------------------------------------

_PHU_LUC = re.compile(r"^phu luc(?:\s+(?:so\s+)?(?:[0-9]+|[ivx]+)\b)?\s*[:.\-–]?\s*(.*)$")
_NAMED_LEVELS = (
    (
        re.compile(r"^phan\s+(?:thu\s+)?(nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi|[ivx]+|\d+)\b\s*[.:\-–]?\s*(.*)$"),
        0,
        "part",
    ),
    (re.compile(r"^chuong\s+([ivxlc]+|\d+)\b\s*[.:\-–]?\s*(.*)$"), 1, "chapter"),
    (re.compile(r"^muc\s+([ivxlc]+|\d+)\b\s*[.:\-–]?\s*(.*)$"), 2, "section"),
    (re.compile(r"^dieu\s+(\d+)[a-z]?\s*[.:]\s*(.*)$"), 3, "article"),
)
_ROMAN_H = re.compile(r"^([IVX]{1,6})\s*[.)]\s*([^\W\d_\s].*|[\"“(].*)$")
_DECIMAL_H = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+([^\W\d_].*|[\"“(].*)$")
_ARABIC_H = re.compile(r"^(\d{1,2})\s*[.)]\s+([^\W\d_].*|[\"“(].*)$")
_LETTER_H = re.compile(r"^([a-zđ])\s*\)\s+(\S.*)$")
# "A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH", "B. Bộ Khoa học và Công nghệ": groups above the roman numerals.
_UPPER_LETTER_H = re.compile(r"^([ABCDĐEGHKLMNOPQRSTUXY])\s*[.)]\s+([^\W\d_].{2,}|[\"“(].*)$")


def _roman(s: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    s = s.lower()
    return sum(-values[c] if k + 1 < len(s) and values[s[k + 1]] > values[c] else values[c] for k, c in enumerate(s))


def _upper_ratio(s: str) -> float:
    letters = [c for c in s if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _heading_like(rest: str) -> bool:
    """Short and not ending like a sentence: a title rather than a numbered paragraph."""
    core = re.sub(r"\([^()]*\)?", "", rest).strip()
    return 0 < len(core) <= 160 and not core.endswith((".", ";", ",", "…"))


def _label(rank: float, style: str, number: int | None, marker: str, rest: str) -> _Heading:
    """A heading whose label is the whole line, or its first words when the line is a sentence."""
    if not rest:
        return _Heading(rank, style, number, marker)
    if _heading_like(rest):
        return _Heading(rank, style, number, f"{marker} {rest}")
    words = rest.split()
    short = f"{marker} {' '.join(words[:10]).rstrip(',;:')}…" if len(words) > 10 else f"{marker} {rest}"
    return _Heading(rank, style, number, short, truncated=short.endswith("…"), content=True)


def _appendix(s: str) -> _Heading | None:
    """"PHỤ LỤC", "Phụ lục 1", "PHỤ LỤC II: …" — also an OCR'd "PHI,J LUC"."""
    f = fold(s).strip()
    if _PHU_LUC.match(f) and len(s) <= 200:
        return _Heading(-1, "appendix", None, s.strip())
    letters = re.sub(r"[^a-z ]", "", f)
    if len(s) <= 16 and _upper_ratio(s) >= 0.8 and SequenceMatcher(None, letters, "phu luc").ratio() >= 0.75:
        return _Heading(-1, "appendix", None, s.strip())
    return None


def _numbered(s: str) -> tuple[float, str, int, re.Match[str]] | None:
    """(rank, style, number, match) of "A.", "II.", "2.2.", "3.", "a)" headings."""
    m = _UPPER_LETTER_H.match(s)
    if m and _upper_ratio(m.group(2)) >= 0.6 and not _ROMAN_H.match(s):
        return 3.5, "upper-letter", _VN_LETTERS.upper().index(m.group(1)) + 1, m
    m = _ROMAN_H.match(s)
    if m:
        return 4.0, "roman", _roman(m.group(1)), m
    m = _DECIMAL_H.match(s)
    if m:
        parts = m.group(1).split(".")
        return 5.0 + len(parts) - 1, f"decimal{len(parts)}", int(parts[-1]), m
    m = _ARABIC_H.match(s)
    if m:
        return 5.0, "arabic", int(m.group(1)), m
    m = _LETTER_H.match(s)
    if m and m.group(1) in _VN_LETTERS:
        return 9.0, "letter", _VN_LETTERS.index(m.group(1)) + 1, m
    return None


def _parse_heading(line: str, stack: list[_Heading]) -> _Heading | None:
    """The heading a line opens, or None. ``stack`` is the current path.

    A numbered line that does not continue the numbering at its level (a "1."
    under a "2.") is a list item; a numbered sentence is a heading only when
    it continues that numbering, and then its label is shortened.
    """
    s = line.strip()
    if "\t" in line or len(s) < 2:
        return None
    head = _appendix(s)
    if head:
        return head
    f = fold(s)
    for rx, rank, style in _NAMED_LEVELS:
        m = rx.match(f)
        if m and (style != "section" or s[:1].isupper()):
            num = m.group(1)
            number = int(num) if num.isdigit() else (_roman(num) if re.fullmatch(r"[ivxlc]+", num) else None)
            return _label(rank, style, number, s[: m.start(2)].strip() or s, s[m.start(2) :].strip())
    found = _numbered(s)
    if not found:
        return None
    rank, style, number, m = found
    marker, rest = s[: m.start(2)].strip(), m.group(2).strip()
    same = next((h.number for h in reversed(stack) if h.style == style), None)
    if same is not None and number <= same:
        return None  # a list restarting under a heading of the same style
    if _heading_like(rest):
        return None if same is not None and number > same + 3 else _label(rank, style, number, marker, rest)
    follows = number == same + 1 if same is not None else number == 1
    return _label(rank, style, number, marker, rest) if follows else None


def _doc_title(s: str) -> bool:
    """An all-caps document-type line: "KẾ HOẠCH", "QUYẾT ĐỊNH:"."""
    s = s.strip()
    return bool(s) and _upper_ratio(s) >= 0.95 and fold(s).strip(" :.") in _DOC_TYPES


def _is_opener(folded: str) -> bool:
    """"Căn cứ …", "Thực hiện …" (also OCR'd, "Thirc hin …"): the body has begun."""
    if folded.startswith(_OPENERS):
        return True
    first = " ".join(folded.split()[:2])
    return any(SequenceMatcher(None, first, o).ratio() >= 0.75 for o in ("thuc hien", "can cu"))


def _is_bullet(s: str) -> bool:
    return bool(re.match(r"^\s*[-+•*–]", s))


def _recipients_label(s: str) -> str | None:
    """"Nơi nhận" / "Kính gửi" when the line opens a recipients list."""
    f = fold(s).strip()
    return next((label for key, label in _RECIPIENTS.items() if f.startswith(key)), None) if len(s) <= 40 else None


# ---------------------------------------------------------------------------
# Blocks: header, headings, titles
# ---------------------------------------------------------------------------


def _header_end(lines: list[str], stop: int | None = None, start: int = 0) -> int:
    """End (0-based, exclusive) of the header block: issuer, motto, number, date, title, trích yếu.

    The paragraph right after the document type (or "V/v") is the trích yếu,
    however long; the header ends at a heading, a "Căn cứ"/"Thực hiện" opener,
    "Nơi nhận", or a long sentence.
    """
    count = allowance = 0
    end = start
    in_para = False
    for i, raw in enumerate(lines[:stop]):
        if i < start:
            continue
        s = raw.strip()
        if not s:
            allowance = 0 if in_para else allowance  # the trích yếu paragraph is over
            continue
        f = fold(s)
        if f.startswith("kinh gui"):
            allowance = 0
        if count >= 30 or f.startswith(("noi nhan",) + _BASIS):
            break
        if allowance <= 0 and _is_opener(f):
            break
        title = _doc_title(s) or f.startswith(("v/v", "ve viec"))
        if not title and (_parse_heading(s, []) or _appendix(s)):
            break
        if not title and allowance <= 0 and len(s) > 110 and _upper_ratio(s) < 0.8:
            break
        in_para = allowance > 0 and not title
        allowance = 4 if title else allowance - 1
        count += 1
        end = i + 1
    return end


def _parenthetical(lines: list[str], j: int) -> tuple[int, str]:
    """A "( … )" starting at line ``j``, possibly over several lines: (line after it, text)."""
    text, k = lines[j].strip(), j + 1
    while text.count("(") > text.count(")") and k < len(lines) and k - j <= 4 and lines[k].strip():
        text += " " + lines[k].strip()
        k += 1
    return (k, text) if text.count("(") <= text.count(")") else (j, "")


def _caps_titles(lines: list[str], j: int) -> tuple[int, list[str]]:
    """All-caps title lines after "PHỤ LỤC" / "Phần thứ nhất" / "Chương I" (one blank line allowed)."""
    k, titles = j, []
    while k < len(lines):
        s = lines[k].strip()
        if not s:
            if titles or k > j:
                break
            k += 1
            continue
        if "\t" in lines[k] or s.startswith("(") or _upper_ratio(s) < 0.8 or _parse_heading(s, []):
            break
        titles.append(s)
        k += 1
        j = k
    return j, titles


def _wrapped(lines: list[str], i: int, limit: int = 6) -> int:
    """How many lines after ``i`` continue it: a hard wrap in the middle of a phrase.

    Saved web pages and PDF text layers break lines anywhere ("1. Bộ" / "trưởng,
    Thủ trưởng …"); a line that starts in lower case, and is not a lettered item,
    continues a line that did not end a sentence.
    """
    n = 0
    while n < limit and i + n + 1 < len(lines):
        prev, nxt = lines[i + n].rstrip(), lines[i + n + 1].strip()
        if not nxt or prev.endswith((".", ":", ";", "!", "?")) or _LETTER_H.match(nxt):
            break
        split_name = prev.split()[-1:] and _SECOND_HALF.get(prev.split()[-1]) == nxt.split()[0]
        if not nxt[:1].islower() and not (n == 0 and _NAME_QUALIFIER.match(nxt)) and not split_name:
            break
        n += 1
    return n


# Names whose two capitalised halves a wrap may part: "Liên minh Hợp tác xã Việt" / "Nam và …".
_SECOND_HALF = {"Việt": "Nam", "Chí": "Minh", "Hồ Chí": "Minh"}
# A place that ends an agency's name, capitalised, then the sentence: "3. Bộ Tư lệnh" / "Thành phố chủ trì …".
_NAME_QUALIFIER = re.compile(r"^(?:Thành phố|Tỉnh|Thủ đô|Trung ương|Quốc gia|Việt Nam)\s+[a-zđà-ỹ]")


def _heading_block(lines: list[str], i: int, head: _Heading, extra: int = 0) -> tuple[int, str]:
    """The lines a heading spans (wrapped lines, unclosed "(", caps title, "(Kèm theo …)") and its full label."""
    j = i + 1 + extra
    label = head.label
    text = " ".join(line.strip() for line in lines[i : j])
    while j < len(lines) and text.count("(") > text.count(")") and j - i <= 4 and lines[j].strip():
        text += " " + lines[j].strip()
        label += "" if head.truncated else " " + lines[j].strip()
        j += 1
    if head.style in ("appendix", "part", "chapter"):
        j, titles = _caps_titles(lines, j)
        label += f": {' '.join(titles)}" if titles else ""
    if j < len(lines) and lines[j].strip().startswith("("):
        k, par = _parenthetical(lines, j)
        if par and "kem theo" not in fold(par) and not head.truncated:
            label += " " + par  # "(Đơn vị thống kê, báo cáo: Sở Nội vụ)"
        j = k
    return j, " ".join(label.split())


def _title_block(lines: list[str], i: int) -> int:
    """A document-type title with its caps continuation and "(Ban hành kèm theo …)" lines."""
    j = i + 1
    while j < len(lines) and lines[j].strip() and "\t" not in lines[j]:
        s = lines[j].strip()
        if s.startswith("("):
            k, _ = _parenthetical(lines, j)
            j = max(k, j + 1)
            continue
        if _upper_ratio(s) < 0.8 or _parse_heading(s, []):
            break
        j += 1
    return j


# ---------------------------------------------------------------------------
# Line analysis
# ---------------------------------------------------------------------------


@dataclass
class _Analysis:
    """Per line: its role and heading path; the headings and tables found."""

    roles: list[str]  # header | basis | title | heading | heading+ | body | recipients | table | blank
    paths: list[str]
    headings: dict[int, _Heading] = field(default_factory=dict)  # 0-based heading line -> heading
    tables: list[Table] = field(default_factory=list)


class _Scanner:
    """Walks the lines once, keeping the stack of open headings."""

    def __init__(self, lines: list[str], tables: list[Table]) -> None:
        self.lines = lines
        self.tables = tables
        self.a = _Analysis(["blank"] * len(lines), [""] * len(lines))
        self.stack: list[_Heading] = []
        self.mode = "preamble"  # preamble | body | recipients
        self.recipients = ""
        self.addressed = False  # "Kính gửi" has named at least one addressee
        self.lists: dict[str, int] = {}  # style -> number of the last item of a running numbered list

    @property
    def path(self) -> str:
        return SEP.join(h.label for h in self.stack)

    def mark(self, start: int, end: int, role: str, path: str) -> None:
        for k in range(start, end):
            self.a.roles[k] = role if self.lines[k].strip() else "blank"
            self.a.paths[k] = path

    def table(self, table: Table) -> int:
        if table.role == "letterhead":
            self.mark(table.line_start - 1, table.line_end, "header", "")
            return table.line_end
        if table.role == "signature":
            self.stack, self.mode = [], "body"
            self.mark(table.line_start - 1, table.line_end, "recipients", "Nơi nhận")
            return table.line_end
        path = self.path
        self.mark(table.line_start - 1, table.line_end, "table", path)
        for row, group in TableView(table).row_groups():
            for k in range(min(c.line_start for c in row) - 1, max(c.line_end for c in row)):
                self.a.paths[k] = SEP.join(x for x in (path, group) if x)
        for k in range(table.line_start - 1, table.line_end):
            self.a.roles[k] = "table"
        if self.mode == "recipients":
            self.mode = "body"
        return table.line_end

    def heading(self, i: int, head: _Heading, extra: int = 0) -> int:
        if head.rank < 0:
            self.stack = []
        while self.stack and self.stack[-1].rank >= head.rank:
            self.stack.pop()
        end, head.label = _heading_block(self.lines, i, head, extra)
        self.stack.append(head)
        self.mode = "body"
        self.a.headings[i] = head
        self.mark(i, end, "heading+", self.path)
        self.a.roles[i] = "heading"
        return end

    def blank(self, i: int) -> int:
        self.a.paths[i] = self.recipients if self.mode == "recipients" else self.path
        if self.mode == "recipients":
            nxt = next((s.strip() for s in self.lines[i + 1 :] if s.strip()), "")
            self.mode = "recipients" if _is_bullet(nxt) else "body"
        return i + 1

    def line(self, i: int) -> int:
        """Classify line ``i`` and return the next line to look at."""
        s = self.lines[i].strip()
        if not s or s == "|":  # a cell separator of a layout table reads as a blank line
            return self.blank(i)
        label = _recipients_label(s)
        if label:
            self.stack, self.mode, self.recipients = [], "recipients", label
            self.addressed = bool(s.split(":", 1)[-1].strip()) if ":" in s else False
            self.mark(i, i + 1, "recipients", label)
            return i + 1
        if self.mode == "recipients" and self.recipients == "Kính gửi":
            if _is_bullet(s):
                self.addressed = True
            elif self.addressed:
                self.mode = "body"  # the addressees are listed; the letter's body begins
        if _doc_title(s):
            self.stack, self.mode = [], "body"
            end = _title_block(self.lines, i)
            self.mark(i, end, "title", "")
            return end
        extra = _wrapped(self.lines, i)
        head = self._heading_at(" ".join([s, *(line.strip() for line in self.lines[i + 1 : i + 1 + extra])]))
        if head:
            return self.heading(i, head, extra)
        if self.mode == "recipients":
            self.mark(i, i + 1, "recipients", self.recipients)
        elif self.mode == "preamble" and (fold(s).startswith(_BASIS) or (self._after_basis(i) and s[:1].islower())):
            self.mark(i, i + 1, "basis", "")
        else:
            self.mark(i, i + 1, "body", self.path)
        return i + 1

    def _heading_at(self, s: str) -> _Heading | None:
        """The heading line ``s`` opens; numbered items of a running list ("1. …; 2. …") are not headings."""
        if self.mode == "recipients" and not _appendix(s):
            return None
        found = _numbered(s)
        if found and self.lists.get(found[1]) == found[2] - 1:
            self.lists[found[1]] = found[2]
            return None
        head = _parse_heading(s, self.stack)
        if head:
            self.lists = {}
        elif found:
            self.lists[found[1]] = found[2]
        return head

    def _after_basis(self, i: int) -> bool:
        return i > 0 and self.a.roles[i - 1] == "basis"

    def run(self) -> _Analysis:
        self.a.tables = self.tables
        starts = {t.line_start - 1: t for t in self.tables if t.role != "layout"}
        letterhead = next((t for t in self.tables if t.role == "letterhead"), None)
        begin = letterhead.line_end if letterhead is not None else 0
        content = [t.line_start - 1 for t in self.tables if not t.role and t.line_start - 1 >= begin]
        header_end = _header_end(self.lines, min(content, default=None), begin)
        self.mark(0, header_end, "header", "")
        i = header_end
        while i < len(self.lines):
            i = self.table(starts[i]) if i in starts else self.line(i)
        return self.a


def section_paths(lines: list[str], tables: list[Table]) -> list[str]:
    """For each line, the heading path it sits under ("V. … › 2. … › 2.2. Sở Nội vụ").

    Header, basis and title lines get "", the recipients list "Nơi nhận";
    table rows get the table's path plus their group ("PHỤ LỤC … › I. …").
    """
    return _Scanner(lines, tables).run().paths


# ---------------------------------------------------------------------------
# Passages
# ---------------------------------------------------------------------------


@dataclass
class _Draft:
    start: int  # 0-based, inclusive
    end: int
    section: str
    kind: str
    text: str
    stt: str | None = None


def _sentence_pieces(line: str, max_chars: int) -> list[str]:
    """Cut an over-long line at sentence or clause ends into pieces of at most ``max_chars``."""
    bounds = [m.end() for m in re.finditer(r"[.;!?](?=\s+\S)|:(?=\s+[-+•])", line)] + [len(line)]
    pieces: list[str] = []
    start = cut = 0
    for b in bounds:
        if b - start > max_chars and cut > start:
            pieces.append(line[start:cut].strip())
            start = cut
        cut = b
    pieces.append(line[start:].strip())
    return [p for p in pieces if p]


def _pack(lines: list[str], units: list[list[int]], section: str, kind: str, max_chars: int) -> list[_Draft]:
    """Greedy packing of units (lists of line indices) into drafts of at most ``max_chars``.

    An over-long unit is cut between lines, and an over-long line between sentences.
    """
    drafts: list[_Draft] = []
    cur: list[int] = []

    def text_of(a: int, b: int) -> str:
        return "\n".join(lines[a : b + 1]).strip("\n")

    def flush() -> None:
        if cur:
            drafts.append(_Draft(cur[0], cur[-1], section, kind, text_of(cur[0], cur[-1])))
            cur.clear()

    for unit in (u for u in units if u):
        if len(text_of(cur[0] if cur else unit[0], unit[-1])) <= max_chars:
            cur.extend(unit)
            continue
        flush()
        if len(text_of(unit[0], unit[-1])) <= max_chars:
            cur.extend(unit)
            continue
        for k in unit:
            if len(lines[k]) > max_chars:
                flush()
                drafts.extend(_Draft(k, k, section, kind, p) for p in _sentence_pieces(lines[k], max_chars))
                continue
            if cur and len(text_of(cur[0], k)) > max_chars:
                flush()
            cur.append(k)
    flush()
    return drafts


def _body_units(lines: list[str], indices: list[int]) -> list[list[int]]:
    """Paragraphs and bullets: a new unit at each bullet and after each blank line."""
    return line_groups(lines, indices, _is_bullet)


def _stat_drafts(view: TableView, paths: list[str], max_chars: int) -> list[_Draft]:
    """A few rows at a time, the header repeated, logical rows kept whole."""
    header = " | ".join(" ".join(c.split()) for c in view.header if c.strip())
    drafts: list[_Draft] = []
    chunk: list[TableEntry] = []

    def flush() -> None:
        if chunk:
            body = "\n".join(render_row(r) for e in chunk for r in e.rows)
            a, b = chunk[0].line_start - 1, chunk[-1].line_end - 1
            drafts.append(_Draft(a, b, paths[a], "table", f"{header}\n{body}"))
            chunk.clear()

    for e in view.entries:
        size = len(header) + sum(len(render_row(r)) + 1 for x in chunk + [e] for r in x.rows)
        if chunk and (size > max_chars or len(chunk) >= 6 or paths[e.line_start - 1] != paths[chunk[0].line_start - 1]):
            flush()
        chunk.append(e)
    flush()
    return drafts


def _table_drafts(table: Table, paths: list[str], max_chars: int) -> list[_Draft]:
    """One passage per task row ("STT n — …"); other tables in chunks of rows; none for layout tables."""
    if table.role:
        return []
    view = TableView(table)
    if not view.is_task_table:
        return _stat_drafts(view, paths, max_chars)
    return [
        _Draft(e.line_start - 1, e.line_end - 1, paths[e.line_start - 1], "table_row",
               render_entry(view, e, split_agencies), e.stt)
        for e in view.entries
    ]


_KIND_OF_ROLE = {"header": "heading", "title": "heading", "basis": "basis", "recipients": "recipients"}


def _block_end(roles: list[str], i: int) -> int:
    """End of a header / basis / title / recipients block that starts at ``i`` (blank lines inside)."""
    role, j = roles[i], i
    while j < len(roles) and (roles[j] == role or (roles[j] == "blank" and role in roles[j : j + 3])):
        j += 1
    return j


def _section_drafts(lines: list[str], a: _Analysis, i: int, max_chars: int) -> tuple[list[_Draft], int]:
    """A heading (or a run of body lines) with the body under it; and the line after it."""
    roles, paths = a.roles, a.paths
    heading = [i] if roles[i] == "heading" else []
    j = i + 1 if heading else i
    while heading and j < len(lines) and roles[j] in ("heading+", "blank") and paths[j] == paths[i]:
        heading += [j] if roles[j] == "heading+" else []
        j += 1
    body_start = j
    while j < len(lines) and roles[j] in ("body", "blank") and paths[j] == paths[i]:
        j += 1
    units = ([heading] if heading else []) + _body_units(lines, list(range(body_start, j)))
    has_body = any(roles[k] == "body" for k in range(body_start, j))
    kind = "body" if has_body or (heading and a.headings[i].content) else "heading"
    return _pack(lines, units, paths[i], kind, max_chars), max(j, i + 1)


def split_passages(doc_id: str, text: str, tables: list[Table], *, max_chars: int = 1200) -> list[Passage]:
    """Passages that follow the document's structure, in document order.

    A passage is one of: a heading with the paragraphs and bullets under it
    (cut at line, sentence or bullet ends when longer than ``max_chars``); the
    header block or a title (kind "heading"); the *Căn cứ* block ("basis");
    the recipients list ("recipients"); one task-table row rendered as
    "STT n — Nhiệm vụ: … | Chủ trì: …" ("table_row"); or a few rows of a
    statistics table with its header repeated ("table").
    """
    lines = text.split("\n")
    a = _Scanner(lines, tables).run()
    drafts = [d for t in a.tables for d in _table_drafts(t, a.paths, max_chars)]
    i = 0
    while i < len(lines):
        role = a.roles[i]
        if role in ("table", "blank", "heading+"):
            i += 1
        elif role in _KIND_OF_ROLE:
            end = _block_end(a.roles, i)
            units = [[k] for k in range(i, end) if lines[k].strip() not in ("", "|")]
            drafts.extend(_pack(lines, units, a.paths[i], _KIND_OF_ROLE[role], max_chars))
            i = end
        else:
            more, i = _section_drafts(lines, a, i, max_chars)
            drafts.extend(more)
    drafts.sort(key=lambda d: (d.start, d.end))
    return [
        Passage(f"{doc_id}:p{n}", doc_id, d.section, d.text, d.start + 1, d.end + 1, d.kind, d.stt)
        for n, d in enumerate(drafts, 1)
    ]
