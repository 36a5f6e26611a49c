"""Answers with citations, or an honest "không tìm thấy".

The answerer prefers structured evidence — tasks (table rows and prose
assignments), legal bases, sentences that state a figure or a deadline — and
only then a plain passage. Evidence is found and scored by
:mod:`search_api.evidence` (words and meaning together), within the documents
the question is about (:mod:`search_api.scope`: a named document, province or
issuer). Every answer carries at least one citation; when no evidence scores
above the calibrated threshold, ``found`` is False: a wrong answer with a
real-looking citation is worse than none.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from indexer.effect import effect_clauses
from indexer.agencies import agency_key, led_by
from indexer.assignments import inline_assignment, section_agencies
from indexer.deadlines import deadline_phrase
from indexer.doc_numbers import tidy_number_spacing
from indexer.normalise import folded_form, has_diacritics
from indexer.vocabulary import DOC_TYPE_NAMES_PRINTED
from indexer.records import Document, Passage, Reference, Task
from indexer.references import extract_references
from indexer.relations import CORPUS_NOTE, IN_LABELS, OUT_LABELS, Edge, citation_keys
from indexer.units import Unit
from search_api.deadline import check_deadline
from search_api.ranking import ranked_row
from search_api.roles import asked_role, holder
from search_api.cited import AskedReference, asked_reference, fitting, of_asked, without_asked_reference
from search_api.citations import Citation, Citer, display_date, document_label, shorten
from search_api.evidence import Coverage, Scored, UnitSearch
from search_api.naming import DocumentTitles, strip_description
from search_api.kinds import (
    BY_NAME, DOCUMENT_KINDS, FALLBACK, RELATION_INCOMING, RELATION_OUTGOING, RELATION_VERBS, DocumentKind, QuestionKind,
    basis_asked_at, passage_may_answer,
)
from search_api.questions import Question, asked_years, covers_years, stopwords_of, subject_terms, understand
from search_api.scope import Scope, ScopeFinder
from search_api.search import Hit, Searcher, strip_document_reference

# The blended evidence score (search_api.evidence.Blend) an answer needs; chosen on the
# calibration questions of the build split, never on the questions rules were written from.
MIN_SCORE = 0.5
SEARCH_DEPTH = 30
MAX_LIST_ITEMS = 50
# A figure a target is stated with: a share, a rank, a count of something, a bound.
FIGURE = re.compile(
    r"\d+(?:[.,]\d+)?\s*%|\b(?:trong|top|nhóm|thuộc nhóm)\s+\d+\s+(?:tỉnh|thành phố|quận|huyện|địa phương|đơn vị|bộ"
    r"|ngành|sở|cơ quan)\b|\b\d+(?:[.,]\d+)*\s*(?:điểm|lần|ngày|tháng|năm|hồ sơ|thủ tục|TTHC|đơn vị|cơ quan|người"
    r"|đồng|triệu|tỷ|km|ha|giờ)\b|\b(?:tối thiểu|ít nhất|trên|dưới|đạt|từ|không vượt quá|tối đa)\s+\d+"
)


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
    score: float | None = None  # the evidence score behind the answer (for calibration)

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
                    "reading": c.reading,
                    "url": c.url,
                    "page": c.page,
                }
                for c in self.citations
            ],
            "took_ms": round(self.took_ms, 1),
        }


@dataclass
class Asked:
    """One question being answered: what it asks, where to look, and its retrieval so far."""

    question: Question
    hits: list[Hit]
    vector: np.ndarray | None
    named: Document | None  # the corpus document the question names by number, or clearly by title
    scope: Scope | None  # the province or issuer it names
    preference: dict[str, float] = field(default_factory=dict)  # how well each document fits its description
    restored: str | None = None  # the question with diacritics put back, when it was typed without

    @property
    def text(self) -> str:
        return self.question.text

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def accented(self) -> bool:
        """Whether the question's embedding was read from accented text (typed so, or restored)."""
        return self.restored is not None or has_diacritics(self.question.text)

    @property
    def docs(self) -> set[str] | None:
        """The documents evidence must come from, when the question narrows them."""
        if self.named is not None:
            return {self.named.doc_id}
        if self.scope is not None and self.scope.docs:
            return set(self.scope.docs)
        return None

    @property
    def described(self) -> str | None:
        """The document the question describes best in words (``preference`` 0), if it describes one."""
        return next((doc_id for doc_id, gap in self.preference.items() if gap == 0.0), None)

    def admits(self, doc_id: str, context: str) -> bool:
        """Evidence from a document the question is about (a province with no document of its own
        is answered only by evidence that names it)."""
        if self.named is not None:
            return doc_id == self.named.doc_id
        return self.scope is None or self.scope.admits(doc_id, folded_form(context))

    def refused(self) -> Answer:
        return Answer(self.text, False, self.kind)


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


class Answerer:
    """Turns a question into an ``Answer`` using one ``Searcher`` snapshot."""

    def __init__(self, searcher: Searcher, min_score: float = MIN_SCORE) -> None:
        self.searcher = searcher
        self.index = searcher.index
        self.min_score = min_score
        self.cite = Citer(self.index)
        self.coverage = Coverage(self.index.search_texts)
        self.units = UnitSearch(self.index, self.coverage)
        self.scopes = ScopeFinder(self.index.documents)
        self.titles = DocumentTitles(self.index.documents)
        self._lead_key_list: list[str] | None = None
        self._assignments: dict[str, tuple[list[str], list[str]]] = {}

    # -- dispatch ------------------------------------------------------------------

    def ask(self, question: str, query_vector: np.ndarray | None = None) -> Answer:
        """Answer with a citation, or ``found=False``; ``query_vector`` as in ``Searcher.search``.

        Dispatch reads the registry in ``search_api.kinds``: a question about the
        document it names goes to the first document kind that takes it; any other
        to the handler of its question kind, with a passage standing in where the
        kind allows.
        """
        started = time.perf_counter()
        asked = self.prepare(question, query_vector)
        check_deadline()
        parsed, named = asked.question, asked.named
        about_named = next((k for k in DOCUMENT_KINDS if k.detect(parsed)), None) if named is not None else None
        if named is not None and about_named is not None:
            answer = self._document_handler(about_named)(asked, named)
        else:
            if named is not None:  # "Theo Kế hoạch 28 …": evidence from that document, about the rest
                asked.hits = [h for h in asked.hits if h.document.doc_id == named.doc_id] or asked.hits
            answer = self._question_handler(BY_NAME[parsed.kind])(asked)
        if not answer.found and passage_may_answer(parsed):
            check_deadline()
            fallback = self._question_handler(FALLBACK)(asked)
            if fallback.found:
                answer = fallback
                answer.kind = parsed.kind
        answer.took_ms = (time.perf_counter() - started) * 1000
        if not answer.found:
            answer.answer = None
            answer.citations = []
        return answer

    def prepare(self, question: str, query_vector: np.ndarray | None = None) -> Asked:
        """Read the question: its kind, the document, place or issuer it names, what it asks about them."""
        restored = self.searcher.restore_accents(question)
        restored = restored if restored != question else None
        parsed = replace(understand(restored or question), text=question)  # same folded form, accents read
        if query_vector is None:
            query_vector = self.searcher.encode_query(question)  # restored there
        hits = self.searcher.search(restored or question, k=SEARCH_DEPTH, query_vector=query_vector).hits
        named = self.searcher.document_for_number(question)
        # A basis question describes its document before "căn cứ …"; what follows describes the basis.
        described = parsed.folded
        if parsed.kind == "basis":
            described = described[: basis_asked_at(described)] or described
        elif parsed.kind == "reference":  # the cited document's issuer is not the question's scope
            described = without_asked_reference(described)
        scope = self.scopes.of(described) if named is None else None
        candidates = set(scope.docs) if scope is not None and scope.docs else None
        preference = self.titles.fit(described, candidates) if named is None else {}
        # What is asked, without the words that only say which document or place it is asked of.
        subject = strip_description(parsed.subject) if preference else parsed.subject
        subject = ScopeFinder.strip(strip_document_reference(subject), scope)
        # function words as typed: accents restored to an unaccented question are a guess
        terms = subject_terms(subject, stopwords_of(question)) or parsed.subject_terms
        parsed = replace(parsed, subject_terms=terms)
        return Asked(parsed, hits, query_vector, named, scope, preference, restored)

    def _question_handler(self, kind: QuestionKind) -> Callable[[Asked], Answer]:
        """The method a question kind names (by name: the registry cannot import this module)."""
        handler: Callable[[Asked], Answer] = getattr(self, kind.handler)
        return handler

    def _document_handler(self, kind: DocumentKind) -> Callable[[Asked, Document], Answer]:
        """The method a document kind names, answering from the named document."""
        handler: Callable[[Asked, Document], Answer] = getattr(self, kind.handler)
        return handler

    # -- evidence ------------------------------------------------------------------

    def _evidence(self, a: Asked, kinds: frozenset[str], accept: Callable[[Unit], bool]) -> list[Scored]:
        """Units the question may be answered from, best first, within its documents."""
        query = " ".join(a.question.subject_terms) or a.text
        years = asked_years(a.question.subject)

        def admitted(unit: Unit, context: str) -> bool:
            if not (a.admits(unit.doc_id, context) and accept(unit)):
                return False
            task = self._task(unit)
            return not years or covers_years(f"{context} {task.deadline if task else ''}", years)

        return self._prefer_current(self.units.find(
            query, a.question.subject_terms, a.vector, kinds=kinds, accented=a.accented, docs=a.docs,
            accept=admitted, preference=a.preference,
        ))

    def _prefer_current(self, scored: list[Scored]) -> list[Scored]:
        """When the best evidence comes from a document the corpus says has ended (replaced, repealed),
        and a document that ended it answers the question's words as fully, the current one goes first."""
        if not scored:
            return scored
        status = self.index.relations.status.get(scored[0].unit.doc_id)
        if status is None or status.in_force or not status.by:
            return scored
        best = scored[0]
        current = next((s for s in scored if s.unit.doc_id in status.by and s.coverage >= best.coverage), None)
        if current is None:
            return scored
        return [current] + [s for s in scored if s is not current]

    def _task(self, unit: Unit) -> Task | None:
        return self.units.tasks.get(unit.task_id or "")

    def _in_scope(self, a: Asked, sentence: str, document: Document) -> str:
        """The answer sentence, opened by the place or issuer the question named ("Ở Lâm Đồng (…): …")."""
        if a.scope is None:
            return sentence
        opener = f"Ở {a.scope.label}" if a.scope.kind == "place" else f"Theo {document.meta.issuer or a.scope.label}"
        return f"{opener} ({document_label(document)}): {sentence}"

    # -- the kinds -----------------------------------------------------------------

    def _lead_keys(self) -> list[str]:
        """Comparable forms of every lead agency in the index, longest first (built once)."""
        if self._lead_key_list is None:
            keys = {agency_key(name) for task in self.index.all_tasks() for name in task.lead}
            # "các sở chủ trì" in a question refers to whoever leads, not to an agency called "các sở"
            named = (k for k in keys if len(k.split()) >= 2 and not k.startswith(("cac ", "nhung ")))
            self._lead_key_list = sorted(named, key=len, reverse=True)
        return self._lead_key_list

    def named_lead(self, question: str) -> str | None:
        """The agency a question places against "phối hợp": the lead in a support question ("Ai phối
        hợp với <X> …?", "<X> phối hợp với ai …?"), the partner in a lead one ("Ai chủ trì, phối hợp với <X> …?").

        Only a known lead (from the index's tasks) placed against the word "phối hợp"
        counts, so an agency named elsewhere in the question ("… tại UBND cấp xã")
        is not taken for the lead.
        """
        text = f" {agency_key(question)} "
        for key in self._lead_keys():
            placed = (f" phoi hop voi {key} ", f" cung voi {key} ", f" cung {key} ", f" {key} phoi hop ", f" {key} can phoi hop ")
            if any(form in text for form in placed):
                return key
        return None

    def _answer_task(self, a: Asked) -> Answer:
        """Who leads, who supports, by when: the best task (or, for a deadline, sentence) with that field."""
        kind = a.kind
        named = self.named_lead(a.text) if kind == "support" else None
        # "Cơ quan nào chủ trì, phối hợp với <X> …": X is the partner, so it is not who leads
        partner = self.named_lead(a.text) if kind == "lead" else None

        def not_partner(names: list[str]) -> bool:
            return not partner or not any(partner in agency_key(n) for n in names)

        def usable(unit: Unit) -> bool:
            if unit.kind == "sentence":
                if kind == "deadline":
                    return self._sentence_deadline(unit) is not None
                lead, support = self._sentence_assignment(unit)
                return bool(lead) and not_partner(lead) if kind == "lead" else bool(support) and not named
            task = self._task(unit)
            if task is None or not not_partner(task.lead):
                return False
            if named and not any(named in agency_key(n) for n in task.lead):
                return False
            return bool({"lead": task.lead, "support": task.support, "deadline": task.deadline}[kind])

        if kind == "deadline" and a.question.measure:  # "bao lâu", "tối đa bao nhiêu ngày": a duration
            return self._answer_target(a)
        kinds = frozenset({"task"} if kind == "support" else {"task", "sentence"})
        scored = self._evidence(a, kinds, usable)
        if not scored or scored[0].score < self.min_score:
            return a.refused()
        best = scored[0]
        document = self.units.document(best.unit)
        if best.unit.kind == "sentence":
            sentence = (best.unit.quote or best.unit.text).strip(" -+")
            passage = self.units.passage(best.unit.passage_id)
            citation = self.cite.passage(passage, sentence) if passage else self.cite.document(document, "", sentence)
            phrase = self._sentence_deadline(best.unit) if kind == "deadline" else deadline_phrase(sentence)
            if kind == "deadline":
                text = f"Thời hạn: {phrase} ({shorten(sentence, 200).rstrip(' .;:')})."
                return Answer(a.text, True, kind, self._in_scope(a, text, document), deadline=phrase,
                              citations=[citation], score=best.score)
            lead, support = self._sentence_assignment(best.unit)
            text = self._assignment_sentence(kind, lead, support, phrase)
            return Answer(a.text, True, kind, self._in_scope(a, text, document), lead, support, phrase,
                          [citation], score=best.score)
        task = self._task(best.unit)
        assert task is not None
        duty = shorten(task.duty or task.objective or task.activities or "", 160).rstrip(" .;:")
        if kind == "deadline":
            sentence = f"Thời hạn: {task.deadline} ({duty})."
        else:
            sentence = self._assignment_sentence(kind, task.lead, task.support, task.deadline)
        twins = self._same_duty_led_by_others(task, best, scored) if kind == "lead" else []
        if twins:  # the document gives the same duty to several agencies: each, with its own row
            sentence = " ".join(f"{self._assignment_sentence(kind, t.lead, t.support, t.deadline)[:-1]}"
                                f"{f' (STT {t.stt})' if t.stt else ''}." for t in (task, *twins))
        tasks = [task, *twins]
        lead = list(dict.fromkeys(name for t in tasks for name in t.lead))
        return Answer(
            a.text, True, kind, self._in_scope(a, sentence, document), lead, list(task.support),
            task.deadline, [self.cite.task(t) for t in tasks], tasks=tasks, score=best.score,
        )

    def _same_duty_led_by_others(self, task: Task, best: Scored, scored: list[Scored]) -> list[Task]:
        """Other rows of the same document giving the same duty to other agencies, scored as well.

        A table grouped by agency repeats a duty under each agency that leads part of it ("Giám sát
        công tác vận hành hệ thống quan trắc …" under the ministry and under the provinces): the
        answer names both, not whichever scored a hair higher.
        """
        def words(t: Task) -> str:
            return " ".join(re.findall(r"\w+", folded_form(t.duty or "")))

        own, leads = words(task), {agency_key(n) for n in task.lead}
        out: list[Task] = []
        for other_scored in scored[1:6]:
            other = self._task(other_scored.unit) if other_scored.unit.kind == "task" else None
            if other is None or other.doc_id != task.doc_id or other_scored.score < best.score - 0.05:
                continue
            theirs = words(other)
            same = len(min(own, theirs, key=len)) >= 30 and (own.startswith(theirs) or theirs.startswith(own))
            if same and {agency_key(n) for n in other.lead} != leads and other.task_id not in {t.task_id for t in out}:
                out.append(other)
        return out

    def _sentence_deadline(self, unit: Unit) -> str | None:
        """The deadline a sentence states, or the one that closes its item: "…; khẩn trương lập báo cáo
        điều chỉnh …; hoàn thành báo cáo … trước ngày 05/5/2026." dates the clauses before it too."""
        sentence = unit.quote or unit.text
        phrase = deadline_phrase(sentence)
        if phrase is not None:
            return phrase
        passage = self.units.passage(unit.passage_id)
        at = passage.text.find(sentence) if passage is not None else -1
        if at < 0:
            return None
        rest = passage.text[at + len(sentence):]
        if not (sentence.rstrip().endswith((";", ",")) or rest.lstrip()[:1] in (";", ",")):
            return None  # a sentence of its own: the next one may be another duty with its own date
        item_end = _NEXT_ITEM.search(rest)
        clauses = re.split(r"(?<=\.)\s", rest[: item_end.start() if item_end else len(rest)])
        return deadline_phrase(clauses[0]) if clauses and clauses[0].strip() else None

    def _sentence_assignment(self, unit: Unit) -> tuple[list[str], list[str]]:
        """Who a sentence gives work to — by its own words, else by the agency its heading names.

        A safety net for prose the task extractor did not read as an assignment.
        """
        cached = self._assignments.get(unit.unit_id)
        if cached is None:
            lead, support = inline_assignment(unit.quote or unit.text)
            if not lead and not _CLOSING.match(folded_form(unit.quote or unit.text)):
                passage = self.units.passage(unit.passage_id)
                lead = section_agencies(passage.section) if passage is not None else []
            cached = self._assignments[unit.unit_id] = (lead, [s for s in support if s not in lead])
        return cached

    @staticmethod
    def _assignment_sentence(kind: str, lead: list[str], support: list[str], deadline: str | None) -> str:
        if kind == "support":
            sentence = f"Cơ quan phối hợp: {_join(support)}" + (f"; chủ trì: {_join(lead)}." if lead else ".")
        else:
            sentence = f"{_join(lead)} chủ trì" + (f", phối hợp với {_join(support)}" if support else "") + "."
        return sentence[:-1] + f"; thời hạn: {deadline}." if deadline else sentence

    def _answer_target(self, a: Asked) -> Answer:
        """A figure to reach: the best sentence that states one, in the measure asked for when it says
        ("bao nhiêu tiền" wants an amount, "bao nhiêu tiêu chí" a number of criteria)."""
        measure = re.compile(a.question.measure) if a.question.measure else None

        def states_figure(unit: Unit) -> bool:
            text = unit.quote or unit.text
            if measure is not None:  # the unit asked for is the figure's shape ("38 tiêu chí")
                return bool(measure.search(folded_form(text)))
            return bool(FIGURE.search(text))

        scored = self._evidence(a, frozenset({"sentence", "task", "row"}), states_figure)
        if not scored or scored[0].score < self.min_score:
            return a.refused()
        best = scored[0]
        document = self.units.document(best.unit)
        citation, sentence = self._unit_citation(best.unit, document)
        figure = FIGURE.search(sentence)
        answer = Answer(a.text, True, a.kind, self._in_scope(a, shorten(sentence, 300), document),
                        citations=[citation], score=best.score)
        answer.target = figure.group(0) if figure else None
        if a.kind == "deadline":  # "trong thời hạn bao lâu": the duration is the deadline
            answer.deadline = _measured(sentence, measure) or answer.target
        return answer

    def _unit_citation(self, unit: Unit, document: Document) -> tuple[Citation, str]:
        """The citation of a sentence, task or row unit, and the sentence that answers from it."""
        task = self._task(unit)
        if task is not None:
            return self.cite.task(task), unit.text
        # a table row is answered as read with its header, and cited as printed
        row = unit.kind == "row"
        quote = unit.quote or unit.text
        quote = quote if row else quote.strip(" -+")
        passage = self.units.passage(unit.passage_id)
        citation = self.cite.passage(passage, quote) if passage else self.cite.document(document, "", quote)
        return citation, unit.text if row else quote

    def _answer_reference(self, a: Asked) -> Answer:
        """A document the evidence cites, of the type and issuer the question asks for ("… theo
        thông tư nào?", "… là quyết định số mấy?"): from the best sentence or task that cites one."""
        asked = asked_reference(a.question.folded)
        if asked is None:
            return a.refused()

        def cited(unit: Unit) -> list[Reference]:
            return fitting(asked, unit.doc_id, unit.quote or unit.text, self.units.document(unit).meta.doc_number)

        scored = self._evidence(a, frozenset({"sentence", "task", "row"}), lambda unit: bool(cited(unit)))
        if not scored or scored[0].score < self.min_score:
            return self._grounds_of_asked_type(a, asked)
        best = scored[0]
        reference = self._nearest_reference(a, best.unit.quote or best.unit.text, cited(best.unit))
        document = self.units.document(best.unit)
        citation, sentence = self._unit_citation(best.unit, document)
        text = f"{reference.mention} (theo {document_label(document)}: {shorten(sentence, 300)})"
        return Answer(a.text, True, a.kind, self._in_scope(a, text, document) if a.scope else text,
                      citations=[citation], score=best.score)

    def _nearest_reference(self, a: Asked, text: str, references: list[Reference]) -> Reference:
        """Of several documents one sentence cites ("bãi bỏ Quyết định số 17/…; Quyết định số 22/… về chức
        năng, nhiệm vụ của Sở …"), the one whose own words, up to the next citation, the question names."""
        if len(references) == 1:
            return references[0]
        starts = sorted((text.find(r.number or r.name or r.mention), k) for k, r in enumerate(references))
        spans = {k: text[start : (starts[i + 1][0] if i + 1 < len(starts) else len(text))]
                 for i, (start, k) in enumerate(starts) if start >= 0}
        best = max(spans, key=lambda k: (self.coverage(a.question.subject_terms, spans[k]), -k), default=0)
        return references[best]

    def _answer_role(self, a: Asked) -> Answer:
        """Who holds a role in a body a decision sets up: the member line ("Chủ tịch Hội đồng: …") or the
        sentence naming the standing body ("Sở Nội vụ là cơ quan thường trực …") that the question matches."""
        role = asked_role(a.question.folded)
        if role is None:
            return a.refused()
        scored = self._evidence(a, frozenset({"sentence"}), lambda unit: holder(unit.quote or unit.text, role) is not None)
        if not scored or scored[0].score < self.min_score:  # no member line says it: who is given the work
            return self._answer_task(replace(a, question=replace(a.question, kind="lead")))
        best = scored[0]
        who = holder(best.unit.quote or best.unit.text, role) or ""
        document = self.units.document(best.unit)
        citation, sentence = self._unit_citation(best.unit, document)
        return Answer(a.text, True, a.kind, self._in_scope(a, f"{who} ({shorten(sentence, 200)})", document),
                      lead=[who], citations=[citation], score=best.score)

    def _answer_ranked(self, a: Asked) -> Answer:
        """The first (or last) of the ranking the question names: the results table whose rows match
        its words best, read by its rank column (or its score)."""
        scored = self._evidence(a, frozenset({"row"}), lambda unit: True)
        # the table is chosen as a whole (its heading and every row: "các sở, ngành" is in its names), not by one row
        tables: dict[str, tuple[float, Scored, Passage]] = {}
        for candidate in scored:
            passage = self.units.passage(candidate.unit.passage_id)
            if passage is None or passage.passage_id in tables:
                continue
            fit = self.coverage(a.question.subject_terms, f"{passage.section}\n{passage.text}")
            tables[passage.passage_id] = (fit, candidate, passage)
        for fit, best, passage in sorted(tables.values(), key=lambda entry: -entry[0]):
            if fit < self.min_score:
                break
            found = ranked_row(passage.text, a.question.folded)
            if found is None:
                continue
            who, row = found
            document = self.units.document(best.unit)
            return Answer(a.text, True, a.kind, self._in_scope(a, f"{who} ({row})", document), lead=[who],
                          citations=[self.cite.passage(passage, row)], score=best.score)
        return a.refused()

    def _grounds_of_asked_type(self, a: Asked, asked: AskedReference) -> Answer:
        """"Kế hoạch X dựa trên quyết định nào của Bộ Y?" when no sentence cites one: the described
        document's *Căn cứ* (or what it implements) of that type and issuer, which are not sentences."""
        document = self._grounded_document(a)
        if document is None:
            return a.refused()
        grounds = [r for r in document.legal_bases or document.implemented if of_asked(r, asked)]
        if not grounds:
            return a.refused()
        names = "; ".join(r.mention for r in grounds)
        line = document.text.split("\n")[grounds[0].line - 1].strip() if grounds[0].line else names
        citation = self.cite.at_line(document, grounds[0].line, line, section="Căn cứ")
        return Answer(a.text, True, a.kind, f"{document_label(document)} căn cứ {names}.", citations=[citation])

    def _answer_list(self, a: Asked) -> Answer:
        """Every task an agency leads, within the named document or scope, the closest to the question first."""
        q = a.question
        if not q.agency:
            return a.refused()
        wanted = agency_key(q.agency)
        pool = [t for t in self.index.all_tasks() if a.docs is None or t.doc_id in a.docs]
        tasks = [t for t in pool if led_by(t.lead, wanted)]
        if not tasks:
            return a.refused()
        # a question that describes one document in words ("… để cải thiện chỉ số PCI") lists that one's tasks
        described = [t for t in tasks if t.doc_id == a.described]
        tasks = described or tasks
        documents = {h.document.doc_id for h in a.hits[:5]}
        tasks.sort(key=lambda t: (t.doc_id not in documents, t.doc_id, t.line_start))
        # "… xây dựng những nền tảng số quốc gia nào?": only the tasks about that. Words every
        # candidate shares (the plan's own name, the agency) say nothing; the rest must be covered.
        # "… giao Bộ Y tế những nhiệm vụ gì": "giao" frames the list, it is no topic
        rest = [t for t in q.subject_terms if t not in set(wanted.split()) and t != "giao"]
        texts = {t.task_id: " ".join(x for x in (t.group, t.duty, t.objective, t.product) if x) for t in tasks}
        # words every candidate shares, in its text or in its document's title ("… để cải thiện chỉ số PCI"
        # of a letter titled so), describe the document, not which of its tasks
        titles = {t.task_id: folded_form(self.index.documents[t.doc_id].meta.title or "").split() for t in tasks}
        shared = {w for w in rest
                  if all(w in folded_form(text).split() or w in titles[k] for k, text in texts.items())}
        topic = [w for w in rest if w not in shared]
        if topic and len(tasks) > 1:
            scored = {t.task_id: self.coverage(topic, texts[t.task_id]) for t in tasks}
            about = [t for t in tasks if scored[t.task_id] >= 0.5]
            if about:
                tasks = sorted(about, key=lambda t: -scored[t.task_id])
        shown = tasks[:MAX_LIST_ITEMS]
        # The name as most tasks print it: the shortest spelling among the commonest.
        names = Counter(name for t in tasks for name in t.lead if wanted in agency_key(name))
        lead_name = min(names.most_common(3), key=lambda item: (-item[1], len(item[0])))[0]
        items = "; ".join(shorten(t.duty or t.objective or "", 90).rstrip(" .;:") for t in shown[:5])
        more = f" (và {len(tasks) - 5} nhiệm vụ khác)" if len(tasks) > 5 else ""
        sentence = f"{lead_name} chủ trì {len(tasks)} nhiệm vụ: {items}{more}."
        return Answer(a.text, True, a.kind, sentence, [lead_name], [], None,
                      [self.cite.task(t) for t in shown], tasks=shown)

    def _answer_document(self, a: Asked, document: Document) -> Answer:
        """A question that only names a document ("399/QĐ-UBND"): what that document is, cited at its opening."""
        meta = document.meta
        sentence = document_label(document) + (f" của {meta.issuer}" if meta.issuer else "")
        sentence += f": {meta.title}." if meta.title else "."
        passage = document.passages[0] if document.passages else None
        citation = self.cite.passage(passage) if passage else self.cite.document(document, "Phần mở đầu",
                                                                                meta.title or "")
        return Answer(a.text, True, "passage", sentence, citations=[citation])

    def _answer_signer(self, a: Asked, document: Document) -> Answer:
        """Who signed the named document, cited at the signature; not found when the text has none."""
        signer = document.meta.signer
        passage = next((p for p in reversed(document.passages) if signer and signer in p.text), None)
        if not signer or passage is None:
            return a.refused()
        citation = self.cite.passage(passage)
        citation.section = "Phần ký ban hành"
        return Answer(a.text, True, a.kind, f"{document_label(document)} do {signer} ký.", lead=[signer],
                      citations=[citation])

    def _grounded_document(self, a: Asked) -> Document | None:
        """The document a basis question is about: named by number, else the best-matching one that has grounds."""
        if a.named is not None:
            return a.named
        described = self.index.documents[a.described] if a.described else None
        if described is not None and not a.admits(described.doc_id, described.meta.issuer or ""):
            described = None  # "… của UBND tỉnh X" with no document of X: a look-alike elsewhere is not it
        if described is not None and (described.legal_bases or described.implemented):
            return described
        for hit in a.hits[:8]:
            document = hit.document
            grounded = document.legal_bases or document.implemented or _proposal_line(document) is not None
            if not grounded or not a.admits(document.doc_id, document.meta.issuer or ""):
                continue
            title = " ".join(x for x in (document.meta.doc_type, document.meta.title) if x)
            if self.coverage(a.question.subject_terms, title) >= 0.5:
                return document
        return None

    def _answer_basis(self, a: Asked) -> Answer:
        """The *Căn cứ* of a document; what a plan or letter implements; on whose proposal it was issued."""
        document = self._grounded_document(a)
        if document is None:
            return a.refused()
        label = document_label(document)
        proposal = _proposal_line(document)
        if _ASKS_PROPOSAL.search(a.question.folded) and proposal is not None:
            line_no, line = proposal
            citation = self.cite.at_line(document, line_no, line, section="Căn cứ")
            return Answer(a.text, True, a.kind, f"{label} được ban hành {line[:1].lower()}{line[1:].rstrip('.;')}.",
                          citations=[citation])
        if document.legal_bases:
            bases = self._asked_bases(a, document)
            names = [b.mention for b in bases]
            if len(bases) < len(document.legal_bases):
                sentence = f"{label} căn cứ " + "; ".join(names) + "."
            else:
                sentence = f"{label} căn cứ {len(names)} văn bản: " + "; ".join(names) + "."
            passage = next((p for p in document.passages if p.kind == "basis" and bases[0].mention in p.text),
                           next((p for p in document.passages if p.kind == "basis"), None))
            section = "Căn cứ"
        elif document.implemented:
            names = [r.mention for r in document.implemented]
            sentence = (f"{label} không nêu mục căn cứ; văn bản được ban hành để thực hiện "
                        + "; ".join(names) + ".")
            passage = document.passage_at(document.implemented[0].line)
            section = "Phần mở đầu"
        else:
            return a.refused()
        citation = self.cite.passage(passage) if passage else self.cite.document(document, section, "; ".join(names))
        return Answer(a.text, True, a.kind, sentence, citations=[citation])

    def _answer_effective(self, a: Asked) -> Answer:
        """When a document takes effect, from its own clause ("Quyết định này có hiệu lực kể từ ngày …").

        The document is the one the question names or describes, else the best hit that has
        such a clause; "kể từ ngày ký" is answered with the date it was signed.
        """
        candidates = [a.named] if a.named is not None else []
        if not candidates and a.described:
            candidates = [self.index.documents[a.described]]
        if not candidates:
            candidates = [h.document for h in a.hits[:5] if a.admits(h.document.doc_id, h.passage.text)]
        for document in candidates:
            found = _effect_clause(document)
            if found is None:
                continue
            line_no, clause = found
            phrase = clause[clause.lower().index("hiệu lực"):].rstrip(" .;")
            if "ngày ký" in phrase.lower() and document.meta.issued_date:
                phrase += f" ({display_date(document.meta.issued_date)})"
            citation = self.cite.at_line(document, line_no, clause)
            sentence = f"{document_label(document)} có {phrase}."
            return Answer(a.text, True, a.kind, sentence, deadline=phrase, citations=[citation])
        return a.refused()

    def _about(self, a: Asked) -> Document | None:
        """The document a relation or status question is about: named by number, else described."""
        if a.named is not None:
            return a.named
        return self.index.documents[a.described] if a.described else None

    def _edge_citation(self, edge: Edge) -> Citation:
        """The clause that states an edge, in the document that states it (always the edge's source)."""
        source = self.index.documents[edge.source]
        passage = source.passage_at(edge.line)
        return self.cite.passage(passage) if passage else self.cite.document(source, "", edge.mention)

    def _edges_about(self, a: Asked, kinds: list[str], incoming: bool) -> tuple[str, list[Edge]]:
        """(how to name it, its edges of ``kinds``) for the document the question is about.

        A document outside the corpus ("Văn bản nào bãi bỏ Quyết định 139/2002/QĐ-TTg?") is found
        among the corpus's citations, by the same keys the graph and the gold evaluator use.
        """
        graph = self.index.relations
        document = self._about(a)
        if document is not None:
            edges = (graph.incoming if incoming else graph.outgoing).get(document.doc_id, [])
            return document_label(document), [e for e in edges if e.kind in kinds]
        if not incoming:
            return self._outgoing_edges_described(a, kinds)
        asked = set().union(*(citation_keys(r.number, r.name) for r in extract_references("", a.text)), set())
        edges = [e for e in graph.edges if e.kind in kinds and e.target is None and citation_keys(e.number, e.name) & asked]
        return (edges[0].printed if edges else ""), edges

    def _outgoing_edges_described(self, a: Asked, kinds: list[str]) -> tuple[str, list[Edge]]:
        """"Huế bãi bỏ quyết định nào về phân cấp quản lý tài sản công?" names no document that repeals:
        the one, among those that do (within the question's scope), whose text answers the question's
        words best, with its edges of ``kinds``."""
        graph = self.index.relations
        sources = {e.source for e in graph.edges if e.kind in kinds}
        scored = self._evidence(a, frozenset({"sentence", "task", "row"}), lambda unit: unit.doc_id in sources)
        if not scored or scored[0].score < self.min_score:
            return "", []
        doc_id = scored[0].unit.doc_id
        return document_label(self.index.documents[doc_id]), [e for e in graph.outgoing.get(doc_id, []) if e.kind in kinds]

    def _answer_relation(self, a: Asked) -> Answer:
        """"Văn bản nào thay thế / sửa đổi / hướng dẫn X?", "X thay thế văn bản nào?", "… căn cứ vào X?".

        From the relations graph; each answer cites the clause that says it. Nothing in the
        corpus saying so is "không tìm thấy", never a guess.
        """
        folded = a.question.folded
        found = RELATION_INCOMING.search(folded)
        incoming = found is not None
        found = found or RELATION_OUTGOING.search(folded)
        if found is None:
            return a.refused()
        verb = found.group("verb") or (found.groupdict().get("passive") or "")
        kinds = [kind for kind, pattern in RELATION_VERBS if re.fullmatch(pattern, verb)]
        label, edges = self._edges_about(a, kinds, incoming)
        if not edges:  # no document of the corpus said so; a sentence may still cite it ("bãi bỏ quyết định nào")
            return self._answer_reference(a) if not incoming else a.refused()
        parts = []
        for kind in dict.fromkeys(e.kind for e in edges):
            names = []
            for e in (e for e in edges if e.kind == kind):
                other = e.source if incoming else e.target
                name = document_label(self.index.documents[other]) if other else e.printed
                names.append(name + (f" ({e.articles})" if e.articles else ""))
            words = IN_LABELS[kind].lower() if incoming else OUT_LABELS[kind].lower()
            parts.append(f"{words}: {'; '.join(dict.fromkeys(names))}")
        sentence = f"{label} " + "; ".join(parts) + f". ({CORPUS_NOTE})"
        citations = list({c.url: c for c in (self._edge_citation(e) for e in edges)}.values())
        return Answer(a.text, True, a.kind, sentence, citations=citations)

    def _answer_in_force(self, a: Asked) -> Answer:
        """"X còn hiệu lực không?": the status the graph derives, citing the clause that ended or amended X,
        else X's own effect clause."""
        document = self._about(a)
        status = self.index.relations.status.get(document.doc_id) if document is not None else None
        if document is None or status is None:
            return a.refused()
        sentence = f"{document_label(document)}: {status.label}. {status.note}"
        edges = [e for e in self.index.relations.incoming.get(document.doc_id, []) if e.source in status.by]
        citations = [self._edge_citation(e) for e in edges]
        if not citations and document.effect is not None:
            citations = [self.cite.at_line(document, document.effect.line, document.effect.clause)]
        if not citations:
            citations = [self.cite.document(document, "", status.label)]
        return Answer(a.text, True, a.kind, sentence, deadline=None, citations=citations)

    def _asked_bases(self, a: Asked, document: Document) -> list[Reference]:
        """The legal bases the question asks for: all of them, or those of the type it names
        ("căn cứ quyết định nào của Thủ tướng …") and, among several, the one its words describe."""
        bases = list(document.legal_bases)
        asked = _ASKED_BASIS_TYPE.search(a.question.folded)
        if asked:
            typed = [b for b in bases if folded_form(b.mention).startswith(asked.group(1))]
            bases = typed or bases
        if len(bases) > 1:
            lines = document.text.split("\n")
            # the document's own type and number ("Công văn 5155") describe it, not one of its bases
            own = set(re.findall(r"\w+", folded_form(f"{document.meta.doc_type or ''} {document.meta.doc_number or ''}")))
            terms = [t for t in a.question.subject_terms
                     if t not in own and (not asked or t not in asked.group(1).split())]
            scored = sorted(((self.coverage(terms, _basis_clause(lines, b)), k) for k, b in enumerate(bases)),
                            reverse=True)
            if scored[0][0] >= 0.5 and scored[0][0] - scored[1][0] >= 0.15:
                bases = [bases[scored[0][1]]]
        return bases

    def _answer_passage(self, a: Asked) -> Answer:
        """A relevant passage, within the question's documents, when nothing more precise answers.

        Standing in for a kind, the passage must at least hold what that kind asks for: a
        figure for a target, a date for a deadline, an agency for who leads or supports.
        """
        holds = _HOLDS.get(a.kind)
        measure = re.compile(a.question.measure) if a.question.measure else None
        years = asked_years(a.question.subject)
        for hit in a.hits[:5]:
            if not a.admits(hit.document.doc_id, hit.passage.text):
                continue
            about = f"{hit.passage.section} {hit.passage.text} {hit.document.meta.title or ''}"
            if years and not covers_years(about, years):
                continue
            if holds is not None and not holds.search(hit.passage.text):
                continue
            if measure is not None and not measure.search(folded_form(hit.passage.text)):
                continue
            text = f"{hit.passage.section}\n{hit.passage.text}"  # not the title: it would cover every passage alike
            if self.coverage(a.question.subject_terms, text) >= 0.6:
                citation = self.cite.passage(hit.passage)
                sentence = f"Theo {document_label(hit.document)}: {shorten(hit.passage.text, 300)}"
                return Answer(a.text, True, "passage", sentence, citations=[citation])
        return a.refused()


def _measured(sentence: str, measure: re.Pattern[str] | None) -> str | None:
    """The part of the sentence that states the measure asked for ("30 ngày"), as printed."""
    if measure is None:
        return None
    folded = folded_form(sentence)
    m = measure.search(folded)
    return sentence[m.start() : m.end()].strip() if m and len(folded) == len(sentence) else None


# Where the next item starts: a new line opening with "a)", "2.", "-" or "+".
_NEXT_ITEM = re.compile(r"\n\s*(?:[a-zđ]\)|\d{1,2}[.)]|[-+•])\s")

# The closing formula under the last section ("Trên đây là Kế hoạch …", "Trong quá trình thực hiện, nếu có
# khó khăn …") speaks to everyone: the agency heading the section above it is not given that work.
_CLOSING = re.compile(r"^\W*(?:tren day la|trong qua trinh (?:thuc hien|trien khai|to chuc))\b")

# What a passage standing in for an answer must hold, by the kind asked.
_AGENCY_NAMED = re.compile(r"\b(?:Sở|Bộ|UBND|Ủy ban|Văn phòng|Ban|Cục|Trung tâm|Công an|Thanh tra|Kho bạc|Viện|Đài|"
                           r"Báo|Hội|Tổng cục|Chi cục|Bảo hiểm|Ngân hàng|Tổng công ty|Tập đoàn)\s+[A-ZĐÂĂÊÔƠƯ\d]")
_HOLDS: dict[str, re.Pattern[str]] = {
    "target": FIGURE,
    "deadline": re.compile(r"\d{1,2}\s*/\s*\d{1,2}|\b(?:ngày|tháng|quý|năm)\s+\d|\b\d+\s+(?:ngày|tháng)\b", re.IGNORECASE),
    "lead": _AGENCY_NAMED,
    "support": _AGENCY_NAMED,
}


# "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …", "Xét đề nghị của …": on whose proposal.
_PROPOSAL = re.compile(r"^\s*(?:theo|xet)\s+de\s+nghi\b")
_ASKS_PROPOSAL = re.compile(r"\b(?:de nghi cua|theo de nghi|to trinh|ai de nghi|de xuat cua)\b")


def _effect_clause(document: Document) -> tuple[int, str] | None:
    """(1-based line, the sentence) of the document's own clause on when it takes effect (indexer.effect);
    any other such clause (a law it cites) only when it has none."""
    clauses = list(effect_clauses(document.text))
    best = next((c for c in clauses if c.own), clauses[0] if clauses else None)
    return (best.line, best.sentence) if best else None


# "căn cứ quyết định nào", "thực hiện chương trình hành động nào": the type of basis asked for.
_ASKED_BASIS_TYPE = re.compile(
    r"\b(?:can cu(?: vao)?|thuc hien|trien khai|dua tren)\s+(?:nhung |cac )?("
    + "|".join(sorted((re.escape(folded_form(t)) for t in DOC_TYPE_NAMES_PRINTED), key=len, reverse=True))
    + r")\b(?:\s+\w+){0,3}?\s+(?:nao|gi)\b"
)


def _basis_clause(lines: list[str], basis: Reference) -> str:
    """The clause of the *Căn cứ* that cites ``basis``: its mention and what follows, to the next ";".

    Looked for in the text as the mention was made from it (wraps joined, numbers' spacing tidied).
    """
    around = tidy_number_spacing(" ".join(" ".join(lines[max(0, basis.line - 1) : basis.line + 4]).split()))
    start = around.find(basis.mention)
    if start < 0:
        return basis.mention
    end = around.find(";", start)
    return around[start : end if end >= 0 else len(around)]


def _proposal_line(document: Document) -> tuple[int, str] | None:
    """(1-based line, text) of the preamble's "Theo đề nghị …" line, wrapped lines joined."""
    lines = document.text.split("\n")
    for i, line in enumerate(lines[:200]):
        if _PROPOSAL.match(folded_form(line)):
            text = line.strip()
            k = i + 1
            while k < len(lines) and lines[k].strip() and not text.rstrip().endswith((".", ";")) and k - i < 4:
                text = f"{text} {lines[k].strip()}"
                k += 1
            return i + 1, " ".join(text.split())
    return None


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
        lines.append(f"  “{shorten(citation.quote, 240)}”")
    return "\n".join(lines)
