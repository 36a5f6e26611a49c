"""Answer units: the tasks and sentences an answer is chosen from, each retrievable on its own.

Passages are what search shows; an answer quotes something smaller — one task
(a table row or an assignment in prose) or one sentence that states a figure or
a deadline. Officials name a task in their own words ("ai lo phần dữ liệu về
công chứng?" for "Xây dựng cơ sở dữ liệu công chứng theo Luật Công chứng"), so
each unit gets its own embedding and its own lexical entry, and the answerer
scores them by meaning and by words together.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from indexer.ocr_repair import reading_of
from indexer.records import SEP, Document, Passage, Task
from indexer.sentences import sentences

# A sentence is an answer unit when it can answer something: a figure, a date, a share.
_INFORMATIVE = re.compile(r"\d")
_MIN_CHARS, _MAX_CHARS = 20, 700


@dataclass
class Unit:
    """One task or one sentence, with what it is matched by and where it came from."""

    unit_id: str
    doc_id: str
    kind: str  # "task" | "sentence" | "row" (a row of a table that lists figures, not tasks)
    text: str  # what is embedded and matched
    task_id: str | None = None
    passage_id: str | None = None
    quote: str | None = None  # a sentence as printed, without the heading put before it for matching

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def task_text(task: Task) -> str:
    """What a task is about, without who does it: its group, objective, task, activities, product."""
    group = re.sub(r"^[IVXLCA-ZĐ]{1,6}(?:\.\d+)*\s*[.)]\s*", "", task.group or "")
    parts = [group, task.objective, task.duty, task.activities, task.product]
    return " ".join(" ".join(p.split()) for p in parts if p)[:1500]


def _context(section: str) -> str:
    """The innermost heading of a section path, which often names what a sentence is about."""
    return section.split(SEP)[-1] if section else ""


def document_units(document: Document) -> list[Unit]:
    """The document's tasks, then the informative sentences of its body passages."""
    units: list[Unit] = []
    for task in document.tasks:
        text = task_text(task)
        if text:
            units.append(Unit("", document.doc_id, "task", text, task_id=task.task_id, passage_id=task.passage_id))
    for passage in document.passages:
        if passage.kind != "body":
            continue
        context = _context(passage.section)
        body = sentences(passage.text)
        if context.endswith("…") and body and body[0].startswith(context[:-1].rstrip()):
            # a heading that is a sentence ("II. Hỗ trợ 100% chi phí … chứng thư chữ ký số đối với cá nhân …")
            # is shortened in the section path; the sentences under it are about all of it
            context = " ".join(body[0].split())[:300]
        for sentence in body:
            sentence = sentence.strip(" -+•")
            if _MIN_CHARS <= len(sentence) <= _MAX_CHARS and _INFORMATIVE.search(sentence):
                # An OCR-damaged sentence is matched by its repaired reading; its quote stays as printed.
                reading = reading_of(passage.text, passage.repaired, sentence) if passage.repaired else None
                matched = reading or sentence
                text = f"{context}: {matched}" if context and context not in matched else matched
                units.append(Unit("", document.doc_id, "sentence", text, passage_id=passage.passage_id,
                                  quote=sentence))
    for passage in document.passages:
        if passage.kind == "table":
            units.extend(_row_units(document.doc_id, passage))
    for n, unit in enumerate(units, 1):
        unit.unit_id = f"{document.doc_id}:u{n}"
    return units


def _row_units(doc_id: str, passage: Passage) -> list[Unit]:
    """Each row of a statistics table (results, targets, budgets) read with its header: "Đơn vị: Sở Y tế;
    Chỉ số chung: 78,80%", so a question about one figure finds its row. The quote is the row as printed."""
    lines = passage.text.split("\n")
    header = [h.strip() for h in lines[0].split(" | ")]
    context = _context(passage.section)
    out: list[Unit] = []
    for row in lines[1:]:
        cells = [c.strip() for c in row.split(" | ")]
        if not (_MIN_CHARS <= len(row) <= _MAX_CHARS) or not _INFORMATIVE.search(row):
            continue
        if len(cells) == len(header):
            read = "; ".join(f"{h}: {c}" for h, c in zip(header, cells) if c and h)
        else:
            read = f"{lines[0]}: {row}"
        text = f"{context}: {read}" if context else read
        out.append(Unit("", doc_id, "row", text, passage_id=passage.passage_id, quote=row))
    return out
