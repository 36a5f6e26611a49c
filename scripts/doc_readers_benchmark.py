"""Which reader for Word 97–2003 (.doc)? antiword, catdoc and LibreOffice measured side by side.

Files: the real OLE2 ``.doc`` files of ``../shared/data/vn-admin-docs/docs`` and, so
that the comparison also runs on files whose text may be read, the build split's
``.docx`` files saved as Word 97 by LibreOffice (a development set; the held-out
split is printed as aggregates only, never its text). Per reader: characters,
share of valid Vietnamese syllables (:mod:`indexer.syllables`), table blocks of
the document model (antiword's and catdoc's text goes through the text reader's
table recognition, LibreOffice's .docx through the Word reader) and seconds per
file.

    python scripts/doc_readers_benchmark.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.model import Layout  # noqa: E402
from indexer.readers import read_document  # noqa: E402
from indexer.readers import doc as doc_reader  # noqa: E402
from indexer.readers.doc import OLE2_SIGNATURE, soffice_path  # noqa: E402
from indexer.readers.text import layout_from_text  # noqa: E402
from indexer.syllables import syllable_share  # noqa: E402
from indexer.tables import mark_layout_tables  # noqa: E402
from indexer.tcvn3 import from_tcvn3  # noqa: E402

SPLIT = Path(__file__).resolve().parents[1] / "tests" / "gold" / "vn_admin_split.json"


def _text_layout(text: str) -> Layout:
    layout = layout_from_text(from_tcvn3(text))
    mark_layout_tables(layout)
    return layout


def antiword(path: Path) -> Layout:
    out = subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True, timeout=120)
    return _text_layout(out.stdout.decode("utf-8", "replace"))


def catdoc(path: Path) -> Layout:
    out = subprocess.run(["catdoc", "-d", "utf-8", "-w", str(path)], capture_output=True, timeout=120)
    return _text_layout(out.stdout.decode("utf-8", "replace"))


def libreoffice(path: Path) -> Layout:
    return read_document(path.name, path.read_bytes())


READERS: dict[str, Callable[[Path], Layout]] = {"antiword": antiword, "catdoc": catdoc, "libreoffice": libreoffice}


def _shapes(layout: Layout) -> list[tuple[int, int]]:
    return sorted((len(t.rows), t.width) for t in layout.tables)


def _same_shape(found: list[tuple[int, int]], truth: list[tuple[int, int]]) -> int:
    """Tables found with the rows × columns of a table of the original (each original counted once)."""
    left = list(truth)
    hits = 0
    for shape in found:
        if shape in left:
            left.remove(shape)
            hits += 1
    return hits


def measure(path: Path, reader: Callable[[Path], Layout], truth: list[tuple[int, int]] | None) -> dict[str, float]:
    started = time.perf_counter()
    try:
        layout = reader(path)
    except Exception:  # a reader that fails on a file scores zero on it
        layout = Layout(text="")
    seconds = time.perf_counter() - started
    return {"chars": len(layout.text), "syllables": syllable_share(layout.text), "tables": len(layout.tables),
            "content_tables": sum(1 for t in layout.tables if not t.role), "seconds": seconds,
            "same_shape": _same_shape(_shapes(layout), truth) if truth is not None else float("nan"),
            "truth": len(truth) if truth is not None else float("nan")}


def _development_set(docs: Path, build: list[str], work: Path) -> list[Path]:
    """The build split's .docx files saved as Word 97 (.doc) by LibreOffice."""
    sources = [docs / name for name in build if name.endswith(".docx")]
    if not sources or soffice_path() is None:
        return []
    subprocess.run([soffice_path(), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(work / "dev"), *map(str, sources)],
                   capture_output=True, timeout=600)
    return sorted((work / "dev").glob("*.doc"))


def _truth(docs: Path, path: Path) -> list[tuple[int, int]] | None:
    """The table shapes of the .docx a development file was saved from (None for a real .doc)."""
    original = docs / f"{path.stem}.docx"
    if path.parent == docs or not original.is_file():
        return None
    return _shapes(read_document(original.name, original.read_bytes()))


def _row(name: str, numbers: dict[str, float]) -> str:
    return (f"{name:<12} chars {numbers['chars']:>8.0f}  syllables {numbers['syllables']:.3f}  "
            f"tables {numbers['tables']:>3.0f} (content {numbers['content_tables']:>2.0f})  "
            f"s/file {numbers['seconds']:.2f}"
            + (f"  same rows×cols as the original {numbers['same_shape']:.0f}/{numbers['truth']:.0f}"
               if numbers["truth"] == numbers["truth"] else ""))


def _aggregate(rows: list[dict[str, float]]) -> dict[str, float]:
    return {"chars": sum(r["chars"] for r in rows), "syllables": statistics.mean(r["syllables"] for r in rows),
            "tables": sum(r["tables"] for r in rows), "content_tables": sum(r["content_tables"] for r in rows),
            "seconds": statistics.mean(r["seconds"] for r in rows),
            "same_shape": sum(r["same_shape"] for r in rows), "truth": sum(r["truth"] for r in rows)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared/data", type=Path)
    args = parser.parse_args()
    docs = args.shared / "vn-admin-docs" / "docs"
    if not docs.is_dir():
        print(f"Không tìm thấy {docs}", file=sys.stderr)
        return 2
    missing = [name for name in READERS if name != "libreoffice" and shutil.which(name) is None]
    if missing or soffice_path() is None:
        print(f"Thiếu chương trình: {', '.join(missing + ([] if soffice_path() else ['soffice']))}", file=sys.stderr)
        return 2
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    real = sorted(p for p in docs.glob("*.doc") if p.read_bytes()[:8] == OLE2_SIGNATURE)
    heldout = set(split["heldout"])
    with tempfile.TemporaryDirectory(prefix="doc-bench-") as tmp:
        doc_reader.CACHE_DIR = Path(tmp) / "cache"  # time real conversions, not the product's cache
        groups = {
            "development set (build split .docx saved as Word 97)": _development_set(docs, split["build"], Path(tmp)),
            "real .doc, build split": [p for p in real if p.name not in heldout],
            "real .doc, held-out split (aggregates only)": [p for p in real if p.name in heldout],
        }
        for title, files in groups.items():
            print(f"\n{title}: {len(files)} files")
            if not files:
                continue
            truths = {path: _truth(docs, path) for path in files}
            for name, reader in READERS.items():
                print("  " + _row(name, _aggregate([measure(path, reader, truths[path]) for path in files])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
