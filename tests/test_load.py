"""Loaders and the corpus run: bad files get a clear message naming the file and
never stop the rest of the corpus from being indexed."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from indexer.load import LoadError, load_file
from indexer.pipeline import build_index, load_corpus
from indexer.settings import Settings
from indexer.reader import open_index

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "004_c671c5edcbf64ed2.txt"
MB = 1_048_576


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 does: letters with their vowel marks, tone as a combining mark."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out).encode("cp1258")


def _bad_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    (corpus / "rong.txt").write_bytes(b"")
    (corpus / "anh-quet.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (corpus / "rat-lon.txt").write_bytes(("Điều 1. Nội dung rất dài của văn bản.\n" * 600_000).encode())
    legacy = "QUYẾT ĐỊNH\nVề việc giao Sở Nội vụ chủ trì kiểm tra công vụ năm 2024\n1. Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp.\n"
    (corpus / "ma-cu.txt").write_bytes(_windows_1258(legacy))
    return corpus


def test_bad_files_are_reported_by_name_and_the_rest_is_indexed(tmp_path: Path) -> None:
    corpus = _bad_corpus(tmp_path)
    assert (corpus / "rat-lon.txt").stat().st_size > 20 * MB
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", dense=False)
    report = build_index(settings, None, progress=False)
    errors = " | ".join(report.errors)
    assert "rong.txt: tệp rỗng" in errors
    assert "anh-quet.pdf: tệp có đuôi .pdf nhưng không phải là PDF hợp lệ" in errors
    assert "rat-lon.txt: tệp quá lớn" in errors and "TRACUU_MAX_FILE_MB" in errors
    assert any("ma-cu.txt" in w and "cp1258" in w for w in report.warnings)
    index = open_index(settings.index_dir)
    assert set(index.documents) == {"004_c671c5edcbf64ed2", "ma-cu"}
    legacy = index.documents["ma-cu"]
    assert "giao Sở Nội vụ chủ trì" in legacy.text
    assert any("Sở Nội vụ" in t.lead for t in legacy.tasks)


def test_a_raised_limit_reads_the_large_file(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    line = "- Rà soát, đơn giản hoá thủ tục hành chính và công khai kết quả trên Cổng dịch vụ công.\n"
    (corpus / "lon.txt").write_text("Kế hoạch số 1/KH-UBND\n" + line * 12_000, encoding="utf-8")  # ≈ 1.2 MB
    documents, report = load_corpus(corpus, Settings(max_file_mb=1), progress=False)
    assert not documents and "tệp quá lớn" in report.errors[0]
    documents, report = load_corpus(corpus, Settings(max_file_mb=8), progress=False)
    assert [d.doc_id for d in documents] == ["lon"] and not report.errors


def test_docx_paragraphs_and_tables_are_read_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("I. NHIỆM VỤ")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("STT", "Nhiệm vụ", "Cơ quan chủ trì")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("1", "Rà soát thủ tục", "Sở Tư pháp")):
        cell.text = text
    document.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    path = tmp_path / "kh.docx"
    document.save(path)
    layout = load_file(path, max_bytes=MB)
    text = layout.text
    assert text.index("I. NHIỆM VỤ") < text.index("1 | Rà soát thủ tục | Sở Tư pháp") < text.index("II. TỔ CHỨC")
    (table,) = layout.tables  # the Word table is a table block, its cells on the row's line
    assert [[c.text for c in row] for row in table.rows] == [["STT", "Nhiệm vụ", "Cơ quan chủ trì"],
                                                              ["1", "Rà soát thủ tục", "Sở Tư pháp"]]
    assert text.split("\n")[table.rows[1][1].line_start - 1] == "1 | Rà soát thủ tục | Sở Tư pháp"


def test_pdf_with_a_text_layer_is_read_and_a_broken_docx_is_reported(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    blank = tmp_path / "trang-trang.pdf"
    with blank.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(LoadError, match="không có chữ đọc được, kể cả sau khi nhận dạng OCR"):
        load_file(blank, max_bytes=MB)
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LoadError, match="hong.docx: không mở được tệp Word"):
        load_file(broken, max_bytes=MB)


def _encrypted_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _corpus_with_files_left_out(root: Path) -> tuple[Path, dict[str, str]]:
    """The seed, one good saved web page, and files the indexer cannot take, with the reason each gets."""
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    (corpus / "trang-luu.htm").write_text(
        "<html><body><nav><a href='/'>Trang chủ</a></nav><p>KẾ HOẠCH</p>"
        "<p>Giao Sở Tư pháp chủ trì rà soát văn bản quy phạm pháp luật năm 2025.</p></body></html>", encoding="utf-8")
    left_out = {
        "gia-word.doc": "không phải tệp Word",  # a text file renamed .doc
        "anh.doc": "không phải tệp Word",  # an image renamed .doc
        "hong-ole.doc": "không chuyển đổi được",  # a Word 97 header and nothing else
        "nhi-phan.html": "nhị phân",
        "chi-menu.html": "không chứa văn bản",  # a page of site navigation only
        "hong.pdf": "không đọc được tệp PDF",
        "khoa.pdf": "đặt mật khẩu",
        "bang.xlsx": "Excel",
    }
    (corpus / "gia-word.doc").write_text("Đây chỉ là văn bản thường.", encoding="utf-8")
    (corpus / "anh.doc").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (corpus / "hong-ole.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (corpus / "nhi-phan.html").write_bytes(b"\x00\x01\x02\x03" * 64)
    (corpus / "chi-menu.html").write_text("<html><body><nav><ul><li><a href='/'>Trang chủ</a></li>"
                                          "<li><a href='/a'>Tin tức</a></li><li><a href='/b'>Liên hệ</a></li>"
                                          "</ul></nav></body></html>", encoding="utf-8")
    (corpus / "hong.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    (corpus / "khoa.pdf").write_bytes(_encrypted_pdf())
    (corpus / "bang.xlsx").write_bytes(b"PK\x03\x04 not a real workbook")
    return corpus, left_out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) chưa được cài")
def test_every_file_left_out_is_named_with_its_reason_and_the_rest_is_indexed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from search_api.cli import main

    corpus, left_out = _corpus_with_files_left_out(tmp_path)
    status = main(["--corpus", str(corpus), "--index", str(tmp_path / "index"), "index", "--lexical-only", "--quiet"])
    assert status == 0
    printed = capsys.readouterr().err
    for name, reason in left_out.items():
        line = next((line for line in printed.splitlines() if f"Lỗi: {name}:" in line), "")
        assert reason in line, (name, printed)
    index = open_index(tmp_path / "index")
    assert set(index.documents) == {"004_c671c5edcbf64ed2", "trang-luu"}
    assert "Trang chủ" not in index.documents["trang-luu"].text


def test_docx_text_inside_wrappers_frames_and_text_boxes_is_read(tmp_path: Path) -> None:
    """Real drafts carry tracked insertions, smart tags, content controls, text boxes and page
    frames; python-docx's own text skips them, so whole phrases and task tables were lost."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    v = 'xmlns:v="urn:schemas-microsoft-com:vml"'
    document = docx.Document()
    body = document.element.body
    paragraph = document.add_paragraph("Giao ")
    paragraph._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>Sở Tư pháp</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>Sở Nội vụ</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:smartTag {w} w:uri="u" w:element="place"><w:r><w:t> chủ trì</w:t></w:r>'
                                  '</w:smartTag>'))
    box = parse_xml(f'<w:p {w} {v}><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
                    '<w:t>ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>'
                    '</w:pict></w:r></w:p>')
    body.insert(0, box)
    control = parse_xml(f'<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>Số: 12/KH-UBND</w:t></w:r></w:p>'
                        '</w:sdtContent></w:sdt>')
    body.insert(1, control)
    frame = document.add_table(rows=1, cols=1)
    inner = frame.cell(0, 0).add_table(rows=2, cols=3)
    for cell, text in zip(inner.rows[0].cells, ("STT", "Nhiệm vụ", "Cơ quan chủ trì")):
        cell.text = text
    for cell, text in zip(inner.rows[1].cells, ("1", "Rà soát thủ tục hành chính", "Sở Tư pháp")):
        cell.text = text
    path = tmp_path / "kh.docx"
    document.save(path)
    layout = load_file(path, max_bytes=MB)
    assert "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" in layout.text and "Số: 12/KH-UBND" in layout.text
    assert "Giao Sở Tư pháp chủ trì" in layout.text and "Sở Nội vụ" not in layout.text
    (table,) = layout.tables  # the frame is read through: the task table inside it is the table block
    assert [c.text for c in table.rows[1]] == ["1", "Rà soát thủ tục hành chính", "Sở Tư pháp"]
