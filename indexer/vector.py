"""Dense retrieval over L2-normalised float32 embeddings with FAISS (inner product = cosine).

Up to ``FLAT_MAX_ROWS`` rows the index is exact (``IndexFlatIP``); above it,
``IndexHNSWFlat`` with ``METRIC_INNER_PRODUCT``. The threshold is where the
exact index's single-query p95 latency passes ~20 ms on the 2-core dev machine
(table above ``FLAT_MAX_ROWS``). Serving processes should call
``set_search_threads(1)`` once: see there.

Filters: ``allowed`` is a boolean mask over rows, applied *inside* FAISS with an
``IDSelectorBitmap`` (``SearchParameters(sel=...)``), never by over-fetching.
Exact search over the allowed rows costs about ``allowed rows × dim``, so when
the allowed rows are few enough (≤ ``FLAT_MAX_ROWS``) even an HNSW index
answers exactly from its flat storage; with more allowed rows HNSW searches
with the selector and a larger ``efSearch``, and falls back to the exact path
when it returns fewer than ``k`` rows.

Callers use the ``VectorSearcher`` protocol; row ids are positions in the
embedding matrix the index was built from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol, runtime_checkable

import faiss
import numpy as np

FORMAT = "vector-faiss-ip/1"

# Exact (IndexFlatIP) single-query latency, 384-d, k=10, on the 2-core dev
# machine with FAISS at 1 OpenMP thread (``set_search_threads(1)``):
#
#     rows      10k    50k   100k   150k   200k   300k   400k
#     p50 ms   0.27   2.86   5.67   9.05   11.6   18.5   24.0
#     p95 ms   0.46   3.10   6.93   11.6   15.7   19.3   25.5
#
# p95 passes 20 ms just above 300k rows. (With FAISS's default 2 threads an
# exact search pays 8-25 ms of OpenMP hand-off on this VM: p95 24 ms at 50k.)
FLAT_MAX_ROWS = 300_000
# HNSW single-query latency is 0.2-0.6 ms at efSearch 32-128 and 3-4 ms at 512
# (200k-400k rows). Recall@10 against exact search depends on the data: 0.995+
# at efSearch >= 32 on clustered embedding-like vectors, but on harder (less
# clustered) sets 0.78/0.86/0.93/0.97 at efSearch 64/128/256/512 (and 0.89 at
# 512 on the hardest set tried). efSearch=512 keeps recall high well inside the
# 20 ms budget; efConstruction 200 instead of 128 added ~0.03 recall for ~2x
# build time (400k rows build in ~4 min at 128 on 2 cores).
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 128
HNSW_EF_SEARCH = 512
HNSW_EF_MAX = 4096  # cap on the efSearch raised for filtered HNSW searches


@runtime_checkable
class VectorSearcher(Protocol):
    """What the answerer and the API need from a dense index."""

    def search(
        self, vec: np.ndarray, k: int, *, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (row id, cosine similarity), best first; rows with allowed False excluded."""
        ...


def set_search_threads(n: int = 1) -> None:
    """Set FAISS's OpenMP thread count for this process (a process-wide setting).

    Call with 1 at API start-up: one query at a time gains nothing from a second
    thread on the 2-core machine, and the OpenMP hand-off costs 8-25 ms per
    exact search there (measured: 100k rows, p50 6 ms with 1 thread, 24 ms with
    2). Index builds (HNSW ``add``) do use all threads; leave the default there.
    """
    faiss.omp_set_num_threads(int(n))


def l2_normalised(vectors: np.ndarray) -> np.ndarray:
    """A float32, C-contiguous, row-wise L2-normalised copy (zero rows stay zero)."""
    x = np.array(vectors, dtype=np.float32, order="C", copy=True)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise ValueError(f"expected a 2-d array of vectors, got shape {x.shape}")
    faiss.normalize_L2(x)
    return x


class VectorIndex:
    """A FAISS inner-product index, flat or HNSW, with mask filtering."""

    def __init__(self, index: faiss.Index):
        self.index = index
        hnsw = faiss.downcast_index(index)
        self.kind = "hnsw" if isinstance(hnsw, faiss.IndexHNSW) else "flat"
        self._flat = (
            faiss.downcast_index(hnsw.storage) if self.kind == "hnsw" else faiss.downcast_index(index)
        )
        self.ef_search = int(hnsw.hnsw.efSearch) if self.kind == "hnsw" else 0

    # -- building -----------------------------------------------------------

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        *,
        kind: str = "auto",
        flat_max_rows: int = FLAT_MAX_ROWS,
        m: int = HNSW_M,
        ef_construction: int = HNSW_EF_CONSTRUCTION,
        ef_search: int = HNSW_EF_SEARCH,
        progress: bool = False,
    ) -> VectorIndex:
        """Index ``vectors`` (n × d; normalised here); ``kind`` is "auto", "flat" or "hnsw"."""
        x = l2_normalised(vectors)
        n, d = x.shape
        if kind == "auto":
            kind = "flat" if n <= flat_max_rows else "hnsw"
        if kind == "flat":
            index = faiss.IndexFlatIP(d)
        elif kind == "hnsw":
            index = faiss.IndexHNSWFlat(d, m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction
            index.hnsw.efSearch = ef_search
            index.verbose = progress
        else:
            raise ValueError(f"unknown vector index kind {kind!r}")
        index.add(x)
        return cls(index)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    @property
    def dim(self) -> int:
        return int(self.index.d)

    # -- querying -----------------------------------------------------------

    def search(
        self, vec: np.ndarray, k: int, *, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (row id, inner product with the normalised query), best first."""
        q = l2_normalised(vec)
        if q.shape != (1, self.dim):
            raise ValueError(f"expected one {self.dim}-d vector, got shape {np.shape(vec)}")
        n = len(self)
        k = min(k, n)
        if k <= 0:
            return []
        if allowed is None:
            params = faiss.SearchParametersHNSW(efSearch=max(self.ef_search, k)) if self.kind == "hnsw" else None
            return _pairs(*self._search(self.index, q, k, params))
        allowed = np.asarray(allowed, dtype=bool)
        if allowed.shape != (n,):
            raise ValueError(f"allowed mask has shape {allowed.shape}, index has {n} rows")
        n_allowed = int(allowed.sum())
        if n_allowed == 0:
            return []
        k = min(k, n_allowed)
        # The selector must outlive the search: keep the bitmap and selector referenced.
        bitmap = np.packbits(allowed, bitorder="little")
        selector = faiss.IDSelectorBitmap(bitmap)
        if self.kind == "hnsw" and n_allowed > FLAT_MAX_ROWS:
            ef = min(HNSW_EF_MAX, max(self.ef_search, k) * min(8, max(1, round(n / n_allowed))))
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=ef)
            D, I = self._search(self.index, q, k, params)
            if (I[0] >= 0).sum() >= k:
                return _pairs(D, I)
        # Exact over the allowed rows (the HNSW index's own flat storage when HNSW).
        D, I = self._search(self._flat, q, k, faiss.SearchParameters(sel=selector))
        return _pairs(D, I)

    @staticmethod
    def _search(index: faiss.Index, q: np.ndarray, k: int, params) -> tuple[np.ndarray, np.ndarray]:
        if params is None:
            return index.search(q, k)
        return index.search(q, k, params=params)

    # -- persistence --------------------------------------------------------

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self.index, str(directory / "vectors.faiss"))
        meta = {"format": FORMAT, "kind": self.kind, "rows": len(self), "dim": self.dim,
                "ef_search": self.ef_search}
        (directory / "vector.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> VectorIndex:
        directory = Path(directory)
        meta = json.loads((directory / "vector.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{directory}: unknown vector index format {meta.get('format')!r}")
        index = cls(faiss.read_index(str(directory / "vectors.faiss")))
        if len(index) != meta["rows"] or index.dim != meta["dim"] or index.kind != meta["kind"]:
            raise ValueError(f"{directory}: index does not match its metadata {meta}")
        if index.kind == "hnsw":
            faiss.downcast_index(index.index).hnsw.efSearch = int(meta["ef_search"])
            index.ef_search = int(meta["ef_search"])
        return index


def _pairs(D: np.ndarray, I: np.ndarray) -> list[tuple[int, float]]:
    return [(int(i), float(s)) for i, s in zip(I[0], D[0]) if i >= 0]
