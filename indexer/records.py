"""The shared language of indexer, API and web: plain records.

Every stage of the pipeline is a function from these records to these records,
and the index directory stores them as JSON, so nothing downstream needs to know
how a document was read or parsed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from indexer.model import Page, Table, page_of_line
from indexer.text_quality import looks_ocr_damaged


# Between the headings of a section path: "V. Tổ chức thực hiện › 2. Trách nhiệm cụ thể".
SEP = " › "


@dataclass
class DocumentMeta:
    """What identifies a document and what users filter and cite by."""

    doc_id: str  # stable id: the file name without its extension
    source: str  # the corpus file name, the stable `source` of citations
    doc_number: str | None = None  # "399/QĐ-UBND", "28/KH-UBND", "2458/UBND-SNV"
    doc_type: str | None = None  # "Quyết định", "Kế hoạch", "Công văn", "Luật" …
    issued_date: str | None = None  # ISO date "2022-01-26"
    issuer: str | None = None  # "UBND thành phố Hà Nội"
    title: str | None = None  # trích yếu / V/v
    signer: str | None = None
    place: str | None = None  # "Hà Nội"
    effective_date: str | None = None  # ISO, from the effect clause or the override file
    status: str | None = None  # only from the override file: what the corpus cannot show (indexer.relations)


@dataclass
class Passage:
    """A searchable piece of a document under exactly one heading path."""

    passage_id: str  # "<doc_id>:p<n>"
    doc_id: str
    section: str  # "V. Tổ chức thực hiện › 2. Trách nhiệm cụ thể › 2.2. Sở Nội vụ"
    text: str  # the original (normalised NFC) text, as quoted in citations
    line_start: int  # 1-based, inclusive, in the normalised document text
    line_end: int
    kind: str = "body"  # body | heading | basis | table_row | task
    stt: str | None = None  # appendix row number when the passage is a table row
    # The automatic repaired reading of an OCR-damaged passage (indexer.ocr_repair): indexed
    # beside ``text`` and shown beside it, never in its place. None for clean documents.
    repaired: str | None = None


@dataclass
class Task:
    """One assignment: who leads, who supports, by when — from a table row or from prose."""

    task_id: str  # "<doc_id>:t<n>"
    doc_id: str
    origin: str  # "table" | "prose"
    stt: str | None = None  # the row number as printed ("21", "8.") or inferred
    stt_inferred: bool = False  # True when the printed STT was missing and deduced from order
    group: str | None = None  # the group heading: "II. Cải cách thể chế"
    objective: str | None = None  # Mục tiêu
    duty: str | None = None  # Nhiệm vụ (or the prose sentence)
    activities: str | None = None  # Hoạt động
    product: str | None = None  # Sản phẩm
    lead: list[str] = field(default_factory=list)  # Cơ quan chủ trì
    support: list[str] = field(default_factory=list)  # Cơ quan phối hợp
    deadline: str | None = None  # Thời gian hoàn thành, as printed
    # The deadline normalised (indexer.deadlines): the dates it covers, ISO; "yearly" … when it recurs.
    due_from: str | None = None
    due: str | None = None
    recurring: str | None = None
    section: str = ""  # section path of the table or paragraph
    line_start: int = 0
    line_end: int = 0
    passage_id: str | None = None  # the passage quoting this task


# Relations between documents (this document → the cited one), as the gold set and the API name them.
RELATION_TYPES = (
    "can_cu", "thuc_hien", "huong_dan", "sua_doi", "thay_the", "bai_bo", "dinh_chinh", "het_hieu_luc", "dan_chieu",
)

# Effect statuses an operator may set in `corpus/<file>.meta.toml` (``status = "het_hieu_luc"``)
# when the corpus cannot show it; without one, indexer.relations derives the status from the corpus.
STATUS_LABELS = {
    "con_hieu_luc": "Còn hiệu lực",
    "het_hieu_luc": "Hết hiệu lực",
    "het_hieu_luc_mot_phan": "Hết hiệu lực một phần",
    "chua_co_hieu_luc": "Chưa có hiệu lực",
}


@dataclass
class Effect:
    """When the document says it takes effect: "có hiệu lực (thi hành) kể từ ngày …".

    ``kind`` is "date" (a printed date), "signing" ("kể từ ngày ký / ban hành") or
    "other" (tied to another event: "kể từ ngày Thông tư … có hiệu lực").
    """

    kind: str
    date: str | None = None  # ISO; for "signing", the issue date when the document prints one
    clause: str = ""  # the sentence, as printed
    line: int = 0


@dataclass
class Reference:
    """A document cited by another; `is_basis` marks the *Căn cứ* legal bases.

    `implements` marks what the opening *Thực hiện …* / *Triển khai …* says the
    document carries out: plans and letters often cite no *Căn cứ*, and for them
    that is the answer to "on what grounds?".
    """

    doc_id: str  # the citing document
    mention: str  # the text as cited: "Nghị quyết số 76/NQ-CP ngày 15/7/2021"
    doc_type: str | None = None
    number: str | None = None  # "76/NQ-CP"; None for laws cited by name
    issued_date: str | None = None  # ISO when the citation gives a date
    name: str | None = None  # "Luật Tổ chức chính quyền địa phương"
    is_basis: bool = False
    line: int = 0
    implements: bool = False
    # What this document does to the cited one, besides basing on or implementing it
    # (RELATION_TYPES: "sua_doi", "thay_the", "bai_bo", "het_hieu_luc", "dinh_chinh", "huong_dan").
    relations: list[str] = field(default_factory=list)
    articles: str | None = None  # the parts amended or repealed, as printed: "khoản 2 Điều 3"
    issuer: str | None = None  # as the citation names it: "của Thủ tướng Chính phủ"

    @property
    def relation_types(self) -> list[str]:
        """Every relation this citation stands for; a citation that is nothing else is a "dan_chieu"."""
        types = (["can_cu"] if self.is_basis else []) + (["thuc_hien"] if self.implements else [])
        types += [t for t in self.relations if t not in types]
        return types or ["dan_chieu"]


@dataclass
class Document:
    """A parsed document: metadata, its normalised text and everything extracted from it."""

    meta: DocumentMeta
    text: str  # normalised NFC text; line numbers of passages refer to it
    passages: list[Passage] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr_damage: float = 0.0  # share of words that look OCR-damaged (indexer.text_quality)
    tables: list[Table] = field(default_factory=list)  # as the reader found them (indexer.model)
    effect: Effect | None = None  # its own effect clause (indexer.effect)
    period: str | None = None  # the years a plan or programme covers: "2024", "2026–2030"
    pages: list[Page] = field(default_factory=list)  # printed pages of a PDF, with how each was read

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    @property
    def legal_bases(self) -> list[Reference]:
        return [r for r in self.references if r.is_basis]

    @property
    def implemented(self) -> list[Reference]:
        return [r for r in self.references if r.implements]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            meta=DocumentMeta(**data["meta"]),
            text=data["text"],
            passages=[Passage(**p) for p in data.get("passages", [])],
            tasks=[Task(**t) for t in data.get("tasks", [])],
            references=[Reference(**r) for r in data.get("references", [])],
            warnings=list(data.get("warnings", [])),
            ocr_damage=float(data.get("ocr_damage", 0.0)),
            tables=[Table.from_dict(t) for t in data.get("tables", [])],
            effect=Effect(**data["effect"]) if data.get("effect") else None,
            period=data.get("period"),
            pages=[Page(**p) for p in data.get("pages", [])],
        )

    def passage_at(self, line: int) -> Passage | None:
        """The passage that holds a 1-based text line (None for a line no passage holds)."""
        return next((p for p in self.passages if p.line_start <= line <= p.line_end), None)

    def page_of(self, line: int) -> int | None:
        """The printed page of a 1-based text line (None when the format has no pages)."""
        return page_of_line(self.pages, line)

    @property
    def ocr_pages(self) -> list[Page]:
        return [p for p in self.pages if p.method == "ocr"]

    @property
    def ocr_confidence(self) -> float | None:
        """Mean Tesseract confidence (0–100) over the OCR'd pages, weighted by their lines."""
        scored = [(p.confidence, p.line_end - p.line_start + 1) for p in self.ocr_pages
                  if p.confidence is not None and p.line_start]
        weight = sum(w for _, w in scored)
        return round(sum(c * w for c, w in scored) / weight, 1) if weight else None

    @property
    def is_damaged_scan(self) -> bool:
        """A scan whose OCR broke words: search and answers treat its text with care."""
        return looks_ocr_damaged(self.ocr_damage)


def display_date(iso: str | None) -> str | None:
    """2022-01-26 → 26/01/2022, the way Vietnamese documents print dates."""
    if not iso:
        return None
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def document_label(document: Document) -> str:
    """"Quyết định 399/QĐ-UBND ngày 26/01/2022", or the file name when nothing better is known.

    One name for a document wherever it is shown: answers, citations, statuses, diagrams.
    """
    meta = document.meta
    label = " ".join(x for x in (meta.doc_type, meta.doc_number) if x) or meta.title or meta.source
    date = display_date(meta.issued_date)
    return f"{label} ngày {date}" if date else label
