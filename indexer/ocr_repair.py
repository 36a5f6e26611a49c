"""Restore the Vietnamese syllables of text damaged by OCR ("Thirc hin Quy& djnh s" → "Thực hiện Quyết định số").

Why: a scan recognised without a Vietnamese model cannot be found by the words an
official types, and its answers show garble. Each printed token gets candidate
syllables from the OCR confusion model (``indexer.ocr_confusion``), restricted to the
syllable inventory of clean text; a syllable trigram model (``indexer.syllable_lm``)
chooses among them with a beam search over the line (noisy channel: language model
score + channel cost). Tokens that are not syllables (numbers, codes, abbreviations)
are kept and stand in the model as a class.

The repaired reading never replaces the original: the pipeline keeps the original for
display and citations and adds the reading to what search indexes. A clean text is
never repaired (``indexer.text_quality.needs_repair``).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import product
from pathlib import Path

from tqdm import tqdm

from indexer.normalise import fold_accents, lexical_form, normalise_tone_marks
from indexer.records import Document
from indexer.ocr_confusion import CandidateIndex, lookup_key
from indexer.settings import Settings
from indexer.store import write_atomically
from indexer.syllable_lm import (
    BOS, NUMBER, OTHER, SyllableLM, base_model, fingerprint, lm_token, token_core, training_files,
)
from indexer.syllables import is_syllable_shaped
from indexer.text_quality import needs_repair

REPAIR_VERSION = 3  # raise when the decoding changes: cached readings of damaged documents are redone
CHANNEL_WEIGHT = 2.0  # log10 of the language model per unit of channel cost (chosen on a dev page, see README)
KEEP_COST = 2.2  # keeping a token that is no known syllable, as it was printed
LONE_ONE_COST = 0.8  # a lone "1" read as the number one rather than a syllable
BEAM = 10  # states (last two syllables) kept per token
MAX_OPTIONS = 24  # candidates per token, by channel cost and frequency
# Tokens OCR glued together ("Taichinh", "Caccoquan" in narrow table cells) are also read as
# two or three syllables, at this channel cost per missing space (chosen on dev pages rendered
# from build-split documents that the OCR report does not measure).
SPLIT_COST = 0.1
SPLIT_MIN_LETTERS = 4
SPLIT_OPTIONS = 8  # split readings kept per token
PIECE_OPTIONS = 3  # syllables considered per piece of a split
REPAIRED_LABEL = "bản đọc sửa lỗi tự động"
PAGE_CHARS = 3000  # about one printed A4 page of administrative text, for the time per page

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Option:
    """One reading of a printed token: what to print, what the model sees, at what channel cost."""

    text: str
    lm: str
    cost: float
    parts: tuple[str, ...] = ()  # a token read as several syllables: what the model sees, in order


@dataclass(frozen=True)
class RepairResult:
    text: str
    tokens: int  # tokens that were decoded (syllable-like)
    changed: int  # tokens whose reading differs from the print
    seconds: float


def _restore_case(original: str, syllable: str, heading: bool) -> str:
    """The case of the print: capitals in headings and long words, a capital first letter kept."""
    letters = [ch for ch in original if ch.isalpha()]
    if not letters:
        return syllable
    upper = sum(ch.isupper() for ch in letters) / len(letters)
    if upper >= 0.6 and (heading or len(letters) >= 4):
        return syllable.upper()
    if letters[0].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable


def _is_heading(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) / len(letters) >= 0.7


class Repairer:
    """Decodes damaged lines against one language model and its syllable inventory."""

    def __init__(self, model: SyllableLM, *, channel_weight: float = CHANNEL_WEIGHT, beam: int = BEAM) -> None:
        self.model = model
        self.channel_weight = channel_weight
        self.beam = beam
        self.index = CandidateIndex(s for s in model.inventory() if is_syllable_shaped(s))
        self._keys = self.index.folded_keys()
        self._options = lru_cache(maxsize=100_000)(self._token_options)
        self._pieces = lru_cache(maxsize=100_000)(self._piece_syllables)

    def _token_options(self, core: str) -> tuple[Option, ...] | None:
        """Readings of one printed token; None for a token the model does not see (a lone sign)."""
        if core == "1":  # "xà 1", "t' 1": OCR prints a lone l with its vowel lost as the digit one
            return (Option(core, NUMBER, LONE_ONE_COST), *self._syllable_options("1"))
        if not any(ch.isalpha() for ch in core):
            return (Option(core, NUMBER, 0.0),) if any(ch.isdigit() for ch in core) else None
        low = lexical_form(core)
        letters = [ch for ch in core if ch.isalpha()]
        if ("/" in core or sum(ch.isdigit() for ch in core) >= 2) or len(core) > 12:
            return (Option(core, lm_token(core), 0.0),)  # a code or a number with letters: 6745/QĐ-UBND
        if len(letters) >= 2 and all(ch.isupper() for ch in letters) and lookup_key(core) not in self._keys:
            return (Option(core, OTHER, 0.0),)  # an abbreviation: UBND, TTHC, SIPAS
        options = self._syllable_options(low)
        if low not in self.index.syllables and len(letters) >= SPLIT_MIN_LETTERS:
            options += self._split_options(low)
        if low not in self.index.syllables:
            options.append(Option(core, OTHER, KEEP_COST if options else 0.0))
        return tuple(options)

    def _piece_syllables(self, piece: str) -> tuple[tuple[str, float], ...]:
        """The few likeliest (syllable, channel cost) readings of one piece of a glued token."""
        if not any(ch.isalpha() for ch in piece):
            return ()
        return tuple((o.text, o.cost) for o in self._syllable_options(piece)[:PIECE_OPTIONS])

    def _split_options(self, low: str) -> list[Option]:
        """Readings of a glued token as two or three syllables, cheapest (channel and frequency) first."""
        cuts = [(i,) for i in range(1, len(low))] + [(i, j) for i in range(1, len(low) - 1) for j in range(i + 1, len(low))]
        scored: list[tuple[float, Option]] = []
        for cut in cuts:
            bounds = (0, *cut, len(low))
            readings = [self._pieces(low[a:b]) for a, b in zip(bounds, bounds[1:])]
            if not all(readings):
                continue
            for combo in product(*readings):
                parts = tuple(syllable for syllable, _ in combo)
                cost = sum(c for _, c in combo) + SPLIT_COST * len(cut)
                option = Option(" ".join(parts), parts[-1], cost, parts)
                scored.append((self.channel_weight * cost - sum(self._unigram(p) for p in parts), option))
        scored.sort(key=lambda pair: pair[0])
        return [option for _, option in scored[:SPLIT_OPTIONS]]

    def _syllable_options(self, low: str) -> list[Option]:
        """The likeliest syllables behind a printed token, by channel cost and frequency."""
        scored = [
            (Option(syllable, syllable, cost), self.channel_weight * cost - self._unigram(syllable))
            for syllable, cost in self.index.candidates(low)
        ]
        scored.sort(key=lambda pair: pair[1])
        return [option for option, _ in scored[:MAX_OPTIONS]]

    def _unigram(self, syllable: str) -> float:
        return self.model.log10_prob("", "", syllable)

    def repair_line(self, line: str) -> tuple[str, int, int]:
        """(repaired line, tokens decoded, tokens changed)."""
        heading = _is_heading(line)
        slots: list[tuple[re.Match[str], str, tuple[Option, ...]]] = []
        for match in _TOKEN.finditer(line):
            core = token_core(match.group())
            options = self._options(core) if core else None
            if options is not None:
                slots.append((match, core, options))
        if not slots:
            return line, 0, 0
        # state (u, v) → (score, back-chain of choices)
        states: dict[tuple[str, str], tuple[float, tuple | None]] = {(BOS, BOS): (0.0, None)}
        lm = self.model.log10_prob
        weight = self.channel_weight
        for _, _, options in slots:
            new: dict[tuple[str, str], tuple[float, tuple | None]] = {}
            for (u, v), (score, chain) in states.items():
                for option in options:
                    if option.parts:
                        total, (a, b) = score - weight * option.cost, (u, v)
                        for part in option.parts:
                            total, (a, b) = total + lm(a, b, part), (b, part)
                        key = (a, b)
                    else:
                        total = score + lm(u, v, option.lm) - weight * option.cost
                        key = (v, option.lm if option.lm != OTHER else option.text)
                    if key not in new or total > new[key][0]:
                        new[key] = (total, (option, chain))
            states = dict(sorted(new.items(), key=lambda kv: -kv[1][0])[: self.beam])
        chain = max(states.values(), key=lambda value: value[0])[1]
        chosen: list[Option] = []
        while chain is not None:
            chosen.append(chain[0])
            chain = chain[1]
        chosen.reverse()
        out: list[str] = []
        last = 0
        changed = 0
        for (match, core, _), option in zip(slots, chosen):
            if option.lm in (OTHER, NUMBER):
                continue
            reading = _restore_case(core, option.text, heading)
            if reading == core:
                continue
            changed += 1
            start = match.start() + match.group().find(core)
            out.append(line[last:start])
            out.append(reading)
            last = start + len(core)
        out.append(line[last:])
        return "".join(out), len(slots), changed

    def repair(self, text: str) -> RepairResult:
        """Every line of ``text`` decoded; line breaks and everything that is not a syllable kept."""
        started = time.perf_counter()
        text = normalise_tone_marks(unicodedata.normalize("NFC", text))
        lines, tokens, changed = [], 0, 0
        for line in text.split("\n"):
            repaired, n, c = self.repair_line(line)
            lines.append(repaired)
            tokens += n
            changed += c
        return RepairResult("\n".join(lines), tokens, changed, time.perf_counter() - started)


def build_repairer(settings: Settings, clean_texts: Iterable[str] = (), *, progress: bool = False) -> Repairer:
    """A repairer from the cached law model plus the clean documents at hand (the corpus)."""
    cache = Path(settings.ocr_lm_cache).expanduser() if settings.ocr_lm_cache else None
    model = base_model(Path(settings.ocr_lm_corpus).expanduser(), cache, progress=progress)
    model.add_texts(clean_texts)
    return Repairer(model)


@lru_cache(maxsize=1)
def _default_repairer() -> Repairer:
    return build_repairer(Settings.from_env())


def repair_text(text: str, repairer: Repairer | None = None) -> str:
    """The repaired reading of an OCR-damaged text; a clean text comes back unchanged."""
    if not needs_repair(text):
        return text
    return (repairer or _default_repairer()).repair(text).text


def repair_documents(documents: list[Document], settings: Settings, *, progress: bool = True) -> list[str]:
    """Give every passage of each damaged document its repaired reading; notes for the build report.

    Runs only when some document needs repair, so a clean corpus never loads the model.
    The clean documents of the corpus teach the model their vocabulary on top of the laws.
    Readings are cached by the model's sources and the passages' text, so re-indexing an
    unchanged corpus repairs nothing again.
    """
    damaged = [d for d in documents if needs_repair(d.text, d.ocr_damage)]
    if not damaged:
        return []
    damaged_ids = {id(d) for d in damaged}
    clean = [d.text for d in documents if id(d) not in damaged_ids]
    cache = Path(settings.ocr_lm_cache).expanduser() if settings.ocr_lm_cache else None
    model_key = hashlib.sha256(
        f"{REPAIR_VERSION}\0{fingerprint(training_files(Path(settings.ocr_lm_corpus).expanduser()))}".encode()
    )
    for text in sorted(clean):
        model_key.update(hashlib.sha256(text.encode()).digest())
    repairer: Repairer | None = None
    notes = []
    for document in damaged:
        texts = [p.text for p in document.passages]
        key = hashlib.sha256(model_key.digest() + json.dumps(texts).encode()).hexdigest()[:24]
        cached = _read_readings(cache / f"repair-{key}.json", len(texts)) if cache else None
        if cached is not None:
            for passage, reading in zip(document.passages, cached):
                passage.repaired = reading
            notes.append(f"{document.meta.source}: {REPAIRED_LABEL} lấy từ bộ nhớ đệm (văn bản không đổi).")
            continue
        if repairer is None:
            repairer = build_repairer(settings, clean, progress=progress)
        started = time.perf_counter()
        tokens = changed = 0
        for passage in tqdm(document.passages, desc=f"Sửa lỗi OCR {document.meta.source}", unit="đoạn",
                            disable=not progress):
            result = repairer.repair(passage.text)
            tokens += result.tokens
            changed += result.changed
            passage.repaired = result.text if result.text != passage.text else None
        seconds = time.perf_counter() - started
        if cache is not None:
            _write_readings(cache / f"repair-{key}.json", [p.repaired for p in document.passages])
        pages = max(1.0, len(document.text) / PAGE_CHARS)
        notes.append(
            f"{document.meta.source}: {REPAIRED_LABEL} cho {changed}/{tokens} từ "
            f"({seconds:.1f} giây, {seconds / pages:.2f} giây/trang {PAGE_CHARS} ký tự)."
        )
    return notes


def _read_readings(path: Path, count: int) -> list[str | None] | None:
    try:
        readings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return readings if isinstance(readings, list) and len(readings) == count else None


def _write_readings(path: Path, readings: list[str | None]) -> None:
    try:
        write_atomically(path, json.dumps(readings, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # a read-only cache only costs the next build a repair


def reading_of(original: str, repaired: str, quote: str) -> str | None:
    """The repaired reading of ``quote``, a piece of ``original``.

    Repair replaces letters inside words, and reads a glued word as two or three; so
    the words of the original map in order onto the words of its reading. A quote is
    found by its words, then taken through that map.
    """
    words, fixed, wanted = original.split(), repaired.split(), quote.split()
    if not wanted:
        return None
    starts = _reading_starts(words, fixed)
    for start in range(len(words) - len(wanted) + 1):
        if words[start:start + len(wanted)] == wanted:
            reading = " ".join(fixed[starts[start]:starts[start + len(wanted)]])
            return reading if reading != " ".join(wanted) else None
    return None


def _reading_starts(words: list[str], fixed: list[str]) -> list[int]:
    """For each word of the original (and its end), where its reading starts among ``fixed``."""
    if len(words) == len(fixed):
        return list(range(len(words) + 1))
    folded = SequenceMatcher(None, [fold_accents(w).lower() for w in words],
                             [fold_accents(w).lower() for w in fixed], autojunk=False)
    starts = [0] * (len(words) + 1)
    for _, i1, i2, j1, j2 in folded.get_opcodes():
        for i in range(i1, i2):  # inside a changed stretch, readings are spread evenly over its words
            starts[i] = j1 + (i - i1) * (j2 - j1) // (i2 - i1)
    starts[len(words)] = len(fixed)
    return starts
