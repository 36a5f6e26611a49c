"""The index directory on disk: written atomically, swapped atomically.

``data/index`` is a symbolic link to one finished build under ``data/.index-builds/``.
A build is written into a ``*.partial`` folder and renamed when complete; then the
link is replaced with ``os.replace`` — a single atomic step. A build killed midway
leaves only a ``.partial`` folder behind, which the next build removes: the served
index is never half-written.

Every finished build (a *generation*) lists the SHA-256 of each of its files in its
manifest, and the manifest's own digest sits beside it (``manifest.sha256``), so
a flipped byte anywhere is caught when the generation is opened; the server then
falls back to the previous good generation (``search_api.state``). The last
``keep_generations`` good ones are kept for that, older ones pruned.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.sha256"
DOCUMENTS = "documents.json"
FORMAT_VERSION = 1
PARTIAL_SUFFIX = ".partial"

# Free space a build needs, as a multiple of the served generation's size. A build
# writes one whole new generation beside the served one and nothing else (no
# temporary copies: bm25s, numpy and FAISS write their files once). Measured on the
# seed corpus (4 documents): a re-index of the unchanged corpus wrote 2.28 MB beside a
# 2.28 MB lexical generation and 3.89 MB beside a 3.89 MB hybrid one, ratio 1.00; adding
# one 15 KB law (luat-pho-cap-giao-duc-tieu-hoc) made it 1.07. Twice leaves room to grow.
BUILD_SPACE_FACTOR = 2.0
# Without a served generation the estimate is the corpus size times this: the seed
# corpus (170 KB of text) gave a 2.28 MB lexical generation (13.4x) and a 3.89 MB
# hybrid one (22.9x, vectors of 384 float32 per passage and answer unit).
CORPUS_TO_INDEX_FACTOR = 25.0
# Errors that mean "the disk (or this process's file-size limit) is full".
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class IndexUnavailable(Exception):
    """The index cannot be served; the message tells the user what to do."""


class DiskFull(IndexUnavailable):
    """Not enough disk space to build: refused up front, or the disk filled mid-build (HTTP 507)."""


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
    """A fresh ``.partial`` folder to write a build into (stale ones are removed first).

    The name sorts by time to the nanosecond (generations are ordered by name), with a
    random tag so two builds can never share a folder.
    """
    root = builds_dir(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    remove_partials(index_dir)
    stamp = f"{time.strftime('%Y%m%d-%H%M%S')}.{time.time_ns() % 1_000_000_000:09d}"
    partial = root / f"{stamp}-{uuid.uuid4().hex[:8]}{PARTIAL_SUFFIX}"
    partial.mkdir()
    return partial


def remove_partials(index_dir: Path) -> list[str]:
    """Delete unfinished build folders; the caller holds the build lock (or knows none runs)."""
    root = builds_dir(index_dir)
    removed = []
    for stale in root.glob(f"*{PARTIAL_SUFFIX}") if root.is_dir() else []:
        shutil.rmtree(stale, ignore_errors=True)
        removed.append(stale.name)
    return removed


def clean_orphaned_partials(index_dir: Path) -> list[str]:
    """At start-up: remove ``.partial`` folders left by a killed build, unless a build runs now."""
    if not builds_dir(index_dir).is_dir():
        return []
    try:
        with build_lock(index_dir):
            return remove_partials(index_dir)
    except IndexUnavailable:  # another process is building: its folder is not orphaned
        return []


def tree_size(path: Path) -> int:
    """Bytes of the files under ``path`` (links not followed)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def check_free_space(index_dir: Path, corpus_dir: Path, min_free_mb: float = 0.0) -> int:
    """Refuse a build up front (``DiskFull``) when the disk cannot hold a new generation.

    Returns the bytes the build is expected to need. See ``BUILD_SPACE_FACTOR``.
    """
    root = builds_dir(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    served = index_dir.resolve() if index_dir.exists() else None
    if served is not None and served.is_dir():
        needed = int(tree_size(served) * BUILD_SPACE_FACTOR)
    else:
        needed = int(tree_size(corpus_dir) * CORPUS_TO_INDEX_FACTOR) if corpus_dir.exists() else 0
    needed = max(needed, int(min_free_mb * 1_048_576))
    free = shutil.disk_usage(root).free
    if free < needed:
        raise DiskFull(
            f"Không đủ dung lượng đĩa để lập chỉ mục: cần khoảng {needed / 1_048_576:.1f} MB trống tại "
            f"'{root}', hiện chỉ còn {free / 1_048_576:.1f} MB. Chỉ mục đang dùng không bị ảnh hưởng; "
            "hãy giải phóng dung lượng (hoặc giảm TRACUU_KEEP_GENERATIONS) rồi thử lại."
        )
    return needed


def disk_full_message(exc: BaseException, where: Path) -> str:
    """The Vietnamese message for a disk that filled in the middle of a build."""
    kind = "vượt giới hạn kích thước tệp" if getattr(exc, "errno", None) == errno.EFBIG else "đầy"
    return (
        f"Đĩa {kind} trong khi lập chỉ mục tại '{where}'; bản lập dở đã được xoá và chỉ mục cũ "
        "vẫn đang được dùng. Hãy giải phóng dung lượng rồi lập lại chỉ mục."
    )


def is_disk_full(exc: BaseException) -> bool:
    """An OSError (or SQLite error) that means no more bytes can be written."""
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
        return True
    return type(exc).__name__ == "OperationalError" and "full" in str(exc).lower()


def write_json(path: Path, data: Any) -> None:
    """Write JSON and flush it to disk, so a finished build survives a crash."""
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` through a temporary file beside ``path``, so no reader sees half a file.

    For the caches several builds may fill at once (OCR pages, .doc conversions, repaired
    readings, the syllable model); ``OSError`` propagates and the temporary file goes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def artefact_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file of a generation except the manifest and its digest, by relative path."""
    skip = {MANIFEST, MANIFEST_DIGEST}
    return {
        p.relative_to(folder).as_posix(): file_sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).as_posix() not in skip
    }


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """The manifest with the digest of every artefact, then the manifest's own digest beside it."""
    write_json(folder / MANIFEST, {**manifest, "files": artefact_digests(folder)})
    digest = file_sha256(folder / MANIFEST)
    with (folder / MANIFEST_DIGEST).open("w", encoding="utf-8") as handle:
        handle.write(f"{digest}  {MANIFEST}\n")
        handle.flush()
        os.fsync(handle.fileno())


def verify_generation(folder: Path) -> None:
    """``IndexUnavailable`` naming the first file whose bytes differ from the manifest.

    A generation from before checksums (no ``files`` in its manifest) is accepted as is.
    """
    try:
        _verify_generation(folder)
    except (OSError, ValueError) as exc:  # unreadable or undecodable bytes are damage too
        raise IndexUnavailable(f"Thế hệ chỉ mục '{folder.name}' không đọc được ({type(exc).__name__}).") from exc


def _verify_generation(folder: Path) -> None:
    digest_file = folder / MANIFEST_DIGEST
    if digest_file.is_file():
        expected = digest_file.read_text(encoding="utf-8").split()[:1]
        if not expected or expected[0] != file_sha256(folder / MANIFEST):
            raise IndexUnavailable(f"Tệp {MANIFEST} của thế hệ chỉ mục '{folder.name}' không khớp mã kiểm tra.")
    files = read_json(folder / MANIFEST).get("files")
    if files is None:
        return
    for name, digest in files.items():
        path = folder / name
        if not path.is_file():
            raise IndexUnavailable(f"Thế hệ chỉ mục '{folder.name}' thiếu tệp {name}.")
        if file_sha256(path) != digest:
            raise IndexUnavailable(f"Tệp {name} của thế hệ chỉ mục '{folder.name}' không khớp mã kiểm tra (bị hỏng).")


def generations(index_dir: Path) -> list[Path]:
    """Finished generations, newest first (by name; hand-copied ``manual-*`` ones last)."""
    root = builds_dir(index_dir)
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir()
             if p.is_dir() and not p.name.endswith(PARTIAL_SUFFIX) and not p.name.startswith(".")]
    return sorted(found, key=lambda p: (not p.name.startswith("manual-"), p.name), reverse=True)


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def publish(partial: Path, index_dir: Path, keep_generations: int = 3) -> Path:
    """Finish a build: rename it, atomically point ``index_dir`` at it, prune old generations."""
    final = partial.with_name(partial.name.removesuffix(PARTIAL_SUFFIX))
    partial.rename(final)
    point_index_at(index_dir, final)
    prune_generations(index_dir, keep_generations)
    return final


def point_index_at(index_dir: Path, generation: Path) -> None:
    """Atomically make ``index_dir`` a link to ``generation`` (a folder under ``builds_dir``)."""
    if index_dir.exists() and not index_dir.is_symlink():
        # An index copied in by hand: keep it as an old build rather than deleting it.
        index_dir.rename(builds_dir(index_dir) / f"manual-{time.strftime('%Y%m%d-%H%M%S')}")
    link_tmp = index_dir.parent / f".{index_dir.name}.link-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(os.path.relpath(generation, index_dir.parent))
    os.replace(link_tmp, index_dir)


def prune_generations(index_dir: Path, keep: int) -> list[str]:
    """Keep the served generation and the newest good ones, ``keep`` in all; delete the rest.

    A generation that fails its checksums is not counted as good and goes too.
    """
    served = index_dir.resolve() if index_dir.exists() else None
    others = [g for g in generations(index_dir) if g.resolve() != served]
    kept = 0 if served is None else 1
    removed = []
    for generation in others:
        if kept < keep and _is_good(generation):
            kept += 1
            continue
        shutil.rmtree(generation, ignore_errors=True)
        removed.append(generation.name)
    return removed


def _is_good(generation: Path) -> bool:
    try:
        verify_generation(generation)
    except (IndexUnavailable, OSError, ValueError):
        return False
    return True


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
    try:
        verify_generation(target)
    except IndexUnavailable as exc:
        raise IndexUnavailable(f"{exc} Hãy chạy lại 'tracuu index'.") from exc
    return target
