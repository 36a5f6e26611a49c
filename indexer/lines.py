"""Grouping the lines of a text into paragraphs and items: one rule for every stage."""

from __future__ import annotations

from collections.abc import Callable


def line_groups(lines: list[str], indices: list[int], opens: Callable[[str], object]) -> list[list[int]]:
    """Line indices grouped into paragraphs or items: a new group after a blank line or
    at a line that ``opens`` one (a bullet, a numbered point); other lines continue the group."""
    groups: list[list[int]] = []
    prev_blank = True
    for k in indices:
        s = lines[k].strip()
        if not s:
            prev_blank = True
            continue
        if prev_blank or not groups or opens(s):
            groups.append([k])
        else:
            groups[-1].append(k)
        prev_blank = False
    return groups
