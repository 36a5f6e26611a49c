"""The index directory on disk: written atomically, swapped atomically.

``data/index`` is a symbolic link to one finished build under ``data/.index-builds/``.
A build is written into a ``*.partial`` folder and renamed when complete; then the
link is replaced with ``os.replace`` — a single atomic step. A build killed midway
leaves only a ``.partial`` folder behind, which the next build removes: the served
index is never half-written.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
DOCUMENTS = "documents.json"
FORMAT_VERSION = 1
_KEEP_OLD_BUILDS = 1


class IndexUnavailable(Exception):
    """The index cannot be served; the message tells the user what to do."""


def builds_dir(index_dir: Path) -> Path:
    return index_dir.parent / f".{index_dir.name}-builds"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index; a second one fails fast with a clear message."""
    root = builds_dir(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexUnavailable("Đang có một lần lập chỉ mục khác chạy; hãy đợi nó xong.") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_build_dir(index_dir: Path) -> Path:
    """A fresh ``.partial`` folder to write a build into (stale ones are removed first)."""
    root = builds_dir(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob("*.partial"):
        shutil.rmtree(stale, ignore_errors=True)
    # Time plus a random tag: two builds in the same second must not share a folder.
    partial = root / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.partial"
    partial.mkdir()
    return partial


def write_json(path: Path, data: Any) -> None:
    """Write JSON and flush it to disk, so a finished build survives a crash."""
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def publish(partial: Path, index_dir: Path) -> Path:
    """Finish a build: rename it, then atomically point ``index_dir`` at it."""
    final = partial.with_suffix("")
    partial.rename(final)
    if index_dir.exists() and not index_dir.is_symlink():
        # An index copied in by hand: keep it as an old build rather than deleting it.
        index_dir.rename(builds_dir(index_dir) / f"manual-{time.strftime('%Y%m%d-%H%M%S')}")
    link_tmp = index_dir.parent / f".{index_dir.name}.link-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(os.path.relpath(final, index_dir.parent))
    os.replace(link_tmp, index_dir)
    _remove_old_builds(index_dir, keep=final)
    return final


def _remove_old_builds(index_dir: Path, keep: Path) -> None:
    finished = sorted(
        (p for p in builds_dir(index_dir).iterdir() if p.is_dir() and not p.name.endswith(".partial")),
        key=lambda p: p.stat().st_mtime,
    )
    old = [p for p in finished if p.resolve() != keep.resolve()]
    for path in old[: max(0, len(old) - _KEEP_OLD_BUILDS)]:
        shutil.rmtree(path, ignore_errors=True)


def resolve_index(index_dir: Path) -> Path:
    """The folder of the served build; ``IndexUnavailable`` when there is none or it is broken."""
    if not index_dir.exists():
        raise IndexUnavailable(
            f"Chưa có chỉ mục tại '{index_dir}'. Hãy chạy 'tracuu index' (hoặc 'make run') để lập chỉ mục."
        )
    target = index_dir.resolve()
    manifest = target / MANIFEST
    if not manifest.is_file() or not (target / DOCUMENTS).is_file():
        raise IndexUnavailable(
            f"Chỉ mục tại '{index_dir}' không đầy đủ (thiếu {MANIFEST} hoặc {DOCUMENTS}). "
            "Hãy chạy lại 'tracuu index'."
        )
    try:
        data = read_json(manifest)
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(f"Tệp {MANIFEST} của chỉ mục bị hỏng ({exc}). Hãy chạy lại 'tracuu index'.") from exc
    if data.get("format") != FORMAT_VERSION:
        raise IndexUnavailable(
            f"Chỉ mục được tạo bởi phiên bản khác (định dạng {data.get('format')}, cần {FORMAT_VERSION}). "
            "Hãy chạy lại 'tracuu index'."
        )
    return target
