"""Legacy TCVN3 (ABC, the ``.VnTime`` fonts) text turned into Unicode.

Why: Vietnamese documents typed before Unicode (and copied on since) store their
letters in the 8-bit TCVN 5712:1993 "VN3" code; a font such as ``.VnTime`` drew
them. Any reader that does not know the font decodes those bytes as Windows-1252
and hands on "Céng hoµ x· héi chñ nghÜa ViÖt Nam" for "Cộng hoà xã hội chủ nghĩa
Việt Nam" — unreadable, unsearchable, and invisible to every later rule.

Detection is measured, not guessed from a font name: a line is converted when it
holds characters that TCVN3 uses for Vietnamese letters and Unicode Vietnamese
never does (µ ¸ ¶ · ¹ ¨ » ¾ Æ ® ª Ö Ü Þ « ¬ ­ …), holds none of the letters only
Unicode Vietnamese has (ă đ ơ ư ạ … beyond Latin-1), and its share of valid
Vietnamese syllables (:mod:`indexer.syllables`) rises after conversion. Text in
Unicode, or a stray "§" or "©", is left alone.

The ``.VnTimeH`` capitals fonts draw the lower-case codes as capitals, so a word
typed in capitals comes out mixed ("CéNG HOµ"); a word whose plain letters are
all capitals (two or more) is written in capitals after conversion.
"""

from __future__ import annotations

import re

from indexer.normalise import normalise_tone_marks
from indexer.syllables import syllable_share

# TCVN3 character as decoded by Windows-1252 (or Latin-1) -> Unicode letter.
# Row by row: the vowel, then its huyền, sắc, hỏi, ngã, nặng forms.
_TABLE = """
µ à  ¸ á  ¶ ả  · ã  ¹ ạ
¨ ă  » ằ  ¾ ắ  ¼ ẳ  ½ ẵ  Æ ặ
© â  Ç ầ  Ê ấ  È ẩ  É ẫ  Ë ậ
® đ
Ì è  Ð é  Î ẻ  Ï ẽ  Ñ ẹ
ª ê  Ò ề  Õ ế  Ó ể  Ô ễ  Ö ệ
× ì  Ý í  Ø ỉ  Ü ĩ  Þ ị
ß ò  ã ó  á ỏ  â õ  ä ọ
« ô  å ồ  è ố  æ ổ  ç ỗ  é ộ
¬ ơ  ê ờ  í ớ  ë ở  ì ỡ  î ợ
ï ù  ó ú  ñ ủ  ò ũ  ô ụ
\u00ad ư  õ ừ  ø ứ  ö ử  ÷ ữ  ù ự
ú ỳ  ý ý  û ỷ  ü ỹ  þ ỵ
¡ Ă  ¢ Â  § Đ  £ Ê  ¤ Ô  ¥ Ơ  ¦ Ư
"""
TCVN3_TO_UNICODE: dict[str, str] = dict(zip(_TABLE.split()[0::2], _TABLE.split()[1::2]))
_TRANSLATE = str.maketrans(TCVN3_TO_UNICODE)

# Characters TCVN3 uses for letters that Unicode Vietnamese text never contains.
_TCVN3_ONLY = frozenset(TCVN3_TO_UNICODE) - frozenset("àáãâèéêìíòóôõùúýÈÉÊÌÒÓÔÕÝ")
# Letters only Unicode Vietnamese has (outside Latin-1): ă đ ĩ ũ ơ ư and the U+1EA0 block.
_UNICODE_ONLY = re.compile(r"[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
_ONLY_CLASS = "".join(sorted(_TCVN3_ONLY))
_ANY_KEY = re.compile(f"[{''.join(sorted(TCVN3_TO_UNICODE))}]")
_SMALL_THEN_CAPITAL = re.compile(r"[^\x00-\x7f][A-Z]")
_IN_WORD = re.compile(f"[A-Za-z][{_ONLY_CLASS}]|[{_ONLY_CLASS}][A-Za-z]")


def _plain_capitals(word: str) -> int:
    """Capital ASCII letters of a word, or -1 when it has a small ASCII letter."""
    plain = [ch for ch in word if "a" <= ch.lower() <= "z"]
    return -1 if any(ch.islower() for ch in plain) else sum(ch.isupper() for ch in plain)


def _convert_line(line: str) -> str:
    """Map the characters, then restore the capitals a ``.VnTimeH`` font drew: a word of two or
    more plain capitals, one whose capital follows a converted letter ("ñY"), and a one-capital
    word ("X·") between two such words."""
    words = line.translate(_TRANSLATE).split(" ")
    caps = [_plain_capitals(w) for w in words]
    # two plain capitals, or one after a small converted letter ("ñY" -> "ỦY"): a capitals font
    upper = [c >= 2 or (c == 1 and bool(_SMALL_THEN_CAPITAL.search(w))) for c, w in zip(caps, words)]
    for i, c in enumerate(caps):
        if c == 1 and 0 < i < len(words) - 1 and upper[i - 1] and caps[i + 1] >= 2:
            upper[i] = True
    return normalise_tone_marks(" ".join(w.upper() if up else w for w, up in zip(words, upper)))


def tcvn3_to_unicode(text: str) -> str:
    """Every line of ``text`` converted, no questions asked: for text already judged TCVN3."""
    return "\n".join(_convert_line(line) for line in text.split("\n"))


def looks_tcvn3(line: str) -> bool:
    """A TCVN3-only character inside a word ("Céng", "Q§-UBND") and no Unicode-only Vietnamese letter."""
    return bool(_IN_WORD.search(line)) and not _UNICODE_ONLY.search(line)


def from_tcvn3(text: str) -> str:
    """``text`` with its TCVN3 lines converted to Unicode; other lines unchanged, line count kept.

    The lines that look TCVN3 are converted together when, together, their share
    of valid Vietnamese syllables rises (one short line such as "Sè: 12/Q§-UBND"
    says too little on its own); when they outnumber the lines in Unicode, the
    lines holding only characters both codes share are converted with them.
    """
    if not any(ch in _TCVN3_ONLY for ch in text):
        return text
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if looks_tcvn3(line)]
    if not candidates:
        return text
    before = "\n".join(lines[i] for i in candidates)
    converted = {i: _convert_line(lines[i]) for i in candidates}
    if syllable_share("\n".join(converted.values())) <= syllable_share(before):
        return text
    unicode_lines = sum(1 for line in lines if _UNICODE_ONLY.search(line))
    if len(candidates) > unicode_lines:
        # A document typed mostly in TCVN3: a short line holding only letters both codes share
        # ("Bé" is "Bộ") is TCVN3 too.
        for i, line in enumerate(lines):
            if i not in converted and _ANY_KEY.search(line) and not _UNICODE_ONLY.search(line):
                converted[i] = _convert_line(line)
    for i, line in converted.items():
        lines[i] = line
    return "\n".join(lines)

