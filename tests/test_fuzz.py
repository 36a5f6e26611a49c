"""Property test of the query path: any text a user can send gives a 200 or a 422, never a 500.

Text is drawn from all of Unicode (control characters, combining marks, private use,
non-characters, very long strings) except surrogates, which UTF-8 (and so HTTP) cannot carry.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web_fixtures import Site, seed_site  # noqa: F401  (fixture used by name)

ANY_TEXT = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1900, max_size=5000),
    # Vietnamese words, document numbers and punctuation around odd characters.
    st.lists(
        st.sampled_from(["công chứng", "399/QĐ-UBND", "Sở Tư pháp", "chủ trì", "thời hạn", "?", "\x00", "\u200b",
                         "\ufeff", "\r\n", "\t", "%", "&q=", "<script>", "ＡＢＣ", "ǅ", "\u0301", "\U0010ffff"]),
        max_size=40,
    ).map(" ".join),
)

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def client(seed_site: Site) -> TestClient:  # noqa: F811
    return TestClient(seed_site.app)


def _ok(status: int, method: str, url: str, text: str) -> None:
    assert status in (200, 422), f"{method} {url} q={text!r} → {status}"


@FUZZ
@given(text=ANY_TEXT)
def test_search_never_fails(client: TestClient, text: str) -> None:
    _ok(client.get("/api/search", params={"q": text}).status_code, "GET", "/api/search", text)


@FUZZ
@given(text=ANY_TEXT)
def test_ask_get_never_fails(client: TestClient, text: str) -> None:
    _ok(client.get("/api/ask", params={"q": text}).status_code, "GET", "/api/ask", text)


@FUZZ
@given(text=ANY_TEXT)
def test_ask_post_never_fails(client: TestClient, text: str) -> None:
    _ok(client.post("/api/ask", json={"q": text}).status_code, "POST", "/api/ask", text)


@FUZZ
@given(text=ANY_TEXT)
def test_search_page_never_fails(client: TestClient, text: str) -> None:
    response = client.get("/", params={"q": text})
    _ok(response.status_code, "GET", "/", text)
    assert "text/html" in response.headers["content-type"]
