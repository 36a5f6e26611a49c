"""Citations: the exact source of an answer — document, section or appendix row, quoted text, link."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.ocr_repair import reading_of
from indexer.reader import LoadedIndex
from indexer.records import Document, Passage, Task, display_date, document_label

__all__ = ["Citation", "Citer", "display_date", "document_label", "passage_url", "shorten"]


@dataclass
class Citation:
    source: str
    doc_number: str | None
    title: str | None
    issued_date: str | None
    section: str
    quote: str
    url: str
    doc_id: str = ""
    doc_type: str | None = None
    passage_id: str | None = None
    stt: str | None = None
    note: str | None = None  # said under the citation: the document is a draft, has been replaced …
    # The quote's automatic repaired reading when the document is an OCR-damaged scan
    # (indexer.ocr_repair); shown beside the quote, which stays as printed.
    reading: str | None = None
    page: int | None = None  # the printed page of a paged document (PDF) the quote is on


def passage_url(doc_id: str, passage_id: str | None) -> str:
    if not passage_id:
        return f"/documents/{doc_id}"
    return f"/documents/{doc_id}?p={passage_id}#{passage_id}"


def shorten(text: str, limit: int = 600) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


class Citer:
    """Builds citations against one loaded index."""

    def __init__(self, index: LoadedIndex) -> None:
        self.index = index

    def passage_of(self, passage_id: str | None) -> Passage | None:
        if not passage_id:
            return None
        row = self.index.passage_row.get(passage_id)
        return self.index.passages[row] if row is not None else None

    def passage(self, passage: Passage, quote: str | None = None) -> Citation:
        document = self.index.documents[passage.doc_id]
        meta = document.meta
        section = passage.section or "Phần mở đầu"  # text before the first heading
        if passage.stt and f"STT {passage.stt}" not in section:
            section = f"{section} › STT {passage.stt}" if section else f"STT {passage.stt}"
        return Citation(
            source=meta.source,
            doc_number=meta.doc_number,
            title=meta.title,
            issued_date=meta.issued_date,
            section=section,
            quote=shorten(quote or passage.text),
            url=passage_url(document.doc_id, passage.passage_id),
            doc_id=document.doc_id,
            doc_type=meta.doc_type,
            passage_id=passage.passage_id,
            stt=passage.stt,
            note=self.status_note(document.doc_id),
            reading=self._reading(passage, quote),
            page=document.page_of(passage.line_start),
        )

    @staticmethod
    def _reading(passage: Passage, quote: str | None) -> str | None:
        """The repaired reading of what is quoted from a damaged passage (None for clean text)."""
        if not passage.repaired:
            return None
        if quote is None or quote == passage.text:
            return shorten(passage.repaired)
        reading = reading_of(passage.text, passage.repaired, quote)
        return shorten(reading) if reading else None

    def at_line(self, document: Document, line: int, quote: str, section: str = "") -> Citation:
        """A citation of ``quote`` from the passage holding ``line``; of the document when no passage holds it."""
        passage = document.passage_at(line)
        return self.passage(passage, quote) if passage else self.document(document, section, quote)

    def document(self, document: Document, section: str, quote: str) -> Citation:
        """A citation of the whole document, for evidence no passage holds (the URL opens its top)."""
        meta = document.meta
        return Citation(
            source=meta.source, doc_number=meta.doc_number, title=meta.title, issued_date=meta.issued_date,
            section=section, quote=quote, url=passage_url(document.doc_id, None),
            doc_id=document.doc_id, doc_type=meta.doc_type, note=self.status_note(document.doc_id),
        )

    def status_note(self, doc_id: str) -> str | None:
        """What to say under a citation of a document that was replaced, repealed or amended (indexer.relations)."""
        status = self.index.relations.status.get(doc_id)
        if status is None or status.code == "con_hieu_luc":
            return None
        return f"{status.label}. {status.note}"

    def task(self, task: Task) -> Citation:
        """The task's row or lines: a table row is its passage; a prose task quotes its own lines."""
        passage = self.passage_of(task.passage_id)
        document = self.index.documents[task.doc_id]
        if passage is None:
            citation = self.document(document, task.section, shorten(task.duty or ""))
        elif task.origin == "prose":
            lines = document.text.split("\n")[task.line_start - 1 : task.line_end]
            citation = self.passage(passage, "\n".join(lines))
        else:
            citation = self.passage(passage)
        if task.stt and not citation.stt:
            citation.stt = task.stt
            citation.section = f"{citation.section} › STT {task.stt}".strip(" ›")
        return citation
