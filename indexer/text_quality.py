"""How much of a document is OCR damage, measured from the letters themselves.

Why: a badly scanned document ("cüa", "chInh", "t6i", "ngix?ii") is still worth
finding, but a language model's embedding of such text is close to noise: its
dense score says little, and counted as evidence against the passage it buries
the scan under clean documents. Search uses this score to let the dense side
lift a damaged passage but never sink it, and the document page warns readers.

The signs counted are ones clean Vietnamese never shows inside a word: a letter
outside the Vietnamese alphabet (ü, ç, ö, ä …), a capital after a small letter
("cOng"), a digit against a small letter ("t6i", "1oi"), or a stray symbol
("ngix?ii"). Measured share of damaged words: the three clean seed documents
0.000, 2,249 ALQAC law articles at most 0.018 per article, 110 laws at most
0.003 per law; the OCR'd seed 003 0.122 over the document.
"""

from __future__ import annotations

import re
import unicodedata

OCR_DAMAGE_THRESHOLD = 0.04
"""Share of damaged words above which a document is treated as a damaged scan
(3× below the OCR'd seed, 2× above the worst clean article measured)."""

_VIETNAMESE_LETTERS = frozenset(
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    "fjwz"  # foreign names and abbreviations use them; OCR rarely invents them
)
_WORD = re.compile(r"[^\s\"'“”‘’()\[\],.;:/]+")
_STRAY_SYMBOL = re.compile(r"\w[%$#@!?*^~`|\\{}<>+=]\w|[$#@^~`|\\{}<>=]\w")


def word_is_damaged(word: str) -> bool:
    """True for a word that carries a sign of OCR damage (see the module docstring)."""
    if sum(ch.isalpha() for ch in word) < 2:
        return False
    if any(ch.isalpha() and ch not in _VIETNAMESE_LETTERS for ch in word.lower()):
        return True
    pairs = list(zip(word, word[1:]))
    if not word.isupper() and any(a.islower() and b.isupper() for a, b in pairs):
        return True
    if any((a.islower() and b.isdigit()) or (a.isdigit() and b.islower()) for a, b in pairs):
        return True
    return bool(_STRAY_SYMBOL.search(word))


def ocr_damage(text: str) -> float:
    """Share of the text's words (two letters or more) that look damaged, from 0 to 1."""
    words = [w for w in _WORD.findall(unicodedata.normalize("NFC", text)) if sum(ch.isalpha() for ch in w) >= 2]
    if not words:
        return 0.0
    return sum(word_is_damaged(w) for w in words) / len(words)


def looks_ocr_damaged(damage: float) -> bool:
    return damage >= OCR_DAMAGE_THRESHOLD


# Vietnamese syllable shape: onset, vowel nucleus, coda (tone marks removed first).
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ch|ng|nh|[cmnpt])?$"
)
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def is_vietnamese_syllable(word: str) -> bool:
    """True for a word shaped like one Vietnamese syllable with at most one tone mark.

    Why: damage signs (above) catch OCR noise, not a wrong but clean-looking letter
    ("HQi" is caught, "cria" is not); the syllable shape catches both.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONES for ch in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return bool(_SYLLABLE.match(bare))


def valid_syllable_share(text: str) -> float:
    """Share of the lower-case words (all letters) that are valid Vietnamese syllables, 0 to 1.

    Capitalised and upper-case words are left out: names, abbreviations ("UBND") and
    headings in capitals would count against clean text.
    """
    words = [w.strip("-–") for w in _WORD.findall(unicodedata.normalize("NFC", text))]
    words = [w for w in words if w.isalpha() and w.islower()]
    if not words:
        return 0.0
    return sum(is_vietnamese_syllable(w) for w in words) / len(words)
