"""Shared fixtures for the web tests (tests/test_web.py, tests/test_browser.py).

Indexes are lexical-only (no 240 MB model) and built once per test session
into a temporary folder: one over the seed corpus, one over a tiny corpus whose
document carries ``<script>`` and ``<img onerror>`` in its title, headings, body
and task table, for the escaping tests.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI

from indexer.pipeline import build_index
from indexer.settings import Settings
from search_api.app import create_app
from search_api.state import IndexState

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO / "corpus"
SCREENSHOTS = REPO / "docs" / "screenshots"

# The seed document the answer tests cite: Quyết định 399/QĐ-UBND ngày 26/01/2022.
DOC_399 = "000_1ff3dec2e07f9725"
# Its appendix row STT 2, as printed in corpus/000_1ff3dec2e07f9725.txt (checked by
# test_web.test_expected_answers_are_in_the_document_text, so the questions below
# are grounded in the document and not in whatever the answerer happens to say).
ROW_2_DUTY = "Triển khai các hoạt động kiểm tra công vụ, kiểm tra CCHC."
ROW_2_LEAD = "Sở Nội vụ"
ROW_2_DEADLINE = "Quý I/2022"
LEAD_QUESTION = "Cơ quan nào chủ trì kiểm tra công vụ?"
DEADLINE_QUESTION = "Thời hạn hoàn thành kiểm tra công vụ?"
UNANSWERABLE_QUESTION = "Thời tiết ở Đà Lạt hôm nay thế nào?"

XSS_DOC = "xss_test"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_TEXT = f"""ỦY BAN NHÂN DÂN
THÀNH PHỐ HÀ NỘI
Số: 123/KH-UBND
Hà Nội, ngày 05 tháng 03 năm 2024

KẾ HOẠCH
Thử nghiệm hiển thị văn bản {XSS_SCRIPT} an toàn

Căn cứ Quyết định số 399/QĐ-UBND ngày 26/01/2022 của UBND Thành phố về Kế hoạch cải cách hành chính năm 2022;

I. MỤC ĐÍCH
1. Kiểm tra hiển thị an toàn: đoạn {XSS_SCRIPT} và thẻ {XSS_IMG} phải hiện ra dưới dạng chữ.

II. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ {XSS_IMG}
- Chủ trì rà soát hiển thị an toàn {XSS_SCRIPT} của cổng thông tin, hoàn thành trong tháng 6/2024.
"""
XSS_QUESTION = "Cơ quan nào chủ trì rà soát hiển thị an toàn của cổng thông tin?"


# A replacement and amendment chain (issue 15): OLD is replaced by NEW, which AMEND amends.
CHAIN_OLD, CHAIN_NEW, CHAIN_AMEND = "qd_10_2023", "qd_20_2024", "qd_30_2025"
CHAIN_QUERY = "quy chế phối hợp cải cách hành chính"
_CHAIN_HEAD = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: {number}
Lâm Đồng, ngày {date}

QUYẾT ĐỊNH
{title}

ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG

Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;

QUYẾT ĐỊNH:

"""
CHAIN_TEXTS = {
    CHAIN_OLD: _CHAIN_HEAD.format(number="10/QĐ-UBND", date="05 tháng 01 năm 2023",
                                  title="Ban hành Quy chế phối hợp cải cách hành chính") + (
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp cải cách hành chính của tỉnh.\n\n"
        "Điều 2. Các sở thực hiện quy chế phối hợp cải cách hành chính.\n\n"
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\n"),
    CHAIN_NEW: _CHAIN_HEAD.format(number="20/QĐ-UBND", date="10 tháng 02 năm 2024",
                                  title="Ban hành Quy chế phối hợp cải cách hành chính (thay thế)") + (
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp cải cách hành chính mới của tỉnh.\n\n"
        "Điều 2. Các sở thực hiện quy chế phối hợp cải cách hành chính.\n\n"
        "Điều 3. Quyết định này có hiệu lực kể từ ngày 01 tháng 3 năm 2024 và thay thế Quyết định số 10/QĐ-UBND "
        "ngày 05/01/2023 của Ủy ban nhân dân tỉnh Lâm Đồng.\n"),
    CHAIN_AMEND: _CHAIN_HEAD.format(number="30/QĐ-UBND", date="15 tháng 3 năm 2025",
                                    title="Sửa đổi Quy chế phối hợp cải cách hành chính") + (
        "Điều 1. Sửa đổi, bổ sung Điều 2 của Quyết định số 20/QĐ-UBND ngày 10/02/2024 của Ủy ban nhân dân "
        "tỉnh Lâm Đồng như sau: các sở, ngành thực hiện quy chế phối hợp cải cách hành chính hằng quý.\n\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"),
}


@dataclass
class Site:
    app: FastAPI
    state: IndexState
    settings: Settings


_built: dict[str, Site] = {}


def _build(name: str, corpus_dir: Path, root: Path) -> Site:
    """Build (once per session and name) a lexical-only index and the app over it."""
    if name not in _built:
        settings = Settings(corpus_dir=corpus_dir, index_dir=root / name / "index", dense=False)
        build_index(settings, None, progress=False)
        state = IndexState(settings)
        state.load()
        state.current()  # fail here, loudly, if the index cannot be served
        _built[name] = Site(create_app(state), state, settings)
    return _built[name]


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return _build("seed", SEED_CORPUS, tmp_path_factory.getbasetemp() / "web")


@pytest.fixture(scope="session")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.getbasetemp() / "web"
    corpus = root / "xss-corpus"
    if not corpus.exists():
        corpus.mkdir(parents=True)
        (corpus / f"{XSS_DOC}.txt").write_text(XSS_TEXT, encoding="utf-8")
        # The document the XSS one cites as its legal basis, so the basis is a link.
        shutil.copy(SEED_CORPUS / f"{DOC_399}.txt", corpus / f"{DOC_399}.txt")
    return _build("xss", corpus, root)


@pytest.fixture(scope="session")
def chain_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A decision, the decision replacing it and one amending the replacement."""
    root = tmp_path_factory.getbasetemp() / "web"
    corpus = root / "chain-corpus"
    if not corpus.exists():
        corpus.mkdir(parents=True)
        for doc_id, text in CHAIN_TEXTS.items():
            (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return _build("chain", corpus, root)


@pytest.fixture(scope="session")
def empty_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """An app whose index folder holds nothing: every page must say so with a 503."""
    root = tmp_path_factory.getbasetemp() / "web" / "empty"
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", dense=False)
    state = IndexState(settings)
    state.load()
    return Site(create_app(state), state, settings)


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        import uvicorn

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


@pytest.fixture(scope="module")
def seed_server(seed_site: Site) -> Iterator[LiveServer]:
    with LiveServer(seed_site.app) as server:
        yield server


@pytest.fixture(scope="module")
def chain_server(chain_site: Site) -> Iterator[LiveServer]:
    with LiveServer(chain_site.app) as server:
        yield server


@pytest.fixture(scope="module")
def xss_server(xss_site: Site) -> Iterator[LiveServer]:
    with LiveServer(xss_site.app) as server:
        yield server
