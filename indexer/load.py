"""Find the corpus files and read each into the document model, whatever its format.

A file that cannot be read raises ``LoadError`` with a Vietnamese message that
names the file; the pipeline records it and goes on with the rest of the corpus.
Files of a format we do not read are reported too, never skipped in silence.
"""

from __future__ import annotations

from pathlib import Path

from indexer.metadata import OVERRIDE_SUFFIX
from indexer.model import Layout
from indexer.ocr import OcrEngine
from indexer.readers import SUPPORTED_SUFFIXES, LoadError, read_document

__all__ = ["LoadError", "SUPPORTED_SUFFIXES", "discover", "is_corpus_file", "load_file", "parse_bytes"]

# Files a corpus folder holds beside its documents: never documents, never reported.
_COMPANIONS = (OVERRIDE_SUFFIX, ".toml", ".json", ".gitkeep")


def is_corpus_file(path: Path) -> bool:
    """Documents are the supported suffixes; metadata overrides and hidden files are not."""
    return (
        path.is_file()
        and not path.name.startswith(".")
        and path.suffix.lower() in SUPPORTED_SUFFIXES
    )


def is_candidate(path: Path) -> bool:
    """Anything a user may have meant as a document: every visible file but our own companions."""
    return path.is_file() and not path.name.startswith((".", "~$")) and not path.name.endswith(_COMPANIONS)


def discover(corpus_dir: Path) -> list[Path]:
    """The files directly in the corpus folder that may be documents, in a stable order.

    Not recursive: the file name alone is the document's stable ``source`` id.
    Unsupported formats are included so that the build names them with a reason.
    """
    return sorted(p for p in corpus_dir.iterdir() if is_candidate(p))


def load_file(path: Path, *, max_bytes: int, ocr: OcrEngine | None = None, progress: bool = False) -> Layout:
    """Read one file into the document model; raise ``LoadError`` with a clear message."""
    source = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(source, f"không đọc được tệp ({exc.strerror or exc}).") from exc
    if size == 0:
        raise LoadError(source, "tệp rỗng, không có nội dung để lập chỉ mục.")
    if size > max_bytes:
        raise LoadError(
            source,
            f"tệp quá lớn ({size / 1_048_576:.1f} MB, giới hạn {max_bytes / 1_048_576:.0f} MB; "
            "đặt TRACUU_MAX_FILE_MB để nâng giới hạn).",
        )
    return parse_bytes(source, path.read_bytes(), ocr=ocr, progress=progress)


def parse_bytes(source: str, data: bytes, *, ocr: OcrEngine | None = None, progress: bool = False) -> Layout:
    """Turn the bytes of a file named ``source`` into the document model.

    Shared by the indexer and the upload endpoint, so an upload is accepted only
    if the indexer will be able to read it.
    """
    return read_document(source, data, ocr=ocr, progress=progress)
