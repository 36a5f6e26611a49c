from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer import vector
from indexer.vector import VectorIndex, VectorSearcher, l2_normalised

N, D = 1500, 32


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(30, D))
    x = centers[rng.integers(0, 30, N)] + 0.5 * rng.normal(size=(N, D))
    queries = x[rng.choice(N, 40, replace=False)] + 0.05 * rng.normal(size=(40, D))
    return x.astype(np.float32), queries.astype(np.float32)


@pytest.fixture(scope="module")
def flat(data) -> VectorIndex:
    return VectorIndex.build(data[0], kind="flat")


@pytest.fixture(scope="module")
def hnsw(data) -> VectorIndex:
    return VectorIndex.build(data[0], kind="hnsw")


def exact(x: np.ndarray, q: np.ndarray, k: int, allowed=None) -> list[int]:
    s = l2_normalised(x) @ l2_normalised(q)[0]
    if allowed is not None:
        s = np.where(allowed, s, -np.inf)
    order = np.argsort(-s, kind="stable")[:k]
    return [int(i) for i in order if np.isfinite(s[i])]


def test_kinds_and_protocol(flat, hnsw, data):
    assert flat.kind == "flat" and hnsw.kind == "hnsw"
    assert isinstance(flat, VectorSearcher) and isinstance(hnsw, VectorSearcher)
    assert len(hnsw) == N and hnsw.dim == D
    assert VectorIndex.build(data[0][:50]).kind == "flat"
    assert VectorIndex.build(data[0][:50], flat_max_rows=10).kind == "hnsw"


def test_flat_is_exact_cosine(flat, data):
    x, queries = data
    for q in queries[:10]:
        hits = flat.search(q, 5)
        assert [i for i, _ in hits] == exact(x, q, 5)
        assert all(-1.0001 <= s <= 1.0001 for _, s in hits)
    row = flat.search(x[7] * 3.0, 1)[0]  # unnormalised query
    assert row[0] == 7 and row[1] == pytest.approx(1.0, abs=1e-5)


def test_flat_and_hnsw_agree_on_top1(flat, hnsw, data):
    _, queries = data
    for q in queries:
        assert flat.search(q, 1)[0][0] == hnsw.search(q, 1)[0][0]


def test_allowed_mask(flat, hnsw, data):
    x, queries = data
    rng = np.random.default_rng(1)
    for frac in (0.5, 0.05):
        mask = rng.random(N) < frac
        for q in queries[:10]:
            want = exact(x, q, 5, mask)
            assert [i for i, _ in flat.search(q, 5, allowed=mask)] == want
            assert [i for i, _ in hnsw.search(q, 5, allowed=mask)] == want
    assert flat.search(queries[0], 5, allowed=np.zeros(N, bool)) == []
    one = np.zeros(N, bool)
    one[123] = True
    assert [i for i, _ in hnsw.search(queries[0], 5, allowed=one)] == [123]
    with pytest.raises(ValueError):
        flat.search(queries[0], 5, allowed=np.ones(10, bool))


def test_hnsw_with_selector_when_many_rows_allowed(hnsw, data, monkeypatch):
    # Force the HNSW+selector path (normally only above FLAT_MAX_ROWS allowed rows).
    monkeypatch.setattr(vector, "FLAT_MAX_ROWS", 10)
    x, queries = data
    mask = np.arange(N) % 3 != 0
    for q in queries[:10]:
        hits = [i for i, _ in hnsw.search(q, 5, allowed=mask)]
        assert all(mask[i] for i in hits) and len(hits) == 5
        assert hits[0] == exact(x, q, 1, mask)[0]


def test_bad_inputs(flat):
    with pytest.raises(ValueError):
        flat.search(np.ones(D + 1, np.float32), 3)
    assert flat.search(np.ones(D, np.float32), 0) == []
    assert len(flat.search(np.ones(D, np.float32), N + 10)) == N


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_save_load_round_trip(kind, flat, hnsw, data, tmp_path: Path):
    index = flat if kind == "flat" else hnsw
    index.save(tmp_path / kind)
    loaded = VectorIndex.load(tmp_path / kind)
    assert loaded.kind == kind and len(loaded) == N and loaded.ef_search == index.ef_search
    mask = np.arange(N) % 2 == 0
    for q in data[1][:10]:
        assert loaded.search(q, 10) == index.search(q, 10)
        assert loaded.search(q, 10, allowed=mask) == index.search(q, 10, allowed=mask)
