"""Who holds a role in a body a decision sets up: "Hội đồng … do ai làm chủ tịch?", "cơ quan nào làm
thường trực?".

Decisions that set up a council, steering committee or working group list their members
by role ("1. Chủ tịch Hội đồng: Ông …, Giám đốc Sở Nội vụ."; "Tổ trưởng: …") and name the
standing body in a sentence ("Sở Nội vụ là cơ quan thường trực của Hội đồng."). The role
words are the conventions of such decisions, not of one document.
"""

from __future__ import annotations

import re

from indexer.normalise import folded_form

# Roles, longest first, so "phó chủ tịch" is not read as "chủ tịch".
_ROLES = ("uy vien thuong truc", "co quan thuong truc", "pho chu tich", "chu tich", "pho truong ban", "truong ban",
          "pho to truong", "to truong", "to pho", "thu ky", "thuong truc", "giam doc", "pho giam doc")
_ROLE = "(?:" + "|".join(_ROLES) + ")"
# "… do ai làm chủ tịch", "cơ quan nào làm thường trực", "chủ tịch hội đồng là ai", "ai giữ chức tổ trưởng"
ROLE_ASKED = re.compile(
    rf"\b(?:lam|la|giu|dam nhiem|dam nhan)\s+(?:chuc\s+|vai tro\s+)?(?P<role>{_ROLE})\b"
    rf"|\b(?P<role2>{_ROLE})\b(?:\s+\w+){{0,6}}?\s+la\s+(?:ai|co quan nao|don vi nao)\b"
)


# A list item's own marker before a member line: "1.", "2)", "a)".
_ITEM_MARK = r"^\W*(?:\d+[.)]\s*|[a-zđ][.)]\s*)?"


def asked_role(folded: str) -> str | None:
    """The role a question asks the holder of ("chu tich", "co quan thuong truc"), or None."""
    m = ROLE_ASKED.search(folded)
    if m is None or not re.search(r"\b(?:ai|nao)\b", folded):
        return None
    role = m.group("role") or m.group("role2")
    return "thuong truc" if role == "co quan thuong truc" else role


def holder(sentence: str, role: str) -> str | None:
    """Who the sentence says holds ``role``: the value of "Chủ tịch Hội đồng: Ông A - Giám đốc Sở B",
    or the subject of "Sở B là cơ quan thường trực …"; None when it says neither."""
    folded = folded_form(sentence)
    if len(folded) != len(sentence):
        return None  # offsets of the folded form must stand for the printed one
    # the role opens the line ("Phó Chủ tịch …" does not open with "chủ tịch")
    label = re.match(rf"{_ITEM_MARK}{re.escape(role)}\b[^:]{{0,60}}:\s*", folded)
    if label:
        value = re.split(r";|\.\s|\.$", sentence[label.end():])[0].strip(" .;")
        return value or None
    stated = re.search(rf"^(?P<who>.{{3,120}}?)\s+la\s+(?:co quan\s+|don vi\s+)?{re.escape(role)}\b", folded)
    if stated:
        who = sentence[: stated.end("who")].strip(" -+•.;")
        return re.sub(r"^\W*(?:\d+[.)]|[a-zđ][.)])\s*", "", who) or None
    # "Cơ quan thường trực của Ban Chỉ đạo là Bộ Công an", "Chủ tịch Hội đồng là ông A"
    named = re.match(rf"{_ITEM_MARK}(?:co quan\s+|don vi\s+)?{re.escape(role)}\b"
                     rf"[^.;:]{{0,80}}?\s+la\s+", folded)
    if named:
        value = re.split(r";|\.\s|\.$", sentence[named.end():])[0].strip(" .;")[:160]
        return value or None
    return None
