"""Task tables read the same whatever page converter printed them.

Most documents users hold were saved from a legal portal, which prints a Word
table either one cell per line ("|" between cells, no row delimiter, a vertically
merged cell only in its first row) or as a markdown pipe table (merged cells
empty). Neither rendering of the build split's Word tables is in the corpus, so
each Word file's tables are re-printed here both ways (in a temporary folder,
never kept) — and once more one cell per line without the bar that opens the
table, as pages cut at the table's start print it — and the Task records read
from each are compared with the Word file's: rows found (same task text), and of
those the same lead agencies, partners and deadline. Held-out files are never read.

    python scripts/rendered_tables_benchmark.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import html
import re
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from indexer.columns import column_roles  # noqa: E402
from indexer.model import Cell, Layout, Table  # noqa: E402
from indexer.tables import is_group_row  # noqa: E402
from pdf_tables_benchmark import SPLIT, compare, table_tasks  # noqa: E402
from indexer.readers import read_document  # noqa: E402

STYLES = ("bars", "bars, no opening bar", "bars, bold header", "bars, numbers lost", "bars, numbers blank",
          "bars, STT header blank", "bars, agencies under a merged header", "bars, merged area column", "pipe", "html")


def _restyled(table: Table, style: str) -> Table:
    """The table as another drafter would have laid it out (same cells, other header or columns)."""
    rows = [list(row) for row in table.rows]
    h = table.header_rows
    if "STT header blank" in style and rows[h - 1][0].text.strip():
        rows[h - 1][0] = Cell("", rows[h - 1][0].line_start, rows[h - 1][0].line_end)
    if "merged header" in style:  # "Phân công thực hiện" over "Chủ trì" | "Phối hợp"
        roles = column_roles([c.text for c in rows[h - 1]])
        if h == 1 and "lead" in roles and roles.index("lead") + 1 < len(roles) and roles[roles.index("lead") + 1] == "support":
            i = roles.index("lead")
            top = [*rows[0][:i], Cell("Phân công thực hiện", 0, 0), Cell("Phân công thực hiện", 0, 0, carried=True),
                   *rows[0][i + 2:]]
            sub = [Cell("", 0, 0, carried=True) for _ in rows[0]]
            sub[i], sub[i + 1] = Cell("Chủ trì", 0, 0), Cell("Phối hợp", 0, 0)
            return Table(table.layout, [top, sub, *rows[1:]], 2, table.line_start, table.line_end)
    if "area column" in style:  # an area merged down over the numbered rows of each group
        out, area = [], 0
        for n, row in enumerate(rows):
            if n < h:
                cell = Cell("Lĩnh vực", 0, 0)
            elif is_group_row(row):
                cell, area = Cell("", 0, 0, carried=True), 0
            else:
                area += 1
                cell = Cell("Lĩnh vực thực hiện", 0, 0, carried=area > 1)
            out.append([row[0], cell, *row[1:]])
        return Table(table.layout, out, h, table.line_start, table.line_end)
    return Table(table.layout, rows, h, table.line_start, table.line_end)


def _bars(table: Table, opening_bar: bool = True, bold_header: bool = False, numbers: str = "printed") -> list[str]:
    out: list[str] = []
    for n, row in enumerate(table.rows):
        if n or opening_bar:
            out.append("|")
        # Word's own numbering of the STT column is not text: a converted page may print no number
        # cell ("lost") or an empty one ("blank")
        for k, cell in enumerate(row):
            if numbers != "printed" and k == 0 and n >= table.header_rows and re.fullmatch(r"\d{1,3}\.?", cell.text.strip()):
                if numbers == "blank":
                    out.append("|")
                continue
            if not cell.carried:  # a merged cell prints once, in the first row it spans
                lines = [line for line in cell.text.split("\n") if line.strip()]
                if bold_header and n < table.header_rows and lines:
                    lines = [f"**{' '.join(lines)}**"]
                out.extend(lines)
                out.append("|")
    return out


def _html(table: Table) -> list[str]:
    """An HTML table: a merged cell once, with rowspan over the rows that carry it."""
    out = ["<table>"]
    for n, row in enumerate(table.rows):
        cells = []
        for col, cell in enumerate(row):
            if cell.carried:
                continue
            span = 1
            while n + span < len(table.rows) and col < len(table.rows[n + span]) and table.rows[n + span][col].carried:
                span += 1
            text = "<br>".join(html.escape(line) for line in cell.text.split("\n"))
            cells.append(f"<td rowspan=\"{span}\">{text}</td>" if span > 1 else f"<td>{text}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out + ["</table>"]


def _pipe(table: Table) -> list[str]:
    out: list[str] = []
    for n, row in enumerate(table.rows):
        out.append("| " + " | ".join("" if c.carried else " ".join(c.text.split()) for c in row) + " |")
        if n == table.header_rows - 1:
            out.append("|" + "---|" * len(row))
    return out


def render(layout: Layout, style: str) -> str:
    """The document's text with each table of content printed in ``style``."""
    lines = layout.text.split("\n")
    out: list[str] = []
    done = 0
    for table in sorted((t for t in layout.tables if not t.role), key=lambda t: t.line_start):
        out.extend(lines[done : table.line_start - 1])
        if style == "pipe":
            out.extend(_pipe(table))
        elif style == "html":
            out.extend(_html(table))
        else:
            out.extend(_bars(_restyled(table, style), opening_bar="no opening" not in style, bold_header="bold" in style,
                             numbers=style.split("numbers ")[1] if "numbers" in style else "printed"))
        out.append("")
        done = table.line_end
    out.extend(lines[done:])
    if style == "html":  # the text around the tables as paragraphs
        return "<html><body>" + "\n".join(x if x.startswith("<") else f"<p>{html.escape(x)}</p>" for x in out) + "</body></html>"
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    docs = args.shared / "vn-admin-docs" / "docs"
    if not docs.is_dir():
        print("bỏ qua: không có thư mục vn-admin-docs")
        return 0
    words = [docs / n for n in json.loads(SPLIT.read_text(encoding="utf-8"))["build"] if n.endswith(".docx")]
    keys = ("docx", "pdf", "found", "lead", "support", "deadline")
    print(f"{'rendering':38} {'Word rows':>9} {'read':>5} {'found':>6} {'lead':>5} {'partners':>8} {'deadline':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for style in STYLES:
            total = dict.fromkeys(keys, 0)
            for word in words:
                layout = read_document(word.name, word.read_bytes())
                tasks = table_tasks(word, layout)
                if not tasks:
                    continue
                page = Path(tmp) / f"{word.stem}.{'html' if style == 'html' else 'md'}"
                page.write_text(render(layout, style), encoding="utf-8")
                printed = table_tasks(page, read_document(page.name, page.read_bytes()))
                for key, value in compare(tasks, printed).items():
                    total[key] += value
            t = total
            print(f"{style:38} {t['docx']:9} {t['pdf']:5} {t['found']:6} {t['lead']:5} {t['support']:8} {t['deadline']:8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
