"""The web site: search + answer page, document pages, the task register.

Every page is a plain GET form or link, so the site works without JavaScript.
Views build small dictionaries of display-ready values (labels, dates, URLs);
templates only loop and branch over them. Text is escaped by Jinja's
autoescape; the only markup made from text is ``highlight()``'s, which escapes
first and is marked safe in the templates and nowhere else.

Validation errors on a page re-render that page with a Vietnamese message and
status 422 (the form stays usable); a missing index gives a 503 page.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import numpy as np
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from indexer.agencies import agency_key
from indexer.model import Cell, Table
from indexer.normalise import folded_form
from indexer.vocabulary import STT_HEADERS
from indexer.records import Document, Passage, Task
from indexer.ocr_repair import REPAIRED_LABEL
from indexer.store import IndexUnavailable
from search_api.answer import Answer
from search_api.citations import Citation, display_date, document_label, passage_url
from search_api.api import check_query, make_filters
from search_api.highlight import highlight
from search_api.kinds import QUESTION_KINDS
from search_api.present import document_detail, filter_tasks, relations_detail, result_item, task_item
from search_api.search import Filters, SearchResult
from search_api.state import IndexState, Served
from web.diagram import relation_diagram

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

PAGE_SIZE = 10  # search results per page
TASKS_PAGE_SIZE = 50
MAX_PAGE = 1000
FACET_DEPTH = 1000  # facets are counted over this many unfiltered results at most
MAX_CITATIONS = 5
MAX_FIELD_CHARS = 200  # issuer / lead text inputs, as the API allows
YEAR_RANGE = (1945, 2100)

SORTS = {"document": "Theo văn bản", "deadline": "Theo thời hạn", "lead": "Theo cơ quan chủ trì"}
KIND_LABELS = {kind.name: kind.label for kind in QUESTION_KINDS}  # the answer's badge, from the registry
PASSAGE_KIND_LABELS = {"basis": "Căn cứ", "table_row": "Dòng bảng", "table": "Bảng", "recipients": "Nơi nhận"}
EXAMPLE_QUESTIONS = [
    "Cơ quan nào chủ trì kiểm tra công vụ?",
    "Sở Nội vụ chủ trì những nhiệm vụ nào?",
    "Quyết định 399/QĐ-UBND căn cứ vào những văn bản nào?",
    "Tỷ lệ hồ sơ giải quyết trực tuyến phải đạt bao nhiêu?",
    "tu chu tai chinh don vi su nghiep",
]
ERROR_TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa được phép",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    413: "Dữ liệu quá lớn",
    422: "Yêu cầu không hợp lệ",
    503: "Chưa có chỉ mục để tra cứu",
}
# No inline script or style anywhere on the site, so the policy can be strict:
# even a markup bug could not run injected script.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
}

router = APIRouter(include_in_schema=False)
_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,  # every template, whatever its extension
    undefined=jinja2.StrictUndefined,  # a misspelt variable is a bug, not an empty string
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.globals["repaired_label"] = REPAIRED_LABEL[:1].upper() + REPAIRED_LABEL[1:]  # "Bản đọc sửa lỗi tự động"
templates = Jinja2Templates(env=_environment)


class PageError(Exception):
    """A request the page cannot serve: rendered as a Vietnamese message with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# -- plumbing ---------------------------------------------------------------------


def mount(app: FastAPI) -> None:
    """Add the site's pages and its static files to the app."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    context.setdefault("nav", "")
    context.setdefault("header_q", "")
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=SECURITY_HEADERS)


def error_page(request: Request, status_code: int, message: str) -> Response:
    """The Vietnamese error page for non-API 404/422/503 (and any other HTTP error)."""
    title = ERROR_TITLES.get(status_code, "Đã có lỗi")
    context = {"title": title, "status_code": status_code, "message": message,
               "is_unavailable": status_code == 503}
    return render(request, "error.html", context, status_code=status_code)


def current(request: Request) -> Served:
    state: IndexState = request.app.state.index_state
    try:
        return state.current()
    except IndexUnavailable as exc:
        building = " Chỉ mục đang được lập; hãy thử lại sau ít phút." if state.building else ""
        raise PageError(
            503,
            f"Chưa có chỉ mục để tra cứu: {exc}{building} Người quản trị cần chạy lệnh "
            "'tracuu index' để lập chỉ mục từ thư mục văn bản, rồi tải lại trang này.",
        ) from exc


def url_with(path: str, params: dict[str, Any]) -> str:
    """``path?query`` with empty values left out."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path


def parse_int(raw: str | None, name: str, low: int, high: int) -> int | None:
    if raw is None or raw.strip() == "":
        return None
    value = raw.strip()
    if not re.fullmatch(r"[0-9]{1,6}", value):
        raise PageError(422, f"{name} phải là một số nguyên (nhận được '{_clip(raw)}').")
    number = int(value)
    if not low <= number <= high:
        raise PageError(422, f"{name} phải nằm trong khoảng {low}–{high} (nhận được {number}).")
    return number


def parse_text(raw: str | None, name: str) -> str | None:
    if raw is None:
        return None
    value = " ".join(raw.split())
    if len(value) > MAX_FIELD_CHARS:
        raise PageError(422, f"{name} quá dài ({len(value)} ký tự); tối đa {MAX_FIELD_CHARS} ký tự.")
    return value or None


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def pagination(page: int, pages: int, link: Any) -> dict[str, Any] | None:
    """Prev/next and a window of page numbers; None when everything fits on one page."""
    if pages <= 1:
        return None
    numbers = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    items: list[dict[str, Any]] = []
    previous = 0
    for number in numbers:
        if number - previous > 1:
            items.append({"gap": True})
        items.append({"gap": False, "number": number, "url": link(number), "current": number == page})
        previous = number
    return {
        "links": items,
        "prev_url": link(page - 1) if page > 1 else None,
        "next_url": link(page + 1) if page < pages else None,
    }


def year_of(document: Document) -> str | None:
    issued = document.meta.issued_date or ""
    return issued[:4] if re.match(r"\d{4}", issued) else None


def short_label(document: Document) -> str:
    meta = document.meta
    return " ".join(x for x in (meta.doc_type, meta.doc_number) if x) or meta.title or meta.source


def corpus_counts(served: Served) -> dict[str, int]:
    return {
        "documents": len(served.index.documents),
        "passages": len(served.index.passages),
        "tasks": sum(len(d.tasks) for d in served.index.documents.values()),
    }


# -- the search page --------------------------------------------------------------


@router.get("/", name="home")
def home_page(request: Request) -> Response:
    params = request.query_params
    raw_q = params.get("q", "")
    context: dict[str, Any] = {
        "nav": "search", "q": raw_q, "error": None, "answer": None, "results": None,
        "examples": [{"text": e, "url": url_with("/", {"q": e})} for e in EXAMPLE_QUESTIONS],
        "counts": None, "facets": [], "active_filters": [], "pager": None,
        "total": 0, "page": 1, "took_ms": 0.0, "doc_type": "", "year": "", "issuer": "",
    }
    try:
        served = current(request)
        context["counts"] = corpus_counts(served)
        if not raw_q.strip():
            return render(request, "home.html", context)
        state: IndexState = request.app.state.index_state
        try:
            query = check_query(raw_q, state)
        except HTTPException as exc:
            raise PageError(exc.status_code, str(exc.detail)) from exc
        page = parse_int(params.get("page"), "Số trang", 1, MAX_PAGE) or 1
        year = parse_int(params.get("year"), "Năm ban hành", *YEAR_RANGE)
        issuer = parse_text(params.get("issuer"), "Cơ quan ban hành")
        doc_type = parse_text(params.get("type"), "Loại văn bản")
        in_force = params.get("hieu_luc", "") in ("1", "true", "on")
        try:
            filters = make_filters(served, doc_type, year, issuer, in_force)
        except HTTPException as exc:
            raise PageError(exc.status_code, str(exc.detail)) from exc
        context.update(doc_type=doc_type or "", year=str(year or ""), issuer=issuer or "", page=page)
        context.update(search_context(served, query, filters, page))
        return render(request, "home.html", context)
    except PageError as exc:
        if exc.status == 503:
            return error_page(request, 503, exc.message)
        context["error"] = exc.message
        return render(request, "home.html", context, status_code=exc.status)


def search_context(served: Served, query: str, filters: Filters, page: int) -> dict[str, Any]:
    started = time.perf_counter()
    offset = (page - 1) * PAGE_SIZE
    base = {"q": query, "type": filters.doc_type, "year": filters.year, "issuer": filters.issuer,
            "hieu_luc": "1" if filters.in_force else None}
    # One unfiltered search gives the facet counts, and the page itself when no filter is on.
    vector = served.searcher.encode_query(query)  # once for the facets, the page and the answer
    everything = served.searcher.search(query, k=FACET_DEPTH, query_vector=vector)
    if filters.active:
        result = served.searcher.search(query, k=PAGE_SIZE, filters=filters, offset=offset, query_vector=vector)
    else:
        result = SearchResult(query, everything.hits[offset : offset + PAGE_SIZE], everything.total,
                              everything.took_ms, everything.exact_document, everything.mode)
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    answer = answer_context(served, query, vector) if page == 1 else None
    results = []
    for rank, hit in enumerate(result.hits, start=offset + 1):
        item = result_item(hit, query, served.index)
        results.append({
            "rank": rank,
            "url": passage_url(item["doc_id"], item["passage_id"]),
            "document_url": f"/documents/{item['doc_id']}",
            "label": document_label(hit.document),
            "title": item["title"],
            "section": item["section"],
            "highlight": item["highlight"],
            "kind": PASSAGE_KIND_LABELS.get(hit.passage.kind),
            "status_label": item["status_label"],
            "in_force": item["in_force"],
        })
    return {
        "answer": answer,
        "results": results,
        "total": result.total,
        "page": page,
        "pages": pages,
        "page_beyond_end": page > pages,
        "first_page_url": url_with("/", base),
        "pager": pagination(min(page, pages), pages, lambda n: url_with("/", {**base, "page": n if n > 1 else None})),
        "facets": facets(everything, filters, base) + [in_force_facet(served, everything, filters, base)],
        "active_filters": active_filters(filters, base),
        "exact_document": exact_document(result),
        "took_ms": (time.perf_counter() - started) * 1000,
    }


def exact_document(result: SearchResult) -> dict[str, str] | None:
    document = result.exact_document
    if document is None:
        return None
    return {"label": document_label(document), "url": f"/documents/{document.doc_id}", "title": document.meta.title or ""}


def facets(everything: SearchResult, filters: Filters, base: dict[str, Any]) -> list[dict[str, Any]]:
    """Type / year / issuer values among the unfiltered results, each with how many documents have results.

    Documents, not passages: the passage list is cut at the searcher's depth, so a
    passage count would not match the total shown after filtering, while the set of
    documents with results is stable.
    """
    counters: dict[str, Counter[str]] = {"type": Counter(), "year": Counter(), "issuer": Counter()}
    documents = {hit.document.doc_id: hit.document for hit in everything.hits}
    for document in documents.values():
        meta = document.meta
        if meta.doc_type:
            counters["type"][meta.doc_type] += 1
        year = year_of(document)
        if year:
            counters["year"][year] += 1
        if meta.issuer:
            counters["issuer"][meta.issuer] += 1
    selected = {"type": filters.doc_type, "year": str(filters.year) if filters.year else None, "issuer": filters.issuer}
    titles = {"type": "Loại văn bản", "year": "Năm ban hành", "issuer": "Cơ quan ban hành"}
    out = []
    for key, counter in counters.items():
        values = sorted(counter.items(), key=lambda kv: (-int(kv[0]), 0) if key == "year" else (-kv[1], kv[0]))
        if selected[key] and selected[key] not in counter:
            values.append((selected[key], 0))
        options = []
        for value, count in values:
            active = selected[key] is not None and str(selected[key]) == value
            link = {**base, "page": None, key: None if active else value}
            options.append({"value": value, "count": count, "active": active, "url": url_with("/", link)})
        if options:
            out.append({"key": key, "title": titles[key], "options": options})
    return out


def in_force_facet(served: Served, everything: SearchResult, filters: Filters, base: dict[str, Any]) -> dict[str, Any]:
    """"Còn hiệu lực": only documents that no document of the corpus replaced, repealed or declared expired."""
    status = served.index.relations.status
    documents = {hit.document.doc_id for hit in everything.hits}
    count = sum(1 for d in documents if status.get(d) is None or status[d].in_force)
    link = {**base, "page": None, "hieu_luc": None if filters.in_force else "1"}
    return {"key": "hieu_luc", "title": "Hiệu lực (theo kho)", "options": [
        {"value": "Còn hiệu lực", "count": count, "active": filters.in_force, "url": url_with("/", link)}]}


def active_filters(filters: Filters, base: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    if filters.in_force:
        out.append({"label": "Còn hiệu lực", "remove_url": url_with("/", {**base, "hieu_luc": None})})
    for key, label, value in (("type", "Loại", filters.doc_type), ("year", "Năm", filters.year),
                              ("issuer", "Cơ quan", filters.issuer)):
        if value:
            out.append({"label": f"{label}: {value}", "remove_url": url_with("/", {**base, key: None})})
    return out


def answer_context(served: Served, query: str, query_vector: np.ndarray | None = None) -> dict[str, Any]:
    answer: Answer = served.answerer.ask(query, query_vector)
    context: dict[str, Any] = {
        "found": answer.found,
        "kind": answer.kind,
        "kind_label": KIND_LABELS.get(answer.kind, ""),
        "text": answer.answer or "",
        "lead": answer.lead,
        "support": answer.support,
        "deadline": answer.deadline,
        "target": answer.target,
        "citations": [],
        "more_citations": 0,
        "tasks_url": None,
        "task_count": len(answer.tasks),
        # An answer quoting an OCR-damaged scan is followed by its repaired reading, marked automatic.
        "reading": next((c.reading for c in answer.citations if c.reading and answer.answer
                         and answer.answer.strip() in c.quote), None),
    }
    if not answer.found:
        return context
    seen: set[str] = set()
    citations = []
    for citation in answer.citations:
        if citation.url in seen:
            continue
        seen.add(citation.url)
        citations.append(citation)
    context["citations"] = [citation_item(served, c, query) for c in citations[:MAX_CITATIONS]]
    context["more_citations"] = max(0, len(citations) - MAX_CITATIONS)
    if answer.kind == "list" and answer.lead:
        context["tasks_url"] = url_with("/tasks", {"lead": answer.lead[0]})
    return context


def citation_item(served: Served, citation: Citation, query: str) -> dict[str, Any]:
    document = served.index.documents.get(citation.doc_id)
    if document is not None:
        label = document_label(document)
    else:
        label = " ".join(x for x in (citation.doc_type, citation.doc_number) if x) or citation.source
        if citation.issued_date:
            label += f" ngày {display_date(citation.issued_date)}"
    return {
        "label": label,
        "section": " · ".join(x for x in (citation.section.strip(" ›"),
                                          f"trang {citation.page}" if citation.page else "") if x),
        "url": citation.url,
        "source": citation.source,
        "quote_html": highlight(citation.quote, query),
        "note": citation.note,
        "reading_html": highlight(citation.reading, query) if citation.reading else None,
    }


# -- documents --------------------------------------------------------------------


@router.get("/documents", name="documents")
def documents_page(request: Request) -> Response:
    try:
        served = current(request)
    except PageError as exc:
        return error_page(request, exc.status, exc.message)
    documents = sorted(served.index.documents.values(),
                       key=lambda d: (d.meta.issued_date or "", d.doc_id), reverse=True)
    rows = [{
        "url": f"/documents/{d.doc_id}",
        "label": short_label(d),
        "title": d.meta.title or "",
        "doc_type": d.meta.doc_type or "",
        "issued": display_date(d.meta.issued_date) or "",
        "issuer": d.meta.issuer or "",
        "passages": len(d.passages),
        "tasks": len(d.tasks),
        "tasks_url": url_with("/tasks", {"doc_id": d.doc_id}),
        "source": d.meta.source,
    } for d in documents]
    return render(request, "documents.html", {"nav": "documents", "documents": rows,
                                              "counts": corpus_counts(served)})


@router.get("/documents/{doc_id}", name="document")
def document_page(request: Request, doc_id: str) -> Response:
    try:
        served = current(request)
    except PageError as exc:
        return error_page(request, exc.status, exc.message)
    document = served.index.documents.get(doc_id)
    if document is None:
        return error_page(request, 404, f"Không tìm thấy văn bản '{_clip(doc_id, 80)}' trong kho. "
                                        "Hãy xem danh sách văn bản hoặc tìm kiếm lại.")
    target = request.query_params.get("p") or None
    detail = document_detail(document, served.index)
    relations = relations_detail(document, served.index)
    known_ids = {p.passage_id for p in document.passages}
    target_missing = target is not None and target not in known_ids
    meta_rows = [
        ("Số, ký hiệu", detail["doc_number"]),
        ("Loại văn bản", detail["doc_type"]),
        ("Ngày ban hành", display_date(detail["issued_date"])),
        ("Cơ quan ban hành", detail["issuer"]),
        ("Người ký", detail["signer"]),
        ("Nơi ban hành", detail["place"]),
        ("Ngày có hiệu lực", effective_text(document, detail)),
        ("Thời kỳ", detail["period"]),
        ("Tệp nguồn", detail["source"]),
    ]
    context = {
        "nav": "documents",
        "label": document_label(document),
        "title": detail["title"] or "",
        "meta_rows": [{"name": n, "value": v} for n, v in meta_rows if v],
        "legal_bases": [reference_view(r) for r in detail["legal_bases"]],
        "implements": [reference_view(r) for r in detail["implements"]],
        "cited": [reference_view(r) for r in detail["references"] if r["relations"] == ["dan_chieu"]],
        "status": detail["status"],
        "relation_groups": relation_groups(relations),
        "diagram": relation_diagram(document_label(document), relations["incoming"], relations["outgoing"]),
        "tasks": [task_view(t, served, with_document=False) for t in detail["tasks"]],
        "tasks_url": url_with("/tasks", {"doc_id": document.doc_id}),
        "passages": passage_views(document, target),
        "target": None if target_missing else target,
        "target_missing": target_missing,
        "ocr_damage": document.ocr_damage if document.is_damaged_scan else None,
        "scan": scan_view(document),
        "toc": table_of_contents(document.passages),
        "doc_id": document.doc_id,
    }
    return render(request, "document.html", context)


# Sections of the document page, by direction and relation type (both directions, each entry a link).
RELATION_GROUPS = (
    ("changes", "Sửa đổi, thay thế, bãi bỏ, hướng dẫn", "outgoing",
     ("sua_doi", "thay_the", "bai_bo", "het_hieu_luc", "dinh_chinh", "huong_dan")),
    ("changed-by", "Bị sửa đổi, thay thế, bãi bỏ bởi", "incoming",
     ("sua_doi", "thay_the", "bai_bo", "het_hieu_luc", "dinh_chinh")),
    ("based-by", "Được căn cứ, hướng dẫn, triển khai bởi", "incoming", ("can_cu", "huong_dan", "thuc_hien", "dan_chieu")),
)


def relation_groups(relations: dict[str, Any]) -> list[dict[str, Any]]:
    groups = []
    for key, title, direction, kinds in RELATION_GROUPS:
        items = [e for e in relations[direction] if e["type"] in kinds]
        if items:
            groups.append({"id": f"rel-{key}", "title": title, "edges": items})
    return groups


def effective_text(document: Document, detail: dict[str, Any]) -> str | None:
    """"07/12/2025", or "kể từ ngày ký (27/11/2025)" as the effect clause says it."""
    effect = document.effect
    if detail["effective_date"] and not (effect and effect.kind == "signing"):
        return display_date(detail["effective_date"])
    if effect and effect.kind == "signing":
        return "kể từ ngày ký" + (f" ({display_date(effect.date)})" if effect.date else "")
    if effect:
        return effect.clause
    return None


def scan_view(document: Document) -> dict[str, Any] | None:
    """For a document with OCR'd pages: how many, and Tesseract's confidence (mean and per page)."""
    pages = document.ocr_pages
    if not pages:
        return None
    return {
        "pages": len(pages),
        "of": len(document.pages),
        "confidence": document.ocr_confidence,
        "per_page": [{"number": p.number, "confidence": p.confidence} for p in pages if p.confidence is not None],
    }


def page_label(document: Document, line: int) -> str:
    """"trang 2 · " before a passage's lines when the document has printed pages."""
    page = document.page_of(line)
    return f"trang {page} · " if page is not None else ""


def reference_view(item: dict[str, Any]) -> dict[str, Any]:
    doc_id = item["in_corpus_doc_id"]
    return {"mention": item["mention"], "url": f"/documents/{doc_id}" if doc_id else None}


def passage_views(document: Document, target: str | None) -> list[dict[str, Any]]:
    views = []
    previous_section = None
    for passage in document.passages:
        section_changed = passage.section != previous_section
        previous_section = passage.section
        view: dict[str, Any] = {
            "id": passage.passage_id,
            "kind": passage.kind,
            "kind_label": PASSAGE_KIND_LABELS.get(passage.kind),
            "section": passage.section if section_changed and passage.section else None,
            "text": passage.text,
            "repaired": passage.repaired,
            "lines": page_label(document, passage.line_start) + (
                f"dòng {passage.line_start}–{passage.line_end}" if passage.line_end > passage.line_start
                else f"dòng {passage.line_start}"),
            "is_target": passage.passage_id == target,
            "url": passage_url(passage.doc_id, passage.passage_id),
            "table": None,
            "fields": None,
            "stt": passage.stt,
        }
        table = _table_of(document, passage) if passage.kind in ("table", "table_row") else None
        if passage.kind == "table":
            view["table"] = _table_view(table, passage) if table else pipe_table(passage.text)
        elif passage.kind == "table_row":
            view["fields"] = (_row_view(table, passage) if table else None) or row_fields(passage.text)
        views.append(view)
    return views


def _table_of(document: Document, passage: Passage) -> Table | None:
    """The table the reader found where the passage is printed (the model, not the passage's text)."""
    return next((t for t in document.tables if not t.role and t.line_start <= passage.line_start
                 and passage.line_end <= t.line_end), None)


def _rows_within(table: Table, passage: Passage) -> list[list[Cell]]:
    """Body rows whose own (not carried-down) cells are printed on the passage's lines."""
    rows = []
    for row in table.body:
        own = [c for c in row if not c.blank and not c.carried]
        if own and passage.line_start <= min(c.line_start for c in own) <= passage.line_end:
            rows.append(row)
    return rows


def _table_view(table: Table, passage: Passage) -> dict[str, Any] | None:
    rows = _rows_within(table, passage)
    if not rows:
        return None
    return {"header": table.header(), "rows": [[c.text for c in row] for row in rows]}


def _row_view(table: Table, passage: Passage) -> list[dict[str, str]] | None:
    """A task row as its columns' names and cells, merged cells' values included."""
    header = table.header()
    names = [header[k] if k < len(header) and header[k] else f"Cột {k + 1}" for k in range(table.width)]
    fields = [{"name": names[k], "value": cell.text} for row in _rows_within(table, passage)
              for k, cell in enumerate(row) if not cell.blank and folded_form(names[k]) not in STT_HEADERS]
    return fields or None  # the STT is shown above the fields


def pipe_table(text: str) -> dict[str, Any] | None:
    """'a | b\\n1 | 2' (how the indexer writes a table passage) as header + rows."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or " | " not in lines[0]:
        return None
    rows = [[cell.strip() for cell in line.split(" | ")] for line in lines]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return {"header": rows[0], "rows": rows[1:]}


_STT_PREFIX = re.compile(r"^STT\s+\S+\s+—\s+")
_FIELD = re.compile(r"^([^:|]{2,40}):\s*(.*)$", re.DOTALL)


def row_fields(text: str) -> list[dict[str, str]] | None:
    """'STT 2 — Mục tiêu: … | Nhiệm vụ: …' (a table-row passage) as labelled fields."""
    parts = _STT_PREFIX.sub("", text, count=1).split(" | ")
    fields = []
    for part in parts:
        match = _FIELD.match(part.strip())
        if not match:
            return None
        fields.append({"name": match.group(1).strip(), "value": match.group(2).strip()})
    return fields or None


def table_of_contents(passages: list[Passage]) -> list[dict[str, str]]:
    """Top-level sections, each linking to its first passage."""
    seen: set[str] = set()
    out = []
    for passage in passages:
        top = passage.section.split(" › ")[0].strip()
        if top and top not in seen:
            seen.add(top)
            out.append({"title": top, "url": f"#{passage.passage_id}"})
    return out


def task_view(item: dict[str, Any], served: Served, *, with_document: bool) -> dict[str, Any]:
    view = {
        "stt": item["stt"] or "",
        "duty": item["duty"] or item["objective"] or item["activities"] or "",
        "group": item["group"] or "",
        "product": item["product"] or "",
        "lead": item["lead"],
        "support": item["support"],
        "deadline": item["deadline"] or "",
        "due": display_date(item["due_date"]) or "",
        "recurring": bool(item["recurring"]),
        "url": item["url"],
        "origin": "Bảng" if item["origin"] == "table" else "Văn bản",
        "document_label": "",
        "document_url": "",
    }
    if with_document:
        document = served.index.documents[item["doc_id"]]
        view["document_label"] = short_label(document)
        view["document_url"] = f"/documents/{document.doc_id}"
    return view


# -- tasks ------------------------------------------------------------------------


@router.get("/tasks", name="tasks")
def tasks_page(request: Request) -> Response:
    params = request.query_params
    context: dict[str, Any] = {
        "nav": "tasks", "error": None, "tasks": [], "total": 0, "pager": None, "by_document": [], "by_lead": [],
        "lead": params.get("lead", ""), "deadline_before": params.get("deadline_before", ""),
        "doc_id": params.get("doc_id", ""), "sort": params.get("sort", "document"),
        "sorts": [{"value": k, "label": v} for k, v in SORTS.items()],
        "documents": [], "csv_url": "", "filtered": False, "first": 0, "last": 0,
    }
    try:
        served = current(request)
        context["documents"] = [{"value": d.doc_id, "label": short_label(d)}
                                for d in sorted(served.index.documents.values(), key=lambda d: d.doc_id)]
        lead = parse_text(params.get("lead"), "Cơ quan chủ trì")
        deadline_before = parse_date(params.get("deadline_before"))
        doc_id = parse_text(params.get("doc_id"), "Văn bản")
        if doc_id and doc_id not in served.index.documents:
            raise PageError(422, f"Văn bản '{_clip(doc_id)}' không có trong kho; hãy chọn trong danh sách.")
        sort = params.get("sort") or "document"
        if sort not in SORTS:
            raise PageError(422, "Cách sắp xếp chỉ nhận: " + ", ".join(f"'{k}' ({v.lower()})" for k, v in SORTS.items()) + ".")
        page = parse_int(params.get("page"), "Số trang", 1, MAX_PAGE) or 1
        tasks = filter_tasks(served.index, lead=lead, deadline_before=deadline_before, doc_id=doc_id, sort=sort)
        filters = {"lead": lead, "deadline_before": deadline_before.isoformat() if deadline_before else None,
                   "doc_id": doc_id, "sort": sort if sort != "document" else None}
        pages = max(1, math.ceil(len(tasks) / TASKS_PAGE_SIZE))
        start = (min(page, pages) - 1) * TASKS_PAGE_SIZE
        shown = tasks[start : start + TASKS_PAGE_SIZE]
        per_document = Counter(t.doc_id for t in tasks)
        per_lead = lead_counts(tasks)
        context.update(
            tasks=[task_view(task_item(t, served.index), served, with_document=True) for t in shown],
            total=len(tasks),
            first=start + 1 if shown else 0,
            last=start + len(shown),
            filtered=bool(lead or deadline_before or doc_id),
            by_document=[{"label": short_label(served.index.documents[d]), "count": n,
                          "url": url_with("/tasks", {**filters, "doc_id": d})}
                         for d, n in per_document.most_common()],
            by_lead=[{"label": name, "count": n, "url": url_with("/tasks", {**filters, "lead": name, "page": None})}
                     for name, n in per_lead[:LEAD_FACET_SIZE]],
            pager=pagination(min(page, pages), pages, lambda n: url_with("/tasks", {**filters, "page": n if n > 1 else None})),
            csv_url=url_with("/api/tasks", {**filters, "format": "csv"}),
            lead=lead or "", deadline_before=filters["deadline_before"] or "", doc_id=doc_id or "", sort=sort,
        )
        return render(request, "tasks.html", context)
    except PageError as exc:
        if exc.status == 503:
            return error_page(request, 503, exc.message)
        context["error"] = exc.message
        return render(request, "tasks.html", context, status_code=exc.status)


LEAD_FACET_SIZE = 15


def lead_counts(tasks: list[Task]) -> list[tuple[str, int]]:
    """Lead agencies by how many tasks they lead, one entry per agency however it is written
    ("Sở KH&CN" and "Sở Khoa học và Công nghệ" together), named as most often printed.

    Counted by the lead filter's rule (``indexer.agencies.led_by``: a name within a longer
    one), so a count is what its link shows; compared between the few distinct names, not
    against every task, since the tasks page computes this on each request.
    """
    spellings: dict[str, Counter[str]] = {}
    tasks_of: dict[str, set[int]] = {}
    for n, task in enumerate(tasks):
        for name in task.lead:
            key = agency_key(name)
            if key:
                spellings.setdefault(key, Counter())[name] += 1
                tasks_of.setdefault(key, set()).add(n)
    counts = Counter({key: len(set().union(*(tasks_of[other] for other in tasks_of if key in other)))
                      for key in tasks_of})
    return [(spellings[key].most_common(1)[0][0], n) for key, n in counts.most_common()]


def parse_date(raw: str | None) -> date | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value) or re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    try:
        if match and len(match.group(1)) == 4:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        pass
    raise PageError(422, f"Hạn trước ngày '{_clip(raw)}' không phải một ngày hợp lệ (dạng YYYY-MM-DD hoặc dd/mm/yyyy).")
