"""Hybrid search: BM25 (accented + folded) fused with dense e5 vectors.

The two lists are fused by min-max normalised scores (chosen over reciprocal-rank
fusion by measurement on ALQAC, see `tracuu eval`); the dense weight drops when
the query has no diacritics, because the embedding model reads unaccented
Vietnamese poorly while the folded BM25 field reads it well. A query that names a
document number present in the corpus goes straight to that document.
"""

from __future__ import annotations

import re
import time
from collections.abc import Container
from dataclasses import dataclass, field

import numpy as np

from indexer.doc_numbers import doc_number_key, find_doc_numbers
from indexer.embed import Embedder
from indexer.normalise import folded_form, has_diacritics
from indexer.vocabulary import DOC_TYPE_ABBREVIATIONS
from search_api.deadline import check_deadline
from search_api.accents import AccentRestorer
from indexer.reader import LoadedIndex
from indexer.records import Document, Passage
from indexer.relations import Status

MODES = ("hybrid", "lexical", "dense")


@dataclass(frozen=True)
class Fusion:
    """How the lexical and dense lists are combined.

    ``score``: each list's scores min-max normalised over its top ``depth`` and
    added with weights; ``rrf``: weighted reciprocal-rank fusion. On ALQAC
    (MRR@10, weight picked on the even questions, checked on the odd ones)
    score fusion with dense weight 0.7 beat BM25 alone (0.842/0.846 vs
    0.822/0.841) while RRF never did (best 0.827/0.837).
    """

    method: str = "score"
    rrf_k: int = 60
    lexical_weight: float = 1.0
    dense_weight: float = 0.7
    dense_weight_unaccented: float = 0.35
    depth: int = 100  # how deep each list is read before fusing


@dataclass(frozen=True)
class Filters:
    """Facets users can narrow a search by; None means any."""

    doc_type: str | None = None
    year: int | None = None
    issuer: str | None = None
    in_force: bool = False  # only documents in force as the corpus shows it (indexer.relations)

    def admits(self, document: Document, status: Status | None = None) -> bool:
        meta = document.meta
        if self.in_force and status is not None and not status.in_force:
            return False
        if self.doc_type and folded_form(meta.doc_type or "") != folded_form(self.doc_type):
            return False
        if self.year and not (meta.issued_date or "").startswith(f"{self.year:04d}"):
            return False
        if self.issuer and folded_form(self.issuer) not in folded_form(meta.issuer or ""):
            return False
        return True

    @property
    def active(self) -> bool:
        return bool(self.doc_type or self.year or self.issuer or self.in_force)


@dataclass
class Hit:
    passage: Passage
    document: Document
    score: float
    row: int


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    took_ms: float
    exact_document: Document | None = None
    mode: str = "hybrid"
    timings: dict[str, float] = field(default_factory=dict)


_TYPE_WORDS = r"quyet dinh|ke hoach|cong van|nghi quyet|chi thi|thong bao|thong tu|nghi dinh|bao cao|to trinh"
"""Document types as officials name them before a number, in folded form."""
_TYPE_ABBREVIATIONS = "|".join(DOC_TYPE_ABBREVIATIONS)
_TYPE_AND_BARE_NUMBER = re.compile(
    rf"\b({_TYPE_WORDS}|{_TYPE_ABBREVIATIONS})\s+(?:so\s+)?(\d{{1,5}}(?:\.\d{{1,2}})?)\b(?!\s*/)"
    rf"(?!\s+(?:nam|thang|ngay|quy|tuan)\b)"
)  # "công văn 2458", "kế hoạch số 28", "QĐ 2913", "Nghị quyết 66.4" — not "kế hoạch 5 năm"
_TYPE_BEFORE_NUMBER = re.compile(rf"(?:\b(?:{_TYPE_WORDS}|van ban)\s+)?(?:\bso\s+)?$")
_NUMBER_ONLY_NOISE = re.compile(rf"\b(?:so|van ban|{_TYPE_WORDS}|la gi|ve viec gi|noi dung|trich yeu)\b")


def strip_document_reference(folded: str) -> str:
    """``folded`` without the documents it names ("theo kế hoạch số 28/KH-UBND", "công văn 2458").

    What is left is what the question asks about that document.
    """
    for match in reversed(find_doc_numbers(folded)):
        head = _TYPE_BEFORE_NUMBER.search(folded[: match.start])
        start = head.start() if head else match.start
        folded = f"{folded[:start]} {folded[match.end:]}"
    return _TYPE_AND_BARE_NUMBER.sub(" ", folded)


def names_only_a_number(query: str) -> bool:
    """True when the query names a document and says nothing else ("Quyết định 399/QĐ-UBND là gì?", "Kế hoạch số 28")."""
    folded = folded_form(query)
    if not (find_doc_numbers(folded) or _TYPE_AND_BARE_NUMBER.search(folded)):
        return False
    return not re.search(r"\w{2,}", _NUMBER_ONLY_NOISE.sub(" ", strip_document_reference(folded)))


def _list_scores(ranking: list[tuple[int, float]], fusion: Fusion) -> dict[int, float]:
    """One list's contribution per row: min-max normalised score, or reciprocal rank for RRF."""
    if fusion.method == "rrf":
        return {row: 1.0 / (fusion.rrf_k + rank + 1) for rank, (row, _) in enumerate(ranking)}
    values = [score for _, score in ranking]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    return {row: (score - low) / (high - low) if high > low else 1.0 for row, score in ranking}


def fuse_rankings(
    query: str, lexical: list[tuple[int, float]], dense: list[tuple[int, float]], fusion: Fusion,
    damaged: Container[int] = frozenset(),
) -> list[tuple[int, float]]:
    """Fuse two ranked lists; the dense list counts less for unaccented queries.

    Rows in ``damaged`` (passages of an OCR-damaged scan, see indexer.text_quality)
    take the better of their two list scores on the dense side: the model's
    reading of broken text may lift such a passage but never sinks it.
    """
    dense_weight = fusion.dense_weight if has_diacritics(query) else fusion.dense_weight_unaccented
    lexical_scores, dense_scores = _list_scores(lexical, fusion), _list_scores(dense, fusion)
    scores: dict[int, float] = {}
    for row in [*lexical_scores, *(r for r in dense_scores if r not in lexical_scores)]:
        lexical_part, dense_part = lexical_scores.get(row, 0.0), dense_scores.get(row, 0.0)
        if row in damaged:
            dense_part = max(dense_part, lexical_part)
        scores[row] = fusion.lexical_weight * lexical_part + dense_weight * dense_part
    return sorted(scores.items(), key=lambda item: -item[1])


ACCENT_SAMPLE = 20_000
RESTORED_KEPT = 4096


class Searcher:
    """Answers search queries over one loaded index; cheap to build, holds no global state."""

    def __init__(self, index: LoadedIndex, embedder: Embedder | None, fusion: Fusion | None = None) -> None:
        self.index = index
        self.embedder = embedder if index.vectors is not None else None
        self.fusion = fusion or Fusion()
        self._accents: AccentRestorer | None = None
        self._restored: dict[str, str] = {}
        self._by_number = {
            doc_number_key(d.meta.doc_number): d for d in index.documents.values() if d.meta.doc_number
        }
        self._by_type_and_bare_number: dict[tuple[str, str], list[Document]] = {}
        for d in index.documents.values():
            if d.meta.doc_number and d.meta.doc_type:
                key = (folded_form(d.meta.doc_type), d.meta.doc_number.split("/", 1)[0].strip())
                self._by_type_and_bare_number.setdefault(key, []).append(d)
        self.damaged_rows = frozenset(
            row for row, p in enumerate(index.passages) if index.documents[p.doc_id].is_damaged_scan
        )

    # -- building blocks -------------------------------------------------------------

    def allowed_mask(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or not filters.active:
            return None
        status = self.index.relations.status
        admitted = {doc_id for doc_id, d in self.index.documents.items() if filters.admits(d, status.get(doc_id))}
        return np.fromiter((p.doc_id in admitted for p in self.index.passages), dtype=bool, count=len(self.index.passages))

    def document_for_number(self, query: str) -> Document | None:
        """The corpus document whose number the query names, if any.

        Officials also name a document by its type and bare number ("Công văn
        2458", "Kế hoạch số 28"): that counts when exactly one corpus document of
        that type carries that number.
        """
        for match in find_doc_numbers(query):
            document = self._by_number.get(doc_number_key(match.text))
            if document is not None:
                return document
        for type_word, number in _TYPE_AND_BARE_NUMBER.findall(folded_form(query)):
            type_word = DOC_TYPE_ABBREVIATIONS.get(type_word, type_word)
            same = self._by_type_and_bare_number.get((type_word, number), [])
            if len(same) == 1:
                return same[0]
        return None

    def lexical_ranking(self, query: str, depth: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
        return self.index.lexical.search(query, depth, allowed=mask)

    def encode_query(self, query: str) -> np.ndarray | None:
        """The query's embedding, or None without a dense index.

        The model is most of a query's cost: a caller that runs several searches
        for one request (a web page: facets, results, answer) encodes once and
        passes the vector on.
        """
        if self.embedder is None or self.index.vectors is None:
            return None
        return self.embedder.encode_queries([self.restore_accents(query)])[0]

    @property
    def accents(self) -> AccentRestorer:
        """The corpus's printed word forms, read on first use from at most ``ACCENT_SAMPLE`` passages
        (forms and pairs settle long before that; a large corpus would only cost memory)."""
        if self._accents is None:
            texts = self.index.search_texts
            step = max(1, len(texts) // ACCENT_SAMPLE)
            self._accents = AccentRestorer(texts[::step])
        return self._accents

    def restore_accents(self, query: str) -> str:
        """The query with its diacritics put back when typed without: the model reads those poorly
        (dense MRR@10 on our unaccented questions 0.21 → 0.66). Fusion still weighs the dense list
        as for an unaccented query: restored forms are guesses.

        Remembered per query: a web request encodes the query, then the answerer reads it again.
        """
        if has_diacritics(query):
            return query
        restored = self._restored.get(query)
        if restored is None:
            if len(self._restored) >= RESTORED_KEPT:
                self._restored.clear()
            restored = self._restored[query] = self.accents.restore(query)
        return restored

    def dense_ranking(self, query: str, depth: int, mask: np.ndarray | None,
                      vector: np.ndarray | None = None) -> list[tuple[int, float]]:
        if vector is None:
            vector = self.encode_query(query)
        if vector is None or self.index.vectors is None:
            return []
        return self.index.vectors.search(vector, depth, allowed=mask)

    def fuse(self, query: str, lexical: list[tuple[int, float]], dense: list[tuple[int, float]]) -> list[tuple[int, float]]:
        return fuse_rankings(query, lexical, dense, self.fusion, self.damaged_rows)

    # -- the query path --------------------------------------------------------------

    def ranked_rows(self, query: str, *, mode: str, filters: Filters | None, timings: dict[str, float],
                    query_vector: np.ndarray | None = None) -> list[tuple[int, float]]:
        mask = self.allowed_mask(filters)
        depth = self.fusion.depth
        started = time.perf_counter()
        lexical = self.lexical_ranking(query, depth, mask) if mode in ("hybrid", "lexical") else []
        timings["lexical_ms"] = (time.perf_counter() - started) * 1000
        check_deadline()
        started = time.perf_counter()
        dense = self.dense_ranking(query, depth, mask, query_vector) if mode in ("hybrid", "dense") else []
        timings["dense_ms"] = (time.perf_counter() - started) * 1000
        check_deadline()
        if mode == "lexical" or not dense:
            return lexical
        if mode == "dense" or not lexical:
            return dense
        return self.fuse(query, lexical, dense)

    def search(self, query: str, k: int = 10, *, filters: Filters | None = None, mode: str = "hybrid", offset: int = 0,
               query_vector: np.ndarray | None = None) -> SearchResult:
        """Top passages for a query; an exact document-number query puts that document first.

        ``query_vector`` is ``encode_query(query)`` when the caller already has it.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        started = time.perf_counter()
        timings: dict[str, float] = {}
        ranked = self.ranked_rows(query, mode=mode, filters=filters, timings=timings, query_vector=query_vector)
        exact = self.document_for_number(query)
        if exact is not None and (filters is None or filters.admits(exact, self.index.relations.status.get(exact.doc_id))):
            ranked = self._promote_document(ranked, exact, query)
        hits = [
            Hit(self.index.passages[row], self.index.document_of(self.index.passages[row]), score, row)
            for row, score in ranked[offset : offset + k]
        ]
        took = (time.perf_counter() - started) * 1000
        return SearchResult(query, hits, len(ranked), took, exact, mode, timings)

    def _promote_document(self, ranked: list[tuple[int, float]], document: Document, query: str) -> list[tuple[int, float]]:
        """Put the named document's best passages first; its header when the query is only the number."""
        rows = [i for i, p in enumerate(self.index.passages) if p.doc_id == document.doc_id]
        number_only = names_only_a_number(query)
        own_rows = set(rows)
        in_doc = [(row, score) for row, score in ranked if row in own_rows]
        if number_only or not in_doc:
            in_doc = [(rows[0], 0.0)] + [(r, s) for r, s in in_doc if r != rows[0]]
        top = max((s for _, s in ranked), default=1.0) + 1.0
        promoted = [(row, top + 1.0 / (i + 1)) for i, (row, _) in enumerate(in_doc)]
        chosen = {row for row, _ in promoted}
        return promoted + [(row, score) for row, score in ranked if row not in chosen]
