"""PDF with a text layer: the text page by page, then the text reader's table recognition."""

from __future__ import annotations

import io

from indexer.model import Layout
from indexer.readers.base import LoadError
from indexer.readers.text import layout_from_text


def read_pdf(source: str, data: bytes) -> Layout:
    """The text layer of every page; a scan without one is reported, not guessed."""
    if not data.startswith(b"%PDF"):
        raise LoadError(source, "tệp có đuôi .pdf nhưng không phải là PDF hợp lệ.")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner-only lock opens with no password
            raise LoadError(source, "PDF được đặt mật khẩu; hãy gửi bản không khoá.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise LoadError(source, f"không đọc được tệp PDF: {exc}") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise LoadError(source, "PDF không có lớp văn bản (có thể là bản quét); cần nhận dạng OCR trước.")
    return layout_from_text(text, fmt="pdf")
