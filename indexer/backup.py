"""Back up and restore the corpus and the served index as one archive with checksums.

``tracuu backup FILE`` writes a gzip tar: ``BACKUP.json`` first (format, time, the
generation, the SHA-256 of every other member), then ``corpus/`` (documents, the
versions kept when a file was replaced, metadata overrides) and
``index/<generation>/`` (the served generation with its manifest). The build lock
is held meanwhile, so a re-index cannot publish or prune under it.

``tracuu restore FILE`` only writes into an empty data directory, and only after a
first pass has checked every member's checksum, so a damaged or tampered archive
changes nothing on disk.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from indexer.store import (
    IndexUnavailable,
    build_lock,
    builds_dir,
    file_sha256,
    point_index_at,
    resolve_index,
    verify_generation,
)

BACKUP_MANIFEST = "BACKUP.json"
BACKUP_FORMAT = 1
CORPUS_PREFIX = "corpus"
INDEX_PREFIX = "index"


class BackupError(Exception):
    """A backup or restore refused for a reason the operator can act on (message in Vietnamese)."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    generation: str
    corpus_files: int
    index_files: int
    bytes: int


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(corpus_dir: Path, index_dir: Path, archive: Path) -> BackupSummary:
    """Write ``archive`` (refusing to overwrite one); the served generation must verify."""
    if archive.exists():
        raise BackupError(f"Tệp '{archive}' đã có; hãy chọn tên khác để không ghi đè bản sao lưu cũ.")
    if not corpus_dir.is_dir():
        raise BackupError(f"Không tìm thấy thư mục văn bản '{corpus_dir}'.")
    with build_lock(index_dir):
        generation = resolve_index(index_dir)  # checks the manifest and every checksum
        members: list[tuple[str, Path]] = [
            (f"{CORPUS_PREFIX}/{p.relative_to(corpus_dir).as_posix()}", p) for p in _files_under(corpus_dir)]
        index_members = [
            (f"{INDEX_PREFIX}/{generation.name}/{p.relative_to(generation).as_posix()}", p)
            for p in _files_under(generation)]
        members += index_members
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "generation": generation.name,
            "files": {name: file_sha256(path) for name, path in members},
        }
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                info = tarfile.TarInfo(BACKUP_MANIFEST)
                info.size, info.mtime = len(data), int(time.time())
                tar.addfile(info, io.BytesIO(data))
                for name, path in members:
                    tar.add(path, arcname=name, recursive=False)
            with partial.open("rb+") as handle:
                os.fsync(handle.fileno())
            partial.rename(archive)
        finally:
            partial.unlink(missing_ok=True)
    return BackupSummary(archive, generation.name, len(members) - len(index_members), len(index_members),
                         archive.stat().st_size)


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (not path.is_absolute() and ".." not in path.parts and bool(path.parts)
            and path.parts[0] in (CORPUS_PREFIX, INDEX_PREFIX))


def verify_backup(archive: Path) -> dict:
    """Read the whole archive once; its manifest when every member is present and matches, else ``BackupError``."""
    damaged = f"Tệp sao lưu '{archive}' bị hỏng hoặc không phải bản sao lưu của Tra cứu CCHC"
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu '{archive}'.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            first = tar.next()
            if first is None or first.name != BACKUP_MANIFEST or not first.isfile():
                raise BackupError(f"{damaged} (thiếu {BACKUP_MANIFEST}).")
            manifest = json.loads(tar.extractfile(first).read().decode("utf-8"))  # type: ignore[union-attr]
            expected: dict[str, str] = manifest.get("files", {})
            seen: set[str] = set()
            for member in tar:
                if member.isdir() or member.offset == first.offset:
                    continue
                if not member.isfile() or not _safe_name(member.name) or member.name not in expected:
                    raise BackupError(f"{damaged} (mục lạ: {member.name}).")
                digest = hashlib.sha256()
                handle = tar.extractfile(member)
                for chunk in iter(lambda: handle.read(1 << 20), b""):  # type: ignore[union-attr]
                    digest.update(chunk)
                if digest.hexdigest() != expected[member.name]:
                    raise BackupError(f"{damaged}: tệp {member.name} không khớp mã kiểm tra.")
                seen.add(member.name)
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError, AttributeError) as exc:
        raise BackupError(f"{damaged} ({type(exc).__name__}).") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{damaged}: thiếu {len(missing)} tệp (ví dụ {missing[0]}).")
    if manifest.get("format") != BACKUP_FORMAT or not manifest.get("generation"):
        raise BackupError(f"{damaged} (định dạng {manifest.get('format')}).")
    return manifest


def _is_empty(path: Path, ignore: frozenset[str] = frozenset()) -> bool:
    return not path.exists() or (path.is_dir() and not any(p.name not in ignore for p in path.iterdir()))


def restore_backup(archive: Path, corpus_dir: Path, index_dir: Path) -> BackupSummary:
    """Restore into an empty corpus folder and an absent index; nothing is written unless all checks pass."""
    occupied = [str(p) for p in (corpus_dir,) if not _is_empty(p)]
    if not _is_empty(builds_dir(index_dir), frozenset({".lock"})):  # the build lock file is not data
        occupied.append(str(builds_dir(index_dir)))
    if index_dir.exists() or index_dir.is_symlink():
        occupied.append(str(index_dir))
    if occupied:
        raise BackupError(
            f"Chỉ khôi phục vào thư mục dữ liệu trống; đang có dữ liệu ở: {', '.join(occupied)}. "
            "Hãy chọn thư mục khác (--corpus, --index) hoặc chuyển dữ liệu cũ đi trước."
        )
    manifest = verify_backup(archive)
    generation = builds_dir(index_dir) / manifest["generation"]
    created = [p for p in (corpus_dir, builds_dir(index_dir)) if not p.exists()]
    counts = {CORPUS_PREFIX: 0, INDEX_PREFIX: 0}
    try:
        corpus_dir.mkdir(parents=True, exist_ok=True)
        generation.mkdir(parents=True)
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if not member.isfile() or member.name == BACKUP_MANIFEST:
                    continue
                top, _, rest = member.name.partition("/")
                if top == CORPUS_PREFIX:
                    target = corpus_dir / rest
                else:
                    target = generation / rest.partition("/")[2]
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as source, target.open("wb") as out:  # type: ignore[union-attr]
                    shutil.copyfileobj(source, out)
                counts[top] += 1
        verify_generation(generation)
        point_index_at(index_dir, generation)
    except BaseException as exc:  # leave the data directory as empty as it was
        if index_dir.is_symlink():
            index_dir.unlink()
        shutil.rmtree(generation, ignore_errors=True)
        for path in created:
            shutil.rmtree(path, ignore_errors=True)
        if corpus_dir.exists():
            for child in corpus_dir.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        if isinstance(exc, (OSError, IndexUnavailable, tarfile.TarError)):
            raise BackupError(f"Khôi phục thất bại ({exc}); thư mục dữ liệu được để trống như trước.") from exc
        raise
    return BackupSummary(archive, generation.name, counts[CORPUS_PREFIX], counts[INDEX_PREFIX], archive.stat().st_size)
