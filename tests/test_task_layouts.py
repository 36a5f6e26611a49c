"""Task extraction on every layout the vn-admin-docs README lists, in small made-up documents.

Each structure is written the ways files print it — the crawler's one-cell-per-line
rendering ("bars"), a markdown pipe table, a Word table built with python-docx —
and must give the same Task records (lead, partners, deadline, product).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from documents import read_text
from indexer.pipeline import parse_document
from indexer.readers import read_document
from indexer.records import Task

Rows = list[list[str]]
LETTERHEAD = "ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\nCải cách hành chính năm 2026\n\n"
INTRO = "PHỤ LỤC\nDANH MỤC NHIỆM VỤ\n"


# --- renderings -------------------------------------------------------------


def bars(rows: Rows, *, header_rows: int = 1, row_break: bool = True, bold_header: bool = True) -> str:
    """The crawler's rendering: each cell on its own line(s), a line "|" after each cell, one more
    "|" between rows (``row_break``); rows under merged cells print only their own cells."""
    out = ["|"]
    for n, row in enumerate(rows):
        for cell in row:
            text = f"**{cell}**" if cell and n < header_rows and bold_header else cell
            out.extend(text.split("\n") if text else [])
            out.append("|")
        if row_break:
            out.append("|")
    return "\n".join(out) + "\n"


def pipe(rows: Rows) -> str:
    """A markdown pipe table: header, rule, one row a line (line breaks as <br>)."""
    width = max(len(r) for r in rows)
    lines = []
    for n, row in enumerate(rows):
        cells = [c.replace("\n", "<br>") for c in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if n == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines) + "\n"


def doc_tasks(text: str, name: str = "fx.md") -> list[Task]:
    return [t for t in read_text(text, name).tasks if t.origin == "table"]


def docx_tasks(build) -> list[Task]:  # type: ignore[no-untyped-def]
    """Tasks of a Word file that ``build(document)`` fills."""
    document = DocxDocument()
    for line in LETTERHEAD.strip().split("\n"):
        document.add_paragraph(line)
    for line in INTRO.strip().split("\n"):
        document.add_paragraph(line)
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    doc = parse_document(Path("fx.docx"), read_document("fx.docx", buffer.getvalue()))
    return [t for t in doc.tasks if t.origin == "table"]


def word_table(document, rows: Rows, header_rows: int = 1):  # type: ignore[no-untyped-def]
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
            if r < header_rows:
                for run in table.cell(r, c).paragraphs[0].runs:
                    run.bold = True
    return table


def html(rows: list[list[str | tuple[str, int, int]]]) -> str:
    """A saved web page with one table; a cell is its text or (text, rowspan, colspan)."""
    out = ["<html><body><p>ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM</p><p>KẾ HOẠCH</p><p>PHỤ LỤC</p><table>"]
    for row in rows:
        cells = []
        for cell in row:
            text, down, across = cell if isinstance(cell, tuple) else (cell, 1, 1)
            cells.append(f'<td rowspan="{down}" colspan="{across}">{text.replace(chr(10), "<br>")}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(out) + "</table><p>Trên đây là Kế hoạch.</p></body></html>"


def html_tasks(rows: list[list[str | tuple[str, int, int]]]) -> list[Task]:
    return doc_tasks(html(rows), "fx.html")


def fields(tasks: list[Task]) -> list[tuple]:
    return [(t.stt, t.lead, t.support, t.deadline) for t in tasks]


def rendered(rows: Rows, **kw) -> dict[str, list[Task]]:  # type: ignore[no-untyped-def]
    """The same table as bars, pipe and Word."""
    return {
        "bars": doc_tasks(LETTERHEAD + INTRO + bars(rows, **kw)),
        "pipe": doc_tasks(LETTERHEAD + INTRO + "\n" + pipe(rows)),
        "docx": docx_tasks(lambda d: word_table(d, rows)),
        "html": html_tasks(rows),
    }


# --- column headers ---------------------------------------------------------

HEADER_CASES = {
    "chủ trì / phối hợp / thời gian hoàn thành / sản phẩm dự kiến": (
        [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm dự kiến"],
         ["1", "Rà soát thủ tục hành chính", "Sở Tư pháp", "Sở Nội vụ; Văn phòng UBND tỉnh", "Quý I năm 2026",
          "Báo cáo rà soát"],
         ["2", "Số hóa hồ sơ", "Sở Khoa học và Công nghệ", "Các sở, ban, ngành", "Thường xuyên", "Kho dữ liệu"]],
        [("1", ["Sở Tư pháp"], ["Sở Nội vụ", "Văn phòng UBND tỉnh"], "Quý I năm 2026"),
         ("2", ["Sở Khoa học và Công nghệ"], ["Các sở, ban, ngành"], "Thường xuyên")],
    ),
    "chủ trì thực hiện / phối hợp thực hiện / theo dõi, đôn đốc (not the lead)": (
        [["STT", "Nội dung", "Chủ trì thực hiện", "Phối hợp thực hiện", "Theo dõi, kiểm tra, đôn đốc"],
         ["1", "Triển khai Đề án 06", "Công an tỉnh", "Sở Tư pháp", "Văn phòng UBND tỉnh"],
         ["2", "Nâng cấp Cổng dịch vụ công", "Văn phòng UBND tỉnh", "Viettel tỉnh", "Sở Nội vụ"]],
        [("1", ["Công an tỉnh"], ["Sở Tư pháp"], None),
         ("2", ["Văn phòng UBND tỉnh"], ["Viettel tỉnh"], None)],
    ),
    "upper case CHỦ TRÌ / PHỐI HỢP / THỜI GIAN": (
        [["TT", "NỘI DUNG", "CHỦ TRÌ", "PHỐI HỢP", "THỜI GIAN"],
         ["1", "Kiểm tra công tác cải cách hành chính", "Sở Nội vụ", "Các sở, ngành", "Hằng năm"],
         ["2", "Tổ chức hội nghị sơ kết", "Văn phòng UBND tỉnh", "Sở Nội vụ", "Năm 2026"]],
        [("1", ["Sở Nội vụ"], ["Các sở, ngành"], "Hằng năm"),
         ("2", ["Văn phòng UBND tỉnh"], ["Sở Nội vụ"], "Năm 2026")],
    ),
    "chủ trì thực hiện / văn bản giao nhiệm vụ / thời hạn hoàn thành": (
        [["STT", "Nhiệm vụ", "Cơ quan chủ trì thực hiện", "Văn bản giao nhiệm vụ", "Thời hạn hoàn thành"],
         ["1", "Ban hành quy chế phối hợp", "Sở Tài chính", "Kết luận số 12-KL/TU", "Trước ngày 30/6/2026"],
         ["2", "Rà soát danh mục dự án", "Sở Xây dựng", "Công văn số 45/UBND-KT", "Tháng 9/2026"]],
        [("1", ["Sở Tài chính"], [], "Trước ngày 30/6/2026"),
         ("2", ["Sở Xây dựng"], [], "Tháng 9/2026")],
    ),
    "trách nhiệm thực hiện / thời gian": (
        [["STT", "Nội dung công việc", "Trách nhiệm thực hiện", "Thời gian"],
         ["1", "Tuyên truyền cải cách hành chính", "Sở Văn hóa, Thể thao và Du lịch", "Thường xuyên"],
         ["2", "Khảo sát mức độ hài lòng", "Sở Nội vụ", "Quý III/2026"]],
        [("1", ["Sở Văn hóa, Thể thao và Du lịch"], [], "Thường xuyên"),
         ("2", ["Sở Nội vụ"], [], "Quý III/2026")],
    ),
    "chỉ tiêu / chủ trì": (
        [["STT", "Chỉ tiêu", "Chủ trì"],
         ["1", "100% thủ tục hành chính được công khai", "Văn phòng UBND tỉnh"],
         ["2", "Tỷ lệ hồ sơ trực tuyến đạt 80%", "Sở Khoa học và Công nghệ"]],
        [("1", ["Văn phòng UBND tỉnh"], [], None),
         ("2", ["Sở Khoa học và Công nghệ"], [], None)],
    ),
    "footnote markers in header cells": (
        [["STT", "Nhiệm vụ", "Cơ quan chủ trì[1]", "Cơ quan phối hợp(2)", "Thời gian hoàn thành*"],
         ["1", "Xây dựng cơ sở dữ liệu", "Sở Nông nghiệp và Môi trường", "Sở Tài chính", "Năm 2026"],
         ["2", "Cập nhật bản đồ số", "Sở Xây dựng", "UBND các xã, phường", "Quý IV/2026"]],
        [("1", ["Sở Nông nghiệp và Môi trường"], ["Sở Tài chính"], "Năm 2026"),
         ("2", ["Sở Xây dựng"], ["UBND các xã, phường"], "Quý IV/2026")],
    ),
    "look-alike letters: Ð (U+00D0), Cyrillic, decomposed diacritics": (
        [["STT", "Nhiệm vụ", "\u00d0ơn vị chủ trì", "\u0421ơ quan phối hợp", "Tho\u0300i gian hoa\u0300n tha\u0300nh"],
         ["1", "Triển khai chữ ký số", "Sở Khoa học và Công nghệ", "\u0421ông an tỉnh", "Năm 2026"],
         ["2", "Đào tạo kỹ năng số", "Sở Nội vụ", "Sở Giáo dục và \u0110ào tạo", "Quý II/2026"]],
        [("1", ["Sở Khoa học và Công nghệ"], ["Công an tỉnh"], "Năm 2026"),
         ("2", ["Sở Nội vụ"], ["Sở Giáo dục và Đào tạo"], "Quý II/2026")],
    ),
}


@pytest.mark.parametrize("case", list(HEADER_CASES))
@pytest.mark.parametrize("layout", ["bars", "pipe", "docx", "html"])
def test_column_headers_give_column_roles(case: str, layout: str) -> None:
    rows, want = HEADER_CASES[case]
    tasks = rendered(rows)[layout]
    assert fields(tasks) == want


def test_product_column_and_multi_line_cells() -> None:
    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm dự kiến"],
            ["1", "Xây dựng kho dữ liệu\nvề đất đai", "Sở Tài\nchính", "- Sở Nội vụ\n- Sở Tư pháp", "Năm\n2026",
             "Quyết định\ncủa UBND tỉnh"]]
    for layout, tasks in rendered(rows).items():
        assert [(t.lead, t.support, t.deadline) for t in tasks] == [
            (["Sở Tài chính"], ["Sở Nội vụ", "Sở Tư pháp"], "Năm 2026")], layout
        assert " ".join(tasks[0].product.split()) == "Quyết định của UBND tỉnh", layout
        assert " ".join(tasks[0].duty.split()) == "Xây dựng kho dữ liệu về đất đai", layout


# --- two header rows ---------------------------------------------------------

TWO_ROW_WANT = [("1", ["Sở Nội vụ"], ["Sở Tư pháp"], "Quý I/2026"),
                ("2", ["Sở Tài chính"], ["Kho bạc Nhà nước tỉnh"], "Năm 2026")]
TWO_ROW_BODY = [["1", "Rà soát tổ chức bộ máy", "Sở Nội vụ", "Sở Tư pháp", "Quý I/2026"],
                ["2", "Giao dự toán kinh phí", "Sở Tài chính", "Kho bạc Nhà nước tỉnh", "Năm 2026"]]


def test_header_split_over_two_rows_in_bars() -> None:
    """The crawler prints the merged group header once; the second header row prints only its own cells."""
    rows = [["STT", "Nhiệm vụ", "Cơ quan thực hiện", "Thời gian hoàn thành"], ["Chủ trì", "Phối hợp"], *TWO_ROW_BODY]
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(rows, header_rows=2))
    assert fields(tasks) == TWO_ROW_WANT


def test_header_split_over_two_rows_in_bars_not_in_bold() -> None:
    """Sub-headers that each name a column continue the header even when nothing is bold."""
    rows = [["STT", "Nhiệm vụ", "Phân công thực hiện", "Thời gian hoàn thành"], ["Chủ trì", "Phối hợp"], *TWO_ROW_BODY]
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(rows, header_rows=2, bold_header=False))
    assert fields(tasks) == TWO_ROW_WANT


@pytest.mark.parametrize("bold_header", [True, False])
def test_bars_header_whose_row_number_cell_is_blank(bold_header: bool) -> None:
    """A header with no "STT" prints one cell fewer than its numbered rows; it starts at the second column."""
    rows = [["", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"], *TWO_ROW_BODY]
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(rows, bold_header=bold_header))
    assert fields(tasks) == TWO_ROW_WANT
    assert tasks[0].duty.startswith("Rà soát tổ chức bộ máy")


def test_bars_area_column_merged_over_numbered_rows() -> None:
    """"STT | Lĩnh vực | Nhiệm vụ | …" with the area merged down: the rows under it print one cell
    fewer; a numbered row's text is its own task, so the missing cell is the area, not the task."""
    rows = [["STT", "Lĩnh vực", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
            ["1", "Tổ chức bộ máy", "Rà soát chức năng, nhiệm vụ", "Sở Nội vụ", "Sở Tư pháp", "Quý I/2026"],
            *[[row[0], *row[1:]] for row in TWO_ROW_BODY]]
    rows[2][0], rows[3][0] = "2", "3"
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(rows, bold_header=False))
    assert [t.duty for t in tasks] == ["Rà soát chức năng, nhiệm vụ", "Rà soát tổ chức bộ máy", "Giao dự toán kinh phí"]
    assert fields(tasks)[1:] == [("2", *TWO_ROW_WANT[0][1:]), ("3", *TWO_ROW_WANT[1][1:])]


def test_header_split_over_two_rows_in_pipe() -> None:
    rows = [["STT", "Nhiệm vụ", "Cơ quan thực hiện", "", "Thời gian hoàn thành"],
            ["", "", "Chủ trì", "Phối hợp", ""], *TWO_ROW_BODY]
    assert fields(doc_tasks(LETTERHEAD + INTRO + "\n" + pipe(rows))) == TWO_ROW_WANT


def test_header_split_over_two_rows_in_html() -> None:
    rows = [[("STT", 2, 1), ("Nhiệm vụ", 2, 1), ("Cơ quan thực hiện", 1, 2), ("Thời gian hoàn thành", 2, 1)],
            ["Chủ trì", "Phối hợp"], *TWO_ROW_BODY]
    assert fields(html_tasks(rows)) == TWO_ROW_WANT


def test_html_table_grouped_by_agency_rows() -> None:
    rows = [AGENCY_ROWS[0], ["I", ("SỞ NỘI VỤ", 1, 3)], *AGENCY_ROWS[2:4], ["II", ("Sở Tư pháp", 1, 3)],
            AGENCY_ROWS[5]]
    assert fields(html_tasks(rows)) == AGENCY_WANT


def test_header_split_over_two_rows_in_word() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        table = word_table(document, [["STT", "Nhiệm vụ", "Cơ quan thực hiện", "", "Thời gian hoàn thành"],
                                      ["", "", "Chủ trì", "Phối hợp", ""], *TWO_ROW_BODY], header_rows=2)
        table.cell(0, 2).merge(table.cell(0, 3)).text = "Cơ quan thực hiện"
        for col in (0, 1, 4):
            text = table.cell(0, col).text
            table.cell(0, col).merge(table.cell(1, col)).text = text
    assert fields(docx_tasks(build)) == TWO_ROW_WANT


# --- tables grouped by agency and by area ------------------------------------

AGENCY_ROWS = [["STT", "Nhiệm vụ", "Thời gian hoàn thành", "Sản phẩm"],
               ["I", "SỞ NỘI VỤ"],
               ["1", "Tham mưu kế hoạch cải cách hành chính", "Tháng 1/2026", "Kế hoạch"],
               ["2", "Kiểm tra cải cách hành chính", "Quý III/2026", "Báo cáo"],
               ["II", "Sở Tư pháp"],
               ["3", "Rà soát văn bản quy phạm pháp luật", "Thường xuyên", "Báo cáo rà soát"]]
AGENCY_WANT = [("1", ["Sở Nội vụ"], [], "Tháng 1/2026"), ("2", ["Sở Nội vụ"], [], "Quý III/2026"),
               ("3", ["Sở Tư pháp"], [], "Thường xuyên")]


@pytest.mark.parametrize("layout", ["bars", "pipe", "docx"])
def test_table_grouped_by_agency_rows(layout: str) -> None:
    """Agency rows span the table; the tasks under one take it as their lead."""
    if layout == "docx":
        def build(document) -> None:  # type: ignore[no-untyped-def]
            table = word_table(document, AGENCY_ROWS)
            for r in (1, 4):
                label, name = table.cell(r, 0).text, table.cell(r, 1).text
                table.cell(r, 1).merge(table.cell(r, 3)).text = name
                table.cell(r, 0).text = label
        tasks = docx_tasks(build)
    elif layout == "bars":
        tasks = doc_tasks(LETTERHEAD + INTRO + bars(AGENCY_ROWS))
    else:
        tasks = doc_tasks(LETTERHEAD + INTRO + "\n" + pipe(AGENCY_ROWS))
    assert fields(tasks) == AGENCY_WANT
    assert tasks[0].product == "Kế hoạch"


@pytest.mark.parametrize("layout", ["bars", "pipe"])
def test_unnumbered_agency_rows_with_a_lead_column(layout: str) -> None:
    """Agency rows without a number ("Sở Nội vụ" alone, bold) above tasks whose lead cell is empty."""
    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
            ["Ủy ban nhân dân các xã, phường"],
            ["1", "Niêm yết thủ tục hành chính", "", "Văn phòng UBND tỉnh", "Thường xuyên"],
            ["Công an tỉnh"],
            ["2", "Cấp căn cước điện tử", "", "Sở Tư pháp", "Năm 2026"]]
    text = LETTERHEAD + INTRO + (bars(rows) if layout == "bars" else "\n" + pipe(rows))
    assert fields(doc_tasks(text)) == [
        ("1", ["Ủy ban nhân dân các xã, phường"], ["Văn phòng UBND tỉnh"], "Thường xuyên"),
        ("2", ["Công an tỉnh"], ["Sở Tư pháp"], "Năm 2026")]


AREA_ROWS = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
             ["I.", "Cải cách thể chế"],
             ["1", "Rà soát văn bản", "Sở Tư pháp", "Các sở, ngành", "Quý II/2026"],
             ["II.", "Cải cách thủ tục hành chính"],
             ["2", "Công bố thủ tục hành chính", "Văn phòng UBND tỉnh", "Các sở, ngành", "Thường xuyên"],
             ["", "Tổng cộng: 02 nhiệm vụ"]]


@pytest.mark.parametrize("layout", ["bars", "pipe", "docx"])
def test_table_grouped_by_area_with_a_total_row(layout: str) -> None:
    if layout == "docx":
        def build(document) -> None:  # type: ignore[no-untyped-def]
            table = word_table(document, AREA_ROWS)
            for r in (1, 3, 5):
                label, name = table.cell(r, 0).text, table.cell(r, 1).text
                table.cell(r, 1).merge(table.cell(r, 4)).text = name
                table.cell(r, 0).text = label
        tasks = docx_tasks(build)
    elif layout == "bars":
        tasks = doc_tasks(LETTERHEAD + INTRO + bars(AREA_ROWS))
    else:
        tasks = doc_tasks(LETTERHEAD + INTRO + "\n" + pipe(AREA_ROWS))
    assert fields(tasks) == [("1", ["Sở Tư pháp"], ["Các sở, ngành"], "Quý II/2026"),
                             ("2", ["Văn phòng UBND tỉnh"], ["Các sở, ngành"], "Thường xuyên")]
    assert [t.group for t in tasks] == ["I. Cải cách thể chế", "II. Cải cách thủ tục hành chính"]


# --- vertically merged cells (one task, several products or deadlines) -------


def test_word_vertical_merges_make_one_task_with_several_products() -> None:
    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"],
            ["1", "Xây dựng Chính quyền số", "Sở Khoa học và Công nghệ", "Các sở, ngành", "Kế hoạch", "Quý I/2026"],
            ["", "", "", "", "Báo cáo đánh giá", "Quý IV/2026"],
            ["2", "Đào tạo kỹ năng số", "Sở Nội vụ", "Sở Giáo dục và Đào tạo", "Lớp tập huấn", "Năm 2026"]]

    def build(document) -> None:  # type: ignore[no-untyped-def]
        table = word_table(document, rows)
        for col in range(4):
            text = table.cell(1, col).text
            table.cell(1, col).merge(table.cell(2, col)).text = text
    tasks = docx_tasks(build)
    assert fields(tasks) == [("1", ["Sở Khoa học và Công nghệ"], ["Các sở, ngành"], "Quý I/2026; Quý IV/2026"),
                             ("2", ["Sở Nội vụ"], ["Sở Giáo dục và Đào tạo"], "Năm 2026")]
    assert tasks[0].product == "Kế hoạch\nBáo cáo đánh giá"


def test_bars_rows_under_merged_cells_print_only_their_own_cells() -> None:
    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"],
            ["1", "Xây dựng Chính quyền số", "Sở Khoa học và Công nghệ", "Các sở, ngành", "Kế hoạch", "Quý I/2026"],
            ["Báo cáo đánh giá", "Quý IV/2026"],
            ["2", "Đào tạo kỹ năng số", "Sở Nội vụ", "Sở Giáo dục và Đào tạo", "Lớp tập huấn", "Năm 2026"]]
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(rows))
    assert fields(tasks) == [("1", ["Sở Khoa học và Công nghệ"], ["Các sở, ngành"], "Quý I/2026; Quý IV/2026"),
                             ("2", ["Sở Nội vụ"], ["Sở Giáo dục và Đào tạo"], "Năm 2026")]


# --- one cell per line without a row delimiter --------------------------------

FLAT_ROWS = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
             ["1", "Rà soát thủ tục hành chính", "Văn phòng UBND tỉnh", "Sở Tư pháp", "Quý I/2026"],
             ["2", "Số hóa kết quả giải quyết", "Sở Khoa học và Công nghệ", "", "Năm 2026"],
             ["3", "Đánh giá chỉ số PAR Index", "Sở Nội vụ", "Các sở, ngành", "Hằng năm"],
             ["4", "Kiểm tra công vụ", "Sở Nội vụ", "Thanh tra tỉnh", "Quý III/2026"]]


def test_one_cell_per_line_without_row_delimiters() -> None:
    """Only a single "|" between every two cells: rows are cut by the column count and the STT column."""
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(FLAT_ROWS, row_break=False))
    assert fields(tasks) == [("1", ["Văn phòng UBND tỉnh"], ["Sở Tư pháp"], "Quý I/2026"),
                             ("2", ["Sở Khoa học và Công nghệ"], [], "Năm 2026"),
                             ("3", ["Sở Nội vụ"], ["Các sở, ngành"], "Hằng năm"),
                             ("4", ["Sở Nội vụ"], ["Thanh tra tỉnh"], "Quý III/2026")]


def test_one_cell_per_line_without_row_delimiters_and_a_group_row() -> None:
    rows = [FLAT_ROWS[0], ["I", "Cải cách thủ tục hành chính"], *FLAT_ROWS[1:3], ["II", "Cải cách công vụ"],
            *FLAT_ROWS[3:]]
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(rows, row_break=False))
    assert [t.stt for t in tasks] == ["1", "2", "3", "4"]
    assert [t.lead for t in tasks] == [["Văn phòng UBND tỉnh"], ["Sở Khoa học và Công nghệ"], ["Sở Nội vụ"],
                                       ["Sở Nội vụ"]]
    assert [t.group for t in tasks] == ["I. Cải cách thủ tục hành chính"] * 2 + ["II. Cải cách công vụ"] * 2


def test_many_cells_without_row_delimiters() -> None:
    body = [[str(n), f"Nhiệm vụ số {n} về chuyển đổi số", "Sở Khoa học và Công nghệ", "Các sở, ngành", "Năm 2026"]
            for n in range(1, 121)]
    tasks = doc_tasks(LETTERHEAD + INTRO + bars([FLAT_ROWS[0], *body], row_break=False))
    assert [t.stt for t in tasks] == [str(n) for n in range(1, 121)]
    assert all(t.lead == ["Sở Khoa học và Công nghệ"] and t.deadline == "Năm 2026" for t in tasks)


def test_one_cell_per_line_without_row_delimiters_or_bold_header() -> None:
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(FLAT_ROWS, row_break=False, bold_header=False))
    assert [(t.stt, t.lead) for t in tasks] == [("1", ["Văn phòng UBND tỉnh"]), ("2", ["Sở Khoa học và Công nghệ"]),
                                                ("3", ["Sở Nội vụ"]), ("4", ["Sở Nội vụ"])]


# --- prose --------------------------------------------------------------------


def prose_of(text: str) -> list[tuple]:
    return [(t.lead, t.support, t.deadline) for t in read_text(LETTERHEAD + text, "fx.md").tasks
            if t.origin == "prose"]


def test_giao_sentences_with_hard_line_breaks_in_names() -> None:
    text = """III. TỔ CHỨC THỰC HIỆN
1. Giao Sở Tài
chính chủ trì, phối hợp với Sở Nội vụ, Kho bạc Nhà nước khu vực tham mưu bố trí kinh phí, hoàn thành trước ngày 31/3/2026.
2. Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Ủy ban nhân dân các xã, phường xây dựng nền tảng số, hoàn thành trong Quý I năm 2026.
"""
    assert prose_of(text) == [
        (["Sở Tài chính"], ["Sở Nội vụ", "Kho bạc Nhà nước khu vực"], "hoàn thành trước ngày 31/3/2026"),
        (["Sở Khoa học và Công nghệ"], ["Ủy ban nhân dân các xã, phường"], "hoàn thành trong Quý I năm 2026"),
    ]


def test_dash_labels_under_each_task() -> None:
    text = """II. NHIỆM VỤ CỤ THỂ
1. Rà soát, đơn giản hóa thủ tục hành chính nội bộ
- Cơ quan chủ trì: Văn phòng UBND tỉnh.
- Cơ quan phối hợp: Các sở, ban, ngành.
- Thời gian thực hiện: Quý II năm 2026.
2. Xây dựng kho dữ liệu dùng chung
- Đơn vị chủ trì: Sở Khoa học và Công nghệ.
- Thời gian thực hiện: Thường xuyên.
3. Ban hành quy chế quản lý dữ liệu
- Cơ quan thực hiện: Sở Tư pháp.
+ Thời hạn ban hành: trước ngày 30/6/2026.
"""
    assert prose_of(text) == [
        (["Văn phòng UBND tỉnh"], ["Các sở, ban, ngành"], "Quý II năm 2026"),
        (["Sở Khoa học và Công nghệ"], [], "Thường xuyên"),
        (["Sở Tư pháp"], [], "trước ngày 30/6/2026"),
    ]


def test_sections_headed_by_an_agency_with_bullets_without_a_subject() -> None:
    text = """IV. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ
- Chủ trì, phối hợp với Văn phòng UBND tỉnh theo dõi, đôn đốc việc thực hiện Kế hoạch.
- Tổng hợp kết quả, báo cáo UBND tỉnh hằng năm.
**2.**** Sở Tư pháp**
- Chủ trì, phối hợp với các cơ quan liên quan rà soát văn bản quy phạm pháp luật; thời gian: thường xuyên.
3. Sở Tài
chính
- Chủ trì, phối hợp với Sở Nội vụ bố trí kinh phí thực hiện Kế hoạch.
"""
    got = prose_of(text)
    assert got[0][:2] == (["Sở Nội vụ"], ["Văn phòng UBND tỉnh"])
    assert got[1][0] == ["Sở Nội vụ"]
    assert got[2] == (["Sở Tư pháp"], ["các cơ quan liên quan"], "thường xuyên")
    assert got[3][:2] == (["Sở Tài chính"], ["Sở Nội vụ"])
    assert len(got) == 4


def test_numbered_points_addressed_to_ministers() -> None:
    text = """Thủ tướng Chính phủ yêu cầu:
1. Bộ trưởng Bộ Tài chính: chủ trì, phối hợp với Bộ Nội vụ hướng dẫn cơ chế tài chính, hoàn thành trước ngày 15/02/2026.
2. Bộ trưởng Bộ Công an: chỉ đạo triển khai Đề án 06 trong năm 2026.
3. Đề nghị Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang Bộ rà soát thủ tục hành chính thuộc phạm vi quản lý.
"""
    got = prose_of(text)
    assert got[0] == (["Bộ trưởng Bộ Tài chính"], ["Bộ Nội vụ"], "hoàn thành trước ngày 15/02/2026")
    assert got[1][0] == ["Bộ trưởng Bộ Công an"] and got[1][2] == "trong năm 2026"
    assert got[2][0] == ["Bộ trưởng các Bộ", "Thủ trưởng cơ quan ngang Bộ"]


@pytest.mark.parametrize(
    ("sentence", "deadline"),
    [
        ("Sở Nội vụ chủ trì kiểm tra công tác cải cách hành chính; thời gian: thường xuyên.", "thường xuyên"),
        ("Sở Nội vụ chủ trì tổng hợp báo cáo, thời gian thực hiện: Hằng năm.", "Hằng năm"),
        ("Sở Tư pháp chủ trì rà soát văn bản, hoàn thành trong Quý I năm 2026.", "hoàn thành trong Quý I năm 2026"),
        ("Sở Tư pháp chủ trì rà soát văn bản, thời hạn hoàn thành: Quý I năm 2026.", "Quý I năm 2026"),
        ("Sở Tài chính chủ trì thẩm định dự toán trước ngày 15 tháng 01 năm 2026.", "trước ngày 15 tháng 01 năm 2026"),
        ("Sở Xây dựng chủ trì lập quy hoạch trong năm 2026.", "trong năm 2026"),
    ],
)
def test_prose_deadlines(sentence: str, deadline: str) -> None:
    assert prose_of(f"IV. TỔ CHỨC THỰC HIỆN\n{sentence}\n")[0][2] == deadline


def test_word_table_with_auto_numbered_row_numbers() -> None:
    """Word prints the STT column from a numbered list: the numbers are not in the cells' text."""
    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
            ["", "Rà soát quy trình nội bộ", "Sở Nội vụ", "Quý II/2026"],
            ["", "Số hóa hồ sơ lưu trữ", "Sở Khoa học và Công nghệ", "Năm 2026"]]

    def build(document) -> None:  # type: ignore[no-untyped-def]
        table = word_table(document, rows)
        for r in (1, 2):
            table.cell(r, 0).paragraphs[0].style = document.styles["List Number"]
    assert [(t.stt, t.lead) for t in docx_tasks(build)] == [("1", ["Sở Nội vụ"]), ("2", ["Sở Khoa học và Công nghệ"])]


TITLED = [["DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026"],
          ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
          ["1", "Rà soát quy trình nội bộ", "Sở Nội vụ", "Quý II/2026"],
          ["2", "Số hóa hồ sơ lưu trữ", "Sở Khoa học và Công nghệ", "Năm 2026"]]


@pytest.mark.parametrize("layout", ["bars", "pipe", "docx"])
def test_a_title_row_merged_across_the_table_above_its_header(layout: str) -> None:
    if layout == "docx":
        def build(document) -> None:  # type: ignore[no-untyped-def]
            table = word_table(document, TITLED)
            table.cell(0, 0).merge(table.cell(0, 3)).text = TITLED[0][0]
        tasks = docx_tasks(build)
    elif layout == "bars":
        tasks = doc_tasks(LETTERHEAD + INTRO + bars(TITLED, header_rows=2))
    else:
        tasks = doc_tasks(LETTERHEAD + INTRO + "\n" + pipe(TITLED))
    assert [(t.stt, t.lead, t.deadline) for t in tasks] == [("1", ["Sở Nội vụ"], "Quý II/2026"),
                                                            ("2", ["Sở Khoa học và Công nghệ"], "Năm 2026")]


def test_one_cell_per_line_without_row_delimiters_or_row_numbers() -> None:
    """No STT column: the column count alone cuts the rows (an empty cell is one more "|")."""
    rows = [row[1:] for row in FLAT_ROWS]
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(rows, row_break=False))
    assert [(t.duty, t.lead, t.support, t.deadline) for t in tasks] == [
        ("Rà soát thủ tục hành chính", ["Văn phòng UBND tỉnh"], ["Sở Tư pháp"], "Quý I/2026"),
        ("Số hóa kết quả giải quyết", ["Sở Khoa học và Công nghệ"], [], "Năm 2026"),
        ("Đánh giá chỉ số PAR Index", ["Sở Nội vụ"], ["Các sở, ngành"], "Hằng năm"),
        ("Kiểm tra công vụ", ["Sở Nội vụ"], ["Thanh tra tỉnh"], "Quý III/2026")]


def test_word_second_lead_under_merged_cells_is_not_a_group_title() -> None:
    """A row that only adds a lead (the task and the rest merged over it) belongs to the task above."""
    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
            ["1", "Tuyên truyền cải cách hành chính", "Sở Văn hóa, Thể thao và Du lịch", "Thường xuyên"],
            ["", "", "Báo và Phát thanh, Truyền hình tỉnh", ""],
            ["2", "Khảo sát mức độ hài lòng", "Sở Nội vụ", "Quý III/2026"]]

    def build(document) -> None:  # type: ignore[no-untyped-def]
        table = word_table(document, rows)
        for col in (0, 1, 3):
            text = table.cell(1, col).text
            table.cell(1, col).merge(table.cell(2, col)).text = text
    tasks = docx_tasks(build)
    assert [(t.stt, t.lead, t.group) for t in tasks] == [
        ("1", ["Sở Văn hóa, Thể thao và Du lịch", "Báo và Phát thanh, Truyền hình tỉnh"], None),
        ("2", ["Sở Nội vụ"], None)]


def test_crawled_header_with_a_footnote_after_the_bold_text() -> None:
    text = bars(FLAT_ROWS, row_break=False).replace("**Cơ quan chủ trì**", "**Cơ quan chủ trì**[1]")
    tasks = doc_tasks(LETTERHEAD + INTRO + text + "\n[1] Cơ quan chịu trách nhiệm chính.\n")
    assert [(t.stt, t.lead) for t in tasks] == [("1", ["Văn phòng UBND tỉnh"]), ("2", ["Sở Khoa học và Công nghệ"]),
                                                ("3", ["Sở Nội vụ"]), ("4", ["Sở Nội vụ"])]


MERGED_HEADER = [
    # "Nội dung" was merged over two columns (the area and the task); the conversion kept one cell
    ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
    ["1", "Cải cách thể chế", "Rà soát văn bản quy phạm pháp luật của tỉnh", "Sở Tư pháp", "Các sở, ngành",
     "Quý II/2026"],
    ["2", "Cải cách thủ tục", "Số hóa hồ sơ thủ tục hành chính tại bộ phận một cửa", "Văn phòng UBND tỉnh",
     "Sở Khoa học và Công nghệ", "Năm 2026"],
    ["3", "Chuyển đổi số", "Xây dựng kho dữ liệu dùng chung của tỉnh", "Sở Khoa học và Công nghệ",
     "Các sở, ngành", "Tháng 12/2026"],
]


@pytest.mark.parametrize("render", [bars, pipe])
def test_a_header_narrower_than_its_rows_is_spread_by_what_the_cells_hold(render) -> None:  # type: ignore[no-untyped-def]
    """A merged header cell lost in conversion shifts every role one column; the cells put them back."""
    tasks = doc_tasks(LETTERHEAD + INTRO + render(MERGED_HEADER))
    assert [(t.lead, t.support, t.deadline) for t in tasks] == [
        (["Sở Tư pháp"], ["Các sở, ngành"], "Quý II/2026"),
        (["Văn phòng UBND tỉnh"], ["Sở Khoa học và Công nghệ"], "Năm 2026"),
        (["Sở Khoa học và Công nghệ"], ["Các sở, ngành"], "Tháng 12/2026"),
    ]
    assert "Rà soát văn bản quy phạm pháp luật" in (tasks[0].duty or "")


@pytest.mark.parametrize("header", ["Cơ quan, đơn vị", "Đơn vị", "Cơ quan"])
@pytest.mark.parametrize("render", [bars, pipe])
def test_a_column_of_agencies_beside_the_tasks_leads_them(header: str, render) -> None:  # type: ignore[no-untyped-def]
    """"STT | Cơ quan, đơn vị | Nhiệm vụ": a column headed only "agency", holding agencies, is the lead."""
    rows = [["STT", header, "Nhiệm vụ"],
            ["1", "Sở Tư pháp", "Rà soát văn bản quy phạm pháp luật của tỉnh"],
            ["2", "Văn phòng UBND tỉnh", "Số hóa hồ sơ thủ tục hành chính tại bộ phận một cửa"]]
    tasks = doc_tasks(LETTERHEAD + INTRO + render(rows))
    assert [(t.lead, t.duty) for t in tasks] == [
        (["Sở Tư pháp"], "Rà soát văn bản quy phạm pháp luật của tỉnh"),
        (["Văn phòng UBND tỉnh"], "Số hóa hồ sơ thủ tục hành chính tại bộ phận một cửa"),
    ]


def test_a_ranking_of_agencies_stays_a_table_of_figures() -> None:
    rows = [["Thứ hạng", "Đơn vị", "Điểm đạt được", "Xếp loại"], ["1", "Sở Tư pháp", "82,78", "Tốt"],
            ["2", "Sở Nội vụ", "78,95", "Tốt"]]
    assert doc_tasks(LETTERHEAD + INTRO + pipe(rows)) == []


def test_bars_header_whose_opening_bar_was_lost() -> None:
    """A page converted without the bar before the first header cell: "STT" stands just above the
    first "|"; the header is one cell short of its rows, so that line is its first cell."""
    text = bars(FLAT_ROWS)
    assert text.startswith("|\n")
    tasks = doc_tasks(LETTERHEAD + INTRO + text[2:])
    assert fields(tasks)[:2] == [("1", ["Văn phòng UBND tỉnh"], ["Sở Tư pháp"], "Quý I/2026"),
                                 ("2", ["Sở Khoa học và Công nghệ"], [], "Năm 2026")]


def test_bars_sub_row_with_an_empty_cell_under_merged_cells() -> None:
    """"product | deadline | lead | ∅ | monitor" under a merged STT and task: the empty partner cell
    prints as "||" like a row break, but the agency after it stands where the last full row has one."""
    rows = [["STT", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành", "Chủ trì thực hiện", "Phối hợp thực hiện",
             "Theo dõi, kiểm tra, đôn đốc"],
            ["1", "Tham mưu ban hành kế hoạch kiểm tra", "Kế hoạch kiểm tra của tỉnh", "Tháng 01/2026",
             "Sở Nội vụ", "Các sở, ngành", "Sở Nội vụ"],
            ["Kế hoạch tự kiểm tra của các cơ quan", "Tháng 6/2026", "Các cơ quan, đơn vị", "", "Sở Nội vụ"],
            ["2", "Công bố chỉ số cải cách hành chính", "Quyết định công bố", "Quý I/2026", "Sở Nội vụ",
             "Sở Tư pháp", "Văn phòng UBND tỉnh"]]
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(rows))
    assert fields(tasks) == [
        ("1", ["Sở Nội vụ", "Các cơ quan, đơn vị"], ["Các sở, ngành"], "Tháng 01/2026; Tháng 6/2026"),
        ("2", ["Sở Nội vụ"], ["Sở Tư pháp"], "Quý I/2026"),
    ]


def test_short_row_cells_stand_where_their_kind_does() -> None:
    """A sub-row under a merged STT and task that prints its own lead and deadline but not the partner
    merged on its right: put on the usual (left) side, the agency would stand under the deadline."""
    from indexer.model import Cell
    from indexer.tables import fit_row

    above = [Cell(t, 1, 1) for t in ("1", "Số hóa hồ sơ", "Sở Nội vụ", "Quý II/2026", "Sở Tư pháp")]
    row = fit_row([Cell("Văn phòng UBND tỉnh", 2, 2), Cell("Quý III/2026", 2, 2)], 5, above)
    assert [c.text for c in row] == ["1", "Số hóa hồ sơ", "Văn phòng UBND tỉnh", "Quý III/2026", "Sở Tư pháp"]
    assert [c.carried for c in row] == [True, True, False, False, True]
    # nothing contradicts the usual side: a product and a deadline stay on the right
    row = fit_row([Cell("Báo cáo", 2, 2), Cell("Quý IV/2026", 2, 2)], 5, above[:2] + [above[2], Cell("Kế hoạch", 1, 1), above[3]])
    assert [c.text for c in row] == ["1", "Số hóa hồ sơ", "Sở Nội vụ", "Báo cáo", "Quý IV/2026"]


@pytest.mark.parametrize(("bold_header", "empty_cell"), [(True, False), (False, False), (True, True), (False, True)])
def test_bars_rows_whose_auto_numbers_were_lost(bold_header: bool, empty_cell: bool) -> None:
    """Word numbers the STT column itself; a page converted from it prints the "STT" header but no
    number in any row: every row is one cell short, or starts with an empty cell."""
    rows = [FLAT_ROWS[0]] + [([""] if empty_cell else []) + row[1:] for row in FLAT_ROWS[1:]]
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(rows, bold_header=bold_header))
    assert [(t.duty, t.lead, t.support, t.deadline) for t in tasks] == [
        ("Rà soát thủ tục hành chính", ["Văn phòng UBND tỉnh"], ["Sở Tư pháp"], "Quý I/2026"),
        ("Số hóa kết quả giải quyết", ["Sở Khoa học và Công nghệ"], [], "Năm 2026"),
        ("Đánh giá chỉ số PAR Index", ["Sở Nội vụ"], ["Các sở, ngành"], "Hằng năm"),
        ("Kiểm tra công vụ", ["Sở Nội vụ"], ["Thanh tra tỉnh"], "Quý III/2026")]


def test_bars_lost_numbers_under_a_group_row_printed_across_the_table() -> None:
    """The group row keeps its typed label and all its (empty) cells; the rows under it lost their
    numbers: the empty cells that finish the group row do not push the next row to the right."""
    rows = [FLAT_ROWS[0], ["I", "Cải cách thủ tục hành chính", "", "", ""]] + [row[1:] for row in FLAT_ROWS[1:3]]
    tasks = doc_tasks(LETTERHEAD + INTRO + bars(rows))
    assert [(t.duty, t.lead, t.deadline, t.group) for t in tasks] == [
        ("Rà soát thủ tục hành chính", ["Văn phòng UBND tỉnh"], "Quý I/2026", "I. Cải cách thủ tục hành chính"),
        ("Số hóa kết quả giải quyết", ["Sở Khoa học và Công nghệ"], "Năm 2026", "I. Cải cách thủ tục hành chính")]
