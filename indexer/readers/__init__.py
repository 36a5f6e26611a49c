"""Readers: one per file format, each producing the document model (:mod:`indexer.model`).

The format is told by the file's first bytes where they say it (a ``.doc`` that
is really a Word 2007 ZIP is read as ``.docx``, one that is a web page as
``.html``), else by its suffix. Text typed in a legacy TCVN3 font is turned into
Unicode here, once, whatever format carried it. Tables are
recognised here, once, by the reader of their format.
"""

from __future__ import annotations

import re
from pathlib import Path

from indexer.model import Layout
from indexer.ocr import OcrEngine
from indexer.readers.base import LoadError
from indexer.readers.doc import OLE2_SIGNATURE, read_doc
from indexer.readers.docx import read_docx
from indexer.readers.html import read_html
from indexer.readers.pdf import read_pdf
from indexer.readers.text import read_text
from indexer.tables import mark_layout_tables
from indexer.tcvn3 import from_tcvn3, tcvn3_to_unicode

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".doc", ".html", ".htm")
# Files users put in a corpus folder that we recognise but cannot read yet: named in the
# report with the reason, never skipped in silence.
KNOWN_UNSUPPORTED = {
    ".rtf": "tệp RTF chưa đọc được; hãy lưu lại dưới dạng .docx.",
    ".odt": "tệp OpenDocument (.odt) chưa đọc được; hãy lưu lại dưới dạng .docx.",
    ".xls": "bảng tính Excel chưa được hỗ trợ.",
    ".xlsx": "bảng tính Excel chưa được hỗ trợ.",
}
_ZIP = b"PK\x03\x04"
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)

__all__ = ["KNOWN_UNSUPPORTED", "LoadError", "SUPPORTED_SUFFIXES", "read_document"]


def _format_of(source: str, data: bytes) -> str:
    suffix = Path(source).suffix.lower()
    if data.startswith(_ZIP) and suffix in (".docx", ".doc"):
        return ".docx"
    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(OLE2_SIGNATURE) and suffix in (".doc", ".docx"):
        return ".doc"  # a Word 97 file named .docx is still read, as what it is
    if suffix == ".doc" and _HTML_START.match(data[:1024]):
        return ".html"  # portals serve their pages for download as ".doc"; Word opens them as such
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
    elif fmt == ".doc":
        layout = read_doc(source, data)
    elif fmt in (".html", ".htm"):
        layout = read_html(source, data)
    elif fmt in KNOWN_UNSUPPORTED:
        raise LoadError(source, KNOWN_UNSUPPORTED[fmt])
    else:
        raise LoadError(source, f"định dạng '{fmt or 'không có đuôi'}' chưa được hỗ trợ "
                                f"(hỗ trợ: {', '.join(SUPPORTED_SUFFIXES)}).")
    if not layout.text.strip():
        raise LoadError(source, "tệp không chứa văn bản đọc được.")
    _to_unicode(source, layout)
    mark_layout_tables(layout)
    return layout


def _to_unicode(source: str, layout: Layout) -> None:
    """Text typed in a legacy TCVN3 (.VnTime) font becomes Unicode, whatever the format carried it."""
    text = from_tcvn3(layout.text)
    if text == layout.text:
        return
    changed = {n for n, (old, new) in enumerate(zip(layout.text.split("\n"), text.split("\n")), 1) if old != new}
    layout.text = text
    for table in layout.tables:  # a cell follows the decision taken for the lines it is printed on
        for row in table.rows:
            for cell in row:
                if any(n in changed for n in range(cell.line_start, cell.line_end + 1)):
                    cell.text = tcvn3_to_unicode(cell.text)
    layout.warnings.append(f"{source}: có chữ gõ bằng phông TCVN3 (.VnTime), đã chuyển sang Unicode.")
