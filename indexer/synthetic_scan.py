"""Scans whose text is known: clean text rendered to page images, degraded like a real scan.

Why: OCR quality can only be measured against a truth, and real scans have none.
Printing known text with a Vietnamese-capable font, then adding the blur, skew,
noise and JPEG artefacts of an office scanner, gives pages whose every syllable
is known (``search_api.evaluate_ocr``), and small image-only PDFs for tests.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Fonts of Debian packages the Makefile installs (fonts-dejavu-core) or that often are there.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
)
_A4_INCHES = (8.27, 11.69)
_MARGINS_INCHES = (1.1, 0.8, 0.6, 0.8)  # left, top, right, bottom (administrative layout)
FONT_POINTS = 13  # the size decrees are printed in


def find_font() -> Path | None:
    """The first installed Vietnamese-capable font, or None (callers skip or explain)."""
    return next((Path(p) for p in FONT_CANDIDATES if Path(p).is_file()), None)


@dataclass(frozen=True)
class Degradation:
    """What a scanner does to a page, in device-independent units (scaled by resolution)."""

    name: str
    blur_px_at_300: float = 0.0  # Gaussian radius at 300 dpi
    skew_degrees: float = 0.0  # the largest rotation; each page draws one in ±this
    noise_sigma: float = 0.0  # grey-level standard deviation of speckle noise
    jpeg_quality: int | None = None  # None = no JPEG compression


CLEAN = Degradation("sạch")
SCANNED = Degradation("quét", blur_px_at_300=0.8, skew_degrees=1.0, noise_sigma=14.0, jpeg_quality=55)
# A worn copy on a cheap scanner: what separates the resolutions.
POOR_SCAN = Degradation("quét kém", blur_px_at_300=1.8, skew_degrees=2.0, noise_sigma=30.0, jpeg_quality=30)


@dataclass
class RenderedPage:
    """A page image and the text printed on it, line by line (table rows as their cells)."""

    image: Image.Image
    lines: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class PageWriter:
    """Lays out lines and table rows on A4 pages at a resolution, wrapping long lines."""

    def __init__(self, dpi: int, font_path: Path | None = None) -> None:
        font_path = font_path or find_font()
        if font_path is None:
            raise FileNotFoundError("không có phông chữ tiếng Việt (gói Debian fonts-dejavu-core).")
        self.dpi = dpi
        self.font = ImageFont.truetype(str(font_path), size=round(FONT_POINTS * dpi / 72))
        self.size = (round(_A4_INCHES[0] * dpi), round(_A4_INCHES[1] * dpi))
        left, top, right, bottom = (round(m * dpi) for m in _MARGINS_INCHES)
        self.left, self.top = left, top
        self.width = self.size[0] - left - right
        self.bottom = self.size[1] - bottom
        self.line_height = round(FONT_POINTS * 1.45 * dpi / 72)
        self.pages: list[RenderedPage] = []
        self._y = self.bottom  # forces a new page on the first line

    def _page(self) -> tuple[RenderedPage, ImageDraw.ImageDraw]:
        if self._y + self.line_height > self.bottom:
            self.pages.append(RenderedPage(Image.new("L", self.size, 255)))
            self._y = self.top
        page = self.pages[-1]
        return page, ImageDraw.Draw(page.image)

    def _wrap(self, text: str, width: float) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if current and self.font.getlength(trial) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        return lines + ([current] if current else [])

    def paragraph(self, text: str) -> None:
        if not text.strip():
            self._y += self.line_height // 2
            return
        for line in self._wrap(text, self.width):
            page, draw = self._page()
            draw.text((self.left, self._y), line, font=self.font, fill=0)
            page.lines.append(line)
            self._y += self.line_height

    def table_row(self, cells: list[str]) -> None:
        """One row, cells side by side in equal columns, each cut to the words that fit on one line."""
        column = self.width / max(1, len(cells))
        fitted = [(self._wrap(c, column * 0.9) or [""])[0] for c in cells]
        page, draw = self._page()
        for k, text in enumerate(fitted):
            draw.text((self.left + k * column, self._y), text, font=self.font, fill=0)
        kept = [c for c in fitted if c]
        page.lines.append(" ".join(kept))
        page.table_rows.append(kept)
        self._y += self.line_height


def render_text(text: str, dpi: int, *, tables: list[tuple[int, int, list[list[str]]]] = (),
                max_pages: int = 0, font_path: Path | None = None) -> list[RenderedPage]:
    """Print ``text`` (one paragraph per line) on A4 pages; ``tables`` replace their line spans.

    ``tables`` are (first line, last line, rows of cell texts), 1-based lines of ``text``.
    """
    writer = PageWriter(dpi, font_path)
    starts = {start: (end, rows) for start, end, rows in tables}
    lines = text.split("\n")
    k = 0
    while k < len(lines):
        if max_pages and len(writer.pages) > max_pages:
            break
        if k + 1 in starts:
            end, rows = starts[k + 1]
            for row in rows:
                writer.table_row(row)
            k = end
            continue
        writer.paragraph(lines[k])
        k += 1
    pages = [p for p in writer.pages if p.lines]
    return pages[:max_pages] if max_pages else pages


def degrade(image: Image.Image, how: Degradation, dpi: int, seed: int) -> Image.Image:
    """The page as a scanner would deliver it: blurred, slightly rotated, speckled, JPEG-compressed."""
    import numpy as np

    rng = random.Random(seed)
    out = image
    if how.blur_px_at_300:
        out = out.filter(ImageFilter.GaussianBlur(how.blur_px_at_300 * dpi / 300))
    if how.skew_degrees:
        out = out.rotate(rng.uniform(-how.skew_degrees, how.skew_degrees), resample=Image.Resampling.BICUBIC,
                         expand=False, fillcolor=255)
    if how.noise_sigma:
        pixels = np.asarray(out, dtype=np.float32)
        noise = np.random.default_rng(seed).normal(0.0, how.noise_sigma, pixels.shape)
        out = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), mode="L")
    if how.jpeg_quality:
        buffer = io.BytesIO()
        out.save(buffer, "JPEG", quality=how.jpeg_quality)
        out = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return out


def image_pdf(images: list[Image.Image], dpi: int) -> bytes:
    """An image-only PDF (no text layer), one page per image, at its true print size."""
    buffer = io.BytesIO()
    first, *rest = [im.convert("L") for im in images]
    first.save(buffer, "PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return buffer.getvalue()


def scanned_pdf(text: str, *, dpi: int = 300, how: Degradation = SCANNED, seed: int = 0,
                max_pages: int = 0) -> tuple[bytes, list[RenderedPage]]:
    """``text`` printed, scanned and wrapped as an image-only PDF, with the truth of each page."""
    pages = render_text(text, dpi, max_pages=max_pages)
    images = [degrade(p.image, how, dpi, seed + k) for k, p in enumerate(pages)]
    return image_pdf(images, dpi), pages
