"""Saved web pages (.html, .htm) from legal portals: the document body as the document model.

A portal page wraps one document in the site's menus, search box, banners,
related-document lists and footer. What is kept: the text of the body in
reading order, one line per block (paragraph, heading, list item, line break),
and every data table as a :class:`indexer.model.Table` (``layout="html"``) — the
two-column letterhead, the appendix task table — with ``colspan`` cells left
blank and ``rowspan`` cells carried down, as the Word reader does. A table used
only to lay the page out (one column, or holding other tables) is read as the
text it holds.

What is dropped: scripts and styles, hidden elements, the page chrome HTML names
(``nav``, ``header``, ``footer``, ``aside``, forms), elements whose id or class says menu,
breadcrumb, banner, advertisement, share or related links, and lists that are
mostly links. When the page marks its main content (``main``, ``article``, or an
id/class such as "content", "noidung", "toanvan") the largest such element is
the body.

lxml (already installed with python-docx) parses the page: it is maintained,
fast, and forgiving with the broken markup portals serve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.model import Cell, Layout, Table
from indexer.normalise import normalise_text
from indexer.readers.base import LoadError
from indexer.readers.text import looks_binary
from indexer.tables import header_depth

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
              "button", "select", "input", "textarea", "svg", "template", "object", "embed", "head")
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|menubar|breadcrumbs?|banner|ads?|advert\w*|quangcao|quang-cao|"
    r"sidebar|side-bar|footer|header|topbar|social|share|sharing|comments?|related|lienquan|"
    r"login|search|timkiem|cookie|popup|modal|pagination|tags?)(?:$|[\s_-])", re.IGNORECASE)
# Content markers are matched inside words: portals write "toanvancontent", "content1", "noidungvanban".
_CONTENT = re.compile(r"content|noi-?dung|toan-?van|full-?text|van-?ban|document|doc-?body|article|"
                      r"entry|post-?body", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre section article main center "
    "address figure figcaption caption hr tr table tbody thead tfoot body html".split())
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
LINK_DENSE = 0.6
"""A list or box whose text is mostly link text (menus, "văn bản liên quan") is site navigation."""


def _decode(source: str, data: bytes) -> str:
    """UTF-8, else the page's declared charset, else the Vietnamese Windows code page."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    for encoding in ((declared.group(1).decode("ascii", "ignore"),) if declared else ()) + ("cp1258", "cp1252"):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise LoadError(source, "không nhận ra bảng mã ký tự của trang web.")


def _marks(element: object) -> str:
    return f"{element.get('id') or ''} {element.get('class') or ''} {element.get('role') or ''}"  # type: ignore[attr-defined]


def _text_len(element: object) -> int:
    return len(" ".join(element.text_content().split()))  # type: ignore[attr-defined]


def _link_dense(element: object) -> bool:
    links = element.findall(".//a")  # type: ignore[attr-defined]
    total = _text_len(element)
    if len(links) < 3 or not total:
        return False
    return sum(_text_len(a) for a in links) / total >= LINK_DENSE


def _hidden(element: object) -> bool:
    """Not shown to a reader of the page (pop-ups, print-only copies): not read either."""
    style = (element.get("style") or "").replace(" ", "").lower()  # type: ignore[attr-defined]
    return element.get("hidden") is not None or "display:none" in style  # type: ignore[attr-defined]


def _inside_content(element: object) -> bool:
    return any(a.tag in ("main", "article") or _CONTENT.search(_marks(a))
               for a in element.iterancestors() if isinstance(a.tag, str))  # type: ignore[attr-defined]


def _strip_chrome(root: object) -> None:
    """Remove what is site, not document: chrome tags, chrome-named boxes, link lists."""
    for element in list(root.iter()):  # type: ignore[attr-defined]
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                element.drop_tree()
            continue
        if element.getparent() is None:
            continue
        tag = element.tag.lower()
        if tag in ("header", "footer") and _inside_content(element):
            continue  # an article's own header holds the letterhead, its footer the signature
        if (tag in _DROP_TAGS or _hidden(element) or (tag not in ("body", "html", "table", "tr", "td", "th", "p")
                                  and _CHROME.search(_marks(element)) and not _CONTENT.search(_marks(element)))
                or (tag in ("ul", "ol", "div", "section") and _link_dense(element))):
            element.drop_tree()


def _body(root: object) -> object:
    """The element that holds the document: the largest one the page marks as content, else <body>."""
    marked = [e for e in root.iter("main", "article", "div", "section", "td")  # type: ignore[attr-defined]
              if e.tag in ("main", "article") or _CONTENT.search(_marks(e))]
    body = root.find(".//body")  # type: ignore[attr-defined]
    whole = body if body is not None else root
    if marked:
        best = max(marked, key=_text_len)
        if _text_len(best) >= 0.3 * _text_len(whole):
            return best
    return whole


@dataclass
class _Flow:
    """Lines being written in reading order, and the tables met on the way."""

    lines: list[str] = field(default_factory=lambda: [""])
    tables: list[Table] = field(default_factory=list)

    def text(self, piece: str) -> None:
        self.lines[-1] += piece

    def brk(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")
        else:
            self.lines[-1] = ""


def _cells_of(row: object) -> list[object]:
    return [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]  # type: ignore[attr-defined]


def _rows_of(table: object) -> list[object]:
    """The table's own rows, not those of a table nested in a cell."""
    rows = []
    for child in table:  # type: ignore[attr-defined]
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag.lower() == "tr")
    return rows


def _is_layout_table(table: object, rows: list[object]) -> bool:
    """A table that lays the page out: it holds tables, or has one column only."""
    if table.find(".//table") is not None:  # type: ignore[attr-defined]
        return True
    return max((sum(int(c.get("colspan") or 1) for c in _cells_of(r)) for r in rows), default=0) <= 1


def _cell_text(cell: object) -> str:
    flow = _Flow()
    _walk_children(cell, flow)
    return normalise_text("\n".join(line.strip() for line in flow.lines if line.strip()))


def _bold(cell: object, text: str) -> bool:
    if not text:
        return False
    if cell.tag.lower() == "th":  # type: ignore[attr-defined]
        return True
    strong = " ".join(" ".join(e.text_content().split()) for e in cell.iter("b", "strong"))  # type: ignore[attr-defined]
    return bool(strong) and len(strong) >= len(" ".join(text.split())) * 0.9


def _span(value: str | None) -> int:
    return max(1, min(int(value), 200)) if value and value.strip().isdigit() else 1


def _table(table: object, rows: list[object], flow: _Flow) -> None:
    """Write one data table: a "cell | cell" line per row, and its block with the cells."""
    grid: list[list[Cell]] = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows still covered, text) of a rowspan
    flow.brk()
    first = len(flow.lines)
    for r, row in enumerate(rows):
        line_no = first + r
        cells: list[Cell] = []
        col = 0

        def fill_pending() -> None:
            nonlocal col
            while col in pending:
                left, text = pending[col]
                cells.append(Cell(text, line_no, line_no, carried=bool(text)))
                pending[col] = (left - 1, text)
                if left - 1 <= 0:
                    del pending[col]
                col += 1

        for cell in _cells_of(row):
            fill_pending()
            text = _cell_text(cell)
            cells.append(Cell(text, line_no, line_no, bold=_bold(cell, text)))
            down = _span(cell.get("rowspan"))
            across = _span(cell.get("colspan"))
            if down > 1:
                pending[col] = (down - 1, text)
            for extra in range(1, across):
                cells.append(Cell("", line_no, line_no))
                if down > 1:
                    pending[col + extra] = (down - 1, "")
            col += across
        fill_pending()
        grid.append(cells)
        shown = [" / ".join(p for p in c.text.split("\n") if p) for c in cells if c.text and not c.carried]
        flow.lines[-1] = " | ".join(shown)
        flow.lines.append("")
    width = max((len(r) for r in grid), default=0)
    if not width:
        return
    for cells in grid:
        at = cells[-1].line_start if cells else first
        cells.extend(Cell("", at, at) for _ in range(width - len(cells)))
    head = table.find("thead")  # type: ignore[attr-defined]
    header_rows = len(_rows_of(head)) if head is not None else header_depth(grid)
    flow.tables.append(Table("html", grid, max(1, min(header_rows, len(grid))), first, first + len(grid) - 1))


def _walk_children(element: object, flow: _Flow) -> None:
    if element.text:  # type: ignore[attr-defined]
        flow.text(_squeeze(element.text))  # type: ignore[attr-defined]
    for child in element:  # type: ignore[attr-defined]
        _walk(child, flow)
        if child.tail:
            flow.text(_squeeze(child.tail))


def _squeeze(text: str) -> str:
    """HTML whitespace: any run of spaces and newlines is one space."""
    return re.sub(r"[ \t\r\n\f]+", " ", text.replace("\u00a0", " "))


def _walk(element: object, flow: _Flow) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""  # type: ignore[attr-defined]
    if not tag:
        return
    if tag == "br":
        flow.brk()
        return
    if tag == "table":
        rows = _rows_of(element)
        if not _is_layout_table(element, rows):
            _table(element, rows, flow)
            return
        for row in rows:
            for cell in _cells_of(row):
                flow.brk()
                _walk_children(cell, flow)
                flow.brk()
        return
    block = tag in _BLOCK_TAGS or tag in ("td", "th")
    if block:
        flow.brk()
    _walk_children(element, flow)
    if block:
        flow.brk()


def read_html(source: str, data: bytes) -> Layout:
    """The document a saved portal page holds: body text in reading order and its tables."""
    if looks_binary(data):
        raise LoadError(source, "tệp mang đuôi trang web nhưng có vẻ là tệp nhị phân, không phải HTML.")
    try:
        import lxml.html

        root = lxml.html.document_fromstring(_decode(source, data))
    except LoadError:
        raise
    except Exception as exc:  # lxml raises ParserError for an empty or unparsable page
        raise LoadError(source, f"không đọc được trang web: {exc}") from exc
    _strip_chrome(root)
    flow = _Flow()
    _walk(_body(root), flow)
    lines = [line.strip() for line in flow.lines]
    while lines and not lines[-1]:
        lines.pop()
    return Layout(text=normalise_text("\n".join(lines)), tables=flow.tables, format="html")
