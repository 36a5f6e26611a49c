"""PDF, page by page: the text layer where it is usable, Tesseract OCR where it is not.

A page's text layer is usable when it holds some words and few of them look
OCR-damaged (``indexer.text_quality``): a scanner's own bad OCR layer ("HQi d6ng
c6 tr6ch nhiQm") is recognised again instead of indexed as garbage. Every page
keeps its line span (``indexer.model.Page``) so citations can name the page.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from indexer.model import Layout, Page
from indexer.ocr import OcrEngine, OcrUnavailable, PageOcr
from indexer.readers.base import LoadError
from indexer.readers.pdf_tables import TableText, read_page_segments
from indexer.readers.text import layout_from_lines, layout_from_text, unwrap
from indexer.text_quality import looks_ocr_damaged, ocr_damage

# Fewer letters than this on a page and its text layer is a page number or a stamp, not text.
MIN_TEXT_LAYER_LETTERS = 40
# PDFium (pypdfium2) may be used by one thread at a time in a process.
_PDFIUM = threading.Lock()
# Path segments a page must draw to hold a ruled table: the smallest, 2 × 2 cells, draws
# three rules each way (12 segments). Letterhead underlines draw about 6; text pages none.
MIN_RULE_SEGMENTS = 10

if TYPE_CHECKING:
    import pypdfium2
    from PIL.Image import Image


def text_layer_usable(text: str) -> bool:
    """A page whose text layer can be indexed as it is (enough letters, not OCR-damaged)."""
    return sum(ch.isalpha() for ch in text) >= MIN_TEXT_LAYER_LETTERS and not looks_ocr_damaged(ocr_damage(text))


def _text_layers(source: str, data: bytes) -> list[str]:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner-only lock opens with no password
            raise LoadError(source, "PDF được đặt mật khẩu; hãy gửi bản không khoá.")
        return [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise LoadError(source, f"không đọc được tệp PDF: {exc}") from exc


def _ocr_pages(source: str, data: bytes, numbers: list[int], engine: OcrEngine,
               progress: bool) -> dict[int, PageOcr]:
    """Render the given 1-based pages with PDFium at the engine's resolution and recognise them."""
    import pypdfium2 as pdfium

    scale = engine.config.dpi / 72

    def renderer(document: pypdfium2.PdfDocument, number: int) -> Callable[[], Image]:
        def render() -> Image:
            with _PDFIUM:
                return document[number - 1].render(scale=scale, grayscale=True).to_pil()
        return render

    try:
        with _PDFIUM:
            document = pdfium.PdfDocument(data)
    except Exception as exc:
        raise LoadError(source, f"không dựng được ảnh trang PDF để nhận dạng ({exc}).") from exc
    try:
        return engine.recognise_pages(source, hashlib.sha256(data).hexdigest(),
                                      ((n, renderer(document, n)) for n in numbers),
                                      total=len(numbers), progress=progress)
    except OcrUnavailable as exc:
        raise LoadError(source, f"PDF là bản quét, cần nhận dạng OCR nhưng {exc}") from exc
    except (OSError, RuntimeError, ValueError) as exc:  # PDFium fails on a page it cannot draw
        raise LoadError(source, f"không dựng được ảnh trang PDF để nhận dạng ({exc}).") from exc
    finally:
        with _PDFIUM:
            document.close()


def _ruled_pages(data: bytes, numbers: list[int]) -> list[int]:
    """The pages among ``numbers`` that draw enough lines to hold a ruled table.

    Why: PDFium counts a page's drawn paths in a millisecond, where pdfplumber needs a tenth
    of a second to lay a page out; pages of running text are never handed to it.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    out: list[int] = []
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except Exception:  # PDFium cannot open it: let pdfplumber try every page
            return numbers
        try:
            for number in numbers:
                page = document[number - 1]
                segments = sum(pdfium_c.FPDFPath_CountSegments(obj.raw) for obj in
                               page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=5))
                page.close()
                if segments >= MIN_RULE_SEGMENTS:
                    out.append(number)
        finally:
            document.close()
    return out


def read_pdf(source: str, data: bytes, *, ocr: OcrEngine | None = None, progress: bool = False) -> Layout:
    """The document model of a PDF; scanned pages are OCR'd by ``ocr`` (a default engine if None)."""
    if not data.startswith(b"%PDF"):
        raise LoadError(source, "tệp có đuôi .pdf nhưng không phải là PDF hợp lệ.")
    layers = _text_layers(source, data)
    if not layers:
        raise LoadError(source, "PDF không có trang nào.")
    needs_ocr = [n for n, text in enumerate(layers, 1) if not text_layer_usable(text)]
    recognised: dict[int, PageOcr] = {}
    warnings: list[str] = []
    if needs_ocr:
        engine = ocr or OcrEngine()
        try:
            recognised = _ocr_pages(source, data, needs_ocr, engine, progress)
        finally:
            if ocr is None:
                engine.close()
    # Ruled tables are read from the pages that keep their text layer; a page without one
    # reads as before (its pypdf text), and so does the whole PDF when no page holds a table.
    text_pages = [n for n in range(1, len(layers) + 1) if n not in recognised]
    ruled = _ruled_pages(data, text_pages) if text_pages else []
    segments = read_page_segments(data, ruled) if ruled else {}
    # Pages are joined by a blank line, which ``unwrap`` never joins across, so each
    # page's line span in the final text is known before the text is normalised.
    document = TableText()
    pages: list[Page] = []
    for number, layer in enumerate(layers, 1):
        result = recognised.get(number)
        method, confidence, seconds, text = "text", None, 0.0, layer
        if result is not None:
            if result.error:
                warnings.append(f"{source}: trang {number}: {result.error}.")
                method = "text" if layer.strip() else "none"
            else:
                method, confidence, text = "ocr", result.confidence, result.text
                seconds = 0.0 if result.from_cache else result.seconds
        page_lines = (unwrap(text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n"))
                      if text.strip() and number not in segments else [])
        if document.lines and (page_lines or number in segments):
            document.lines.append("")
        first = len(document.lines)
        if number in segments:
            first = document.add_page(segments[number])
            filled = [k + 1 for k in range(first, len(document.lines)) if document.lines[k].strip()]
            span = (filled[0], filled[-1]) if filled else (0, 0)
        else:
            document.add_text(page_lines)
            span = (first + 1, first + len(page_lines)) if page_lines else (0, 0)
        if span[0]:
            pages.append(Page(number, span[0], span[1], method, confidence, round(seconds, 2)))
        else:
            pages.append(Page(number, 0, 0, "none" if method != "ocr" else "ocr", confidence, round(seconds, 2)))
    while document.lines and not document.lines[-1].strip():
        document.lines.pop()
    text = "\n".join(document.lines)
    if not text.strip():
        why = "; ".join(w.split(": ", 1)[1] for w in warnings)
        raise LoadError(source, "PDF không có chữ đọc được, kể cả sau khi nhận dạng OCR" + (f" ({why})." if why else "."))
    if document.tables:
        layout = layout_from_lines(document.lines, fmt="pdf", tables=document.tables)
    else:
        layout = layout_from_text(text, fmt="pdf")
    layout.pages = pages
    layout.warnings = warnings
    return layout
