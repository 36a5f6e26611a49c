"""Re-indexing while serving: a killed build changes nothing, queries never fail,
and a no-op re-index gives the same answers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from indexer.pipeline import build_index
from indexer.settings import Settings
from indexer.store import builds_dir
from search_api.app import create_app
from search_api.state import IndexState
from tests.web_fixtures import LiveServer

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Cơ quan nào chủ trì xây dựng cơ sở dữ liệu công chứng?",
    "chi so sipas phai dat bao nhieu",
    "399/QĐ-UBND",
    "Sở Nội vụ chủ trì những nhiệm vụ nào?",
]

# Run in a child process: build, and when the finished build waits to be
# published, announce it and hang so the parent can SIGKILL us mid-build.
_CHILD = """
import sys, time
from pathlib import Path
from indexer.pipeline import build_index
from indexer.settings import Settings
corpus, index, marker = (Path(a) for a in sys.argv[1:4])
def hang(partial):
    marker.write_text(str(partial))
    time.sleep(120)
build_index(Settings(corpus_dir=corpus, index_dir=index, dense=False), None, progress=False, before_publish=hang)
"""


def _settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("000_1ff3dec2e07f9725.txt", "004_c671c5edcbf64ed2.txt"):
        shutil.copy(REPO / "corpus" / name, corpus / name)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", dense=False, admin_key="khoa-thu")


def test_a_build_killed_midway_leaves_the_served_index_unchanged(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    build_index(settings, None, progress=False)
    served_before = settings.index_dir.resolve()
    manifest_before = (served_before / "manifest.json").read_text()
    shutil.copy(REPO / "corpus" / "002_6ba27df1980e2c46.txt", settings.corpus_dir)

    marker = tmp_path / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(settings.corpus_dir), str(settings.index_dir), str(marker)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the build process ended before publishing"
            assert time.monotonic() < deadline, "the build never reached the publish step"
            time.sleep(0.1)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert Path(marker.read_text()).name.endswith(".partial")
    assert settings.index_dir.resolve() == served_before
    assert (served_before / "manifest.json").read_text() == manifest_before
    state = IndexState(settings)
    state.load()
    assert len(state.current().index.documents) == 2

    report = build_index(settings, None, progress=False)  # the lock died with the child
    assert report.documents == 3
    assert not list(builds_dir(settings.index_dir).glob("*.partial"))
    assert json.loads((settings.index_dir / "manifest.json").read_text())["counts"]["documents"] == 3


def test_queries_keep_answering_during_a_reindex_and_a_noop_reindex_changes_nothing(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    build_index(settings, None, progress=False)
    state = IndexState(settings)
    state.load()
    app = create_app(state)
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        before = {q: client.get("/api/ask", params={"q": q}).json() for q in QUESTIONS}
        reindex: dict[str, object] = {}

        def run_reindex() -> None:
            response = client.post("/api/admin/reindex", headers={"X-API-Key": "khoa-thu"})
            reindex["status"] = response.status_code

        thread = threading.Thread(target=run_reindex)
        thread.start()
        statuses: list[int] = []
        deadline = time.monotonic() + 60  # bounded in time and count
        while (thread.is_alive() or len(statuses) < 20) and time.monotonic() < deadline and len(statuses) < 2000:
            q = QUESTIONS[len(statuses) % len(QUESTIONS)]
            statuses.append(client.get("/api/search", params={"q": q}).status_code)
            statuses.append(client.get("/api/ask", params={"q": q}).status_code)
        thread.join(timeout=120)
        assert reindex.get("status") == 200
        assert statuses and set(statuses) == {200}
        after = {q: client.get("/api/ask", params={"q": q}).json() for q in QUESTIONS}
    strip = lambda answer: {k: v for k, v in answer.items() if k != "took_ms"}  # noqa: E731
    assert {q: strip(a) for q, a in before.items()} == {q: strip(a) for q, a in after.items()}


def test_a_missing_or_corrupt_index_gives_a_clear_message(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    state = IndexState(settings)
    state.load()
    assert state.error and "tracuu index" in state.error
    build_index(settings, None, progress=False)
    (settings.index_dir.resolve() / "documents.json").write_text("{ hỏng", encoding="utf-8")
    state = IndexState(settings)
    state.load()
    assert state.error and "hỏng" in state.error and "tracuu index" in state.error
    result = subprocess.run(
        [sys.executable, "-m", "search_api.cli", "--index", str(settings.index_dir), "ask", "ai chủ trì?"],
        cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO), "TRACUU_DENSE": "false"},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "tracuu index" in result.stderr
