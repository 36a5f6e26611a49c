"""Text normalisation shared by documents and queries.

Documents and queries must go through the *same* functions, otherwise "hoà" in a
document never meets "hòa" in a query. Three forms matter:

* ``normalise_text`` — what we store and quote: NFC, one tone-mark convention,
  markup residue removed, whitespace tidied, line structure kept.
* ``fold_accents`` — diacritics removed (đ→d explicitly, since Unicode does not
  decompose it), for users who type without accents and for OCR'd scans.
* ``lexical_form`` — lower-cased NFC, the base of the accented lexical field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# Vowels carrying a tone mark, per base vowel, in the order: grave, acute, hook, tilde, dot.
_TONED = {
    "a": "àáảãạ", "ă": "ằắẳẵặ", "â": "ầấẩẫậ", "e": "èéẻẽẹ", "ê": "ềếểễệ",
    "i": "ìíỉĩị", "o": "òóỏõọ", "ô": "ồốổỗộ", "ơ": "ờớởỡợ", "u": "ùúủũụ",
    "ư": "ừứửữự", "y": "ỳýỷỹỵ",
}
_TONE_OF: dict[str, tuple[str, int]] = {}
for _base, _forms in _TONED.items():
    for _i, _ch in enumerate(_forms):
        _TONE_OF[_ch] = (_base, _i)
        _TONE_OF[_ch.upper()] = (_base.upper(), _i)


def _with_tone(base: str, tone: int) -> str:
    forms = _TONED[base.lower()]
    return forms[tone].upper() if base.isupper() else forms[tone]


# "Modern" placement puts the mark on the second vowel of open oa/oe/uy
# ("hoà", "thuỷ"); the classic one, used by most administrative texts and by
# most people typing, on the first ("hòa", "thủy"). We fold to classic.
_MODERN_TONE = re.compile(
    r"(?<![qQ\w])([^\W\d_]?[^\W\d_]?)([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])"
)


def _classic_tone(match: re.Match[str]) -> str:
    onset, first, second = match.group(1), match.group(2), match.group(3)
    if onset.lower().endswith("q") or (first.lower() == "u" and onset.lower() == "q"):
        return match.group(0)
    base, tone = _TONE_OF[second]
    if first.lower() == "o" and base.lower() not in "ae":
        return match.group(0)
    if first.lower() == "u" and base.lower() != "y":
        return match.group(0)
    return onset + _with_tone(first, tone) + base


def normalise_tone_marks(text: str) -> str:
    """Move tone marks of open oa/oe/uy syllables to the classic position (hoà → hòa)."""
    return _MODERN_TONE.sub(_classic_tone, text)


# Control characters and invisible marks: zero-width spaces and joiners, the soft hyphen web pages
# use as a hyphenation hint ("nhiệm\u00advụ" must match "nhiệm vụ"), byte-order marks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]")
# "**bold**", "__bold__" and "*italic*" of saved web pages; a "(*)" footnote mark stays.
_MARKUP_EMPHASIS = re.compile(r"\*\*|__|(?<!\()\*(?!\))")
_FOOTNOTE_MARK = re.compile(r"<sup>\s*([^<]{1,12}?)\s*</sup>", re.IGNORECASE)
_HTML_INLINE = re.compile(r"</?(?:sup|sub|b|i|u|em|strong|span|br)\b[^>]*>", re.IGNORECASE)
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_SPACES = re.compile(r"[ \u00a0\u2007\u202f]+")


# Letters fonts and converters print in place of Vietnamese ones: "Ð" (U+00D0, Icelandic eth)
# for "Đ", "Ƕ" (hwair, a legacy font's slot for "ỳ": "kǶ" for "kỳ") and Cyrillic letters that
# look Latin ("NĐ-CР", "TT-BTС", "Сông an"). None of them is used in Vietnamese.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ƕ": "ỳ", "ƕ": "ỳ"})
_CYRILLIC_LATIN = str.maketrans(dict(zip("АВЕКМНОРСТХУІЈЅаеорсухіјѕ", "ABEKMHOPCTXYIJSaeopcyxijs")))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _latin_lookalikes(line: str) -> str:
    """Cyrillic look-alikes read as the Latin letters they imitate, on a line written in Latin letters.

    A line mostly in Cyrillic (a Russian name or quotation) keeps its letters.
    """
    if not _CYRILLIC.search(line):
        return line
    cyrillic = len(_CYRILLIC.findall(line))
    latin = sum(ch.isalpha() for ch in line) - cyrillic
    return line.translate(_CYRILLIC_LATIN) if latin > cyrillic else line


def normalise_lookalikes(text: str) -> str:
    """Look-alike letters mapped to the Vietnamese ones, one character for one (offsets keep)."""
    text = text.translate(_LOOKALIKES)
    if _CYRILLIC.search(text):
        text = "\n".join(_latin_lookalikes(line) for line in text.split("\n"))
    return text


def normalise_text(text: str) -> str:
    """NFC, look-alike letters mapped, classic tone marks, markup residue removed, spaces tidied; lines are kept.

    Tabs survive because table layouts depend on them; line breaks survive
    because passages cite line spans.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = normalise_lookalikes(unicodedata.normalize("NFC", text))
    text = _CONTROL.sub("", text)
    text = _FOOTNOTE_MARK.sub(r"[\1]", text)
    text = _HTML_INLINE.sub("", text)
    text = _MARKUP_EMPHASIS.sub("", text)
    text = _MD_HEADING.sub("", text)
    text = normalise_tone_marks(text)
    lines = [_SPACES.sub(" ", line).rstrip() for line in text.split("\n")]
    return "\n".join(lines)


def _fold_table() -> dict[int, str | None]:
    """Each BMP character that carries a combining mark → its base; lone marks → removed.

    Built once so folding is one ``str.translate`` (C speed) instead of a Python loop
    over every character. Latin characters that stay as they are map to themselves:
    a miss costs ``translate`` a caught KeyError, which made it twice as slow.
    """
    table: dict[int, str | int | None] = {c: c for c in (*range(0x250), *range(0x1E00, 0x1F00))}
    table[ord("đ")], table[ord("Đ")] = "d", "D"
    for code in range(0x80, 0x10000):
        ch = chr(code)
        if unicodedata.category(ch) == "Mn":
            table[code] = None
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        if decomposed != ch and any(unicodedata.category(c) == "Mn" for c in decomposed):
            base = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
            table[code] = unicodedata.normalize("NFC", base)
    return table


_FOLD = _fold_table()


def fold_accents(text: str) -> str:
    """Remove Vietnamese diacritics; đ/Đ become d/D (they do not decompose in Unicode)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).translate(_FOLD))


def lexical_form(text: str) -> str:
    """Lower-cased, NFC, classic tone marks: the accented field for lexical matching."""
    return normalise_tone_marks(unicodedata.normalize("NFC", text)).lower()


@lru_cache(maxsize=65536)
def folded_form(text: str) -> str:
    """Lower-cased and accent-folded: the field that unaccented queries match.

    Cached: answering folds the same candidate passages and task texts for every
    question (and :func:`indexer.tasks.fold` folds character by character).
    """
    return fold_accents(lexical_form(text))


def comparable(text: str) -> str:
    """Look-alike letters mapped, lower-cased, accent-folded, whitespace squashed: how an evaluation
    compares a labelled string (typed, or copied from a file that prints "Ð" or a Cyrillic "С")
    with the product's normalised text."""
    return " ".join(folded_form(normalise_lookalikes(unicodedata.normalize("NFC", text))).split())


class _CharFolds(dict):
    """Character code → its folded, lower-case form, worked out on first sight.

    A dict with ``__missing__`` lets ``str.translate`` fold a text at C speed while
    keeping one character for one, so offsets found in the folded text map back.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = folded_form(ch)
        self[code] = value = folded if len(folded) == 1 else ch.lower()
        return value


_CHAR_FOLDS = _CharFolds()


def fold(text: str) -> str:
    """Accent-folded, lower-cased text of exactly the same length, so offsets map back."""
    return text.translate(_CHAR_FOLDS)


def unique(values: list[str]) -> list[str]:
    """Values in order, blanks and repeats dropped."""
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped."""
    return " ".join(text.split())


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance of two strings (or word lists): how many letters OCR changed ("KE HOi%CH" against "KE HOACH")."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def has_diacritics(text: str) -> bool:
    """True when the text carries Vietnamese diacritics (the user typed accents)."""
    return fold_accents(text) != text
