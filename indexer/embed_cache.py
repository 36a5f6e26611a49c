"""Embeddings cached by content, outside the checkout, so nothing is encoded twice.

Encoding is most of an index build on a 2-core machine (about 24 passages a
second). Every vector is stored under the hash of the model name and the exact
text encoded, in one SQLite file beside the converted model
(``~/.cache/tracuu/embeddings.sqlite``): a re-index, another checkout, the test
suite and ``tracuu eval`` encode only what they have never seen.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vec BLOB NOT NULL)"
_CHUNK = 500  # SQLite's limit on bound parameters is 999 on old builds


def content_key(model: str, text: str) -> str:
    """The cache key of one text under one model."""
    return hashlib.sha1(f"{model}\n{text}".encode()).hexdigest()


class EmbeddingCache:
    """A key → vector store; any failure to read or write it only costs re-encoding."""

    def __init__(self, path: Path) -> None:
        self.path = path.expanduser()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(_SCHEMA)
        return connection

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        try:
            with self._connect() as connection:
                for start in range(0, len(keys), _CHUNK):
                    chunk = keys[start : start + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    for key, dim, blob in connection.execute(
                        f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", chunk
                    ):
                        found[key] = np.frombuffer(blob, dtype=np.float32, count=dim)
        except (sqlite3.Error, OSError) as exc:
            log.warning("Không đọc được bộ nhớ đệm vector %s (%s); sẽ mã hoá lại.", self.path, exc)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        try:
            with self._connect() as connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO vectors (key, dim, vec) VALUES (?, ?, ?)",
                    [(k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
                )
        except (sqlite3.Error, OSError) as exc:
            log.warning("Không ghi được bộ nhớ đệm vector %s (%s).", self.path, exc)


def encode_cached(
    texts: list[str],
    model: str,
    dim: int,
    encode: Callable[[list[str]], np.ndarray],
    cache: EmbeddingCache | None,
    known: dict[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, list[str], int, float]:
    """Vectors of ``texts``: from ``known`` (the served index), the cache, else ``encode``.

    Returns the matrix, the keys, how many were newly encoded and the seconds spent encoding.
    """
    keys = [content_key(model, t) for t in texts]
    found = dict(known or {})
    missing_keys = [k for k in dict.fromkeys(keys) if k not in found]
    if cache is not None and missing_keys:
        found.update(cache.get_many(missing_keys))
    matrix = np.zeros((len(texts), dim), dtype=np.float32)
    todo = [i for i, k in enumerate(keys) if k not in found]
    seconds = 0.0
    if todo:
        unique_todo = list({keys[i]: i for i in todo}.values())
        started = time.perf_counter()
        vectors = encode([texts[i] for i in unique_todo])
        seconds = time.perf_counter() - started
        fresh = {keys[i]: vectors[n] for n, i in enumerate(unique_todo)}
        found.update(fresh)
        if cache is not None:
            cache.put_many(fresh)
    for i, key in enumerate(keys):
        matrix[i] = found[key]
    return matrix, keys, len(todo), seconds
