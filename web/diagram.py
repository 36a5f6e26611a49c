"""A small relation diagram, laid out on the server and drawn as SVG by a template (no JavaScript).

The document sits in the middle; what reaches it (replaces, amends, rests on it)
on the left, what it reaches (its bases, what it replaces or amends) on the
right. Each box is a link when the other document is in the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH = 960  # room between the columns for the relation labels ("Bị sửa đổi, bổ sung bởi")
BOX_W = 220
BOX_H = 34
ROW = 44
TOP = 30
MAX_PER_SIDE = 8
_CHARS = 30  # what fits in a box at the stylesheet's diagram font size


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    text: str
    title: str  # the full label, shown as the SVG <title> tooltip
    url: str | None
    relation: str  # the edge's label: "Bị thay thế bởi", "Căn cứ" …
    ended: bool = False  # the relation ends the target (replaced, repealed): drawn dashed


def _clip(text: str) -> str:
    return text if len(text) <= _CHARS else text[: _CHARS - 1].rstrip() + "…"


def _side(edges: list[dict[str, Any]], x: int) -> list[Box]:
    """One box per distinct other document (edges of several types to it share the box)."""
    seen: dict[str, Box] = {}
    for edge in edges:
        key = edge["doc_id"] or edge["display"]
        if key in seen:
            continue
        if len(seen) == MAX_PER_SIDE:
            break
        seen[key] = Box(x, 0, _clip(edge["display"]), edge["display"], edge["url"], edge["label"],
                        edge["type"] in ("thay_the", "bai_bo", "het_hieu_luc"))
    return [Box(b.x, TOP + i * ROW, b.text, b.title, b.url, b.relation, b.ended) for i, b in enumerate(seen.values())]


def relation_diagram(center: str, incoming: list[dict[str, Any]], outgoing: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Boxes, lines and size of the diagram, or None when the document has no relation to draw.

    ``incoming`` / ``outgoing`` are the API's edge items (search_api.present.edge_item);
    plain mentions (``dan_chieu``) are left out so the drawing stays about legal effect.
    """
    incoming = [e for e in incoming if e["type"] != "dan_chieu"]
    outgoing = [e for e in outgoing if e["type"] != "dan_chieu"]
    if not incoming and not outgoing:
        return None
    left = _side(incoming, 10)
    right = _side(outgoing, WIDTH - BOX_W - 10)
    rows = max(len(left), len(right), 1)
    height = TOP + rows * ROW + 10
    cx, cy = (WIDTH - BOX_W) // 2, TOP + (rows * ROW - ROW) // 2
    lines = []
    for box in left:
        lines.append({"x1": box.x + BOX_W, "y1": box.y + BOX_H // 2, "x2": cx, "y2": cy + BOX_H // 2,
                      "label": box.relation, "ended": box.ended})
    for box in right:
        lines.append({"x1": cx + BOX_W, "y1": cy + BOX_H // 2, "x2": box.x, "y2": box.y + BOX_H // 2,
                      "label": box.relation, "ended": box.ended})
    for line in lines:
        line["lx"], line["ly"] = (line["x1"] + line["x2"]) // 2, (line["y1"] + line["y2"]) // 2 - 4
    return {
        "width": WIDTH, "height": height, "box_w": BOX_W, "box_h": BOX_H,
        "center": {"x": cx, "y": cy, "text": _clip(center), "title": center},
        "boxes": left + right, "lines": lines,
        "more": max(0, len({e["doc_id"] or e["display"] for e in incoming}) - MAX_PER_SIDE)
                + max(0, len({e["doc_id"] or e["display"] for e in outgoing}) - MAX_PER_SIDE),
    }
