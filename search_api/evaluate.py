"""`tracuu eval`: retrieval and answer quality, printed as numbers.

* Our gold retrieval set over the seed corpus (tests/gold/retrieval.jsonl): Hit@1,
  Hit@5, MRR@10 for lexical, dense and hybrid, each with the questions as written
  and with their diacritics removed.
* Our gold answer sets: on the seed corpus (tests/gold/answers.jsonl), and on the
  development corpus ../shared/data/vn-admin-docs — questions on its build split
  (dev and calibration halves) and on its held-out split, reported apart: answer
  and citation accuracy, and how many unanswerable questions are refused.
* Task extraction against task rows counted by hand (tests/gold/tasks.json).
* ALQAC 2024 (../shared/data/alqac): Recall@1/5/10 and MRR@10 for the same modes,
  beside a plain bm25s baseline (its default tokenizer, no pyvi, no folding).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from collections.abc import Callable
from typing import Any

import numpy as np

from indexer.alqac import bm25s_baseline, evaluate_ranking, load_alqac
from indexer.agencies import agency_key
from indexer.embed import Embedder
from indexer.embed_cache import EmbeddingCache, encode_cached
from indexer.lexical import LexicalIndex
from indexer.normalise import comparable, fold_accents
from indexer.settings import Settings
from indexer.vector import VectorIndex
from search_api.answer import Answer
from search_api.evaluate_relations import run_relation_evaluation
from search_api.search import MODES, Fusion, Searcher, fuse_rankings
from search_api.state import IndexState

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "gold"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]



def gold_hit_rank(searcher: Searcher, item: dict[str, Any], query: str, mode: str) -> int | None:
    """1-based rank of the first passage from the expected file containing the expected words."""
    hits = searcher.search(query, k=10, mode=mode).hits
    for rank, hit in enumerate(hits, 1):
        if hit.document.meta.source != item["source"]:
            continue
        if not item["expect"] or comparable(item["expect"]) in comparable(f"{hit.passage.section}\n{hit.passage.text}"):
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


def judge_answer(answer: Answer, item: dict[str, Any],
                 passage_text: Callable[[str | None], str] = lambda _: "") -> tuple[bool, bool]:
    """(answer correct, citation correct) for one gold item.

    Agencies are compared by their canonical key, so "Văn phòng UBND tỉnh" answers a
    gold "Văn phòng Ủy ban nhân dân tỉnh"; a citation is right when it points at the
    expected document and the passage it opens (or its quote) holds the expected words.
    """
    if not item["found"]:
        return (not answer.found, not answer.found)
    if not answer.found:
        return (False, False)
    expect = item["expect"]
    checks = {
        "lead": " | ".join(agency_key(a) for a in answer.lead),
        "support": " | ".join(agency_key(a) for a in answer.support),
        "deadline": comparable(answer.deadline or answer.answer or ""),
        "answer": comparable(f"{answer.answer} {' '.join(c.quote for c in answer.citations)}"),
    }
    wants = {key: agency_key(want) if key in ("lead", "support") else comparable(want) for key, want in expect.items()}
    correct = all(want in checks[key] for key, want in wants.items())
    cite = item["cite"]
    cited = any(
        c.source == cite["source"] and (not cite["contains"] or comparable(cite["contains"]) in comparable(
            f"{c.section} {c.quote} {passage_text(c.passage_id)}"))
        for c in answer.citations
    )
    return correct, cited


def passage_text_of(state: IndexState) -> Callable[[str | None], str]:
    """The text of a cited passage of the served index, by id ("" when unknown)."""
    index = state.current().index

    def text(passage_id: str | None) -> str:
        row = index.passage_row.get(passage_id or "")
        return index.passages[row].text if row is not None else ""

    return text


def answer_metrics(state: IndexState, gold: list[dict[str, Any]], *, verbose: bool = False) -> dict[str, float]:
    answerer = state.current().answerer
    answerable = [g for g in gold if g["found"]]
    refusals = [g for g in gold if not g["found"]]
    right = cited = refused = 0
    for item in gold:
        answer = answerer.ask(item["question"])
        ok, cite_ok = judge_answer(answer, item, passage_text_of(state))
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
        "questions": len(gold),
    }


# -- the development corpus (../shared/data/vn-admin-docs) ----------------------------------

SPLIT_FILE = GOLD_DIR / "vn_admin_split.json"
# Questions written on the build split (rules were written looking at these documents) and on
# the held-out split (written only once the rules were done; its documents unopened until then).
BUILD_GOLD = ("answers_build.jsonl", "answers_dev2.jsonl", "answers_dev3.jsonl", "answers_dev4.jsonl",
              "answers_dev5.jsonl")
HELDOUT_GOLD = ("answers_heldout.jsonl",)


def admin_docs(shared: Path) -> Path:
    return shared / "vn-admin-docs" / "docs"


def gold_set(names: tuple[str, ...]) -> list[dict[str, Any]]:
    """The questions of the named gold files that exist, in order."""
    return [item for name in names if (GOLD_DIR / name).is_file() for item in read_jsonl(GOLD_DIR / name)]


def dev_corpus(shared: Path, seeds: Path, folder: Path) -> Path:
    """A corpus folder holding the development corpus and the seed corpus, as links to the files.

    Officials' corpora mix documents of every issuer; the questions of both gold sets are
    asked of this one corpus, so each document competes with all the others.
    """
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {p.name: p.resolve() for root in (admin_docs(shared), seeds) for p in sorted(root.iterdir())
              if p.is_file() and not p.name.startswith(".")}
    for link in folder.iterdir():
        if link.name not in wanted or not link.is_symlink() or link.resolve() != wanted[link.name]:
            link.unlink()
    for name, target in wanted.items():
        if not (folder / name).exists():
            (folder / name).symlink_to(target)
    return folder


def admin_index(settings: Settings, shared: Path, index_dir: Path, embedder: Embedder | None,
                *, progress: bool = False) -> IndexState:
    """The development corpus (with the seeds) indexed as ``make run`` would index it, vectors from the cache."""
    from indexer.pipeline import build_index

    corpus = dev_corpus(shared, settings.corpus_dir, index_dir.parent / f"{index_dir.name}-corpus")
    admin = replace(settings, corpus_dir=corpus, index_dir=index_dir)
    state = IndexState(admin, embedder)
    report = build_index(admin, (lambda: embedder) if embedder is not None else None, progress=progress)
    for error in report.errors:  # a file left out is named, never skipped in silence
        print(f"  Lỗi: {error}", file=sys.stderr)
    state.load()
    return state


def _print_answers(label: str, metrics: dict[str, float]) -> None:
    print(f"{label} ({metrics['questions']} câu): đúng {metrics['answer_accuracy']:.3f}, "
          f"trích dẫn đúng {metrics['citation_accuracy']:.3f}, "
          f"từ chối đúng {metrics['refused']}/{metrics['unanswerable']}")


def run_admin_evaluation(args: argparse.Namespace, settings: Settings, embedder: Embedder | None) -> None:
    """Answers on the development corpus, the build and held-out splits apart; task rows counted by hand."""
    from search_api.evaluate_tasks import print_task_report, task_scores

    shared = Path(args.shared)
    if not admin_docs(shared).is_dir():
        print(f"Bỏ qua kho phát triển: không thấy {admin_docs(shared)}.")
        return
    print_task_report(task_scores(shared, settings.corpus_dir), verbose=args.verbose)
    state = admin_index(settings, shared, Path(args.admin_index), embedder, progress=not args.quiet)
    build = gold_set(BUILD_GOLD)
    for use in ("dev", "calibration", "dev3", "dev4", "dev5"):
        part = [g for g in build if g.get("use", "dev") == use]
        if part:
            _print_answers(f"Tách xây dựng — {use}", answer_metrics(state, part, verbose=args.verbose and use == "dev"))
    heldout = gold_set(HELDOUT_GOLD)
    if heldout:
        _print_answers("Tách giữ lại (chưa mở khi viết luật)", answer_metrics(state, heldout))


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
    settings = Settings.from_env()
    cache = EmbeddingCache(Path(settings.embedding_cache)) if settings.embedding_cache else None
    matrix, _, _, _ = encode_cached(texts, embedder.name, embedder.dim,
                                    lambda batch: embedder.encode_passages(batch, progress=True), cache)
    vectors = VectorIndex.build(matrix)
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
    run_relation_evaluation(Path(args.shared), verbose=args.verbose)
    if not args.skip_answers:
        _print_answers("Bộ câu hỏi trên kho gốc (corpus/)", answer_metrics(state, read_jsonl(GOLD_DIR / "answers.jsonl"),
                                                                          verbose=args.verbose))
        run_admin_evaluation(args, state.settings, state.embedder())
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
