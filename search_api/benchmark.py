"""`tracuu bench`: indexing throughput and query latency, printed as numbers.

Two sizes:

* the seed corpus, indexed for real (structure, BM25, e5 embeddings, FAISS), with
  the raw model-encode rate printed beside the indexing rate so the pipeline's
  own overhead is visible;
* a large corpus of passages cut from ``../shared/data/vlc-laws`` (110 laws),
  replicated with varied text to reach ``--passages``. BM25 is built over every
  passage for real. Encoding 200k passages on 2 CPU cores would take hours, so
  the vector side encodes a sample of real passages and fills the rest with
  perturbed copies of them (same dimension, same FAISS index type): the search
  cost is the real one, the retrieval quality is not measured here.

Query latency is the hybrid path as served: query embedding + BM25 + FAISS + fusion.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from indexer.lexical import LexicalIndex
from indexer.load import discover, load_file
from indexer.normalise import fold_accents
from indexer.pipeline import build_index
from indexer.settings import Settings
from indexer.structure import split_passages
from indexer.vector import VectorIndex, set_search_threads
from search_api.evaluate import GOLD_DIR, read_jsonl
from search_api.search import Fusion, fuse_rankings
from search_api.state import IndexState, embedder_factory


def percentiles(samples_ms: list[float]) -> str:
    values = np.array(samples_ms)
    return f"p50 {np.percentile(values, 50):.1f} ms, p95 {np.percentile(values, 95):.1f} ms, max {values.max():.1f} ms"


def rss_mb() -> float:
    """Current resident memory (not the peak), so differences mean something."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1_048_576


def machine_speed_ms() -> float:
    """Milliseconds for a fixed pure-Python loop, printed first so that numbers
    from different machines, or the same machine on a busy day, can be compared."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def bench_queries() -> list[str]:
    gold = [g["query"] for g in read_jsonl(GOLD_DIR / "retrieval.jsonl")]
    return gold + [fold_accents(q) for q in gold]


def bench_seed(settings: Settings, queries: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        local = replace(settings, index_dir=Path(tmp) / "index")
        factory = embedder_factory(local)
        report = build_index(local, factory, progress=False)
        rate = report.passages / report.seconds
        print(f"Kho gốc: {report.documents} văn bản, {report.passages} đoạn, lập chỉ mục {report.seconds:.1f} s "
              f"({rate:.1f} đoạn/s)")
        state = IndexState(local)
        state.load()
        served = state.current()
        if report.encode_seconds:
            # The build times its one call into the model, so the overhead needs no second encoding.
            raw = report.encode_seconds
            pipeline_s = report.seconds - report.model_load_seconds
            overhead = (pipeline_s - raw) / raw * 100
            print(f"  mã hoá thô của mô hình: {report.new_embeddings / raw:.1f} đoạn/s ({raw:.1f} s); "
                  f"lập chỉ mục trừ thời gian nạp mô hình ({report.model_load_seconds:.1f} s): {pipeline_s:.1f} s, "
                  f"phần việc ngoài mã hoá: {overhead:+.0f}% so với mã hoá thô")
        samples = []
        for query in queries:
            started = time.perf_counter()
            served.searcher.search(query, k=10)
            samples.append((time.perf_counter() - started) * 1000)
        print(f"  truy vấn lai ({len(samples)} câu): {percentiles(samples)}")
        samples = []
        for query in queries:
            started = time.perf_counter()
            served.answerer.ask(query)
            samples.append((time.perf_counter() - started) * 1000)
        print(f"  hỏi đáp ({len(samples)} câu): {percentiles(samples)}")


def law_passages(laws_dir: Path, target: int) -> list[str]:
    """Passages of the laws, replicated with varied text (shuffled sentences, an edition tag)."""
    base: list[str] = []
    for path in discover(laws_dir):
        try:
            layout = load_file(path, max_bytes=64 << 20)
        except Exception:  # an empty or unreadable law is not a benchmark failure
            continue
        base.extend(p.text for p in split_passages(path.stem, layout.text, layout.tables))
    rng = random.Random(13)
    out = list(base)
    edition = 1
    while len(out) < target:
        for text in base:
            sentences = text.split(". ")
            rng.shuffle(sentences)
            out.append(f"Bản {edition}: " + ". ".join(sentences))
            if len(out) >= target:
                break
        edition += 1
    return out[:target]


def bench_large(settings: Settings, laws_dir: Path, n: int, queries: list[str], sample_size: int = 1000) -> None:
    if not laws_dir.is_dir():
        print(f"Bỏ qua kho lớn: không thấy {laws_dir}.")
        return
    rss_before = rss_mb()
    texts = law_passages(laws_dir, n)
    started = time.perf_counter()
    lexical = LexicalIndex.build(texts, progress=False)
    lexical_s = time.perf_counter() - started
    print(f"Kho lớn: {len(texts)} đoạn từ {laws_dir.name}; BM25 (pyvi) {lexical_s:.1f} s ({len(texts) / lexical_s:.0f} đoạn/s)")
    factory = embedder_factory(settings)
    if factory is None:
        return
    embedder = factory()
    sample = texts[: min(len(texts), sample_size)]
    started = time.perf_counter()
    sample_vectors = embedder.encode_passages(sample)
    encode_s = time.perf_counter() - started
    print(f"  mã hoá thô (mẫu {len(sample)} đoạn): {len(sample) / encode_s:.1f} đoạn/s")
    rng = np.random.default_rng(7)
    tiles = sample_vectors[rng.integers(0, len(sample), size=len(texts))]
    vectors_matrix = tiles + rng.normal(0, 0.02, size=tiles.shape).astype(np.float32)
    started = time.perf_counter()
    vectors = VectorIndex.build(vectors_matrix.astype(np.float32))
    print(f"  FAISS {vectors.kind}: dựng {time.perf_counter() - started:.1f} s")
    set_search_threads(1)
    embedder.encode_queries([queries[0]])  # as the server does at start: the first call loads the query engine
    fusion = Fusion()
    samples: list[float] = []
    parts: dict[str, list[float]] = {"mã hoá câu hỏi": [], "BM25": [], "FAISS": [], "hợp nhất": []}
    for query in queries:
        t0 = time.perf_counter()
        lex = lexical.search(query, fusion.depth)
        t1 = time.perf_counter()
        query_vector = embedder.encode_queries([query])[0]
        t2 = time.perf_counter()
        dense = vectors.search(query_vector, fusion.depth)
        t3 = time.perf_counter()
        fuse_rankings(query, lex, dense, fusion)[:10]
        t4 = time.perf_counter()
        samples.append((t4 - t0) * 1000)
        for name, seconds in zip(parts, (t2 - t1, t1 - t0, t3 - t2, t4 - t3)):
            parts[name].append(seconds * 1000)
    print(f"  truy vấn lai gồm cả mã hoá câu hỏi ({len(samples)} câu): {percentiles(samples)}")
    print("    trong đó p95: " + ", ".join(f"{name} {np.percentile(v, 95):.1f} ms" for name, v in parts.items()))
    print(f"  bộ nhớ: RSS {rss_mb():.0f} MB (tăng {rss_mb() - rss_before:.0f} MB, "
          f"≈ {(rss_mb() - rss_before) * 1024 / len(texts):.1f} KB/đoạn)")


def run_benchmark(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    queries = bench_queries()[: args.queries]
    print(f"Tốc độ máy: vòng Python 1 triệu phép cộng mất {machine_speed_ms():.0f} ms "
          "(càng nhỏ máy càng nhanh; để so sánh các lần đo với nhau)")
    if not args.skip_seed:
        bench_seed(settings, queries)
    bench_large(settings, Path(args.laws), args.passages, queries, args.sample)
    return 0
