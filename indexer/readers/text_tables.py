"""Tables printed in plain text, recognised once, by the reader of text formats.

Four layouts come out of the files officials hold:

* ``pipe`` — markdown pipe tables ("| STT | Nhiệm vụ | Cơ quan chủ trì |", an
  optional "|---|" rule under the header), one row a line.
* ``bars`` — web pages saved by legal portals: every cell on its own line(s),
  cells separated by a line holding only "|", rows by two such lines. Rows under
  vertically merged cells print only their own cells, and an empty cell is one
  more "|" line, so rows are rebuilt by counting cells against the table width.
  Some pages print no row break at all: rows are then cut at the row-number
  column, or by the column count (:func:`_flat_rows`).
* ``cells`` — Word tables exported to text: one cell per line, each cell line
  starting with a tab, long cells continuing on lines without one.
* ``tsv`` — one row a line, cells separated by tabs.

Scanned tables (cells interleaved by OCR) are read by :mod:`indexer.readers.ocr_tables`.

Every table comes out as an :class:`indexer.model.Table` whose cells know their
lines, so nothing downstream parses "|" or tabs again. Recognition looks at the
raw lines (bold markers tell a header from a body row); cell texts are taken
from the normalised lines, which keep the same line numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.columns import cell_shape, column_role
from indexer.model import Cell, Table
from indexer.normalise import fold, normalise_text, squash
from indexer.tables import (
    continues_header,
    fit_row,
    header_depth,
    is_column_number,
    is_group_label,
    is_group_row,
    is_row_label,
    spread_header,
    task_columns,
    titled_header,
)

# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

def _cell(lines: list[str], start: int, end: int, *, bold: bool = False) -> Cell:
    """A cell over 0-based lines ``start``..``end`` (end < start: an empty cell at ``start``)."""
    if end < start:
        return Cell("", start + 1, start + 1)
    text = "\n".join(lines[k].strip() for k in range(start, end + 1)).strip()
    return Cell(text, start + 1, end + 1, bold=bold and bool(text))


# ---------------------------------------------------------------------------
# bars: one cell per line, "|" lines between cells
# ---------------------------------------------------------------------------


def _is_bar(line: str) -> bool:
    return line.strip() == "|"


@dataclass
class _Item:
    """The lines between two bar lines (0-based, inclusive); empty when ``end < start``."""

    start: int
    end: int

    @property
    def empty(self) -> bool:
        return self.end < self.start


_PROSE_START = re.compile(
    r"^(?:phu luc|dieu \d|chuong [ivxlc\d]|muc [ivxlc\d]|phan (?:thu|[ivx\d])|can cu|kinh gui|noi nhan|"
    r"[ivx]{1,5}\s*[.)]\s|\d{1,2}\s*\.\s+\S|\d{1,2}\.\d{1,2}\.?\s+\S)"
)
_DOC_TITLE = re.compile(r"^(?:quyet dinh|ke hoach|thong bao|nghi quyet|chi thi|cong dien|quy che|quy dinh|"
                        r"huong dan|chuong trinh|de an|bao cao|to trinh|phuong an)\s*:?$")


def _looks_like_prose(raw: list[str], item: _Item) -> bool:
    """Text after a table's closing bar: a heading, a title, or a run of paragraphs, not a cell."""
    if item.end - item.start >= 40:
        return True
    first = fold(raw[item.start].replace("*", "").strip())
    return bool(_PROSE_START.match(first) or _DOC_TITLE.match(first))


_STRONG_START = re.compile(r"^(?:phu luc(?:\s+(?:so\s+)?[ivx\d]+)?\b|dieu \d{1,3}\s*\.|chuong [ivxlc\d]+\b)")


def _starts_a_part(raw: list[str], item: _Item) -> bool:
    """A new part of the document: "PHỤ LỤC II", "Điều 3.", "Chương II", a title in capitals."""
    line = raw[item.start].replace("*", "").strip()
    first = fold(line)
    upper = sum(ch.isupper() for ch in line) >= 0.6 * max(1, sum(ch.isalpha() for ch in line))
    return bool((_STRONG_START.match(first) and (upper or "dieu" in first[:4])) or (_DOC_TITLE.match(first) and upper))


def _orphan_first_cell(raw: list[str], bar: int) -> _Item | None:
    """The first cell of a table whose leading bar was cut off with the file's start.

    Only at the very top of a file (a letterhead), and only a few lines.
    """
    filled = [k for k in range(bar) if raw[k].strip()]
    if not filled or len(filled) > 8 or any(not raw[k].strip() for k in range(filled[0], bar)):
        return None
    return _Item(filled[0], bar - 1)


def _heads_row_numbers(raw: list[str], item: _Item) -> bool:
    """The cell is the header of the row-number column: "STT", "TT", "**Số TT**"."""
    return column_role(_item_text(raw, item).replace("*", "")) == "stt"


def _header_cell_above(raw: list[str], bar: int) -> _Item | None:
    """The row-number header printed just above a table's first bar, whose own leading bar the
    conversion lost ("STT" / "|" / "Nội dung" / "|" …). Only "STT"/"TT": a title line above a
    table may name a column too ("DANH MỤC NHIỆM VỤ")."""
    above = _Item(bar - 1, bar - 1)
    return above if bar >= 1 and raw[bar - 1].strip() and _heads_row_numbers(raw, above) else None


def _bar_items(raw: list[str], bars: list[int], k: int) -> tuple[list[_Item], int]:
    """The items of the table whose first bar is ``bars[k]``; and the index of its closing bar."""
    items: list[_Item] = []
    row_len = 0
    widths: list[int] = []
    j = k
    while j + 1 < len(bars):
        item = _Item(bars[j] + 1, bars[j + 1] - 1)
        if not item.empty and any(not raw[x].strip() for x in range(item.start, item.end + 1)):
            break  # a blank line: the table is over (cells never hold one)
        if item.empty:
            if row_len:
                widths.append(row_len)
            row_len = 0
        else:
            known = max(widths, default=0)
            complete = row_len >= known if known >= 2 else row_len >= 2
            if row_len and (_starts_a_part(raw, item) or (complete and _looks_like_prose(raw, item))):
                break
            if _looks_like_prose(raw, item) and item.end - item.start >= 40:
                break
            row_len += 1
        items.append(item)
        j += 1
    return items, j


def _split_groups(items: list[_Item]) -> tuple[list[list[_Item]], list[int]]:
    """Runs of filled items, and how many empty items separate each run from the next."""
    groups: list[list[_Item]] = [[]]
    gaps: list[int] = []
    for item in items:
        if item.empty:
            if groups[-1]:
                groups.append([])
                gaps.append(1)
            elif gaps:
                gaps[-1] += 1
            continue
        groups[-1].append(item)
    if not groups[-1]:
        groups.pop()
        if gaps:
            gaps.pop()
    return groups, gaps


def _table_width(lengths: list[int]) -> int:
    """The widest row length that occurs at least twice (one long row may be a misread), else the widest."""
    repeated = [n for n in set(lengths) if lengths.count(n) >= 2]
    return max(repeated or lengths or [0])


def _bar_rows(raw: list[str], items: list[_Item], width: int | None = None) -> tuple[list[list[_Item]], int]:
    """Physical rows of items (empty items stand for empty cells) and the table width.

    One empty item between runs is the row break; each further one is an empty
    cell, placed where it completes a row. A single empty item is an empty cell
    instead when the runs on both sides make exactly one full row that starts
    with a row number ("1 | task | lead | ∅ | result | deadline").
    """
    groups, gaps = _split_groups(items)
    # under an "STT" header a row that opens with text lost its number: an empty cell before it is that number's
    numbered = bool(groups) and _heads_row_numbers(raw, groups[0][0])
    if width is None:
        width = _table_width([len(g) for g in groups])
        blank_numbers = numbered and len(groups[0]) == width + 1 and sum(g >= 2 for g in gaps) > len(gaps) / 2
        if groups and len(groups[0]) > width and (blank_numbers or all(_bold(raw, it) for it in groups[0])):
            width = len(groups[0])  # a bold header names every column, even when few rows fill them all
    rows: list[list[_Item]] = []
    full: list[_Item] = []  # the last row that filled every column
    k = 0
    while k < len(groups):
        row = list(groups[k])
        while k + 1 < len(groups) and gaps[k] == 1:
            nxt = groups[k + 1]
            first, other = _item_text(raw, row[0]), _item_text(raw, nxt[0])
            joins = len(row) + 1 + len(nxt) == width and len(row) < width
            if _continues_sub_row(raw, row, nxt, width, full) or (
                    joins and is_row_label(first) and not is_group_label(first) and not is_row_label(other)):
                row = row + [_Item(nxt[0].start, nxt[0].start - 1)] + nxt
                k += 1
            else:
                break
        if k < len(gaps) and gaps[k] >= 2:
            extra = gaps[k] - 1
            blanks = [_Item(row[-1].end + 1, row[-1].end) for _ in range(extra)]
            nxt_len = len(groups[k + 1]) if k + 1 < len(groups) else width
            unnumbered = numbered and k + 1 < len(groups) and not is_row_label(_item_text(raw, groups[k + 1][0]))
            fits_next = unnumbered and nxt_len + extra <= width
            if not fits_next and len(row) + extra <= width and (len(row) + extra == width or nxt_len + extra > width):
                row = row + blanks
            elif len(row) + extra > width and nxt_len + extra > width:
                row = row + blanks[: max(0, width - len(row))]  # more empty cells than either row has room for
            elif k + 1 < len(groups):
                start = groups[k + 1][0].start
                groups[k + 1] = [_Item(start, start - 1) for _ in range(extra)] + groups[k + 1]
        rows.append(row)
        if len(row) == width:
            full = row
        k += 1
    return rows, width


def _lost_number_header(raw: list[str], items: list[_Item]) -> tuple[_Item, int] | None:
    """The "STT" header cell of a table whose rows all lost their numbers, and the width without it.

    Word numbers an STT column itself; a page converted from it may print the header but no
    number in any row, so every row is one cell short and would stand one column to the left
    of its headers (the task under "STT", the lead under "Nội dung"). Group rows ("I", "II")
    keep their printed labels.
    """
    groups, gaps = _split_groups(items)
    if len(groups) < 3 or len(groups[0]) < 3 or sum(gap >= 2 for gap in gaps) > len(gaps) / 2:
        return None  # an empty cell between most rows: the number column is there, only blank
    if not _heads_row_numbers(raw, groups[0][0]):
        return None
    labels = [_item_text(raw, g[0]).replace("*", "").strip() for g in groups[1:]]
    if any(is_row_label(text) and not is_group_label(text) for text in labels):
        return None
    narrower = len(groups[0]) - 1
    return (groups[0][0], narrower) if sum(len(g) == narrower for g in groups[1:]) >= 2 or narrower > 2 else None


def _blank_number_header(raw: list[str], rows: list[list[_Item]], width: int) -> bool:
    """The header left the row-number column's cell blank, so it prints one cell fewer than the
    numbered rows below it: without its blank cell every header would stand over the column to
    its left (the task under "Chủ trì")."""
    if len(rows) < 3 or len(rows[0]) != width - 1 or _heads_row_numbers(raw, rows[0][0]):
        return False
    full = [row for row in rows[1:] if len(row) == width]
    labelled = [row for row in full if is_row_label(_item_text(raw, row[0]).replace("*", ""))]
    return len(labelled) >= 2 and len(labelled) >= 0.8 * len(full) and not is_row_label(
        _item_text(raw, rows[0][0]).replace("*", ""))


def _continues_sub_row(raw: list[str], row: list[_Item], nxt: list[_Item], width: int, full: list[_Item]) -> bool:
    """A sub-row under merged cells with an empty cell in it ("product | deadline | lead | ∅ | monitor"):
    the run after the empty cell is not a row of its own when its cells are agencies or dates standing
    where the last full row (``full``) has them, and the two runs fit in the row beside the merged cells."""
    if not full or len(row) + 1 + len(nxt) > width or is_row_label(_item_text(raw, nxt[0])):
        return False
    shapes = [cell_shape(_item_text(raw, it)) for it in nxt]
    if not all(shape in ("agency", "deadline") for shape in shapes):
        return False
    return shapes == [cell_shape(_item_text(raw, it)) for it in full[width - len(nxt):]]


def _flat_rows(raw: list[str], items: list[_Item]) -> tuple[list[list[_Item]], int] | None:
    """Rows of a table printed with one "|" between every two cells and none between rows.

    The header is the run of bold cells it starts with; the body is cut where the
    row-number column goes on ("1", "2", … and group labels "I", "II", "A"), and a
    run of unnumbered cells as long as several rows is cut by the column count.
    Every empty item is then an empty cell. None when the table has row breaks.
    """
    width = 0
    while width < len(items) and not items[width].empty and _bold(raw, items[width]):
        width += 1
    if width < 2:  # a header not in bold: the cells before the first row number, when they name columns
        first = next((k for k, it in enumerate(items) if it.empty or _item_text(raw, it).strip() == "1"), 0)
        named = sum(column_role(_item_text(raw, it)) is not None for it in items[:first])
        width = first if first >= 3 and named >= 2 and not items[first].empty else 0
    body = items[width:]
    if width < 2 or len(body) < width or body[0].empty:
        return None
    if not any(column_role(_item_text(raw, it).replace("*", "")) == "stt" for it in items[:width]):
        # no row-number column: only the column count cuts rows, and they must all be whole
        if len(body) % width or not any(column_role(_item_text(raw, it).replace("*", "")) for it in items[:width]):
            return None
        return [items[:width]] + [body[k : k + width] for k in range(0, len(body), width)], width
    if not is_row_label(_item_text(raw, body[0])):
        return None
    starts: list[int] = []
    expected = None
    for k, item in enumerate(body):
        text = _item_text(raw, item).replace("*", "").strip()
        if item.empty or not is_row_label(text) or (starts and k - starts[-1] < 2):
            continue
        number = int(text.rstrip(".)")) if text.rstrip(".)").isdigit() else None
        if number is None or expected is None or number == expected or number == 1:
            starts.append(k)
            expected = number + 1 if number is not None else expected
    rows: list[list[_Item]] = [items[:width]]
    for a, b in zip(starts, starts[1:] + [len(body)]):
        segment = body[a:b]
        while len(segment) >= 2 * width:
            rows.append(segment[:width])
            segment = segment[width:]
        rows.append(segment)
    return rows, width


def _item_text(raw: list[str], item: _Item) -> str:
    return " ".join(raw[x].strip() for x in range(item.start, item.end + 1)) if not item.empty else ""


def _bold(raw: list[str], item: _Item) -> bool:
    """Printed in bold ("**…**", a footnote mark after it: "**Cơ quan chủ trì**[1]"), or blank
    (a blank cell does not break a bold header row)."""
    text = _FOOTNOTE_AFTER.sub("", _item_text(raw, item).strip())
    return text.startswith("**") and text.endswith("**") or not text.replace("*", "").strip()


_FOOTNOTE_AFTER = re.compile(r"\s*(?:\[\^?\d{1,3}\]|<sup>[^<]{1,12}</sup>|\(\d{1,2}\))$", re.IGNORECASE)


def _header_rows(raw: list[str], rows: list[list[_Item]]) -> int:
    """The header, and the rows that continue it: all bold, several cells, not a group row; or column
    numbers; or sub-headers that each name a column ("Chủ trì" | "Phối hợp" under "Phân công thực hiện")."""
    count = 1
    for row in rows[1:3]:
        texts = [_item_text(raw, it).replace("*", "").strip() for it in row]
        numbers = all(is_column_number(t) for t in texts if t) and any(texts)
        several = sum(bool(t) for t in texts) >= 2
        bold = several and all(_bold(raw, it) for it in row) and not (texts and is_group_label(texts[0]))
        named = len(row) < len(rows[0]) and continues_header([Cell(t, 0, 0) for t in texts])
        if not (numbers or named or (bold and not any(is_row_label(t) for t in texts[:1]))):
            break
        count += 1
    return count


def bar_tables(raw: list[str], lines: list[str]) -> list[Table]:
    """Every "|"-separated table; ``raw`` are the lines as read, ``lines`` the same lines normalised."""
    bars = [i for i, line in enumerate(raw) if _is_bar(line)]
    tables: list[Table] = []
    k = 0
    while k < len(bars):
        items, last = _bar_items(raw, bars, k)
        orphan = _orphan_first_cell(raw, bars[k]) if not tables else None
        if orphan is not None:
            items.insert(0, orphan)
        if sum(not it.empty for it in items) < 2:
            k = last + 1
            continue
        rows_items, width = _flat_rows(raw, items) or _bar_rows(raw, items)
        above_cell = _header_cell_above(raw, bars[k]) if orphan is None else None
        if above_cell is not None and rows_items and len(rows_items[0]) == width - 1:
            orphan = above_cell  # the header is one cell short of its rows: that cell is the line above
            items.insert(0, orphan)
            rows_items, width = _flat_rows(raw, items) or _bar_rows(raw, items)
        if _blank_number_header(raw, rows_items, width):
            rows_items[0] = [_Item(rows_items[0][0].start, rows_items[0][0].start - 1), *rows_items[0]]
        lost = _lost_number_header(raw, items)
        if lost is not None:  # read again without the header's STT cell, one column narrower
            stt_header, narrower = lost
            items = [it for it in items if it is not stt_header]
            rows_items, width = _bar_rows(raw, items, width=narrower)
        overflow = [it for it in (rows_items[-1][width:] if rows_items else []) if not it.empty]
        if overflow:  # the paragraph after the closing bar was read as more cells
            cut = overflow[0]
            items = [it for it in items if it.start < cut.start]
            last = bars.index(cut.start - 1)
            rows_items, width = _flat_rows(raw, items) or _bar_rows(raw, items)
        header_rows = min(_header_rows(raw, rows_items), len(rows_items))
        tasks_at = task_columns([[_item_text(raw, it) for it in row] for row in rows_items[:header_rows]], width)
        rows: list[list[Cell]] = []
        above: list[Cell] | None = None
        for n, row in enumerate(rows_items):
            own = [_cell(lines, it.start, it.end, bold=_bold(raw, it) and not it.empty) for it in row]
            cells = fit_row(own, width, None if n < header_rows else above, tasks_at)
            rows.append(cells)
            if n >= header_rows and not is_group_row(cells):
                above = cells
        if header_rows == 2:
            tops = [[_cell(lines, it.start, it.end) for it in row] for row in rows_items[:2]]
            spread = spread_header(tops[0], tops[1], width)
            if spread is not None:
                rows[:2] = list(spread)
        if header_rows == 1 and titled_header(rows):
            header_rows = 2  # a title merged across the table, then the header
        start = (orphan.start if orphan else bars[k]) + 1
        tables.append(Table("bars", rows, header_rows, start, bars[last] + 1))
        k = last + 1
    return tables


# ---------------------------------------------------------------------------
# pipe: markdown "| a | b |" rows
# ---------------------------------------------------------------------------

_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _is_pipe_row(line: str) -> bool:
    s = line.strip()
    return len(s) > 2 and s.startswith("|") and s.endswith("|") and s.count("|") >= 3 and not _is_bar(s)


def _pipe_cells(line: str) -> list[str]:
    """Cells of "| a | b |", an escaped "\\|" kept inside its cell, "<br>" a line break."""
    inner = line.strip()[1:-1]
    parts = re.split(r"(?<!\\)\|", inner)
    return [normalise_text(_BR.sub("\n", p.replace("\\|", "|"))).strip() for p in parts]


def pipe_tables(raw: list[str]) -> list[Table]:
    """Markdown pipe tables: header, optional rule, rows; a short row is fitted like a merged one."""
    tables: list[Table] = []
    i = 0
    while i < len(raw):
        if not _is_pipe_row(raw[i]):
            i += 1
            continue
        j = i
        block: list[int] = []
        while j < len(raw) and (_is_pipe_row(raw[j]) or _PIPE_RULE.match(raw[j])):
            if not _PIPE_RULE.match(raw[j]):
                block.append(j)
            j += 1
        if len(block) >= 2:
            texts = [_pipe_cells(raw[k]) for k in block]
            width = max(len(t) for t in texts)
            depth = header_depth([[Cell(t, k + 1, k + 1) for t in row] for k, row in zip(block, texts)])
            tasks_at = task_columns(texts[:depth], width)
            rows: list[list[Cell]] = []
            above: list[Cell] | None = None
            for n, (k, row_texts) in enumerate(zip(block, texts)):
                cells = fit_row([Cell(t, k + 1, k + 1) for t in row_texts], width, above if n >= depth else None,
                                tasks_at)
                rows.append(cells)
                if n >= depth and not is_group_row(cells):
                    above = cells
            tables.append(Table("pipe", rows, depth, block[0] + 1, block[-1] + 1))
        i = max(j, i + 1)
    return tables


# ---------------------------------------------------------------------------
# cells: one cell per line, cell lines starting with a tab
# ---------------------------------------------------------------------------

_CELL_LINE = re.compile(r"^([ ]*)\t(.*)$")


def _looks_like_header(cells: list[str]) -> bool:
    roles = {r for r in (column_role(c) for c in cells) if r}
    return len(cells) >= 3 and len(roles) >= 2 and bool({"stt", "task", "objective"} & roles)


@dataclass
class _TabItem:
    kind: str  # "C": a cell with content, "E": an empty line (empty cell or row separator)
    start: int  # 0-based
    end: int
    marker: bool = False  # spaces before the tab: the converter marked a row start


def _tab_items(lines: list[str], start: int) -> tuple[list[_TabItem], int]:
    """Cells and blank lines from ``start`` until the table ends; also the end line (exclusive)."""
    items: list[_TabItem] = []
    i = start
    while i < len(lines):
        line = lines[i]
        m = _CELL_LINE.match(line)
        if m:
            text = m.group(2).replace("\t", " ").strip()
            items.append(_TabItem("C" if text else "E", i, i, bool(m.group(1))))
        elif not line.strip():
            items.append(_TabItem("E", i, i))
        elif items and items[-1].kind == "C":
            items[-1].end = i
        else:
            break  # a paragraph after a blank line: the table is over
        i += 1
    while items and items[-1].kind == "E":
        items.pop()
    return items, (items[-1].end + 1 if items else start)


def _tab_row_cost(lines: list[str], row: list[_TabItem], ncols: int) -> float:
    """How unlikely a row is: a short row (merged STT) or a number-like first cell in the wrong place."""
    cost = 0.0 if len(row) == ncols else 1.0
    first = row[0]
    if first.kind == "C":
        text = lines[first.start].strip()
        stt_like = is_row_label(text) or text in ("-", "+", "•")
        cost += 2.0 if (len(row) == ncols) != stt_like else 0.0
    if any(it.marker for it in row[1:]):
        cost += 5.0
    return cost


def _split_tab_rows(lines: list[str], items: list[_TabItem], ncols: int) -> list[list[_TabItem]]:
    """Least-cost partition of cells into rows of ``ncols`` (or one fewer, the STT merged away).

    A blank line is an empty cell or the separator between rows; counting cells
    against the header decides which.
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
            cost = _tab_row_cost(lines, items[i:j], ncols)
            if j == n:
                nxt = n
            elif items[j].kind == "E":
                nxt = j + 1
            else:
                nxt = j
                cost += 0.0 if items[j].marker else 4.0
            if cost + best[nxt] < best[i]:
                best[i], choice[i] = cost + best[nxt], (length, nxt)
    rows: list[list[_TabItem]] = []
    i = 0
    while i < n:
        length, nxt = choice[i]
        if length:
            rows.append(items[i : i + length])
        i = max(nxt, i + 1)
    return rows


def _tab_cell(lines: list[str], item: _TabItem) -> Cell:
    if item.kind == "E":
        return Cell("", item.start + 1, item.start + 1)
    first = _CELL_LINE.match(lines[item.start])
    head = first.group(2).replace("\t", " ").strip() if first else lines[item.start].strip()
    rest = [lines[k].strip() for k in range(item.start + 1, item.end + 1)]
    return Cell("\n".join([head, *rest]).strip(), item.start + 1, item.end + 1)


def cell_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        m = _CELL_LINE.match(lines[i])
        if not m or "\t" in m.group(2):
            i += 1
            continue
        header_cells: list[Cell] = []
        j = i
        while j < len(lines) and lines[j].strip():
            hm = _CELL_LINE.match(lines[j])
            if hm:
                header_cells.append(Cell(hm.group(2).strip(), j + 1, j + 1))
            elif header_cells:
                last = header_cells[-1]
                header_cells[-1] = Cell(f"{last.text} {lines[j].strip()}", last.line_start, j + 1)
            j += 1
        if not _looks_like_header([c.text for c in header_cells]):
            i = max(j, i + 1)
            continue
        items, end = _tab_items(lines, j)
        width = len(header_cells)
        rows: list[list[Cell]] = [header_cells]
        for row in _split_tab_rows(lines, items, width):
            cells = [_tab_cell(lines, it) for it in row]
            at = cells[0].line_start
            rows.append([Cell("", at, at) for _ in range(width - len(cells))] + cells)  # a short row lost its STT
        tables.append(Table("cells", rows, 1, i + 1, max(end, j)))
        i = max(end, j + 1)
    return tables


# ---------------------------------------------------------------------------
# tsv: one row a line, tab-separated
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


def tsv_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    for start, end in _tsv_blocks(lines):
        header = [c.strip() for c in lines[start].split("\t")]
        while header and not header[-1]:
            header.pop()
        if len(header) < 3 and not any(column_role(c) for c in header):
            continue  # a two-column layout (issuer | motto, recipients | signature), not a table
        prev = tables[-1] if tables else None
        same = prev is not None and squash(" ".join(c.text for c in prev.rows[0])) == squash(" ".join(header))
        if same and prev is not None and all(not lines[k].strip() for k in range(prev.line_end, start)):
            table = prev  # the header repeated after a page break: the same table goes on
        else:
            table = Table("tsv", [[Cell(h, start + 1, start + 1) for h in header]], 1, start + 1, end)
            tables.append(table)
        width = len(header)
        for k in range(start + 1, end):
            texts = [c.strip() for c in lines[k].split("\t")]
            if len(texts) > width and not any(texts[width:]):
                texts = texts[:width]
            cells = [Cell(t, k + 1, k + 1) for t in texts[:width]]
            cells += [Cell("", k + 1, k + 1) for _ in range(width - len(cells))]
            if len(texts) > width:  # more cells than the header: keep the text in the last cell
                cells[-1] = Cell(" ".join(t for t in texts[width - 1 :] if t), k + 1, k + 1)
            table.rows.append(cells)
        table.line_end = end
    return tables


# ---------------------------------------------------------------------------
# All text layouts
# ---------------------------------------------------------------------------


def text_tables(raw: list[str], lines: list[str]) -> list[Table]:
    """The tables of a text file, in order; each line belongs to at most one table."""
    found: list[Table] = []
    taken: set[int] = set()
    for table in pipe_tables(raw) + bar_tables(raw, lines) + cell_tables(lines) + tsv_tables(lines):
        span = set(range(table.line_start, table.line_end + 1))
        if span & taken:
            continue
        taken |= span
        found.append(table)
    return sorted(found, key=lambda t: t.line_start)
