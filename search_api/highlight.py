"""Mark query words in a passage — HTML-escaped first, so a document or a query
containing ``<script>`` is shown as text, never run.

Matching is on the accent-folded form, so "tu chu" marks "tự chủ"; the text
shown keeps its diacritics.
"""

from __future__ import annotations

import html
import re

from indexer.normalise import fold_accents
from indexer.tasks import fold

_WORD = re.compile(r"\w+(?:[/.-]\w+)*", re.UNICODE)
_SHORT_WORDS = {"va", "cac", "cua", "la", "co", "cho", "cac", "nhung", "mot", "de", "trong", "nao", "gi", "ai"}


def query_words(query: str) -> set[str]:
    """The folded, lower-case words of a query worth marking."""
    words = {fold_accents(w).lower() for w in _WORD.findall(query)}
    return {w for w in words if len(w) > 1 and w not in _SHORT_WORDS}


def highlight(text: str, query: str, *, limit: int | None = None) -> str:
    """Escaped HTML of ``text`` with query words wrapped in <mark>; optionally cut to ``limit`` chars.

    Words are found once on the folded copy (same length, so offsets are shared)
    and only the stretches between marks are escaped: a results page highlights
    ten passages, and escaping word by word took a third of its time.
    """
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + " …"
    wanted = query_words(query)
    folded = fold(text)
    if len(folded) != len(text):  # a character whose lower case is longer: fold word by word
        folded = "".join(w if len(w) == len(c) else c for c, w in ((c, fold(c)) for c in text))
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(folded):
        if match.group(0) in wanted:
            out.append(html.escape(text[last : match.start()]))
            out.append(f"<mark>{html.escape(text[match.start() : match.end()])}</mark>")
            last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)
