"""The web site in a real browser: Debian's Chromium driven by Playwright, against uvicorn.

Playwright never downloads a browser here: it launches /usr/bin/chromium (installed by
`make test` with apt). Without it these tests are skipped, with the reason. Every
request the page makes is checked to stay on the local server (the site must work
offline), and screenshots of the three main pages are saved to docs/screenshots/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest

from web_fixtures import (  # noqa: F401  (fixtures are used by name)
    CHAIN_AMEND,
    CHAIN_NEW,
    CHAIN_OLD,
    CHAIN_QUERY,
    chain_server,
    chain_site,
    DOC_399,
    LEAD_QUESTION,
    ROW_2_DEADLINE,
    ROW_2_LEAD,
    SCREENSHOTS,
    XSS_DOC,
    XSS_IMG,
    XSS_QUESTION,
    XSS_SCRIPT,
    LiveServer,
    seed_server,
    seed_site,
    xss_server,
    xss_site,
)

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is absent (install Debian's Chromium: apt-get install -y chromium, as `make test` does)",
                allow_module_level=True)

from playwright import sync_api  # noqa: E402  (a test extra: missing it is an error, not a skip)

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
TARGET_BACKGROUND = "rgb(255, 246, 214)"  # --target in style.css


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class Watch:
    """What a page did that it must not: dialogs, requests off the local server, errors."""

    def __init__(self, page: object, origin: str) -> None:
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []

        def on_dialog(dialog: object) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_route(route: object) -> None:
            url = route.request.url
            if url.startswith(origin) or url.startswith(("data:", "about:")):
                route.continue_()
            else:
                self.foreign.append(url)
                route.abort()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.route("**/*", on_route)

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.foreign == [], f"requests left the local server: {self.foreign}"
        assert self.errors == [], f"page errors: {self.errors}"


@pytest.fixture
def page_on(browser: object) -> Iterator[object]:
    contexts = []

    def open_page(server: LiveServer) -> tuple[object, Watch]:
        context = browser.new_context(viewport=VIEWPORT, locale="vi-VN", base_url=server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page, Watch(page, server.url)

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def in_viewport(locator: object) -> bool:
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= -1 && r.top < window.innerHeight && r.bottom > 0; }"
    )


def test_question_answer_citation_to_highlighted_passage(page_on, seed_server: LiveServer) -> None:
    page, watch = page_on(seed_server)
    page.goto("/")
    search = page.get_by_label("Câu hỏi hoặc từ khóa")
    search.fill(LEAD_QUESTION)
    search.press("Enter")
    page.wait_for_url(re.compile(r"/\?q="))
    answer = page.locator("section.answer")
    sync_api.expect(answer).to_be_visible()
    sync_api.expect(answer.locator("dt", has_text="Chủ trì").locator("xpath=following-sibling::dd")).to_contain_text(ROW_2_LEAD)
    sync_api.expect(answer.locator("dt", has_text="Thời hạn").locator("xpath=following-sibling::dd")).to_have_text(ROW_2_DEADLINE)
    citation = answer.locator("a.citation-link").first
    sync_api.expect(citation).to_contain_text("Quyết định 399/QĐ-UBND ngày 26/01/2022 — ")
    sync_api.expect(citation).to_contain_text("STT 2")
    sync_api.expect(answer.locator("blockquote.citation-quote").first).to_contain_text("kiểm tra công vụ")
    screenshot(page, "search.png")

    citation.click()
    page.wait_for_url(re.compile(rf"/documents/{DOC_399}\?p="))
    fragment = urlsplit(page.url).fragment
    target = page.locator("div.passage--target")
    sync_api.expect(target).to_have_count(1)
    assert target.get_attribute("id") == fragment
    sync_api.expect(target).to_contain_text("kiểm tra công vụ")
    sync_api.expect(target.locator(".target-label")).to_have_text("Đoạn được trích dẫn")
    page.wait_for_function("() => { const el = document.querySelector('.passage--target');"
                           " const r = el.getBoundingClientRect(); return r.top >= -1 && r.top < window.innerHeight; }")
    assert in_viewport(target), "the cited passage was not scrolled into view"
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") == TARGET_BACKGROUND
    assert target.evaluate("el => el.matches(':target')")
    screenshot(page, "document.png")
    watch.assert_clean()


def test_facet_filter_narrows_results(page_on, seed_server: LiveServer) -> None:
    page, watch = page_on(seed_server)
    page.goto(f"/?q={quote('cải cách hành chính')}")
    facet = page.locator("aside.facets a", has=page.locator(".facet-value", has_text=re.compile(r"^Kế hoạch$")))
    sync_api.expect(facet).to_have_count(1)
    facet.click()
    page.wait_for_url(re.compile(r"type=K"))
    sync_api.expect(page.locator(".active-filters")).to_contain_text("Loại: Kế hoạch")
    titles = page.locator(".result-title a").all_inner_texts()
    assert titles and all(t.startswith("Kế hoạch") for t in titles), titles
    sync_api.expect(page.locator("aside.facets a.is-active")).to_contain_text("Kế hoạch")
    # Removing the filter brings the other document types back.
    page.locator(".active-filters a").click()
    page.wait_for_url(lambda url: "type=" not in url)
    assert any(not t.startswith("Kế hoạch") for t in page.locator(".result-title a").all_inner_texts())
    watch.assert_clean()


def test_tasks_page_filters_by_lead_agency(page_on, seed_server: LiveServer) -> None:
    page, watch = page_on(seed_server)
    page.goto("/tasks")
    total = int(page.locator(".results-summary strong").inner_text())
    page.get_by_label("Cơ quan chủ trì", exact=True).fill("Sở Nội vụ")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r"lead=S"))
    filtered = int(page.locator(".results-summary strong").inner_text())
    assert 0 < filtered < total
    leads = page.locator("table.task-table tbody tr td:nth-child(4)").all_inner_texts()
    assert len(leads) == min(filtered, 50)
    assert all("nội vụ" in lead.lower() for lead in leads), leads
    csv = page.get_by_role("link", name=re.compile("Tải CSV"))
    assert csv.get_attribute("href").startswith("/api/tasks?lead=S")
    assert "format=csv" in csv.get_attribute("href")
    screenshot(page, "tasks.png")
    watch.assert_clean()


def test_keyboard_skip_link_and_focus_outline(page_on, seed_server: LiveServer) -> None:
    page, watch = page_on(seed_server)
    page.goto("/tasks")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused.startswith("Bỏ qua")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused link has no visible outline"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#main$"))
    watch.assert_clean()


def test_markup_in_queries_and_documents_never_runs(page_on, xss_server: LiveServer) -> None:
    page, watch = page_on(xss_server)
    urls = [
        f"/?q={quote(XSS_SCRIPT)}",
        f"/?q={quote(XSS_IMG)}",
        f"/?q={quote(XSS_QUESTION)}",
        f"/?q={quote('hiển thị an toàn')}",
        f"/documents/{XSS_DOC}",
        "/documents",
        f"/tasks?doc_id={XSS_DOC}",
        f"/tasks?lead={quote(XSS_IMG)}",
        f"/documents/{quote(XSS_SCRIPT, safe='')}",
    ]
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.locator("script").count() == 0, url
        assert page.locator("img").count() == 0, url
    # The markup is shown as text where the document has it.
    page.goto(f"/documents/{XSS_DOC}")
    sync_api.expect(page.locator("#doc-title + .document-title")).to_contain_text(XSS_SCRIPT)
    sync_api.expect(page.locator(".fulltext")).to_contain_text(XSS_IMG)
    # And typed into the search box, it is only a query.
    page.goto("/")
    page.get_by_label("Câu hỏi hoặc từ khóa").fill(XSS_SCRIPT)
    page.get_by_label("Câu hỏi hoặc từ khóa").press("Enter")
    page.wait_for_url(re.compile(r"/\?q="))
    sync_api.expect(page.get_by_label("Câu hỏi hoặc từ khóa")).to_have_value(XSS_SCRIPT)
    page.wait_for_timeout(300)  # give a rogue handler time to fire
    watch.assert_clean()


def test_relations_badge_both_directions_diagram_and_in_force_filter(page_on, chain_server: LiveServer) -> None:
    """Issue 15: a decision, its replacement and an amendment of the replacement, seen in the browser."""
    page, watch = page_on(chain_server)
    page.goto(f"/documents/{CHAIN_NEW}")
    sync_api.expect(page.locator(".document-status .status")).to_contain_text(
        "Còn hiệu lực — bị sửa đổi, bổ sung bởi Quyết định 30/QĐ-UBND")
    changes = page.locator("section", has=page.locator("#rel-changes"))
    sync_api.expect(changes.get_by_role("link", name="10/QĐ-UBND")).to_have_attribute(
        "href", f"/documents/{CHAIN_OLD}")
    changed_by = page.locator("section", has=page.locator("#rel-changed-by"))
    sync_api.expect(changed_by.get_by_role("link", name="30/QĐ-UBND")).to_have_attribute(
        "href", f"/documents/{CHAIN_AMEND}")
    diagram = page.locator("svg.relation-diagram")
    sync_api.expect(diagram).to_be_visible()
    assert diagram.locator(f'a[href="/documents/{CHAIN_OLD}"]').count() == 1
    assert diagram.locator(f'a[href="/documents/{CHAIN_AMEND}"]').count() == 1
    page_links = {href for href in page.locator("section.references a").evaluate_all("els => els.map(e => e.getAttribute('href'))")}
    api = page.request.get(f"/api/documents/{CHAIN_NEW}/relations").json()
    api_links = {f"/documents/{e['doc_id']}" for d in ("outgoing", "incoming") for e in api[d] if e["doc_id"]}
    assert api_links == {f"/documents/{CHAIN_OLD}", f"/documents/{CHAIN_AMEND}"} and api_links <= page_links

    changes.get_by_role("link", name="10/QĐ-UBND").click()
    page.wait_for_url(re.compile(CHAIN_OLD))
    sync_api.expect(page.locator(".document-status .status")).to_contain_text("Hết hiệu lực — thay thế bởi Quyết định 20/QĐ-UBND")

    page.goto("/?" + "q=" + quote(CHAIN_QUERY))
    results = page.locator("ol.results > li")
    sync_api.expect(results.filter(has_text="10/QĐ-UBND")).not_to_have_count(0)
    sync_api.expect(results.filter(has_text="10/QĐ-UBND").first.locator(".status")).to_contain_text("Hết hiệu lực")
    page.locator("aside.facets").get_by_role("link", name="Còn hiệu lực").click()
    page.wait_for_url(re.compile(r"hieu_luc=1"))
    sync_api.expect(results.filter(has_text="20/QĐ-UBND")).not_to_have_count(0)
    sync_api.expect(results.filter(has_text="10/QĐ-UBND")).to_have_count(0)
    watch.assert_clean()
