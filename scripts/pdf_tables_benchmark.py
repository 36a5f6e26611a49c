"""Task tables of PDFs with a text layer: read from the PDF as from the Word file it was printed from.

No PDF of a task table has its Word original in the corpus, so the build split's
Word files (.docx, .doc) are printed to PDF by LibreOffice (in a temporary folder,
never kept) and the Task records of both are compared: table rows read as tasks,
the share of the Word file's tasks found in the PDF (same task text), and of those
the share with the same lead agencies, partners and deadline; "before" is the tasks
found by the reader without tables; and the tables of content of both, with how
many have the same rows × columns. Then seconds per page with
and without the table reader, and the corpus's own text-layer PDFs before/after
as aggregate counts only (pages, lines, tables) — held-out text is never printed.

    python scripts/pdf_tables_benchmark.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.model import Layout  # noqa: E402
from indexer.normalise import fold  # noqa: E402
from indexer.ocr import OcrConfig, OcrEngine  # noqa: E402
from indexer.pipeline import parse_document  # noqa: E402
from indexer.readers import pdf as pdf_reader  # noqa: E402
from indexer.readers import read_document  # noqa: E402
from indexer.records import Task  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPLIT = ROOT / "tests" / "gold" / "vn_admin_split.json"


def table_tasks(path: Path, layout: Layout) -> list[Task]:
    return [t for t in parse_document(path, layout).tasks if t.origin == "table"]


def _key(task: Task) -> str:
    return " ".join(fold(task.duty or task.activities or task.product or "").split())[:80]


def _agencies(names: list[str]) -> list[str]:
    return sorted(" ".join(fold(n).split()) for n in names)


def _deadline(task: Task) -> str:
    return " ".join(fold(task.deadline or "").split())


def compare(word: list[Task], printed: list[Task]) -> dict[str, int]:
    """Each Word task matched to the first unmatched PDF task with the same task text."""
    left = list(printed)
    found = lead = support = deadline = 0
    for task in word:
        match = next((p for p in left if _key(p) == _key(task)), None)
        if match is None:
            continue
        left.remove(match)
        found += 1
        lead += _agencies(match.lead) == _agencies(task.lead)
        support += _agencies(match.support) == _agencies(task.support)
        deadline += _deadline(match) == _deadline(task)
    return {"docx": len(word), "pdf": len(printed), "found": found, "lead": lead, "support": support,
            "deadline": deadline}


def _shapes(layout: Layout) -> list[tuple[int, int]]:
    """Rows × columns of the tables of content (not the letterhead or signature laid out in a table)."""
    return sorted((len(t.rows), t.width) for t in layout.tables if not t.role)


def _tables(word: Layout, printed: Layout) -> str:
    """"Word/PDF tables (same rows × columns)"."""
    left, same = _shapes(word), 0
    for shape in _shapes(printed):
        if shape in left:
            left.remove(shape)
            same += 1
    return f"{len(_shapes(word))}/{len(_shapes(printed))} ({same})"


def _read_without_tables(path: Path, ocr: OcrEngine | None = None) -> Layout:
    """The PDF read as before this reader: every text page as its pypdf text."""
    with mock.patch.object(pdf_reader, "read_page_segments", lambda data, numbers: {}):
        return read_document(path.name, path.read_bytes(), ocr=ocr)


def _timed(read: object, path: Path, *args: object) -> tuple[Layout, float]:
    start = time.perf_counter()
    layout = read(path, *args)  # type: ignore[operator]
    return layout, time.perf_counter() - start


def _read(path: Path, ocr: OcrEngine | None = None) -> Layout:
    return read_document(path.name, path.read_bytes(), ocr=ocr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    docs = args.shared / "vn-admin-docs" / "docs"
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not docs.is_dir() or soffice is None:
        print("bỏ qua: cần thư mục vn-admin-docs và LibreOffice (soffice)")
        return 0
    words = [docs / name for name in split["build"] if name.endswith((".docx", ".doc"))]
    totals = {"docx": 0, "pdf": 0, "found": 0, "lead": 0, "support": 0, "deadline": 0}
    pages = before = after = 0.0
    print(f"{'document':48} {'docx':>5} {'pdf':>5} {'found':>6} {'lead':>5} {'partn':>6} {'deadl':>6}  before  tables word/pdf (same shape)")
    with tempfile.TemporaryDirectory() as tmp:
        for word in words:
            shutil.copy(word, tmp)
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp,
                        *[str(Path(tmp) / w.name) for w in words]], capture_output=True, timeout=600, check=False)
        for word in words:
            printed = Path(tmp) / (word.stem + ".pdf")
            if not printed.is_file():
                print(f"{word.name:48} (LibreOffice không in được)")
                continue
            word_layout = _read(word)
            word_tasks = table_tasks(word, word_layout)
            old, old_s = _timed(_read_without_tables, printed)
            new, new_s = _timed(_read, printed)
            pages += len(new.pages)
            before += old_s
            after += new_s
            tables = _tables(word_layout, new)
            if not word_tasks:
                print(f"{word.name:48} (no table tasks; tables {tables})")
                continue
            row = compare(word_tasks, table_tasks(printed, new))
            old_found = compare(word_tasks, table_tasks(printed, old))["found"]
            for key in totals:
                totals[key] += row[key]
            print(f"{word.name:48} {row['docx']:5} {row['pdf']:5} {row['found']:6} {row['lead']:5} "
                  f"{row['support']:6} {row['deadline']:6}  {old_found:6}  {tables}")
    t = totals
    print(f"{'TOTAL':48} {t['docx']:5} {t['pdf']:5} {t['found']:6} {t['lead']:5} {t['support']:6} {t['deadline']:6}")
    if t["docx"]:
        print(f"found {t['found'] / t['docx']:.1%} of the Word files' table tasks; of those, same lead "
              f"{t['lead'] / max(1, t['found']):.1%}, same partners {t['support'] / max(1, t['found']):.1%}, "
              f"same deadline {t['deadline'] / max(1, t['found']):.1%}")
    if pages:
        print(f"seconds per page on these PDFs: before {before / pages:.3f}, with tables {after / pages:.3f} "
              f"({int(pages)} pages)")
    print("\ncorpus PDFs with a text layer (aggregates only): pages, lines, tables, s/page — before → after")
    with tempfile.TemporaryDirectory() as cache:
        engine = OcrEngine(OcrConfig(cache_dir=Path(cache)))  # a page without text layer is OCR'd once
        try:
            for name in sorted(split["build"] + split["heldout"]):
                path = docs / name
                if not name.endswith(".pdf") or not path.is_file():
                    continue
                layers = pdf_reader._text_layers(name, path.read_bytes())
                usable = sum(pdf_reader.text_layer_usable(layer) for layer in layers)
                if not usable:
                    continue  # a scan: OCR'd, which this reader leaves as it is
                _read_without_tables(path, engine)  # fills the OCR cache, so both timings below read it
                old, old_s = _timed(_read_without_tables, path, engine)
                new, new_s = _timed(_read, path, engine)
                n = max(1, len(new.pages))
                print(f"{name:48} {len(old.pages)}→{len(new.pages)} pages ({usable} text), "
                      f"{len(old.text.splitlines())}→{len(new.text.splitlines())} lines, "
                      f"{len(old.tables)}→{len(new.tables)} tables, text {'unchanged' if old.text == new.text else 'changed'}, "
                      f"{old_s / n:.3f}→{new_s / n:.3f} s/page")
        finally:
            engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
