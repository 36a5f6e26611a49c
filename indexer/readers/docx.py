"""Word (.docx): paragraphs and tables in body order, as the document model.

Two things a plain text dump loses are kept here:

* **Auto-numbered headings.** Word prints "1.", "II.", "a)" from the
  numbering definitions, not from the text; the label is computed from the
  paragraph's list level and written in front of its text, so the one heading
  grammar of :mod:`indexer.structure` reads a Word plan as it reads a text file.
* **Tables as tables.** Each row becomes one text line ("cell | cell | …") for
  display and citations, and a :class:`indexer.model.Table` keeps the cells; a
  vertically merged cell (a task with several products or deadlines) is carried
  down into the rows it spans, marked ``carried``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from indexer.model import Cell, Layout, Table
from indexer.normalise import normalise_text
from indexer.readers.base import LoadError
from indexer.tables import header_depth

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) if n >= 1 else "a"


_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerLetter": _letter,
}


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    """Word's list definitions and the running counters of each list."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl -> level
    starts: dict[tuple[str, int], int] = field(default_factory=dict)  # (numId, ilvl) -> start override
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: object) -> _Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in node.findall(f"{_W}lvl"):
                level = _Level()
                for tag, attr in (("numFmt", "fmt"), ("lvlText", "text")):
                    child = lvl.find(f"{_W}{tag}")
                    if child is not None and child.get(f"{_W}val") is not None:
                        setattr(level, attr, child.get(f"{_W}val"))
                start = lvl.find(f"{_W}start")
                if start is not None and (start.get(f"{_W}val") or "").isdigit():
                    level.start = int(start.get(f"{_W}val"))
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = level
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for num in root.findall(f"{_W}num"):
            num_id = num.get(f"{_W}numId", "")
            ref = num.find(f"{_W}abstractNumId")
            numbering.levels[num_id] = abstract.get(ref.get(f"{_W}val", "") if ref is not None else "", {})
            for override in num.findall(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None and (start.get(f"{_W}val") or "").isdigit():
                    numbering.starts[(num_id, int(override.get(f"{_W}ilvl", "0")))] = int(start.get(f"{_W}val"))
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        """The printed label of the next paragraph of list ``num_id`` at level ``ilvl`` ("2.", "II.", "a)", "-")."""
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return ""
        level = levels.get(ilvl, _Level())
        if level.fmt == "bullet":
            return "-"
        if level.fmt == "none":
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = self.starts.get((num_id, ilvl), level.start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def value(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lv = levels.get(k, _Level())
            n = counters.get(k, self.starts.get((num_id, k), lv.start))
            return _FORMATS.get(lv.fmt, str)(n)

        return re.sub(r"%(\d)", value, level.text).strip()


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Tracked deletions (w:del, w:moveFrom) are in no wrapper set: text the author struck out is not the document's.
_BLOCKS = frozenset({f"{_W}p", f"{_W}tbl"})
_RUNS = frozenset({f"{_W}r"})
_BLOCK_WRAPPERS = frozenset({f"{_W}customXml", f"{_W}ins", f"{_W}moveTo", f"{_W}sdtContent"})
_RUN_WRAPPERS = frozenset({f"{_W}hyperlink", f"{_W}ins", f"{_W}moveTo", f"{_W}smartTag", f"{_W}fldSimple",
                           f"{_W}customXml", f"{_W}sdtContent"})


def _inner(parent: Any, wanted: frozenset[str], wrappers: frozenset[str]) -> Iterator[Any]:
    """The ``wanted`` children of ``parent`` in order, also those inside content controls and the
    other ``wrappers`` (custom XML, tracked insertions, smart tags …), which python-docx's own
    iteration skips: templates and drafts with tracked changes would lose whole paragraphs."""
    for child in parent.iterchildren():
        if child.tag in wanted:
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _inner(content, wanted, wrappers)
        elif child.tag in wrappers:
            yield from _inner(child, wanted, wrappers)


def _block_elements(container: Any) -> Iterator[Any]:
    """The ``w:p`` and ``w:tbl`` of a body or cell in order."""
    return _inner(container, _BLOCKS, _BLOCK_WRAPPERS)


def _runs(paragraph: Any) -> Iterator[Any]:
    """The runs of a paragraph in order (``Paragraph.text`` reads only direct runs and hyperlinks)."""
    return _inner(paragraph, _RUNS, _RUN_WRAPPERS)


def _paragraph_text(p: Any) -> str:
    return "".join(r.text for r in _runs(p))


def _text_boxes(p: Any) -> list[Any]:
    """Text boxes anchored in a paragraph (a letterhead or a stamp drawn in a box); the VML
    fallback copy of a box is skipped so its text is read once."""
    return [box for box in p.iter(f"{_W}txbxContent")
            if not any(a.tag == f"{_MC}Fallback" for a in box.iterancestors() if a is not p)
            and next(box.iterancestors(f"{_W}p"), None) is p]


def _numbering_of(paragraph: object) -> tuple[str, int] | None:
    """(numId, level) of a paragraph, from its own properties or its style's."""
    for source in (paragraph._p, getattr(paragraph.style, "element", None)):  # type: ignore[attr-defined]
        ppr = source.pPr if source is not None else None
        num = ppr.numPr if ppr is not None else None
        if num is not None and num.numId is not None:
            return str(num.numId.val), int(num.ilvl.val) if num.ilvl is not None else 0
    return None


def _paragraph_lines(paragraph: object, numbering: _Numbering, *, empty_numbered: bool = False) -> list[str]:
    """The paragraph's lines with its list label in front; ``empty_numbered``: an empty paragraph
    prints its label too (a table's row-number column numbered by Word)."""
    text = _paragraph_text(paragraph._p).replace("\t", " ")  # type: ignore[attr-defined]
    found = _numbering_of(paragraph)
    label = numbering.label(*found) if found and (text.strip() or empty_numbered) else ""
    if label and not text.lstrip().startswith(label):
        text = f"{label} {text.lstrip()}"
    return text.split("\n")


def _bold(cell: object) -> bool:
    """Every run with text is bold (directly or by its style): a header or a group title."""
    from docx.text.run import Run

    runs = [Run(r, cell) for p in cell._tc.iter(f"{_W}p") for r in _runs(p) if r.text.strip()]  # type: ignore[attr-defined]
    return bool(runs) and all(r.bold or (r.bold is None and r.style is not None and r.style.font.bold) for r in runs)


def _cell_lines(container: Any, parent: object, numbering: _Numbering) -> list[str]:
    """A cell's (or text box's) lines with the list labels Word prints in it ("1.", "a)", "-"),
    which its text lacks; a table nested in the cell gives one "cell | cell" line per row."""
    from docx.text.paragraph import Paragraph

    blocks = [(b, Paragraph(b, parent) if b.tag == f"{_W}p" else None)  # type: ignore[arg-type]
              for b in _block_elements(container)]
    numbered = any(_numbering_of(p) for _, p in blocks if p is not None)
    lines: list[str] = []
    for block, paragraph in blocks:
        if paragraph is not None:
            lines.extend(_paragraph_lines(paragraph, numbering, empty_numbered=True) if numbered
                         else [_paragraph_text(block)])
            for box in _text_boxes(block):
                lines.extend(_cell_lines(box, parent, numbering))
        else:
            lines.extend(_nested_row_lines(block, parent, numbering))
    return lines


def _one_line(lines: list[str]) -> str:
    """A cell's lines on one line ("Sở Tư pháp / Sở Nội vụ"), as a table row prints it."""
    return " / ".join(part.strip() for part in lines if part.strip())


def _nested_row_lines(tbl: Any, parent: object, numbering: _Numbering) -> list[str]:
    """A table nested in a cell, one "cell | cell" line per row (a merged cell once)."""
    from docx.table import Table as DocxTable

    out = []
    for row in DocxTable(tbl, parent).rows:  # type: ignore[arg-type]
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(_one_line(_cell_lines(cell._tc, cell, numbering)))
        out.append(" | ".join(cell for cell in cells if cell))
    return out


def _cell_text(cell: object, numbering: _Numbering) -> str:
    return "\n".join(_cell_lines(cell._tc, cell, numbering))  # type: ignore[attr-defined]


def _is_frame(table: Any) -> bool:
    """A table used as a page frame: one row or one column whose cells hold a whole table.
    Its content is read as body content, so the inner task table is a table block."""
    rows = table.findall(f"{_W}tr")
    widths = {len(tr.findall(f"{_W}tc")) for tr in rows}
    nested = any(tc.find(f"{_W}tbl") is not None for tr in rows for tc in tr.findall(f"{_W}tc"))
    return nested and (len(rows) == 1 or widths == {1})


def _table(table: object, first_line: int, numbering: _Numbering) -> tuple[list[str], Table]:
    """Row lines and the table block; ``first_line`` is the 1-based line of the first row."""
    lines: list[str] = []
    rows: list[list[Cell]] = []
    above: list[object] = []
    for r, row in enumerate(table.rows):  # type: ignore[attr-defined]
        line_no = first_line + r
        raw_cells = list(row.cells)
        cells: list[Cell] = []
        shown: list[str] = []
        for c, cell in enumerate(raw_cells):
            spanned = c > 0 and cell._tc is raw_cells[c - 1]._tc
            carried = c < len(above) and cell._tc is above[c]._tc  # type: ignore[attr-defined]
            if spanned:
                text = ""
            elif carried and rows and c < len(rows[-1]):
                text = rows[-1][c].text  # a merged cell is read once: its list labels are counted once
            else:
                text = normalise_text(_cell_text(cell, numbering).replace("\t", " ")).strip()
            cells.append(Cell(text, line_no, line_no, carried=carried and bool(text), bold=bool(text) and _bold(cell)))
            if not spanned and text:
                shown.append(_one_line(text.split("\n")))
        above = raw_cells
        rows.append(cells)
        lines.append(" | ".join(shown))
    width = max((len(r) for r in rows), default=0)
    for cells in rows:
        at = cells[-1].line_start if cells else first_line
        cells.extend(Cell("", at, at) for _ in range(width - len(cells)))
    return lines, Table("docx", rows, header_depth(rows), first_line, first_line + max(0, len(rows) - 1))


def read_docx(source: str, data: bytes) -> Layout:
    """Paragraphs and tables in body order; a table is surrounded by blank lines."""
    try:
        import docx  # python-docx
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise LoadError(source, f"không mở được tệp Word (.docx): {exc}") from exc
    numbering = _Numbering.of(document)
    lines: list[str] = []
    tables: list[Table] = []

    def read(container: Any, parent: object) -> None:
        for element in _block_elements(container):
            if element.tag == f"{_W}p":
                paragraph = Paragraph(element, parent)
                lines.extend(normalise_text("\n".join(_paragraph_lines(paragraph, numbering))).split("\n"))
                for box in _text_boxes(element):
                    read(box, parent)
            elif _is_frame(element):
                for tc in element.iter(f"{_W}tc"):
                    if next(tc.iterancestors(f"{_W}tbl")) is element:
                        read(tc, parent)
            else:
                block = DocxTable(element, parent)
                if not block.rows:
                    continue
                lines.append("")
                row_lines, table = _table(block, len(lines) + 1, numbering)
                lines.extend(row_lines)
                lines.append("")
                if table.width:
                    tables.append(table)

    read(document.element.body, document._body)
    return Layout(text="\n".join(lines), tables=tables, format="docx")
