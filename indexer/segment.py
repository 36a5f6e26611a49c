"""Vietnamese word segmentation for the lexical index and for queries.

Tokens are lower-cased NFC words: pyvi joins the syllables of a multi-syllable
word with "_" ("tài_chính"), and we emit the word *and* its syllables ("tài",
"chính"), because pyvi segments a short query and a long passage differently
and the syllables still meet when the words do not (measured on ALQAC: see
``indexer.alqac``; words + syllables beats words alone and syllables alone).

Some strings must not reach pyvi, which splits on "/" and "%": document numbers
("399/QĐ-UBND" → "399/qđ-ubnd", "60/2021/NĐ-CP", "01-CTr/TU"), dates
("31/12/2023") and percentages ("86%") become single tokens, followed by their
meaningful parts (the number and the type of a document number, the year of a
date) so that "quyết định 399" and "năm 2023" still match.

Lines typed (or OCR'd) without any diacritics are not given to pyvi, whose
model is accented: they yield their syllables plus the runs of syllables that
are words of pyvi's dictionary once folded ("tai_chinh"), see
``_unaccented_tokens``.

Documents and queries go through the same function; ``folded_tokens`` gives the
accent-folded form of the same tokens for the field that unaccented queries hit.
Nothing is cached between calls.
"""

from __future__ import annotations

import re
import string
import threading
import unicodedata
from collections.abc import Iterable

from indexer.normalise import fold_accents, normalise_tone_marks

# ---------------------------------------------------------------------------
# Strings kept whole
# ---------------------------------------------------------------------------

_L = r"A-Za-zĐđ"  # first letter of a document-type / issuer code
# "399/QĐ-UBND", "60/2021/NĐ-CP", "2458/UBND-SNV", "25/2018/QH14", "10/2017/TTLT-BTC-BNV"
_DOC_NUMBER_SLASH = (
    rf"\d{{1,5}}[a-zA-Z]?(?:/\d{{4}})?/[{_L}][\wĐđ]+(?:[-–][\wĐđ]+)*"
)
# Party documents: "01-CTr/TU", "05-NQ/TW", "57-NQ/TW"
_DOC_NUMBER_DASH = rf"\d{{1,5}}[a-zA-Z]?[-–][{_L}][\wĐđ]*/[{_L}][\wĐđ]*(?:[-–][\wĐđ]+)*"
_DOC_NUMBER = re.compile(rf"(?<![\w/])(?:{_DOC_NUMBER_SLASH}|{_DOC_NUMBER_DASH})(?![\w/])")

_DATE = re.compile(
    r"(?<![\w/.-])(?:\d{1,2}/\d{1,2}/\d{4}|\d{1,2}-\d{1,2}-\d{4}|\d{1,2}/\d{4})(?![\w/])"
)
_PERCENT = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\s?%")


def _doc_number_spans(text: str) -> list[tuple[int, int]]:
    """PRIVATE STAND-IN for ``indexer.doc_numbers.find_doc_numbers``.

    Returns (start, end) character spans of document numbers in ``text``. The
    lead swaps this for the shared finder once ``indexer/doc_numbers.py`` lands;
    only spans are used here, and the token is the lower-cased span text with
    en dashes made hyphens (see ``_doc_number_token``).
    """
    return [m.span() for m in _DOC_NUMBER.finditer(text)]


def _doc_number_token(raw: str) -> str:
    """The single token a document number becomes: lower-cased, no spaces, "-" for dashes."""
    return re.sub(r"\s+", "", raw).replace("–", "-").lower()


def _special_spans(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) spans kept whole; earlier kinds win overlaps."""
    found: list[tuple[int, int, str]] = [(s, e, "doc") for s, e in _doc_number_spans(text)]
    found += [(m.start(), m.end(), "date") for m in _DATE.finditer(text)]
    found += [(m.start(), m.end(), "pct") for m in _PERCENT.finditer(text)]
    if not found:
        return []
    priority = {"doc": 0, "date": 1, "pct": 2}
    found.sort(key=lambda s: (s[0], priority[s[2]], -s[1]))
    spans: list[tuple[int, int, str]] = []
    end = -1
    for s, e, kind in found:
        if s >= end:
            spans.append((s, e, kind))
            end = e
    return spans


_PARTS = re.compile(r"[^\W_]+")


def _special_tokens(raw: str, kind: str) -> list[str]:
    """The whole token and the parts worth matching on their own."""
    if kind == "doc":
        whole = _doc_number_token(raw)
        parts = [p for p in _PARTS.findall(whole) if p != whole]
        return [whole, *dict.fromkeys(parts)]
    if kind == "date":
        whole = raw.lower()
        years = [p for p in _PARTS.findall(whole) if len(p) == 4]
        return [whole, *years]
    whole = re.sub(r"\s+", "", raw)  # "86 %" → "86%"
    return [whole, whole[:-1]]


# ---------------------------------------------------------------------------
# pyvi, with a faster but identical feature extractor
# ---------------------------------------------------------------------------

_PUNCT = set(string.punctuation)


class _Pyvi:
    """pyvi's ViTokenizer.tokenize, returning tokens instead of a string.

    The CRF model, the syllabiser and the merge rule are pyvi's own; only the
    features are built faster. ``ViTokenizer.word2features`` builds one dict per
    syllable, recomputing lower()/istitle()/n-gram look-ups up to five times,
    and python-crfsuite turns each dict into attributes: a string value becomes
    the attribute "name:value" with weight 1, a boolean the attribute "name"
    with weight 1 or 0. We build those attribute lists directly (False
    attributes, weight 0, are left out), which is ~2x faster overall;
    ``tests/test_segment.py`` checks the output equals ``ViTokenizer.tokenize``.
    """

    _loaded = False
    # One pycrfsuite Tagger is shared; its tag() keeps state between set and
    # decode, so API worker threads take turns.
    _lock = threading.Lock()

    @classmethod
    def _load(cls) -> None:
        # Imported lazily: loading the CRF model takes ~0.3 s.
        from pyvi import ViTokenizer as vt

        if cls._loaded:
            return

        cls.vt = vt.ViTokenizer
        cls.tagger = vt.ViTokenizer.model.tagger_
        cls.bi = vt.ViTokenizer.bi_grams
        cls.tri = vt.ViTokenizer.tri_grams
        cls._loaded = True

    _folded: tuple[frozenset[str], frozenset[str]] | None = None

    @classmethod
    def folded_dictionary(cls) -> tuple[frozenset[str], frozenset[str]]:
        """pyvi's 2- and 3-syllable words, accent-folded and "_"-joined (model data, built once)."""
        if cls._folded is None:
            if not cls._loaded:
                cls._load()
            cls._folded = (
                frozenset(fold_accents(w).replace(" ", "_") for w in cls.bi),
                frozenset(fold_accents(w).replace(" ", "_") for w in cls.tri),
            )
        return cls._folded

    @classmethod
    def features(cls, sylls: list[str]) -> list[list[str]]:
        n = len(sylls)
        low = [s.lower() for s in sylls]
        title = [s.istitle() for s in sylls]
        upper = [s.isupper() for s in sylls]
        bi, tri = cls.bi, cls.tri
        big = [f"{low[i]} {low[i + 1]}" in bi for i in range(n - 1)]
        trig = [f"{low[i]} {low[i + 1]} {low[i + 2]}" in tri for i in range(n - 2)]
        feats = []
        for i in range(n):
            f = ["bias", "word.lower():" + low[i]]
            if upper[i]:
                f.append("word.isupper()")
            if title[i]:
                f.append("word.istitle()")
            if sylls[i].isdigit():
                f.append("word.isdigit()")
            if i > 0:
                f.append("-1:word.lower():" + low[i - 1])
                if title[i - 1]:
                    f.append("-1:word.istitle()")
                if upper[i - 1]:
                    f.append("-1:word.isupper()")
                if big[i - 1]:
                    f.append("-1:word.bi_gram()")
                if i > 1 and trig[i - 2]:
                    f.append("-2:word.tri_gram()")
            if i < n - 1:
                f.append("+1:word.lower():" + low[i + 1])
                if title[i + 1]:
                    f.append("+1:word.istitle()")
                if upper[i + 1]:
                    f.append("+1:word.isupper()")
                if big[i]:
                    f.append("+1:word.bi_gram()")
                if i < n - 2 and trig[i]:
                    f.append("+2:word.tri_gram()")
            feats.append(f)
        return feats

    @classmethod
    def words(cls, text: str) -> list[str]:
        """pyvi words, syllables joined by "_", original case."""
        if not cls._loaded:
            cls._load()
        _, sylls = cls.vt.sylabelize(text)
        if not sylls:
            return []
        feats = cls.features(sylls)
        with cls._lock:
            labels = cls.tagger.tag(feats)
        out = [sylls[0]]
        for i in range(1, len(sylls)):
            cur, prev = sylls[i], sylls[i - 1]
            if (
                labels[i] == "I_W"
                and cur not in _PUNCT
                and prev not in _PUNCT
                and not cur[0].isdigit()
                and not prev[0].isdigit()
                and not (cur[0].istitle() and not prev[0].istitle())
            ):
                out[-1] = out[-1] + "_" + cur
            else:
                out.append(cur)
        return out


def pyvi_words(text: str) -> list[str]:
    """pyvi's segmentation of ``text`` as a list (same result as ``ViTokenizer.tokenize``)."""
    return _Pyvi.words(text)


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------

# Measured on ALQAC (indexer.alqac): words + syllables > words only > syllables only.
WORDS = True
SYLLABLES = True

_HAS_ALNUM = re.compile(r"[^\W_]")
# Any letter that fold_accents changes (NFC text): the line was typed with accents.
_DIACRITIC = re.compile(
    "[" + "".join(c for c in map(chr, range(0xC0, 0x2000)) if c.isalpha() and fold_accents(c) != c) + "]"
)
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")


def _word_tokens(word: str, words: bool, syllables: bool) -> list[str]:
    word = word.lower()
    if "_" not in word:
        return [word] if _HAS_ALNUM.search(word) else []
    parts = [p for p in word.split("_") if _HAS_ALNUM.search(p)]
    out = [word] if words and _HAS_ALNUM.search(word) else []
    if syllables or not words:
        out.extend(parts)
    return out


def _unaccented_tokens(text: str) -> list[str]:
    """Tokens of Vietnamese typed without accents (or OCR'd without them).

    pyvi cannot segment it (its model and dictionary are accented), so emit the
    syllables plus every run of 2-3 syllables that is a word of pyvi's
    dictionary once folded ("tai chinh" → "tai_chinh"); unaccented queries and
    the folded forms of accented queries then meet these passages as they meet
    accented ones.
    """
    sylls = [p.lower() for p in _PARTS.findall(text)]
    out = list(sylls)
    words2, words3 = _Pyvi.folded_dictionary()
    n = len(sylls)
    out.extend(g for g in (f"{sylls[i]}_{sylls[i + 1]}" for i in range(n - 1)) if g in words2)
    out.extend(
        g for g in (f"{sylls[i]}_{sylls[i + 1]}_{sylls[i + 2]}" for i in range(n - 2)) if g in words3
    )
    return out


def _is_unaccented_line(line: str) -> bool:
    """A line of words (3+) with no diacritics at all; lines of numbers/codes are neutral."""
    return not _DIACRITIC.search(line) and len(_LETTER_WORD.findall(line)) >= 3


def _chunk_tokens(chunk: str, words: bool, syllables: bool) -> list[str]:
    if not words:
        return [p.lower() for p in _PARTS.findall(chunk)]
    tokens: list[str] = []
    # Runs of accented lines go to pyvi together; runs of unaccented lines do not.
    run: list[str] = []
    run_unaccented = False
    for line in chunk.split("\n"):
        unaccented = _is_unaccented_line(line)
        if run and unaccented != run_unaccented and (unaccented or _DIACRITIC.search(line)):
            tokens.extend(_run_tokens("\n".join(run), run_unaccented, words, syllables))
            run = []
        if not run:
            run_unaccented = unaccented
        run.append(line)
    if run:
        tokens.extend(_run_tokens("\n".join(run), run_unaccented, words, syllables))
    return tokens


def _run_tokens(text: str, unaccented: bool, words: bool, syllables: bool) -> list[str]:
    if not text.strip():
        return []
    if unaccented:
        return _unaccented_tokens(text)
    out: list[str] = []
    for w in _Pyvi.words(text):
        out.extend(_word_tokens(w, words, syllables))
    return out


def segment(text: str, *, words: bool = WORDS, syllables: bool = SYLLABLES) -> list[str]:
    """Tokens of ``text``; ``words``/``syllables`` choose which forms multi-syllable words emit.

    With ``words=False`` pyvi is skipped altogether (syllables only).
    """
    text = normalise_tone_marks(unicodedata.normalize("NFC", text))
    tokens: list[str] = []
    pos = 0
    for start, end, kind in [*_special_spans(text), (len(text), len(text), "")]:
        chunk = text[pos:start]
        if chunk.strip():
            tokens.extend(_chunk_tokens(chunk, words, syllables))
        if kind:
            tokens.extend(_special_tokens(text[start:end], kind))
        pos = end
    return tokens


def tokens_for_index(text: str) -> list[str]:
    """Lower-cased NFC tokens of a passage: pyvi words, their syllables, numbers kept whole."""
    return segment(text)


def query_tokens(text: str) -> list[str]:
    """Tokens of a query: the same function as passages, so both sides meet."""
    return segment(text)


def folded_tokens(tokens: Iterable[str]) -> list[str]:
    """The accent-folded form of the same tokens (đ→d), for the folded field."""
    return [fold_accents(t) for t in tokens]
