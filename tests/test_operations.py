"""Running it for a city: a full disk, a damaged generation and old generations on disk.

The disk fills for real: a child process runs the build under ``RLIMIT_FSIZE``, so
the first large index file it writes fails with EFBIG exactly as a full disk fails
a write, through the same code path (the operating system's error, not a mock).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer.pipeline import build_index
from indexer.settings import Settings
from indexer.store import MANIFEST, builds_dir, generations, new_build_dir
from search_api.app import create_app
from search_api.audit import AuditLog
from search_api.state import IndexState

REPO = Path(__file__).resolve().parents[1]
KEY = "khoa-van-hanh"
QUESTION = "Cơ quan nào chủ trì xây dựng cơ sở dữ liệu công chứng?"

_LIMITED = """
import json, resource, signal, sys
from pathlib import Path
from indexer.segment import segment
segment("khởi động")  # pyvi unpacks its model to a temporary file: done before the limit
def fill_the_disk():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like a full disk
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
corpus, index, mode = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
if mode == "cli":
    from search_api.cli import main
    fill_the_disk()
    sys.exit(main(["--corpus", str(corpus), "--index", str(index), "index", "--lexical-only", "--quiet"]))
from fastapi.testclient import TestClient
from indexer.settings import Settings
from search_api.app import create_app
from search_api.state import IndexState
state = IndexState(Settings(corpus_dir=corpus, index_dir=index, dense=False, admin_key="%s"))
state.load()
client = TestClient(create_app(state))
fill_the_disk()
reindex = client.post("/api/admin/reindex", headers={"X-API-Key": "%s"})
search = client.get("/api/search", params={"q": "công chứng"})
print(json.dumps({"status": reindex.status_code, "detail": reindex.json()["detail"],
                  "search": search.status_code, "documents": client.get("/healthz").json()["documents"]}))
""" % (KEY, KEY)


def _settings(tmp_path: Path, names: tuple[str, ...] = ("000_1ff3dec2e07f9725.txt", "004_c671c5edcbf64ed2.txt"),
              **overrides: object) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(REPO / "corpus" / name, corpus / name)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "data" / "index", dense=False, admin_key=KEY,
                    **overrides)  # type: ignore[arg-type]


def _run_limited(limit: int, settings: Settings, mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _LIMITED, str(limit), str(settings.corpus_dir), str(settings.index_dir), mode],
        cwd=REPO, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.parametrize("mode", ["cli", "api"])
def test_disk_full_mid_build_gives_a_clear_error_keeps_the_old_index_and_leaves_no_partial(
        tmp_path: Path, mode: str) -> None:
    settings = _settings(tmp_path)
    build_index(settings, None, progress=False)
    served = settings.index_dir.resolve()
    manifest = (served / MANIFEST).read_text()
    shutil.copy(REPO / "corpus" / "002_6ba27df1980e2c46.txt", settings.corpus_dir)
    largest = max(p.stat().st_size for p in served.rglob("*") if p.is_file())
    limit = largest // 2  # the new build's largest file cannot be written; small ones (logs, locks) can
    assert limit > 16_384

    result = _run_limited(limit, settings, mode)
    (entry,) = AuditLog.for_settings(settings).entries()
    if mode == "cli":
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        message = result.stderr
        assert (entry["action"], entry["status"], entry["client"]) == ("reindex", 507, "cli")
    else:
        assert result.returncode == 0, result.stderr
        outcome = json.loads(result.stdout.strip().splitlines()[-1])
        assert outcome["status"] == 507 and outcome["search"] == 200 and outcome["documents"] == 2
        message = outcome["detail"]
        assert (entry["action"], entry["status"], entry["key_label"]) == ("reindex", 507, "admin")
    assert "trong khi lập chỉ mục" in message and "chỉ mục cũ vẫn đang được dùng" in message
    assert settings.index_dir.resolve() == served
    assert (served / MANIFEST).read_text() == manifest
    assert not list(builds_dir(settings.index_dir).glob("*.partial"))
    assert generations(settings.index_dir) == [served]


def test_a_build_is_refused_up_front_when_free_space_is_short(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    build_index(settings, None, progress=False)
    served = settings.index_dir.resolve()
    state = IndexState(replace(settings, min_free_mb=1e12))  # a terabyte more than any test disk has
    state.load()
    client = TestClient(create_app(state))
    response = client.post("/api/admin/reindex", headers={"X-API-Key": KEY})
    assert response.status_code == 507
    assert "Không đủ dung lượng đĩa" in response.json()["detail"]
    assert generations(settings.index_dir) == [served]
    assert client.get("/api/ask", params={"q": QUESTION}).status_code == 200


def _flip_one_byte(path: Path) -> bytes:
    original = path.read_bytes()
    damaged = bytearray(original)
    damaged[len(damaged) // 2] ^= 0x01
    path.write_bytes(bytes(damaged))
    return original


def test_a_flipped_byte_in_any_artefact_serves_the_previous_generation(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    build_index(settings, None, progress=False)
    previous = settings.index_dir.resolve()
    shutil.copy(REPO / "corpus" / "002_6ba27df1980e2c46.txt", settings.corpus_dir)
    build_index(settings, None, progress=False)
    newest = settings.index_dir.resolve()
    assert newest != previous
    artefacts = sorted(p for p in newest.rglob("*") if p.is_file())
    assert len(artefacts) >= 8 and {"manifest.json", "manifest.sha256", "documents.json"} <= {p.name for p in artefacts}
    for artefact in artefacts:
        original = _flip_one_byte(artefact)
        try:
            state = IndexState(settings)
            state.load()
            client = TestClient(create_app(state))
            health = client.get("/healthz").json()
            assert health["status"] == "degraded", artefact
            assert health["generation"] == previous.name and health["documents"] == 2
            assert previous.name in health["error"]
            assert client.get("/api/ask", params={"q": QUESTION}).status_code == 200
            assert client.get("/api/search", params={"q": "công chứng"}).status_code == 200
        finally:
            artefact.write_bytes(original)
    state = IndexState(settings)
    state.load()
    assert state.degraded is None and state.current().index.path == newest


def test_nothing_good_on_disk_is_a_clear_503_not_a_500(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    build_index(settings, None, progress=False)
    _flip_one_byte(settings.index_dir.resolve() / "documents.json")
    state = IndexState(settings)
    state.load()
    client = TestClient(create_app(state))
    response = client.get("/api/search", params={"q": "công chứng"})
    assert response.status_code == 503 and "không khớp mã kiểm tra" in response.json()["detail"]
    assert client.get("/healthz").json()["status"] == "unavailable"


def test_old_generations_are_pruned_and_orphaned_partials_cleaned_at_start_up(tmp_path: Path) -> None:
    settings = _settings(tmp_path, keep_generations=2)
    for _ in range(3):
        build_index(settings, None, progress=False)
    kept = generations(settings.index_dir)
    assert len(kept) == 2 and kept[0] == settings.index_dir.resolve()
    _flip_one_byte(kept[1] / "units.json")  # a damaged old generation is not one of the good ones kept
    build_index(settings, None, progress=False)
    after = generations(settings.index_dir)
    assert len(after) == 2 and kept[1] not in after and kept[0] in after

    orphan = new_build_dir(settings.index_dir)  # as a build killed midway leaves it
    (orphan / "documents.json").write_text("[", encoding="utf-8")
    state = IndexState(settings)
    state.load()
    assert not orphan.exists()
    assert state.current().index.path == settings.index_dir.resolve()
