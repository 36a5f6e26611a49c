"""The FastAPI application factory: API + web site over one ``IndexState``.

The factory receives the state instead of loading anything itself, so tests
build a tiny index in a fixture and hand it over.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.api import admin_action, admin_label, client_address
from search_api.api import router as api_router
from search_api.audit import AuditLog
from search_api.deadline import DeadlineExceeded
from search_api.limits import LoadGuard
from search_api.metrics import Metrics, MetricsMiddleware
from search_api.metrics import router as metrics_router
from search_api.state import IndexState

log = logging.getLogger(__name__)

# Query parameters each path accepts; anything else is a 422 rather than silently ignored.
_ALLOWED_PARAMS: dict[str, set[str]] = {
    "/api/search": {"q", "k", "offset", "type", "year", "issuer", "mode", "in_force"},
    "/api/ask": {"q"},
    "/api/tasks": {"lead", "deadline_before", "doc_id", "sort", "format"},
    "/api/documents": set(),
}

_FIELD_NAMES = {"q": "câu truy vấn", "k": "số kết quả k", "offset": "vị trí bắt đầu", "year": "năm",
                "type": "loại văn bản", "issuer": "cơ quan ban hành", "mode": "chế độ tìm",
                "deadline_before": "hạn trước ngày", "sort": "cách sắp xếp", "format": "định dạng",
                "lead": "cơ quan chủ trì", "page": "trang", "in_force": "chỉ văn bản còn hiệu lực"}


def _vietnamese_validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        location = [str(x) for x in error.get("loc", []) if x not in ("query", "body", "path")]
        name = _FIELD_NAMES.get(location[-1], location[-1]) if location else "dữ liệu gửi lên"
        kind = error.get("type", "")
        ctx = error.get("ctx") or {}
        if kind == "missing":
            parts.append(f"thiếu {name}")
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            bound = next(iter(ctx.values()), "")
            rel = {"greater_than_equal": "không nhỏ hơn", "less_than_equal": "không lớn hơn",
                   "greater_than": "lớn hơn", "less_than": "nhỏ hơn"}[kind]
            parts.append(f"{name} phải {rel} {bound}")
        elif kind.endswith("parsing") or kind.endswith("_type"):
            parts.append(f"{name} không đúng kiểu dữ liệu")
        elif kind in ("literal_error", "enum"):
            parts.append(f"{name} chỉ nhận: {ctx.get('expected', '')}")
        elif kind == "string_too_long":
            parts.append(f"{name} quá dài (tối đa {ctx.get('max_length')} ký tự)")
        else:
            parts.append(f"{name} không hợp lệ")
    return "Yêu cầu không hợp lệ: " + "; ".join(parts) + "."


class RequestGuard:
    """Refuses unknown query parameters (422) and oversized bodies (413); adds safety headers.

    A plain ASGI middleware rather than ``@app.middleware("http")``: Starlette's
    BaseHTTPMiddleware runs every request through an extra task and memory streams,
    which on the 2-core machine cost more than the checks themselves. Every response
    carries ``Server-Timing: app;dur=…`` (milliseconds spent in the server).
    """

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                # Server time up to the first byte (our pages and JSON are built whole first),
                # so benchmarks and browser dev tools see it apart from the network and client.
                headers.append("Server-Timing", f"app;dur={(time.perf_counter() - started) * 1000:.1f}")
            await send(message)

        refusal = self._refusal(Request(scope))
        await (refusal or self.app)(scope, receive, send_with_headers)

    def _refusal(self, request: Request) -> JSONResponse | None:
        allowed = _ALLOWED_PARAMS.get(request.url.path)
        if allowed is not None:
            unknown = sorted(set(request.query_params.keys()) - allowed)
            if unknown:
                return JSONResponse(
                    status_code=422,
                    content={"detail": f"Tham số không được hỗ trợ: {', '.join(unknown)}. "
                                       f"Tham số hợp lệ: {', '.join(sorted(allowed)) or '(không có)'}."},
                )
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > self.max_body):
            self._audit_refused_admin_call(request, 413, "Dữ liệu gửi lên quá lớn.")
            return JSONResponse(status_code=413, content={"detail": "Dữ liệu gửi lên quá lớn."})
        return None

    @staticmethod
    def _audit_refused_admin_call(request: Request, status: int, detail: str) -> None:
        """An admin call refused here never reaches its endpoint; the audit log still records it."""
        action = admin_action(request.url.path, request.query_params.get("replace", "").lower() == "true")
        if action is None:
            return
        settings = request.app.state.index_state.settings
        request.app.state.audit_log.record(
            action, target=request.url.path.rsplit("/", 1)[-1] if action != "reindex" else None,
            status=status, detail=detail, client=client_address(request),
            key_label=admin_label(settings, request.headers.get("x-api-key")),
        )


def create_app(state: IndexState) -> FastAPI:
    """Build the app around an index state (loaded or not: /healthz tells which)."""
    app = FastAPI(
        title="Tra cứu CCHC",
        description="Tìm kiếm và hỏi đáp văn bản cải cách hành chính, có trích dẫn nguồn.",
        version="0.1.0",
    )
    app.state.index_state = state
    app.state.audit_log = AuditLog.for_settings(state.settings)
    app.state.metrics = Metrics(state)
    max_body = int(state.settings.max_upload_mb * 1_048_576)

    app.add_middleware(LoadGuard, settings=state.settings)  # inside RequestGuard: refusals get its headers too
    app.add_middleware(RequestGuard, max_body=max_body)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)  # outermost: counts every refusal too

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _vietnamese_validation_message(exc)})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if exc.status_code == 404 and not isinstance(exc.detail, str):
            exc.detail = "Không tìm thấy trang."
        if exc.status_code == 404 and exc.detail == "Not Found":
            exc.detail = "Không tìm thấy trang."
        error_page = getattr(request.app.state, "web_error_page", None)
        if not request.url.path.startswith(("/api", "/healthz", "/docs", "/openapi")) and error_page is not None:
            return error_page(request, exc.status_code, str(exc.detail))
        return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail}, headers=exc.headers)

    @app.exception_handler(DeadlineExceeded)
    async def deadline_exceeded(request: Request, exc: DeadlineExceeded) -> Any:
        error_page = getattr(request.app.state, "web_error_page", None)
        if not request.url.path.startswith("/api") and error_page is not None:
            return error_page(request, 504, str(exc))
        return JSONResponse(status_code=504, content={"detail": str(exc)})

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("Lỗi không mong đợi khi xử lý %s", request.url.path)
        return JSONResponse(status_code=500, content={"detail": "Lỗi hệ thống không mong đợi; đã ghi nhật ký."})

    app.include_router(api_router)
    app.include_router(metrics_router)
    _mount_web(app)
    return app


def _mount_web(app: FastAPI) -> None:
    """The Jinja2 site, when the web package provides one."""
    try:
        from web.routes import error_page, mount
    except ImportError:
        return
    app.state.web_error_page = error_page
    mount(app)
