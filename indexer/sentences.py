"""Sentences and list items of a passage: the unit a figure, a deadline or a duty is quoted in.

PDF text layers, OCR and saved web pages break sentences across lines; a
sentence is rebuilt before it is scored, embedded or quoted, so a figure stays
with the words it belongs to ("đạt tối thiểu" / "86%").
"""

from __future__ import annotations

import re

# A line that opens a new item: a bullet, a numbered or lettered point, a table cell
# ("100.000 đồng" is a number going on, not the point "100.").
_ITEM_START = re.compile(r"^(?:[-+•*–]|\d+(?:\.\d+)*[.)](?=\s|$)|[a-zđ]\)|\|)", re.IGNORECASE)


def logical_lines(text: str) -> list[str]:
    """The text's lines with hard wraps undone.

    PDF text layers and OCR break a sentence across lines ("đạt tối thiểu\n86%");
    a line joins the one before unless that one ended a sentence or this one opens
    a new item, so a figure or a deadline stays in the sentence it belongs to.
    """
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if lines and lines[-1]:
                lines.append("")
            continue
        table = "|" in line or (lines and "|" in lines[-1])  # table rows are one per line
        if lines and lines[-1] and not table and not re.search(r"[.;:!?]$", lines[-1]) and not _ITEM_START.match(line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return [line for line in lines if line]


_HEADING_NUMBER = re.compile(r"(?:[IVXLC]+|\d+(?:\.\d+)*)\.", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """Sentences and list items of a passage: the unit a figure or a deadline is quoted in."""
    out: list[str] = []
    for line in logical_lines(text):
        pieces = [p for p in re.split(r"(?<=[.;])\s+", line) if p.strip()]
        for i, piece in enumerate(pieces):
            if _HEADING_NUMBER.fullmatch(piece) and i + 1 < len(pieces):  # "3." belongs to "3. Chỉ tiêu"
                pieces[i + 1] = f"{piece} {pieces[i + 1]}"
            else:
                out.append(piece)
    return out
