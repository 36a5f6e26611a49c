"""Adding a document through the admin API: checked, size-limited, nothing lost, then searchable."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from fastapi.testclient import TestClient

from indexer.pipeline import build_index
from search_api.audit import AuditLog
from indexer.settings import Settings
from search_api.app import create_app
from search_api.state import IndexState
from web_fixtures import SEED_CORPUS

ADMIN_KEY = "khoa-upload-thu"
KEY = {"X-API-Key": ADMIN_KEY}
SMALL_SEED = "004_c671c5edcbf64ed2.txt"
LIMIT_MB = 0.25


def _plan_docx() -> bytes:
    """A short plan in the usual layout, with a prose assignment and a task table."""
    doc = DocxDocument()
    for line in [
        "ỦY BAN NHÂN DÂN", "HUYỆN THỬ NGHIỆM", "Số: 77/KH-UBND", "Thử Nghiệm, ngày 05 tháng 3 năm 2024",
        "KẾ HOẠCH", "Số hóa hồ sơ lưu trữ nghĩa trang liệt sĩ năm 2024",
        "I. NHIỆM VỤ",
        "1. Giao Phòng Lao động - Thương binh và Xã hội chủ trì, phối hợp với Phòng Văn hóa và Thông tin "
        "số hóa toàn bộ hồ sơ mộ liệt sĩ, hoàn thành trước ngày 30/9/2024.",
    ]:
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.fixture()
def site(tmp_path: Path) -> tuple[TestClient, Settings]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / SMALL_SEED, corpus / SMALL_SEED)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", dense=False,
                        admin_key=ADMIN_KEY, max_upload_mb=LIMIT_MB)
    build_index(settings, None, progress=False)
    state = IndexState(settings)
    state.load()
    return TestClient(create_app(state)), settings


def _audit(settings: Settings) -> list[dict]:
    return list(AuditLog.for_settings(settings).entries())


def _corpus_files(settings: Settings) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in settings.corpus_dir.iterdir() if p.is_file()}


def test_uploaded_docx_is_answerable_after_reindex(site: tuple[TestClient, Settings]) -> None:
    client, settings = site
    name = "kh_77_so_hoa_ho_so.docx"
    response = client.put(f"/api/admin/documents/{name}", content=_plan_docx(), headers=KEY)
    assert response.status_code == 201, response.text
    assert response.json()["source"] == name and response.json()["replaced"] is False
    before = client.get("/api/search", params={"q": "hồ sơ mộ liệt sĩ"}).json()["results"]
    assert all(r["source"] != name for r in before)  # saved, not yet indexed

    assert client.post("/api/admin/reindex", headers=KEY).json()["documents"] == 2
    answer = client.get("/api/ask", params={"q": "Cơ quan nào chủ trì số hóa hồ sơ mộ liệt sĩ?"}).json()
    assert answer["found"] is True
    assert any("Lao động" in lead for lead in answer["lead"])
    assert answer["citations"][0]["source"] == name
    assert answer["citations"][0]["doc_number"] == "77/KH-UBND"
    upload, reindex = _audit(settings)
    assert (upload["action"], upload["target"], upload["status"], upload["key_label"]) == ("upload", name, 201, "admin")
    assert upload["client"] == "testclient" and upload["sha1"] == response.json()["sha1"]
    assert (reindex["action"], reindex["status"], reindex["documents"]) == ("reindex", 200, 2)
    assert ADMIN_KEY not in settings.audit_path.read_text(encoding="utf-8")  # labels only, never keys


def test_same_name_needs_replace_and_keeps_the_previous_version(site: tuple[TestClient, Settings]) -> None:
    client, settings = site
    original = (settings.corpus_dir / SMALL_SEED).read_bytes()
    refused = client.put(f"/api/admin/documents/{SMALL_SEED}", content="Nội dung mới".encode(), headers=KEY)
    assert refused.status_code == 409 and "replace=true" in refused.json()["detail"]
    assert (settings.corpus_dir / SMALL_SEED).read_bytes() == original

    replaced = client.put(f"/api/admin/documents/{SMALL_SEED}", params={"replace": "true"},
                          content="Nội dung mới".encode(), headers=KEY)
    assert replaced.status_code == 201 and replaced.json()["replaced"] is True
    assert (settings.corpus_dir / SMALL_SEED).read_text(encoding="utf-8") == "Nội dung mới"
    kept = settings.corpus_dir / replaced.json()["kept_previous_as"]
    assert kept.read_bytes() == original
    entries = _audit(settings)
    assert [(e["action"], e["status"], e["result"]) for e in entries] == [
        ("upload", 409, "refused"), ("replace", 201, "ok")]
    assert entries[1]["kept_previous_as"] == replaced.json()["kept_previous_as"]


@pytest.mark.parametrize(
    ("name", "content", "status", "words"),
    [
        ("gia.pdf", b"day khong phai PDF " * 50, 422, "Không đọc được"),
        ("rong.txt", b"", 422, "rỗng"),
        ("chuong_trinh.exe", b"MZ\x90\x00", 422, "Định dạng"),
        (".an.txt", b"noi dung", 422, "Tên tệp"),
        ("a..b.txt", b"noi dung", 422, "Tên tệp"),
        ("ten;rm.txt", b"noi dung", 422, "Tên tệp"),
        ("qua_lon.txt", "chữ ".encode() * 100_000, 413, "quá lớn"),
        ("gia_word.doc", "Chỉ là văn bản thường.".encode(), 422, "không phải tệp Word"),
        ("hong_word.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, 422, "không chuyển đổi được"),
        ("trang_hong.html", b"\x00\x01\x02\x03" * 64, 422, "nhị phân"),
        ("chi_menu.htm", b"<html><body><nav><a href='/'>Trang chu</a></nav></body></html>", 422, "không chứa văn bản"),
    ],
    ids=["fake-pdf", "empty", "exe", "hidden", "dots", "shell-char", "too-large", "fake-doc", "broken-doc",
         "binary-html", "menu-only-html"],
)
def test_bad_uploads_are_refused_clearly_and_change_nothing(
    site: tuple[TestClient, Settings], name: str, content: bytes, status: int, words: str
) -> None:
    client, settings = site
    before = _corpus_files(settings)
    response = client.put(f"/api/admin/documents/{name}", content=content, headers=KEY)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert _corpus_files(settings) == before
    (entry,) = _audit(settings)
    assert (entry["action"], entry["status"], entry["result"]) == ("upload", status, "refused")
    assert words in entry["detail"]


def test_oversized_upload_without_content_length_is_cut_off(site: tuple[TestClient, Settings]) -> None:
    client, settings = site
    before = _corpus_files(settings)

    def chunks():  # a generator body is sent chunked, with no Content-Length to check up front
        for _ in range(64):
            yield b"x" * 8192

    response = client.put("/api/admin/documents/dong_chay.txt", content=chunks(), headers=KEY)
    assert response.status_code == 413
    assert _corpus_files(settings) == before


def test_path_outside_the_corpus_cannot_be_reached(site: tuple[TestClient, Settings], tmp_path: Path) -> None:
    client, settings = site
    for name in ("..%2Fngoai.txt", "%2E%2E%2Fngoai.txt", "thu%5Cngoai.txt"):
        response = client.put(f"/api/admin/documents/{name}", content=b"noi dung", headers=KEY)
        assert response.status_code in (404, 422), (name, response.text)
    assert not (tmp_path / "ngoai.txt").exists()
    assert sorted(_corpus_files(settings)) == [SMALL_SEED]


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "sai"}], ids=["none", "wrong"])
def test_upload_needs_the_admin_key(site: tuple[TestClient, Settings], headers: dict) -> None:
    client, settings = site
    response = client.put("/api/admin/documents/moi.txt", content="Kế hoạch".encode(), headers=headers)
    assert response.status_code == 401
    assert not (settings.corpus_dir / "moi.txt").exists()
    (entry,) = _audit(settings)
    assert (entry["action"], entry["status"], entry["key_label"]) == ("denied", 401, None)
    assert "sai" not in settings.audit_path.read_text(encoding="utf-8").replace("Thiếu hoặc sai", "")


def test_several_labelled_keys_and_the_audit_log_rotates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", dense=False, admin_key="cu",
                        admin_keys="van-thu:khoa-van-thu, it:khoa-it", audit_max_mb=0.002, audit_keep=2)
    client = TestClient(create_app(IndexState(settings)))
    for i in range(30):
        key = ("cu", "khoa-van-thu", "khoa-it")[i % 3]
        response = client.put(f"/api/admin/documents/kh_{i}.txt", content="Kế hoạch số hoá".encode(),
                              headers={"X-API-Key": key})
        assert response.status_code == 201, response.text
    log = AuditLog.for_settings(settings)
    assert len(log.files()) == 3  # audit.jsonl + .1 + .2, older lines rotated away
    assert all(p.stat().st_size <= 2100 for p in log.files())
    entries = list(log.entries())
    assert entries and entries[-1]["target"] == "kh_29.txt"
    assert [e["target"] for e in entries] == [f"kh_{i}.txt" for i in range(30 - len(entries), 30)]
    assert {e["key_label"] for e in entries} == {"admin", "van-thu", "it"}
    text = "".join(p.read_text(encoding="utf-8") for p in log.files())
    assert "khoa-it" not in text and "khoa-van-thu" not in text


def test_uploaded_web_page_is_answerable_without_its_site(site: tuple[TestClient, Settings]) -> None:
    client, settings = site
    page = ("<html><head><title>Cổng TTĐT</title></head><body><nav><a href='/'>Trang chủ</a><a href='/x'>Tin tức</a>"
            "<a href='/y'>Liên hệ</a></nav><div class='content'>"
            "<table><tr><td>ỦY BAN NHÂN DÂN<br>HUYỆN THỬ NGHIỆM</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</td></tr>"
            "<tr><td>Số: 78/KH-UBND</td><td>Thử Nghiệm, ngày 06 tháng 3 năm 2024</td></tr></table>"
            "<p>KẾ HOẠCH</p><p>Trồng cây xanh ven đường năm 2024</p><p>I. NHIỆM VỤ</p>"
            "<p>1. Giao Phòng Tài nguyên và Môi trường chủ trì trồng mới 5.000 cây xanh ven đường huyện.</p>"
            "</div><footer>Bản quyền thuộc Cổng TTĐT</footer></body></html>")
    name = "kh_78_cay_xanh.html"
    assert client.put(f"/api/admin/documents/{name}", content=page.encode(), headers=KEY).status_code == 201
    assert client.post("/api/admin/reindex", headers=KEY).json()["documents"] == 2
    answer = client.get("/api/ask", params={"q": "Cơ quan nào chủ trì trồng mới cây xanh ven đường?"}).json()
    assert answer["found"] is True and answer["citations"][0]["source"] == name
    assert answer["citations"][0]["doc_number"] == "78/KH-UBND"
    footer = client.get("/api/search", params={"q": "Bản quyền thuộc Cổng TTĐT"}).json()["results"]
    assert all("Bản quyền" not in r["text"] for r in footer)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) chưa được cài")
def test_uploaded_word_97_file_is_answerable_after_reindex(site: tuple[TestClient, Settings], tmp_path: Path) -> None:
    import subprocess

    client, settings = site
    source = tmp_path / "kh_77.docx"
    source.write_bytes(_plan_docx())
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=180, check=True)
    data = (tmp_path / "kh_77.doc").read_bytes()
    assert data[:4] == b"\xd0\xcf\x11\xe0"
    assert client.put("/api/admin/documents/kh_77_so_hoa.doc", content=data, headers=KEY).status_code == 201
    assert client.post("/api/admin/reindex", headers=KEY).json()["documents"] == 2
    answer = client.get("/api/ask", params={"q": "Cơ quan nào chủ trì số hóa hồ sơ mộ liệt sĩ?"}).json()
    assert answer["found"] is True and any("Lao động" in lead for lead in answer["lead"])
    assert answer["citations"][0]["source"] == "kh_77_so_hoa.doc"


def test_reindex_names_the_files_it_left_out(site: tuple[TestClient, Settings]) -> None:
    client, settings = site
    (settings.corpus_dir / "gia_word.doc").write_text("Chỉ là văn bản thường.", encoding="utf-8")
    (settings.corpus_dir / "bang_tinh.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    result = client.post("/api/admin/reindex", headers=KEY).json()
    assert result["documents"] == 1
    errors = " | ".join(result["errors"])
    assert "gia_word.doc: tệp mang đuôi .doc nhưng không phải tệp Word" in errors
    assert "bang_tinh.xls: bảng tính Excel chưa được hỗ trợ" in errors
