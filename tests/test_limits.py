"""Bounded work: per-client rate limit, a cap on concurrent queries, a deadline the work checks."""

from __future__ import annotations

import random
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from indexer.normalise import fold_accents
from indexer.pipeline import build_index
from indexer.settings import Settings
from search_api import evidence
from search_api.app import create_app
from search_api.limits import TokenBuckets
from search_api.state import IndexState
from tests.web_fixtures import LiveServer

REPO = Path(__file__).resolve().parents[1]
QUESTION = "Cơ quan nào chủ trì xây dựng cơ sở dữ liệu công chứng?"


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> IndexState:
    root = tmp_path_factory.mktemp("limits")
    shutil.copytree(REPO / "corpus", root / "corpus")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", dense=False)
    build_index(settings, None, progress=False)
    loaded = IndexState(settings)
    loaded.load()
    return loaded


def _with(state: IndexState, **changes: object) -> IndexState:
    """The same loaded index under other settings (the limits are read when the app is built)."""
    other = IndexState(replace(state.settings, **changes))  # type: ignore[arg-type]
    other._served = state.current()
    return other


def expensive_question(state: IndexState) -> str:
    """A 2,000-character lead question typed without diacritics, of words the corpus has:
    the most work one request can ask for (every word is a term, every candidate is scored)."""
    words = " ".join(state.current().index.search_texts).split()
    rng = random.Random(7)
    text = "Co quan nao chu tri " + " ".join(rng.choice(words) for _ in range(500))
    return fold_accents(text)[: state.settings.max_query_chars]


def test_a_burst_above_the_limit_is_refused_with_retry_after_and_other_clients_are_unaffected(
        state: IndexState) -> None:
    app = create_app(_with(state, rate_limit_per_s=0.5, rate_limit_burst=5))
    noisy = TestClient(app, client=("203.0.113.7", 40000))
    other = TestClient(app, client=("198.51.100.9", 40000))
    local = TestClient(app, client=("127.0.0.1", 40000))
    statuses = [noisy.get("/api/search", params={"q": "công chứng"}).status_code for _ in range(5)]
    assert statuses == [200] * 5
    refused = noisy.get("/api/ask", params={"q": QUESTION})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1 and "quá nhiều yêu cầu" in refused.json()["detail"]
    assert other.get("/api/ask", params={"q": QUESTION}).status_code == 200
    assert all(local.get("/api/search", params={"q": "công chứng"}).status_code == 200 for _ in range(12))
    assert noisy.get("/healthz").status_code == 200  # health checks are never limited


def test_token_bucket_refills_at_its_rate() -> None:
    buckets = TokenBuckets(rate=2.0, burst=2)
    assert [buckets.take("a", now=0.0) for _ in range(2)] == [0.0, 0.0]
    assert buckets.take("a", now=0.0) == pytest.approx(0.5)
    assert buckets.take("a", now=0.5) == 0.0  # one token back after 1/rate seconds
    assert buckets.take("b", now=0.5) == 0.0


def test_an_expensive_question_is_answered_within_the_deadline(state: IndexState) -> None:
    client = TestClient(create_app(_with(state, request_deadline_s=5.0)))
    question = expensive_question(state)
    assert len(question) == state.settings.max_query_chars
    started = time.monotonic()
    response = client.get("/api/ask", params={"q": question})
    elapsed = time.monotonic() - started
    assert response.status_code in (200, 504), response.text
    assert elapsed < 5.0 + 1.0  # one bounded stage past the deadline at most
    print(f"câu hỏi dài {len(question)} ký tự: {response.status_code} sau {elapsed * 1000:.0f} ms")


def test_past_the_deadline_the_work_stops_and_a_504_says_so(state: IndexState, monkeypatch) -> None:
    calls = {"n": 0}
    real = evidence.Coverage.__call__

    def counted(self, terms, text):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return real(self, terms, text)

    monkeypatch.setattr(evidence.Coverage, "__call__", counted)
    client = TestClient(create_app(_with(state, request_deadline_s=1e-9)))
    response = client.get("/api/ask", params={"q": expensive_question(state)})
    assert response.status_code == 504
    assert "quá lâu" in response.json()["detail"]
    seen = calls["n"]
    time.sleep(0.3)
    assert calls["n"] == seen  # nothing of the refused request runs on in a thread
    assert client.get("/", params={"q": QUESTION}).status_code == 504  # the search page too
    assert client.get("/api/documents").status_code == 200  # not a query: no deadline


def test_saturated_query_slots_answer_503_with_retry_after(state: IndexState) -> None:
    limited = _with(state, max_concurrent_queries=1, queue_wait_s=0.2)
    served = limited.current()
    release, entered = threading.Event(), threading.Event()
    real_ask = served.answerer.ask

    def slow_ask(question, query_vector=None):  # type: ignore[no-untyped-def]
        entered.set()
        release.wait(timeout=10)
        return real_ask(question, query_vector)

    served.answerer.ask = slow_ask  # type: ignore[method-assign]
    try:
        with LiveServer(create_app(limited)) as server, httpx.Client(base_url=server.url, timeout=30) as client:
            first: dict[str, int] = {}
            holder = threading.Thread(
                target=lambda: first.setdefault("status", client.get("/api/ask", params={"q": QUESTION}).status_code))
            holder.start()
            assert entered.wait(timeout=10)
            busy = client.get("/api/search", params={"q": "công chứng"})
            assert busy.status_code == 503
            assert int(busy.headers["Retry-After"]) >= 1 and "bận" in busy.json()["detail"]
            assert client.get("/api/documents").status_code == 200  # cheap pages are not queued
            release.set()
            holder.join(timeout=20)
            assert first["status"] == 200
            assert client.get("/api/search", params={"q": "công chứng"}).status_code == 200
    finally:
        release.set()
        del served.answerer.ask
