"""Diacritics put back into a question typed without them, from the corpus's own words.

Officials often type "co quan nao chu tri xay dung co so du lieu cong chung". The
lexical index reads that through its folded field, but the embedding model reads
unaccented Vietnamese poorly (on our questions the right unit's similarity drops
from about 0.91 to 0.82 while others' do not). The corpus itself says how each
folded word pair is written — "co so" is "cơ sở" beside "du lieu", "cơ sở" beside
"dữ liệu" — so a question is restored pair by pair, choosing the commonest printed
form of each pair that agrees with its neighbour, and a word the corpus never
prints is left as typed.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from indexer.normalise import fold_accents, has_diacritics

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class AccentRestorer:
    """Folded word → its printed forms, and printed word pairs, counted over the corpus."""

    def __init__(self, texts: list[str], forms_per_word: int = 10) -> None:
        words: dict[str, Counter[str]] = defaultdict(Counter)
        self.pairs: Counter[tuple[str, str]] = Counter()
        for text in [*texts, *[QUESTION_WORDS] * 50]:
            tokens = [t.lower() for t in _WORD.findall(text)]
            for k, token in enumerate(tokens):
                words[fold_accents(token)][token] += 1
                if k:
                    self.pairs[(tokens[k - 1], token)] += 1
        self.forms = {k: c.most_common(forms_per_word) for k, c in words.items()}

    def restore(self, question: str) -> str:
        """The question with diacritics, where the corpus knows the words; as typed otherwise.

        The forms of the whole question are chosen together (Viterbi): each word's
        frequency, and above all how often each printed pair stands side by side.
        """
        if has_diacritics(question):
            return question
        spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(question)]
        lattice = [self.forms.get(typed.lower()) or [(typed.lower(), 1)] for _, _, typed in spans]
        best: list[dict[str, tuple[float, str | None]]] = []
        for k, forms in enumerate(lattice):
            column: dict[str, tuple[float, str | None]] = {}
            for form, count in forms:
                own = _WORD_WEIGHT * math.log(1 + count)
                if not best:
                    column[form] = (own, None)
                    continue
                column[form] = max(
                    (score + own + _PAIR_WEIGHT * math.log(1 + self.pairs.get((prev, form), 0)), prev)
                    for prev, (score, _) in best[-1].items()
                )
            best.append(column)
        chosen: list[str] = []
        form = max(best[-1], key=lambda f: best[-1][f][0]) if best else None
        for column in reversed(best):
            chosen.append(form or "")
            form = column[form][1] if form is not None else None
        chosen.reverse()
        out: list[str] = []
        last = 0
        for (start, end, typed), word in zip(spans, chosen):
            out.append(question[last:start] + (word[:1].upper() + word[1:] if typed[:1].isupper() else word))
            last = end
        out.append(question[last:])
        return "".join(out)


# A printed pair seen side by side weighs more than a word's own frequency.
_PAIR_WEIGHT = 3.0
_WORD_WEIGHT = 0.5
# The words of questions, which documents rarely print: "bao nhiêu", "khi nào", "ai".
QUESTION_WORDS = (
    "bao nhiêu bao lâu khi nào bao giờ lúc nào ở đâu là gì thế nào như thế nào những nào ai đâu gì mấy "
    "cơ quan nào đơn vị nào sở nào bộ nào phải không có không được không xin cho biết hỏi"
)
