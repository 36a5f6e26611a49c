"""`tracuu eval`: retrieval and answer quality, printed as numbers.

* Our gold retrieval set over the seed corpus (tests/gold/retrieval.jsonl): Hit@1,
  Hit@5, MRR@10 for lexical, dense and hybrid, each with the questions as written
  and with their diacritics removed.
* Our gold answer set (tests/gold/answers.jsonl): answer and citation accuracy,
  and how many unanswerable questions are refused.
* ALQAC 2024 (../shared/data/alqac): Recall@1/5/10 and MRR@10 for the same modes,
  beside a plain bm25s baseline (its default tokenizer, no pyvi, no folding).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from indexer.alqac import bm25s_baseline, evaluate_ranking, load_alqac
from indexer.embed import Embedder
from indexer.lexical import LexicalIndex
from indexer.normalise import fold_accents, folded_form
from indexer.settings import Settings
from indexer.vector import VectorIndex
from search_api.answer import Answer
from search_api.search import MODES, Fusion, Searcher, fuse_rankings
from search_api.state import IndexState

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "gold"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _squash(text: str) -> str:
    return " ".join(folded_form(text).split())


def gold_hit_rank(searcher: Searcher, item: dict[str, Any], query: str, mode: str) -> int | None:
    """1-based rank of the first passage from the expected file containing the expected words."""
    hits = searcher.search(query, k=10, mode=mode).hits
    for rank, hit in enumerate(hits, 1):
        if hit.document.meta.source != item["source"]:
            continue
        if not item["expect"] or item["expect"] in _squash(f"{hit.passage.section}\n{hit.passage.text}"):
            return rank
    return None


def retrieval_metrics(searcher: Searcher, gold: list[dict[str, Any]], mode: str, *, unaccented: bool) -> dict[str, float]:
    ranks = [gold_hit_rank(searcher, g, fold_accents(g["query"]) if unaccented else g["query"], mode) for g in gold]
    n = len(ranks)
    return {
        "hit@1": sum(r == 1 for r in ranks if r) / n,
        "hit@5": sum(r <= 5 for r in ranks if r) / n,
        "mrr@10": sum(1 / r for r in ranks if r) / n,
    }


def judge_answer(answer: Answer, item: dict[str, Any]) -> tuple[bool, bool]:
    """(answer correct, citation correct) for one gold item."""
    if not item["found"]:
        return (not answer.found, not answer.found)
    if not answer.found:
        return (False, False)
    expect = item["expect"]
    checks = {
        "lead": " | ".join(answer.lead),
        "support": " | ".join(answer.support),
        "deadline": answer.deadline or answer.answer or "",
        "answer": f"{answer.answer} {' '.join(c.quote for c in answer.citations)}",
    }
    correct = all(want in _squash(checks[key]) for key, want in expect.items())
    cite = item["cite"]
    cited = any(
        c.source == cite["source"] and (not cite["contains"] or cite["contains"] in _squash(f"{c.section} {c.quote}"))
        for c in answer.citations
    )
    return correct, cited


def answer_metrics(state: IndexState, gold: list[dict[str, Any]], *, verbose: bool = False) -> dict[str, float]:
    answerer = state.current().answerer
    answerable = [g for g in gold if g["found"]]
    refusals = [g for g in gold if not g["found"]]
    right = cited = refused = 0
    for item in gold:
        answer = answerer.ask(item["question"])
        ok, cite_ok = judge_answer(answer, item)
        if item["found"]:
            right += ok
            cited += cite_ok
        else:
            refused += ok
        if verbose and not (ok and cite_ok):
            print(f"  ✗ {item['id']} [{answer.kind}] {item['question']} → {answer.answer!r} lead={answer.lead}")
    return {
        "answer_accuracy": right / max(1, len(answerable)),
        "citation_accuracy": cited / max(1, len(answerable)),
        "refused": refused,
        "unanswerable": len(refusals),
    }


def _cached_embeddings(embedder: Embedder, texts: list[str], cache_dir: Path) -> np.ndarray:
    """ALQAC article embeddings, cached on disk by model and corpus hash (encoding takes minutes)."""
    digest = hashlib.sha1(("\n".join(texts) + embedder.name).encode()).hexdigest()[:16]
    path = cache_dir / f"alqac-{digest}.npy"
    if path.is_file():
        return np.load(path)
    matrix = embedder.encode_passages(texts, progress=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, matrix)
    return matrix


def alqac_metrics(root: Path, embedder: Embedder | None, limit: int, fusion: Fusion) -> dict[str, dict[str, float]]:
    corpus, questions = load_alqac(root, with_title=True)
    if limit:
        questions = questions[:limit]
    ids = [cid for cid, _ in corpus]
    texts = [text for _, text in corpus]
    lexical = LexicalIndex.build(texts, progress=False)
    relevant = [rel for _, _, rel in questions]
    baseline = bm25s_baseline(texts, [q for _, q, _ in questions])
    lexical_runs = [lexical.search(q, 100) for _, q, _ in questions]
    results = {
        "bm25s (chuẩn)": evaluate_ranking([[ids[i] for i in run] for run in baseline], relevant),
        "lexical": evaluate_ranking([[ids[i] for i, _ in run[:10]] for run in lexical_runs], relevant),
    }
    if embedder is None:
        return results
    vectors = VectorIndex.build(_cached_embeddings(embedder, texts, Path("data/cache")))
    query_vectors = embedder.encode_queries([q for _, q, _ in questions])
    dense_runs = [vectors.search(v, 100) for v in query_vectors]
    results["dense"] = evaluate_ranking([[ids[i] for i, _ in run[:10]] for run in dense_runs], relevant)
    fused = [fuse_rankings(q, lex, den, fusion)[:10] for (_, q, _), lex, den in zip(questions, lexical_runs, dense_runs)]
    results["hybrid"] = evaluate_ranking([[ids[i] for i, _ in run] for run in fused], relevant)
    return results


def _row(name: str, metrics: dict[str, float]) -> str:
    return f"  {name:<22}" + "  ".join(f"{k}={v:.3f}" for k, v in metrics.items() if k != "n")


def run_evaluation(args: argparse.Namespace) -> int:
    state = IndexState(Settings.from_env())
    state.load()
    served = state.current()
    if not args.skip_gold:
        gold = read_jsonl(GOLD_DIR / "retrieval.jsonl")
        print(f"Bộ câu hỏi tìm kiếm riêng ({len(gold)} câu, kho văn bản gốc):")
        modes = MODES if served.searcher.embedder is not None else ("lexical",)
        for mode in modes:
            print(_row(f"{mode} (có dấu)", retrieval_metrics(served.searcher, gold, mode, unaccented=False)))
            print(_row(f"{mode} (không dấu)", retrieval_metrics(served.searcher, gold, mode, unaccented=True)))
    if not args.skip_answers:
        gold = read_jsonl(GOLD_DIR / "answers.jsonl")
        metrics = answer_metrics(state, gold, verbose=True)
        print(
            f"Bộ câu hỏi trả lời ({len(gold)} câu): đúng {metrics['answer_accuracy']:.3f}, "
            f"trích dẫn đúng {metrics['citation_accuracy']:.3f}, "
            f"từ chối đúng {metrics['refused']}/{metrics['unanswerable']}"
        )
    if not args.skip_alqac:
        root = Path(args.alqac)
        if not (root / "corpus.jsonl").is_file():
            print(f"Bỏ qua ALQAC: không thấy dữ liệu tại {root}.")
            return 0
        results = alqac_metrics(root, served.searcher.embedder, args.limit, served.searcher.fusion)
        print(f"ALQAC 2024 ({results['lexical']['n']} câu hỏi, 2.249 điều luật):")
        for mode, metrics in results.items():
            print(_row(mode, metrics))
    return 0
