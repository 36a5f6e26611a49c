"""The indexing pipeline: load → normalise → metadata → structure → tasks → references
→ segment (BM25) → embed (FAISS) → store.

Each stage is a plain function in its own module; this one only wires them and
decides what happens to a file that fails (it is reported, the rest goes on).
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from indexer.effect import document_effect, plan_period
from indexer.embed import Embedder
from indexer.embed_cache import EmbeddingCache, encode_cached
from indexer.lexical import LexicalIndex
from indexer.load import LoadError, discover, load_file
from indexer.metadata import OverrideError, apply_override, extract_metadata, load_override, override_path
from indexer.model import Layout
from indexer.ocr import OcrConfig, OcrEngine
from indexer.deadlines import parse_deadline
from indexer.records import Document, DocumentMeta, Passage, Task
from indexer.ocr_repair import repair_documents
from indexer.references import extract_references
from indexer.relations import RELATIONS, RelationGraph, build_edges
from indexer.settings import Settings
from indexer.store import (
    DOCUMENTS,
    FORMAT_VERSION,
    MANIFEST,
    DiskFull,
    IndexUnavailable,
    build_lock,
    check_free_space,
    disk_full_message,
    file_sha256,
    is_disk_full,
    new_build_dir,
    publish,
    read_json,
    verify_generation,
    write_json,
    write_manifest,
)
from indexer.structure import split_passages
from indexer.text_quality import looks_ocr_damaged, ocr_damage
from indexer.units import document_units
from indexer.tasks import extract_tasks
from indexer.vector import VectorIndex

log = logging.getLogger(__name__)

EMBEDDINGS = "embeddings.npy"
UNITS = "units.json"
UNITS_LEXICAL_DIR = "units_lexical"
UNIT_VECTORS = "unit_vectors.npy"
EMBEDDING_KEYS = "embedding_keys.json"
LEXICAL_DIR = "lexical"
VECTORS = "vectors.faiss"
# Files read at once: enough that a scan waiting on OCR does not hold up the others.
_READERS = 2


@dataclass
class BuildReport:
    """What a build did, for the CLI, the admin endpoint and the closing notes."""

    index_dir: str
    documents: int = 0
    passages: int = 0
    tasks: int = 0
    references: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reused_embeddings: int = 0
    new_embeddings: int = 0
    seconds: float = 0.0
    encode_seconds: float = 0.0
    model_load_seconds: float = 0.0
    ocr_pages: int = 0  # pages recognised by Tesseract in this build
    ocr_cached_pages: int = 0  # pages whose OCR came from the cache (unchanged scans)
    ocr_failed_pages: int = 0
    ocr_seconds: float = 0.0


def parse_document(path: Path, layout: Layout) -> Document:
    """Turn one file's document model into a Document with passages, tasks and references.

    A broken metadata override is reported as a warning; the document is still
    indexed with what its text says, so nothing is lost over a typo in a .toml.
    """
    text = layout.text
    doc_id = path.stem
    warnings: list[str] = list(layout.warnings)
    meta = extract_metadata(doc_id, path.name, text, layout.tables)
    effect = document_effect(text, meta.issued_date)
    meta.effective_date = effect.date if effect else None
    override_file = override_path(path)
    if override_file.is_file():
        try:
            meta = apply_override(meta, load_override(override_file))
        except OverrideError as exc:
            warnings.append(f"{override_file.name}: bỏ qua tệp siêu dữ liệu bổ sung ({exc}).")
    passages = split_passages(doc_id, text, layout.tables)
    tasks = extract_tasks(doc_id, text, layout.tables, passages)
    normalise_deadlines(tasks, document_year(meta))
    references = extract_references(doc_id, text)
    damage = ocr_damage(text)
    if looks_ocr_damaged(damage):
        warnings.append(
            f"{path.name}: văn bản có dấu hiệu nhận dạng ký tự (OCR) lỗi ({damage:.0%} số từ hỏng); "
            "vẫn được lập chỉ mục, tìm theo từ khoá được ưu tiên hơn tìm theo nghĩa."
        )
    return Document(meta=meta, text=text, passages=passages, tasks=tasks, references=references, warnings=warnings,
                    ocr_damage=round(damage, 4), tables=layout.tables, effect=effect,
                    period=plan_period(meta.title, meta.doc_type), pages=layout.pages)


def document_year(meta: DocumentMeta) -> int | None:
    """The year a document's undated deadlines refer to: its issue year, else the year its title names."""
    if meta.issued_date:
        return int(meta.issued_date[:4])
    years = re.findall(r"\b(20\d\d)\b", meta.title or "")
    return int(years[0]) if years else None


def normalise_deadlines(tasks: list[Task], year: int | None) -> None:
    """Each task's printed deadline as dates, so the tasks page can filter and sort on them."""
    for task in tasks:
        parsed = parse_deadline(task.deadline, reference_year=year)
        if parsed is not None:
            task.due_from = parsed.start.isoformat() if parsed.start else None
            task.due = parsed.end.isoformat() if parsed.end else None
            task.recurring = parsed.recurring


def load_corpus(corpus_dir: Path, settings: Settings, *, progress: bool = True) -> tuple[list[Document], BuildReport]:
    """Parse every document of the corpus; unreadable files become errors in the report."""
    report = BuildReport(index_dir=str(settings.index_dir))
    if not corpus_dir.is_dir():
        raise IndexUnavailable(f"Không tìm thấy thư mục văn bản '{corpus_dir}'.")
    documents: list[Document] = []
    max_bytes = int(settings.max_file_mb * 1_048_576)
    seen_ids: set[str] = set()
    paths = [p for p in discover(corpus_dir) if not _duplicate(p, seen_ids, report)]
    # Files are read by a small pool, so while a long scan waits on the OCR pool (bounded
    # by TRACUU_OCR_WORKERS) the other files are read and parsed; order stays the corpus order.
    with OcrEngine(OcrConfig.from_settings(settings)) as ocr, \
            ThreadPoolExecutor(max_workers=_READERS, thread_name_prefix="read") as readers:
        reads = [readers.submit(load_file, p, max_bytes=max_bytes, ocr=ocr, progress=progress) for p in paths]
        pending = dict(zip(reads, paths))
        parsed: dict[Path, Document] = {}
        for future in tqdm(as_completed(reads), total=len(reads), desc="Đọc văn bản", unit="tệp",
                           disable=not progress):
            path = pending[future]
            try:
                parsed[path] = parse_document(path, future.result())
            except LoadError as exc:
                report.errors.append(str(exc))
                log.warning("Bỏ qua %s", exc)
            except Exception as exc:  # one broken document must not stop the corpus
                report.errors.append(f"{path.name}: lỗi khi phân tích văn bản ({type(exc).__name__}: {exc}).")
                log.exception("Lỗi khi phân tích %s", path.name)
        report.ocr_pages, report.ocr_cached_pages = ocr.stats.recognised, ocr.stats.from_cache
        report.ocr_failed_pages, report.ocr_seconds = ocr.stats.failed, round(ocr.stats.seconds, 2)
    order = {p: k for k, p in enumerate(paths)}
    report.errors.sort(key=lambda e: e.split(":", 1)[0])
    for path in sorted(parsed, key=order.__getitem__):
        report.warnings.extend(parsed[path].warnings)
        documents.append(parsed[path])
    return documents, report


def _duplicate(path: Path, seen_ids: set[str], report: BuildReport) -> bool:
    """A second file with the same stem (only the suffix differs) cannot have its own doc_id."""
    if path.stem in seen_ids:
        report.errors.append(f"{path.name}: trùng tên với một văn bản khác (chỉ khác đuôi tệp); đã bỏ qua.")
        return True
    seen_ids.add(path.stem)
    return False


def passage_search_text(document: Document, passage: Passage) -> str:
    """What BM25 and the embedder see: the passage with its document and section context.

    An OCR-damaged passage is seen with its repaired reading after the print, so a
    question in proper Vietnamese finds it while its own words still match too.
    """
    meta = document.meta
    head = " ".join(x for x in (meta.doc_type, meta.doc_number) if x)
    context = " › ".join(x for x in (head, passage.section) if x)
    text = f"{passage.text}\n{passage.repaired}" if passage.repaired else passage.text
    return f"{context}\n{text}" if context else text


def _previous_embeddings(index_dir: Path, model: str) -> dict[str, np.ndarray]:
    """Embeddings of the served index, by content key, so an unchanged corpus is not re-encoded."""
    try:
        target = index_dir.resolve()
        verify_generation(target)  # a flipped byte in a vector must not be carried into the new build
        keys = read_json(target / EMBEDDING_KEYS)
        if keys.get("model") != model:
            return {}
        matrix = np.load(target / EMBEDDINGS, mmap_mode="r")
        return {key: np.asarray(matrix[i]) for i, key in enumerate(keys["keys"])}
    except (OSError, ValueError, KeyError, IndexUnavailable):
        return {}


def embed_texts(
    texts: list[str], embedder: Embedder, settings: Settings, report: BuildReport, *, progress: bool,
    known: dict[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Encode only what neither the served index nor the content cache has seen with this model."""
    cache = EmbeddingCache(Path(settings.embedding_cache)) if settings.embedding_cache else None
    matrix, keys, new, seconds = encode_cached(
        texts, embedder.name, embedder.dim, lambda batch: embedder.encode_passages(batch, progress=progress),
        cache, known,
    )
    report.encode_seconds += seconds
    report.reused_embeddings += len(texts) - new
    report.new_embeddings += new
    return matrix, keys


def build_index(
    settings: Settings,
    embedder_factory: Callable[[], Embedder] | None,
    *,
    progress: bool = True,
    before_publish: Callable[[Path], None] | None = None,
) -> BuildReport:
    """Build a complete index beside the served one and swap it in atomically.

    ``embedder_factory`` is None for a lexical-only index. ``before_publish`` is a
    test hook called with the finished-but-unpublished folder.
    """
    started = time.perf_counter()
    index_dir = settings.index_dir
    with build_lock(index_dir):
        check_free_space(index_dir, settings.corpus_dir, settings.min_free_mb)  # before any work
        documents, report = load_corpus(settings.corpus_dir, settings, progress=progress)
        if not documents:
            raise IndexUnavailable(
                f"Không có văn bản nào đọc được trong '{settings.corpus_dir}'. " + " ".join(report.errors)
            )
        report.warnings.extend(repair_documents(documents, settings, progress=progress))
        pairs = [(d, p) for d in documents for p in d.passages]
        texts = [passage_search_text(d, p) for d, p in pairs]
        units = [u for d in documents for u in document_units(d)]
        unit_texts = [u.text for u in units]
        partial = new_build_dir(index_dir)
        try:
            LexicalIndex.build(texts, progress=progress).save(partial / LEXICAL_DIR)
            LexicalIndex.build(unit_texts or [""], progress=False).save(partial / UNITS_LEXICAL_DIR)
            write_json(partial / UNITS, [u.to_dict() for u in units])
            model_name, dim, vector_kind = None, 0, None
            if embedder_factory is not None:
                loading = time.perf_counter()
                embedder = embedder_factory()
                report.model_load_seconds = time.perf_counter() - loading
                known = _previous_embeddings(index_dir, embedder.name)
                matrix, keys = embed_texts(texts, embedder, settings, report, progress=progress, known=known)
                np.save(partial / EMBEDDINGS, matrix)
                write_json(partial / EMBEDDING_KEYS, {"model": embedder.name, "keys": keys})
                unit_matrix, _ = embed_texts(unit_texts, embedder, settings, report, progress=progress)
                np.save(partial / UNIT_VECTORS, unit_matrix)
                vectors = VectorIndex.build(matrix)
                vectors.save(partial / VECTORS)
                model_name, dim, vector_kind = embedder.name, embedder.dim, vectors.kind
            write_json(partial / DOCUMENTS, [d.to_dict() for d in documents])
            # The graph is recomputed from every document's references on each build (cheap: no text is re-read).
            write_json(partial / RELATIONS, RelationGraph(edges=build_edges({d.doc_id: d for d in documents})).to_dict())
            corpus_files = {
                d.meta.source: file_sha256(settings.corpus_dir / d.meta.source)
                for d in documents
                if (settings.corpus_dir / d.meta.source).is_file()
            }
            report.documents = len(documents)
            report.passages = len(pairs)
            report.tasks = sum(len(d.tasks) for d in documents)
            report.references = sum(len(d.references) for d in documents)
            report.seconds = time.perf_counter() - started
            write_manifest(
                partial,
                {
                    "format": FORMAT_VERSION,
                    "model": model_name,
                    "dim": dim,
                    "vector_index": vector_kind,
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "corpus_files": corpus_files,
                    "counts": {
                        "units": len(units),
                        "documents": report.documents,
                        "passages": report.passages,
                        "tasks": report.tasks,
                        "references": report.references,
                    },
                    "errors": report.errors,
                    "warnings": report.warnings,
                },
            )
            if before_publish is not None:
                before_publish(partial)
            publish(partial, index_dir, settings.keep_generations)
        except Exception as exc:
            if is_disk_full(exc):
                raise DiskFull(disk_full_message(exc, partial.parent)) from exc
            raise
        finally:  # every failure path: the unfinished generation goes (published ones were renamed)
            shutil.rmtree(partial, ignore_errors=True)
    return report
