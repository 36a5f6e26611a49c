"""Records → plain dicts for the API and the web pages (one conversion, two front ends)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from dataclasses import asdict

from indexer.reader import LoadedIndex
from indexer.records import Document, Reference, Task
from indexer.records import document_label
from indexer.relations import IN_LABELS, OUT_LABELS, Edge
from indexer.agencies import agency_key, led_by
from search_api.citations import passage_url
from search_api.highlight import highlight
from search_api.search import Hit

TASK_CSV_COLUMNS = [
    "source", "doc_number", "stt", "group", "objective", "duty", "activities", "product",
    "lead", "support", "deadline", "due_from", "due_date", "recurring", "section", "origin",
]


def status_item(doc_id: str, index: LoadedIndex) -> dict[str, Any] | None:
    """A document's effect status as the corpus shows it (indexer.relations), for the API and pages."""
    status = index.relations.status.get(doc_id)
    if status is None:
        return None
    return {
        "code": status.code, "label": status.label, "in_force": status.in_force,
        "effective_date": status.effective_date, "note": status.note, "overridden": status.overridden,
        "by": [{"doc_id": d, "label": document_label(index.documents[d]), "url": passage_url(d, None)}
               for d in status.by if d in index.documents],
    }


def edge_item(edge: Edge, index: LoadedIndex, *, incoming: bool) -> dict[str, Any]:
    """One typed edge, seen from the document whose page or relations are shown."""
    other = edge.source if incoming else edge.target
    document = index.documents.get(other) if other else None
    return {
        "type": edge.kind,
        "label": (IN_LABELS if incoming else OUT_LABELS)[edge.kind],
        "doc_id": other,
        "title": document.meta.title if document else None,
        "display": document_label(document) if document else edge.printed,
        "mention": edge.mention,
        "number": edge.number,
        "name": edge.name,
        "articles": edge.articles,
        "line": edge.line,
        "url": passage_url(other, None) if document else None,
    }


def relations_detail(document: Document, index: LoadedIndex) -> dict[str, Any]:
    """Typed edges both ways and the status with its reason: ``GET /api/documents/{id}/relations``."""
    graph = index.relations
    return {
        "doc_id": document.doc_id,
        "status": status_item(document.doc_id, index),
        "effect": asdict(document.effect) if document.effect else None,
        "period": document.period,
        "outgoing": [edge_item(e, index, incoming=False) for e in graph.outgoing.get(document.doc_id, [])],
        "incoming": [edge_item(e, index, incoming=True) for e in graph.incoming.get(document.doc_id, [])],
    }


def result_item(hit: Hit, query: str, index: LoadedIndex) -> dict[str, Any]:
    meta = hit.document.meta
    status = status_item(meta.doc_id, index)
    return {
        "passage_id": hit.passage.passage_id,
        "doc_id": meta.doc_id,
        "source": meta.source,
        "doc_number": meta.doc_number,
        "doc_type": meta.doc_type,
        "title": meta.title,
        "issued_date": meta.issued_date,
        "section": hit.passage.section,
        "text": hit.passage.text,
        "highlight": highlight(hit.passage.text, query, limit=700),
        "score": round(float(hit.score), 6),
        "status": status["code"] if status else None,
        "status_label": status["label"] if status else None,
        "in_force": status["in_force"] if status else None,
    }


def document_summary(document: Document) -> dict[str, Any]:
    meta = document.meta
    return {
        "doc_id": meta.doc_id,
        "source": meta.source,
        "doc_number": meta.doc_number,
        "doc_type": meta.doc_type,
        "title": meta.title,
        "issued_date": meta.issued_date,
        "issuer": meta.issuer,
        "signer": meta.signer,
        "passage_count": len(document.passages),
        "task_count": len(document.tasks),
        "url": f"/documents/{meta.doc_id}",
    }


def task_item(task: Task, index: LoadedIndex) -> dict[str, Any]:
    document = index.documents[task.doc_id]
    return {
        "task_id": task.task_id,
        "doc_id": task.doc_id,
        "source": document.meta.source,
        "doc_number": document.meta.doc_number,
        "origin": task.origin,
        "stt": task.stt,
        "group": task.group,
        "objective": task.objective,
        "duty": task.duty,
        "activities": task.activities,
        "product": task.product,
        "lead": task.lead,
        "support": task.support,
        "deadline": task.deadline,
        "due_date": task.due,
        "due_from": task.due_from,
        "recurring": task.recurring,
        "section": task.section,
        "url": passage_url(task.doc_id, task.passage_id),
    }


def corpus_document_for(reference: Reference, index: LoadedIndex) -> str | None:
    """The doc_id of a cited document when the graph resolved it (number, type, date and issuer agree)."""
    for edge in index.relations.outgoing.get(reference.doc_id, []):
        if edge.line == reference.line and edge.mention == reference.mention:
            return edge.target
    return None


def reference_item(reference: Reference, index: LoadedIndex) -> dict[str, Any]:
    return {
        "mention": reference.mention,
        "doc_type": reference.doc_type,
        "number": reference.number,
        "issued_date": reference.issued_date,
        "name": reference.name,
        "is_basis": reference.is_basis,
        "implements": reference.implements,
        "line": reference.line,
        "in_corpus_doc_id": corpus_document_for(reference, index),
        "relations": reference.relation_types,
        "articles": reference.articles,
    }


def document_detail(document: Document, index: LoadedIndex) -> dict[str, Any]:
    detail = document_summary(document)
    detail["place"] = document.meta.place
    detail["passages"] = [
        {
            "passage_id": p.passage_id, "section": p.section, "text": p.text, "kind": p.kind,
            "stt": p.stt, "line_start": p.line_start, "line_end": p.line_end,
        }
        for p in document.passages
    ]
    detail["tasks"] = [task_item(t, index) for t in document.tasks]
    detail["references"] = [reference_item(r, index) for r in document.references]
    detail["legal_bases"] = [reference_item(r, index) for r in document.legal_bases]
    detail["implements"] = [reference_item(r, index) for r in document.implemented]
    detail["status"] = status_item(document.doc_id, index)
    detail["effective_date"] = document.meta.effective_date
    detail["period"] = document.period
    return detail


def filter_tasks(
    index: LoadedIndex,
    *,
    lead: str | None = None,
    deadline_before: date | None = None,
    doc_id: str | None = None,
    sort: str = "document",
) -> list[Task]:
    """Tasks across documents, filtered by lead agency (folded containment) and due date."""
    wanted = agency_key(lead) if lead else None
    tasks = []
    for task in index.all_tasks():
        if doc_id and task.doc_id != doc_id:
            continue
        if wanted and not led_by(task.lead, wanted):
            continue
        if deadline_before is not None and (task.due is None or task.due > deadline_before.isoformat()):
            continue
        tasks.append(task)
    if sort == "deadline":
        tasks.sort(key=lambda t: (t.due or "9999", t.due_from or "", t.doc_id, t.line_start))
    elif sort == "lead":
        tasks.sort(key=lambda t: (agency_key(t.lead[0]) if t.lead else "~", t.doc_id, t.line_start))
    return tasks


def tasks_csv(items: list[dict[str, Any]]) -> str:
    """CSV of task items (lists joined by '; '), UTF-8 with BOM so spreadsheet programs read Vietnamese."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=TASK_CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for item in items:
        row = dict(item)
        row["lead"] = "; ".join(item["lead"])
        row["support"] = "; ".join(item["support"])
        writer.writerow(row)
    return buffer.getvalue()
