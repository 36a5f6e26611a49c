"""Backup and restore: one archive with checksums, restored only into an empty data directory,
answering the seed gold questions exactly as before."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from indexer.backup import BACKUP_MANIFEST, BackupError, create_backup, restore_backup
from indexer.pipeline import build_index
from indexer.settings import Settings
from indexer.upload import REPLACED_DIR
from search_api.state import IndexState

REPO = Path(__file__).resolve().parents[1]
GOLD = [json.loads(line)["question"] for line in (REPO / "tests" / "gold" / "answers.jsonl").read_text(
    encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    """The seed corpus (with its metadata override) plus a replaced version, indexed and backed up."""
    root = tmp_path_factory.mktemp("backup")
    shutil.copytree(REPO / "corpus", root / "corpus")
    (root / "corpus" / REPLACED_DIR).mkdir()
    (root / "corpus" / REPLACED_DIR / "004_c671c5edcbf64ed2.20240101-000000.txt").write_text(
        "Bản cũ của kế hoạch.", encoding="utf-8")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "data" / "index", dense=False)
    build_index(settings, None, progress=False)
    archive = root / "sao-luu.tar.gz"
    result = _cli(settings, "backup", archive)
    assert result.returncode == 0, result.stderr
    assert "Đã sao lưu" in result.stdout
    return settings, archive


def _cli(settings: Settings, command: str, archive: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "search_api.cli", "--corpus", str(settings.corpus_dir), "--index",
         str(settings.index_dir), command, str(archive)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO), "TRACUU_DENSE": "false"},
    )


def _answers(settings: Settings) -> list[dict]:
    state = IndexState(settings)
    state.load()
    answerer = state.current().answerer
    return [{k: v for k, v in answerer.ask(q).api_dict().items() if k != "took_ms"} for q in GOLD]


def test_restore_gives_identical_answers_on_the_gold_questions(backed_up: tuple[Settings, Path],
                                                               tmp_path: Path) -> None:
    settings, archive = backed_up
    restored = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "data" / "index", dense=False)
    result = _cli(restored, "restore", archive)
    assert result.returncode == 0, result.stderr
    assert len(GOLD) >= 40
    assert _answers(restored) == _answers(settings)
    original = sorted(p.relative_to(settings.corpus_dir) for p in settings.corpus_dir.rglob("*") if p.is_file())
    assert sorted(p.relative_to(restored.corpus_dir) for p in restored.corpus_dir.rglob("*") if p.is_file()) == original
    assert any(p.parts[0] == REPLACED_DIR for p in original) and any(p.name.endswith(".meta.toml") for p in original)
    assert restored.index_dir.resolve().name == settings.index_dir.resolve().name
    audit = (restored.audit_path).read_text(encoding="utf-8")
    assert '"action": "restore"' in audit


def test_restore_refuses_a_data_directory_that_is_not_empty(backed_up: tuple[Settings, Path], tmp_path: Path) -> None:
    _, archive = backed_up
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "da_co.txt").write_text("Văn bản đang có", encoding="utf-8")
    target = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "data" / "index", dense=False)
    result = _cli(target, "restore", archive)
    assert result.returncode == 2 and "thư mục dữ liệu trống" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in (tmp_path / "corpus").iterdir()] == ["da_co.txt"]
    assert not target.index_dir.exists()


def _rewritten(archive: Path, out: Path, change: str) -> None:
    """A copy of ``archive`` with one member's bytes changed (its checksum in BACKUP.json left alone)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as tar:
        for member in source:
            data = source.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if member.name == change and data is not None:
                data = data[:-1] + bytes([data[-1] ^ 0x01])
            tar.addfile(member, io.BytesIO(data) if data is not None else None)


@pytest.mark.parametrize("damage", ["member", "compressed-byte", "truncated"])
def test_a_damaged_archive_is_refused_and_nothing_is_written(backed_up: tuple[Settings, Path], tmp_path: Path,
                                                            damage: str) -> None:
    settings, archive = backed_up
    damaged = tmp_path / "hong.tar.gz"
    if damage == "member":
        with tarfile.open(archive, "r:gz") as tar:
            name = next(m.name for m in tar if m.name.endswith("documents.json"))
        _rewritten(archive, damaged, name)
    elif damage == "compressed-byte":
        data = bytearray(archive.read_bytes())
        data[len(data) // 2] ^= 0x01
        damaged.write_bytes(bytes(data))
    else:
        damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    target = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "data" / "index", dense=False)
    with pytest.raises(BackupError, match="bị hỏng"):
        restore_backup(damaged, target.corpus_dir, target.index_dir)
    assert not target.corpus_dir.exists() and not target.index_dir.exists()
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.json"))


def test_backup_refuses_to_overwrite_and_checks_the_served_generation(backed_up: tuple[Settings, Path],
                                                                      tmp_path: Path) -> None:
    settings, archive = backed_up
    with pytest.raises(BackupError, match="đã có"):
        create_backup(settings.corpus_dir, settings.index_dir, archive)
    with tarfile.open(archive, "r:gz") as tar:
        assert tar.getmembers()[0].name == BACKUP_MANIFEST
    assert gzip.open(archive).read(1)  # a plain gzip tar any tool can list
