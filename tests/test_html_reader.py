"""Saved portal pages (.html/.htm): the document body, its letterhead and task table; never the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents import read_text
from indexer.pipeline import build_index, parse_document
from indexer.reader import open_index
from indexer.readers import read_document
from indexer.readers.base import LoadError
from indexer.settings import Settings

SITE_WORDS = ["Trang chủ", "Đăng nhập", "Văn bản mới", "Quảng cáo", "Bản quyền thuộc", "Tra cứu văn bản",
              "Văn bản liên quan", "Chia sẻ", "gtag", "color:red"]

PORTAL_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Kế hoạch 45/KH-UBND - Cổng thông tin</title>
<style>.menu {{ color:red }}</style><script>window.dataLayer=[];function gtag(){{}}</script></head>
<body>
<header class="site-header"><a href="/">Cổng thông tin điện tử tỉnh Thử Nghiệm</a>
  <form class="search"><input name="q"><button>Tra cứu văn bản</button></form></header>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/vb">Văn bản mới</a></li>
  <li><a href="/login">Đăng nhập</a></li></ul></nav>
<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/vb">Văn bản</a></div>
<div class="banner-ads"><img src="ad.png" alt="Quảng cáo"> Quảng cáo: mua sắm giảm giá</div>
<div id="main-content" class="content">
  <div style="display: none">Đăng nhập để tải văn bản</div>
  <table class="letterhead" width="100%">
    <tr><td><b>ỦY BAN NHÂN DÂN<br>TỈNH THỬ NGHIỆM</b></td>
        <td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b></td></tr>
    <tr><td>Số: 45/KH-UBND</td><td><i>Thử Nghiệm, ngày 12 tháng 3 năm 2025</i></td></tr>
  </table>
  <h2 style="text-align:center">KẾ HOẠCH</h2>
  <p style="text-align:center"><b>Cải cách hành chính năm 2025</b></p>
  <h3>I. MỤC ĐÍCH, YÊU CẦU</h3>
  <p>Nâng cao chất lượng phục vụ người dân và doanh nghiệp; tỷ lệ hồ sơ giải quyết đúng hạn đạt 98%.</p>
  <h3>II. NHIỆM VỤ</h3>
  <p>Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp tổ chức kiểm tra công vụ, hoàn thành trước ngày 30/6/2025.</p>
  <p style="text-align:center"><b>Phụ lục</b><br><b>DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025</b></p>
  <table border="1">
    <thead><tr><th>STT</th><th>Nhiệm vụ</th><th>Cơ quan chủ trì</th><th>Cơ quan phối hợp</th>
      <th>Thời gian hoàn thành</th></tr></thead>
    <tbody>
    <tr><td><b>I</b></td><td colspan="4"><b>Cải cách thủ tục hành chính</b></td></tr>
    <tr><td>1</td><td>Rà soát, đơn giản hóa thủ tục hành chính nội bộ</td><td rowspan="2">Văn phòng UBND tỉnh</td>
        <td>Các sở, ban, ngành</td><td>Quý II/2025</td></tr>
    <tr><td>2</td><td>Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính</td>
        <td>Sở Khoa học và Công nghệ</td><td>Tháng 12/2025</td></tr>
    <tr><td><b>II</b></td><td colspan="4"><b>Cải cách tài chính công</b></td></tr>
    <tr><td>3</td><td>Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập</td><td>Sở Tài chính</td>
        <td>Sở Nội vụ</td><td>Năm 2025</td></tr>
    </tbody>
  </table>
  <div class="share"><a href="#">Chia sẻ</a> <a href="#">Facebook</a> <a href="#">Zalo</a></div>
</div>
<aside class="sidebar"><h4>Văn bản liên quan</h4><ul>
  <li><a href="/1">Quyết định 12/QĐ-UBND</a></li><li><a href="/2">Kế hoạch 7/KH-UBND</a></li></ul></aside>
<div class="related-docs"><a href="/3">Văn bản liên quan khác</a><a href="/4">Xem thêm</a><a href="/5">Tin mới</a></div>
<footer>Bản quyền thuộc Cổng thông tin điện tử tỉnh Thử Nghiệm</footer>
</body></html>
"""


def _page() -> bytes:
    return PORTAL_PAGE.replace("{{", "{").replace("}}", "}").encode("utf-8")


def test_the_body_is_read_and_the_site_is_dropped() -> None:
    layout = read_document("kh-45.html", _page())
    assert layout.format == "html"
    for words in SITE_WORDS:
        assert words not in layout.text, words
    lines = layout.text.split("\n")
    assert lines[0].startswith("ỦY BAN NHÂN DÂN")  # the body starts at the letterhead
    assert "II. NHIỆM VỤ" in lines
    assert "Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp tổ chức kiểm tra công vụ, hoàn thành trước ngày 30/6/2025." in lines


def test_the_letterhead_and_the_task_table_are_table_blocks() -> None:
    layout = read_document("kh-45.html", _page())
    letterhead, tasks = layout.tables
    assert letterhead.layout == "html" and letterhead.role == "letterhead" and letterhead.width == 2
    assert letterhead.rows[0][0].text == "ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM" and letterhead.rows[0][0].bold
    assert tasks.role == "" and tasks.header() == [
        "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
    assert len(tasks.rows) == 6 and all(len(r) == 5 for r in tasks.rows)
    lead_of_second = tasks.rows[3][2]
    assert lead_of_second.text == "Văn phòng UBND tỉnh" and lead_of_second.carried  # rowspan carried down
    assert tasks.rows[3][3].text == "Sở Khoa học và Công nghệ"
    # each row is one line of the text, so citations quote it
    for row in tasks.rows:
        assert row[0].line_start == row[-1].line_start
    assert "1 | Rà soát, đơn giản hóa thủ tục hành chính nội bộ | Văn phòng UBND tỉnh" in layout.text


def test_tasks_and_metadata_come_from_the_page() -> None:
    document = parse_document(Path("kh-45.html"), read_document("kh-45.html", _page()))
    assert document.meta.doc_number == "45/KH-UBND" and document.meta.doc_type == "Kế hoạch"
    assert document.meta.issued_date == "2025-03-12"
    by_task = {t.duty or "": t for t in document.tasks}
    simplify = next(t for name, t in by_task.items() if "đơn giản hóa" in name)
    digitise = next(t for name, t in by_task.items() if "Số hóa hồ sơ" in name)
    autonomy = next(t for name, t in by_task.items() if "tự chủ tài chính" in name)
    assert simplify.lead == ["Văn phòng UBND tỉnh"] and "Quý II/2025" in (simplify.deadline or "")
    assert simplify.group and "Cải cách thủ tục hành chính" in simplify.group
    assert digitise.lead == ["Văn phòng UBND tỉnh"] and "Sở Khoa học và Công nghệ" in " ".join(digitise.support)
    assert autonomy.lead == ["Sở Tài chính"] and "Sở Nội vụ" in autonomy.support
    assert any("Sở Nội vụ" in t.lead and "kiểm tra công vụ" in (t.duty or "") for t in document.tasks)


def test_navigation_is_absent_from_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kh-45.htm").write_bytes(_page())
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", dense=False)
    report = build_index(settings, None, progress=False)
    assert report.errors == [] and report.documents == 1
    index = open_index(settings.index_dir)
    indexed = "\n".join(p.text for p in index.passages) + "\n".join(d.text for d in index.documents.values())
    for words in SITE_WORDS:
        assert words not in indexed, words
    assert "Rà soát, đơn giản hóa thủ tục hành chính nội bộ" in indexed


def test_a_page_laid_out_in_a_table_is_read_as_its_text() -> None:
    page = ("<html><body><table><tr><td><table><tr><td>ỦY BAN NHÂN DÂN</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            "</td></tr></table><p>CÔNG VĂN</p><p>Kính gửi: Sở Nội vụ.</p><p>Đề nghị Sở Nội vụ báo cáo kết quả."
            "</p></td></tr></table></body></html>")
    layout = read_document("cv.html", page.encode("utf-8"))
    assert "Kính gửi: Sở Nội vụ." in layout.text.split("\n")
    assert len(layout.tables) == 1 and layout.tables[0].width == 2  # the inner letterhead only


def test_a_legacy_code_page_is_honoured() -> None:
    page = '<html><head><meta charset="windows-1258"></head><body><p>Kế hoạch số 7</p></body></html>'
    # Windows-1258 writes a tone as a combining mark after its letter
    data = page.replace("ế", "ê\u0301").replace("ạ", "a\u0323").replace("ố", "ô\u0301").encode("cp1258")
    layout = read_document("cu.html", data)
    assert "Kế hoạch số 7" in layout.text


@pytest.mark.parametrize(("data", "words"), [
    (b"<html><head><script>var a=1;</script></head><body><nav><a href='/'>Trang chu</a></nav></body></html>",
     "không chứa văn bản"),
    (b"\x00\x01\x02\x03" * 100, "không"),
    (b"   ", "không"),
])
def test_a_broken_or_empty_page_is_refused_by_name(data: bytes, words: str) -> None:
    with pytest.raises(LoadError) as caught:
        read_document("hong.html", data)
    assert caught.value.source == "hong.html" and words in caught.value.message


def test_the_text_reader_agrees_on_the_body() -> None:
    """The same plan read from the page's text gives the same prose assignment."""
    layout = read_document("kh-45.html", _page())
    assert any("Sở Nội vụ" in t.lead for t in read_text(layout.text).tasks)


def test_an_article_keeps_its_own_header_and_a_word_saved_page_reads() -> None:
    page = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><!--[if gte mso 9]><xml><o:DocumentProperties>
    <o:Author>Phong</o:Author></o:DocumentProperties></xml><![endif]--></head><body>
    <header><a href="/">Cổng thông tin</a> <a href="/a">Trang chủ</a> <a href="/b">Liên hệ</a></header>
    <div id="toanvancontent"><article><header><table><tr><td>BỘ NỘI VỤ</td>
    <td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</td></tr>
    <tr><td>Số: 9/CV-BNV</td><td>Hà Nội, ngày 02 tháng 01 năm 2025</td></tr></table></header>
    <p class=MsoNormal>Kính gửi: Ủy ban nhân dân các tỉnh<o:p></o:p></p>
    <p class=MsoNormal>Đề nghị báo cáo kết quả cải cách hành chính<span style='mso-spacerun:yes'> </span>trước ngày 15/01/2025.</p>
    </article></div><footer>Bản quyền thuộc Bộ</footer></body></html>"""
    layout = read_document("cv-9.html", page.encode("utf-8"))
    assert layout.tables and layout.tables[0].role == "letterhead"
    assert "Đề nghị báo cáo kết quả cải cách hành chính trước ngày 15/01/2025." in layout.text.split("\n")
    for words in ("Cổng thông tin", "Trang chủ", "Bản quyền", "Phong"):
        assert words not in layout.text
