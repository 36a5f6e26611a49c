"""Task tables of PDFs with a text layer: read as tables, as the Word file they were printed from.

The PDF is printed in the test: a Word plan (python-docx) with a page of running
text and an appendix task table long enough to go on over pages, saved as PDF by
LibreOffice. The rules that join a table's pages are also checked on small grids
built here, so they run where LibreOffice is missing.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from unittest import mock

import pytest

from indexer.model import page_of_line
from indexer.pipeline import parse_document
from indexer.readers import pdf as pdf_reader
from indexer.readers import read_document
from indexer.readers.pdf_tables import Grid, GridCell, TableText

HEADER = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
AGENCIES = ["Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Văn phòng UBND tỉnh", "Sở Khoa học và Công nghệ"]
SUB_ROW = ("Sở Tài chính", "Tháng 9/2026")
PROSE = ("Thực hiện Nghị quyết của Chính phủ về cải cách hành chính, Ủy ban nhân dân tỉnh ban hành "
         "Kế hoạch cải cách hành chính năm 2026 với các nội dung sau đây. ")


def _rows() -> list[list[str]]:
    rows = []
    for n in range(1, 19):
        lead = AGENCIES[n % len(AGENCIES)]
        partner = AGENCIES[(n + 2) % len(AGENCIES)]
        task = (f"Rà soát, đánh giá và công bố danh mục thủ tục hành chính số {n} thuộc phạm vi quản lý, "
                "đề xuất phương án đơn giản hóa và tái cấu trúc quy trình giải quyết")
        rows.append([str(n), task, lead, f"{partner}; UBND các xã, phường", f"Tháng {n % 12 + 1}/2026"])
    return rows


def _plan_docx() -> bytes:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026")
    for k in range(6):
        document.add_paragraph(f"{k + 1}. " + PROSE * 3)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Phụ lục. DANH MỤC NHIỆM VỤ")
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"  # ruled: every cell has its borders
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    repeat = OxmlElement("w:tblHeader")  # the header row printed again on every page
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in _rows():
        row = table.add_row()
        for cell, text in zip(row.cells, values):
            cell.text = text
        if values[0] == "2":  # a second row under the same number, task and lead (merged cells)
            sub = table.add_row()
            for k in (0, 1, 2):
                row.cells[k].merge(sub.cells[k])
            sub.cells[3].text, sub.cells[4].text = SUB_ROW
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("cần LibreOffice (soffice) để in tệp Word ra PDF")
    folder = tmp_path_factory.mktemp("pdf-tables")
    word = folder / "kh-cchc-thu.docx"
    word.write_bytes(_plan_docx())
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(word)],
                   capture_output=True, timeout=180, check=True)
    pdf = folder / "kh-cchc-thu.pdf"
    assert pdf.is_file()
    return word, pdf


def test_task_table_of_a_pdf_gives_the_tasks_of_its_word_file(printed: tuple[Path, Path]) -> None:
    word, pdf = printed
    layout = read_document(pdf.name, pdf.read_bytes())
    assert len(layout.pages) >= 3  # a page of text, then the table over two pages at least
    assert all(page.line_start for page in layout.pages), "every page keeps its lines"
    tables = [t for t in layout.tables if t.layout == "pdf"]
    assert len(tables) == 1, "the table broken across pages is one table"
    table = tables[0]
    first, last = page_of_line(layout.pages, table.line_start), page_of_line(layout.pages, table.line_end)
    assert first is not None and last is not None and last > first
    assert table.header() == HEADER
    assert len(table.body) == len(_rows()) + 1  # the repeated header is not a row
    tasks = [t for t in parse_document(pdf, layout).tasks if t.origin == "table"]
    expected = {values[0]: values for values in _rows()}
    assert {t.stt for t in tasks} >= set(expected)
    for task in tasks:
        if task.stt == "2":
            continue  # two rows under merged cells: compared with the Word file below
        values = expected[task.stt]
        assert task.duty and " ".join(task.duty.split()) == values[1]
        assert task.lead == [values[2]]
        assert task.support == [values[3].split(";")[0], "UBND các xã, phường"]
        assert task.deadline == values[4]
    word_tasks = [t for t in parse_document(word, read_document(word.name, word.read_bytes())).tasks
                  if t.origin == "table"]
    assert [(t.stt, t.lead, t.support, t.deadline) for t in tasks] == \
        [(t.stt, t.lead, t.support, t.deadline) for t in word_tasks]


def test_page_of_running_text_reads_as_before(printed: tuple[Path, Path]) -> None:
    _, pdf = printed
    data = pdf.read_bytes()
    now = read_document(pdf.name, data)
    with mock.patch.object(pdf_reader, "read_page_segments", lambda data, numbers: {}):
        before = read_document(pdf.name, data)
    assert not before.tables or all(t.layout != "pdf" for t in before.tables)
    first_now, first_before = now.pages[0], before.pages[0]
    assert first_now.method == first_before.method == "text"
    lines_now = now.text.split("\n")[first_now.line_start - 1: first_now.line_end]
    lines_before = before.text.split("\n")[first_before.line_start - 1: first_before.line_end]
    assert lines_now == lines_before
    assert any("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH" in line for line in lines_now)


def _grid(rows: list[list[str]], edges: tuple[float, ...] = (0, 30, 200, 300, 400)) -> Grid:
    return Grid([[GridCell(text) for text in row] for row in rows], list(edges), 50.0, 500.0)


HEAD = ["STT", "Nhiệm vụ", "Chủ trì", "Thời hạn"]


def test_a_table_goes_on_over_pages_without_its_repeated_header() -> None:
    document = TableText()
    document.add_page(["Phụ lục", _grid([HEAD, ["1", "Rà soát thủ tục", "Sở Tư pháp", "Tháng 3/2026"],
                                          ["2", "Xây dựng kế hoạch kiểm tra", "Sở Nội", "Trong tháng 6"]])])
    document.add_page(["2", _grid([HEAD, ["", "và công bố kết quả", "vụ", "năm 2026"],
                                   ["3", "Tổ chức hội nghị", "Văn phòng UBND tỉnh", "Quý IV/2026"]])])
    assert len(document.tables) == 1
    table = document.tables[0]
    assert [[c.text for c in row] for row in table.body] == [
        ["1", "Rà soát thủ tục", "Sở Tư pháp", "Tháng 3/2026"],
        ["2", "Xây dựng kế hoạch kiểm tra và công bố kết quả", "Sở Nội vụ", "Trong tháng 6 năm 2026"],
        ["3", "Tổ chức hội nghị", "Văn phòng UBND tỉnh", "Quý IV/2026"],
    ]


def test_a_sub_row_starting_a_page_keeps_its_own_cells_and_takes_the_merged_ones() -> None:
    document = TableText()
    document.add_page([_grid([HEAD, ["1", "Tự kiểm tra cải cách hành chính", "Sở Nội vụ", "Tháng 2/2026"]])])
    document.add_page([_grid([["", "", "Các sở, ban, ngành", "Tháng 3/2026"]])])
    body = document.tables[0].body
    assert len(body) == 2
    assert [(c.text, c.carried) for c in body[1]] == [
        ("1", True), ("Tự kiểm tra cải cách hành chính", True), ("Các sở, ban, ngành", False),
        ("Tháng 3/2026", False)]


def test_other_columns_or_text_between_start_a_new_table() -> None:
    document = TableText()
    document.add_page([_grid([HEAD, ["1", "Rà soát", "Sở Tư pháp", "2026"]])])
    document.add_page([_grid([["A", "B", "C"], ["1", "2", "3"]], edges=(0, 100, 200, 300))])
    document.add_page(["Điều 2. Tổ chức thực hiện: các sở, ban, ngành triển khai kế hoạch này.",
                       _grid([["A", "B", "C"], ["4", "5", "6"]], edges=(0, 100, 200, 300))])
    assert len(document.tables) == 3
