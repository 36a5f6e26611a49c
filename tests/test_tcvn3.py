"""TCVN3 (.VnTime) text is recognised by its characters and turned into Unicode, in every format."""

from __future__ import annotations

import io

import pytest
from docx import Document as DocxDocument

from documents import read_text
from indexer.readers import read_document
from indexer.syllables import is_vietnamese_syllable, syllable_share
from indexer.tcvn3 import TCVN3_TO_UNICODE, from_tcvn3, looks_tcvn3

UNICODE_LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 15/QĐ-UBND",
    "Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp kiểm tra công vụ; hoàn thành trước ngày 30/6/2024.",
]
_UNICODE_TO_TCVN3 = {u: t for t, u in TCVN3_TO_UNICODE.items()}


def to_tcvn3(text: str, *, capitals_font: bool = False) -> str:
    """What a reader that does not know the font returns for text typed in TCVN3.

    With ``capitals_font`` (.VnTimeH) the letters are typed as small ones and drawn as capitals,
    as old letterheads were; plain ASCII letters stay capitals.
    """
    out = []
    for ch in text:
        small = ch.lower()
        if ch in _UNICODE_TO_TCVN3:
            out.append(_UNICODE_TO_TCVN3[ch])
        elif capitals_font and small in _UNICODE_TO_TCVN3:
            out.append(_UNICODE_TO_TCVN3[small])
        else:
            out.append(ch)
    return "".join(out)


def _tcvn3_text() -> str:
    return "\n".join([to_tcvn3(UNICODE_LINES[0], capitals_font=True), *map(to_tcvn3, UNICODE_LINES[1:])])


def test_the_table_maps_74_letters_one_to_one() -> None:
    assert len(TCVN3_TO_UNICODE) == 74 and len(set(TCVN3_TO_UNICODE.values())) == 74
    assert all(len(k) == 1 and ord(k) in range(0xA1, 0x100) for k in TCVN3_TO_UNICODE)


def test_tcvn3_text_is_detected_and_converted_back() -> None:
    legacy = _tcvn3_text()
    assert legacy.startswith("CéNG HßA X· HéI")  # as antiword or LibreOffice hand it on
    assert syllable_share(legacy) < 0.6
    assert from_tcvn3(legacy) == "\n".join(UNICODE_LINES)


@pytest.mark.parametrize("text", [
    "\n".join(UNICODE_LINES),
    "Giá trị © 2024; xem § 3 của Điều 5.",
    "Café au lait, São Paulo, Zürich, Ðakar.",
])
def test_unicode_and_foreign_text_is_left_alone(text: str) -> None:
    assert from_tcvn3(text) == text


def test_a_document_mixing_unicode_and_tcvn3_converts_only_the_old_lines() -> None:
    mixed = "\n".join([UNICODE_LINES[0], to_tcvn3(UNICODE_LINES[3]), "Nơi nhận: như trên."])
    assert not looks_tcvn3(UNICODE_LINES[0])
    assert from_tcvn3(mixed).split("\n") == [UNICODE_LINES[0], UNICODE_LINES[3], "Nơi nhận: như trên."]


def test_a_tcvn3_text_file_is_indexed_in_unicode() -> None:
    data = _tcvn3_text().encode("latin-1")  # the 8-bit file an old editor saved
    layout = read_document("cu.txt", data)
    assert layout.text.split("\n") == UNICODE_LINES
    assert any("TCVN3" in w for w in layout.warnings)


def test_a_word_file_typed_in_vntime_gives_unicode_text_tables_and_tasks() -> None:
    doc = DocxDocument()
    header = doc.add_table(rows=1, cols=2)
    header.cell(0, 0).text = to_tcvn3("ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM", capitals_font=True)
    header.cell(0, 1).text = to_tcvn3(UNICODE_LINES[0], capitals_font=True) + "\n" + to_tcvn3(UNICODE_LINES[1])
    for line in ["KẾ HOẠCH", "Kiểm tra công vụ năm 2024", "I. NHIỆM VỤ", UNICODE_LINES[3]]:
        doc.add_paragraph(to_tcvn3(line, capitals_font=line.isupper()))
    buffer = io.BytesIO()
    doc.save(buffer)
    layout = read_document("ke-hoach-cu.docx", buffer.getvalue())
    assert "Giao Sở Nội vụ chủ trì" in layout.text
    assert layout.tables[0].role == "letterhead"
    assert layout.tables[0].rows[0][0].text == "ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM"
    document = read_text(layout.text)
    assert any("Sở Nội vụ" in t.lead for t in document.tasks)


@pytest.mark.parametrize(("word", "valid"), [
    ("nghiệp", True), ("quốc", True), ("gì", True), ("giữa", True), ("khuyến", True), ("Quảng", True),
    ("hoà", True), ("tết", True), ("tềt", False), ("héi", False), ("hoµ", False), ("UBND", False), ("Zürich", False),
])
def test_valid_syllables(word: str, valid: bool) -> None:
    assert is_vietnamese_syllable(word) is valid


def test_real_documents_typed_in_tcvn3_come_back_whole() -> None:
    """Build-split documents of vn-admin-docs as a reader unaware of .VnTime would hand them on."""
    import json
    from pathlib import Path

    from documents import ADMIN_DOCS
    from indexer.normalise import normalise_tone_marks

    if not ADMIN_DOCS.is_dir():
        pytest.skip("thiếu ../shared/data/vn-admin-docs")
    split = json.loads((Path(__file__).parent / "gold" / "vn_admin_split.json").read_text(encoding="utf-8"))
    names = sorted(n for n in split["build"] if n.endswith(".md"))[:6]
    for name in names:
        clean = normalise_tone_marks((ADMIN_DOCS / name).read_text(encoding="utf-8"))
        # a symbol that is a TCVN3 letter ("×" is "ì") cannot be typed in a TCVN3 document
        clean = "".join("x" if ch in TCVN3_TO_UNICODE and ch not in _UNICODE_TO_TCVN3 else ch for ch in clean)
        legacy = to_tcvn3(clean, capitals_font=True)
        assert syllable_share(legacy) < 0.35 <= 0.8 < syllable_share(clean), name
        back = from_tcvn3(legacy)
        assert back.lower() == clean.lower(), name  # every letter and mark restored; case as far as it shows
        assert syllable_share(back) >= syllable_share(clean) - 0.01, name


def test_table_cells_follow_the_decision_taken_for_their_lines() -> None:
    """A cell of letters both codes share ("Bé" is "Bộ") is converted with its TCVN3 row."""
    doc = DocxDocument()
    doc.add_paragraph(to_tcvn3(UNICODE_LINES[3]))
    table = doc.add_table(rows=2, cols=2)
    for cell, text in zip([*table.rows[0].cells, *table.rows[1].cells],
                          ["Cơ quan chủ trì", "Thời gian", "Bộ", "Quý II"]):
        cell.text = to_tcvn3(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    layout = read_document("bang-cu.docx", buffer.getvalue())
    assert [[c.text for c in row] for row in layout.tables[0].rows] == [["Cơ quan chủ trì", "Thời gian"], ["Bộ", "Quý II"]]
    assert "Bộ | Quý II" in layout.text.split("\n")
