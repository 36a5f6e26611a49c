"""Small helpers that read a document the way the indexer does, for tests on real and made-up files."""

from __future__ import annotations

from pathlib import Path

from indexer.load import load_file
from indexer.pipeline import parse_document
from indexer.readers import read_document
from indexer.records import Document
from indexer.settings import default_shared_data

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SHARED = default_shared_data()
ADMIN_DOCS = SHARED / "vn-admin-docs" / "docs"
SEED_FILES = {
    "000": "000_1ff3dec2e07f9725.txt",  # Quyết định 399 + Kế hoạch CCHC 2022, one-cell-per-line appendix
    "002": "002_6ba27df1980e2c46.txt",  # Kế hoạch 28, tab-separated statistics tables
    "003": "003_a7644b8ee7468e2b.txt",  # OCR'd scan
    "004": "004_c671c5edcbf64ed2.txt",  # Công văn 2458, "Giao …" sections
}


def read_file(path: Path) -> Document:
    """A corpus file through reader, structure, metadata, tasks and references."""
    return parse_document(path, load_file(path, max_bytes=64 << 20))


def read_seed(key: str) -> Document:
    return read_file(CORPUS / SEED_FILES[key])


def read_text(raw: str, name: str = "fx.txt") -> Document:
    """A document written in the test, read as if it were the file ``name``."""
    return parse_document(Path(name), read_document(name, raw.encode("utf-8")))
