"""BM25 over two fields: accented (lower-cased NFC tokens) and accent-folded.

A query typed with diacritics scores ``accented_weight · accented +
folded_weight · folded`` (0.1 and 1 by default): the exact-diacritics passage
wins over one differing only in accents, yet passages typed without accents
(or OCR'd without them) still compete on the folded field. A query typed
without diacritics is scored on the folded field alone, with its syllables re-joined into the
multi-syllable words the corpus has ("tai chinh" → "tai_chinh"), since pyvi
cannot segment unaccented text.

Callers use the ``LexicalSearcher`` protocol, never bm25s directly. Row ids are
positions in the ``texts`` list the index was built from.

Settings (k1, b, syllables, folded weight) were chosen on ALQAC; see
``indexer.alqac`` and the numbers in ``LexicalConfig``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Protocol, runtime_checkable

import bm25s
import numpy as np

from indexer.normalise import fold_accents, has_diacritics
from indexer.segment import segment

# bm25s sets its own logger to DEBUG at import, so every build printed a debug line
# into the CLI and server output; its warnings still come through.
logging.getLogger("bm25s").setLevel(logging.WARNING)

FORMAT = "lexical-bm25s-2field/1"


@runtime_checkable
class LexicalSearcher(Protocol):
    """What the answerer and the API need from a lexical index."""

    def search(
        self, query: str, k: int, *, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (row id, score) pairs, best first; only rows with a positive score.

        ``allowed`` is an optional boolean mask over rows (filters); rows where
        it is False are never returned.
        """
        ...


@dataclass(frozen=True)
class LexicalConfig:
    """Scoring settings, stored with the index so queries are tokenized like passages.

    Defaults chosen on ALQAC (529 questions; numbers in ``indexer.alqac``):

    * words + syllables beat words only and syllables only for every k1/b tried
      (k1 ∈ {0.9, 1.2, 1.5} × b ∈ {0.5, 0.75, 0.9}); k1=0.9 was best with
      words + syllables; b=0.75 vs 0.5 is a tie on accented questions
      (0.828 vs 0.831 MRR@10) and better for unaccented ones (0.822 vs 0.809).
    * weights: on all-accented ALQAC every mix of the two fields is within noise
      (MRR@10 0.825-0.831). With 20% of the articles accent-folded (as OCR'd
      scans are), ``accented + 0.1·folded`` never surfaces those articles
      (MRR@10 0.000 on their 109 questions) while ``0.1·accented + folded``
      finds them (0.695), costing 0.015 on the other questions of that copy
      and 0.006 on plain ALQAC (0.831 → 0.825). So the folded field carries
      the score and the accented field adds a 10% bonus for exact diacritics.
    """

    k1: float = 0.9
    b: float = 0.75
    words: bool = True  # pyvi multi-syllable words ("tài_chính")
    syllables: bool = True  # and their syllables ("tài", "chính")
    # A query with diacritics scores accented_weight·accented + folded_weight·folded.
    accented_weight: float = 0.1
    folded_weight: float = 1.0
    max_ngram: int = 4  # unaccented queries: re-join up to this many syllables into words


# Query tokens scored at most. A question of the longest allowed kind (2,000 characters,
# ~400 syllables plus their n-grams) cost 0.11 s of BM25 on 27k passages; the gold
# questions (retrieval + answers, 90) use at most 34 tokens, so 64 never changes their scores.
MAX_QUERY_TERMS = 64


def _dense_scores(model: bm25s.BM25, token_ids: list[int]) -> np.ndarray:
    """BM25 score of every row for the given vocabulary ids (duplicates count twice).

    Same sum as ``BM25.get_scores_from_ids`` but one ``np.bincount`` instead of
    an ``np.add.at`` per token (several times faster on 100k+ rows).
    """
    n = int(model.scores["num_docs"])
    token_ids = token_ids[:MAX_QUERY_TERMS]
    if not token_ids:
        return np.zeros(n, dtype=np.float32)
    data = model.scores["data"]
    indices = model.scores["indices"]
    indptr = model.scores["indptr"]
    rows = np.concatenate([indices[indptr[t] : indptr[t + 1]] for t in token_ids])
    weights = np.concatenate([data[indptr[t] : indptr[t + 1]] for t in token_ids])
    scores = np.bincount(rows, weights=weights, minlength=n).astype(np.float32)
    if model.nonoccurrence_array is not None:  # BM25L / BM25+
        scores += model.nonoccurrence_array[token_ids].sum()
    return scores


def _fold_all(token_lists: list[list[str]]) -> list[list[str]]:
    """fold_accents of every token, folding each distinct token once."""
    memo: dict[str, str] = {}
    out = []
    for tokens in token_lists:
        folded = []
        for t in tokens:
            f = memo.get(t)
            if f is None:
                f = memo[t] = fold_accents(t)
            folded.append(f)
        out.append(folded)
    return out


class LexicalIndex:
    """Two bm25s indexes over the same rows: accented tokens and their folded forms."""

    def __init__(self, accented: bm25s.BM25, folded: bm25s.BM25, config: LexicalConfig):
        self.accented = accented
        self.folded = folded
        self.config = config

    # -- building -----------------------------------------------------------

    @classmethod
    def build(
        cls, texts: list[str], *, progress: bool = False, config: LexicalConfig | None = None
    ) -> LexicalIndex:
        """Segment ``texts`` and index them; row i is ``texts[i]``."""
        config = config or LexicalConfig()
        if progress:
            from tqdm import tqdm

            it = tqdm(texts, desc="segment", unit="passage")
        else:
            it = texts
        tokens = [segment(t, words=config.words, syllables=config.syllables) for t in it]
        return cls.from_tokens(tokens, progress=progress, config=config)

    @classmethod
    def from_tokens(
        cls,
        tokens: list[list[str]],
        *,
        progress: bool = False,
        config: LexicalConfig | None = None,
    ) -> LexicalIndex:
        """Index already segmented rows (accented tokens from ``indexer.segment``)."""
        config = config or LexicalConfig()
        if not tokens:
            raise ValueError("cannot build a lexical index over no passages")
        accented = bm25s.BM25(k1=config.k1, b=config.b)
        accented.index(tokens, show_progress=progress)
        folded = bm25s.BM25(k1=config.k1, b=config.b)
        folded.index(_fold_all(tokens), show_progress=progress)
        return cls(accented, folded, config)

    def __len__(self) -> int:
        return int(self.accented.scores["num_docs"])

    # -- querying -----------------------------------------------------------

    def _ids(self, model: bm25s.BM25, tokens: list[str]) -> list[int]:
        vocab = model.vocab_dict
        return [vocab[t] for t in tokens if t in vocab and t != ""]

    def _unaccented_query_ids(self, query: str) -> list[int]:
        """Folded-field ids for a query without diacritics.

        pyvi cannot segment unaccented Vietnamese, so take the syllables (numbers
        and dates kept whole as usual) and add every run of 2..max_ngram
        consecutive syllables that the corpus has as a word ("tai_chinh").
        """
        sylls = segment(query, words=False)
        sylls = [fold_accents(s) for s in sylls]
        vocab = self.folded.vocab_dict
        tokens = list(sylls) if (self.config.syllables or not self.config.words) else []
        if self.config.words:
            n = len(sylls)
            for size in range(2, self.config.max_ngram + 1):
                for i in range(n - size + 1):
                    gram = "_".join(sylls[i : i + size])
                    if gram in vocab:
                        tokens.append(gram)
            if not self.config.syllables:
                # Words-only index: syllables that are words on their own.
                tokens.extend(s for s in sylls if s in vocab)
        return self._ids(self.folded, tokens)

    def scores(self, query: str) -> np.ndarray:
        """Score of every row for ``query`` (zeros when nothing matches)."""
        if not query or not query.strip():
            return np.zeros(len(self), dtype=np.float32)
        if has_diacritics(query):
            tokens = segment(query, words=self.config.words, syllables=self.config.syllables)
            scores = np.zeros(len(self), dtype=np.float32)
            a, f = self.config.accented_weight, self.config.folded_weight
            if a > 0:
                scores += a * _dense_scores(self.accented, self._ids(self.accented, tokens))
            if f > 0:
                folded = [fold_accents(t) for t in tokens]
                scores += f * _dense_scores(self.folded, self._ids(self.folded, folded))
            return scores
        return _dense_scores(self.folded, self._unaccented_query_ids(query))

    def search(
        self, query: str, k: int, *, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (row id, score), best first; rows with ``allowed[i] == False`` excluded."""
        if k <= 0:
            return []
        scores = self.scores(query)
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=bool)
            if allowed.shape != scores.shape:
                raise ValueError(f"allowed mask has shape {allowed.shape}, index has {len(self)} rows")
            scores = np.where(allowed, scores, 0.0).astype(np.float32)
        return _top_k(scores, k)

    # -- persistence --------------------------------------------------------

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.accented.save(directory / "accented", show_progress=False)
        self.folded.save(directory / "folded", show_progress=False)
        meta = {"format": FORMAT, "rows": len(self), "config": asdict(self.config)}
        (directory / "lexical.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = False) -> LexicalIndex:
        directory = Path(directory)
        meta = json.loads((directory / "lexical.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{directory}: unknown lexical index format {meta.get('format')!r}")
        known = {f.name for f in fields(LexicalConfig)}
        config = LexicalConfig(**{k: v for k, v in meta["config"].items() if k in known})
        kw = dict(load_corpus=False, mmap=mmap, show_progress=False)
        accented = bm25s.BM25.load(directory / "accented", **kw)
        folded = bm25s.BM25.load(directory / "folded", **kw)
        index = cls(accented, folded, config)
        if len(index) != meta["rows"]:
            raise ValueError(f"{directory}: index has {len(index)} rows, metadata says {meta['rows']}")
        return index


def _top_k(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Rows with a positive score, best first (ties by row id), at most ``k``."""
    positive = np.flatnonzero(scores > 0)
    if positive.size == 0:
        return []
    if positive.size > k:
        part = np.argpartition(-scores[positive], k - 1)[:k]
        positive = positive[part]
    order = np.lexsort((positive, -scores[positive]))
    return [(int(i), float(scores[i])) for i in positive[order]]
