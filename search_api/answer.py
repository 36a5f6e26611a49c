"""Answers with citations, or an honest "không tìm thấy".

The answerer prefers structured evidence — task records (table rows and prose
assignments), legal bases, sentences with figures — found through the searcher,
and only then a plain passage. Every answer carries at least one citation; when
no evidence covers enough of what the question is about, ``found`` is False.

Evidence is scored by *coverage*: the IDF-weighted share of the question's
subject syllables that the evidence contains. A wrong answer with a real-looking
citation is worse than none, so the threshold errs on the side of refusing.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from dataclasses import dataclass, field, replace

import numpy as np

from indexer.deadlines import deadline_phrase
from indexer.normalise import folded_form
from indexer.records import Document, Passage, Task
from search_api.kinds import BY_NAME, DOCUMENT_KINDS, FALLBACK, DocumentKind, QuestionKind, passage_may_answer
from search_api.questions import Question, subject_terms, understand
from search_api.search import Hit, Searcher, strip_document_reference

MIN_COVERAGE = 0.6  # calibrated on our own question set (see `tracuu eval`)
SEARCH_DEPTH = 30
MAX_LIST_ITEMS = 50

_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tp": "thanh pho",
    "vp": "van phong",
    "ub": "uy ban",
    "tt&tt": "thong tin va truyen thong",
    "tttt": "thong tin va truyen thong",
    "kh&dt": "ke hoach va dau tu",
    "khdt": "ke hoach va dau tu",
    "kh&cn": "khoa hoc va cong nghe",
    "snv": "so noi vu",
}


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


@dataclass
class Answer:
    question: str
    found: bool
    kind: str
    answer: str | None = None
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    deadline: str | None = None
    citations: list[Citation] = field(default_factory=list)
    took_ms: float = 0.0
    target: str | None = None
    tasks: list[Task] = field(default_factory=list)

    def api_dict(self) -> dict[str, object]:
        """Exactly the public JSON shape of /api/ask."""
        return {
            "question": self.question,
            "found": self.found,
            "kind": self.kind,
            "answer": self.answer,
            "lead": self.lead,
            "support": self.support,
            "deadline": self.deadline,
            "citations": [
                {
                    "source": c.source,
                    "doc_number": c.doc_number,
                    "title": c.title,
                    "issued_date": c.issued_date,
                    "section": c.section,
                    "quote": c.quote,
                    "url": c.url,
                }
                for c in self.citations
            ],
            "took_ms": round(self.took_ms, 1),
        }


def agency_key(name: str) -> str:
    """A comparable form of an agency name: folded, abbreviations expanded, punctuation gone."""
    words = re.findall(r"[\w&]+", folded_form(name))
    expanded = " ".join(_ABBREVIATIONS.get(w, w) for w in words)
    return re.sub(r"\s+", " ", expanded).strip()


def display_date(iso: str | None) -> str | None:
    """2022-01-26 → 26/01/2022, the way Vietnamese documents print dates."""
    if not iso:
        return None
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def document_label(document: Document) -> str:
    """"Quyết định 399/QĐ-UBND ngày 26/01/2022", or the file name when nothing better is known."""
    meta = document.meta
    label = " ".join(x for x in (meta.doc_type, meta.doc_number) if x) or meta.title or meta.source
    date = display_date(meta.issued_date)
    return f"{label} ngày {date}" if date else label


def passage_url(doc_id: str, passage_id: str | None) -> str:
    if not passage_id:
        return f"/documents/{doc_id}"
    return f"/documents/{doc_id}?p={passage_id}#{passage_id}"


def _shorten(text: str, limit: int = 600) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


_SYLLABLE = re.compile(r"[\w/%.-]+")


def _syllables(folded: str) -> set[str]:
    return {w.strip(".-") for w in _SYLLABLE.findall(folded) if w.strip(".-")}


@lru_cache(maxsize=65536)
def _evidence_syllables(evidence: str) -> tuple[frozenset[str], str]:
    """The folded syllables of an evidence text, as a set and as " a b c " for pair lookups.

    Cached: every question scores the same task texts and passages again.
    """
    folded = folded_form(evidence)
    return frozenset(_syllables(folded)), " " + " ".join(_SYLLABLE.findall(folded)) + " "


# A line that opens a new item: a bullet, a numbered or lettered point, a table cell.
_ITEM_START = re.compile(r"^(?:[-+•*–]|\d+(?:\.\d+)*[.)]|[a-zđ]\)|\|)", re.IGNORECASE)


def _logical_lines(text: str) -> list[str]:
    """The text's lines with hard wraps undone.

    PDF text layers and OCR break a sentence across lines ("đạt tối thiểu\n86%");
    a line joins the one before unless that one ended a sentence or this one opens
    a new item, so a figure or a deadline stays in the sentence it belongs to.
    """
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if lines and lines[-1]:
                lines.append("")
            continue
        table = "|" in line or (lines and "|" in lines[-1])  # table rows are one per line
        if lines and lines[-1] and not table and not re.search(r"[.;:!?]$", lines[-1]) and not _ITEM_START.match(line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return [line for line in lines if line]


_HEADING_NUMBER = re.compile(r"(?:[IVXLC]+|\d+(?:\.\d+)*)\.", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    """Sentences and list items of a passage: the unit a figure or a deadline is quoted in."""
    out: list[str] = []
    for line in _logical_lines(text):
        pieces = [p for p in re.split(r"(?<=[.;])\s+", line) if p.strip()]
        for i, piece in enumerate(pieces):
            if _HEADING_NUMBER.fullmatch(piece) and i + 1 < len(pieces):  # "3." belongs to "3. Chỉ tiêu"
                pieces[i + 1] = f"{piece} {pieces[i + 1]}"
            else:
                out.append(piece)
    return out


class Answerer:
    """Turns a question into an ``Answer`` using one ``Searcher`` snapshot."""

    def __init__(self, searcher: Searcher, min_coverage: float = MIN_COVERAGE) -> None:
        self.searcher = searcher
        self.index = searcher.index
        self.min_coverage = min_coverage
        self._idf: dict[str, float] | None = None
        self._lead_key_list: list[str] | None = None
        self._tasks_by_passage: dict[str, list[Task]] = {}
        for document in self.index.documents.values():
            for task in document.tasks:
                if task.passage_id:
                    self._tasks_by_passage.setdefault(task.passage_id, []).append(task)

    # -- evidence scoring ----------------------------------------------------------

    def idf(self) -> dict[str, float]:
        """Syllable IDF over all passages, built on first use."""
        if self._idf is None:
            counts: Counter[str] = Counter()
            for text in self.index.search_texts:
                counts.update(_syllables(folded_form(text)))
            n = max(1, len(self.index.search_texts))
            self._idf = {w: math.log(1 + n / c) for w, c in counts.items()}
        return self._idf

    def coverage(self, terms: list[str], evidence: str) -> float:
        """How much of the question's subject the evidence contains, from 0 to 1.

        The mean of two IDF-weighted shares: of the subject's syllables, and of its
        adjacent syllable pairs. Vietnamese words are mostly two syllables, so the
        pairs stop "hộ chiếu" from being matched by a text with "hộ" and "chiếu"
        in unrelated places.
        """
        if not terms:
            return 0.0
        idf = self.idf()
        present, squashed = _evidence_syllables(evidence)
        default = math.log(1 + max(1, len(self.index.search_texts)))  # unseen word: as rare as can be
        weights = {t: idf.get(t, default) for t in set(terms)}
        total = sum(weights.values())
        unigram = sum(w for t, w in weights.items() if t in present) / total if total else 0.0
        pairs = {(a, b): weights[a] + weights[b] for a, b in zip(terms, terms[1:])}
        if not pairs:
            return unigram
        found = sum(w for (a, b), w in pairs.items() if f" {a} {b} " in squashed)
        return (unigram + found / sum(pairs.values())) / 2

    # -- citations -----------------------------------------------------------------

    def cite_passage(self, passage: Passage, quote: str | None = None) -> Citation:
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
            quote=_shorten(quote or passage.text),
            url=passage_url(document.doc_id, passage.passage_id),
            doc_id=document.doc_id,
            doc_type=meta.doc_type,
            passage_id=passage.passage_id,
            stt=passage.stt,
        )

    def cite_document(self, document: Document, section: str, quote: str) -> Citation:
        """A citation of the whole document, for evidence no passage holds (the URL opens its top)."""
        meta = document.meta
        return Citation(
            source=meta.source, doc_number=meta.doc_number, title=meta.title, issued_date=meta.issued_date,
            section=section, quote=quote, url=passage_url(document.doc_id, None),
            doc_id=document.doc_id, doc_type=meta.doc_type,
        )

    def cite_task(self, task: Task) -> Citation:
        passage = self._passage(task.passage_id)
        if passage is not None:
            citation = self.cite_passage(passage)
        else:
            citation = self.cite_document(self.index.documents[task.doc_id], task.section, _shorten(task.duty or ""))
        if task.stt and not citation.stt:
            citation.stt = task.stt
            citation.section = f"{citation.section} › STT {task.stt}".strip(" ›")
        return citation

    def _passage(self, passage_id: str | None) -> Passage | None:
        if not passage_id:
            return None
        row = self.index.passage_row.get(passage_id)
        return self.index.passages[row] if row is not None else None

    # -- the kinds -----------------------------------------------------------------

    def ask(self, question: str, query_vector: np.ndarray | None = None) -> Answer:
        """Answer with a citation, or ``found=False``; ``query_vector`` as in ``Searcher.search``.

        Dispatch reads the registry in ``search_api.kinds``: a question about the
        document it names goes to the first document kind that takes it; any other
        to the handler of its question kind, with a passage standing in where the
        kind allows.
        """
        started = time.perf_counter()
        parsed = understand(question)
        hits = self.searcher.search(question, k=SEARCH_DEPTH, query_vector=query_vector).hits
        named = self.searcher.document_for_number(question)
        about_named = next((k for k in DOCUMENT_KINDS if k.detect(parsed)), None) if named is not None else None
        if named is not None and about_named is not None:
            answer = self._document_handler(about_named)(parsed, named)
        else:
            if named is not None:  # "Theo Kế hoạch 28 …": evidence from that document, about the rest
                hits = [h for h in hits if h.document.doc_id == named.doc_id] or hits
                parsed = replace(parsed, subject_terms=subject_terms(strip_document_reference(parsed.folded)))
            answer = self._question_handler(BY_NAME[parsed.kind])(parsed, hits)
        if not answer.found and passage_may_answer(parsed):
            fallback = self._question_handler(FALLBACK)(parsed, hits)
            if fallback.found:
                answer = fallback
                answer.kind = parsed.kind
        answer.took_ms = (time.perf_counter() - started) * 1000
        if not answer.found:
            answer.answer = None
            answer.citations = []
        return answer

    def _question_handler(self, kind: QuestionKind) -> Callable[[Question, list[Hit]], Answer]:
        """The method a question kind names (by name: the registry cannot import this module)."""
        handler: Callable[[Question, list[Hit]], Answer] = getattr(self, kind.handler)
        return handler

    def _document_handler(self, kind: DocumentKind) -> Callable[[Question, Document], Answer]:
        """The method a document kind names, answering from the named document."""
        handler: Callable[[Question, Document], Answer] = getattr(self, kind.handler)
        return handler

    def _task_text(self, task: Task) -> str:
        document = self.index.documents[task.doc_id]
        parts = [task.group, task.objective, task.duty, task.activities, task.product, task.section,
                 document.meta.doc_number, document.meta.title]
        return " ".join(p for p in parts if p)

    def _candidate_tasks(self, hits: list[Hit]) -> list[tuple[Task, int]]:
        """Tasks attached to the retrieved passages, with the rank of their passage."""
        seen: set[str] = set()
        out: list[tuple[Task, int]] = []
        for rank, hit in enumerate(hits):
            for task in self._tasks_by_passage.get(hit.passage.passage_id, []):
                if task.task_id not in seen:
                    seen.add(task.task_id)
                    out.append((task, rank))
        return out

    def _lead_keys(self) -> list[str]:
        """Comparable forms of every lead agency in the index, longest first (built once)."""
        if self._lead_key_list is None:
            keys = {agency_key(name) for task in self.index.all_tasks() for name in task.lead}
            self._lead_key_list = sorted((k for k in keys if len(k.split()) >= 2), key=len, reverse=True)
        return self._lead_key_list

    def named_lead(self, question: str) -> str | None:
        """The lead agency a support question names: "Ai phối hợp với <X> …?", "<X> phối hợp với ai …?".

        Only a known lead (from the index's tasks) placed against the word "phối hợp"
        counts, so an agency named elsewhere in the question ("… tại UBND cấp xã")
        is not taken for the lead.
        """
        text = f" {agency_key(question)} "
        for key in self._lead_keys():
            placed = (f" phoi hop voi {key} ", f" cung voi {key} ", f" {key} phoi hop ", f" {key} can phoi hop ")
            if any(form in text for form in placed):
                return key
        return None

    def _answer_task(self, q: Question, hits: list[Hit]) -> Answer:
        best: tuple[float, Task] | None = None
        candidates = self._candidate_tasks(hits)
        if q.kind == "support":
            # "Ai phối hợp với X …?" / "X phối hợp với ai …?": X leads the task asked about.
            named = self.named_lead(q.text)
            led = [(t, r) for t, r in candidates if named and any(named in agency_key(n) for n in t.lead)]
            candidates = led or candidates
        for task, rank in candidates:
            if q.kind == "deadline" and not task.deadline:
                continue
            if q.kind == "support" and not task.support:
                continue
            if not task.lead and q.kind == "lead":
                continue
            score = self.coverage(q.subject_terms, self._task_text(task)) - 0.01 * rank
            if best is None or score > best[0]:
                best = (score, task)
        if q.kind == "deadline":
            stated = self._deadline_sentence(q, hits)
            if stated is not None and (best is None or stated[0] > best[0]):
                return stated[1]
        if best is None or best[0] < self.min_coverage:
            return Answer(q.text, False, q.kind)
        task = best[1]
        duty = _shorten(task.duty or task.objective or task.activities or "", 160).rstrip(" .;:")
        if q.kind == "deadline":
            sentence = f"Thời hạn: {task.deadline} ({duty})."
        elif q.kind == "support":
            sentence = f"Cơ quan phối hợp: {_join(task.support)}" + (f"; chủ trì: {_join(task.lead)}." if task.lead else ".")
        else:
            sentence = f"{_join(task.lead)} chủ trì" + (f", phối hợp với {_join(task.support)}" if task.support else "") + "."
        if task.deadline and q.kind != "deadline":
            sentence = sentence[:-1] + f"; thời hạn: {task.deadline}."
        return Answer(
            q.text, True, q.kind, sentence, list(task.lead), list(task.support), task.deadline,
            [self.cite_task(task)], tasks=[task],
        )

    def _deadline_sentence(self, q: Question, hits: list[Hit]) -> tuple[float, Answer] | None:
        """A deadline written in prose with no task record ("báo cáo gửi Bộ Nội vụ trước 20/6/2020").

        Returned with its coverage so the caller keeps a task record unless the
        sentence matches the question better.
        """
        best = self._best_sentence(q, hits, lambda sentence: deadline_phrase(sentence) is not None)
        if best is None:
            return None
        score, raw, passage = best
        phrase = deadline_phrase(raw)
        sentence = raw.strip(" -+")
        answer = Answer(q.text, True, q.kind, f"Thời hạn: {phrase} ({_shorten(sentence, 200).rstrip(' .;:')}).",
                        deadline=phrase, citations=[self.cite_passage(passage, sentence)])
        return score, answer

    def _best_sentence(self, q: Question, hits: list[Hit], keep: Callable[[str], bool]) -> tuple[float, str, Passage] | None:
        """The sentence of the top passages that ``keep`` accepts and that best covers the question.

        Scored with its section and document title as context, a little less the
        lower its passage ranks; None below the coverage threshold.
        """
        best: tuple[float, str, Passage] | None = None
        for rank, hit in enumerate(hits[:15]):
            for sentence in _sentences(hit.passage.text):
                if not keep(sentence):
                    continue
                context = f"{hit.passage.section} {hit.document.meta.title or ''}"
                score = self.coverage(q.subject_terms, f"{sentence}\n{context}") - 0.01 * rank
                if best is None or score > best[0]:
                    best = (score, sentence, hit.passage)
        if best is None or best[0] < self.min_coverage:
            return None
        return best

    def _answer_list(self, q: Question, hits: list[Hit]) -> Answer:
        if not q.agency:
            return Answer(q.text, False, q.kind)
        wanted = agency_key(q.agency)
        documents = {h.document.doc_id for h in hits[:5]}
        named = self.searcher.document_for_number(q.text)  # "Công văn 2458 giao Sở X những việc gì?"
        pool = named.tasks if named is not None else self.index.all_tasks()
        tasks = [t for t in pool if any(wanted in agency_key(name) for name in t.lead)]
        if not tasks:
            return Answer(q.text, False, q.kind)
        tasks.sort(key=lambda t: (t.doc_id not in documents, t.doc_id, t.line_start))
        shown = tasks[:MAX_LIST_ITEMS]
        # The name as most tasks print it: the shortest spelling among the commonest.
        names = Counter(name for t in tasks for name in t.lead if wanted in agency_key(name))
        lead_name = min(names.most_common(3), key=lambda item: (-item[1], len(item[0])))[0]
        items = "; ".join(_shorten(t.duty or t.objective or "", 90).rstrip(" .;:") for t in shown[:5])
        more = f" (và {len(tasks) - 5} nhiệm vụ khác)" if len(tasks) > 5 else ""
        sentence = f"{lead_name} chủ trì {len(tasks)} nhiệm vụ: {items}{more}."
        return Answer(q.text, True, q.kind, sentence, [lead_name], [], None,
                      [self.cite_task(t) for t in shown], tasks=shown)

    def _answer_document(self, q: Question, document: Document) -> Answer:
        """A question that only names a document ("399/QĐ-UBND"): what that document is, cited at its opening."""
        meta = document.meta
        sentence = document_label(document) + (f" của {meta.issuer}" if meta.issuer else "")
        sentence += f": {meta.title}." if meta.title else "."
        passage = document.passages[0] if document.passages else None
        citation = self.cite_passage(passage) if passage else self.cite_document(document, "Phần mở đầu", meta.title or "")
        return Answer(q.text, True, "passage", sentence, citations=[citation])

    def _answer_signer(self, q: Question, document: Document) -> Answer:
        """Who signed the named document, cited at the signature; not found when the text has none."""
        signer = document.meta.signer
        passage = next((p for p in reversed(document.passages) if signer and signer in p.text), None)
        if not signer or passage is None:
            return Answer(q.text, False, q.kind)
        citation = self.cite_passage(passage)
        citation.section = "Phần ký ban hành"
        return Answer(q.text, True, q.kind, f"{document_label(document)} do {signer} ký.", lead=[signer],
                      citations=[citation])

    def _answer_basis(self, q: Question, hits: list[Hit]) -> Answer:
        """The *Căn cứ* of a document; for a plan or letter without one, what it implements."""
        document = self.searcher.document_for_number(q.text)
        if document is None:
            for hit in hits[:5]:
                grounded = hit.document.legal_bases or hit.document.implemented
                if grounded and self.coverage(q.subject_terms, hit.document.meta.title or "") >= 0.5:
                    document = hit.document
                    break
        if document is None:
            return Answer(q.text, False, q.kind)
        label = document_label(document)
        if document.legal_bases:
            names = [b.mention for b in document.legal_bases]
            sentence = f"{label} căn cứ {len(names)} văn bản: " + "; ".join(names) + "."
            passage = next((p for p in document.passages if p.kind == "basis"), None)
            section = "Căn cứ"
        elif document.implemented:
            names = [r.mention for r in document.implemented]
            sentence = (f"{label} không nêu mục căn cứ; văn bản được ban hành để thực hiện "
                        + "; ".join(names) + ".")
            line = document.implemented[0].line
            passage = next((p for p in document.passages if p.line_start <= line <= p.line_end), None)
            section = "Phần mở đầu"
        else:
            return Answer(q.text, False, q.kind)
        citation = self.cite_passage(passage) if passage else self.cite_document(document, section, "; ".join(names))
        return Answer(q.text, True, q.kind, sentence, citations=[citation])

    _FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*%|\b(?:trong|top|nhóm|thuộc nhóm)\s+\d+\s+(?:tỉnh|thành phố|quận|huyện|địa phương|đơn vị|bộ|ngành|sở|cơ quan)\b|\b\d+(?:[.,]\d+)?\s*(?:điểm|lần|ngày|tháng|hồ sơ|thủ tục|TTHC|đơn vị|cơ quan)\b|\b(?:tối thiểu|ít nhất|trên|dưới|đạt|từ)\s+\d+")

    def _answer_target(self, q: Question, hits: list[Hit]) -> Answer:
        best = self._best_sentence(q, hits, lambda sentence: bool(self._FIGURE.search(sentence)))
        if best is None:
            return Answer(q.text, False, q.kind)
        _, raw, passage = best
        sentence = raw.strip(" -+")
        figure = self._FIGURE.search(sentence)
        answer = Answer(q.text, True, q.kind, _shorten(sentence, 300), citations=[self.cite_passage(passage, sentence)])
        answer.target = figure.group(0) if figure else None
        return answer

    def _answer_passage(self, q: Question, hits: list[Hit]) -> Answer:
        for hit in hits[:5]:
            text = f"{hit.passage.section}\n{hit.passage.text}"  # not the title: it would cover every passage alike
            if self.coverage(q.subject_terms, text) >= self.min_coverage:
                citation = self.cite_passage(hit.passage)
                return Answer(q.text, True, "passage", _shorten(hit.passage.text, 300), citations=[citation])
        return Answer(q.text, False, q.kind)


def format_answer_text(answer: Answer) -> str:
    """The terminal rendering used by `tracuu ask`."""
    if not answer.found:
        return "Không tìm thấy câu trả lời có căn cứ trong kho văn bản."
    lines = [answer.answer or ""]
    if answer.lead:
        lines.append(f"Chủ trì: {', '.join(answer.lead)}")
    if answer.support:
        lines.append(f"Phối hợp: {', '.join(answer.support)}")
    if answer.deadline:
        lines.append(f"Thời hạn: {answer.deadline}")
    for citation in answer.citations[:5]:
        label = " ".join(x for x in (citation.doc_type, citation.doc_number) if x) or citation.source
        date = display_date(citation.issued_date)
        lines.append(f"Nguồn: {label}" + (f" ngày {date}" if date else "") + f" — {citation.section} [{citation.source}]")
        lines.append(f"  “{_shorten(citation.quote, 240)}”")
    return "\n".join(lines)
