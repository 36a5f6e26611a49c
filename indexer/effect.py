"""When a document takes effect, and which years a plan covers.

Luật Ban hành văn bản quy phạm pháp luật and Nghị định 30/2020/NĐ-CP put the
effect clause in the closing articles: "Quyết định này có hiệu lực (thi hành)
kể từ ngày ký / ban hành / ngày 01 tháng 7 năm 2025", "Luật này có hiệu lực thi
hành từ ngày 01/01/2017". "… này có hiệu lực" is the document speaking of itself;
a clause about another instrument ("Luật … có hiệu lực thi hành từ …" quoted in a
plan) is not its effect. Lines are hard-wrapped in many files, so the clause is
looked for in the text with line breaks read as spaces.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.doc_numbers import DOC_TYPE_NAMES
from indexer.metadata import DATE_BODY, iso_date
from indexer.normalise import fold, squash
from indexer.records import Effect

_CLAUSE = re.compile(r"\bco\s+hieu\s+luc(?:\s+thi\s+hanh)?(?:\s+ke)?\s+tu\b")
# The document itself as subject: "… này", or its bare type right before ("Nghị quyết có hiệu lực …").
_OWN_SUBJECT = re.compile(
    r"(?:\bnay|^\W*(?:" + "|".join(re.escape(fold(n)) for n in DOC_TYPE_NAMES) + r"))\W*$"
)
_SIGNING = re.compile(r"^\s*ngay\s+(?:ky|ban\s+hanh|thong\s+qua)\b")
_DATE = re.compile(rf"^\s*ngay\s*{DATE_BODY}")
# Where the clause's sentence starts: after ". ", ":", ";", a blank line or a list marker.
_SENTENCE_START = re.compile(r"(?:[.:;]\s|\n\s*\n|\*\*|\n\s*(?:\d+\.|[a-zđ]\))\s)")


@dataclass(frozen=True)
class EffectClause:
    """One "có hiệu lực … từ" clause: whether the document speaks of itself, and where."""

    own: bool
    line: int  # 1-based line of the words "có hiệu lực"
    sentence: str  # the sentence, whitespace squashed
    kind: str  # "date" | "signing" | "other"
    date: str | None


def effect_clauses(text: str) -> Iterator[EffectClause]:
    """Every effect clause of ``text`` in order."""
    flat = fold(text).replace("\n", " ")
    line_starts: list[int] | None = None
    for m in _CLAUSE.finditer(flat):
        if line_starts is None:  # most texts have one clause or none: count lines only when needed
            line_starts = [0] + [n.end() for n in re.finditer("\n", text)]
        head_start = max(0, m.start() - 200)
        starts = [s.end() for s in _SENTENCE_START.finditer(text, head_start, m.start())]
        start = starts[-1] if starts else head_start
        own = bool(_OWN_SUBJECT.search(flat[start : m.start()].rstrip())) or bool(
            re.search(r"\bnay\W*$", flat[max(0, m.start() - 30) : m.start()])
        )
        after = flat[m.end() : m.end() + 80]
        end_match = re.search(r"\.(?:\s|\*|$)|;|\n\s*\n", text[m.end() :])
        end = m.end() + (end_match.start() + 1 if end_match else len(text) - m.end())
        kind, date = "other", None
        if _SIGNING.match(after):
            kind = "signing"
        else:
            d = _DATE.match(after)
            if d and iso_date(d.group(1), d.group(2), d.group(3)):
                kind, date = "date", iso_date(d.group(1), d.group(2), d.group(3))
        sentence = squash(text[start:end]).strip(" -+*")
        yield EffectClause(own, bisect.bisect_right(line_starts, m.start()), sentence, kind, date)


def document_effect(text: str, issued_date: str | None) -> Effect | None:
    """The document's own effect clause as an ``Effect``; None when it states none."""
    own = next((c for c in effect_clauses(text) if c.own), None)
    if own is None:
        return None
    date = own.date if own.kind == "date" else issued_date if own.kind == "signing" else None
    return Effect(kind=own.kind, date=date, clause=own.sentence, line=own.line)


_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)(?!\d)")
_YEAR = re.compile(r"\bn[ăa]m\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE)


# Documents that run over a period; a decision's title naming a year names what it decides on.
_PLANNING = re.compile(r"\b(?:ke hoach|chuong trinh|chien luoc|de an|phuong an|quy hoach)\b")


def plan_period(title: str | None, doc_type: str | None) -> str | None:
    """The years a plan's title covers: "giai đoạn 2026 - 2030" → "2026–2030", "năm 2024" → "2024"."""
    if not title or not _PLANNING.search(fold(f"{doc_type or ''} {title}")):
        return None
    span = _PERIOD.search(title)
    if span and span.group(1) < span.group(2):
        return f"{span.group(1)}–{span.group(2)}"
    year = _YEAR.search(title)
    return year.group(1) if year else None
