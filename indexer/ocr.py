"""Optical character recognition of scanned pages: Tesseract with its Vietnamese model.

Why these choices (numbers from ``tracuu eval --ocr`` and ``tracuu bench --ocr``,
see the README section "Văn bản quét"):

- Tesseract runs as a subprocess (``tesseract … tsv``), one page per call: the TSV
  output gives both the words in reading order and each word's confidence, and a
  subprocess can be killed when a page runs over the time limit.
- Pages go through a bounded pool of workers, each Tesseract on one thread
  (``OMP_THREAD_LIMIT=1``), so a long scan occupies at most ``workers`` cores and
  never the whole machine.
- Results are cached by the file's SHA-256, the page number and everything that
  changes the output (language, page segmentation mode, resolution, Tesseract
  version), so re-indexing an unchanged scan runs no OCR at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from indexer.store import write_atomically

if TYPE_CHECKING:
    from PIL.Image import Image

    from indexer.settings import Settings

DEFAULT_LANG = "vie"
# Page segmentation mode 6 ("a single uniform block of text"): administrative documents are
# one column, and a table row must stay one line. Measured on the rendered scans
# (tracuu eval --ocr, 300 dpi, 11 pages, 92 table rows): --psm 6 syllables 0.970, table rows kept
# 65/92; --psm 4 0.907, 37/92; --psm 3 (automatic) 0.849, 19/92 — 3 and 4 read a sparse
# table column by column.
DEFAULT_PSM = 6
# Pages are rendered at 200 dpi. Measured (README "Văn bản quét"): 150, 200 and 300 dpi read
# the rendered scans equally (syllables 0.970–0.975, poor scans 0.973–0.975) and the two real
# scans of vn-admin-docs alike (valid syllables 0.984–0.997), while 300 dpi costs 1.3–2.3× the
# time; 200 rather than 150 keeps small print (footnotes, 10–11 pt table text) above the
# character height Tesseract is trained on.
DEFAULT_DPI = 200
# A gap between two words wider than this many line heights separates columns
# (letterhead "issuer | motto", table cells) and is written as a tab, as other readers do.
_COLUMN_GAP_LINES = 2.5
# A vertical gap wider than this many line heights starts a new block (see text_from_tsv).
_BLOCK_GAP_LINES = 1.5


class OcrUnavailable(Exception):
    """Tesseract or the language model is not installed; the message says what to install."""


@dataclass(frozen=True)
class OcrConfig:
    """What changes the recognised text, and how much machine OCR may take."""

    lang: str = DEFAULT_LANG
    psm: int = DEFAULT_PSM
    dpi: int = DEFAULT_DPI
    workers: int = 2
    page_timeout_s: float = 120.0
    cache_dir: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> OcrConfig:
        cache = Path(settings.ocr_cache).expanduser() if settings.ocr_cache else None
        return cls(lang=settings.ocr_lang, psm=settings.ocr_psm, dpi=settings.ocr_dpi,
                   workers=max(1, settings.ocr_workers), page_timeout_s=settings.ocr_page_timeout_s,
                   cache_dir=cache)


@dataclass
class PageOcr:
    """The text Tesseract read on one page, with its mean word confidence (0–100)."""

    text: str
    confidence: float | None
    seconds: float
    from_cache: bool = False
    error: str | None = None  # set when the page could not be read (time limit, crash)


@dataclass
class OcrStats:
    """What the engine did, so a build report (and a test) can tell OCR from cache hits."""

    recognised: int = 0
    from_cache: int = 0
    failed: int = 0
    seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, result: PageOcr) -> None:
        with self._lock:
            if result.error:
                self.failed += 1
            elif result.from_cache:
                self.from_cache += 1
            else:
                self.recognised += 1
                self.seconds += result.seconds


def tesseract_version() -> str:
    """``tesseract 5.3.0``; ``OcrUnavailable`` when Tesseract is not installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable("chưa cài Tesseract OCR (gói Debian tesseract-ocr và tesseract-ocr-vie; "
                             "'make test' cài tự động).")
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    return (out.stdout or out.stderr).splitlines()[0].strip()


def installed_languages() -> set[str]:
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    return {line.strip() for line in out.stdout.splitlines()[1:] if line.strip()}


def text_from_tsv(tsv: str) -> tuple[str, float | None]:
    """Lines of words in Tesseract's reading order, and the mean word confidence.

    A blank line marks a vertical gap wider than a line (a new block: letterhead,
    title, signature), so ``unwrap`` never joins across it but does join a sentence
    that Tesseract's blocks cut mid-paragraph. Inside a line, a wide gap becomes a
    tab (two columns printed side by side, as in the letterhead or a table row).
    """
    lines: list[tuple[tuple[int, int, int], list[tuple[int, int, int, int, str]]]] = []
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        left, top, width, height = (int(c) for c in cols[6:10])
        if not lines or lines[-1][0] != key:
            lines.append((key, []))
        lines[-1][1].append((left, top, width, height, word))
        conf = float(cols[10])
        if conf >= 0:
            confidences.append(conf)
    out: list[str] = []
    previous_bottom: int | None = None
    for _key, words in lines:
        height = sorted(h for _, _, _, h, _ in words)[len(words) // 2]
        top = min(t for _, t, _, _, _ in words)
        if previous_bottom is not None and top - previous_bottom > _BLOCK_GAP_LINES * height:
            out.append("")
        previous_bottom = max(t + h for _, t, _, h, _ in words)
        text = words[0][4]
        for (l0, _, w0, _, _), (l1, _, _, _, word) in zip(words, words[1:]):
            gap = l1 - (l0 + w0)
            text += ("\t" if gap > _COLUMN_GAP_LINES * height else " ") + word
        out.append(text)
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return "\n".join(out), mean


def recognise_image(image_path: Path, config: OcrConfig) -> PageOcr:
    """Run Tesseract on one page image; a page over the time limit is reported, not waited for."""
    started = time.perf_counter()
    command = ["tesseract", str(image_path), "stdout", "-l", config.lang, "--psm", str(config.psm),
               "--dpi", str(config.dpi), "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=config.page_timeout_s, env=env)
    except subprocess.TimeoutExpired:
        return PageOcr("", None, time.perf_counter() - started,
                       error=f"nhận dạng quá {config.page_timeout_s:g} giây (TRACUU_OCR_PAGE_TIMEOUT_S), đã bỏ qua")
    except FileNotFoundError as exc:
        raise OcrUnavailable("chưa cài Tesseract OCR (gói Debian tesseract-ocr và tesseract-ocr-vie).") from exc
    if done.returncode != 0:
        message = (done.stderr or "").strip().splitlines()[-1:] or ["lỗi không rõ"]
        return PageOcr("", None, time.perf_counter() - started, error=f"Tesseract lỗi: {message[0]}")
    text, confidence = text_from_tsv(done.stdout)
    return PageOcr(text, confidence, time.perf_counter() - started)


class OcrCache:
    """Recognised pages on disk, one JSON file per page, keyed by file hash and OCR settings."""

    def __init__(self, root: Path, settings_key: str) -> None:
        self.root = root
        self.settings_key = settings_key

    def _path(self, file_hash: str, page: int) -> Path:
        return self.root / file_hash[:2] / file_hash / f"{self.settings_key}-p{page:04d}.json"

    def get(self, file_hash: str, page: int) -> PageOcr | None:
        try:
            data = json.loads(self._path(file_hash, page).read_text(encoding="utf-8"))
            return PageOcr(data["text"], data["confidence"], data["seconds"], from_cache=True)
        except (OSError, ValueError, KeyError):
            return None

    def put(self, file_hash: str, page: int, result: PageOcr) -> None:
        if result.error:
            return  # a page that failed is tried again next time
        kept = {k: v for k, v in asdict(result).items() if k in ("text", "confidence", "seconds")}
        write_atomically(self._path(file_hash, page), json.dumps(kept, ensure_ascii=False).encode("utf-8"))


class OcrEngine:
    """A bounded pool of Tesseract workers with a cache; one per build (or upload), then closed."""

    def __init__(self, config: OcrConfig | None = None) -> None:
        self.config = config or OcrConfig()
        self.stats = OcrStats()
        self._pool: ThreadPoolExecutor | None = None
        self._cache: OcrCache | None = None
        self._checked = False
        self._lock = threading.Lock()

    def _ready(self) -> None:
        """Check Tesseract and the language once, lazily: a corpus without scans never needs them."""
        with self._lock:
            if self._checked:
                return
            version = tesseract_version()
            missing = [lang for lang in self.config.lang.split("+") if lang not in installed_languages()]
            if missing:
                raise OcrUnavailable(f"Tesseract thiếu mô hình ngôn ngữ {', '.join(missing)} "
                                     f"(gói Debian tesseract-ocr-{missing[0]}).")
            if self.config.cache_dir is not None:
                key = hashlib.sha1(
                    f"{version}|{self.config.lang}|{self.config.psm}|{self.config.dpi}".encode()).hexdigest()[:12]
                self._cache = OcrCache(self.config.cache_dir, key)
            self._pool = ThreadPoolExecutor(max_workers=self.config.workers, thread_name_prefix="ocr")
            self._checked = True

    def recognise_pages(
        self,
        source: str,
        file_hash: str,
        pages: Iterable[tuple[int, Callable[[], Image]]],
        *,
        total: int,
        progress: bool = True,
    ) -> dict[int, PageOcr]:
        """OCR each (page number, renderer) not already cached; a progress bar shows time per page.

        Pages are rendered here, one at a time (PDFium is not thread-safe), and recognised
        by the pool while the next one renders.
        """
        self._ready()
        assert self._pool is not None
        results: dict[int, PageOcr] = {}
        futures: list[Future[None]] = []
        # Render at most two pages ahead per worker: a 200-page scan never sits on disk whole.
        slots = threading.BoundedSemaphore(self.config.workers * 2)
        bar = tqdm(total=total, desc=f"OCR {source}", unit="trang", disable=not progress)

        def recognise(number: int, image_path: Path) -> None:
            try:
                result = recognise_image(image_path, self.config)
                image_path.unlink(missing_ok=True)
                if self._cache is not None:
                    self._cache.put(file_hash, number, result)
                self._done(results, number, result, bar)
            finally:
                slots.release()

        with tempfile.TemporaryDirectory(prefix="tracuu-ocr-") as tmp:
            try:
                for number, render in pages:
                    cached = self._cache.get(file_hash, number) if self._cache else None
                    if cached is not None:
                        self._done(results, number, cached, bar)
                        continue
                    slots.acquire()
                    image_path = Path(tmp) / f"p{number:04d}.png"
                    try:
                        render().save(image_path)
                    except BaseException:
                        slots.release()
                        raise
                    futures.append(self._pool.submit(recognise, number, image_path))
            finally:
                for future in futures:
                    future.result()
                bar.close()
        return dict(sorted(results.items()))

    def _done(self, results: dict[int, PageOcr], number: int, result: PageOcr, bar: tqdm) -> None:
        with self._lock:
            results[number] = result
            self.stats.count(result)
            bar.update(1)
            how = "bộ nhớ đệm" if result.from_cache else f"{result.seconds:.1f} s"
            bar.set_postfix_str(f"trang {number}: {how}", refresh=False)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
            self._checked = False

    def __enter__(self) -> OcrEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
