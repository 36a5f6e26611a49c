"""/metrics: Prometheus text with per-route counts and latency, answers, the index and the last build."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from indexer.pipeline import build_index
from indexer.settings import Settings
from search_api.app import create_app
from search_api.state import IndexState

REPO = Path(__file__).resolve().parents[1]
SEED = "000_1ff3dec2e07f9725.txt"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("metrics")
    (root / "corpus").mkdir()
    shutil.copy(REPO / "corpus" / SEED, root / "corpus" / SEED)
    built = Settings(corpus_dir=root / "corpus", index_dir=root / "index", dense=False)
    build_index(built, None, progress=False)
    return built


def _client(settings: Settings) -> TestClient:
    state = IndexState(settings)
    state.load()
    return TestClient(create_app(state))


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_are_off_without_the_setting_or_behind_the_admin_key(settings: Settings) -> None:
    assert _client(settings).get("/metrics").status_code == 404
    keyed = _client(replace(settings, admin_keys="giam-sat:khoa-giam-sat"))
    assert keyed.get("/metrics").status_code == 401
    assert keyed.get("/metrics", headers={"X-API-Key": "sai"}).status_code == 401
    response = keyed.get("/metrics", headers={"X-API-Key": "khoa-giam-sat"})
    assert response.status_code == 200 and "tracuu_index_documents" in response.text


def test_metrics_count_routes_answers_the_index_and_a_failed_build(settings: Settings) -> None:
    client = _client(replace(settings, metrics=True, admin_key="k", min_free_mb=1e12))
    questions = ["Cơ quan nào chủ trì xây dựng cơ sở dữ liệu công chứng?", "Giá vàng hôm nay là bao nhiêu?"]
    found = [client.get("/api/ask", params={"q": q}).json()["found"] for q in questions]
    doc_id = client.get("/api/documents").json()[0]["doc_id"]
    assert client.get(f"/api/documents/{doc_id}").status_code == 200
    assert client.get("/api/documents/khong-co").status_code == 404
    assert client.post("/api/admin/reindex", headers={"X-API-Key": "k"}).status_code == 507
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    assert samples[("tracuu_requests_total", (("method", "GET"), ("route", "/api/ask"), ("status", "200")))] == 2
    assert samples[("tracuu_requests_total",
                    (("method", "GET"), ("route", "/api/documents/{doc_id}"), ("status", "200")))] == 1
    assert samples[("tracuu_requests_total",
                    (("method", "GET"), ("route", "/api/documents/{doc_id}"), ("status", "404")))] == 1
    assert samples[("tracuu_request_seconds_count", (("route", "/api/ask"),))] == 2
    assert samples[("tracuu_answers_total", (("outcome", "found"),))] == found.count(True)
    assert samples.get(("tracuu_answers_total", (("outcome", "refused"),)), 0) == found.count(False)
    assert samples[("tracuu_index_documents", ())] == 1
    assert samples[("tracuu_index_passages", ())] > 0
    assert samples[("tracuu_index_degraded", ())] == 0
    assert samples[("tracuu_last_build_failed", ())] == 1
    assert "Không đủ dung lượng đĩa" in response.text  # the last build's error message
    generation = settings.index_dir.resolve().name
    assert f'generation="{generation}"' in response.text
