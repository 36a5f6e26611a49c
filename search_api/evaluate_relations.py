"""Relation extraction and effect dates against relations labelled by hand (``tests/gold/relations.json``).

Each labelled document is read and parsed as the indexer parses it. A relation
"this document → target" is found when the document has a reference of the same
type naming the same instrument: the same number (``doc_number_key``) or, for a
law named without its number, the same name (``indexer.relations.law_key``).

* recall of a type: labelled relations of that type that were found, over all
  labelled relations of that type;
* precision of a type: extracted relations of that type that are labelled, over
  the extracted ones — counted only in documents whose ``types_complete`` says
  the type was labelled exhaustively there;
* effect date: the kind ("date", "signing", "none") and, for "date", the day.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.doc_numbers import LAW_TYPES, find_doc_numbers
from indexer.load import LoadError, load_file
from indexer.pipeline import parse_document
from indexer.records import RELATION_TYPES, Document, Reference
from indexer.relations import citation_keys

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold" / "relations.json"
COLLECTIONS = {"vn-admin-docs": ("vn-admin-docs", "docs"), "vlc-laws": ("vlc-laws",)}
_LAW_NAME = re.compile(r"^\s*(?:" + "|".join(LAW_TYPES) + r")\b")


def target_keys(target: str) -> set[str]:
    """How a printed target is matched: its number's key, else its name's key ("name:luat dat dai")."""
    numbers = find_doc_numbers(target)
    if numbers:
        return citation_keys(numbers[0].number, None)
    # A law, or another instrument known by its name alone ("Đề án 06"): matched by name as references are.
    return citation_keys(None, target)


def reference_keys(reference: Reference) -> set[str]:
    """The keys an extracted reference answers to: its number and, for a law, its name."""
    return citation_keys(reference.number, reference.name)


def effect_kind(document: Document) -> tuple[str, str | None]:
    """("date" | "signing" | "none", ISO date) as the gold set writes it; a clause tied to another event is "none"."""
    effect = document.effect
    if effect is None or effect.kind == "other":
        return "none", None
    return effect.kind, effect.date if effect.kind == "date" else None


@dataclass
class RelationScores:
    """Counts over the gold set, by relation type."""

    documents: int = 0
    missing: list[str] = field(default_factory=list)
    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    extracted: Counter[str] = field(default_factory=Counter)  # only where the type is labelled completely
    correct: Counter[str] = field(default_factory=Counter)
    effect_total: int = 0
    effect_right: int = 0
    misses: list[str] = field(default_factory=list)  # build-split and law documents only (never held-out text)
    extras: list[str] = field(default_factory=list)

    def recall(self, kind: str | None = None) -> float | None:
        gold = sum(self.gold.values()) if kind is None else self.gold[kind]
        found = sum(self.found.values()) if kind is None else self.found[kind]
        return found / gold if gold else None

    def precision(self, kind: str | None = None) -> float | None:
        extracted = sum(self.extracted.values()) if kind is None else self.extracted[kind]
        correct = sum(self.correct.values()) if kind is None else self.correct[kind]
        return correct / extracted if extracted else None

    @property
    def effect_accuracy(self) -> float | None:
        return self.effect_right / self.effect_total if self.effect_total else None


def score_document(label: dict[str, Any], document: Document, scores: RelationScores, *, show: bool = True) -> None:
    """Add one labelled document's counts to ``scores``; ``show=False`` keeps its details out of the lists."""
    extracted = [(kind, ref) for ref in document.references for kind in ref.relation_types]
    labelled = [(r["type"], target_keys(r["target"]), r) for r in label.get("relations", [])]
    complete = set(label.get("types_complete", []))
    for kind, keys, relation in labelled:
        scores.gold[kind] += 1
        if any(k == kind and keys & reference_keys(ref) for k, ref in extracted):
            scores.found[kind] += 1
        elif show:
            scores.misses.append(f"{label['source']}: {kind} → {relation['target']}")
    for kind, ref in extracted:
        if kind not in complete:
            continue
        scores.extracted[kind] += 1
        if any(k == kind and keys & reference_keys(ref) for k, keys, _ in labelled):
            scores.correct[kind] += 1
        elif show:
            scores.extras.append(f"{label['source']}: {kind} → {ref.mention}")
    effective = label.get("effective")
    if effective:
        scores.effect_total += 1
        kind, date = effect_kind(document)
        if kind == effective.get("kind") and (kind != "date" or date == effective.get("date")):
            scores.effect_right += 1


def score_gold(gold: dict[str, Any], shared: Path) -> RelationScores:
    """Parse every labelled document from ``shared`` and score it."""
    scores = RelationScores()
    heldout = _heldout()
    for label in gold.get("documents", []):
        path = shared.joinpath(*COLLECTIONS.get(label.get("collection", ""), ("?",))) / label["source"]
        try:
            document = parse_document(path, load_file(path, max_bytes=64 * 1_048_576))
        except (LoadError, OSError) as exc:
            scores.missing.append(f"{label['source']}: {exc}")
            continue
        scores.documents += 1
        score_document(label, document, scores, show=label["source"] not in heldout)
    return scores


def _heldout() -> set[str]:
    """Held-out vn-admin-docs files: scored, but their misses are never listed (their text stays unseen)."""
    split = GOLD.parent / "vn_admin_split.json"
    return set(json.loads(split.read_text(encoding="utf-8")).get("heldout", [])) if split.is_file() else set()


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def print_relation_report(scores: RelationScores, *, title: str, verbose: bool = False) -> None:
    """Precision and recall per type, overall, and effect-date accuracy (aggregates only)."""
    print(f"Quan hệ văn bản — {title} ({scores.documents} văn bản gán nhãn tay, {sum(scores.gold.values())} quan hệ):")
    print(f"  {'loại':<14} {'nhãn':>5} {'độ phủ':>8} {'trích':>6} {'chính xác':>10}")
    for kind in RELATION_TYPES:
        if scores.gold[kind] or scores.extracted[kind]:
            print(f"  {kind:<14} {scores.gold[kind]:>5} {_fmt(scores.recall(kind)):>8} "
                  f"{scores.extracted[kind]:>6} {_fmt(scores.precision(kind)):>10}")
    print(f"  {'tổng':<14} {sum(scores.gold.values()):>5} {_fmt(scores.recall()):>8} "
          f"{sum(scores.extracted.values()):>6} {_fmt(scores.precision()):>10}")
    print(f"  ngày có hiệu lực: {_fmt(scores.effect_accuracy)} ({scores.effect_right}/{scores.effect_total})")
    for line in scores.missing:
        print(f"  không đọc được: {line}")
    if verbose:
        for line in scores.misses:
            print(f"  thiếu: {line}")
        for line in scores.extras:
            print(f"  thừa: {line}")


# The rules were written on the laws and the build split; the held-out documents were
# labelled by a person who had not seen the rules, and their misses are never listed.
PARTS = {"dev": "luật và phần xây dựng của vn-admin-docs", "heldout": "phần giữ lại của vn-admin-docs (chưa mở)"}


def part_of(label: dict[str, Any], heldout: set[str]) -> str:
    return "heldout" if label.get("collection") == "vn-admin-docs" and label["source"] in heldout else "dev"


def score_parts(gold: dict[str, Any], shared: Path) -> dict[str, RelationScores]:
    """Scores of each part of the gold set (see ``PARTS``), and of all of it under "all"."""
    heldout = _heldout()
    labels = gold.get("documents", [])
    parts = {name: score_gold({"documents": [l for l in labels if part_of(l, heldout) == name]}, shared)
             for name in PARTS}
    parts["all"] = combined(list(parts.values()))
    return parts


def combined(parts: list[RelationScores]) -> RelationScores:
    """The counts of several parts added together (details lists included)."""
    total = RelationScores()
    for part in parts:
        total.documents += part.documents
        total.missing += part.missing
        total.misses += part.misses
        total.extras += part.extras
        total.effect_total += part.effect_total
        total.effect_right += part.effect_right
        for counter in ("gold", "found", "extracted", "correct"):
            getattr(total, counter).update(getattr(part, counter))
    return total


def run_relation_evaluation(shared: Path, *, gold_path: Path = GOLD, verbose: bool = False) -> RelationScores | None:
    """The report of ``tracuu eval`` when the gold file exists; None (and a note) when it does not."""
    if not gold_path.is_file():
        print(f"Bỏ qua quan hệ văn bản: chưa có {gold_path.name}.")
        return None
    parts = score_parts(json.loads(gold_path.read_text(encoding="utf-8")), shared)
    for name, title in PARTS.items():
        print_relation_report(parts[name], title=title, verbose=verbose and name == "dev")
    print_relation_report(parts["all"], title="tất cả")
    return parts["all"]
