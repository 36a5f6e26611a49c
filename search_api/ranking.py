"""Who tops (or ends) a ranking: "Đơn vị nào đứng đầu bảng xếp hạng Chỉ số CCHC năm 2025?".

A decision publishing an index prints a results table — a rank column ("Thứ hạng", "Xếp hạng",
or the row number of a ranked list), the unit's name ("Đơn vị", "Cơ quan", "Địa phương") and its
scores. The question names the ranking in words and asks for its first or last place (or the
highest or lowest score); the answer is that row, read from the table the question matches.
"""

from __future__ import annotations

import re

from indexer.normalise import folded_form

# "đứng đầu", "xếp thứ nhất", "cao nhất", "dẫn đầu" / "đứng cuối", "thấp nhất", "xếp cuối"
_TOP = r"dung dau|dan dau|xep (?:thu |hang )?(?:nhat|1)|hang (?:nhat|1)|thu nhat|cao nhat|nhieu diem nhat"
_BOTTOM = r"dung cuoi|xep cuoi|cuoi bang|thap nhat|it diem nhat|xep (?:thu |hang )?cuoi"
RANK_ASKED = re.compile(rf"\b(?:{_TOP}|{_BOTTOM})\b")
_BOTTOM_RE = re.compile(rf"\b(?:{_BOTTOM})\b")
_WHO = re.compile(r"\b(?:ai|nao)\b")

# "Sở nào", "xã nào" …: the kind of unit asked for, which its name starts with ("Sở Tư pháp", "UBND xã Tà Nung")
_ASKED_KIND = re.compile(r"\b(so|bo|xa|phuong|tinh|huyen|quan|thanh pho|truong|benh vien|trung tam|dac khu) nao\b")
_RANK_HEADER = re.compile(r"^(?:thu hang|xep hang|hang|thu tu xep hang)$")
_NUMBER_HEADER = re.compile(r"^(?:stt|tt|so tt)$")
_NAME_HEADER = re.compile(r"^(?:ten )?(?:don vi|co quan|dia phuong|so, nganh|co quan, don vi|bo, nganh|tinh, thanh pho)")
_SCORE_HEADER = re.compile(r"diem dat|chi so|tong diem|diem")


def asks_for_rank_holder(folded: str) -> bool:
    """"(Đơn vị) nào đứng đầu …", "ai xếp cuối …": the holder of a place, not a place (that is "xếp thứ mấy")."""
    return bool(RANK_ASKED.search(folded) and _WHO.search(folded))


def _number(cell: str) -> float | None:
    """"82,78" → 82.78, "1.250" → 1250, "93,01%" → 93.01; None when the cell holds no figure."""
    m = re.search(r"\d[\d.,]*", cell)
    if m is None:
        return None
    figure = m.group(0).rstrip(".,")
    if "," in figure:
        figure = figure.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", figure):
        figure = figure.replace(".", "")
    try:
        return float(figure)
    except ValueError:
        return None


def ranked_row(table_text: str, folded_question: str) -> tuple[str, str] | None:
    """(the unit's name, the row as printed) at the place asked for, from a table printed one row a
    line with " | " between cells; None when the table has no rank or score column and no name column."""
    lines = [line for line in table_text.split("\n") if line.strip()]
    if len(lines) < 3:
        return None
    header = [folded_form(c.strip()) for c in lines[0].split(" | ")]
    rows = [[c.strip() for c in line.split(" | ")] for line in lines[1:]]
    rows = [r for r in rows if len(r) == len(header)]
    name = next((i for i, h in enumerate(header) if _NAME_HEADER.match(h)), None)
    if name is None or not rows:
        return None
    asked = _ASKED_KIND.search(folded_question)  # "sở nào …": only the rows of departments
    if asked is not None:
        rows = [r for r in rows if re.search(rf"(?:^|\s){asked.group(1)}\b", folded_form(r[name]))]
        if not rows:
            return None
    bottom = bool(_BOTTOM_RE.search(folded_question))
    rank = next((i for i, h in enumerate(header) if _RANK_HEADER.match(h)), None)
    score = next((i for i, h in enumerate(header) if _SCORE_HEADER.search(h) and "toi da" not in h and "chuan" not in h),
                 None)
    if rank is not None or (score is None and (rank := next((i for i, h in enumerate(header) if _NUMBER_HEADER.match(h)),
                                                              None)) is not None):
        keyed = [(v, r) for r in rows if (v := _number(r[rank])) is not None]
        pick = max if bottom else min
    elif score is not None:
        keyed = [(v, r) for r in rows if (v := _number(r[score])) is not None]
        pick = min if bottom else max
    else:
        return None
    if not keyed:
        return None
    _, row = pick(keyed, key=lambda pair: pair[0])
    return row[name], " | ".join(row)
