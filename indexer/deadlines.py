"""Read a deadline as printed ("Quý I/2022", "Trước ngày 15/02/2022", "Hằng năm")
into what it means: the days it covers, whether it recurs, whether it is open.

* :func:`parse_deadline` gives a :class:`Deadline` (first day, last day, recurrence).
* :func:`deadline_date` gives only the last day allowed, for "due before" filters
  and sorting.
* :func:`deadline_phrase` finds the deadline a sentence sets.

Only general Vietnamese date conventions are used. Deadlines that name no date
("Theo hướng dẫn của Bộ Nội vụ", "Thường xuyên") keep their text and no dates:
they are shown, never guessed. The number and issue date of a cited document
("Nghị định số 34/2016/NĐ-CP", "Quyết định 123/QĐ-UBND ngày 12/3/2025") are never
read as a deadline.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from indexer.normalise import fold_accents, folded_form, has_diacritics, lexical_form


@dataclass(frozen=True)
class Deadline:
    """A printed deadline and the days it covers.

    ``start`` is the first day the deadline covers: None when only a limit is set
    ("trước ngày 31/5/2026") or nothing is known. ``end`` is the last day it allows
    (what "due by" filters and sorts on): None when open ("Từ 01/7/2026") or unknown.
    """

    text: str
    start: date | None
    end: date | None
    recurring: str | None = None  # "yearly" | "quarterly" | "monthly" | "continuous"
    open_ended: bool = False


# ---------------------------------------------------------------------------
# Date phrases, read on the accent-folded, lower-cased text
# ---------------------------------------------------------------------------

_Y = r"((?:19|20)\d{2})(?!\d)"
_TO_YEAR = r"\s*(?:[/.\-,]|\bnam\b)\s*"  # "12/2025", "12-2025", "12.2025", "tháng 12 năm 2025"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 31/12/2025, 31-12-2025, 31.12.2025, 31/01 năm 2026; the year may be missing ("Trước 15/12")
    ("day", re.compile(rf"(?<![\d/.\-])(\d{{1,2}})\s*[/.\-]\s*(\d{{1,2}})(?!\d)(?:{_TO_YEAR}{_Y})?(?!\s*[/\-]\s*\d)")),
    # ngày 15 tháng 12 năm 2026, 15 tháng 12/2026, ngày 28 tháng 8
    ("day", re.compile(rf"\b(\d{{1,2}})\s+thang\s+(\d{{1,2}})(?!\d)(?:{_TO_YEAR}{_Y})?")),
    # Quý II/2027, Quí IV-2026, quý I năm 2026, quý 3
    ("quarter", re.compile(rf"\bqu[yi]\s*(iv|iii|ii|i|[1-4])\b(?:{_TO_YEAR}{_Y})?")),
    # 6 tháng đầu năm 2026, sáu tháng cuối năm
    ("half", re.compile(rf"\b(?:6|sau)\s+thang\s+(dau|cuoi)(?:\s+nam)?(?:\s*{_Y})?")),
    # tháng 12/2025, tháng 6 năm 2026, tháng 12 (the year may be missing)
    ("month", re.compile(rf"\bthang\s*(\d{{1,2}})(?!\d)(?:{_TO_YEAR}{_Y})?(?!\s*[/\-]\s*\d)")),
    # T10/2022 (the year is required: "t" alone is too short to trust)
    ("month", re.compile(rf"\bt\s?(\d{{1,2}}){_TO_YEAR}{_Y}")),
    # 12/2025
    ("month", re.compile(rf"(?<![\d/.\-])(\d{{1,2}})\s*[/.\-]\s*{_Y}(?!\s*[/\-]\s*\w)")),
    # Năm 2025-2030, giai đoạn 2026 - 2027, từ năm 2026 đến năm 2030, 2026-2030
    ("years", re.compile(
        rf"(?:\bnam\s+)?(?<![\d/.\-]){_Y}\s*(?:-|\bden\b(?:\s+het)?|\btoi\b)\s*(?:nam\s+)?{_Y}(?!\s*[/\-]\s*\w)"
    )),
    # năm 2026; a bare 2026 is kept only where a deadline cue or the start of the text leads into it
    ("year", re.compile(rf"\bnam\s+{_Y}(?!\s*[/\-]\s*\w)")),
    ("bare_year", re.compile(rf"(?<![\d/.\-]){_Y}(?!\s*[/\-]\s*\w)")),
)

# Words that lead into a deadline ("trước", "chậm nhất là", "trong", "đến hết", "từ" …),
# read backwards from a date phrase; "ngày" may sit between the cue and the date. Read
# with accents where the text has them: folded, "đầu tư năm 2026" would read "từ năm 2026".
_CUE_WORDS = (
    "trước|chậm nhất(?: là)?|muộn nhất(?: là)?|không quá|trong|đến hết|đến|tới|vào|"
    "kể từ|bắt đầu(?: từ)?|từ|hoàn thành|xong|thời hạn|hạn chót|hạn"
)
_CUE_BEFORE = rf"(?<!\w)((?:(?:{_CUE_WORDS})[\s:,*\"“(]*)+)(?:ngày\s*)?$"
# Cue words that set only a limit: the deadline covers everything up to the date.
# "hoàn thành" does so only right before the date: "hoàn thành 30/6/2026" is a limit,
# "hoàn thành trong tháng 12/2025" names the month the work is done in.
_LIMIT = (
    r"(?<!\w)(?:trước|chậm nhất|muộn nhất|không quá|đến|tới|hạn)(?!\w)"
    r"|(?<!\w)(?:hoàn thành|xong)[\s:,*\"“(]*(?:ngày\s*)?$"
)
# Cue words that make a yearless "30/11" a day rather than a fraction ("hoàn thành 1/2 số hồ sơ").
_DAY_CUE = r"(?<!\w)(?:trước|chậm nhất|muộn nhất|không quá|đến|tới|từ|hạn)(?!\w)"
_BEFORE = r"(?<!\w)trước\s*(?:ngày\s*)?$"
_FROM = r"(?<!\w)(?:từ|kể từ|bắt đầu(?:\s+từ)?)[\s:,]*(?:ngày\s*)?$"
_RANGE_TO = r"\s*(?:-|(?<!\w)(?:đến(?:\s+hết)?|tới)(?!\w))\s*(?:ngày\s*)?"


def _both(pattern: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A cue pattern written with accents, and the same pattern folded for text typed without."""
    return re.compile(pattern), re.compile(fold_accents(pattern))


_CUES = {
    name: _both(pattern)
    for name, pattern in (
        ("cue", _CUE_BEFORE), ("limit", _LIMIT), ("day", _DAY_CUE), ("before", _BEFORE), ("from", _FROM), ("to", _RANGE_TO)
    )
}
_NGAY_BEFORE = re.compile(r"\bngay\s*$")
_TEXT_START = re.compile(r"^[\s\-+•*:(\"“]*$")
_OPEN_AFTER = re.compile(
    r"^\s*,?\s*(?:va\s+(?:cac|nhung)\s+nam\s+(?:tiep theo|ke tiep|sau)|tro\s+di|tro\s+ve\s+sau|ve\s+sau)\b"
)

# A cited document: its number ("số 34/2016/NĐ-CP", "123/QĐ-UBND", "57-NQ/TW") and the
# issue date that follows it ("ngày 12/3/2025", "ngày 01 tháng 7 năm 2025").
_CITATION = re.compile(
    r"\b(?:so\s*:?\s*)?\d+(?:[/\-]\d{2,4})*[/\-][a-z][\w.&]*(?:[/\-][\w.&]+)*"
    r"(?:\s+(?:cua|ve viec)\b[^;.\d]{0,80}?)?"
    r"(?:\s*,?\s*ngay\s+(?:\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}"
    r"|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}))?"
)
# "Theo Kế hoạch … năm 2026 của tỉnh": a clause that follows another text's schedule.
# Dates inside it count only with a cue of their own ("theo …, trước ngày 30/6/2026").
_THEO = re.compile(r"(?<!tiep )(?<!\w)theo\b(?!\s+(?:doi|do)\b)[^;]*?(?=;|\.\s|\.$|$)")

_RECURRENCE = (
    (re.compile(r"\b(?:hang|moi)\s+nam\b"), "yearly"),
    (re.compile(r"\b(?:hang|moi)\s+quy\b"), "quarterly"),
    (re.compile(r"\b(?:hang|moi)\s+thang\b"), "monthly"),
    # hằng tuần / hằng ngày are more often than any period the API names: continuous
    (re.compile(r"\b(?:thuong xuyen|lien tuc|hang tuan|hang ngay)\b"), "continuous"),
)
_PERIODIC = ("yearly", "quarterly", "monthly")


@dataclass(frozen=True)
class _Phrase:
    """One date phrase found in the folded text; ``year`` None when it prints none."""

    pos: int
    stop: int
    unit: str  # "day" | "month" | "quarter" | "half" | "year" | "years" | "bare_year"
    year: int | None
    first: int = 0  # month of a day or month, quarter, half (1 or 2), or last year of a range
    second: int = 0  # day of a day

    def period(self, year: int | None = None) -> tuple[date, date] | None:
        """First and last day of the phrase, in ``year`` when it prints none."""
        y = self.year if self.year is not None else year
        if y is None:
            return None
        try:
            if self.unit == "day":
                day = date(y, self.first, self.second)
                return day, day
            if self.unit == "month":
                return date(y, self.first, 1), _month_end(y, self.first)
            if self.unit == "quarter":
                return date(y, self.first * 3 - 2, 1), _month_end(y, self.first * 3)
            if self.unit == "half":
                return (date(y, 1, 1), date(y, 6, 30)) if self.first == 1 else (date(y, 7, 1), date(y, 12, 31))
            if self.unit == "years":
                return date(y, 1, 1), date(self.first, 12, 31)
            return date(y, 1, 1), date(y, 12, 31)
        except ValueError:  # 31/02, tháng 13
            return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(group: str | None) -> int | None:
    return int(group) if group else None


def _phrase(unit: str, match: re.Match[str]) -> _Phrase | None:
    """The phrase a pattern matched; None when it names no real month or day."""
    groups = match.groups()
    if unit == "day":
        day, month = int(groups[0]), int(groups[1])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        return _Phrase(match.start(), match.end(), unit, _year(groups[2]), month, day)
    if unit == "month":
        month = int(groups[0])
        if not 1 <= month <= 12:
            return None
        return _Phrase(match.start(), match.end(), unit, _year(groups[1]), month)
    if unit == "quarter":
        return _Phrase(match.start(), match.end(), unit, _year(groups[1]), _ROMAN[groups[0]])
    if unit == "half":
        return _Phrase(match.start(), match.end(), unit, _year(groups[1]), 1 if groups[0] == "dau" else 2)
    if unit == "years":
        first, last = int(groups[0]), int(groups[1])
        if not first < last <= first + 50:
            return None
        return _Phrase(match.start(), match.end(), unit, first, last)
    return _Phrase(match.start(), match.end(), unit, int(groups[0]))


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    """The text with each match blanked out (same length, so positions still hold)."""
    return pattern.sub(lambda m: "#" * len(m.group()), text)


@dataclass(frozen=True)
class _Reading:
    """A text prepared for reading dates: cited documents blanked out.

    ``folded`` (lower-cased, no accents) is where date phrases are found; ``cues``
    is where the words before them are read: accented when the text has accents
    and folds one character for one, else the folded text itself.
    """

    folded: str
    cues: str
    accented: bool

    @classmethod
    def of(cls, text: str) -> _Reading:
        lexical = lexical_form(text).replace("–", "-").replace("—", "-")
        folded = fold_accents(lexical)
        spans = [(m.start(), m.end()) for m in _CITATION.finditer(folded)]
        accented = has_diacritics(lexical) and len(lexical) == len(folded)
        cues = lexical if accented else folded

        def blank(s: str) -> str:
            for a, b in spans:
                s = s[:a] + "#" * (b - a) + s[b:]
            return s

        return cls(blank(folded), blank(cues), accented)

    def cue(self, name: str) -> re.Pattern[str]:
        return _CUES[name][0 if self.accented else 1]


def _scan(folded: str) -> list[_Phrase]:
    """Every date phrase, left to right; where two overlap the longer one wins."""
    found: list[_Phrase] = []
    for unit, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            phrase = _phrase(unit, match)
            if phrase is not None:
                found.append(phrase)
    found.sort(key=lambda p: (p.pos, -(p.stop - p.pos)))
    kept: list[_Phrase] = []
    for phrase in found:
        if not kept or phrase.pos >= kept[-1].stop:
            kept.append(phrase)
    return kept


def _candidates(reading: _Reading) -> list[tuple[_Phrase, str | None]]:
    """Date phrases that can be the deadline, each with the cue words that lead into it.

    The cue is "" for a phrase led only by "ngày" or the start of the text, None for
    one nothing leads into.
    """
    folded = reading.folded
    theo = [(m.start(), m.end()) for m in _THEO.finditer(folded)]
    out: list[tuple[_Phrase, str | None]] = []
    for phrase in _scan(folded):
        found = reading.cue("cue").search(reading.cues[max(0, phrase.pos - 40) : phrase.pos])
        cue = found.group(0) if found else None
        at_start = bool(_TEXT_START.match(folded[: phrase.pos]))
        after_ngay = bool(_NGAY_BEFORE.search(folded[: phrase.pos]))
        if phrase.unit == "bare_year" and not (cue or at_start):
            continue  # a lone 2026 in running text is too weak
        numbered = "." in folded[phrase.pos : phrase.stop]  # "1.2." numbers a heading
        if phrase.unit == "day" and phrase.year is None and not (
            after_ngay or (cue and reading.cue("day").search(cue)) or (at_start and not numbered)
        ):
            continue  # "ngày 30/11", "trước 15/12" are days; "hoàn thành 1/2 số hồ sơ", "1.2." are not
        if cue is None and any(a <= phrase.pos < b for a, b in theo):
            continue  # "Theo Kế hoạch … năm 2026": the year names the plan
        out.append((phrase, cue if cue is not None else ("" if after_ngay or at_start else None)))
    return out


def _recurrence(folded: str) -> str | None:
    """The first recurrence word outside a "theo …" clause."""
    masked = _mask(folded, _THEO)
    hits = [(m.start(), kind) for pattern, kind in _RECURRENCE for m in [pattern.search(masked)] if m]
    return min(hits)[1] if hits else None


def _tidy(text: str) -> str:
    """The text as printed, on one line, without markdown emphasis or a trailing full stop."""
    text = unicodedata.normalize("NFC", text).replace("**", "").replace("__", "")
    return " ".join(text.split()).strip(" .;,")


def parse_deadline(text: str | None, *, reference_year: int | None = None) -> Deadline | None:
    """What a printed deadline means; None only for an empty one.

    The first date phrase decides ("Ban hành trong quý I năm 2026. Thực hiện …"),
    preferring one that a deadline cue, "ngày" or the start of the text leads into,
    so the title of a plan ("Đề án giai đoạn 2026-2030") does not beat "trong quý
    I/2026". A limit word ("trước", "chậm nhất", "đến") leaves ``start`` None;
    "trước" a month, quarter or year ends the day before it begins ("trước năm
    2030" → 31/12/2029), while "trước ngày 15/12" allows the 15th, as
    administrative usage reads it. A day, month or quarter printed without a year
    takes ``reference_year`` (the document's year), unless it recurs ("trước ngày
    15 hằng tháng"); without one it stays undated.
    """
    if text is None or not text.strip():
        return None
    return _parse(_tidy(text), reference_year)


@lru_cache(maxsize=65536)
def _parse(printed: str, reference_year: int | None) -> Deadline:
    """:func:`parse_deadline` on tidied text; cached, as filters and sorts read every task's deadline."""
    reading = _Reading.of(printed)
    folded = reading.folded
    recurring = _recurrence(folded)
    candidates = _candidates(reading)
    if not candidates:
        return Deadline(printed, None, None, recurring)
    index = next((k for k, (_, cue) in enumerate(candidates) if cue is not None), 0)
    phrase, cue = candidates[index]
    year = None if recurring in _PERIODIC else reference_year

    # a range: "Từ 01/7/2026 đến 31/12/2026", "Quý II - Quý III/2026", "từ 15/6 đến 30/6/2026"
    if index + 1 < len(candidates):
        last = candidates[index + 1][0]
        if reading.cue("to").fullmatch(reading.cues[phrase.stop : last.pos]):
            head = phrase.period(last.year if phrase.year is None and last.year is not None else year)
            tail = last.period(year)
            if head and tail and head[0] <= tail[1]:
                return Deadline(printed, head[0], tail[1], recurring)

    period = phrase.period(year)
    if period is None:
        return Deadline(printed, None, None, recurring)
    start, end = period
    opens = phrase.unit != "years" and reading.cue("from").search(reading.cues[: phrase.pos])
    if opens or _OPEN_AFTER.match(folded[phrase.stop :]):
        return Deadline(printed, start, None, recurring, open_ended=True)
    if cue and reading.cue("limit").search(cue):
        if reading.cue("before").search(cue) and phrase.unit != "day":
            end = start - timedelta(days=1)  # "trước tháng 6/2026": before June begins
        start = None
    return Deadline(printed, start, end, recurring)


def deadline_date(text: str | None) -> date | None:
    """The last day a printed deadline allows; None when it names none.

    The ``end`` of :func:`parse_deadline`: open ("Từ 01/7/2026") and undated
    ("Thường xuyên") deadlines give None, so "due before" filters skip them.
    """
    parsed = parse_deadline(text)
    return parsed.end if parsed else None


# ---------------------------------------------------------------------------
# The deadline a sentence sets
# ---------------------------------------------------------------------------

# Report regimes set recurring days rather than dates: "chậm nhất ngày 15 của tháng
# cuối kỳ báo cáo", "trước ngày 20 hằng tháng", "trước ngày 10 tháng 12 hằng năm".
_RECURRING = re.compile(
    r"\bngay\s+\d{1,2}\s+(?:cua\s+)?(?:hang\s+(?:thang|quy|nam)"
    r"|thang\s+(?:cuoi|dau)\s+(?:cua\s+)?(?:ky|quy|nam|6 thang)(?:\s+bao\s+cao)?"
    r"|thang\s+\d{1,2}\s+hang\s+nam)\b"
)

# A date counts as a deadline when a word of obligation leads into it.
_CUE = re.compile(
    r"\b(?:truoc|cham nhat(?: la)?|muon nhat(?: la)?|khong qua|thoi han|han chot|hoan thanh|xong|trong|den het|den)"
    r"[\s*_:“\"(]+(?:ngay[\s*_]+)?$"
)


def _shown(span: str) -> str:
    return " ".join(re.sub(r"[*_]+", "", span).split())


def deadline_phrase(text: str) -> str | None:
    """The deadline a sentence sets, as printed ("trước 20/6/2020", "trong quý II năm 2020").

    Only dates led by a word of obligation count, so the issue date of a cited
    document ("Quyết định … ngày 27/8/2021") is never taken for a deadline. When
    several qualify, an exact day wins over a month or quarter, then the latest.
    """
    original = unicodedata.normalize("NFC", text)
    plain = folded_form(original)
    folded = _Reading.of(original).folded
    same_length = len(plain) == len(original) == len(folded)  # NFC Vietnamese folds one character for one
    source = original if same_length else plain
    found: list[tuple[int, date, str]] = []
    for phrase in _scan(folded):
        if phrase.unit in ("year", "years", "bare_year"):
            continue  # "Trong năm 2025, tỉnh đã …" tells a story more often than it sets a deadline
        window = max(0, phrase.pos - 20)
        cue = _CUE.search(folded[window : phrase.pos])
        if cue is None:
            continue
        span = source[window + cue.start() : phrase.stop]
        when = deadline_date(span)
        if when is not None:
            found.append((0 if phrase.unit == "day" else 1, when, _shown(span)))
    if not found:  # no date: a recurring day still answers "khi nào", shown as printed
        for match in _RECURRING.finditer(folded):
            window = max(0, match.start() - 20)
            cue = _CUE.search(folded[window : match.start()])
            if cue is not None:
                return _shown(source[window + cue.start() : match.end()])
        return None
    found.sort(key=lambda item: (item[0], -item[1].toordinal()))
    return found[0][2]
