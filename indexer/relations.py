"""The relations graph of the corpus and each document's effect status, as the corpus shows it.

Every ``Reference`` (indexer.references) is an edge "this document → the cited
one", typed by ``Reference.relation_types``. The cited document is resolved to a
corpus document by number, type, date and issuer — the same number exists under
many issuers ("42/2018/QĐ-UBND" of Huế and of Hà Nội), so a reference joins a
document only when nothing contradicts it and exactly one candidate is left;
otherwise it stays an unresolved edge with the printed number. Laws cited by
name join the corpus law of that name unless the citation's year says another.

The status is derived from the edges that reach a document (replaced, repealed,
declared expired, amended) and its effective date; it reflects only the corpus,
and says so. ``corpus/<file>.meta.toml`` may set ``status`` and
``effective_date`` for what the corpus cannot show.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from indexer.agencies import agency_key
from indexer.doc_numbers import ISSUER_BY_CODE, LAW_TYPES, doc_number_key, issuer_code
from indexer.normalise import fold_accents
from indexer.records import STATUS_LABELS, Document, Reference, display_date, document_label

RELATIONS = "relations.json"

# What the edge says, for the citing side and for the cited side.
OUT_LABELS = {
    "can_cu": "Căn cứ", "thuc_hien": "Thực hiện", "huong_dan": "Hướng dẫn", "sua_doi": "Sửa đổi, bổ sung",
    "thay_the": "Thay thế", "bai_bo": "Bãi bỏ", "dinh_chinh": "Đính chính", "het_hieu_luc": "Tuyên bố hết hiệu lực",
    "dan_chieu": "Dẫn chiếu",
}
IN_LABELS = {
    "can_cu": "Được căn cứ bởi", "thuc_hien": "Được thực hiện, triển khai bởi", "huong_dan": "Được hướng dẫn bởi",
    "sua_doi": "Bị sửa đổi, bổ sung bởi", "thay_the": "Bị thay thế bởi", "bai_bo": "Bị bãi bỏ bởi",
    "dinh_chinh": "Được đính chính bởi", "het_hieu_luc": "Hết hiệu lực theo", "dan_chieu": "Được dẫn chiếu bởi",
}
# Edges that end the cited document (in whole, or in the parts they name).
ENDING = ("thay_the", "bai_bo", "het_hieu_luc")
CORPUS_NOTE = "Theo các văn bản trong kho, không phải cơ sở dữ liệu pháp luật đầy đủ."


@dataclass
class Edge:
    """One typed citation: ``source`` → ``target`` (a corpus doc_id, or None with the printed mention)."""

    source: str
    kind: str
    mention: str
    target: str | None = None
    number: str | None = None
    name: str | None = None
    issued_date: str | None = None
    articles: str | None = None
    line: int = 0
    doc_type: str | None = None

    @property
    def printed(self) -> str:
        """The citation as printed, or rebuilt from its parts when printed in capitals (a title block)."""
        letters = [c for c in self.mention if c.isalpha()]
        if not self.number or not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
            return self.mention
        label = " ".join(x for x in (self.doc_type, "số" if self.doc_type else None, self.number) if x)
        return f"{label} ngày {display_date(self.issued_date)}" if self.issued_date else label


@dataclass
class Status:
    """Whether a document still applies, as the corpus shows it, and why."""

    code: str  # a STATUS_LABELS key, or "bi_sua_doi" (in force, amended)
    label: str  # "Hết hiệu lực — thay thế bởi Quyết định 2629/QĐ-TTg ngày 01/12/2025"
    in_force: bool
    by: list[str] = field(default_factory=list)  # doc_ids of the documents that ended or amended it
    effective_date: str | None = None
    note: str = CORPUS_NOTE
    overridden: bool = False  # set by the operator in the override file


@dataclass
class RelationGraph:
    """Edges out of and into every document, and every document's status."""

    edges: list[Edge] = field(default_factory=list)
    outgoing: dict[str, list[Edge]] = field(default_factory=dict)
    incoming: dict[str, list[Edge]] = field(default_factory=dict)
    status: dict[str, Status] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"edges": [asdict(e) for e in self.edges]}

    @classmethod
    def from_edges(cls, edges: list[Edge], documents: dict[str, Document], today: dt.date | None = None) -> RelationGraph:
        graph = cls(edges=edges)
        out: dict[str, list[Edge]] = defaultdict(list)
        into: dict[str, list[Edge]] = defaultdict(list)
        for edge in edges:
            out[edge.source].append(edge)
            if edge.target:
                into[edge.target].append(edge)
        graph.outgoing, graph.incoming = dict(out), dict(into)
        graph.status = {doc_id: derive_status(d, into.get(doc_id, []), documents, today) for doc_id, d in documents.items()}
        return graph

    @classmethod
    def load(cls, data: dict[str, Any], documents: dict[str, Document]) -> RelationGraph:
        return cls.from_edges([Edge(**e) for e in data.get("edges", [])], documents)


# ---------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------


def _national(number: str) -> bool:
    """Whether the number's code names one issuer in the whole country ("TTg", "CP", "QH13", "BNV")."""
    code = issuer_code(number) or ""
    return code in ISSUER_BY_CODE or bool(re.fullmatch(r"QH\d*|TW|CTN|UBTVQH\d*", code))


def law_key(name: str) -> str:
    """A law's name as a key: "Luật Đất đai năm 2024", "Luật Đất đai 2024" and "LUẬT ĐẤT ĐAI" → "luat dat dai"."""
    folded = fold_accents(re.sub(r"\s+", " ", name)).lower()
    folded = re.sub(r"\s*(?:,\s*)?(?:(?:nam\s+)?(?:19|20)\d\d|so\s*:?\s*\S+|ngay\s+.*)$", "", folded)
    return re.sub(r"[^\w ]", "", folded).strip()


def citation_keys(number: str | None, name: str | None) -> set[str]:
    """How a cited instrument is matched everywhere (graph questions, the gold evaluator): the key of its
    number, and for a law also "name:<law_key>"; one matcher, so both agree."""
    keys = set()
    if number:
        keys.add(doc_number_key(number))
    if name:
        keys.add("name:" + law_key(name))
    return keys


def _law_name(document: Document) -> str | None:
    meta = document.meta
    if meta.doc_type in LAW_TYPES and meta.title:
        return law_key(f"{meta.doc_type} {meta.title}")
    return None


def _same_issuer(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    ka, kb = agency_key(a), agency_key(b)
    return ka == kb or ka in kb or kb in ka


class Resolver:
    """Finds the corpus document a reference names, or says it cannot tell."""

    def __init__(self, documents: dict[str, Document]) -> None:
        self.by_number: dict[str, list[Document]] = defaultdict(list)
        self.by_law: dict[str, list[Document]] = defaultdict(list)
        for d in documents.values():
            if d.meta.doc_number:
                self.by_number[doc_number_key(d.meta.doc_number)].append(d)
            name = _law_name(d)
            if name:
                self.by_law[name].append(d)

    def resolve(self, reference: Reference, citing: Document) -> str | None:
        if reference.number:
            candidates = self.by_number.get(doc_number_key(reference.number), [])
        elif reference.name:
            candidates = self.by_law.get(law_key(reference.name), [])
        else:
            candidates = []
        year = _cited_year(reference)
        kept = []
        for d in candidates:
            meta = d.meta
            if d.doc_id == citing.doc_id:
                continue
            if citing.meta.issued_date and meta.issued_date and meta.issued_date > citing.meta.issued_date:
                continue  # a document cannot cite a later one
            if reference.issued_date and meta.issued_date and reference.issued_date != meta.issued_date:
                continue
            if year and meta.issued_date and meta.issued_date[:4] != year:
                continue
            if reference.doc_type and meta.doc_type and reference.doc_type != meta.doc_type \
                    and "Công văn" not in (reference.doc_type, meta.doc_type):
                continue
            if reference.issuer and meta.issuer and not _same_issuer(reference.issuer, meta.issuer):
                continue
            local = reference.number and not _national(reference.number)
            if local and not reference.issuer and not reference.issued_date and \
                    not _same_issuer(citing.meta.issuer, meta.issuer):
                continue  # "Quyết định số 42/2018/QĐ-UBND", nothing more: the citing body's own
            kept.append(d)
        return kept[0].doc_id if len(kept) == 1 else None


def _cited_year(reference: Reference) -> str | None:
    m = re.search(r"\bnăm\s+(\d{4})\b", reference.mention) or re.search(r"\s((?:19|20)\d\d)$", reference.mention)
    return m.group(1) if m and not reference.number else None


def build_edges(documents: dict[str, Document]) -> list[Edge]:
    """Every reference of every document as typed edges, resolved where the corpus allows."""
    resolver = Resolver(documents)
    edges = []
    for document in documents.values():
        for reference in document.references:
            target = resolver.resolve(reference, document)
            for kind in reference.relation_types:
                edges.append(Edge(
                    source=document.doc_id, kind=kind, mention=reference.mention, target=target,
                    number=reference.number, name=reference.name, issued_date=reference.issued_date,
                    articles=reference.articles if kind in ("sua_doi", "bai_bo", "huong_dan") else None,
                    line=reference.line, doc_type=reference.doc_type,
                ))
    return edges


def build_graph(documents: list[Document], today: dt.date | None = None) -> RelationGraph:
    by_id = {d.doc_id: d for d in documents}
    return RelationGraph.from_edges(build_edges(by_id), by_id, today)


# ---------------------------------------------------------------------------
# Status
# ---------------------------------------------------------------------------


def _effective(document: Document) -> str | None:
    return document.meta.effective_date or (document.effect.date if document.effect else None)


def derive_status(document: Document, incoming: list[Edge], documents: dict[str, Document],
                  today: dt.date | None = None) -> Status:
    """The status by the rules of the module docstring; the override file wins."""
    today = today or dt.date.today()
    effective = _effective(document)
    if document.meta.status in STATUS_LABELS:
        code = document.meta.status
        return Status(code, STATUS_LABELS[code] + " (theo thông tin bổ sung của người quản trị kho)",
                      code in ("con_hieu_luc", "het_hieu_luc_mot_phan"), effective_date=effective, overridden=True)

    def names(edges: list[Edge]) -> str:
        return ", ".join(dict.fromkeys(document_label(documents[e.source]) for e in edges))

    ending = [e for e in incoming if e.kind in ENDING and e.source in documents]
    whole = [e for e in ending if not e.articles]
    amended = [e for e in incoming if e.kind == "sua_doi" and e.source in documents]
    if whole:
        verb = {"thay_the": "thay thế bởi", "bai_bo": "bãi bỏ bởi", "het_hieu_luc": "theo"}[whole[0].kind]
        by = [e for e in whole if e.kind == whole[0].kind]
        ends = min((_effective(documents[e.source]) or "" for e in whole), default="")
        if ends > today.isoformat():  # the ending document is not in effect yet
            return Status("con_hieu_luc", f"Còn hiệu lực đến trước ngày {display_date(ends)} — {verb} {names(by)}", True,
                          by=list(dict.fromkeys(e.source for e in whole)), effective_date=effective)
        return Status("het_hieu_luc", f"Hết hiệu lực — {verb} {names(by)}", False,
                      by=list(dict.fromkeys(e.source for e in whole)), effective_date=effective)
    if ending:
        parts = "; ".join(f"{e.articles} bị bãi bỏ bởi {document_label(documents[e.source])}" for e in ending)
        return Status("het_hieu_luc_mot_phan", f"Hết hiệu lực một phần — {parts}", True,
                      by=list(dict.fromkeys(e.source for e in ending)), effective_date=effective)
    if effective and effective > today.isoformat():
        return Status("chua_co_hieu_luc", f"Chưa có hiệu lực — có hiệu lực từ ngày {display_date(effective)}", False,
                      effective_date=effective)
    if amended:
        return Status("bi_sua_doi", f"Còn hiệu lực — bị sửa đổi, bổ sung bởi {names(amended)}", True,
                      by=list(dict.fromkeys(e.source for e in amended)), effective_date=effective)
    return Status("con_hieu_luc", "Còn hiệu lực theo các văn bản trong kho", True, effective_date=effective)
