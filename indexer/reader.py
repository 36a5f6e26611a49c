"""Open a built index for serving: documents, passages and both retrieval backends.

The API and the web site receive a ``LoadedIndex`` (never a path), so tests can
build a tiny one and a re-index can swap it without touching the views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from indexer.lexical import LexicalIndex
from indexer.pipeline import (
    DOCUMENTS,
    LEXICAL_DIR,
    MANIFEST,
    UNIT_VECTORS,
    UNITS,
    UNITS_LEXICAL_DIR,
    VECTORS,
    passage_search_text,
)
from indexer.records import Document, Passage, Task
from indexer.relations import RELATIONS, RelationGraph, build_graph
from indexer.units import Unit
from indexer.store import IndexUnavailable, read_json, resolve_index
from indexer.vector import VectorIndex


@dataclass
class LoadedIndex:
    """Everything a query needs, in memory."""

    path: Path
    manifest: dict[str, Any]
    documents: dict[str, Document]
    passages: list[Passage]
    lexical: LexicalIndex
    vectors: VectorIndex | None
    passage_row: dict[str, int] = field(default_factory=dict)
    search_texts: list[str] = field(default_factory=list)
    # Answer units (indexer.units): tasks and sentences, with their own lexical index and vectors.
    units: list[Unit] = field(default_factory=list)
    units_lexical: LexicalIndex | None = None
    unit_vectors: np.ndarray | None = None
    relations: RelationGraph = field(default_factory=RelationGraph)  # indexer.relations

    @property
    def model(self) -> str | None:
        return self.manifest.get("model")

    def document_of(self, passage: Passage) -> Document:
        return self.documents[passage.doc_id]

    def all_tasks(self) -> list[Task]:
        return [t for d in self.documents.values() for t in d.tasks]


def open_index(index_dir: Path) -> LoadedIndex:
    """Load the served build; ``IndexUnavailable`` with a clear message if it is missing or broken."""
    target = resolve_index(index_dir)
    try:
        manifest = read_json(target / MANIFEST)
        documents = [Document.from_dict(d) for d in read_json(target / DOCUMENTS)]
        lexical = LexicalIndex.load(target / LEXICAL_DIR)
        vectors = VectorIndex.load(target / VECTORS) if (target / VECTORS).exists() else None
        units = [Unit(**u) for u in read_json(target / UNITS)] if (target / UNITS).exists() else []
        units_lexical = LexicalIndex.load(target / UNITS_LEXICAL_DIR) if units else None
        unit_vectors = np.load(target / UNIT_VECTORS) if units and (target / UNIT_VECTORS).exists() else None
        by_id = {d.doc_id: d for d in documents}
        # An index built before the graph existed gets it from its documents' references.
        relations = (RelationGraph.load(read_json(target / RELATIONS), by_id) if (target / RELATIONS).exists()
                     else build_graph(documents))
    except IndexUnavailable:
        raise
    except Exception as exc:  # any damaged file means the same thing to the user
        raise IndexUnavailable(
            f"Chỉ mục tại '{index_dir}' bị hỏng ({type(exc).__name__}: {exc}). Hãy chạy lại 'tracuu index'."
        ) from exc
    passages = [p for d in documents for p in d.passages]
    unit_counts = {len(units), len(units_lexical) if units_lexical else 0,
                   len(unit_vectors) if unit_vectors is not None else len(units)}
    if len(lexical) != len(passages) or (vectors is not None and len(vectors) != len(passages)) or \
            len(unit_counts) > 1:
        raise IndexUnavailable(
            f"Chỉ mục tại '{index_dir}' không nhất quán (số đoạn văn khác nhau giữa các tệp). "
            "Hãy chạy lại 'tracuu index'."
        )
    return LoadedIndex(
        path=target,
        manifest=manifest,
        documents=by_id,
        passages=passages,
        lexical=lexical,
        vectors=vectors,
        passage_row={p.passage_id: i for i, p in enumerate(passages)},
        search_texts=[passage_search_text(by_id[p.doc_id], p) for p in passages],
        units=units,
        units_lexical=units_lexical,
        unit_vectors=unit_vectors,
        relations=relations,
    )
