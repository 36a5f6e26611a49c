"""Bounded work at the door: a per-client rate limit, a cap on concurrent queries, a deadline.

One plain ASGI middleware (see ``search_api.app.RequestGuard`` for why not
``BaseHTTPMiddleware``):

- **Rate limit** — a token bucket per client address (``rate_limit_per_s`` tokens a
  second, ``rate_limit_burst`` at most); an empty bucket is a 429 with
  ``Retry-After``. Loopback and address-less clients (a Unix socket, an in-process
  test client) cannot be told apart, so they are exempt unless
  ``rate_limit_loopback`` is set; behind a reverse proxy uvicorn takes the client
  from ``X-Forwarded-For`` (its ``--forwarded-allow-ips``).
- **Concurrency** — at most ``max_concurrent_queries`` search/ask requests (the API
  and the search page) run at once; another waits up to ``queue_wait_s`` for a slot,
  then gets a 503 with ``Retry-After`` instead of joining an unbounded queue.
- **Deadline** — an admitted query runs under ``search_api.deadline`` with
  ``request_deadline_s``; the work checks it between stages (504 when exceeded).
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import threading
import time
from collections import OrderedDict

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from indexer.settings import Settings
from search_api.deadline import deadline

EXPENSIVE_PATHS = frozenset({"/api/search", "/api/ask"})
NOT_LIMITED_PREFIXES = ("/healthz", "/metrics", "/static/")
MAX_TRACKED_CLIENTS = 10_000  # least recently seen buckets are forgotten past this (memory bound)


class TokenBuckets:
    """One token bucket per client; ``take`` says 0 when allowed, else seconds until a token."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = max(1.0, float(burst))
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client → (tokens, at)
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, at = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens - 1.0 if wait == 0.0 else tokens, now)
            while len(self._buckets) > MAX_TRACKED_CLIENTS:
                self._buckets.popitem(last=False)
        return wait


def is_local(host: str | None) -> bool:
    """Loopback, or no IP address at all (Unix socket, in-process client)."""
    if not host:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def is_expensive(scope: Scope) -> bool:
    path = scope.get("path", "")
    return path in EXPENSIVE_PATHS or (path == "/" and b"q=" in scope.get("query_string", b""))


def _refusal(status: int, retry_after: float, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail},
                        headers={"Retry-After": str(max(1, math.ceil(retry_after)))})


class LoadGuard:
    """Rate limit, concurrency cap and deadline around the app (settings read once)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.buckets = TokenBuckets(settings.rate_limit_per_s, settings.rate_limit_burst) \
            if settings.rate_limit_per_s > 0 else None
        self.slots = max(1, settings.max_concurrent_queries)
        self._semaphore: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(NOT_LIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or (None, 0))[0]
        if self.buckets is not None and (self.settings.rate_limit_loopback or not is_local(client)):
            wait = self.buckets.take(str(client))
            if wait > 0:
                await _refusal(429, wait, f"Bạn gửi quá nhiều yêu cầu; hãy thử lại sau {max(1, math.ceil(wait))} giây.")(
                    scope, receive, send)
                return
        if not is_expensive(scope):
            await self.app(scope, receive, send)
            return
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        try:
            await asyncio.wait_for(self._semaphore.acquire(), timeout=self.settings.queue_wait_s)
        except asyncio.TimeoutError:
            await _refusal(503, self.settings.queue_wait_s,
                           "Máy chủ đang bận xử lý nhiều câu hỏi; hãy thử lại sau ít giây.")(scope, receive, send)
            return
        try:
            with deadline(self.settings.request_deadline_s):
                await self.app(scope, receive, send)
        finally:
            self._semaphore.release()
