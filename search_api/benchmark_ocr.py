"""``tracuu bench --ocr``: index a long scanned PDF, with per-page progress, twice.

The scan is the first seed document printed to N pages and degraded like an office
scan (``indexer.synthetic_scan``); the first build OCRs every page (progress bar,
time per page), the second finds every page in the OCR cache. Numbers are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from indexer.pipeline import build_index
from indexer.records import Document
from indexer.settings import Settings
from indexer.store import read_json
from indexer.synthetic_scan import find_font, scanned_pdf

SOURCE = "000_1ff3dec2e07f9725.txt"


def _scan_text(corpus_dir: Path, pages: int) -> str:
    """Enough clean text for ``pages`` pages: the seed, repeated if it is too short."""
    text = (corpus_dir / SOURCE).read_text(encoding="utf-8")
    return "\n".join([text] * max(1, pages // 15 + 1))


def run_ocr_benchmark(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if find_font() is None or not (settings.corpus_dir / SOURCE).is_file():
        print("Bỏ qua đo OCR: thiếu phông chữ tiếng Việt hoặc văn bản gốc.")
        return 0
    pages = int(args.ocr_pages or 20)
    data, rendered = scanned_pdf(_scan_text(settings.corpus_dir, pages), dpi=settings.ocr_dpi, max_pages=pages)
    with tempfile.TemporaryDirectory(prefix="tracuu-bench-ocr-") as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        corpus.mkdir()
        (corpus / "ban-quet-dai.pdf").write_bytes(data)
        bench = replace(settings, corpus_dir=corpus, index_dir=root / "index", dense=False,
                        ocr_cache=str(root / "ocr-cache"))
        print(f"Lập chỉ mục một PDF quét {len(rendered)} trang ({len(data) / 1_048_576:.1f} MB, "
              f"{bench.ocr_dpi} dpi, {bench.ocr_workers} luồng OCR, giới hạn {bench.ocr_page_timeout_s:g} s/trang):")
        started = time.perf_counter()
        first = build_index(bench, None, progress=True)
        first_seconds = time.perf_counter() - started
        document = Document.from_dict(read_json(bench.index_dir / "documents.json")[0])
        times = [p.seconds for p in document.pages if p.method == "ocr"]
        for page in document.pages:
            conf = f"{page.confidence:.1f}" if page.confidence is not None else "—"
            print(f"  trang {page.number:>3}: {page.seconds:5.1f} s nhận dạng, tin cậy {conf}")
        started = time.perf_counter()
        second = build_index(bench, None, progress=False)
        second_seconds = time.perf_counter() - started
    if times:
        print(f"Lần 1: {first.ocr_pages} trang OCR, {first_seconds:.1f} s tổng; mỗi trang {sum(times) / len(times):.1f} s "
              f"trung bình (nhỏ nhất {min(times):.1f}, lớn nhất {max(times):.1f}); "
              f"{first_seconds / len(times):.1f} s/trang theo đồng hồ với {bench.ocr_workers} luồng.")
    print(f"Lần 2 (tệp không đổi): {second.ocr_pages} trang OCR, {second.ocr_cached_pages} trang từ bộ nhớ đệm, "
          f"{second_seconds:.1f} s.")
    return 0
