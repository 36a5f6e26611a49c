"""The JSON API: search, ask, documents, tasks, health, admin upload and re-index.

Search and ask are read-only and public. Admin endpoints exist only when
``TRACUU_ADMIN_KEY`` (or ``TRACUU_ADMIN_KEYS``) is set, need a key in the
``X-API-Key`` header, and every call is written to the audit log.
"""

from __future__ import annotations

import hmac
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from indexer.records import Document
from indexer.settings import Settings
from indexer.store import DiskFull, IndexUnavailable
from indexer.ocr import OcrConfig
from indexer.upload import UploadError, save_document
from search_api import schemas
from search_api.present import (
    document_detail, document_summary, filter_tasks, relations_detail, result_item, task_item, tasks_csv,
)
from search_api.search import Filters
from search_api.state import IndexState, Served

router = APIRouter()

QueryText = Annotated[str, Query(description="Câu truy vấn tiếng Việt, có hoặc không dấu")]


# The two dependencies are ``async`` because they never block: FastAPI would
# otherwise run each in the thread pool, two thread hops per request.
async def get_state(request: Request) -> IndexState:
    return request.app.state.index_state


async def get_served(state: Annotated[IndexState, Depends(get_state)]) -> Served:
    """The current index snapshot, or 503 with the reason when none can be served."""
    try:
        return state.current()
    except IndexUnavailable as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from exc


ServedDep = Annotated[Served, Depends(get_served)]


def check_query(q: str, state: IndexState) -> str:
    """Reject empty or over-long queries with a Vietnamese message (422)."""
    cleaned = " ".join(q.split())
    if not cleaned:
        raise HTTPException(status_code=422, detail="Câu truy vấn đang trống; hãy nhập nội dung cần tìm.")
    if len(q) > state.settings.max_query_chars:
        raise HTTPException(
            status_code=422,
            detail=f"Câu truy vấn quá dài ({len(q)} ký tự); tối đa {state.settings.max_query_chars} ký tự.",
        )
    return cleaned


def make_filters(served: Served, doc_type: str | None, year: int | None, issuer: str | None,
                 in_force: bool = False) -> Filters:
    """Filters whose values exist in the corpus; an unknown type is a 422, not an empty page."""
    if doc_type:
        known = {d.meta.doc_type for d in served.index.documents.values() if d.meta.doc_type}
        if doc_type not in known:
            raise HTTPException(
                status_code=422,
                detail=f"Loại văn bản '{doc_type}' không có trong kho. Các loại hiện có: {', '.join(sorted(known))}.",
            )
    return Filters(doc_type=doc_type or None, year=year, issuer=issuer or None, in_force=in_force)


@router.get("/api/search", response_model=schemas.SearchResponse, tags=["tìm kiếm"],
            responses={422: {"model": schemas.ErrorResponse}, 503: {"model": schemas.ErrorResponse}})
def api_search(
    served: ServedDep,
    state: Annotated[IndexState, Depends(get_state)],
    q: QueryText,
    k: Annotated[int, Query(ge=1, le=100, description="Số kết quả (1–100)")] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000, description="Bỏ qua N kết quả đầu (phân trang)")] = 0,
    type: Annotated[str | None, Query(description="Loại văn bản, ví dụ 'Quyết định'")] = None,
    year: Annotated[int | None, Query(ge=1945, le=2100, description="Năm ban hành")] = None,
    issuer: Annotated[str | None, Query(max_length=200, description="Cơ quan ban hành (khớp một phần)")] = None,
    mode: Annotated[Literal["hybrid", "lexical", "dense"], Query()] = "hybrid",
    in_force: Annotated[bool, Query(description="Chỉ văn bản còn hiệu lực (theo các văn bản trong kho)")] = False,
) -> dict[str, Any]:
    query = check_query(q, state)
    filters = make_filters(served, type, year, issuer, in_force)
    result = served.searcher.search(query, k=k, filters=filters, mode=mode, offset=offset)
    return {
        "query": query,
        "total": result.total,
        "took_ms": round(result.took_ms, 1),
        "results": [result_item(hit, query, served.index) for hit in result.hits],
    }


def _ask(served: Served, state: IndexState, q: str, request: Request) -> dict[str, Any]:
    question = check_query(q, state)
    answer = served.answerer.ask(question)
    request.app.state.metrics.answered(answer.found)
    return answer.api_dict()


@router.get("/api/ask", response_model=schemas.AskResponse, tags=["hỏi đáp"],
            responses={422: {"model": schemas.ErrorResponse}})
def api_ask_get(served: ServedDep, state: Annotated[IndexState, Depends(get_state)], q: QueryText,
                request: Request) -> dict[str, Any]:
    return _ask(served, state, q, request)


@router.post("/api/ask", response_model=schemas.AskResponse, tags=["hỏi đáp"],
             responses={422: {"model": schemas.ErrorResponse}})
def api_ask_post(
    served: ServedDep, state: Annotated[IndexState, Depends(get_state)], body: Annotated[schemas.AskRequest, Body()],
    request: Request,
) -> dict[str, Any]:
    return _ask(served, state, body.q, request)


@router.get("/api/documents", response_model=list[schemas.DocumentSummary], tags=["văn bản"])
def api_documents(served: ServedDep) -> list[dict[str, Any]]:
    return [document_summary(d) for d in served.index.documents.values()]


@router.get("/api/documents/{doc_id}", response_model=schemas.DocumentDetail, tags=["văn bản"],
            responses={404: {"model": schemas.ErrorResponse}})
def api_document(served: ServedDep, doc_id: str) -> dict[str, Any]:
    return document_detail(_document(served, doc_id), served.index)


@router.get("/api/documents/{doc_id}/relations", response_model=schemas.RelationsResponse, tags=["văn bản"],
            responses={404: {"model": schemas.ErrorResponse}})
def api_document_relations(served: ServedDep, doc_id: str) -> dict[str, Any]:
    """Typed edges both ways (resolved doc_id, or the printed citation) and the status with its reason."""
    return relations_detail(_document(served, doc_id), served.index)


def _document(served: Served, doc_id: str) -> Document:
    """The served document ``doc_id``; a 404 with its id when the corpus has none."""
    document = served.index.documents.get(doc_id)
    if document is None:
        raise HTTPException(status_code=404, detail=f"Không tìm thấy văn bản '{doc_id}'.")
    return document


@router.get("/api/tasks", response_model=schemas.TasksResponse, tags=["nhiệm vụ"],
            responses={200: {"content": {"text/csv": {}}}})
def api_tasks(
    served: ServedDep,
    lead: Annotated[str | None, Query(max_length=200, description="Cơ quan chủ trì (khớp một phần, không phân biệt dấu)")] = None,
    deadline_before: Annotated[date | None, Query(description="Chỉ nhiệm vụ có hạn đến hết ngày này (YYYY-MM-DD)")] = None,
    doc_id: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[Literal["document", "deadline", "lead"], Query()] = "document",
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Any:
    tasks = filter_tasks(served.index, lead=lead, deadline_before=deadline_before, doc_id=doc_id, sort=sort)
    items = [task_item(t, served.index) for t in tasks]
    if format == "csv":
        return Response(
            tasks_csv(items),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="nhiem-vu.csv"'},
        )
    return {"total": len(items), "tasks": items}


@router.get("/healthz", response_model=schemas.Health, tags=["vận hành"])
def healthz(state: Annotated[IndexState, Depends(get_state)]) -> dict[str, Any]:
    try:
        served = state.current()
    except IndexUnavailable as exc:
        return {
            "status": "unavailable", "index": "building" if state.building else "missing", "documents": 0,
            "passages": 0, "tasks": 0, "model": None, "built_at": None, "building": state.building, "error": str(exc),
        }
    counts = served.index.manifest.get("counts", {})
    return {
        "status": "degraded" if state.degraded else "ok",
        "index": "building" if state.building else "ready",
        "documents": len(served.index.documents),
        "passages": len(served.index.passages),
        "tasks": counts.get("tasks", len(served.index.all_tasks())),
        "model": served.index.model,
        "built_at": served.index.manifest.get("built_at"),
        "building": state.building,
        "error": state.degraded,
        "generation": served.index.path.name,
    }


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def audit(request: Request, action: str, target: str | None, status: int, detail: str | None = None,
          **extra: Any) -> None:
    """One audit line for an admin call: what, on what, with what result, from where, by which key label."""
    request.app.state.audit_log.record(
        action, target=target, status=status, detail=detail, client=client_address(request),
        key_label=getattr(request.state, "admin_label", None), **extra,
    )


def require_admin(
    request: Request,
    state: Annotated[IndexState, Depends(get_state)],
    x_api_key: Annotated[str | None, Header()] = None,
) -> str:
    """Admin endpoints are off without an admin key, and need one of the keys otherwise.

    Returns the matching key's label (kept on ``request.state`` for the audit log).
    Every key is compared, so the time taken does not tell which one nearly matched.
    """
    if not state.settings.labelled_admin_keys():
        raise HTTPException(status_code=404, detail="Chức năng quản trị đang tắt (chưa đặt TRACUU_ADMIN_KEY).")
    label = admin_label(state.settings, x_api_key)
    if label is None:
        audit(request, "denied", request.url.path, 401, "Thiếu hoặc sai khoá quản trị.", method=request.method)
        raise HTTPException(status_code=401, detail="Thiếu hoặc sai khoá quản trị (tiêu đề X-API-Key).")
    request.state.admin_label = label
    return label


def admin_label(settings: Settings, given: str | None) -> str | None:
    """The label of the admin key given, or None. Every key is compared (constant time each)."""
    if not given:
        return None
    matches = [label for label, key in settings.labelled_admin_keys().items()
               if hmac.compare_digest(given.encode(), key.encode())]
    return matches[0] if matches else None


def admin_action(path: str, replace: bool) -> str | None:
    """The audit name of an admin call by its path (for refusals made before routing)."""
    if path == "/api/admin/reindex":
        return "reindex"
    if path.startswith("/api/admin/documents/"):
        return "replace" if replace else "upload"
    return None


@router.post("/api/admin/reindex", tags=["quản trị"], dependencies=[Depends(require_admin)],
             responses={401: {"model": schemas.ErrorResponse}, 404: {"model": schemas.ErrorResponse},
                        409: {"model": schemas.ErrorResponse}, 507: {"model": schemas.ErrorResponse}})
async def admin_reindex(request: Request, state: Annotated[IndexState, Depends(get_state)]) -> dict[str, Any]:
    """Build a new index beside the served one and swap it in; queries keep answering meanwhile.

    507 when the disk cannot hold a new generation (checked first) or fills during the build;
    the served index stays in place either way.
    """
    try:
        report = await run_in_threadpool(state.reindex)
    except DiskFull as exc:
        audit(request, "reindex", None, 507, str(exc))
        raise HTTPException(status_code=507, detail=str(exc)) from exc
    except IndexUnavailable as exc:
        audit(request, "reindex", None, 409, str(exc))
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    except Exception as exc:
        audit(request, "reindex", None, 500, f"{type(exc).__name__}: {exc}")
        raise
    audit(request, "reindex", None, 200, None, documents=report.documents, passages=report.passages,
          errors=len(report.errors), seconds=round(report.seconds, 2),
          generation=state.current().index.path.name)
    return {
        "documents": report.documents, "passages": report.passages, "tasks": report.tasks,
        "errors": report.errors, "seconds": round(report.seconds, 2),
        "new_embeddings": report.new_embeddings, "reused_embeddings": report.reused_embeddings,
        "ocr_pages": report.ocr_pages, "ocr_cached_pages": report.ocr_cached_pages,
    }


@router.put(
    "/api/admin/documents/{name}", tags=["quản trị"], dependencies=[Depends(require_admin)],
    status_code=201,
    responses={401: {"model": schemas.ErrorResponse}, 404: {"model": schemas.ErrorResponse},
               409: {"model": schemas.ErrorResponse}, 413: {"model": schemas.ErrorResponse},
               422: {"model": schemas.ErrorResponse}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def admin_upload_document(
    name: str,
    request: Request,
    state: Annotated[IndexState, Depends(get_state)],
    replace: Annotated[bool, Query(description="Thay thế tệp cùng tên (bản cũ được giữ lại)")] = False,
) -> dict[str, Any]:
    """Add one document (.txt, .md, .docx, .doc, .pdf, .html, .htm; raw bytes in the body) to the corpus.

    The file is read as the indexer would read it before it is saved; it enters
    search after the next ``POST /api/admin/reindex``.
    """
    action = "replace" if replace else "upload"
    limit_mb = min(state.settings.max_upload_mb, state.settings.max_file_mb)  # the indexer's limit too
    max_bytes = int(limit_mb * 1_048_576)
    body = bytearray()
    try:
        async for chunk in request.stream():  # bounded even without a Content-Length header
            body.extend(chunk)
            if len(body) > max_bytes:
                raise HTTPException(status_code=413, detail=f"Tệp quá lớn; giới hạn {limit_mb:g} MB.")
        try:
            saved = await run_in_threadpool(
                save_document, state.settings.corpus_dir, name, bytes(body), max_bytes=max_bytes, replace=replace,
                ocr=OcrConfig.from_settings(state.settings))
        except UploadError as exc:
            raise HTTPException(status_code=exc.status, detail=exc.message) from exc
    except HTTPException as exc:
        audit(request, action, name, exc.status_code, str(exc.detail), bytes=len(body))
        raise
    audit(request, action, saved.source, 201, None, bytes=saved.bytes, sha1=saved.sha1,
          kept_previous_as=saved.kept_previous_as)
    return {
        "source": saved.source, "bytes": saved.bytes, "sha1": saved.sha1, "replaced": saved.replaced,
        "kept_previous_as": saved.kept_previous_as,
        "message": "Đã lưu tệp; gọi POST /api/admin/reindex để đưa vào chỉ mục.",
    }
