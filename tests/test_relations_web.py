"""The relation chain (replaced → replacement → amendment) through the API and the pages, without a browser."""

from __future__ import annotations

from fastapi.testclient import TestClient

from web_fixtures import CHAIN_AMEND, CHAIN_NEW, CHAIN_OLD, CHAIN_QUERY, Site, chain_site  # noqa: F401


def _edges(client: TestClient, doc_id: str) -> dict[str, set[tuple[str, str | None]]]:
    body = client.get(f"/api/documents/{doc_id}/relations").json()
    return {d: {(e["type"], e["doc_id"]) for e in body[d]} for d in ("outgoing", "incoming")}


def test_api_edges_both_ways_and_statuses(chain_site: Site) -> None:  # noqa: F811
    client = TestClient(chain_site.app)
    assert ("thay_the", CHAIN_OLD) in _edges(client, CHAIN_NEW)["outgoing"]
    assert ("sua_doi", CHAIN_NEW) in _edges(client, CHAIN_AMEND)["outgoing"]
    assert _edges(client, CHAIN_OLD)["incoming"] == {("thay_the", CHAIN_NEW)}
    assert ("sua_doi", CHAIN_AMEND) in _edges(client, CHAIN_NEW)["incoming"]
    old = client.get(f"/api/documents/{CHAIN_OLD}").json()["status"]
    assert old["code"] == "het_hieu_luc" and not old["in_force"] and old["by"][0]["doc_id"] == CHAIN_NEW
    assert old["label"].startswith("Hết hiệu lực — thay thế bởi Quyết định 20/QĐ-UBND")
    new = client.get(f"/api/documents/{CHAIN_NEW}").json()
    assert new["status"]["code"] == "bi_sua_doi" and new["effective_date"] == "2024-03-01"
    amendment = client.get(f"/api/documents/{CHAIN_AMEND}/relations").json()
    assert amendment["outgoing"][-1]["articles"] == "Điều 2" and amendment["effect"]["kind"] == "signing"
    assert client.get("/api/documents/nope/relations").status_code == 404


def test_search_status_and_in_force_filter(chain_site: Site) -> None:  # noqa: F811
    client = TestClient(chain_site.app)
    everything = client.get("/api/search", params={"q": CHAIN_QUERY, "mode": "lexical"}).json()["results"]
    assert CHAIN_OLD in {r["doc_id"] for r in everything}
    assert {r["status"] for r in everything if r["doc_id"] == CHAIN_OLD} == {"het_hieu_luc"}
    in_force = client.get("/api/search", params={"q": CHAIN_QUERY, "mode": "lexical", "in_force": "true"}).json()
    kept = {r["doc_id"] for r in in_force["results"]}
    assert CHAIN_OLD not in kept and {CHAIN_NEW, CHAIN_AMEND} <= kept


def test_document_page_shows_badge_links_and_diagram(chain_site: Site) -> None:  # noqa: F811
    client = TestClient(chain_site.app)
    html = client.get(f"/documents/{CHAIN_NEW}").text
    assert 'data-status="bi_sua_doi"' in html
    assert f'href="/documents/{CHAIN_OLD}"' in html and f'href="/documents/{CHAIN_AMEND}"' in html
    assert "<svg" in html and "Sơ đồ quan hệ" in html and "<script" not in html
    assert "01/03/2024" in html  # the effective date in the metadata block


def test_relation_and_in_force_questions_cite_the_clause(chain_site: Site) -> None:  # noqa: F811
    client = TestClient(chain_site.app)
    replaced = client.get("/api/ask", params={"q": "Văn bản nào thay thế Quyết định 10/QĐ-UBND?"}).json()
    assert replaced["found"] and replaced["kind"] == "relation"
    assert "20/QĐ-UBND" in replaced["answer"] and "trong kho" in replaced["answer"]
    assert replaced["citations"][0]["doc_number"] == "20/QĐ-UBND" and "thay thế" in replaced["citations"][0]["quote"]
    amended = client.get("/api/ask", params={"q": "Quyết định 20/QĐ-UBND được sửa đổi bởi văn bản nào?"}).json()
    assert amended["found"] and "30/QĐ-UBND" in amended["answer"] and "(Điều 2)" in amended["answer"]
    outgoing = client.get("/api/ask", params={"q": "Quyết định 20/QĐ-UBND thay thế quyết định nào?"}).json()
    assert outgoing["found"] and "10/QĐ-UBND" in outgoing["answer"]
    status = client.get("/api/ask", params={"q": "Quyết định 10/QĐ-UBND còn hiệu lực không?"}).json()
    assert status["kind"] == "in_force" and status["answer"].startswith("Quyết định 10/QĐ-UBND ngày 05/01/2023: Hết hiệu lực")
    assert status["citations"][0]["doc_number"] == "20/QĐ-UBND"
    nothing = client.get("/api/ask", params={"q": "Văn bản nào hướng dẫn Quyết định 10/QĐ-UBND?"}).json()
    assert not nothing["found"]


def test_citing_a_replaced_document_says_so_under_the_citation(chain_site: Site) -> None:  # noqa: F811
    client = TestClient(chain_site.app)
    html = client.get("/", params={"q": "Quyết định 10/QĐ-UBND có hiệu lực từ ngày nào?"}).text
    assert 'class="citation-note"' in html and "Hết hiệu lực — thay thế bởi Quyết định 20/QĐ-UBND" in html


def test_questions_about_a_document_outside_the_corpus_use_its_citations(chain_site: Site) -> None:  # noqa: F811
    client = TestClient(chain_site.app)
    based = client.get("/api/ask", params={"q": "Những văn bản nào căn cứ vào Luật Tổ chức chính quyền địa phương?"}).json()
    assert based["found"] and based["kind"] == "relation"
    assert all(n in based["answer"] for n in ("10/QĐ-UBND", "20/QĐ-UBND", "30/QĐ-UBND"))
    assert {c["doc_number"] for c in based["citations"]} == {"10/QĐ-UBND", "20/QĐ-UBND", "30/QĐ-UBND"}


def test_answers_prefer_the_replacing_document_when_it_answers_too(chain_site: Site) -> None:  # noqa: F811
    """Both decisions say "Các sở thực hiện quy chế …"; the one still in force is cited."""
    client = TestClient(chain_site.app)
    answer = client.get("/api/ask", params={"q": "Cơ quan nào thực hiện quy chế phối hợp cải cách hành chính?"}).json()
    assert answer["found"] and answer["citations"][0]["doc_number"] == "20/QĐ-UBND"
