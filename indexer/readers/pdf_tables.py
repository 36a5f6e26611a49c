"""Ruled tables on the text-layer pages of a PDF, read from the rules the page draws.

A PDF's text layer has no tables: pypdf gives a task table's cells as jumbled
lines. The rules a table is printed with are there, though, and pdfplumber (pure
Python, on pdfminer.six) turns them into a grid of cell boxes; each word of the
page goes to the box its centre falls in. From there the PDF is read as the
Word reader reads a .docx: one "cell | cell | …" line per row in the text, a
:class:`indexer.model.Table` (``layout="pdf"``) with the cells, a vertically
merged cell carried down into the rows it spans (``Cell.carried``) and a
horizontally merged one leaving blank cells on its right.

Three things only a printed page does are undone:

* **Wrapped lines inside a cell** are joined back when the next line's first word
  would not have fitted on the line (the typesetter had to wrap); a line ended by
  "." ";" ":" or followed by an item ("- …", "1. …") is kept as its own line.
* **A table broken across pages** continues as one table when the next page
  starts with a grid of the same columns: a repeated header is dropped, and a row
  split by the page break (its number cell blank, its text going on in lower
  case) is joined to the row it continues.
* **Double rules** give hairline rows or columns with nothing in them; dropped.

Only ruled tables are recognised: a table printed without rules stays text, as
before, for the text readers' layouts to find.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from indexer.model import Cell, Table
from indexer.normalise import fold, normalise_text
from indexer.tables import header_depth
from indexer.readers.text import unwrap

# A grid must hold this many rows and columns to be a table (a framed note is one cell).
MIN_ROWS, MIN_COLUMNS = 2, 2
# Cell edges this close (points) are one column edge when a table's pages are compared;
# the same table printed on two pages has the same edges, to rounding.
COLUMN_TOLERANCE = 3.0
# A column or row thinner than this (points) with nothing in it is the gap of a double rule.
HAIRLINE = 4.0
# Words whose tops are this close (points) are one printed line of a cell.
LINE_TOLERANCE = 2.5
# Text between a table and the page edge this short is a page number or running header,
# not something that ends the table before a page break.
PAGE_FURNITURE_CHARS = 40
_ITEM = re.compile(r"^(?:[-+•–*]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]\s|[a-zđ]\)\s)")
_ENDS_CLAUSE = (".", ";", ":", "!", "?")


@dataclass
class GridCell:
    """A cell of a page grid: its text (printed lines joined where they were wrapped)."""

    text: str
    carried: bool = False
    bold: bool = False


@dataclass
class Grid:
    """One ruled table of one page: rows of cells (every row as wide as the grid) and its column edges."""

    rows: list[list[GridCell]]
    edges: list[float]  # x of every column's left edge, then the right edge of the last column
    top: float
    bottom: float

    @property
    def width(self) -> int:
        return len(self.edges) - 1


Segment = str | Grid  # a page is read as text segments and grids, top to bottom


def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return "bold" in name or "black" in name or name.endswith((",b", "-b"))


def _cell_lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The cell's words grouped into printed lines, top to bottom, each left to right."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _cell_text(words: list[dict[str, Any]], box: tuple[float, float, float, float], padding: float) -> str:
    """The printed lines of a cell, a wrapped line joined to the one it continues.

    A line was wrapped when the next line's first word (and a space) would not have
    fitted in what the line left free of the cell's width; a forced break leaves room.
    """
    lines = _cell_lines(words)
    out: list[str] = []
    previous: list[dict[str, Any]] | None = None
    free_width = (box[2] - box[0]) - 2 * padding
    for line in lines:
        text = " ".join(w["text"] for w in line)
        if previous is not None and out:
            used = previous[-1]["x1"] - previous[0]["x0"]
            first = line[0]
            space = 0.25 * float(first.get("size") or 10)
            wrapped = (first["x1"] - first["x0"]) + space > free_width - used
            if wrapped:
                joined = _join_lines(out[-1], text)
                if "\n" not in joined:
                    out[-1] = joined
                    previous = line
                    continue
        out.append(text)
        previous = line
    return normalise_text("\n".join(out)).strip()


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _positions(values: list[float]) -> list[float]:
    """Distinct coordinates, those within a rounding error of each other taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.0:
            out.append(v)
    return out


def _index(positions: list[float], value: float) -> int:
    return min(range(len(positions)), key=lambda k: abs(positions[k] - value))


def _grid(table: Any, words: list[dict[str, Any]]) -> Grid | None:
    """A pdfplumber table as a grid of cells, merged cells resolved as the Word reader does."""
    boxes: list[tuple[float, float, float, float]] = [tuple(c) for c in table.cells]
    if not boxes:
        return None
    xs = _positions([b[0] for b in boxes])
    tops = _positions([b[1] for b in boxes])
    right = max(b[2] for b in boxes)
    bottom = max(b[3] for b in boxes)
    texts: dict[int, list[dict[str, Any]]] = {k: [] for k in range(len(boxes))}
    for word in words:
        for k, box in enumerate(boxes):
            if _inside(word, box):
                texts[k].append(word)
                break
    # The cell padding of the table: the least gap between a cell's left rule and its text.
    gaps = [min(w["x0"] for w in ws) - boxes[k][0] for k, ws in texts.items() if ws]
    padding = max(0.5, min(min(gaps, default=2.0), 8.0))
    owner: dict[tuple[int, int], tuple[int, bool]] = {}  # (row, col) -> (box, is its top-left)
    cells: dict[int, GridCell] = {}
    for k, box in enumerate(boxes):
        r0, c0 = _index(tops, box[1]), _index(xs, box[0])
        ws = texts[k]
        cells[k] = GridCell(_cell_text(ws, box, padding), bold=bool(ws) and all(_is_bold(w.get("fontname", "")) for w in ws))
        for r in range(r0, len(tops)):
            if r > r0 and tops[r] >= box[3] - 1.0:
                break
            for c in range(c0, len(xs)):
                if c > c0 and xs[c] >= box[2] - 1.0:
                    break
                owner[(r, c)] = (k, r == r0 and c == c0)
    rows: list[list[GridCell]] = []
    for r in range(len(tops)):
        row: list[GridCell] = []
        for c in range(len(xs)):
            k, origin = owner.get((r, c), (-1, False))
            if k < 0:
                row.append(GridCell(""))
            elif origin:
                row.append(cells[k])
            elif c == _index(xs, boxes[k][0]) and cells[k].text:  # under a vertically merged cell
                row.append(GridCell(cells[k].text, carried=True, bold=cells[k].bold))
            else:  # right of a horizontally merged cell
                row.append(GridCell(""))
        rows.append(row)
    edges = xs + [right]
    heights = [(tops + [bottom])[r + 1] - tops[r] for r in range(len(tops))]
    widths = [edges[c + 1] - edges[c] for c in range(len(xs))]
    keep_rows = [r for r in range(len(rows)) if heights[r] >= HAIRLINE or any(not c.carried and c.text for c in rows[r])]
    keep_cols = [c for c in range(len(xs)) if widths[c] >= HAIRLINE or any(row[c].text for row in rows)]
    rows = [[rows[r][c] for c in keep_cols] for r in keep_rows]
    rows = [row for row in rows if any(c.text for c in row)]
    if not rows:
        return None
    return Grid(rows, [edges[c] for c in keep_cols] + [right], tops[keep_rows[0]], bottom)


def _white(color: Any) -> bool:
    if not isinstance(color, (tuple, list)) or not color or not all(isinstance(v, (int, float)) for v in color):
        return False  # unset (black) or a pattern
    if len(color) == 4:  # CMYK: no ink is white
        return all(v <= 0.05 for v in color)
    return all(v >= 0.95 for v in color)


def _drawn_rule(obj: dict[str, Any]) -> bool:
    """A line or box a reader sees: not a white background (Word's shading or highlight behind text)."""
    kind = obj.get("object_type")
    if kind in ("line", "curve"):
        return not _white(obj.get("stroking_color"))
    if kind == "rect":
        stroked = obj.get("stroke") and not _white(obj.get("stroking_color"))
        filled = obj.get("fill") and not _white(obj.get("non_stroking_color"))
        return bool(stroked or filled)
    return True


def page_segments(page: Any) -> list[Segment] | None:
    """A pdfplumber page as text segments and ruled tables, top to bottom; None when it holds no table."""
    found = [t for t in page.filter(_drawn_rule).find_tables() if t.cells]
    if not found:
        return None
    words = page.extract_words(extra_attrs=["fontname", "size"])
    grids: list[tuple[tuple[float, float, float, float], Grid]] = []
    for k, table in enumerate(sorted(found, key=lambda t: t.bbox[1])):
        box = table.bbox
        grid = _grid(table, [w for w in words if _inside(w, box)])
        # A one-row grid is kept only first on the page: it may be the end of a table begun before.
        if grid is not None and grid.width >= MIN_COLUMNS and (len(grid.rows) >= MIN_ROWS or k == 0):
            grids.append((box, grid))
    if not grids:
        return None
    boxes = [box for box, _ in grids]

    def outside_tables(obj: dict[str, Any]) -> bool:
        return obj.get("object_type") != "char" or not any(_inside(obj, b) for b in boxes)

    text_page = page.filter(outside_tables)
    segments: list[Segment] = []
    band_top = 0.0
    for box, grid in grids + [((0.0, float(page.height), 0.0, float(page.height)), None)]:  # type: ignore[list-item]
        band = (0.0, band_top, float(page.width), max(band_top, box[1]))

        def in_band(obj: dict[str, Any], band: tuple[float, float, float, float] = band) -> bool:
            return obj.get("object_type") != "char" or band[1] <= (obj["top"] + obj["bottom"]) / 2 < band[3]

        text = text_page.filter(in_band).extract_text() if band[3] > band[1] else ""
        if text.strip():
            segments.append(text)
        if grid is not None:
            segments.append(grid)
        band_top = box[1]
    return segments


def read_page_segments(data: bytes, numbers: list[int]) -> dict[int, list[Segment]]:
    """For the given 1-based pages, the segments of those that hold a ruled table.

    A page pdfplumber cannot read keeps its pypdf text: the table is lost, not the page.
    """
    out: dict[int, list[Segment]] = {}
    try:
        import pdfplumber
    except ImportError:  # an install older than this reader: the pages read as text, as before
        return out
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception:  # pdfminer raises many kinds on files pypdf could read
        return out
    with pdf:
        for number in numbers:
            try:
                page = pdf.pages[number - 1]
                segments = page_segments(page)
                page.close()
            except Exception:
                continue
            if segments is not None:
                out[number] = segments
    return out


def _furniture(segment: Segment) -> bool:
    """A page number or running header between two parts of one table."""
    return isinstance(segment, str) and len(" ".join(segment.split())) <= PAGE_FURNITURE_CHARS


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= COLUMN_TOLERANCE for x, y in zip(a, b))


def _row_key(row: list[Cell] | list[GridCell]) -> list[str]:
    return [fold(" ".join(c.text.split())) for c in row]


@dataclass
class TableText:
    """The document's raw lines and table blocks, built page by page.

    Why here and not per page: a table broken across pages must be one block, so the
    table a page ends with stays open until the next page shows whether it goes on.
    """

    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    _open: tuple[Table, list[float]] | None = None
    _low: int = 0  # the fewest lines the document had while the current page was added

    def add_text(self, text_lines: list[str]) -> None:
        """Lines of a page read as plain text (no table on it): any open table ends."""
        if any(line.strip() for line in text_lines):
            self._open = None
        self.lines.extend(text_lines)

    def add_page(self, segments: list[Segment]) -> int:
        """A page that holds ruled tables: its text unwrapped as before, its grids as row lines.

        Returns the 0-based index of the page's first line: a table going on from the page
        before takes back the blank lines written after it.
        """
        self._low = len(self.lines)
        first_grid = next((k for k, s in enumerate(segments) if isinstance(s, Grid)), len(segments))
        if self._open is not None and not all(_furniture(s) for s in segments[:first_grid]):
            self._open = None
        for k, segment in enumerate(segments):
            if isinstance(segment, str):
                lines = unwrap(segment.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n"))
                if self._open is not None and not _furniture(segment):
                    self._open = None
                self.lines.extend(lines)
                continue
            table, edges = self._open if self._open is not None and k == first_grid else (None, None)
            if table is not None and edges is not None and _same_columns(edges, segment.edges):
                self._continue(table, segment)
            else:
                table = self._start(segment)
            self._open = (table, segment.edges)
        if segments and isinstance(segments[-1], str) and not _furniture(segments[-1]):
            self._open = None
        return self._low

    def _row_line(self, row: list[Cell]) -> str:
        shown = [" / ".join(p.strip() for p in c.text.split("\n") if p.strip()) for c in row
                 if c.text and not c.carried]
        return " | ".join(shown)

    def _append_rows(self, grid_rows: list[list[GridCell]]) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        for grid_row in grid_rows:
            at = len(self.lines) + 1
            row = [Cell(c.text, at, at, carried=c.carried, bold=c.bold) for c in grid_row]
            self.lines.append(self._row_line(row))
            rows.append(row)
        return rows

    def _start(self, grid: Grid) -> Table:
        if self.lines and self.lines[-1].strip():
            self.lines.append("")
        first = len(self.lines) + 1
        rows = self._append_rows(grid.rows)
        table = Table("pdf", rows, header_depth(rows), first, len(self.lines))
        self.lines.append("")
        if len(rows) >= MIN_ROWS and grid.width >= MIN_COLUMNS:
            self.tables.append(table)
        return table

    def _continue(self, table: Table, grid: Grid) -> None:
        """The table goes on from the page before: header dropped if repeated, a split row joined."""
        while len(self.lines) > table.line_end and not self.lines[-1].strip():
            self.lines.pop()  # the blank lines after the table's last row and between the pages
        self._low = min(self._low, len(self.lines))
        body = list(grid.rows)
        header = [_row_key(r) for r in table.rows[: table.header_rows]]
        repeated = 0
        while repeated < len(header) and repeated < len(body) and _row_key(body[repeated]) == header[repeated]:
            repeated += 1
        for row in body[:repeated]:  # printed again on this page: a line of the text, not rows of the table
            self.lines.append(self._row_line([Cell(c.text, 0, 0, c.carried) for c in row]))
        body = body[repeated:]
        rows = self._append_rows(body)
        if rows and len(table.rows) > table.header_rows and not rows[0][0].text:
            if _continues_row(rows[0]):
                _join_row(table.rows[-1], rows.pop(0))
            else:
                _carry_left(table.rows[-1], rows[0])
        table.rows.extend(rows)
        table.line_end = len(self.lines)
        self.lines.append("")
        if table not in self.tables and len(table.rows) >= MIN_ROWS and table.width >= MIN_COLUMNS:
            self.tables.append(table)


def _continues_row(row: list[Cell]) -> bool:
    """The first row of a page, with no number of its own, is the rest of the row the page break
    split (Word and LibreOffice let a row break across pages unless told not to): its text goes
    on mid-sentence (a small letter), or only a few of its cells go on at all. A sub-row under
    merged cells that starts a page fills its own cells (product, deadline, lead)."""
    own = [c for c in row[1:] if c.text and not c.carried]
    if row[0].text or not own:
        return False
    return any(c.text[:1].islower() for c in own) or len(own) * 2 < len(row) - 1


def _carry_left(above: list[Cell], row: list[Cell]) -> None:
    """A sub-row that starts a page under cells merged across the break (its number, its task):
    the blank cells left of its own text take the values above, as a merged cell is carried."""
    for cell, value in zip(row, above):
        if cell.text:
            break
        if value.text:
            cell.text, cell.carried, cell.bold = value.text, True, value.bold


def _join_lines(first: str, more: str) -> str:
    """Two pieces of one cell's text: one line when the break was a wrap (see ``_cell_text``)."""
    if first.endswith("-") and first[-2:-1].isalnum():
        return first + more  # "52/2015/NĐ-" + "CP": a number wrapped at its hyphen
    if first.endswith(_ENDS_CLAUSE) or _ITEM.match(more):
        return f"{first}\n{more}"
    return f"{first} {more}"


def _join_row(above: list[Cell], rest: list[Cell]) -> None:
    """Join the rest of a split row to its first part, cell by cell."""
    for cell, more in zip(above, rest):
        if not more.text or more.carried:
            continue
        cell.text = _join_lines(cell.text, more.text) if cell.text else more.text
        cell.carried = False
        cell.line_end = more.line_end
