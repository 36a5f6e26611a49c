"""The JSON API through FastAPI's TestClient, over a lexical-only index of the seed corpus."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer.pipeline import build_index
from indexer.settings import Settings
from search_api.app import create_app
from search_api.state import IndexState
from web_fixtures import (  # noqa: F401  (fixtures are used by name)
    DOC_399,
    SEED_CORPUS,
    UNANSWERABLE_QUESTION,
    Site,
    seed_site,
)

SEARCH_KEYS = {"query", "total", "took_ms", "results"}
RESULT_KEYS = {"passage_id", "doc_id", "source", "doc_number", "doc_type", "title", "issued_date",
               "section", "text", "highlight", "score",
               "status", "status_label", "in_force"}  # the effect status (issue 15), added beside the rest
ASK_KEYS = {"question", "found", "kind", "answer", "lead", "support", "deadline", "citations", "took_ms"}
CITATION_KEYS = {"source", "doc_number", "title", "issued_date", "section", "quote", "reading", "url", "page"}
ADMIN_KEY = "khoa-quan-tri-123"
NOTARY_QUESTION = "Cơ quan nào chủ trì xây dựng cơ sở dữ liệu công chứng?"


@pytest.fixture(scope="module")
def client(seed_site: Site) -> TestClient:  # noqa: F811
    return TestClient(seed_site.app)


def _vietnamese(detail: str) -> bool:
    """A message a Vietnamese reader understands: it carries Vietnamese diacritics."""
    return any(ch in detail for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ")


# --- search -------------------------------------------------------------------------------------


def test_search_shape(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "cơ sở dữ liệu công chứng", "k": 5})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == SEARCH_KEYS
    assert body["query"] == "cơ sở dữ liệu công chứng"
    assert isinstance(body["total"], int) and body["total"] >= len(body["results"]) > 0
    assert isinstance(body["took_ms"], int | float) and body["took_ms"] >= 0
    assert len(body["results"]) <= 5
    for item in body["results"]:
        assert set(item) == RESULT_KEYS
        assert item["source"] == f"{item['doc_id']}.txt"
        assert isinstance(item["score"], float)
        assert item["text"] and item["section"] is not None
    scores = [item["score"] for item in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert any("<mark>" in item["highlight"] for item in body["results"])


def test_search_by_document_number_puts_that_document_first(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "399/QĐ-UBND"}).json()
    first = body["results"][0]
    assert first["doc_id"] == DOC_399
    assert first["doc_number"] == "399/QĐ-UBND"


def test_search_pagination_and_filters(client: TestClient) -> None:
    page1 = client.get("/api/search", params={"q": "cải cách hành chính", "k": 3}).json()
    page2 = client.get("/api/search", params={"q": "cải cách hành chính", "k": 3, "offset": 3}).json()
    ids1 = {r["passage_id"] for r in page1["results"]}
    ids2 = {r["passage_id"] for r in page2["results"]}
    assert ids1 and ids2 and not ids1 & ids2
    typed = client.get("/api/search", params={"q": "cải cách hành chính", "type": "Quyết định"}).json()
    assert typed["results"] and all(r["doc_type"] == "Quyết định" for r in typed["results"])
    dated = client.get("/api/search", params={"q": "cải cách hành chính", "year": 2022, "mode": "lexical"}).json()
    assert all(r["issued_date"].startswith("2022") for r in dated["results"])


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": ""}, 422),
        ({"q": "   \t "}, 422),
        ({}, 422),
        ({"q": "x" * 2001}, 422),
        ({"q": "công chứng", "k": 0}, 422),
        ({"q": "công chứng", "k": 101}, 422),
        ({"q": "công chứng", "k": "mười"}, 422),
        ({"q": "công chứng", "offset": -1}, 422),
        ({"q": "công chứng", "year": 1800}, 422),
        ({"q": "công chứng", "mode": "magic"}, 422),
        ({"q": "công chứng", "page": 2}, 422),
        ({"q": "công chứng", "foo": "bar"}, 422),
        ({"q": "công chứng", "type": "Thông tư không có"}, 422),
    ],
    ids=["empty", "blank", "missing", "2001-chars", "k0", "k101", "k-text", "offset-neg", "year-1800",
         "bad-mode", "unknown-page", "unknown-foo", "unknown-type"],
)
def test_search_rejects_bad_input_with_a_vietnamese_422(client: TestClient, params: dict, status: int) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == status
    detail = response.json()["detail"]
    assert isinstance(detail, str) and _vietnamese(detail), detail


def test_search_query_of_exactly_the_limit_is_accepted(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "a" * 2000}).status_code == 200


def test_unknown_parameter_message_names_it(client: TestClient) -> None:
    detail = client.get("/api/search", params={"q": "a", "foo": "1"}).json()["detail"]
    assert "foo" in detail and "Tham số" in detail


# --- ask ----------------------------------------------------------------------------------------


def _check_ask_shape(body: dict) -> None:
    assert set(body) == ASK_KEYS
    assert isinstance(body["found"], bool) and isinstance(body["kind"], str)
    assert isinstance(body["lead"], list) and isinstance(body["support"], list)
    for citation in body["citations"]:
        assert set(citation) == CITATION_KEYS


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_ask_lead_question_cites_the_plan(client: TestClient, method: str) -> None:
    if method == "GET":
        response = client.get("/api/ask", params={"q": NOTARY_QUESTION})
    else:
        response = client.post("/api/ask", json={"q": NOTARY_QUESTION})
    assert response.status_code == 200
    body = response.json()
    _check_ask_shape(body)
    assert body["question"] == NOTARY_QUESTION
    assert body["found"] is True
    assert any("Sở Tư pháp" in lead for lead in body["lead"])
    assert "Sở Tư pháp" in body["answer"]
    assert body["citations"]
    citation = body["citations"][0]
    assert citation["source"] == "000_1ff3dec2e07f9725.txt"
    assert citation["doc_number"] == "399/QĐ-UBND"
    assert citation["url"].startswith("/documents/")
    assert "công chứng" in citation["quote"].lower()
    # The citation link opens the document page.
    page = client.get(citation["url"])
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_ask_unanswerable_question_finds_nothing(client: TestClient, method: str) -> None:
    if method == "GET":
        body = client.get("/api/ask", params={"q": UNANSWERABLE_QUESTION}).json()
    else:
        body = client.post("/api/ask", json={"q": UNANSWERABLE_QUESTION}).json()
    _check_ask_shape(body)
    assert body["found"] is False
    assert body["citations"] == []
    assert body["answer"] is None and body["lead"] == []


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "url": "/api/ask", "params": {"q": ""}},
        {"method": "GET", "url": "/api/ask"},
        {"method": "GET", "url": "/api/ask", "params": {"q": "x" * 2001}},
        {"method": "GET", "url": "/api/ask", "params": {"q": "công chứng", "k": 3}},
        {"method": "POST", "url": "/api/ask", "json": {"q": ""}},
        {"method": "POST", "url": "/api/ask", "json": {"q": " \n "}},
        {"method": "POST", "url": "/api/ask", "json": {}},
        {"method": "POST", "url": "/api/ask", "json": {"q": 5}},
        {"method": "POST", "url": "/api/ask", "json": {"q": "x" * 2001}},
        {"method": "POST", "url": "/api/ask", "content": b"{not json", "headers": {"content-type": "application/json"}},
    ],
    ids=["get-empty", "get-missing", "get-2001", "get-unknown-param", "post-empty", "post-blank",
         "post-missing", "post-number", "post-2001", "post-bad-json"],
)
def test_ask_rejects_bad_input_with_a_vietnamese_422(client: TestClient, request_kwargs: dict) -> None:
    response = client.request(**request_kwargs)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and _vietnamese(detail), detail


# --- documents ----------------------------------------------------------------------------------


def test_documents_list(client: TestClient) -> None:
    response = client.get("/api/documents")
    assert response.status_code == 200
    documents = response.json()
    on_disk = sorted(p.stem for p in SEED_CORPUS.glob("*.txt"))
    assert sorted(d["doc_id"] for d in documents) == on_disk
    for document in documents:
        assert document["url"] == f"/documents/{document['doc_id']}"
        assert document["source"] == f"{document['doc_id']}.txt"
    plan = next(d for d in documents if d["doc_id"] == DOC_399)
    assert plan["doc_number"] == "399/QĐ-UBND" and plan["issued_date"] == "2022-01-26"
    assert plan["task_count"] > 0 and plan["passage_count"] > 0


def test_document_detail(client: TestClient) -> None:
    response = client.get(f"/api/documents/{DOC_399}")
    assert response.status_code == 200
    detail = response.json()
    assert detail["doc_id"] == DOC_399
    assert len(detail["legal_bases"]) == 4
    assert all(basis["is_basis"] for basis in detail["legal_bases"])
    assert len(detail["passages"]) == detail["passage_count"]
    assert len(detail["tasks"]) == detail["task_count"]


@pytest.mark.parametrize("doc_id", ["khong_co", "000_1ff3dec2e07f9725.txt", "..%2F..%2Fetc%2Fpasswd"])
def test_unknown_document_is_a_vietnamese_404(client: TestClient, doc_id: str) -> None:
    response = client.get(f"/api/documents/{doc_id}")
    assert response.status_code == 404
    assert _vietnamese(response.json()["detail"])


# --- tasks --------------------------------------------------------------------------------------


def test_tasks_all_and_filtered_by_lead(client: TestClient) -> None:
    everything = client.get("/api/tasks").json()
    assert everything["total"] == len(everything["tasks"]) > 0
    led = client.get("/api/tasks", params={"lead": "Sở Tư pháp"}).json()
    assert 0 < led["total"] < everything["total"]
    assert all(any("Tư pháp" in lead for lead in task["lead"]) for task in led["tasks"])
    # Without diacritics the filter finds the same tasks.
    plain = client.get("/api/tasks", params={"lead": "so tu phap"}).json()
    assert plain["total"] == led["total"]


def test_tasks_filtered_by_deadline(client: TestClient) -> None:
    cutoff = date(2022, 3, 31)
    body = client.get("/api/tasks", params={"deadline_before": cutoff.isoformat()}).json()
    assert body["total"] > 0
    for task in body["tasks"]:
        assert task["due_date"] is not None and date.fromisoformat(task["due_date"]) <= cutoff
    by_deadline = client.get("/api/tasks", params={"sort": "deadline"}).json()["tasks"]
    due = [t["due_date"] for t in by_deadline if t["due_date"]]
    assert due == sorted(due)


def test_tasks_csv_export(client: TestClient) -> None:
    response = client.get("/api/tasks", params={"format": "csv", "lead": "Sở Tư pháp"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for spreadsheet programs
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert {"source", "doc_number", "lead", "deadline", "due_date"} <= set(header)
    json_total = client.get("/api/tasks", params={"lead": "Sở Tư pháp"}).json()["total"]
    assert len(rows) == json_total
    assert all("Tư pháp" in row["lead"] for row in rows)


@pytest.mark.parametrize(
    "params",
    [{"deadline_before": "31/03/2022"}, {"sort": "random"}, {"format": "xml"}, {"q": "x"}, {"lead": "x" * 201}],
    ids=["bad-date", "bad-sort", "bad-format", "unknown-param", "long-lead"],
)
def test_tasks_reject_bad_filters(client: TestClient, params: dict) -> None:
    response = client.get("/api/tasks", params=params)
    assert response.status_code == 422
    assert _vietnamese(response.json()["detail"])


# --- health and admin ---------------------------------------------------------------------------


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["index"] == "ready" and body["building"] is False
    assert body["documents"] == len(list(SEED_CORPUS.glob("*.txt")))
    assert body["passages"] > 0 and body["tasks"] > 0
    assert body["model"] is None  # lexical-only index
    assert body["error"] is None


def test_every_response_carries_safety_headers_and_its_server_time(client: TestClient) -> None:
    responses = [
        client.get("/api/ask", params={"q": "Cơ quan nào chủ trì kiểm tra công vụ?"}),
        client.get("/api/search", params={"q": "công chứng", "bogus": "1"}),  # refused by the guard
        client.get("/", params={"q": "công chứng"}),
    ]
    assert [r.status_code for r in responses] == [200, 422, 200]
    for response in responses:
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        name, duration = response.headers["server-timing"].split(";")
        assert name == "app" and float(duration.removeprefix("dur=")) >= 0


def test_admin_reindex_is_off_without_a_key(client: TestClient) -> None:
    response = client.post("/api/admin/reindex", headers={"X-API-Key": "anything"})
    assert response.status_code == 404
    assert "TRACUU_ADMIN_KEY" in response.json()["detail"]


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root: Path = tmp_path_factory.mktemp("admin")
    settings = Settings(corpus_dir=SEED_CORPUS, index_dir=root / "index", dense=False, admin_key=ADMIN_KEY)
    build_index(settings, None, progress=False)
    state = IndexState(settings)
    state.load()
    return Site(create_app(state), state, settings)


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "sai"}, {"X-API-Key": ""}], ids=["none", "wrong", "empty"])
def test_admin_reindex_needs_the_right_key(admin_site: Site, headers: dict) -> None:
    response = TestClient(admin_site.app).post("/api/admin/reindex", headers=headers)
    assert response.status_code == 401
    assert _vietnamese(response.json()["detail"])


def test_admin_reindex_swaps_while_serving(admin_site: Site) -> None:
    before = admin_site.state.current()
    outcome: dict = {}

    def reindex() -> None:
        outcome["response"] = TestClient(admin_site.app).post("/api/admin/reindex",
                                                                headers={"X-API-Key": ADMIN_KEY})

    worker = threading.Thread(target=reindex)
    searcher = TestClient(admin_site.app)
    worker.start()
    statuses = []
    while worker.is_alive() or not statuses:
        statuses.append(searcher.get("/api/search", params={"q": "công chứng", "k": 3}).status_code)
        statuses.append(searcher.get("/healthz").json()["status"] == "ok")
    worker.join(timeout=120)
    assert all(s in (200, True) for s in statuses), statuses

    response = outcome["response"]
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["documents"] == len(list(SEED_CORPUS.glob("*.txt")))
    assert report["passages"] > 0 and report["tasks"] > 0 and report["errors"] == []
    assert admin_site.state.current() is not before  # a fresh snapshot was swapped in
    after = searcher.get("/api/search", params={"q": "399/QĐ-UBND"}).json()
    assert after["results"][0]["doc_id"] == DOC_399
    health = searcher.get("/healthz").json()
    assert health["status"] == "ok" and health["index"] == "ready" and health["building"] is False


def test_ask_basis_of_a_letter_without_can_cu_names_what_it_implements(client: TestClient) -> None:
    body = client.get("/api/ask", params={"q": "Căn cu phap ly cua Cong van 2458/UBND-SNV?"}).json()
    assert body["found"] is True and body["kind"] == "basis"
    assert "3668/BNV-CCHC" in body["answer"]
    citation = body["citations"][0]
    assert citation["source"] == "004_c671c5edcbf64ed2.txt" and "3668/BNV-CCHC" in citation["quote"]
    detail = client.get("/api/documents/004_c671c5edcbf64ed2").json()
    assert [r["number"] for r in detail["implements"]] == ["3668/BNV-CCHC"] and detail["legal_bases"] == []
