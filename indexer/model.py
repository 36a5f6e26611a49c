"""The document model: what every reader produces, whatever the file format.

A reader turns a file into normalised text (the text citations quote, one line
per printed line) and the *tables* it printed, recognised once by the reader of
that format — a Word table, a markdown pipe table, the one-cell-per-line layout
of crawled web pages, tab-separated rows, an OCR'd scan. Each cell knows the
lines it is printed on, so later stages (structure, metadata, tasks, the web
page) read rows and cells instead of re-discovering tables from raw lines.

``indexer.structure`` then adds the other blocks — headings with their level
and number, paragraphs, list items, the header, *Căn cứ*, recipients — from the
one heading grammar every format shares (a Word reader writes auto-numbered
headings' numbers into its text, so the same grammar applies).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Cell:
    """One table cell as printed: its text (lines joined by "\\n") and where it is."""

    text: str
    line_start: int  # 1-based lines of the document text the cell is printed on
    line_end: int
    # A merged cell's value repeated in the rows it spans (a task with several
    # products or deadlines, a lead agency over several sub-tasks).
    carried: bool = False
    bold: bool = False  # printed in bold: header cells, group titles

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Table:
    """A table block: physical rows (header rows first), every row as wide as the table."""

    layout: str  # docx | html | pipe | bars | cells | tsv | ocr — how the file printed it
    rows: list[list[Cell]]
    header_rows: int = 1
    line_start: int = 0  # 1-based, first and last line of the whole table
    line_end: int = 0
    # What the table is for, set by the reader when the layout says so:
    # "letterhead" (issuer | motto; number | place and date), "signature"
    # (recipients | signer) or "" for a table of content.
    role: str = ""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def header(self) -> list[str]:
        """Per column, the texts of all header rows (a two-level header reads "Năm 2026 Dự toán")."""
        return [" ".join(parts) for parts in self.header_levels()]

    def header_levels(self) -> list[list[str]]:
        """Per column, the distinct texts of its header rows, top down ("Cơ quan thực hiện", "Chủ trì")."""
        out: list[list[str]] = []
        for col in range(self.width):
            parts: list[str] = []
            for row in self.rows[: self.header_rows]:
                text = " ".join(row[col].text.split()) if col < len(row) else ""
                if text and text not in parts:
                    parts.append(text)
            out.append(parts)
        return out

    @property
    def body(self) -> list[list[Cell]]:
        return self.rows[self.header_rows :]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        rows = [[Cell(**c) for c in row] for row in data["rows"]]
        return cls(data["layout"], rows, data.get("header_rows", 1), data.get("line_start", 0),
                   data.get("line_end", 0), data.get("role", ""))


@dataclass
class Block:
    """A unit of the document's layout, in reading order, with its line span.

    ``kind``: header | title | basis | heading | paragraph | item | table |
    recipients. Headings carry their ``level`` (0 = appendix, 1 = part … 9 =
    lettered point) and printed ``number`` ("II", "2.1", "a"); table blocks the
    index of their table in ``Document.tables``.
    """

    kind: str
    line_start: int
    line_end: int
    level: float | None = None
    number: str | None = None
    table: int | None = None


@dataclass
class Page:
    """One printed page: the lines of the document text it holds and how its text was obtained.

    Why: a citation of a scanned document must name the page a reader can check, and
    an OCR'd page carries Tesseract's confidence so the reader knows how far to trust it.
    """

    number: int  # 1-based, as the file numbers its pages
    line_start: int  # 1-based lines of the document text; 0 when the page gave no text
    line_end: int
    method: str = "text"  # text (the file's own text layer) | ocr (recognised by Tesseract) | none
    confidence: float | None = None  # mean word confidence 0–100 of an OCR'd page
    seconds: float = 0.0  # recognition time (0 when read from the text layer or the OCR cache)


@dataclass
class Layout:
    """What a reader hands on: normalised text and the tables it printed."""

    text: str
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    format: str = "text"  # text | markdown | docx | doc | pdf | html
    pages: list[Page] = field(default_factory=list)  # for paged formats (PDF); empty otherwise


def page_of_line(pages: list[Page], line: int) -> int | None:
    """The number of the page that prints 1-based ``line``, or None for an unpaged document."""
    for page in pages:
        if page.line_start and page.line_start <= line <= page.line_end:
            return page.number
    return None


def cell_lines(lines: list[str], start: int, end: int) -> str:
    """The text of 1-based lines ``start``..``end``, stripped, joined by newlines."""
    return "\n".join(line.strip() for line in lines[start - 1 : end]).strip()
