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

from indexer.syllables import is_syllable_shaped

OCR_DAMAGE_THRESHOLD = 0.04
"""Share of damaged words above which a document is treated as a damaged scan
(3× below the OCR'd seed, 2× above the worst clean article measured)."""

VIETNAMESE_LETTERS = frozenset(
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
    if any(ch.isalpha() and ch not in VIETNAMESE_LETTERS for ch in word.lower()):
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


# -- the shape of a Vietnamese syllable --------------------------------------------------
# Text OCR'd without a Vietnamese model ("huéng", "ctia", "thdm") mostly keeps to the
# Vietnamese alphabet, so the signs above miss it; but its words break the phonology
# every Vietnamese syllable obeys (indexer.syllables).
SYLLABLE_DAMAGE_THRESHOLD = 0.08
"""Share of lower-case words that cannot be Vietnamese syllables above which a text is
treated as damaged OCR. Measured: the clean seed documents at most 0.003, 110 laws at most
0.018 per law; six pages rendered from clean text and OCR'd with Tesseract's English model
0.20–0.27; the OCR'd seed 003 0.32."""


def syllable_damage(text: str) -> float:
    """Share of lower-case words of two letters or more that cannot be Vietnamese syllables.

    Capitalised and upper-case words are left out: names, abbreviations and codes
    (TTHC, ISO, Internet) are not Vietnamese syllables and are not damage.
    """
    words = [w for w in _WORD.findall(unicodedata.normalize("NFC", text)) if len(w) >= 2 and w[0].islower()]
    if not words:
        return 0.0
    return sum(not is_syllable_shaped(w) for w in words) / len(words)


def needs_repair(text: str, damage: float | None = None) -> bool:
    """A text worth restoring: either sign of OCR damage is well above what clean text shows.

    ``damage`` is the text's :func:`ocr_damage` when already known (the indexer keeps it).
    """
    damage = ocr_damage(text) if damage is None else damage
    return looks_ocr_damaged(damage) or syllable_damage(text) >= SYLLABLE_DAMAGE_THRESHOLD
