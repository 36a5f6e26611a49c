"""Word 97–2003 (.doc) through LibreOffice: real files of vn-admin-docs, Vietnamese kept, tables kept.

The three real OLE2 ``.doc`` files are in the held-out split: they are read and
checked by aggregate numbers only (share of valid syllables, tables found,
metadata fields present), never by their text.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from documents import ADMIN_DOCS, read_file
from indexer.readers import read_document
from indexer.readers.base import LoadError
from indexer.readers.doc import OLE2_SIGNATURE, read_doc, soffice_path
from indexer.syllables import syllable_share

pytestmark = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) chưa được cài")
SPLIT = json.loads((Path(__file__).parent / "gold" / "vn_admin_split.json").read_text(encoding="utf-8"))
SYLLABLE_FLOOR = 0.93
"""Measured on the three real .doc files: 0.947, 0.959, 0.972 (clean Unicode Word text; the rest is
abbreviations such as UBND and names); Vietnamese text read in the wrong code (TCVN3 as Windows-1252)
scores 0.20–0.31 (tests/test_tcvn3.py)."""


def _real_doc_files() -> list[Path]:
    if not ADMIN_DOCS.is_dir():
        return []
    return sorted(p for p in ADMIN_DOCS.glob("*.doc") if p.read_bytes()[:8] == OLE2_SIGNATURE)


@pytest.fixture(scope="module")
def real_docs() -> dict[str, object]:
    files = _real_doc_files()
    if not files:
        pytest.skip("thiếu ../shared/data/vn-admin-docs")
    return {p.name: read_file(p) for p in files}


def test_the_real_word_97_files_are_all_read(real_docs: dict[str, object]) -> None:
    assert len(real_docs) == 3
    assert set(real_docs) <= set(SPLIT["heldout"])  # hence the aggregate-only checks below


def test_real_doc_files_keep_their_diacritics(real_docs: dict[str, object]) -> None:
    shares = [syllable_share(d.text) for d in real_docs.values()]
    assert min(shares) >= SYLLABLE_FLOOR, [round(s, 3) for s in shares]
    assert all(len(d.text) > 2000 for d in real_docs.values())


def test_real_doc_files_keep_letterhead_and_signature_tables(real_docs: dict[str, object]) -> None:
    for document in real_docs.values():
        roles = [t.role for t in document.tables]
        assert "letterhead" in roles and "signature" in roles


def test_real_doc_files_give_their_metadata_and_tasks(real_docs: dict[str, object]) -> None:
    """Drafts for signature: number and day are blank, so type and issuer are what the letterhead gives."""
    for document in real_docs.values():
        assert document.meta.doc_type and document.meta.issuer
    assert sum(len(d.tasks) for d in real_docs.values()) >= 15  # measured 20


@pytest.fixture(scope="module")
def plan_as_word_97(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A build-split plan (.docx with a task table) saved as Word 97 by LibreOffice, beside its original."""
    original = ADMIN_DOCS / "kh-tuyen-truyen-cchc-2026-lamdong.docx"
    if not original.is_file():
        pytest.skip("thiếu ../shared/data/vn-admin-docs")
    assert original.name in SPLIT["build"]
    work = tmp_path_factory.mktemp("doc97")
    subprocess.run([soffice_path(), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(work), str(original)],
                   capture_output=True, timeout=180, check=True)
    converted = work / f"{original.stem}.doc"
    assert converted.read_bytes()[:8] == OLE2_SIGNATURE
    return original, converted


def test_a_word_97_file_reads_like_its_docx_original(plan_as_word_97: tuple[Path, Path]) -> None:
    original, converted = (read_file(p) for p in plan_as_word_97)
    assert [(len(t.rows), t.width, t.role) for t in converted.tables] == \
           [(len(t.rows), t.width, t.role) for t in original.tables]
    assert [t.header() for t in converted.tables] == [t.header() for t in original.tables]
    assert [(t.lead, t.deadline) for t in converted.tasks] == [(t.lead, t.deadline) for t in original.tasks]
    assert len(converted.tasks) >= 10
    assert converted.meta.doc_type == original.meta.doc_type and converted.meta.issuer == original.meta.issuer
    assert "Tuyên truyền" in converted.text or "tuyên truyền" in converted.text


def test_a_doc_that_is_really_a_docx_is_read_as_docx() -> None:
    path = ADMIN_DOCS / "qd-cong-bo-chi-so-cchc-2025-lamdong-phu-luc-2.doc"
    if not path.is_file():
        pytest.skip("thiếu ../shared/data/vn-admin-docs")
    document = read_file(path)
    assert document.tables and document.tables[0].header()[:2] == ["Thứ hạng", "Đơn vị"]
    assert len(document.tables[0].rows) > 100


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"Day chi la van ban thuong, khong phai Word.", "không phải tệp Word"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "không phải tệp Word"),
        (OLE2_SIGNATURE + b"\x00" * 600, "không chuyển đổi được"),  # an OLE2 header and nothing else
    ],
    ids=["text", "image", "broken-ole2"],
)
def test_a_doc_that_is_something_else_is_refused_clearly(data: bytes, words: str) -> None:
    with pytest.raises(LoadError) as caught:
        read_document("gia-mao.doc", data)
    assert caught.value.source == "gia-mao.doc" and words in caught.value.message


def test_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(LoadError) as caught:
        read_doc("cu.doc", OLE2_SIGNATURE + b"\x00" * 600)
    assert "LibreOffice" in caught.value.message and ".docx" in caught.value.message


def test_a_word_page_saved_from_a_portal_as_doc_is_read_as_a_web_page() -> None:
    page = "<html><body><p>QUYẾT ĐỊNH</p><p>Về việc giao nhiệm vụ cải cách hành chính</p></body></html>"
    layout = read_document("tai-ve.doc", page.encode("utf-8"))
    assert layout.format == "html" and "Về việc giao nhiệm vụ" in layout.text


def test_a_conversion_is_kept_so_a_reindex_starts_no_libreoffice(
        plan_as_word_97: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.readers import doc

    monkeypatch.setattr(doc, "CACHE_DIR", tmp_path / "cache")
    data = plan_as_word_97[1].read_bytes()
    first = read_document("kh.doc", data)
    assert len(list((tmp_path / "cache").glob("*.docx"))) == 1

    def no_libreoffice(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("LibreOffice started again for an unchanged file")

    monkeypatch.setattr(doc, "convert_to_docx", no_libreoffice)
    again = read_document("kh.doc", data)
    assert again.text == first.text and len(again.tables) == len(first.tables)


def test_an_rtf_file_named_doc_is_read_as_word_opens_it() -> None:
    rtf = (r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0 K\u7871? ho\u7841?ch s\u7889? 5/KH-UBND\par"
           r" Giao S\u7903? N\u7897?i v\u7909? ch\u7911? tr\u236?\par}")
    layout = read_document("rtf-cu.doc", rtf.encode("ascii"))
    assert layout.text.split("\n")[:2] == ["Kế hoạch số 5/KH-UBND", "Giao Sở Nội vụ chủ trì"]


def test_a_conversion_past_its_time_limit_is_stopped_and_reported(plan_as_word_97: tuple[Path, Path]) -> None:
    from indexer.readers.doc import convert_to_docx

    with pytest.raises(LoadError) as caught:
        convert_to_docx("cham.doc", plan_as_word_97[1].read_bytes(), timeout_s=0.05)
    assert caught.value.source == "cham.doc" and "quá" in caught.value.message
