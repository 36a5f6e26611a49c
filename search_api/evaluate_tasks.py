"""Task extraction against rows counted by hand (``tests/gold/tasks.json``).

For each document, every task row a person counted in its appendix tables is
looked for among the tasks the indexer extracts from the same file: a row is
found when an extracted table task starts with the row's task words, and its
lead is right when the extracted lead agencies are the labelled ones (compared
by :func:`indexer.agencies.agency_key`, so "Sở KH&CN" is "Sở Khoa học và Công nghệ").
Partners are compared the same way, and a deadline is right when one printed
form contains the other (folded, spaces squashed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.agencies import agency_key
from indexer.load import load_file
from indexer.normalise import comparable
from indexer.pipeline import parse_document
from indexer.records import Task

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold" / "tasks.json"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class TaskScore:
    """Counts for one document."""

    source: str
    split: str = "build"  # "heldout": labelled, unopened until the rules were frozen, by someone who had not seen them
    rows: int = 0
    found: int = 0
    lead_right: int = 0
    support_right: int = 0
    deadline_right: int = 0
    extracted: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.rows if self.rows else 0.0

    @property
    def lead_accuracy(self) -> float:
        return self.lead_right / self.found if self.found else 0.0

    @property
    def support_accuracy(self) -> float:
        return self.support_right / self.found if self.found else 0.0

    @property
    def deadline_accuracy(self) -> float:
        return self.deadline_right / self.found if self.found else 0.0



def _task_text(task: Task) -> str:
    return comparable(" ".join(x for x in (task.duty, task.objective, task.activities) if x))


def _same_agencies(gold: list[str], extracted: list[str]) -> bool:
    """Every labelled lead is an extracted one and nothing else leads (names compared by key)."""
    want = [agency_key(a) for a in gold]
    got = [agency_key(a) for a in extracted]

    def matches(a: str, b: str) -> bool:
        return bool(a) and bool(b) and (a == b or a in b or b in a)

    return all(any(matches(w, g) for g in got) for w in want) and all(any(matches(g, w) for w in want) for g in got)


def _same_deadline(gold: str | None, extracted: str | None) -> bool:
    want, got = comparable(gold or ""), comparable(extracted or "")
    return want == got or (bool(want) and bool(got) and (want in got or got in want))


def _path_of(entry: dict[str, Any], shared: Path, corpus: Path) -> Path:
    return (corpus if entry["where"] == "corpus" else shared / "vn-admin-docs" / "docs") / entry["source"]


def score_document(entry: dict[str, Any], shared: Path, corpus: Path) -> TaskScore:
    path = _path_of(entry, shared, corpus)
    document = parse_document(path, load_file(path, max_bytes=64 << 20))
    tasks = [t for t in document.tasks if t.origin == "table"]
    score = TaskScore(entry["source"], entry.get("split", "build"), extracted=len(tasks))
    used: set[str] = set()
    for table in entry["tables"]:
        for row in table["rows"]:
            score.rows += 1
            want = comparable(row["task"])
            match = next((t for t in tasks if t.task_id not in used and want and want in _task_text(t)), None)
            if match is None:
                score.misses.append(f"không thấy: STT {row.get('stt')} «{row['task'][:60]}»")
                continue
            used.add(match.task_id)
            score.found += 1
            if _same_agencies(row["lead"], match.lead):
                score.lead_right += 1
            else:
                score.misses.append(f"chủ trì sai: STT {row.get('stt')} {match.lead} ≠ {row['lead']}")
            if _same_agencies(row.get("support") or [], match.support):
                score.support_right += 1
            else:
                score.misses.append(f"phối hợp sai: STT {row.get('stt')} {match.support} ≠ {row.get('support')}")
            score.deadline_right += _same_deadline(row.get("deadline"), match.deadline)
    return score


def task_scores(shared: Path, corpus: Path, gold_path: Path = GOLD) -> list[TaskScore]:
    """Scores for every labelled document whose file is present."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    out: list[TaskScore] = []
    for entry in gold["documents"]:
        if _path_of(entry, shared, corpus).is_file():
            out.append(score_document(entry, shared, corpus))
    return out


def totals(scores: list[TaskScore], label: str = "tổng") -> TaskScore:
    total = TaskScore(label)
    for s in scores:
        total.rows += s.rows
        total.found += s.found
        total.lead_right += s.lead_right
        total.support_right += s.support_right
        total.deadline_right += s.deadline_right
        total.extracted += s.extracted
    return total


def print_task_report(scores: list[TaskScore], *, verbose: bool = False) -> None:
    print(f"Trích xuất nhiệm vụ từ bảng ({len(scores)} văn bản, số dòng đếm tay):")
    heldout = [s for s in scores if s.split == "heldout"]
    summary = [totals([s for s in scores if s.split != "heldout"], "tổng — tách xây dựng")]
    if heldout:
        summary.append(totals(heldout, "tổng — tách giữ lại"))
    for s in [*scores, *summary, totals(scores)]:
        mark = "*" if s.split == "heldout" else " "  # totals are always "build"
        print(f" {mark}{s.source[:48]:<48} dòng {s.rows:>4}  tìm thấy {s.found:>4} (recall {s.recall:.3f})  "
              f"chủ trì đúng {s.lead_right:>4} ({s.lead_accuracy:.3f})  phối hợp đúng {s.support_right:>4} "
              f"({s.support_accuracy:.3f})  thời hạn đúng {s.deadline_right:>4} ({s.deadline_accuracy:.3f})  "
              f"trích xuất {s.extracted}")
        if verbose and s.split != "heldout":  # a held-out row is never printed
            for miss in s.misses[:15]:
                print(f"      {miss}")
    if heldout:
        print("  (* tách giữ lại: không in chi tiết để khỏi viết luật theo nó)")
