"""Which documents a question is about when it names a place or an issuer.

"Ở Lâm Đồng, …", "Đồng Tháp giao sở nào …", "Thủ tướng giao bộ nào …": several
documents answer similar questions for different provinces, so a question that
names a province is answered from that province's documents, and one that names
the assigning issuer from that issuer's. A province with no document in the
corpus can only be answered by evidence that names it itself (a central decision
listing provinces); otherwise the answer is "không tìm thấy", never another
province's figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.normalise import folded_form
from indexer.records import Document
from indexer.vocabulary import CENTRAL_ISSUERS, PLACE_ALIASES, PROVINCES

_PLACES = {folded_form(p): p for p in PROVINCES}
_ALL_PLACE_FORMS = sorted({**{k: k for k in _PLACES}, **PLACE_ALIASES}.items(), key=lambda kv: -len(kv[0]))
_ASSIGNING = r"(?:giao|yeu cau|de nghi|chi dao|ban hanh|phe duyet|quyet dinh|chu truong)"
_ISSUER_FORMS = sorted(CENTRAL_ISSUERS.items(), key=lambda kv: -len(kv[0]))
# Verbs whose object is the issuer as recipient: "trình Chính phủ ban hành …", "đề xuất Thủ
# tướng phê duyệt …" describe a task addressed to it, not the issuer who assigned it.
_ADDRESSED_TO = re.compile(r"\b(?:trinh|de xuat|bao cao|tham muu|kien nghi|de nghi|giup|xin y kien)\s*$")


@dataclass(frozen=True)
class Scope:
    """The documents a question is about, and how to name them in the answer."""

    label: str  # "Lâm Đồng", "Thủ tướng Chính phủ"
    kind: str  # "place" | "issuer"
    docs: frozenset[str]
    needle: str  # folded name an evidence text may carry to count although its document is elsewhere

    def admits(self, doc_id: str, evidence_folded: str = "") -> bool:
        return doc_id in self.docs or (self.kind == "place" and f" {self.needle} " in f" {evidence_folded} ")


def _words(text: str) -> str:
    return " " + re.sub(r"[^\w&.\- ]+", " ", text).replace("-", " - ") + " "


class ScopeFinder:
    """Places and issuers of the corpus documents, read once per index."""

    def __init__(self, documents: dict[str, Document]) -> None:
        self.by_place: dict[str, set[str]] = {}
        self.by_issuer: dict[str, set[str]] = {}
        for doc_id, document in documents.items():
            issuer = folded_form(document.meta.issuer or "")
            for place in _PLACES:
                if re.search(rf"(?<!\w){re.escape(place)}(?!\w)", issuer):
                    self.by_place.setdefault(place, set()).add(doc_id)
            if issuer:
                self.by_issuer.setdefault(issuer, set()).add(doc_id)

    def _place(self, folded: str) -> str | None:
        padded = _words(folded)
        for form, place in _ALL_PLACE_FORMS:
            if f" {form} " in padded:
                return place
        return None

    def _issuer(self, folded: str) -> str | None:
        """A central issuer named as the one who assigns: "Thủ tướng giao …", "theo … của Chính phủ"."""
        for form, issuer in _ISSUER_FORMS:
            for match in re.finditer(rf"(?:^|\b(?:cua|theo)\s+){re.escape(form)}\b|\b{re.escape(form)}\s+{_ASSIGNING}\b", folded):
                if not _ADDRESSED_TO.search(folded[:match.start()]):
                    return issuer
        return None

    def of(self, question_folded: str) -> Scope | None:
        """The question's scope; the issuer wins over a place named as content ("Chính phủ hỗ trợ tỉnh X")."""
        issuer = self._issuer(question_folded)
        if issuer is not None:
            docs = {d for key, ids in self.by_issuer.items() if key == issuer for d in ids}
            if docs:
                return Scope(issuer, "issuer", frozenset(docs), issuer)
        place = self._place(question_folded)
        if place is None:
            return None
        return Scope(_PLACES.get(place, place), "place", frozenset(self.by_place.get(place, set())), place)

    @staticmethod
    def strip(question_folded: str, scope: Scope | None) -> str:
        """The question without the words that only name its scope, so they are not scored as its subject."""
        if scope is None:
            return question_folded
        text = f" {question_folded} "
        forms = [f for f, target in _ALL_PLACE_FORMS if target == scope.needle] + [scope.needle]
        if scope.kind == "issuer":
            forms += [f for f, target in _ISSUER_FORMS if target == scope.needle]
        for form in sorted(set(forms), key=len, reverse=True):
            text = re.sub(rf"(?:\b(?:o|tai|cua|tinh|thanh pho|tp\.?)\s+)?(?<!\w){re.escape(form)}(?!\w)", " ", text)
        return " ".join(text.split())
