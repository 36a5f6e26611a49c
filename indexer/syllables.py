"""Is a word a well-formed Vietnamese syllable? A measure of how well a file was decoded.

Why: a reader that picks the wrong character set (a legacy TCVN3 ``.VnTime``
document read as Windows-1252, a Word file whose text was lost) still returns
letters, so "has text" says nothing. The share of words that are valid
syllables does: clean Vietnamese prose scores high (abbreviations and foreign
names are the rest), mis-decoded text scores near zero.

A syllable is an optional initial consonant, a rhyme from the closed list of
Vietnamese rhymes, and at most one tone mark; a rhyme closed by c/ch/p/t takes
only the sắc or nặng tone. Spelling rules finer than that (c/k, g/gh) are not
checked: the measure separates decodings, it is not a spelling checker.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
_STOP_TONES = {"\u0301", "\u0323"}
_INITIALS = sorted(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph q r s t th tr v x".split(), key=len, reverse=True)
_RHYMES = frozenset("""
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oc oe oen oeo oet
oi om on ong ooc oong op ot
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uc uê uêch uên uênh uêt ui um un ung uơ uôc uôi uôm uôn uông uôt up ut
uy uya uych uyên uyêt uynh uyp uyt uyu
ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp ươt ươu ưt ưu
y yêm yên yêng yêt yêu
""".split())
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """True for one well-formed syllable, with or without its tone mark ("nghiệp", "quốc", "gì")."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    for initial in (*_INITIALS, ""):
        if not base.startswith(initial):
            continue
        rhyme = base[len(initial):]
        if initial == "gi" and rhyme == "":
            return True  # "gì", "gi"
        if initial == "q":  # "qu" + a rhyme: quan, quá, quyết, quốc
            if not rhyme.startswith("u"):
                continue
            rhyme = rhyme if rhyme in _RHYMES else rhyme[1:]
        if rhyme in _RHYMES:
            stop = rhyme.endswith(("c", "ch", "p", "t"))
            return not stop or not tones or tones[0] in _STOP_TONES
    return False


# Typed without diacritics ("luong", "nghien cuu"), a rhyme loses its vowel marks too.
_VOWEL_MARKS = str.maketrans("ăâêôơư", "aaeoou")
_UNMARKED_RHYMES = frozenset(r.translate(_VOWEL_MARKS) for r in _RHYMES)


@lru_cache(maxsize=65536)
def is_syllable_shaped(word: str) -> bool:
    """A syllable, or one typed without any diacritics ("luong", "nghien"): not OCR damage."""
    if is_vietnamese_syllable(word):
        return True
    bare = word.lower()
    if not bare.isascii() or not bare.isalpha():
        return False
    for initial in (*_INITIALS, ""):
        if bare.startswith(initial):
            rhyme = bare[len(initial):]
            if rhyme in _UNMARKED_RHYMES or (initial in ("q", "g") and rhyme[1:] in _UNMARKED_RHYMES
                                             and rhyme[:1] == ("u" if initial == "q" else "i")):
                return True
    return False


def syllable_share(text: str, *, lower_only: bool = False) -> float:
    """Share of the text's words that are valid Vietnamese syllables (0 when it has no words).

    ``lower_only`` counts lower-case words only: in OCR'd pages capitalised words are
    mostly names, headings and codes ("UBND"), which say nothing about the recognition.
    """
    words = _WORD.findall(unicodedata.normalize("NFC", text))
    if lower_only:
        words = [w for w in words if w.islower()]
    if not words:
        return 0.0
    return sum(is_vietnamese_syllable(w) for w in words) / len(words)
