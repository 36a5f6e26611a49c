"""Assignments written as labelled fields under a task, outside any table.

Plans that do not use an appendix table often print, under each task, the
same fields a table would have as columns:

    1.1. Xây dựng các Chiến lược …              ← the task (a heading or an item)
    a) Nhiệm vụ: Tham mưu UBND Thành phố …     ← or its text as a field
    b) Cơ quan thực hiện:                       ← a label with sub-fields
    - Đơn vị chủ trì: Sở Khoa học và Công nghệ.
    - Đơn vị phối hợp: Các Sở, ban, ngành.
    c) Thời gian thực hiện: Hoàn thành trong năm 2025.

A label is a field when its words mean a column role (the same vocabulary as
table headers, :mod:`indexer.columns`) and it names no agency itself. A run of
field items belongs to the task printed just before it: the item or heading
above, or the items listed under an empty "Nhiệm vụ:" label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.agencies import agency_phrase
from indexer.columns import column_role
from indexer.lines import line_groups
from indexer.normalise import squash
from indexer.vocabulary import FIELD_LABEL_ROLES

# A line that opens an item: a dash or plus, a letter "a)", a number "2." / "1.1.".
_ITEM = re.compile(
    r"^\s*(?P<marker>[-+•–*]|[a-zđ]\s*\)|\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]?|[IVXLC]{1,6}\s*[.)]|(?:Điều|Mục|Chương)\s+\d+\.?)"
    r"\s+(?=\S)"
)
_FIELD = re.compile(r"^(?P<label>[^:;.!?]{2,60}?)\s*:\s*(?P<value>.*)$", re.DOTALL)
_TASK_LABEL_ROLES = ("task",)


@dataclass
class Item:
    """One item or paragraph: its marker, text (wrapped lines joined) and 0-based lines."""

    marker: str
    text: str
    lines: list[int]


@dataclass
class FieldTask:
    """A task and the fields printed under it."""

    task: str
    lines: list[int]
    fields: dict[str, list[str]] = field(default_factory=dict)

    def value(self, role: str) -> str:
        return "\n".join(v for v in self.fields.get(role, []) if v)


def items_of(lines: list[str], indices: list[int]) -> list[Item]:
    """Items of the given body lines: a new one at each marker or after a blank line.

    A line that does not open an item continues the one above: the files hard-wrap
    sentences, names and dates ("- Đơn vị chủ trì: Sở Khoa học" / "và Công nghệ.").
    """
    items: list[Item] = []
    for group in line_groups(lines, indices, _ITEM.match):
        first = lines[group[0]].strip()
        m = _ITEM.match(first)
        text = " ".join([first[m.end():] if m else first, *(lines[k].strip() for k in group[1:])])
        items.append(Item(squash(m.group("marker")) if m else "", text, group))
    return items


def field_of(item: Item) -> tuple[str, str] | None:
    """(role, value) when the item is a labelled field ("Cơ quan chủ trì: Sở X"), else None.

    Numbered items ("3. Thời gian thực hiện: …") are the plan's own sections, not
    fields of a task; a label that names an agency ("Sở Tư pháp chủ trì: …") is a
    sentence, not a field.
    """
    if item.marker and (item.marker[0].isdigit() or item.marker[0].isupper()):
        return None
    m = _FIELD.match(item.text)
    if not m:
        return None
    label = m.group("label").strip(" *_")
    if len(label.split()) > 9 or agency_phrase(label):
        return None
    role = column_role(label)
    if role not in (*FIELD_LABEL_ROLES, *_TASK_LABEL_ROLES):
        return None
    return role, squash(m.group("value")).strip(" *_")


def field_tasks(lines: list[str], indices: list[int], heading: str) -> list[FieldTask]:
    """The tasks of a run of body lines that carry labelled fields; ``heading`` titles the first.

    Fields attach to the task printed before them; an empty "Nhiệm vụ:" label
    lists its tasks as the items under it, and they share the fields that follow.
    """
    out: list[FieldTask] = []
    anchors: list[Item] = [Item("", heading, [])] if heading else []
    collecting = False  # under an empty "Nhiệm vụ:" the items are tasks
    current: dict[str, list[str]] = {}
    field_lines: list[int] = []

    def flush() -> None:
        nonlocal current, field_lines
        if current and any(current.get(r) for r in ("lead", "support", "deadline")):
            for anchor in anchors or [Item("", heading, [])]:
                out.append(FieldTask(anchor.text, anchor.lines + field_lines, {k: list(v) for k, v in current.items()}))
        current, field_lines = {}, []

    for item in items_of(lines, indices):
        found = field_of(item)
        if found is None:
            if current:
                flush()
                anchors, collecting = [], False
            if collecting:
                anchors.append(item)
            else:
                anchors = [item]
            continue
        role, value = found
        if role == "task":
            if current:
                flush()
                anchors = []
            if value and len(anchors) == 1 and anchors[0].lines:  # "- Nghị định …" / "+ Nội dung: …"
                anchors = [Item(anchors[0].marker, f"{anchors[0].text} {value}", anchors[0].lines + item.lines)]
            elif value:
                anchors = [Item(item.marker, value, item.lines)]
            else:
                anchors = []
            collecting = not value
            continue
        collecting = False
        field_lines += item.lines
        current.setdefault(role, [])
        if value:
            current[role].append(value)
    flush()
    return out

