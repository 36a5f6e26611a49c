"""Add a document to the corpus folder without risking what is already there.

The file name becomes the document's stable ``source`` id in every citation, so
it is checked like an id: one plain name, a supported suffix, no path tricks.
The bytes are parsed exactly as the indexer will parse them before anything is
written, the write is atomic, and a replaced file is kept, not overwritten.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from indexer.load import SUPPORTED_SUFFIXES, LoadError, parse_bytes
from indexer.ocr import OcrConfig, OcrEngine

# Letters (Vietnamese included), digits, space, dot, dash, underscore; no separators.
_SAFE_NAME = re.compile(r"^\w[\w .\-]*$")
MAX_NAME_CHARS = 150
REPLACED_DIR = ".replaced"  # hidden, so the indexer never reads it


class UploadError(Exception):
    """An upload refused for a reason the user can fix; ``status`` is the HTTP code."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class SavedDocument:
    source: str
    bytes: int
    sha1: str
    replaced: bool
    kept_previous_as: str | None


def check_source_name(name: str) -> str:
    """The NFC file name if it is safe to use as a ``source`` id, else ``UploadError`` (422)."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name or len(name) > MAX_NAME_CHARS:
        raise UploadError(422, f"Tên tệp phải có từ 1 đến {MAX_NAME_CHARS} ký tự.")
    if name.startswith(".") or ".." in name or not _SAFE_NAME.match(name):
        raise UploadError(
            422, "Tên tệp chỉ được gồm chữ, số, dấu cách, '.', '-', '_' và không chứa đường dẫn.")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UploadError(422, f"Định dạng tệp chưa được hỗ trợ; hãy gửi {', '.join(SUPPORTED_SUFFIXES)}.")
    return name


def save_document(corpus_dir: Path, name: str, data: bytes, *, max_bytes: int,
                  replace: bool = False, ocr: OcrConfig | None = None) -> SavedDocument:
    """Check, parse and atomically write one document into ``corpus_dir``.

    A scanned PDF is OCR'd here with ``ocr`` (the indexer's settings, so its cache
    is filled and the next re-index reads the pages from it).
    """
    source = check_source_name(name)
    if len(data) > max_bytes:
        raise UploadError(413, f"Tệp quá lớn ({len(data) / 1_048_576:.1f} MB); "
                               f"giới hạn {max_bytes / 1_048_576:.0f} MB.")
    try:
        with OcrEngine(ocr) as engine:
            parse_bytes(source, data, ocr=engine)
    except LoadError as exc:
        raise UploadError(422, f"Không đọc được tệp {exc.source}: {exc.message}") from exc
    target = corpus_dir / source
    existed = target.exists()
    if existed and not replace:
        raise UploadError(409, f"Đã có tệp {source} trong kho văn bản; gửi kèm replace=true để thay thế.")
    corpus_dir.mkdir(parents=True, exist_ok=True)
    kept: str | None = None
    if existed:
        kept = _keep_previous(corpus_dir, target)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=corpus_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return SavedDocument(source, len(data), hashlib.sha1(data).hexdigest(), existed, kept)


def _keep_previous(corpus_dir: Path, target: Path) -> str:
    """Copy the file about to be replaced into ``.replaced/`` with a timestamp."""
    keep_dir = corpus_dir / REPLACED_DIR
    keep_dir.mkdir(exist_ok=True)
    kept = keep_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 1_000_000:06d}-{target.name}"
    kept.write_bytes(target.read_bytes())
    return str(kept.relative_to(corpus_dir))
