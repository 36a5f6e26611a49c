"""What OCR without a Vietnamese model does to a syllable, as a cost, and the candidates it may hide.

Why: Tesseract's English model reads "hiện" as "hién", "hin" or "hiên", "của" as
"cüa", "ctia" or "cia", "được" as "dugc" or "ducic": the letters of the base stay
mostly in place, diacritics are dropped or swapped, accented vowels become look-alike
letters or digits (ơ→c, ộ→0/6/9/d, ư→ir/u, ị→j, l→1) and noise (&, $, ?) appears.
A weighted edit distance with these confusions made cheap says how likely a true
syllable produced what was printed; a SymSpell index of the syllable inventory
(deletions of the folded form) finds the candidates fast.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from indexer.normalise import fold_accents

MAX_DELETIONS = 2  # each side of the SymSpell lookup: covers "thirc" ↔ "thực", "ctia" ↔ "của"
# A printed word that is itself a known syllable is read more often right than wrong in its
# letters (its marks are another matter): reading other letters into it costs this much more.
COST_VALID_PRINT = 0.6
KEY_MARGIN = 2.5  # folded forms costing more than the best one by this much are not expanded
MAX_CANDIDATE_COST = 2.5  # above the best candidate's cost, a candidate is not worth the beam
NOISE = frozenset("&$?!%@*#^~`|\\{}<>=+_'\".:,;()[]¢£§°")
# Digits and signs that stand for letters in Latin OCR of Vietnamese (0/6/9 for ô ộ ọ ...).
_LOOKUP_LETTER = str.maketrans({"0": "o", "6": "o", "9": "o", "8": "o", "1": "l", "4": "a", "5": "y", "3": "e", "j": "i"})
# Observed letters that OCR prints for a vowel whose marks it could not read ("cdc" for "các",
# "thdm" for "thẩm", "ctia" for "của", "sd" for "sở").
_MARK_GLYPHS = frozenset("dtlijycg0123456789&$?@%*¢")
_TWO_FOR_ONE = {  # two printed characters for one true letter (base letter after folding marks)
    "ir": "u", "ix": "u", "ii": "u", "11": "u", "ti": "u", "li": "u", "it": "u", "tt": "u",
    "ci": "o", "cl": "o", "cr": "u", "rn": "m", "ri": "n",
}

COST_MARK_LOST = 0.35  # "hien" for "hiện"
COST_MARK_WRONG = 0.6  # "hién" for "hiện", "lông" for "lòng"
COST_GLYPH = 0.7  # "cdc" for "các"
COST_LOOKALIKE = 0.45  # "djnh" for "định", "g9n" for "gọn"
COST_OTHER_MARKED_VOWEL = 0.8  # "nuéc" for "nước": a mark read, the wrong vowel under it
COST_HORN = 0.5  # "nuwéc": the horn of ư/ơ printed as a letter of its own
COST_D_BAR = 0.15  # "d" for "đ": English OCR never prints đ
COST_TWO_FOR_ONE = 0.6
COST_DROP_MARKED_VOWEL = 0.6  # "hin" for "hiện"
COST_DROP_VOWEL = 0.9
COST_DROP_CONSONANT = 1.4
COST_NOISE = 0.5  # "&", "?" inserted between letters
COST_SIGN_FOR_LETTER = 0.6  # "S&" for "Sở": a sign inside a word mostly stands for a letter OCR could not read
COST_EXTRA_LETTER = 1.1
COST_OTHER = 1.6


@lru_cache(maxsize=None)
def base_letter(ch: str) -> str:
    """The letter without any mark: ư → u, ộ → o, đ → d."""
    return fold_accents(ch).lower()


def _is_vowel(ch: str) -> bool:
    return base_letter(ch) in "aeiouy"


def _marked(ch: str) -> bool:
    return base_letter(ch) != ch


@lru_cache(maxsize=None)
def substitution_cost(seen: str, true: str) -> float:
    if seen == true:
        return 0.0
    if base_letter(seen) == base_letter(true):
        if true == "đ":
            return COST_D_BAR
        return COST_MARK_LOST if not _marked(seen) else COST_MARK_WRONG
    if seen.translate(_LOOKUP_LETTER) == base_letter(true):
        return COST_LOOKALIKE
    if _is_vowel(true) and _is_vowel(seen) and _marked(seen) and _marked(true):
        return COST_OTHER_MARKED_VOWEL
    if _is_vowel(true) and seen in _MARK_GLYPHS:
        return COST_GLYPH if _marked(true) else COST_GLYPH + 0.3
    if seen in NOISE:
        return COST_SIGN_FOR_LETTER
    return COST_OTHER


@lru_cache(maxsize=None)
def deletion_cost(true: str) -> float:
    """OCR printed nothing for a true letter."""
    if _is_vowel(true):
        return COST_DROP_MARKED_VOWEL if _marked(true) else COST_DROP_VOWEL
    return COST_DROP_CONSONANT if true != "đ" else COST_DROP_VOWEL


@lru_cache(maxsize=None)
def insertion_cost(seen: str) -> float:
    """OCR printed a character no true letter stands for."""
    if seen in NOISE:
        return COST_NOISE
    if seen == "w":
        return COST_HORN
    if seen in _MARK_GLYPHS:
        return COST_GLYPH  # a mark read as a letter of its own
    return COST_EXTRA_LETTER


@lru_cache(maxsize=200_000)
def channel_cost(seen: str, true: str) -> float:
    """Weighted edit distance from a true syllable to what OCR printed (both lower-case, NFC)."""
    n, m = len(seen), len(true)
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + deletion_cost(true[j - 1])
    rows = [prev]
    for i in range(1, n + 1):
        cur = [rows[i - 1][0] + insertion_cost(seen[i - 1])] + [0.0] * m
        for j in range(1, m + 1):
            best = min(
                rows[i - 1][j - 1] + substitution_cost(seen[i - 1], true[j - 1]),
                rows[i - 1][j] + insertion_cost(seen[i - 1]),
                cur[j - 1] + deletion_cost(true[j - 1]),
            )
            if i >= 2 and _TWO_FOR_ONE.get(seen[i - 2:i]) == base_letter(true[j - 1]):
                best = min(best, rows[i - 2][j - 1] + COST_TWO_FOR_ONE)
            if i >= 2 and seen[i - 1] in NOISE and seen[i - 2] in NOISE:
                best = min(best, rows[i - 2][j - 1] + COST_GLYPH)
            if j >= 2 and seen[i - 1] in NOISE:  # one sign for two letters ("su&" for "suốt")
                best = min(best, rows[i - 1][j - 2] + COST_SIGN_FOR_LETTER + 0.2)
            cur[j] = best
        rows.append(cur)
    return rows[n][m]


def lookup_key(seen: str) -> str:
    """The folded letters of a printed token, digits read as the letters they resemble."""
    folded = fold_accents(unicodedata.normalize("NFC", seen)).lower().translate(_LOOKUP_LETTER)
    return "".join(ch for ch in folded if "a" <= ch <= "z")


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


class CandidateIndex:
    """Syllables of the inventory, found from a damaged token through their folded deletions."""

    def __init__(self, syllables: Iterable[str]) -> None:
        by_key: dict[str, set[str]] = defaultdict(set)
        for syllable in syllables:
            by_key[lookup_key(syllable)].add(syllable)
        self._by_deletion: dict[str, set[str]] = defaultdict(set)
        for key in by_key:
            for variant in _deletions(key, MAX_DELETIONS):
                self._by_deletion[variant].add(key)
        self._by_key = {k: sorted(v) for k, v in by_key.items()}
        self.syllables = frozenset(s for v in by_key.values() for s in v)

    def folded_keys(self) -> frozenset[str]:
        return frozenset(self._by_key)

    def candidates(self, seen: str) -> list[tuple[str, float]]:
        """(syllable, channel cost) pairs for a lower-case printed token, cheapest first."""
        key = lookup_key(seen)
        if not key:
            return []
        keys: set[str] = set()
        for variant in _deletions(key, MAX_DELETIONS):
            keys |= self._by_deletion.get(variant, set())
        if not keys:
            return []
        # Folded forms first (several syllables share one: hien → hiện, hiền, hiến …): cheaper, and
        # a form far worse than the best cannot hold the best syllable once its marks are counted.
        plain = unicodedata.normalize("NFC", fold_accents(seen))
        key_costs = {k: channel_cost(plain, k) for k in keys}
        best_key = min(key_costs.values())
        scored = sorted(
            ((syllable, channel_cost(seen, syllable))
             for k, cost in key_costs.items() if cost <= best_key + KEY_MARGIN
             for syllable in self._by_key[k]),
            key=lambda pair: (pair[1], pair[0]),
        )
        if seen in self.syllables:
            own = lookup_key(seen)
            scored = sorted(
                ((syllable, cost + (COST_VALID_PRINT if lookup_key(syllable) != own else 0.0))
                 for syllable, cost in scored),
                key=lambda pair: (pair[1], pair[0]),
            )
        if not scored:
            return []
        limit = scored[0][1] + MAX_CANDIDATE_COST
        return [pair for pair in scored if pair[1] <= limit]
