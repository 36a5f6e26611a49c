"""Evidence for an answer: which task or sentence says what the question asks, scored two ways.

*Coverage* — the IDF-weighted share of the question's subject syllables (and of
their adjacent pairs, since Vietnamese words are mostly two syllables) that the
evidence contains — rewards the exact words of a task; the *dense* similarity of
the question to the unit's own embedding (:mod:`indexer.units`) rewards the same
meaning in other words ("ai lo phần dữ liệu về công chứng" for "Xây dựng cơ sở
dữ liệu công chứng"). Candidates come from both the units' lexical index and
their vectors; the blend of the two scores decides, and one threshold refuses.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from search_api.deadline import check_deadline
from search_api.questions import ACCENTED_STOPWORDS, STOPWORDS
from indexer.normalise import folded_form, has_diacritics, lexical_form
from indexer.reader import LoadedIndex
from indexer.records import Document, Passage, Task
from indexer.units import Unit

_SYLLABLE = re.compile(r"[\w/%.-]+")
# How much a unit loses per point its document falls behind the best match of the question's
# description of a document ("Kế hoạch CCHC năm 2026 …"): enough to tell twin plans apart.
DOCUMENT_PREFERENCE = 1.0


def syllables(folded: str) -> set[str]:
    return {w.strip(".-") for w in _SYLLABLE.findall(folded) if w.strip(".-")}


@lru_cache(maxsize=65536)
def _evidence_syllables(evidence: str) -> tuple[frozenset[str], str]:
    """The folded syllables of an evidence text, as a set and as " a b c " for pair lookups.

    The pairs are read without the function words questions drop (``STOPWORDS``): a
    subject's adjacent words are adjacent in the evidence up to those.
    Cached: every question scores the same task texts and passages again.
    """
    folded = folded_form(evidence)
    words = _SYLLABLE.findall(folded)
    printed = _SYLLABLE.findall(lexical_form(evidence)) if has_diacritics(evidence) else []
    if len(printed) == len(words):  # the accents tell "tại" from "tài"; folding keeps the words aligned
        kept = [w for w, p in zip(words, printed) if p.strip(".-") not in ACCENTED_STOPWORDS]
    else:
        kept = [w for w in words if w.strip(".-") not in STOPWORDS]
    # a word that ends a sentence ("ký số.") is itself: the pair "ký số" is there
    bare = [w.strip(".-") for w in kept]
    return frozenset(syllables(folded)), " " + " ".join(w for w in bare if w) + " "


class Coverage:
    """How much of a question's subject an evidence text contains, from 0 to 1."""

    def __init__(self, corpus_texts: list[str]) -> None:
        self._texts = corpus_texts
        self._idf: dict[str, float] | None = None

    def idf(self) -> dict[str, float]:
        """Syllable IDF over all passages, built on first use."""
        if self._idf is None:
            counts: Counter[str] = Counter()
            for text in self._texts:
                counts.update(syllables(folded_form(text)))
            n = max(1, len(self._texts))
            self._idf = {w: math.log(1 + n / c) for w, c in counts.items()}
        return self._idf

    def __call__(self, terms: list[str], evidence: str) -> float:
        """The mean of two IDF-weighted shares: of the subject's syllables, and of its adjacent pairs.

        The pairs stop "hộ chiếu" from being matched by a text with "hộ" and "chiếu"
        in unrelated places.
        """
        if not terms:
            return 0.0
        idf = self.idf()
        present, squashed = _evidence_syllables(evidence)
        default = math.log(1 + max(1, len(self._texts)))  # unseen word: as rare as can be
        weights = {t: idf.get(t, default) for t in set(terms)}
        total = sum(weights.values())
        unigram = sum(w for t, w in weights.items() if t in present) / total if total else 0.0
        pairs = {(a, b): weights[a] + weights[b] for a, b in zip(terms, terms[1:])}
        if not pairs:
            return unigram
        found = sum(w for (a, b), w in pairs.items() if f" {a} {b} " in squashed)
        return (unigram + found / sum(pairs.values())) / 2


@dataclass(frozen=True)
class Blend:
    """How coverage and meaning are combined into one evidence score.

    The dense similarity of e5-small between a question and text about something
    else sits around 0.80–0.86 and rarely passes 0.93 even for the right unit, so it
    is rescaled over that span before mixing. Questions typed without diacritics
    lean on coverage, as the model reads them poorly. Chosen on the calibration
    questions of the build split (``tracuu eval`` prints them).
    """

    dense_weight: float = 0.45
    dense_weight_unaccented: float = 0.25
    dense_floor: float = 0.82
    dense_span: float = 0.11

    def score(self, coverage: float, dense: float | None, accented: bool) -> float:
        if dense is None:
            return coverage
        weight = self.dense_weight if accented else self.dense_weight_unaccented
        scaled = min(1.0, max(0.0, (dense - self.dense_floor) / self.dense_span))
        return (1 - weight) * coverage + weight * scaled


@dataclass
class Scored:
    """One unit with its two scores and their blend."""

    unit: Unit
    coverage: float
    dense: float | None
    score: float


class UnitSearch:
    """Finds and scores answer units for a question over one loaded index."""

    def __init__(self, index: LoadedIndex, coverage: Coverage, blend: Blend | None = None) -> None:
        self.index = index
        self.coverage = coverage
        self.blend = blend or Blend()
        self.tasks: dict[str, Task] = {t.task_id: t for d in index.documents.values() for t in d.tasks}
        self._by_doc: dict[str, list[int]] = {}
        for row, unit in enumerate(index.units):
            self._by_doc.setdefault(unit.doc_id, []).append(row)
        self._context: list[str | None] = [None] * len(index.units)

    def context_text(self, row: int) -> str:
        """What coverage reads: the unit with its section and document title (built on first use)."""
        text = self._context[row]
        if text is None:
            unit = self.index.units[row]
            document = self.index.documents[unit.doc_id]
            passage = self.passage(unit.passage_id)
            section = passage.section if passage is not None else ""
            text = " ".join(x for x in (unit.text, section, document.meta.doc_number, document.meta.title) if x)
            self._context[row] = text
        return text

    def passage(self, passage_id: str | None) -> Passage | None:
        row = self.index.passage_row.get(passage_id or "")
        return self.index.passages[row] if row is not None else None

    def document(self, unit: Unit) -> Document:
        return self.index.documents[unit.doc_id]

    def _candidate_rows(self, query: str, vector: np.ndarray | None, docs: set[str] | None, depth: int) -> list[int]:
        """Rows from the units' lexical index and their vectors; every unit of the allowed documents
        when they are few (a named document, a province's plans)."""
        if docs is not None:  # in a fixed order, so equal scores rank the same on every run
            rows = [r for d in sorted(docs) for r in self._by_doc.get(d, [])]
            if len(rows) <= 4 * depth:
                return rows
            allowed = set(rows)
        else:
            allowed = None
        found: dict[int, None] = {}
        if self.index.units_lexical is not None:
            mask = None
            if allowed is not None:
                mask = np.zeros(len(self.index.units), dtype=bool)
                mask[list(allowed)] = True
            for row, _ in self.index.units_lexical.search(query, depth, allowed=mask):
                found[row] = None
        if vector is not None and self.index.unit_vectors is not None:
            similarity = self.index.unit_vectors @ vector
            if allowed is not None:
                keep = np.zeros(len(similarity), dtype=bool)
                keep[list(allowed)] = True
                similarity = np.where(keep, similarity, -1.0)
            for row in np.argsort(-similarity)[:depth]:
                found[int(row)] = None
        return list(found)

    def find(
        self,
        query: str,
        terms: list[str],
        vector: np.ndarray | None,
        *,
        kinds: frozenset[str],
        accented: bool,
        docs: set[str] | None = None,
        accept: Callable[[Unit, str], bool] | None = None,
        depth: int = 200,
        preference: dict[str, float] | None = None,
    ) -> list[Scored]:
        """Units of the given kinds, best first; ``accept(unit, context text)`` filters them.

        ``preference`` (doc id → 0 or less) lowers units of documents that fit the question's
        description of its document worse than the best one (``search_api.naming``).
        """
        out: list[Scored] = []
        similarity_of: Callable[[int], float | None]
        if vector is not None and self.index.unit_vectors is not None:
            vectors = self.index.unit_vectors
            similarity_of = lambda row: float(vectors[row] @ vector)  # noqa: E731
        else:
            similarity_of = lambda row: None  # noqa: E731
        for row in self._candidate_rows(query, vector, docs, depth):
            check_deadline()
            unit = self.index.units[row]
            if unit.kind not in kinds:
                continue
            context = self.context_text(row)
            if accept is not None and not accept(unit, context):
                continue
            coverage = self.coverage(terms, context)
            dense = similarity_of(row)
            score = self.blend.score(coverage, dense, accented)
            if preference:
                score += DOCUMENT_PREFERENCE * preference.get(unit.doc_id, -1.0)
            out.append(Scored(unit, coverage, dense, score))
        out.sort(key=lambda s: -s.score)
        return out
