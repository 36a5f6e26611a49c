"""Which document a question names by its title rather than its number.

Officials say "Kế hoạch CCHC năm 2026 của Lâm Đồng", "dự thảo KH CCHC giai đoạn
2026–2030", "Thông báo kết luận hội nghị CCHC": a province issues several plans on
one subject each year, with rows in common, so the words that describe the document
decide which one answers. The phrase that starts at a document-type word is compared
with every document's type, title, issuer and years, both ways (what the question says
that the title lacks, and what the title says that the question leaves out); the best
document is used only when it wins clearly.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from indexer.normalise import folded_form
from indexer.records import Document
from indexer.vocabulary import PROVINCES, TOPIC_ABBREVIATIONS

PROVINCE_KEYS = frozenset(folded_form(p) for p in PROVINCES)

_TYPES = (
    "ke hoach", "kh", "quyet dinh", "qd", "cong van", "thong bao ket luan", "thong bao", "tb", "chi thi",
    "nghi quyet", "nq", "chuong trinh", "de an", "cong dien", "to trinh", "bao cao", "huong dan", "quy che",
)
_PHRASE = re.compile(r"\b(?:du thao\s+)?(?:" + "|".join(_TYPES) + r")\b[^,;:?!.()]{0,160}")
# Words that end a document's description in a question: what the question goes on to ask.
_ENDS = frozenset(
    "giao yeu dat thi co phai duoc de can se neu noi cho la da quy chi dao nhung cac ai nao bao gi "
    "khi neu thuc dua tren khong".split()
)
# "giao" (assign) ends a description, but not the words it starts folded: "giao thông", "giáo dục", "giao dịch"…
_GIAO_COMPOUNDS = frozenset("thong duc dich luu tiep vien trinh an khoan nhan hang ban".split())
_FUNCTION = frozenset("cua ve viec so tai trong nay do va cho voi theo".split())
# The best document must beat the next by this margin (F1 of the description against its title).
MIN_F1, MIN_MARGIN = 0.45, 0.1


def _tokens(folded: str) -> set[str]:
    out: set[str] = set()
    for word in re.findall(r"\w[\w/-]*", folded):
        span = re.fullmatch(r"((?:19|20)\d\d)-((?:19|20)\d\d)", word)
        for part in span.groups() if span else [word]:
            if part in TOPIC_ABBREVIATIONS:
                out.update(TOPIC_ABBREVIATIONS[part].split())
            elif part not in _FUNCTION:
                out.add(part)
    return out


def _description(question_folded: str) -> tuple[set[str], tuple[int, int]]:
    """The tokens of the document description in a question and where it stands in it."""
    best: set[str] = set()
    span = (0, 0)
    for m in _PHRASE.finditer(question_folded):
        words: list[str] = []
        split = m.group(0).split()
        for k, word in enumerate(split):
            compound = word == "giao" and k + 1 < len(split) and split[k + 1] in _GIAO_COMPOUNDS
            if words and word in _ENDS and not compound:
                break
            words.append(word)
        tokens = _tokens(" ".join(words))
        if len(tokens) > len(best):
            best = tokens
            end = m.start() + len(" ".join(words))
            span = (m.start(), end)
    return best, span


def described_phrase(question_folded: str) -> set[str]:
    """The tokens of the document description in a question ("kế hoạch cchc năm 2026 của lâm đồng")."""
    return _description(question_folded)[0]


def strip_description(question_folded: str) -> str:
    """The question without its description of a document: what it asks about that document."""
    start, end = _description(question_folded)[1]
    return f"{question_folded[:start]} {question_folded[end:]}" if end > start else question_folded


def _issuer_words(issuer: str) -> str:
    """An issuer as it tells documents apart: its province, else its name ("Thủ tướng Chính phủ")."""
    folded = folded_form(issuer)
    places = [p for p in PROVINCE_KEYS if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", folded)]
    return max(places, key=len) if places else folded


class DocumentTitles:
    """Every document's descriptive tokens, read once per index, weighted by how rare they are."""

    def __init__(self, documents: dict[str, Document]) -> None:
        self.tokens: dict[str, set[str]] = {}
        for doc_id, document in documents.items():
            meta = document.meta
            years = (meta.issued_date or "")[:4]
            issuer = _issuer_words(meta.issuer) if meta.issuer else ""
            described = " ".join(x for x in (meta.doc_type, meta.title, issuer, years) if x)
            self.tokens[doc_id] = _tokens(folded_form(described))
        n = max(1, len(self.tokens))
        counts = Counter(t for tokens in self.tokens.values() for t in tokens)
        self.weight = {t: math.log(1 + n / c) for t, c in counts.items()}

    def _mass(self, tokens: set[str]) -> float:
        return sum(self.weight.get(t, math.log(1 + len(self.tokens))) for t in tokens)

    def fit(self, question_folded: str, candidates: set[str] | None = None) -> dict[str, float]:
        """How far each document falls behind the best description match (0 for the best, negative
        for the others); empty when the question describes no document."""
        scores = self._scores(question_folded, candidates)
        if not scores or scores[0][0] < MIN_F1:
            return {}
        return {doc_id: f1 - scores[0][0] for f1, doc_id in scores}

    def named(self, question_folded: str, candidates: set[str] | None = None) -> str | None:
        """The document the question describes, when one fits clearly better than the rest."""
        scores = self._scores(question_folded, candidates)
        if not scores or scores[0][0] < MIN_F1:
            return None
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        return scores[0][1] if scores[0][0] - runner_up >= MIN_MARGIN else None

    def _scores(self, question_folded: str, candidates: set[str] | None) -> list[tuple[float, str]]:
        """(F1 of the question's document description against each title, doc id), best first."""
        phrase = described_phrase(question_folded)
        if len(phrase) < 3:
            return []
        scores: list[tuple[float, str]] = []
        phrase_mass = self._mass(phrase)
        for doc_id, title in self.tokens.items():
            if candidates is not None and doc_id not in candidates or not title:
                continue
            shared = self._mass(phrase & title)
            precision, recall = shared / phrase_mass, shared / self._mass(title)
            f1 = 2 * precision * recall / (precision + recall) if shared else 0.0
            scores.append((f1, doc_id))
        scores.sort(reverse=True)
        return scores
