"""Readers: one per file format, each producing the document model (:mod:`indexer.model`).

The format is told by the file's first bytes where they say it (a ``.doc`` that
is really a Word 2007 ZIP is read as ``.docx``), else by its suffix. Tables are
recognised here, once, by the reader of their format.
"""

from __future__ import annotations

from pathlib import Path

from indexer.model import Layout
from indexer.ocr import OcrEngine
from indexer.readers.base import LoadError
from indexer.readers.docx import read_docx
from indexer.readers.pdf import read_pdf
from indexer.readers.text import read_text
from indexer.tables import mark_layout_tables

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
# Files users put in a corpus folder that we recognise but cannot read yet: named in the
# report with the reason, never skipped in silence.
KNOWN_UNSUPPORTED = {
    ".doc": "tệp Word 97-2003 (.doc) chưa đọc được; hãy mở bằng Word và lưu lại dưới dạng .docx.",
    ".rtf": "tệp RTF chưa đọc được; hãy lưu lại dưới dạng .docx.",
    ".odt": "tệp OpenDocument (.odt) chưa đọc được; hãy lưu lại dưới dạng .docx.",
    ".xls": "bảng tính Excel chưa được hỗ trợ.",
    ".xlsx": "bảng tính Excel chưa được hỗ trợ.",
    ".html": "trang web đã lưu (.html) chưa được hỗ trợ; hãy lưu dưới dạng văn bản (.txt).",
    ".htm": "trang web đã lưu (.htm) chưa được hỗ trợ; hãy lưu dưới dạng văn bản (.txt).",
}
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0"

__all__ = ["KNOWN_UNSUPPORTED", "LoadError", "SUPPORTED_SUFFIXES", "read_document"]


def _format_of(source: str, data: bytes) -> str:
    suffix = Path(source).suffix.lower()
    if data.startswith(_ZIP) and suffix in (".docx", ".doc"):
        return ".docx"
    if data.startswith(b"%PDF"):
        return ".pdf"
    return suffix


def read_document(source: str, data: bytes, *, ocr: OcrEngine | None = None, progress: bool = False) -> Layout:
    """The document model of a file named ``source`` with content ``data``; ``LoadError`` with a reason.

    ``ocr`` recognises the scanned pages of a PDF (its pool, cache and time limit);
    ``progress`` shows a bar per page while it does.
    """
    if not data:
        raise LoadError(source, "tệp rỗng, không có nội dung để lập chỉ mục.")
    fmt = _format_of(source, data)
    if fmt in (".txt", ".md"):
        layout = read_text(source, data)
    elif fmt == ".docx":
        layout = read_docx(source, data)
    elif fmt == ".pdf":
        if Path(source).suffix.lower() != ".pdf":
            raise LoadError(source, "tệp là PDF nhưng mang đuôi khác; hãy đổi tên thành .pdf.")
        layout = read_pdf(source, data, ocr=ocr, progress=progress)
    elif fmt in KNOWN_UNSUPPORTED or data.startswith(_OLE2):
        raise LoadError(source, KNOWN_UNSUPPORTED.get(fmt, KNOWN_UNSUPPORTED[".doc"]))
    else:
        raise LoadError(source, f"định dạng '{fmt or 'không có đuôi'}' chưa được hỗ trợ "
                                f"(hỗ trợ: {', '.join(SUPPORTED_SUFFIXES)}).")
    if not layout.text.strip():
        raise LoadError(source, "tệp không chứa văn bản đọc được.")
    mark_layout_tables(layout)
    return layout
