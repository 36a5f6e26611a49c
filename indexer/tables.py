"""Reading table blocks: what a table is for, and its logical rows.

Readers hand on physical rows (:class:`indexer.model.Table`); here they become
*entries*, one per task: a numbered row with the rows that continue it (another
product or deadline of the same task), group rows ("II. Cải cách thủ tục hành
chính", "A. BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG") carried as the entries' group, and
sub-tasks under merged cells (their own task text, the lead of the row above);
a row that only names an agency titles the rows under it, and a total row
("Tổng cộng: …") closes them.
The same rules serve every layout, because merged cells arrive already carried
down (``Cell.carried``) or blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from indexer.agencies import title_agencies
from indexer.columns import ROLE_LABELS, TASK_ROLES, cell_shape, column_role, column_roles, is_task_table, roles_checked_by_content
from indexer.model import Cell, Layout, Table
from indexer.normalise import fold, squash, unique
from indexer.vocabulary import TOTAL_ROW_WORDS

__all__ = ["TableEntry", "TableView", "continues_header", "fit_row", "header_depth", "is_column_number",
           "is_group_row", "is_row_label", "mark_layout_tables", "render_entry", "render_row", "spread_header",
           "titled_header"]

_LABEL = re.compile(r"^(?:[IVXLC]{1,6}|[A-ZĐ]|[a-zđ]|\d{1,3}(?:\.\d{1,3}){0,3}|[IVX]{1,4}(?:\.\d{1,2}){1,3})[.)]?$")
_ROMAN_OR_LETTER = re.compile(r"^(?:[IVXLC]{1,6}|[A-ZĐ]|[a-zđ]|[IVX]{1,4}(?:\.\d{1,2}){1,3})[.)]?$")


def is_row_label(text: str) -> bool:
    """A row-number cell: "1", "2.", "1.2", "II", "A.", "b)" (short, nothing else in it)."""
    return bool(_LABEL.match(squash(text).strip("*").strip()))


# "Tổng cộng", "Tổng số: 25", "Cộng" — then nothing, a colon, a figure or a bracket.
_TOTAL = re.compile(rf"^(?:{'|'.join(TOTAL_ROW_WORDS)})(?:\s*$|\s*[:(\d])")


def is_group_label(text: str) -> bool:
    """Roman numerals and letters number groups of rows ("I. Cải cách thể chế", "A. BỘ …")."""
    return bool(_ROMAN_OR_LETTER.match(squash(text).strip("*").strip()))


_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def is_column_number(text: str) -> bool:
    """"(1)", "2": the row under a header that numbers its columns."""
    return bool(_COLUMN_NUMBER.match(squash(text).strip("*").strip()))


def continues_header(row: list[Cell]) -> bool:
    """A row that goes on with the header: sub-headers under a merged group header
    ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"), or the column numbers "(1) (2) (3)".

    Its own cells (not those carried down from the row above) all name a column role.
    """
    own = [squash(c.text).strip("*").strip() for c in row if not c.blank and not c.carried]
    if not own:
        return False
    if all(is_column_number(t) for t in own):
        return True
    return len(own) >= 2 and not is_row_label(own[0]) and all(column_role(t) for t in own)


def _reads_as_task_header(row: list[Cell]) -> bool:
    roles = column_roles([c.text for c in row])
    return is_task_table(roles, [c.text for c in row])


def titled_header(rows: list[list[Cell]]) -> bool:
    """The first row is a title merged across the table ("DANH MỤC NHIỆM VỤ …") and the
    header of an assignment table comes under it."""
    if len(rows) < 3:
        return False
    texts = {squash(c.text) for c in rows[0] if not c.blank}
    return len(texts) == 1 and not _reads_as_task_header(rows[0]) and _reads_as_task_header(rows[1])


def header_depth(rows: list[list[Cell]], most: int = 3) -> int:
    """How many rows the header of a table spans: the first (after a title row merged across
    the table), and those that continue it."""
    depth = 2 if titled_header(rows) else 1
    while depth < min(most + 1, len(rows) - 1) and continues_header(rows[depth]):
        depth += 1
    return depth


def spread_header(top: list[Cell], sub: list[Cell], width: int) -> tuple[list[Cell], list[Cell]] | None:
    """A two-row header printed without its merged cells, widened to ``width`` columns.

    The crawler prints a group header ("Cơ quan thực hiện") once and the row under
    it only its sub-headers ("Chủ trì", "Phối hợp"). One top cell spans the
    sub-headers; which one is the reading that gives the most distinct column roles.
    """
    span = width - len(top) + 1
    if len(top) >= width or span != len(sub) or not sub:
        return None

    def score(p: int) -> tuple[int, int]:
        levels = [[c.text] for c in top[:p]] + [[top[p].text, c.text] for c in sub] + [[c.text] for c in top[p + 1:]]
        roles = column_roles([" ".join(parts) for parts in levels], levels)
        return len({r for r in roles if r}), sum(r is not None for r in roles)

    p = max(range(len(top)), key=lambda k: (score(k), -k))  # ties: the leftmost
    first = top[:p] + [top[p]] + [_carry(top[p]) for _ in sub[1:]] + top[p + 1:]
    blank = [Cell("", c.line_start, c.line_start) for c in top]
    second = blank[:p] + sub + blank[p + 1:]
    return first, second


def task_columns(header_rows: list[list[str]], width: int) -> frozenset[int]:
    """The task columns named by the first header row as wide as the table (none when no row is)."""
    for texts in header_rows:
        if len(texts) == width:
            roles = column_roles([t.replace("*", "").strip() for t in texts])
            return frozenset(i for i, role in enumerate(roles) if role in TASK_ROLES)
    return frozenset()


def _carry(cell: Cell) -> Cell:
    return Cell(cell.text, cell.line_start, cell.line_end, carried=True)


def fit_row(cells: list[Cell], width: int, above: list[Cell] | None, task_columns: frozenset[int] = frozenset()) -> list[Cell]:
    """A short row widened to ``width``: where did its missing cells go?

    A row under vertically merged cells prints only its own cells. When it starts
    with its own row number the merged cells are on its right (a deadline shared
    with the row above); otherwise on its left (number, lead agency, partners
    shared by several sub-tasks). Missing cells take the value of the row above,
    marked ``carried``; a group row ("II. …", "A. …") is padded with blanks.
    ``task_columns`` (from the header) are those a numbered row always fills itself: a new
    number is a new task, so the merged cell it lacks is another one (an area, an agency).
    """
    missing = width - len(cells)
    if missing <= 0:
        return cells[:width]
    first = cells[0].text if cells else ""
    at = cells[0].line_start if cells else 0
    group = len(cells) <= 2 and is_group_label(first)
    if group or above is None:
        return cells + [Cell("", at, at) for _ in range(missing)]
    own_number = is_row_label(first)
    default = tuple(range(len(cells))) if own_number else tuple(range(missing, width))
    places = _placed_by_shape(cells, above[:width], default, own_number,
                              task_columns if own_number else frozenset())
    taken = dict(zip(places, cells))
    return [taken[i] if i in taken else _carry(above[i]) for i in range(width)]


_TELLING = frozenset({"number", "deadline", "agency"})


def _placed_by_shape(cells: list[Cell], above: list[Cell], default: tuple[int, ...], own_number: bool,
                     task_columns: frozenset[int]) -> tuple[int, ...]:
    """The columns a short row's own cells stand in: where each looks like the cell above it
    (an agency under an agency, a date under a date), so a merged cell in the middle of the row
    ("1 | task | (lead merged above) | deadline") is found; the usual side when nothing fits better.
    ``task_columns`` is given for a numbered row: its running text stands in them."""
    if len(cells) < 2 or len(above) <= len(cells) or len(above) > 12:
        return default  # a lone cell is a title over the rows below ("Công an tỉnh"), not a sub-row
    own = [cell_shape(c.text) for c in cells]
    over = [cell_shape(c.text) for c in above]
    first_text = next((k for k, (c, shape) in enumerate(zip(cells, own)) if c.text.strip() and shape not in _TELLING),
                      None)

    def owned(places: tuple[int, ...]) -> bool:
        """The row's first running text is its task (trivially so when the header names no task column)."""
        return not task_columns or first_text is None or places[first_text] in task_columns

    def clashes(places: tuple[int, ...]) -> bool:
        return any(shape in _TELLING and over[i] in _TELLING and shape != over[i] for shape, i in zip(own, places)) \
            or not owned(places)

    if not clashes(default):
        return default  # nothing contradicts the usual side

    def score(places: tuple[int, ...]) -> tuple[int, int, int]:
        # agencies, dates and numbers tell where a cell goes (running text may stand under any text
        # column, but a numbered row's own text is its task); between equals, the placement nearest
        # the usual side
        fit = sum(shape == over[i] and shape in _TELLING for shape, i in zip(own, places))
        return fit - len(own) * clashes(places), owned(places), -sum(abs(p - d) for p, d in zip(places, default))

    best, best_score = default, score(default)
    for places in combinations(range(len(above)), len(cells)):
        if own_number and places[0] != 0:
            continue  # a row's own number is its first cell
        if (value := score(places)) > best_score:
            best, best_score = places, value
    return best


def is_group_row(cells: list[Cell]) -> bool:
    """One group title across the table: a roman/letter label and one text (a merged cell may
    repeat it in every column it spans), the rest blank."""
    filled = [c for c in cells if not c.blank and not c.carried]
    if not filled or cells[0] is not filled[0] or not is_group_label(filled[0].text):
        return False
    return len({squash(c.text) for c in filled[1:]}) <= 1


_MOTTO = re.compile(r"cong\s*hoa\s*xa\s*hoi|doc\s*lap\s*[-–]\s*tu\s*do")
_NUMBER_FIELD = re.compile(r"(?:^|\s)so\s*:")
_SIGNATURE = re.compile(r"^(?:noi nhan|tm\.|kt\.|tl\.|tuq\.|q\.)|\b(?:chu tich|giam doc|bo truong|thu truong)\b")


def mark_layout_tables(layout: Layout) -> None:
    """Tell layout tables from content tables.

    A letterhead is a table near the top that prints the national motto or the
    "Số:" line (issuer | motto; number | place and date); a signature table
    pairs the recipients with the signer. Neither holds content rows.
    """
    for n, table in enumerate(layout.tables):
        texts = [fold(c.text) for row in table.rows for c in row]
        joined = " ".join(texts)
        if _holds_prose(table):
            table.role = "layout"  # a web page laid out in a table: its cells are the document's text
        elif table.width <= 3 and n <= 1 and table.line_start <= 40 and (_MOTTO.search(joined) or
                                                                           any(_NUMBER_FIELD.search(t) for t in texts)):
            table.role = "letterhead"
        elif table.width <= 3 and any(_SIGNATURE.search(t.strip()) for t in texts) and "noi nhan" in joined:
            table.role = "signature"


def _holds_prose(table: Table) -> bool:
    """A small table with a cell of several sentences of running text is page layout, not data.

    Saved web pages put a letter's body beside its "Kính gửi" in one row; a task
    table's long cells sit in a table of many rows.
    """
    if len(table.rows) > 3:
        return False
    for row in table.rows:
        for cell in row:
            sentences = len(re.findall(r"[.;:](?:\s|$)", cell.text))
            if len(cell.text) >= 600 and sentences >= 3:
                return True
    return False


@dataclass
class TableEntry:
    """One logical row: a task with every value its physical rows give it."""

    stt: str | None
    stt_inferred: bool
    group: str | None
    values: dict[str, list[str]]  # role -> cell texts in row order, own and carried
    rows: list[list[Cell]]
    line_start: int
    line_end: int
    other: dict[str, list[str]] = field(default_factory=dict)  # header -> texts of columns without a role

    def value(self, role: str, sep: str = "\n") -> str:
        """All values of one role joined, repeats dropped."""
        return sep.join(unique(self.values.get(role, [])))

    def first(self, role: str) -> str:
        """The first non-empty value of a role: the row's own lead, not a sub-row's."""
        return next((v for v in self.values.get(role, []) if v.strip()), "")


def _number(text: str) -> int | None:
    core = squash(text).rstrip(".)")
    return int(core) if core.isdigit() else None


class TableView:
    """A table with its column roles and entries, worked out once."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.header = table.header()
        roles = column_roles(self.header, table.header_levels())
        if ({"lead"} | TASK_ROLES) & set(roles):  # a table that may hold tasks: its cells check its header
            width = len(roles)
            cells = [[row[i].text for row in table.body if i < len(row) and not row[i].carried] for i in range(width)]
            roles = roles_checked_by_content(self.header, roles, cells)
        self.roles = roles

    @property
    def is_task_table(self) -> bool:
        return self.table.role == "" and is_task_table(self.roles, self.header)

    def columns(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]

    def _own(self, row: list[Cell], role: str) -> str:
        return "\n".join(row[i].text for i in self.columns(role) if i < len(row) and row[i].text and
                         not row[i].carried).strip()

    def _primary(self) -> str:
        """The leftmost of the objective and task columns: a row that fills it starts a new task."""
        firsts = [(self.columns(role)[0], role) for role in ("objective", "task") if self.columns(role)]
        return min(firsts)[1] if firsts else ""

    def _group_title(self, row: list[Cell]) -> str | None:
        """"II. Cải cách thể chế" when the row only titles a group of rows."""
        if is_group_row(row):
            filled = [c.text for c in row if c.text.strip() and not c.carried]
            label = squash(filled[0]).rstrip(".")
            return f"{label}. {squash(filled[1])}" if len(filled) >= 2 else label
        filled = [c for c in row if c.text.strip() and not c.carried]
        stt_cols = self.columns("stt")
        stt = row[stt_cols[0]] if stt_cols else None
        # a title merged across the row starts in the number column: it is no number
        no_number = stt is None or stt.blank or stt.carried or (filled[0] is stt and
                                                                  not is_row_label(stt.text))
        if len(filled) == 1 and no_number and len(self.header) > 2:
            text = squash(filled[0].text)
            letters = [ch for ch in text if ch.isalpha()]
            caps = bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) >= 0.8
            # an agency alone in the lead or partner column adds one to the task above; elsewhere
            # (the first column, or the last where a crawled row's lone cell is put) it titles the rows below
            at = next(i for i, c in enumerate(row) if c is filled[0])
            column = self.roles[at] if at < len(self.roles) else None
            names = column not in ("lead", "support") and bool(title_agencies(text))
            if ((caps or filled[0].bold) and len(text) <= 200) or names:
                return text  # a title across the whole row: in capitals or bold, or an agency's name
        return None

    @staticmethod
    def _is_total(row: list[Cell]) -> bool:
        """"Tổng cộng: 25 nhiệm vụ" under the last task: a count, not a task nor part of one."""
        own = [c for c in row if c.text.strip() and not c.carried]
        return 0 < len(own) <= 3 and bool(_TOTAL.match(fold(squash(own[0].text).strip("*"))))

    @cached_property
    def entries(self) -> list[TableEntry]:
        """Logical rows, in order.

        A row with its own number ("1", "2.", "a)") starts an entry. A row without
        one starts an entry when it prints its own primary text (objective, else
        task): a new task whose number is inferred when the printed numbering
        leaves a gap for it, else a sub-task that shares the number, lead and
        partners of the entry above (the cells merged over both). Any other row
        continues the entry above (another product, deadline, partner).
        """
        stt_cols = self.columns("stt")
        top = self._primary()
        body = self.table.body
        numbers = [
            _number(row[stt_cols[0]].text) if stt_cols and not row[stt_cols[0]].carried else None for row in body
        ]
        numbered = bool(stt_cols) and any(n is not None for n in numbers)
        entries: list[TableEntry] = []
        group: str | None = None
        prev_n = 0
        current: TableEntry | None = None
        for pos, row in enumerate(body):
            if self._is_total(row):
                current = None
                continue
            title = self._group_title(row)
            if title is not None:
                group, current = title, None
                continue
            stt_cell = row[stt_cols[0]] if stt_cols else None
            own_stt = squash(stt_cell.text) if stt_cell is not None and not stt_cell.carried else ""
            if own_stt and is_row_label(own_stt):
                prev_n = numbers[pos] if numbers[pos] is not None else prev_n
                current = self._entry(row, own_stt.rstrip(".)"), False, group)
                entries.append(current)
                continue
            # Only an assignment table splits sub-tasks off: in a statistics table a row
            # without a number breaks the indicator above down ("Chia theo …").
            own = {role for role in ("task", "objective") if self._own(row, role)} if self.is_task_table else set()
            if current is not None and (not own or own_stt in ("-", "+", "•", "–")):
                self._extend(current, row, bullet=bool(own_stt))
                continue
            next_n = next((n for n in numbers[pos + 1 :] if n is not None), None)
            gap = next_n is not None and prev_n + 1 < next_n
            carried_stt = stt_cell is not None and stt_cell.carried
            if current is None or (gap and top in own and not carried_stt):
                inferred = bool(stt_cols) and (gap or (current is None and next_n is None and prev_n > 0))
                prev_n += 1 if inferred else 0
                current = self._entry(row, str(prev_n) if inferred else None, inferred, group)
            else:
                # under a merged number a sub-task shares what it leaves blank; without a number
                # column, or with one no row prints a number in (numbering lost), each row is a task
                # of its own, and a blank cell is blank
                current = self._entry(row, current.stt, current.stt_inferred, group,
                                      inherit=current if numbered else None)
            entries.append(current)
        return entries

    def _entry(self, row: list[Cell], stt: str | None, inferred: bool, group: str | None,
               inherit: TableEntry | None = None) -> TableEntry:
        entry = TableEntry(stt, inferred, group, {}, [], row[0].line_start, row[0].line_end)
        self._extend(entry, row)
        if inherit is not None:  # a sub-task under merged cells: what it does not print, it shares
            for role in ("lead", "support", "deadline", "monitor", "group"):
                if not entry.first(role) and inherit.first(role):
                    entry.values[role] = [inherit.first(role)]
        return entry

    def _extend(self, entry: TableEntry, row: list[Cell], *, bullet: bool = False) -> None:
        """Append a row's cells to an entry, role by role (columns without a role kept by header).

        A row numbered with a dash is a sub-item: its task text keeps the dash.
        """
        for i, cell in enumerate(row):
            if not cell.text.strip() or i >= len(self.roles):
                continue
            role = self.roles[i]
            if role == "stt":
                continue
            if bullet and role in ("task", "objective") and not cell.text.lstrip().startswith(("-", "+")):
                entry.values.setdefault(role, []).append(f"- {cell.text}")
                continue
            if role is None:
                name = self.header[i] or f"Cột {i + 1}"
                if cell.text not in entry.other.get(name, []):
                    entry.other.setdefault(name, []).append(cell.text)
                continue
            entry.values.setdefault(role, []).append(cell.text)
        entry.rows.append(row)
        entry.line_start = min(entry.line_start, min(c.line_start for c in row))
        entry.line_end = max(entry.line_end, max(c.line_end for c in row))

    def row_groups(self) -> list[tuple[list[Cell], str | None]]:
        """Each body row with the group heading in force (a group row carries its own)."""
        out: list[tuple[list[Cell], str | None]] = []
        group: str | None = None
        for row in self.table.body:
            group = self._group_title(row) or group
            out.append((row, group))
        return out


def render_entry(view: TableView, entry: TableEntry, split: object = None) -> str:
    """"STT 21 — Nhiệm vụ: … | Chủ trì: … | Thời hạn: …": one passage per task row.

    ``split`` turns a lead/support cell into agency names (``indexer.agencies.split_agencies``).
    """
    parts: list[str] = []
    for role in ROLE_LABELS:
        if role == "stt" or not entry.values.get(role):
            continue
        if role in ("lead", "support") and callable(split):
            value = "; ".join(split(entry.value(role)))
        else:
            value = "; ".join(squash(v) for v in unique(entry.values[role]))
        if value:
            parts.append(f"{ROLE_LABELS[role]}: {value}")
    for name, texts in entry.other.items():
        parts.append(f"{squash(name)}: {squash(' '.join(texts))}")
    body = " | ".join(parts)
    return f"STT {entry.stt} — {body}" if entry.stt else body


def render_row(row: list[Cell]) -> str:
    """A physical row as "a | b | c" without its trailing empty cells (statistics tables)."""
    cells = [squash(c.text) for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return " | ".join(cells)
