"""``/metrics`` in the Prometheus text format (prometheus-client), for operators to watch.

Request counts and latency histograms per route template (``/api/documents/{doc_id}``,
never the raw path, so the number of series stays bounded), answers found and
refused, and the served index read at scrape time: generation, documents,
passages, whether it is degraded, the last build's duration and error.

Each app has its own registry (tests build many apps). The endpoint is open only
when ``TRACUU_METRICS`` is on; otherwise it needs an admin key, and without one
it does not exist (404).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from indexer.store import IndexUnavailable
from search_api.state import IndexState

# Seconds; answers take ~5-50 ms lexical and ~100-300 ms hybrid on the 2-core machine, the deadline is 5 s.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class IndexCollector(Collector):
    """The served index and the last build, read from the state when Prometheus scrapes."""

    def __init__(self, state: IndexState) -> None:
        self.state = state

    def collect(self) -> Iterator[GaugeMetricFamily | InfoMetricFamily]:
        state = self.state
        try:
            served = state.current()
        except IndexUnavailable:
            served = None
        up = GaugeMetricFamily("tracuu_index_up", "1 when an index is served")
        up.add_metric([], 1.0 if served else 0.0)
        yield up
        degraded = GaugeMetricFamily("tracuu_index_degraded", "1 when an older generation is served")
        degraded.add_metric([], 1.0 if state.degraded else 0.0)
        yield degraded
        if served is not None:
            info = InfoMetricFamily("tracuu_index_generation", "the generation served (folder name)")
            info.add_metric([], {"generation": served.index.path.name,
                                 "built_at": str(served.index.manifest.get("built_at") or "")})
            yield info
            for name, value in (("documents", len(served.index.documents)),
                                ("passages", len(served.index.passages))):
                gauge = GaugeMetricFamily(f"tracuu_index_{name}", f"{name} in the served index")
                gauge.add_metric([], float(value))
                yield gauge
        if state.last_build is not None:
            seconds = GaugeMetricFamily("tracuu_last_build_seconds", "duration of the last successful re-index")
            seconds.add_metric([], state.last_build.seconds)
            yield seconds
        failed = GaugeMetricFamily("tracuu_last_build_failed", "1 when the last re-index failed")
        failed.add_metric([], 1.0 if state.last_build_error else 0.0)
        yield failed
        if state.last_build_error:
            error = InfoMetricFamily("tracuu_last_build_error", "message of the last failed re-index")
            error.add_metric([], {"message": state.last_build_error[:300]})
            yield error


class Metrics:
    """One app's registry and the instruments the middleware and the API update."""

    def __init__(self, state: IndexState) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("tracuu_requests", "HTTP requests by route, method and status",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("tracuu_request_seconds", "time to the response's first byte, by route",
                                 ["route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.answers = Counter("tracuu_answers", "questions answered (found) or refused (not found)",
                               ["outcome"], registry=self.registry)
        self.registry.register(IndexCollector(state))

    def answered(self, found: bool) -> None:
        self.answers.labels("found" if found else "refused").inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


def route_label(scope: Scope) -> str:
    """The route template that matched, or "other" (unknown paths must not each make a series)."""
    route = scope.get("route")
    return getattr(route, "path", None) or "other"


class MetricsMiddleware:
    """Counts every response (429/503/504 included) with its route template and latency."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def send_counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                self.metrics.latency.labels(route_label(scope)).observe(time.perf_counter() - started)
            await send(message)

        try:
            await self.app(scope, receive, send_counting)
        finally:
            self.metrics.requests.labels(route_label(scope), scope.get("method", ""), str(status["code"])).inc()


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics_endpoint(request: Request, x_api_key: Annotated[str | None, Header()] = None) -> Response:
    """Open when TRACUU_METRICS is on; otherwise only with an admin key."""
    from search_api.api import admin_label

    settings = request.app.state.index_state.settings
    if not settings.metrics:
        if not settings.labelled_admin_keys():
            raise HTTPException(status_code=404, detail="Số liệu vận hành đang tắt (đặt TRACUU_METRICS=true).")
        if admin_label(settings, x_api_key) is None:
            raise HTTPException(status_code=401, detail="Cần khoá quản trị (tiêu đề X-API-Key) để xem số liệu.")
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
