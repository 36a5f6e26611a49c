"""``tracuu eval --ocr``: OCR quality on scans whose text is known.

Clean documents (the seeds of ``corpus/`` and build-split documents of
``vn-admin-docs``) are read by the product's own readers, printed to A4 pages
(``indexer.synthetic_scan``), degraded like a scan, wrapped as image-only PDFs and
read back through the PDF reader, exactly as the indexer reads a scan. Each row of
the report is (name, OCR language, optional post-processing of the recognised
text) plus the resolution and page segmentation mode, so a repair step is
measured by adding one row.
"""

from __future__ import annotations

import argparse
import json
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from indexer.model import Layout
from indexer.normalise import edit_distance
from indexer.ocr_repair import build_repairer, repair_text
from indexer.text_quality import needs_repair
from indexer.syllables import is_syllable_shaped
from indexer.ocr import DEFAULT_DPI, DEFAULT_PSM, OcrConfig, OcrEngine, OcrUnavailable
from indexer.readers import read_document
from indexer.readers.pdf import read_pdf
from indexer.settings import Settings, default_shared_data
from indexer.synthetic_scan import CLEAN, POOR_SCAN, SCANNED, Degradation, RenderedPage, degrade, find_font, image_pdf, render_text

Repair = Callable[[str], str]
# Given the measured documents and the vn-admin-docs folder, the repair to apply after OCR.
RepairFactory = Callable[[list["Source"], Path], Repair]


@dataclass(frozen=True)
class OcrRow:
    """One line of the report: how the scans are recognised and what is done to the text after."""

    name: str
    lang: str
    repair: RepairFactory | None = None  # built once the measured documents are known
    dpi: int = DEFAULT_DPI
    psm: int = DEFAULT_PSM
    scan: Degradation = SCANNED


def default_rows() -> list[OcrRow]:
    """The measured configurations: language, resolution, layout mode, and a clean print for reference."""
    return [
        OcrRow("vie", "vie"),
        OcrRow("vie 300 dpi", "vie", dpi=300),
        OcrRow("vie 150 dpi", "vie", dpi=150),
        OcrRow("vie --psm 3", "vie", psm=3),
        OcrRow("vie --psm 4", "vie", psm=4),
        OcrRow("vie, bản in sạch", "vie", scan=CLEAN),
        OcrRow("vie, quét kém", "vie", scan=POOR_SCAN),
        OcrRow("vie 300 dpi, quét kém", "vie", dpi=300, scan=POOR_SCAN),
        OcrRow("vie 150 dpi, quét kém", "vie", dpi=150, scan=POOR_SCAN),
        OcrRow("eng", "eng"),
        OcrRow("eng 300 dpi", "eng", dpi=300),
        OcrRow("eng + sửa lỗi (mô hình: luật)", "eng", repair=laws_only_repair),
        OcrRow("eng + sửa lỗi (luật + văn bản sạch của kho)", "eng", repair=corpus_repair),
    ]


def small_rows() -> list[OcrRow]:
    """What ``make test`` prints: the product's setting, the issue's 300 dpi goal, English-only OCR and its repair."""
    return [OcrRow("vie", "vie"), OcrRow("vie 300 dpi", "vie", dpi=300), OcrRow("eng", "eng"),
            OcrRow("eng + sửa lỗi (mô hình: luật)", "eng", repair=laws_only_repair)]


def laws_only_repair(measured: list[Source], admin_docs: Path) -> Repair:
    """The indexer's repair (gate included) with a model of the law collection only."""
    return _repair_with(Settings.from_env(), [])


def corpus_repair(measured: list[Source], admin_docs: Path) -> Repair:
    """The repair as the indexer runs it on a corpus: the law model plus the corpus's clean documents.

    The corpus here is the build split of vn-admin-docs less the measured documents, so no
    measured page is ever in the model's training text (the held-out split is not read).
    """
    split = Path(__file__).resolve().parents[1] / "tests" / "gold" / "vn_admin_split.json"
    build = json.loads(split.read_text(encoding="utf-8")).get("build", []) if split.is_file() else []
    measured_names = {s.name for s in measured}
    clean = []
    for name in build:
        path = admin_docs / name
        if name in measured_names or not name.endswith(".md") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if not needs_repair(text):
            clean.append(text)
    return _repair_with(Settings.from_env(), clean)


def _repair_with(settings: Settings, clean: list[str]) -> Repair:
    repairer = build_repairer(settings, clean)
    return lambda text: repair_text(text, repairer)


# Clean sources: the seeds with a text layer of their own and build-split documents with tables.
SEED_SOURCES = ("000_1ff3dec2e07f9725.txt", "002_6ba27df1980e2c46.txt", "004_c671c5edcbf64ed2.txt")
ADMIN_SOURCES = ("qd-2813-2025-dongnai-don-gian-hoa-tthc.md", "kh-552-2025-dongthap-doi-moi-cong-nghe.md",
                 "qd-2629-2025-ttg-chinh-phu-so.md")


def syllables(text: str) -> list[str]:
    """Lower-case NFC syllables without the punctuation around them: what a reader would check."""
    out = []
    for token in unicodedata.normalize("NFC", text).lower().split():
        token = token.strip(".,;:!?()[]\"'“”‘’*-–|/")
        if any(ch.isalnum() for ch in token):
            out.append(token)
    return out


def syllable_accuracy(truth: str, recognised: str) -> float:
    """1 − syllable error rate: edit distance over syllables (substituted, dropped, inserted) / truth's syllables."""
    ref, hyp = syllables(truth), syllables(recognised)
    if not ref:
        return 1.0
    return max(0.0, 1 - edit_distance(ref, hyp) / len(ref))


def shaped_share(text: str) -> float:
    """Share of lower-case words shaped like Vietnamese syllables: a measure where no truth is known (003)."""
    tokens = (t.strip(".,;:!?()[]\"'“”‘’*-–|/") for t in unicodedata.normalize("NFC", text).split())
    words = [w for w in tokens if len(w) >= 2 and w[0].islower() and w.isalpha()]
    return sum(is_syllable_shaped(w) for w in words) / max(1, len(words))


def character_error_rate(truth: str, recognised: str) -> float:
    """Levenshtein distance over the truth's length, spaces collapsed.

    Computed per differing stretch after aligning words (a full character DP on a
    page is seconds of pure Python); equal to the full distance whenever the
    alignment of words is the true one, which it is for OCR's local errors.
    """
    ref, hyp = " ".join(truth.split()).split(" "), " ".join(recognised.split()).split(" ")
    total = len(" ".join(ref))
    if not total:
        return 0.0
    distance = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ref, hyp, autojunk=False).get_opcodes():
        if op != "equal":
            distance += edit_distance(" ".join(ref[i1:i2]), " ".join(hyp[j1:j2]))
    return min(1.0, distance / total)


def rows_kept(table_rows: list[list[str]], recognised: str) -> tuple[int, int]:
    """(rows whose cells come out on one recognised line in order, rows): reading order of tables."""
    lines = [syllables(line) for line in recognised.split("\n")]
    kept = total = 0
    for row in table_rows:
        wanted = syllables(" ".join(row))
        if len(row) < 2 or len(wanted) < 3:
            continue
        total += 1
        best = max((sum(b.size for b in SequenceMatcher(None, wanted, line, autojunk=False).get_matching_blocks())
                    for line in lines), default=0)
        kept += best >= 0.8 * len(wanted)
    return kept, total


@dataclass
class Source:
    name: str
    text: str
    tables: list[tuple[int, int, list[list[str]]]]


def _source(name: str, layout: Layout, *, from_first_table: bool) -> Source:
    """The text to print; ``from_first_table`` starts a few lines above the first table, so the
    measured pages hold table rows (reading order of cells) and not only the letterhead."""
    tables = [(t.line_start, t.line_end, [[" ".join(c.text.split()) for c in row] for row in t.rows])
              for t in layout.tables if not t.role and 2 <= t.width <= 6 and t.line_start]
    if not (from_first_table and tables):
        return Source(name, layout.text, tables)
    start = max(1, tables[0][0] - 3)
    text = "\n".join(layout.text.split("\n")[start - 1 :])
    return Source(name, text, [(a - start + 1, b - start + 1, rows) for a, b, rows in tables])


def load_sources(corpus_dir: Path, admin_docs: Path, *, small: bool) -> list[Source]:
    """Clean documents read by the product's readers; the small set is one seed."""
    names = [(corpus_dir, n, False) for n in SEED_SOURCES[: 1 if small else None]]
    if not small:
        names += [(admin_docs, n, True) for n in ADMIN_SOURCES]
    out = []
    for folder, name, from_table in names:
        path = folder / name
        if path.is_file():
            out.append(_source(name, read_document(name, path.read_bytes()), from_first_table=from_table))
    return out


@dataclass
class RowResult:
    row: OcrRow
    pages: int = 0
    cer: float = 0.0
    syllable_accuracy: float = 0.0
    table_rows: tuple[int, int] = (0, 0)
    seconds_per_page: float = 0.0
    confidence: float | None = None


def _page_texts(layout: Layout) -> dict[int, str]:
    lines = layout.text.split("\n")
    return {p.number: "\n".join(lines[p.line_start - 1 : p.line_end]) if p.line_start else ""
            for p in layout.pages}


def evaluate_row(row: OcrRow, sources: list[Source], pages_per_doc: int, settings: Settings,
                 admin_docs: Path = Path()) -> RowResult:
    """Render every source at the row's resolution, scan, OCR through the PDF reader, score each page."""
    config = replace(OcrConfig.from_settings(settings), lang=row.lang, psm=row.psm, dpi=row.dpi, cache_dir=None)
    result = RowResult(row)
    repair = row.repair(sources, admin_docs) if row.repair is not None else None
    cers, accuracies, confidences, kept, total, seconds = [], [], [], 0, 0, 0.0
    with OcrEngine(config) as engine:
        for k, source in enumerate(sources):
            pages: list[RenderedPage] = render_text(source.text, row.dpi, tables=source.tables,
                                                    max_pages=pages_per_doc)
            images = [degrade(p.image, row.scan, row.dpi, seed=1000 * k + n) for n, p in enumerate(pages)]
            started = time.perf_counter()
            layout = read_pdf(source.name.rsplit(".", 1)[0] + ".pdf", image_pdf(images, row.dpi), ocr=engine)
            seconds += time.perf_counter() - started
            texts = _page_texts(layout)
            for number, truth in enumerate(pages, 1):
                recognised = texts.get(number, "")
                if repair is not None:
                    recognised = repair(recognised)
                cers.append(character_error_rate(truth.text, recognised))
                accuracies.append(syllable_accuracy(truth.text, recognised))
                a, b = rows_kept(truth.table_rows, recognised)
                kept, total = kept + a, total + b
            confidences += [p.confidence for p in layout.pages if p.confidence is not None]
    n = len(accuracies)
    result.pages = n
    result.cer = sum(cers) / n if n else 0.0
    result.syllable_accuracy = sum(accuracies) / n if n else 0.0
    result.table_rows = (kept, total)
    result.seconds_per_page = seconds / n if n else 0.0
    result.confidence = round(sum(confidences) / len(confidences), 1) if confidences else None
    return result


TABLE_HEAD = ("| Cấu hình | Ngôn ngữ | dpi | --psm | Bản quét | Trang | CER | Âm tiết đúng | Dòng bảng giữ | "
              "Tin cậy | Giây/trang |\n|" + "---|" * 11)


def format_row(r: RowResult) -> str:
    kept, total = r.table_rows
    rows = f"{kept}/{total}" if total else "—"
    conf = f"{r.confidence:.1f}" if r.confidence is not None else "—"
    return (f"| {r.row.name} | {r.row.lang} | {r.row.dpi} | {r.row.psm} | {r.row.scan.name} | {r.pages} | "
            f"{r.cer:.3f} | {r.syllable_accuracy:.3f} | {rows} | {conf} | {r.seconds_per_page:.1f} |")


def run_ocr_evaluation(args: argparse.Namespace, rows: list[OcrRow] | None = None) -> int:
    """Print the table; exit 0 (numbers are reported, never asserted here)."""
    settings = Settings.from_env()
    if find_font() is None:
        print("Bỏ qua đo OCR: không có phông chữ tiếng Việt (cài fonts-dejavu-core).")
        return 0
    small = bool(getattr(args, "ocr_small", False))
    shared = Path(getattr(args, "shared", None) or default_shared_data())
    sources = load_sources(settings.corpus_dir, shared / "vn-admin-docs" / "docs", small=small)
    if not sources:
        print("Bỏ qua đo OCR: không tìm thấy văn bản nguồn.")
        return 0
    pages = int(getattr(args, "ocr_pages", 0) or (1 if small else 2))
    rows = rows or (small_rows() if small else default_rows())
    print(f"Đo OCR trên {len(sources)} văn bản sạch × {pages} trang, in rồi quét giả lập:")
    for how in (SCANNED, POOR_SCAN):
        print(f"  {how.name}: mờ {how.blur_px_at_300} px@300dpi, nghiêng ≤ {how.skew_degrees}°, "
              f"nhiễu σ={how.noise_sigma:g}, JPEG q={how.jpeg_quality}")
    print(TABLE_HEAD, flush=True)
    results = []
    for row in rows:  # printed as each is measured: the full set takes minutes
        try:
            results.append(evaluate_row(row, sources, pages, settings, shared / "vn-admin-docs" / "docs"))
            print(format_row(results[-1]), flush=True)
        except OcrUnavailable as exc:
            print(f"Bỏ qua hàng {row.name}: {exc}", flush=True)
    scan = next(settings.corpus_dir.glob("003_*.txt"), None)
    if scan is not None:  # the real OCR'd seed has no truth: the share of syllable-shaped words tells
        text = scan.read_text(encoding="utf-8")
        print(f"003 (OCR thật, không có bản đúng): từ có dạng âm tiết {shaped_share(text):.3f} → "
              f"{shaped_share(corpus_repair(sources, shared / 'vn-admin-docs' / 'docs')(text)):.3f} sau sửa lỗi tự động", flush=True)
    if getattr(args, "json", False):
        print(json.dumps([{"name": r.row.name, "lang": r.row.lang, "dpi": r.row.dpi, "psm": r.row.psm,
                           "pages": r.pages, "cer": round(r.cer, 4), "syllable_accuracy": round(r.syllable_accuracy, 4),
                           "table_rows": list(r.table_rows)} for r in results], ensure_ascii=False))
    return 0
