"""Column roles: what a table column holds, read from the meaning of its header.

Issuers name the same column many ways ("Cơ quan chủ trì", "Đơn vị chủ trì
tham mưu thực hiện", "Đơn vị thực hiện", "Trách nhiệm thực hiện"; "Thời gian
hoàn thành", "Tiến độ", "Thời hạn"), and put the columns in any order, so a
column's role comes from the header's words (``indexer.vocabulary``), never
from its position.
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.normalise import fold, squash
from indexer.vocabulary import COLUMN_PHRASES, STT_HEADERS

# Roles that make a table an assignment table (one task a row).
TASK_ROLES = frozenset({"task", "objective", "activities"})
ROLE_LABELS = {
    "stt": "STT",
    "objective": "Mục tiêu",
    "task": "Nhiệm vụ",
    "activities": "Hoạt động",
    "product": "Sản phẩm",
    "result": "Kết quả",
    "lead": "Chủ trì",
    "support": "Phối hợp",
    "deadline": "Thời gian hoàn thành",
    "monitor": "Theo dõi, đôn đốc",
    "budget": "Kinh phí",
    "unit": "Đơn vị tính",
    "basis": "Văn bản giao",
    "group": "Nhóm",
    "note": "Ghi chú",
}
_PHRASES = sorted(
    ((phrase, role) for role, phrases in COLUMN_PHRASES.items() for phrase in phrases),
    key=lambda item: -len(item[0]),
)
_FOOTNOTE = re.compile(r"\[\d{1,3}\]|\(\d{1,2}\)$|\*+")


@lru_cache(maxsize=4096)
def column_role(header: str) -> str | None:
    """The role of a column from its header text; None for columns we keep but do not interpret.

    The phrase that starts first in the header decides ("Cơ quan chủ trì theo
    dõi" leads, "Theo dõi, kiểm tra, đôn đốc" monitors); at the same place the
    longer phrase wins ("Đơn vị tính" is a unit, not "Đơn vị").
    """
    text = squash(fold(_FOOTNOTE.sub(" ", header)).replace("/", " / ").replace("(", " ( ").replace(",", ", "))
    text = text.strip(" .:")
    if text in STT_HEADERS:
        return "stt"
    best: tuple[int, int, str] | None = None
    for phrase, role in _PHRASES:
        m = re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text)
        if m and (best is None or (m.start(), -len(phrase)) < (best[0], best[1])):
            best = (m.start(), -len(phrase), role)
    return best[2] if best else None


def _mentions(header: str, role: str) -> bool:
    text = squash(fold(header))
    return any(re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", text) for p in COLUMN_PHRASES[role])


def _level_role(levels: list[str], header: str) -> str | None:
    """The role of a column under a two-row header: the lowest row that names one decides.

    "Cơ quan thực hiện" over "Chủ trì" | "Phối hợp" gives a lead and a partner
    column, not two leads; a sub-header without a role ("Tổng số") takes the group's.
    """
    for text in reversed(levels):
        role = column_role(text)
        if role:
            return role
    return column_role(header)


def column_roles(headers: list[str], levels: list[list[str]] | None = None) -> list[str | None]:
    """Roles of all columns, read together; ``levels`` are the texts of each header row, top down.

    When two columns both read as the task, one that also names a product
    ("Nhiệm vụ" beside "Nội dung/sản phẩm") holds the product. Other repeated
    roles stay (two lead columns: :mod:`indexer.tables` joins their values).
    """
    if levels and any(len(parts) > 1 for parts in levels):
        roles = [_level_role(parts, h) for parts, h in zip(levels, headers)]
    else:
        roles = [column_role(h) for h in headers]
    if roles.count("task") >= 2:
        for i, (header, role) in enumerate(zip(headers, roles)):
            if role == "task" and _mentions(header, "product"):
                roles[i] = "product"
    return roles


_PERIOD = re.compile(r"^(?:nam|giai doan|quy|thang)?\s*(?:19|20)\d\d\b")


def is_task_table(roles: list[str | None], headers: list[str] | None = None) -> bool:
    """An assignment table: what is to be done, and who leads, supports or by when.

    A table with partners or deadlines but no lead column takes its lead from
    the heading above it ("(Đơn vị chủ trì: Sở Y tế)"); statistics, cost and
    ranking tables have none of these columns. A table laid out by period
    ("Năm 2015 | Năm 2016 …") is statistics even when it names a reporting unit.
    """
    present = set(roles)
    periods = sum(bool(_PERIOD.match(squash(fold(h)))) for h in headers or [])
    return bool(TASK_ROLES & present) and bool({"lead", "support", "deadline"} & present) and periods < 2


_TEXT_ROLES = frozenset({"task", "objective", "activities", "product", "result"})
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,2})*|[IVXLC]{1,6}|[a-zđA-Z])[.)]?$")


def _looks_like_agency(cell: str) -> bool:
    """A cell that only names agencies ("Sở Tư pháp", "Các sở, ngành; UBND cấp xã")."""
    from indexer.agencies import agency_phrase

    line = squash(cell.split("\n")[0]).strip(" -+•;,.*")
    phrase = agency_phrase(line, generic=True)
    return bool(line) and len(phrase) >= 0.7 * len(line)


def _looks_like_number(cell: str) -> bool:
    """A row label: "1", "2.", "1.2", "II", "a)"."""
    return bool(_ROW_NUMBER.match(squash(cell).strip("*")))


def _looks_like_deadline(cell: str) -> bool:
    """A short cell that reads as a date, a period or a recurrence ("Quý II/2026", "Hằng năm")."""
    from indexer.deadlines import parse_deadline

    text = squash(cell).strip("*")
    if not text or len(text) > 40:
        return False
    found = parse_deadline(text)
    return found is not None and bool(found.start or found.end or found.recurring)


def cell_shape(cell: str) -> str:
    """What a cell holds, roughly: "blank", "number" (a row label), "deadline", "agency" or "text".

    Lets a reader or a role check compare cells without knowing their column.
    """
    if not squash(cell).strip("*"):
        return "blank"
    if _looks_like_number(cell):
        return "number"
    if _looks_like_deadline(cell):
        return "deadline"
    return "agency" if _looks_like_agency(cell) else "text"


class _Columns:
    """What a table's columns hold, measured once: shares of agency-like, date-like and number cells."""

    def __init__(self, columns: list[list[str]]) -> None:
        self.filled = [[c for c in col if c.strip()] for col in columns]
        self._cache: dict[tuple[int, str], float] = {}

    def share(self, i: int, kind: str) -> float:
        key = (i, kind)
        if key not in self._cache:
            cells = self.filled[i] if i < len(self.filled) else []
            looks = {"agency": _looks_like_agency, "deadline": _looks_like_deadline, "number": _looks_like_number}[kind]
            self._cache[key] = sum(bool(looks(c)) for c in cells) / len(cells) if cells else 0.0
        return self._cache[key]

    def fit(self, roles: list[str | None]) -> float:
        """How well the cells fit the roles: agencies under lead and partners, dates under deadlines,
        numbers under STT, prose (neither) under the task."""
        score = 0.0
        for i, role in enumerate(roles):
            if i >= len(self.filled) or not self.filled[i]:
                continue
            if role in ("lead", "support"):
                score += self.share(i, "agency")
            elif role == "deadline":
                score += self.share(i, "deadline")
            elif role == "stt":
                score += self.share(i, "number")
            elif role in _TEXT_ROLES:
                score += 1 - max(self.share(i, "agency"), self.share(i, "deadline"), self.share(i, "number"))
        return score


def _spreads(roles: list[str | None], width: int) -> list[list[str | None]]:
    """Every way the roles of a header that lost merged cells can cover ``width`` columns in order,
    each header cell over one or more neighbouring columns (at most two extra columns)."""
    extra = width - len(roles)
    if extra <= 0 or extra > 2 or not roles:
        return []
    out: list[list[str | None]] = []

    def place(k: int, left: int, acc: list[str | None]) -> None:
        if k == len(roles):
            if left == 0:
                out.append(acc)
            return
        for span in range(1, left + 2):
            place(k + 1, left - (span - 1), acc + [roles[k]] * span)

    place(0, extra, [])
    return out


def roles_checked_by_content(headers: list[str], roles: list[str | None],
                             columns: list[list[str]]) -> list[str | None]:
    """Header roles corrected by what the cells hold, when the header was misread.

    Pages converted to text lose merged header cells ("Nội dung" over a group and
    a task column), so the header is narrower than the rows and every role sits
    one column off; the roles are then spread over the rows the way the cells fit
    best (agencies under lead and partners, dates under deadlines, numbers under STT).
    """
    measured = _Columns(columns)
    named = [(h, r) for h, r in zip(headers, roles) if h.strip()]
    if len(named) < len(roles) and all(not h.strip() for h in headers[len(named):]):
        candidates = _spreads([r for _, r in named], len(roles))
        best = max(candidates, key=measured.fit, default=None)
        if best is not None and measured.fit(best) > measured.fit(roles) + 0.5:
            roles = best
    if roles and roles[0] is None and not headers[0].strip() and "stt" not in roles and measured.share(0, "number") >= 0.8:
        roles = ["stt", *roles[1:]]  # a first column with a blank header and a row number in each row
    if "lead" not in roles and TASK_ROLES & set(roles):
        # "STT | Cơ quan, đơn vị | Nhiệm vụ": beside the tasks, a column of agencies is who does them
        found = next((i for i, (h, r) in enumerate(zip(headers, roles)) if r is None and
                      _BARE_AGENCY_HEADER.match(squash(fold(h)).strip(" .:")) and
                      measured.share(i, "agency") >= 0.6), None)
        if found is not None:
            roles = [*roles[:found], "lead", *roles[found + 1:]]
    return roles


# A header that only says "agency": "Cơ quan", "Đơn vị", "Cơ quan, đơn vị", "Địa phương", "Sở, ngành".
_BARE_AGENCY_HEADER = re.compile(r"^(?:co quan|don vi|dia phuong|so|nganh|bo|so, nganh|bo, nganh)"
                                 r"(?:\s*[,/]\s*(?:co quan|don vi|dia phuong|nganh|to chuc))*$")
