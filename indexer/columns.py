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
