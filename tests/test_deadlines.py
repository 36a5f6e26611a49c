"""Deadlines as printed in task tables, read into the days they cover.

Each case is a deadline cell as Vietnamese plans, decisions and letters print it.
Every case must read the same without diacritics and in capitals, since OCR'd
scans lose accents and headings shout.
"""

from __future__ import annotations

from datetime import date

import pytest

from indexer.deadlines import Deadline, deadline_date, deadline_phrase, parse_deadline
from indexer.normalise import fold_accents

D = date
DOC_YEAR = 2026  # the year of the document the cell comes from

# printed → start, end, recurring, open_ended (read with reference_year=DOC_YEAR)
CASES: list[tuple[str, date | None, date | None, str | None, bool]] = [
    # exact days: a bare day covers that day; a limit word ("trước", "chậm nhất", "đến") only the end
    ("31/12/2025", D(2025, 12, 31), D(2025, 12, 31), None, False),
    ("31-12-2025", D(2025, 12, 31), D(2025, 12, 31), None, False),
    ("trước ngày 15 tháng 12 năm 2026", None, D(2026, 12, 15), None, False),
    ("Trước ngày 31/5/2026", None, D(2026, 5, 31), None, False),
    ("chậm nhất ngày 30/11/2025", None, D(2025, 11, 30), None, False),
    ("Ban hành kế hoạch chậm nhất là ngày 15/01/2026 và tổ chức thực hiện", None, D(2026, 1, 15), None, False),
    ("đến 30/5/2026", None, D(2026, 5, 30), None, False),
    ("Hoàn thành 30/6/2026", None, D(2026, 6, 30), None, False),
    ("Thời hạn: 30/9/2024", None, D(2024, 9, 30), None, False),
    # days without a year take the document's year
    ("trước ngày 31/01 năm liền kề", None, D(2026, 1, 31), None, False),
    ("Trước 15/12", None, D(2026, 12, 15), None, False),
    ("Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 28 tháng 8", D(2026, 8, 28), D(2026, 8, 28), None, False),
    # months
    ("Tháng 12/2025", D(2025, 12, 1), D(2025, 12, 31), None, False),
    ("12/2025", D(2025, 12, 1), D(2025, 12, 31), None, False),
    ("T10/2022", D(2022, 10, 1), D(2022, 10, 31), None, False),
    ("tháng 6 năm 2026", D(2026, 6, 1), D(2026, 6, 30), None, False),
    ("trong tháng 3/2026", D(2026, 3, 1), D(2026, 3, 31), None, False),
    ("hoàn thành trong tháng 12 năm 2025", D(2025, 12, 1), D(2025, 12, 31), None, False),
    ("chậm nhất trong tháng 9/2026", None, D(2026, 9, 30), None, False),
    ("Trong tháng 12", D(2026, 12, 1), D(2026, 12, 31), None, False),
    # quarters: Quý / Quí, roman or arabic, "/", "-" or "năm" before the year
    ("Quý II/2027", D(2027, 4, 1), D(2027, 6, 30), None, False),
    ("Quí IV-2026", D(2026, 10, 1), D(2026, 12, 31), None, False),
    ("quý I năm 2026", D(2026, 1, 1), D(2026, 3, 31), None, False),
    ("Quý 3/2026", D(2026, 7, 1), D(2026, 9, 30), None, False),
    ("Trong quý III/2026", D(2026, 7, 1), D(2026, 9, 30), None, False),
    ("Ban hành trong quý I năm 2026. Thực hiện rà soát, cập nhật", D(2026, 1, 1), D(2026, 3, 31), None, False),
    ("Ban hành Đề án giai đoạn 2026-2030 trong quý I/2026", D(2026, 1, 1), D(2026, 3, 31), None, False),
    ("Quý II - Quý III/2026", D(2026, 4, 1), D(2026, 9, 30), None, False),
    # halves
    ("6 tháng đầu năm 2026", D(2026, 1, 1), D(2026, 6, 30), None, False),
    ("6 tháng cuối năm 2025", D(2025, 7, 1), D(2025, 12, 31), None, False),
    # years and ranges
    ("Năm 2026", D(2026, 1, 1), D(2026, 12, 31), None, False),
    ("Trong năm 2026", D(2026, 1, 1), D(2026, 12, 31), None, False),
    ("2026", D(2026, 1, 1), D(2026, 12, 31), None, False),
    ("Năm 2025-2030", D(2025, 1, 1), D(2030, 12, 31), None, False),
    ("Giai đoạn 2026 - 2027", D(2026, 1, 1), D(2027, 12, 31), None, False),
    ("2026-2030", D(2026, 1, 1), D(2030, 12, 31), None, False),
    ("Từ năm 2026 đến năm 2030", D(2026, 1, 1), D(2030, 12, 31), None, False),
    ("Từ 01/7/2026 đến 31/12/2026", D(2026, 7, 1), D(2026, 12, 31), None, False),
    ("đến hết năm 2026", None, D(2026, 12, 31), None, False),
    # "trước" a month, quarter or year ends before it begins
    ("trước năm 2030", None, D(2029, 12, 31), None, False),
    ("trước tháng 6/2026", None, D(2026, 5, 31), None, False),
    ("Trước quý III/2026", None, D(2026, 6, 30), None, False),
    # open
    ("Từ 01/7/2026", D(2026, 7, 1), None, None, True),
    ("kể từ ngày 01/01/2026", D(2026, 1, 1), None, None, True),
    ("Bắt đầu thực hiện từ năm 2026", D(2026, 1, 1), None, None, True),
    ("Năm 2026 và các năm tiếp theo", D(2026, 1, 1), None, None, True),
    ("Năm 2026 trở đi", D(2026, 1, 1), None, None, True),
    # recurring / continuous: a day or month without a year that recurs stays undated
    ("Hằng năm", None, None, "yearly", False),
    ("hàng năm", None, None, "yearly", False),
    ("Hằng quý", None, None, "quarterly", False),
    ("Định kỳ hằng tháng", None, None, "monthly", False),
    ("Thường xuyên", None, None, "continuous", False),
    ("Thường xuyên trong năm", None, None, "continuous", False),
    ("Thường xuyên trong năm 2026", D(2026, 1, 1), D(2026, 12, 31), "continuous", False),
    ("Thực hiện thường xuyên khi có yêu cầu của bộ, ngành Trung ương", None, None, "continuous", False),
    ("trước ngày 15 hằng tháng", None, None, "monthly", False),
    ("trước ngày 10 tháng 12 hằng năm", None, None, "yearly", False),
    ("Ban hành kế hoạch trong tháng 01 hằng năm và tổ chức thực hiện", None, None, "yearly", False),
    ("Báo cáo định kỳ theo thời gian quy định; thực hiện hằng năm", None, None, "yearly", False),
    # not a date: the number and date of a cited document are never a deadline
    ("Theo hướng dẫn của Bộ Nội vụ", None, None, None, False),
    ("Theo Điều 17 Nghị định số 34/2016/NĐ-CP", None, None, None, False),
    ("Nghị định số 12/2016/NĐ-CP", None, None, None, False),
    ("Thực hiện theo Quyết định 123/QĐ-UBND ngày 12/3/2025", None, None, None, False),
    ("Theo các mốc thời gian tại Quyết định số 1737/QĐ-UBND ngày 17/10/2025 của Chủ tịch UBND tỉnh", None, None, None, False),
    ("Theo Kế hoạch số 12/KH-UBND ngày 5 tháng 1 năm 2026 của UBND tỉnh", None, None, None, False),
    ("Theo Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2026 của tỉnh", None, None, None, False),
    ("Sau 03 tháng kể từ khi có văn bản của Trung ương", None, None, None, False),
    ("Trước ngày 05 của tháng liền kề", None, None, None, False),
    ("Hoàn thành 1/2 số hồ sơ", None, None, None, False),
    # …but a deadline next to a citation still counts
    ("Theo kế hoạch của tỉnh, trước ngày 30/6/2026", None, D(2026, 6, 30), None, False),
    ("Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024, hoàn thành trong năm 2025", D(2025, 1, 1), D(2025, 12, 31), None, False),
    ("Báo cáo trước 15/12/2025 (theo Công văn số 123/UBND-KT ngày 1/12/2025)", None, D(2025, 12, 15), None, False),
]


def _variants(printed: str) -> list[str]:
    """As printed, without diacritics (OCR, typed queries) and in capitals (headings)."""
    return [printed, fold_accents(printed), printed.upper()]


@pytest.mark.parametrize(("printed", "start", "end", "recurring", "open_ended"), CASES, ids=[c[0] for c in CASES])
def test_parse_deadline(printed: str, start: date | None, end: date | None, recurring: str | None, open_ended: bool) -> None:
    for text in _variants(printed):
        parsed = parse_deadline(text, reference_year=DOC_YEAR)
        assert parsed is not None, text
        assert (parsed.start, parsed.end, parsed.recurring, parsed.open_ended) == (start, end, recurring, open_ended), text


@pytest.mark.parametrize("printed", [c[0] for c in CASES])
def test_deadline_date_is_the_end(printed: str) -> None:
    """Callers that filter "due before" read ``end``; without the document's year a yearless day has none."""
    parsed = parse_deadline(printed)
    assert parsed is not None
    assert deadline_date(printed) == parsed.end


@pytest.mark.parametrize("printed", ["Trước 15/12", "trước ngày 31/01 năm liền kề", "Trong tháng 12", "quý I"])
def test_no_year_without_the_documents_year(printed: str) -> None:
    """A day or month printed without a year is not guessed when the document's year is unknown."""
    assert parse_deadline(printed) == Deadline(printed, None, None)


@pytest.mark.parametrize(
    ("printed", "tidied", "end"),
    [
        ("Quý II/\n2027", "Quý II/ 2027", D(2027, 6, 30)),
        ("trước ngày 15 tháng\n12 năm 2026", "trước ngày 15 tháng 12 năm 2026", D(2026, 12, 15)),
        ("Trong quý\nIII/2026.", "Trong quý III/2026", D(2026, 9, 30)),
        ("**Quý II/2026**", "Quý II/2026", D(2026, 6, 30)),
    ],
)
def test_lines_wrapped_in_a_cell(printed: str, tidied: str, end: date) -> None:
    """Table cells wrap anywhere; the text is kept on one line, as printed."""
    parsed = parse_deadline(printed)
    assert parsed is not None and (parsed.text, parsed.end) == (tidied, end)


def test_the_rest_of_the_cell_is_kept() -> None:
    """The first date phrase decides; the work described after it stays in ``text``."""
    printed = "Ban hành trong quý I năm 2026. Thực hiện rà soát, cập nhật thường xuyên"
    parsed = parse_deadline(printed)
    assert parsed == Deadline(printed, D(2026, 1, 1), D(2026, 3, 31), "continuous")


def test_investment_is_not_from() -> None:
    """With accents, "đầu tư" (invest) is not "từ" (from): the year is not opened."""
    parsed = parse_deadline("Kế hoạch đầu tư năm 2026")
    assert parsed is not None and (parsed.end, parsed.open_ended) == (D(2026, 12, 31), False)


@pytest.mark.parametrize("printed", [None, "", "  \n "])
def test_empty(printed: str | None) -> None:
    assert parse_deadline(printed) is None
    assert deadline_date(printed) is None


def test_impossible_dates_are_not_read() -> None:
    assert deadline_date("Trước 31/02/2026") is None
    assert deadline_date("Tháng 13/2026") is None


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Các sở hoàn thành trong Quí IV-2026.", "trong Quí IV-2026"),
        ("Thực hiện theo Quyết định số 4042/QĐ-UBND ngày 27/8/2021, hoàn thành trước 30/6/2026.", "trước 30/6/2026"),
        ("Trong năm 2025, tỉnh đã triển khai 12 mô hình.", None),
    ],
)
def test_deadline_phrase(sentence: str, phrase: str | None) -> None:
    """A sentence's deadline needs a word of obligation; a year alone tells a story, not a deadline."""
    assert deadline_phrase(sentence) == phrase
