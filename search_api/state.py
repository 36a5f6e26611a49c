"""The served index, held behind one reference that a re-index swaps atomically.

Requests read ``state.current()`` once and use that snapshot to the end, so a
swap in the middle of a request never mixes two indexes. The embedding model is
loaded once and kept across swaps (it is the slow part of start-up).

When the newest generation fails to open or its checksums do not match, the
previous good generation still on disk is served instead and ``degraded`` says
why, so a damaged file reaches nobody as an error page.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.embed import Embedder, load_embedder
from indexer.pipeline import BuildReport, build_index
from indexer.reader import LoadedIndex, open_index
from indexer.settings import OFFLINE_MODEL, Settings
from indexer.store import IndexUnavailable, clean_orphaned_partials, generations
from search_api.answer import Answerer
from search_api.search import Searcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Served:
    """One consistent snapshot: an index with the searcher and answerer built on it."""

    index: LoadedIndex
    searcher: Searcher
    answerer: Answerer


def embedder_factory(settings: Settings) -> Callable[[], Embedder] | None:
    """How to get the configured embedding model; None when dense search is off."""
    if not settings.dense:
        return None

    def make() -> Embedder:
        if settings.model == OFFLINE_MODEL:
            return load_embedder(OFFLINE_MODEL, query_engine=settings.query_engine)
        return load_embedder(
            settings.model,
            segment_with_pyvi=settings.model_pyvi,
            query_prompt=settings.model_query_prompt,
            passage_prompt=settings.model_passage_prompt,
            query_engine=settings.query_engine,
        )

    return make


class IndexState:
    """Owns the current ``Served`` snapshot and rebuilds it on demand."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._served: Served | None = None
        self._error: str | None = None
        self._degraded: str | None = None
        self._started = False
        self._swap_lock = threading.Lock()
        self._build_lock = threading.Lock()
        self.building = False
        self.last_build: BuildReport | None = None
        self.last_build_error: str | None = None  # the last re-index's failure, for /metrics

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def degraded(self) -> str | None:
        """Why an older generation is served instead of the newest (None when all is well)."""
        return self._degraded

    def embedder(self) -> Embedder | None:
        factory = embedder_factory(self.settings)
        if factory is None:
            return None
        if self._embedder is None:
            self._embedder = factory()
        return self._embedder

    def _open(self, folder: Path) -> Served:
        """Open one generation (``folder`` or the link to it) and warm it up; ``IndexUnavailable`` if broken."""
        index = open_index(folder)
        embedder = self.embedder() if index.vectors is not None else None
        if embedder is not None and index.model and index.model != embedder.name:
            raise IndexUnavailable(
                f"Chỉ mục được lập với mô hình '{index.model}', nhưng cấu hình đang dùng '{embedder.name}'. "
                "Hãy chạy lại 'tracuu index'."
            )
        searcher = Searcher(index, embedder)
        answerer = Answerer(searcher)
        answerer.coverage.idf()  # warm up (IDF table, pyvi model) so the first user does not wait
        searcher.accents  # noqa: B018 — the accent table: 8 s on 27k passages for the first unaccented query
        searcher.search("khởi động", k=1)
        return Served(index, searcher, answerer)

    def _fallback(self) -> Served | None:
        """The newest older generation that opens cleanly, if any."""
        index_dir = self.settings.index_dir
        newest = index_dir.resolve() if index_dir.exists() else None
        for generation in generations(index_dir):
            if generation.resolve() == newest:
                continue
            try:
                return self._open(generation)
            except IndexUnavailable as exc:
                log.error("Thế hệ chỉ mục %s cũng không dùng được: %s", generation.name, exc)
        return None

    def load(self) -> None:
        """(Re)open the index on disk and swap it in; keep the old one if that fails.

        At start-up, ``.partial`` folders left by a killed build are removed first.
        """
        if not self._started:
            self._started = True
            removed = clean_orphaned_partials(self.settings.index_dir)
            if removed:
                log.warning("Đã xoá %d bản lập chỉ mục dở: %s", len(removed), ", ".join(removed))
        degraded = None
        try:
            served = self._open(self.settings.index_dir)
        except IndexUnavailable as exc:
            log.error("%s", exc)
            fallback = self._fallback()
            if fallback is None:
                self._error = str(exc)
                if self._served is None:
                    return
                raise
            served = fallback
            degraded = (f"Thế hệ chỉ mục mới nhất không dùng được ({exc}); đang phục vụ thế hệ trước "
                        f"'{fallback.index.path.name}'. Hãy lập lại chỉ mục.")
            log.error("%s", degraded)
        with self._swap_lock:
            self._served = served
            self._error = None
            self._degraded = degraded

    def current(self) -> Served:
        served = self._served
        if served is None:
            raise IndexUnavailable(self._error or "Chỉ mục chưa được nạp.")
        return served

    def reindex(self) -> BuildReport:
        """Build beside the served index, then swap; queries keep using the old one meanwhile."""
        if not self._build_lock.acquire(blocking=False):
            raise IndexUnavailable("Đang lập lại chỉ mục; hãy thử lại sau.")
        try:
            self.building = True
            factory = embedder_factory(self.settings)
            try:
                report = build_index(self.settings, (lambda: self.embedder()) if factory else None, progress=False)
                self.load()
                if self._degraded:  # the new generation was published but does not open
                    raise IndexUnavailable(self._degraded)
            except Exception as exc:
                self.last_build_error = str(exc) or type(exc).__name__
                raise
            self.last_build, self.last_build_error = report, None
            return report
        finally:
            self.building = False
            self._build_lock.release()
