"""The web site through FastAPI's TestClient, over a real (lexical-only) index of the seed corpus."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import numpy as np
import pytest
from fastapi.testclient import TestClient

from indexer.agencies import agency_key
from indexer.embed import HashingEmbedder
from indexer.pipeline import build_index
from indexer.settings import Settings
from search_api.app import create_app

from search_api.present import filter_tasks
from search_api.state import IndexState
from web_fixtures import (  # noqa: F401  (fixtures are used by name)
    DEADLINE_QUESTION,
    DOC_399,
    LEAD_QUESTION,
    ROW_2_DEADLINE,
    ROW_2_DUTY,
    ROW_2_LEAD,
    SEED_CORPUS,
    UNANSWERABLE_QUESTION,
    XSS_DOC,
    XSS_IMG,
    XSS_QUESTION,
    XSS_SCRIPT,
    Site,
    empty_site,
    seed_site,
    xss_site,
)

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture(scope="module")
def client(seed_site: Site) -> TestClient:
    return TestClient(seed_site.app)


@pytest.fixture(scope="module")
def xss_client(xss_site: Site) -> TestClient:
    return TestClient(xss_site.app)


def get_html(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html"), url
    return response.text


def section(page: str, css_class: str) -> str:
    """The HTML of the first <section class="css_class …"> (enough for these flat templates)."""
    match = re.search(rf'<section class="{css_class}[ "].*?</section>', page, re.S)
    assert match, f"no section .{css_class}"
    return match.group(0)


def citation_links(page: str) -> list[tuple[str, str]]:
    return [(html.unescape(href), html.unescape(re.sub(r"<[^>]+>", "", text)))
            for href, text in re.findall(r'<a class="citation-link" href="([^"]+)">(.*?)</a>', page, re.S)]


def dd_after(page: str, label: str) -> str:
    match = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", page, re.S)
    assert match, f"no <dt>{label}</dt>"
    return html.unescape(match.group(1))


# -- layout and the empty home ------------------------------------------------------


def test_home_renders_an_accessible_search_form(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="vi">' in page
    assert '<a class="skip-link" href="#main">' in page and 'id="main"' in page
    assert '<form class="search-form" action="/" method="get" role="search">' in page
    assert '<label for="q"' in page and '<input id="q" name="q"' in page
    assert "Câu hỏi mẫu" in page
    assert "Content-Security-Policy" in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_pages_use_only_local_resources(client: TestClient) -> None:
    """Offline: no CDN, no external font, script or stylesheet on any page."""
    for url in ("/", f"/?q={quote(LEAD_QUESTION)}", "/documents", f"/documents/{DOC_399}", "/tasks"):
        page = get_html(client, url)
        for attribute in re.findall(r'(?:src|href|action)="([^"]*)"', page):
            assert attribute.startswith(("/", "#", "?")), (url, attribute)
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "@import" not in css.text and "url(http" not in css.text


def test_templates_mark_only_highlight_output_safe() -> None:
    from web.routes import TEMPLATES_DIR, _environment

    assert _environment.autoescape is True
    for template in TEMPLATES_DIR.glob("*.html"):
        for use in re.findall(r"\{\{[^}]*\|\s*safe[^}]*\}\}", template.read_text(encoding="utf-8")):
            assert re.fullmatch(r"\{\{ (r\.highlight|c\.quote_html|c\.reading_html) \| safe \}\}", use), (template.name, use)


# -- the answer card ----------------------------------------------------------------


def test_expected_answers_are_in_the_document_text() -> None:
    """The facts the answer tests expect are printed in row STT 2 of Quyết định 399/QĐ-UBND."""
    text = (SEED_CORPUS / f"{DOC_399}.txt").read_text(encoding="utf-8")
    assert "Số: 399/QĐ-UBND" in text or "399/QĐ-UBND" in text
    row_start = text.index(ROW_2_DUTY)
    row = text[row_start : text.index("\n\t3\n", row_start)]
    assert f"\t{ROW_2_LEAD}\n" in row
    assert f"\t{ROW_2_DEADLINE}\n" in row


def test_lead_question_shows_lead_deadline_and_citation(client: TestClient, seed_site: Site) -> None:
    page = get_html(client, f"/?q={quote(LEAD_QUESTION)}")
    answer = section(page, "answer")
    assert "answer--none" not in answer
    assert ROW_2_LEAD in dd_after(answer, "Chủ trì")
    assert dd_after(answer, "Thời hạn") == ROW_2_DEADLINE
    assert "Phối hợp" in answer
    links = citation_links(answer)
    assert links, "the answer has no citation link"
    href, text = links[0]
    assert text.startswith("Quyết định 399/QĐ-UBND ngày 26/01/2022 — ")
    assert text.endswith("› STT 2")
    # The link opens the document at the cited passage, which is the STT 2 row.
    parts = urlsplit(href)
    assert parts.path == f"/documents/{DOC_399}"
    passage_id = parse_qs(parts.query)["p"][0]
    assert parts.fragment == passage_id
    row = seed_site.state.current().index.passage_row[passage_id]
    assert "kiểm tra công vụ" in seed_site.state.current().index.passages[row].text
    assert '<blockquote class="citation-quote">' in answer and "<mark>" in answer


def test_deadline_question(client: TestClient) -> None:
    answer = section(get_html(client, f"/?q={quote(DEADLINE_QUESTION)}"), "answer")
    assert dd_after(answer, "Thời hạn") == ROW_2_DEADLINE
    assert ROW_2_DEADLINE in answer and citation_links(answer)


def test_unanswerable_question_says_so_without_guessing(client: TestClient) -> None:
    answer = section(get_html(client, f"/?q={quote(UNANSWERABLE_QUESTION)}"), "answer answer--none")
    assert "Không tìm thấy câu trả lời có căn cứ" in answer
    assert not citation_links(answer)
    assert "<dt>Chủ trì</dt>" not in answer


def test_list_question_links_to_the_task_register(client: TestClient) -> None:
    answer = section(get_html(client, f"/?q={quote('Sở Nội vụ chủ trì những nhiệm vụ nào?')}"), "answer")
    assert 'href="/tasks?lead=S%E1%BB%9F+N%E1%BB%99i+v%E1%BB%A5"' in answer
    assert len(citation_links(answer)) == len({href for href, _ in citation_links(answer)})  # no repeats


# -- results, facets, pagination ----------------------------------------------------


def result_labels(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<h3 class="result-title"><a href="[^"]+">([^<]+)</a>', page)]


def test_results_are_highlighted_and_link_to_passages(client: TestClient) -> None:
    page = get_html(client, f"/?q={quote('kiểm tra công vụ')}")
    assert "Tìm thấy <strong>" in page
    results = section(page, "results-main")
    assert results.count('<li class="result">') == 10
    assert "<mark>kiểm</mark>" in results
    assert re.search(r'<h3 class="result-title"><a href="/documents/[^"?]+\?p=[^"]+#[^"]+">', results)


def test_facets_count_and_filter(client: TestClient, seed_site: Site) -> None:
    query = "cải cách hành chính"
    page = get_html(client, f"/?q={quote(query)}")
    facets = re.search(r'<aside class="facets".*?</aside>', page, re.S).group(0)
    assert "Loại văn bản" in facets and "Năm ban hành" in facets and "Cơ quan ban hành" in facets
    option = r'<a href="([^"]+)"><span class="facet-value">([^<]+)</span> <span class="count"[^>]*>(\d+)</span>'
    options = re.findall(option, facets)
    by_value = {html.unescape(v): (html.unescape(href), int(n)) for href, v, n in options}
    assert {"Quyết định", "Kế hoạch"} <= set(by_value)
    everything = seed_site.state.current().searcher.search(query, k=1000)
    expected = len({h.document.doc_id for h in everything.hits if h.document.meta.doc_type == "Kế hoạch"})
    href, count = by_value["Kế hoạch"]
    assert count == expected > 0
    filtered = get_html(client, href)
    assert "type=" in href and "Loại: Kế hoạch" in filtered
    labels = result_labels(filtered)
    assert labels and all(label.startswith("Kế hoạch") for label in labels)
    year_href, _ = by_value["2022"]
    assert all("2022" in label for label in result_labels(get_html(client, year_href)))


def test_pagination(client: TestClient) -> None:
    first = get_html(client, f"/?q={quote('cải cách hành chính')}")
    second = get_html(client, f"/?q={quote('cải cách hành chính')}&page=2")
    assert 'aria-label="Phân trang"' in first
    assert '<ol class="results" start="11">' in second
    assert result_labels(second) and 'class="answer' not in second  # the answer card is on page 1 only
    beyond = get_html(client, f"/?q={quote('cải cách hành chính')}&page=999")
    assert "không có kết quả" in beyond


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("q=cchc&page=abc", "Số trang phải là một số nguyên"),
        ("q=cchc&page=0", "Số trang phải nằm trong khoảng"),
        ("q=cchc&page=-1", "Số trang phải là một số nguyên"),
        ("q=cchc&page=99999999999999999999", "Số trang phải là một số nguyên"),
        ("q=cchc&year=abcd", "Năm ban hành phải là một số nguyên"),
        ("q=cchc&year=3000", "Năm ban hành phải nằm trong khoảng"),
        ("q=cchc&type=Kh%C3%B4ng+c%C3%B3", "không có trong kho"),
        ("q=cchc&issuer=" + "x" * 201, "Cơ quan ban hành quá dài"),
    ],
)
def test_bad_search_parameters_give_a_422_page(client: TestClient, params: str, message: str) -> None:
    page = get_html(client, f"/?{params}", status=422)
    assert 'role="alert"' in page and message in html.unescape(page)
    assert '<input id="q" name="q"' in page  # the form is still there to correct the query


def test_overlong_query_gives_a_422_page(client: TestClient, seed_site: Site) -> None:
    limit = seed_site.settings.max_query_chars
    page = get_html(client, f"/?q={'a' * (limit + 1)}", status=422)
    assert f"tối đa {limit} ký tự" in html.unescape(page)
    assert get_html(client, f"/?q={'a' * limit}").count('<section class="answer') == 1


def test_blank_query_is_the_empty_home(client: TestClient) -> None:
    page = get_html(client, "/?q=%20%20")
    assert "Câu hỏi mẫu" in page and "Kết quả tìm kiếm" not in page


# -- documents ----------------------------------------------------------------------


def test_document_page_metadata_bases_tasks_and_target(client: TestClient, seed_site: Site) -> None:
    index = seed_site.state.current().index
    document = index.documents[DOC_399]
    target = next(t.passage_id for t in document.tasks if t.stt == "2" and t.passage_id)
    page = get_html(client, f"/documents/{DOC_399}?p={quote(target)}")
    assert "<h1 id=\"doc-title\">Quyết định 399/QĐ-UBND ngày 26/01/2022</h1>" in page
    for value in ("399/QĐ-UBND", "Quyết định", "26/01/2022", "UBND thành phố Hà Nội", f"{DOC_399}.txt"):
        assert f"<dd>{value}</dd>" in page
    bases = section(page, "references")
    assert "Căn cứ" in bases and "Nghị quyết số 76/NQ-CP" in bases
    target_div = rf'<div id="{re.escape(target)}" class="passage passage--\w+ passage--target" aria-current="true">'
    assert re.search(target_div, page)
    assert page.count("passage--target") == 1
    assert f'href="#{target}"' in page  # "jump to the cited passage"
    for passage in document.passages:
        assert f'id="{passage.passage_id}"' in page
    table = section(page, "tasks-block")
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)
    assert headers == ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn"]
    assert table.count("<tr>") == len(document.tasks) + 1
    assert html.escape(ROW_2_DUTY.rstrip(".")) in table


def test_document_page_without_or_with_unknown_target(client: TestClient) -> None:
    assert "passage--target" not in get_html(client, f"/documents/{DOC_399}")
    page = get_html(client, f"/documents/{DOC_399}?p=khong-co")
    assert "passage--target" not in page and "không còn trong văn bản" in page


def test_only_the_damaged_scan_warns_about_its_ocr(client: TestClient) -> None:
    assert "bản quét nhận dạng ký tự (OCR)" in get_html(client, "/documents/003_a7644b8ee7468e2b")
    assert "bản quét nhận dạng ký tự (OCR)" not in get_html(client, f"/documents/{DOC_399}")


def test_the_damaged_scan_shows_its_repaired_reading_beside_the_print(client: TestClient) -> None:
    page = get_html(client, "/documents/003_a7644b8ee7468e2b")
    assert "Thirc hin Quy&amp; djnh" in page  # the print, as it is
    assert "Bản đọc sửa lỗi tự động" in page and "Thực hiện" in page
    assert "Bản đọc sửa lỗi tự động" not in get_html(client, f"/documents/{DOC_399}")


def test_unknown_document_is_a_vietnamese_404_page(client: TestClient) -> None:
    page = get_html(client, "/documents/khong-co-van-ban-nay", status=404)
    assert "Không tìm thấy văn bản" in page and '<html lang="vi">' in page
    assert "Không tìm thấy trang" in get_html(client, "/khong-co-trang-nay", status=404)


def test_documents_list(client: TestClient, seed_site: Site) -> None:
    page = get_html(client, "/documents")
    for doc_id in seed_site.state.current().index.documents:
        assert f'href="/documents/{doc_id}"' in page
    assert "Quyết định 399/QĐ-UBND" in page and "Công văn 2458/UBND-SNV" in page


def test_cited_document_in_the_corpus_is_a_link(xss_client: TestClient) -> None:
    bases = section(get_html(xss_client, f"/documents/{XSS_DOC}"), "references")
    assert f'<a href="/documents/{DOC_399}">Quyết định số 399/QĐ-UBND ngày 26/01/2022</a>' in bases


def test_document_page_shows_table_rows_as_the_reader_found_them(client: TestClient, seed_site: Site) -> None:
    """A row is shown by its table's column names and cells (merged cells carried down), not re-parsed text."""
    document = seed_site.state.current().index.documents[DOC_399]
    table = next(t for t in document.tables if not t.role)
    page = get_html(client, f"/documents/{DOC_399}")
    for name in {h for h in table.header() if h and h.upper() != "STT"}:
        assert f"<dt>{html.escape(name)}</dt>" in page
    assert "<dt>STT</dt>" not in page and '<p class="row-stt">STT 1</p>' in page


# -- tasks --------------------------------------------------------------------------


def task_rows(page: str) -> int:
    table = re.search(r'<table class="task-table">.*?</table>', page, re.S)
    return table.group(0).count("<tr>") - 1 if table else 0


def test_tasks_page_lists_counts_and_exports(client: TestClient, seed_site: Site) -> None:
    index = seed_site.state.current().index
    page = get_html(client, "/tasks")
    assert f"<strong>{len(index.all_tasks())}</strong> nhiệm vụ" in page
    assert task_rows(page) == min(50, len(index.all_tasks()))
    for name in ("lead", "deadline_before", "doc_id", "sort"):
        assert f'<label for="{name}">' in page
    assert 'type="date"' in page


def test_tasks_page_counts_lead_agencies_however_they_are_written(client: TestClient, seed_site: Site) -> None:
    from web.routes import lead_counts

    tasks = seed_site.state.current().index.all_tasks()
    counts = lead_counts(tasks)
    assert counts == sorted(counts, key=lambda c: -c[1]) and counts[0][1] <= len(tasks)
    assert len({agency_key(name) for name, _ in counts}) == len(counts)  # one entry per agency
    page = get_html(client, "/tasks")
    name, n = counts[0]
    assert 'aria-label="Số nhiệm vụ theo cơ quan chủ trì"' in page
    link = re.search(r'<a href="([^"]+)">' + re.escape(html.escape(name)) + r'</a> <span class="count">' + str(n), page)
    assert link is not None
    filtered = get_html(client, html.unescape(link.group(1)))
    assert f"<strong>{n}</strong> nhiệm vụ khớp bộ lọc" in filtered


def test_tasks_filtered_by_lead_deadline_and_document(client: TestClient, seed_site: Site) -> None:
    from datetime import date

    index = seed_site.state.current().index
    expected = filter_tasks(index, lead="Sở Nội vụ", deadline_before=date(2022, 6, 30), doc_id=DOC_399, sort="deadline")
    assert expected
    url = f"/tasks?lead={quote('Sở Nội vụ')}&deadline_before=2022-06-30&doc_id={DOC_399}&sort=deadline"
    page = get_html(client, url)
    assert f"<strong>{len(expected)}</strong> nhiệm vụ khớp bộ lọc" in page
    assert task_rows(page) == len(expected)
    csv_href = html.unescape(re.search(r'<a class="button-link" href="([^"]+)" download>', page).group(1))
    assert csv_href.startswith("/api/tasks?")
    assert parse_qs(urlsplit(csv_href).query) == {
        "lead": ["Sở Nội vụ"], "deadline_before": ["2022-06-30"], "doc_id": [DOC_399], "sort": ["deadline"], "format": ["csv"],
    }
    csv = client.get(csv_href)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert len(csv.text.strip().splitlines()) >= len(expected) + 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("deadline_before=2022-13-01", "không phải một ngày hợp lệ"),
        ("deadline_before=hom-qua", "không phải một ngày hợp lệ"),
        ("sort=ngau-nhien", "Cách sắp xếp chỉ nhận"),
        ("doc_id=khong-co", "không có trong kho"),
        ("page=x", "Số trang phải là một số nguyên"),
        ("lead=" + "x" * 201, "Cơ quan chủ trì quá dài"),
    ],
)
def test_bad_task_filters_give_a_422_page(client: TestClient, params: str, message: str) -> None:
    page = get_html(client, f"/tasks?{params}", status=422)
    assert message in html.unescape(page) and '<form class="filters"' in page


# -- no index -----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/?q=cchc", "/documents", f"/documents/{DOC_399}", "/tasks"])
def test_missing_index_is_a_friendly_503_page(empty_site: Site, url: str) -> None:
    page = get_html(TestClient(empty_site.app), url, status=503)
    assert "Chưa có chỉ mục" in page and "tracuu index" in page


# -- escaping -----------------------------------------------------------------------


def assert_escaped(page: str, *, expect: tuple[str, ...] = (ESCAPED_SCRIPT,)) -> None:
    lowered = page.lower()
    assert "<script" not in lowered, "a <script> tag reached the page"
    assert "<img" not in lowered, "an <img> tag reached the page"
    assert "onerror=alert" not in re.sub(r"&lt;.*?&gt;", "", page), "an onerror attribute outside escaped text"
    for escaped in expect:
        assert escaped in page, f"{escaped} not shown as text"


def test_xss_query_is_escaped_everywhere(client: TestClient) -> None:
    for url in (f"/?q={quote(XSS_SCRIPT)}", f"/?q={quote(XSS_IMG)}", f"/?q={quote(XSS_SCRIPT)}&page=2",
                f"/?q={quote(XSS_SCRIPT)}&type={quote(XSS_IMG)}"):
        response = client.get(url)
        assert response.status_code in (200, 422)
        assert_escaped(response.text, expect=())
        assert ESCAPED_SCRIPT in response.text or ESCAPED_IMG in response.text
    page = get_html(client, f"/?q={quote(XSS_SCRIPT)}")
    assert f'value="{ESCAPED_SCRIPT}"' in page
    for url in (f"/tasks?lead={quote(XSS_IMG)}", f"/tasks?doc_id={quote(XSS_SCRIPT)}",
                f"/documents/{quote(XSS_SCRIPT, safe='')}", f"/documents/{DOC_399}?p={quote(XSS_SCRIPT)}"):
        response = client.get(url)
        assert response.status_code in (200, 404, 422), url
        assert_escaped(response.text, expect=())


def test_xss_document_is_escaped_on_every_page(xss_client: TestClient) -> None:
    document = get_html(xss_client, f"/documents/{XSS_DOC}")
    assert_escaped(document, expect=(ESCAPED_SCRIPT, ESCAPED_IMG))
    assert_escaped(get_html(xss_client, "/documents"))
    tasks = get_html(xss_client, f"/tasks?doc_id={XSS_DOC}")
    assert_escaped(tasks)
    assert task_rows(tasks) >= 1
    search = get_html(xss_client, f"/?q={quote('hiển thị an toàn')}")
    assert_escaped(search, expect=())
    assert "&lt;<mark>" in search or "&lt;script&gt;" in search or "&lt;img" in search
    answer_page = get_html(xss_client, f"/?q={quote(XSS_QUESTION)}")
    assert_escaped(answer_page, expect=())
    answer = section(answer_page, "answer")
    assert "&lt;" in answer  # the markup in the cited text is shown, as text


# -- cost (speed itself is measured by scripts/load_benchmark.py --scenario pages) ---------


class _CountingEmbedder(HashingEmbedder):
    """Counts query encodings: the model is most of a page's cost."""

    def __init__(self) -> None:
        super().__init__()
        self.query_calls = 0

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.query_calls += 1
        return super().encode_queries(texts)


def test_search_page_encodes_the_query_once(tmp_path: Path) -> None:
    embedder = _CountingEmbedder()
    settings = Settings(corpus_dir=SEED_CORPUS, index_dir=tmp_path / "index")
    build_index(settings, lambda: embedder, progress=False)
    state = IndexState(settings, embedder=embedder)
    state.load()
    client = TestClient(create_app(state))
    for params in ({"q": LEAD_QUESTION}, {"q": LEAD_QUESTION, "type": "Quyết định"}):
        embedder.query_calls = 0
        page = get_html(client, "/?" + urlencode(params))
        assert "answer-card" in page or "Nguồn" in page
        assert embedder.query_calls == 1, params
