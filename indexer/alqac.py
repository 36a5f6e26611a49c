"""ALQAC (Vietnamese legal QA) as a retrieval benchmark for our lexical/vector search.

The data lives outside the repo (``../shared/data/alqac`` beside the repository by default; never
copy it in): ``corpus.jsonl`` (2,249 law articles, ``_id`` "law@article",
``text``) and ``train_alqac2024.jsonl`` (529 questions with ``relevant`` ids).

    python -m indexer.alqac [ROOT]     # lexical-only numbers for the default settings

Measured with this module (all 529 questions, article text only; "odd/even"
= MRR@10 on the two halves of the questions, to see how stable a difference is):

    baseline: bm25s, whitespace tokens, k1=1.5 b=0.75      R@1 .705  R@5 .881  R@10 .930  MRR@10 .787
    baseline: bm25s.tokenize (default regex, no stopwords) R@1 .724  R@5 .898  R@10 .943  MRR@10 .799
      (the same with the law name prefixed, as `tracuu eval` runs it: R@1 .737 R@5 .894 R@10 .941 MRR@10 .807)
    LexicalIndex defaults (pyvi words + syllables, k1=0.9,
      b=0.75, 0.1·accented + 1·folded)                     R@1 .764  R@5 .904  R@10 .949  MRR@10 .825
    same, accented field only (a=1, f=0)                    R@1 .764  R@5 .909  R@10 .953  MRR@10 .828
    same, questions typed without accents                   R@1 .758  R@5 .900  R@10 .951  MRR@10 .822
    same, law name prefixed to each article (with_title)    R@1 .773  R@5 .905  R@10 .951  MRR@10 .832

Tried (accented field only): {words+syllables, words, syllables} × k1 {0.9, 1.2,
1.5} × b {0.5, 0.75, 0.9}. MRR@10 ranges: words+syllables 0.814-0.831, words
0.810-0.820, syllables 0.791-0.809; words+syllables won at every (k1, b), and
k1=0.9 won for words+syllables and for syllables (words alone is flat). Field weights (accented a, folded f) tried:
(1, 0/0.1/0.25/0.5/1) and (0.5/0.25/0.1/0, 1), also on a copy of the corpus
with 20% of the articles accent-folded; see ``indexer.lexical.LexicalConfig``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

# The shared folder sits beside the repository (../shared), here and in CI.
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "alqac"
CORPUS_FILE = "corpus.jsonl"
QUESTIONS_FILE = "train_alqac2024.jsonl"


def load_alqac(
    root: Path = DEFAULT_ROOT, *, with_title: bool = False
) -> tuple[list[tuple[str, str]], list[tuple[str, str, list[str]]]]:
    """(corpus, questions): corpus = [(article id, text)], questions = [(qid, question, relevant ids)].

    ``with_title`` prefixes each article with its law's name (the part of the id
    before "@"), as our passages carry their document title; off by default.
    """
    root = Path(root)
    corpus: list[tuple[str, str]] = []
    with open(root / CORPUS_FILE, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            text = row["text"]
            if with_title:
                text = f"{row['_id'].rsplit('@', 1)[0]}\n{text}"
            corpus.append((row["_id"], text))
    questions: list[tuple[str, str, list[str]]] = []
    with open(root / QUESTIONS_FILE, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            questions.append((row["qid"], row["question"], list(row["relevant"])))
    return corpus, questions


def evaluate_ranking(
    ranked_ids_per_question: Sequence[Sequence[str]],
    relevant: Sequence[Sequence[str]],
) -> dict[str, float]:
    """Recall@1/5/10 (share of a question's relevant ids in its top k, averaged) and MRR@10."""
    if len(ranked_ids_per_question) != len(relevant):
        raise ValueError("one ranking per question is needed")
    n = len(relevant)
    if n == 0:
        return {"recall@1": 0.0, "recall@5": 0.0, "recall@10": 0.0, "mrr@10": 0.0, "n": 0}
    totals = {1: 0.0, 5: 0.0, 10: 0.0}
    mrr = 0.0
    for ranked, rel in zip(ranked_ids_per_question, relevant):
        rel_set = set(rel)
        if not rel_set:
            continue
        for k in totals:
            totals[k] += len(rel_set.intersection(ranked[:k])) / len(rel_set)
        for rank, doc_id in enumerate(ranked[:10], start=1):
            if doc_id in rel_set:
                mrr += 1.0 / rank
                break
    out = {f"recall@{k}": v / n for k, v in totals.items()}
    out["mrr@10"] = mrr / n
    out["n"] = n
    return out


def bm25s_baseline(texts: Sequence[str], queries: Sequence[str], k: int = 10) -> list[list[int]]:
    """Top-``k`` article rows per query from plain bm25s, the baseline our search must beat.

    bm25s's own tokenizer (lower-cased words of two or more characters, no
    stopwords, no pyvi, no accent folding) and its default BM25 (k1 1.5, b 0.75):
    what one gets from the library without any Vietnamese-specific work.
    """
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(list(texts), stopwords=None, show_progress=False), show_progress=False)
    tokens = bm25s.tokenize(list(queries), stopwords=None, show_progress=False)
    rows, _ = retriever.retrieve(tokens, k=min(k, len(texts)), show_progress=False)
    return [[int(i) for i in row] for row in rows]


def evaluate_lexical(index, corpus_ids: Sequence[str], questions, k: int = 10) -> dict[str, float]:
    """Run ``index.search`` (a LexicalSearcher) on every question and score the rankings."""
    ranked = [[corpus_ids[i] for i, _ in index.search(q, k)] for _, q, _ in questions]
    return evaluate_ranking(ranked, [rel for _, _, rel in questions])


def main(argv: list[str] | None = None) -> int:
    from indexer.lexical import LexicalIndex

    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else DEFAULT_ROOT
    corpus, questions = load_alqac(root)
    index = LexicalIndex.build([t for _, t in corpus], progress=False)
    metrics = evaluate_lexical(index, [i for i, _ in corpus], questions)
    print(json.dumps({"config": asdict(index.config), **metrics}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
