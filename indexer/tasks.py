"""Tasks: every assignment of a document — table rows and prose — as records.

Tables come from the reader (:mod:`indexer.model`), read into entries by
:mod:`indexer.tables`; agencies are named by :mod:`indexer.agencies`; prose
assignments are found by :mod:`indexer.assignments`. This module only turns
them into :class:`indexer.records.Task` records in document order.
"""

from __future__ import annotations

import re

from indexer.agencies import split_agencies, title_agencies
from indexer.assignments import prose_tasks
from indexer.model import Table
from indexer.normalise import fold, squash, unique
from indexer.records import SEP, Passage, Task
from indexer.tables import TableEntry, TableView

__all__ = ["SEP", "extract_tasks", "default_lead"]

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


def _deadline_text(value: str) -> str:
    """A deadline as printed, without the stray full stop of a table cell."""
    return squash(value).rstrip(" .;,")


def _group_agency(group: str | None) -> list[str]:
    """A group row that names an agency ("A. BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG") leads the rows under it."""
    return title_agencies(group) if group else []


def _entry_task(doc_id: str, entry: TableEntry, lead: list[str], passage: Passage | None) -> Task:
    task_text = entry.value("task") or None
    return Task(
        task_id="",
        doc_id=doc_id,
        origin="table",
        stt=entry.stt,
        stt_inferred=entry.stt_inferred,
        group=entry.group,
        objective=squash(entry.value("objective", " ")) or None,
        duty=task_text,
        activities=entry.value("activities") or None,
        product=entry.value("product") or entry.value("result") or None,
        lead=lead,
        support=split_agencies(entry.value("support")),
        deadline="; ".join(unique([_deadline_text(v) for v in entry.values.get("deadline", [])])) or None,
        section=passage.section if passage else "",
        line_start=entry.line_start,
        line_end=entry.line_end,
        passage_id=passage.passage_id if passage else None,
    )


def _table_tasks(doc_id: str, lines: list[str], tables: list[Table], passages: list[Passage]) -> list[Task]:
    """Entries of assignment tables; of other tables with a lead column, the numbered rows that name one."""
    tasks: list[Task] = []
    table_passages = [p for p in passages if p.kind in ("table_row", "table")]
    for table in tables:
        if table.role:
            continue
        view = TableView(table)
        has_lead_col = bool(view.columns("lead"))
        fallback = default_lead(_table_context(table, lines, table_passages))
        if not (view.is_task_table or fallback):
            continue  # procedure lists, rankings, statistics: no assignments
        for entry in view.entries:
            lead = split_agencies(entry.value("lead")) or _group_agency(entry.group)
            if not lead and not has_lead_col:
                lead = list(fallback)
            if not view.is_task_table and (entry.stt is None or not lead):
                continue
            if view.is_task_table and not (lead or entry.value("task") or entry.value("objective")):
                continue
            passage = next((p for p in table_passages if p.line_start <= entry.line_start <= p.line_end), None)
            tasks.append(_entry_task(doc_id, entry, lead, passage))
    return tasks


def extract_tasks(doc_id: str, text: str, tables: list[Table], passages: list[Passage]) -> list[Task]:
    """All assignments of a document — table rows and prose — in document order.

    ``text`` is the normalised text the passages were cut from (by
    ``indexer.structure.split_passages``); each task points at its passage.
    """
    lines = text.split("\n")
    tasks = _table_tasks(doc_id, lines, tables, passages) + prose_tasks(doc_id, lines, passages)
    tasks.sort(key=lambda t: (t.line_start, t.origin != "table"))
    for n, task in enumerate(tasks, 1):
        task.task_id = f"{doc_id}:t{n}"
    return tasks
