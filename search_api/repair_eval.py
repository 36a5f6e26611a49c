"""How well OCR repair restores syllables, measured where the truth is known.

Clean text (seeds 000/002/004 of ``corpus/`` and build-split documents of
``../shared/data/vn-admin-docs``) is rendered to a page image with PIL and a
Vietnamese-capable font, roughened like a scan (skew, blur, speckle, JPEG), and read
back by Tesseract's *English* model — the damage of ``003_*.txt``. Syllable accuracy
against the source is printed before and after repair, with the repair time per page.
The repair's language model is the law collection only: the measured pages are never
in its training text. Also printed: the share of words shaped like Vietnamese
syllables in 003 before and after (it has no ground truth), and whether clean
documents come back unchanged.

This is the one module of the repair's measurement; ``scripts/repair_benchmark.py``
runs it, and an OCR harness can call :func:`syllable_accuracy` and :func:`measure_pages`.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.normalise import lexical_form
from indexer.ocr_repair import Repairer, repair_text
from indexer.settings import Settings, default_shared_data
from indexer.syllable_lm import base_model, token_core
from indexer.text_quality import is_syllable_shaped, needs_repair

FONT = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
FALLBACK_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
PAGE_LINES = 38  # an A4 page of 12 pt text
SEED_PAGES = ("000_1ff3dec2e07f9725.txt", "002_6ba27df1980e2c46.txt", "004_c671c5edcbf64ed2.txt")
# Build-split documents (tests/gold/vn_admin_split.json), prose rather than tables.
ADMIN_PAGES = ("kh-160-2025-cantho-giam-sat-giam-ngheo.md", "ct-09-2025-cantho-nuoc-duoi-dat.md",
               "tb-659-2025-vpcp-kl-nq66.md")


def syllables(text: str) -> list[str]:
    """The words of a text with letters in them, lower-cased, punctuation around them dropped."""
    return [lexical_form(core) for core in (token_core(t) for t in text.split()) if any(ch.isalpha() for ch in core)]


def syllable_accuracy(truth: str, hypothesis: str) -> float:
    """1 − (syllable edit distance / syllables of the truth): a word error rate over syllables."""
    ref, hyp = syllables(truth), syllables(hypothesis)
    prev = list(range(len(hyp) + 1))
    for i in range(1, len(ref) + 1):
        cur = [i] + [0] * len(hyp)
        for j in range(1, len(hyp) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ref[i - 1] != hyp[j - 1]))
        prev = cur
    return 1 - prev[-1] / max(1, len(ref))


def shaped_share(text: str) -> float:
    """Share of lower-case words shaped like Vietnamese syllables (a measure without ground truth)."""
    words = [w for w in (token_core(t) for t in text.split()) if len(w) >= 2 and w[0].islower()]
    return sum(is_syllable_shaped(w) for w in words) / max(1, len(words))


def page_of(text: str, width: int = 70) -> str:
    """One page of prose lines from the middle third of a document (headings and tables left out)."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = " ".join(re.sub(r"[*#>|_`]+", " ", raw).split())
        if len(line) >= 25 and not line.startswith("---"):
            lines.extend(textwrap.wrap(line, width))
    start = min(len(lines) // 3, max(0, len(lines) - PAGE_LINES))
    return "\n".join(lines[start:start + PAGE_LINES])


def ocr_with_english_model(page: str, seed: int = 7) -> str:
    """Render ``page`` at 200 dpi like a mediocre scan and read it with ``tesseract -l eng``."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(str(FONT if FONT.is_file() else FALLBACK_FONT), 34)
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(page.splitlines()):
        draw.text((150, 150 + i * 52), line, font=font, fill=0)
    image = image.rotate(0.4, fillcolor=255, resample=Image.BICUBIC).filter(ImageFilter.GaussianBlur(0.8))
    pixels, rng = image.load(), random.Random(seed)
    for _ in range(4000):
        pixels[rng.randrange(image.width), rng.randrange(image.height)] = rng.choice((0, 128, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=55)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.jpg"
        path.write_bytes(buffer.getvalue())
        done = subprocess.run(["tesseract", str(path), "stdout", "-l", "eng", "--dpi", "200"],
                              capture_output=True, text=True, check=True, timeout=120)
    return done.stdout


@dataclass
class PageResult:
    name: str
    before: float
    after: float
    seconds: float
    gated: bool  # needs_repair said yes to the OCR'd page, as the indexer would


def measure_pages(named_pages: list[tuple[str, str]], repairer: Repairer) -> list[PageResult]:
    """OCR each clean page with the English model, repair it, score both against the page."""
    results = []
    for name, page in named_pages:
        ocr = ocr_with_english_model(page)
        started = time.perf_counter()
        repaired = repairer.repair(ocr).text
        seconds = time.perf_counter() - started
        results.append(PageResult(name, syllable_accuracy(page, ocr), syllable_accuracy(page, repaired),
                                  seconds, needs_repair(ocr)))
    return results


def main(root: Path | None = None, shared: Path | None = None) -> int:
    root = root or Path(__file__).resolve().parents[1]
    shared = shared or default_shared_data()
    if shutil.which("tesseract") is None:
        print("Không có tesseract: không đo được.")
        return 1
    settings = Settings()
    started = time.perf_counter()
    repairer = Repairer(base_model(settings.ocr_lm_corpus, Path(settings.ocr_lm_cache).expanduser()))
    print(f"Mô hình âm tiết (chỉ luật, không chứa trang đo): {time.perf_counter() - started:.1f} giây, "
          f"{len(repairer.index.syllables)} âm tiết")
    named = [(name[:3], page_of((root / "corpus" / name).read_text(encoding="utf-8"))) for name in SEED_PAGES]
    admin = shared / "vn-admin-docs" / "docs"
    named += [(name[:12], page_of((admin / name).read_text(encoding="utf-8"))) for name in ADMIN_PAGES
              if (admin / name).is_file()]
    results = measure_pages(named, repairer)
    print("Sửa lỗi văn bản OCR bằng mô hình tiếng Anh (độ chính xác âm tiết, trước → sau):")
    for r in results:
        print(f"  {r.name:<13} {r.before:.3f} → {r.after:.3f}  {r.seconds:.2f} giây/trang  cần sửa: {r.gated}")
    n = max(1, len(results))
    print(f"  trung bình    {sum(r.before for r in results) / n:.3f} → {sum(r.after for r in results) / n:.3f}"
          f"  ({len(results)} trang)")
    scan = next((root / "corpus").glob("003_*.txt"), None)
    if scan is not None:
        text = scan.read_text(encoding="utf-8")
        started = time.perf_counter()
        fixed = repairer.repair(text).text
        pages = max(1.0, len(text) / 3000)
        print(f"003 (không có bản đúng): từ có dạng âm tiết tiếng Việt {shaped_share(text):.3f} → "
              f"{shaped_share(fixed):.3f}; {(time.perf_counter() - started) / pages:.2f} giây/trang")
    unchanged = [name for name in SEED_PAGES
                 if repair_text(t := (root / "corpus" / name).read_text(encoding="utf-8"), repairer) == t]
    print(f"Văn bản sạch giữ nguyên: {len(unchanged)}/{len(SEED_PAGES)}")
    return 0
