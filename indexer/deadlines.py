"""Turn a deadline as printed ("Quý I/2022", "Trước ngày 15/02/2022", "T10/2022")
into the last date it allows, so tasks can be filtered and sorted by due date.

Deadlines that name no date ("Theo hướng dẫn của Bộ Nội vụ", "Thường xuyên")
give None: they are kept and shown, never guessed.
"""

from __future__ import annotations

import calendar
import unicodedata
import re
from datetime import date

from indexer.normalise import folded_form

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DAY = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")
_DAY_WORDS = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\b")
_QUARTER = re.compile(r"\bquy\s+(iv|iii|ii|i|[1-4])\b\s*(?:/|nam)?\s*(\d{4})")
_HALF = re.compile(r"\b(6 thang dau nam|6 thang cuoi nam)\s*(\d{4})")
_MONTH = re.compile(r"\b(?:thang|t)\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4})\b")
_YEAR = re.compile(r"\b(?:nam|trong nam|ca nam)\s+(\d{4})\b|^\s*(\d{4})\s*$")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def deadline_date(text: str | None) -> date | None:
    """The last day a printed deadline allows; None when it names no date."""
    if not text:
        return None
    folded = folded_form(text)
    candidates: list[date] = []
    for match in list(_DAY.finditer(folded)) + list(_DAY_WORDS.finditer(folded)):
        day, month, year = (int(x) for x in match.groups())
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if candidates:  # an exact day is more precise than the month or quarter around it
        return max(candidates)
    for match in _QUARTER.finditer(folded):
        quarter, year = _ROMAN[match.group(1)], int(match.group(2))
        candidates.append(_month_end(year, quarter * 3))
    for match in _HALF.finditer(folded):
        year = int(match.group(2))
        candidates.append(_month_end(year, 6 if "dau" in match.group(1) else 12))
    for match in _MONTH.finditer(folded):
        month, year = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            candidates.append(_month_end(year, month))
    if not candidates:
        for match in _YEAR.finditer(folded):
            year = int(match.group(1) or match.group(2))
            candidates.append(date(year, 12, 31))
    return max(candidates) if candidates else None


# Report regimes set recurring days rather than dates: "chậm nhất ngày 15 của tháng
# cuối kỳ báo cáo", "trước ngày 20 hằng tháng", "trước ngày 10 tháng 12 hằng năm".
_RECURRING = re.compile(
    r"\bngay\s+\d{1,2}\s+(?:cua\s+)?(?:hang\s+(?:thang|quy|nam)"
    r"|thang\s+(?:cuoi|dau)\s+(?:cua\s+)?(?:ky|quy|nam|6 thang)(?:\s+bao\s+cao)?"
    r"|thang\s+\d{1,2}\s+hang\s+nam)\b"
)

# A date counts as a deadline when a word of obligation leads into it.
_CUE = re.compile(r"\b(?:truoc|cham nhat|thoi han|han chot|hoan thanh|xong|trong|den het|den)[\s*_:“\"(]+(?:ngay[\s*_]+)?$")
_DATE_PATTERNS = (_DAY, _DAY_WORDS, _QUARTER, _HALF, _MONTH)


def deadline_phrase(text: str) -> str | None:
    """The deadline a sentence sets, as printed ("trước 20/6/2020", "trong quý II năm 2020").

    Only dates led by a word of obligation count, so the issue date of a cited
    document ("Quyết định … ngày 27/8/2021") is never taken for a deadline. When
    several qualify, an exact day wins over a month or quarter, then the latest.
    """
    original = unicodedata.normalize("NFC", text)
    folded = folded_form(original)
    same_length = len(folded) == len(original)  # NFC Vietnamese folds one character for one
    found: list[tuple[int, date, str]] = []
    for precision, pattern in enumerate(_DATE_PATTERNS):
        for match in pattern.finditer(folded):
            window = max(0, match.start() - 20)
            cue = _CUE.search(folded[window:match.start()])
            if cue is None:
                continue
            start = window + cue.start()
            span = (original if same_length else folded)[start:match.end()]
            when = deadline_date(span)
            if when is not None:
                found.append((0 if precision < 2 else 1, when, " ".join(re.sub(r"[*_]+", "", span).split())))
    if not found:  # no date: a recurring day still answers "khi nào", shown as printed
        for match in _RECURRING.finditer(folded):
            window = max(0, match.start() - 20)
            cue = _CUE.search(folded[window:match.start()])
            if cue is not None:
                span = (original if same_length else folded)[window + cue.start():match.end()]
                return " ".join(re.sub(r"[*_]+", "", span).split())
        return None
    found.sort(key=lambda item: (item[0], -item[1].toordinal()))
    return found[0][2]
