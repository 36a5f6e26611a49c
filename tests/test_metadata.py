"""Metadata of the real seed documents, of made-up headers in the usual layouts, and of laws."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.metadata import (
    OverrideError,
    apply_override,
    extract_metadata,
    load_override,
    override_path,
)
from indexer.normalise import normalise_text
from indexer.records import DocumentMeta

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
LAWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "vlc-laws"


def _meta_of(name: str) -> DocumentMeta:
    path = CORPUS / name
    return extract_metadata(path.stem, path.name, normalise_text(path.read_text(encoding="utf-8")))


def _meta(text: str) -> DocumentMeta:
    return extract_metadata("t", "t.txt", normalise_text(text))


# ---------------------------------------------------------------------------
# The real seeds
# ---------------------------------------------------------------------------


def test_000_quyet_dinh_without_so_line() -> None:
    meta = _meta_of("000_1ff3dec2e07f9725.txt")
    assert meta.doc_id == "000_1ff3dec2e07f9725" and meta.source == "000_1ff3dec2e07f9725.txt"
    assert meta.doc_type == "Quyết định"
    # No "Số:" line: number and date come from the annexed plan's "kèm theo Quyết định số … ngày …"
    assert meta.doc_number == "399/QĐ-UBND"
    assert meta.issued_date == "2022-01-26"
    assert meta.issuer == "UBND thành phố Hà Nội"
    assert meta.title == (
        "Về việc ban hành kế hoạch cải cách hành chính nhà nước năm 2022 của thành phố Hà Nội"
    )
    assert meta.signer is None  # the file has no signature block


def test_002_ke_hoach() -> None:
    meta = _meta_of("002_6ba27df1980e2c46.txt")
    assert meta.doc_number == "28/KH-UBND"  # printed "Số: **28** /KH-UBND"
    assert meta.doc_type == "Kế hoạch"
    assert meta.issued_date == "2020-02-11"
    assert meta.issuer == "UBND thành phố Hà Nội"  # no body block: from "(Kèm theo … của UBND thành phố Hà Nội)"
    assert meta.place == "Hà Nội"
    assert meta.title is not None
    assert meta.title.startswith("Tổng kết Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2011")
    assert meta.title.endswith("của thành phố Hà Nội giai đoạn 2016 - 2020")


def test_004_cong_van() -> None:
    meta = _meta_of("004_c671c5edcbf64ed2.txt")
    assert meta.doc_number == "2458/UBND-SNV"
    assert meta.doc_type == "Công văn"
    assert meta.issued_date == "2023-08-08"
    assert meta.issuer == "UBND thành phố Hà Nội"
    assert meta.title == "Tập trung triển khai thực hiện một số nhiệm vụ cải cách hành chính trong thời gian tới"
    assert meta.signer == "Lê Hồng Sơn"
    assert meta.place == "Hà Nội"


def test_003_ocr_scan_gets_what_ocr_allows_then_the_override() -> None:
    meta = _meta_of("003_a7644b8ee7468e2b.txt")
    assert meta.doc_type == "Kế hoạch"  # "KE HOi%CH": within two edits of the type name
    assert meta.doc_number is None  # the digits are illegible

    override_file = override_path(CORPUS / "003_a7644b8ee7468e2b.txt")
    assert override_file.name == "003_a7644b8ee7468e2b.txt.meta.toml"
    fixed = apply_override(meta, load_override(override_file))
    assert fixed.doc_type == "Kế hoạch"
    assert fixed.issuer == "Sở Văn hóa và Thể thao Hà Nội"
    assert fixed.title == "Cải cách hành chính nhà nước năm 2024 của Sở Văn hóa và Thể thao thành phố Hà Nội"
    assert fixed.issued_date is not None and fixed.issued_date.startswith("2024-")
    assert fixed.doc_number is None
    assert fixed.doc_id == meta.doc_id and fixed.source == meta.source


# ---------------------------------------------------------------------------
# Made-up documents in the layouts of Nghị định 30/2020/NĐ-CP
# ---------------------------------------------------------------------------

CONG_VAN = """UBND TỈNH NAM ĐỊNH
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 512/STTTT-BCVT
V/v triển khai dịch vụ công trực tuyến
toàn trình năm 2024
Nam Định, ngày 15 tháng 5 năm 2024

Kính gửi: Các phòng, đơn vị thuộc Sở.

Thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2024 của UBND tỉnh, Sở đề nghị như sau:
1. Nội dung.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
(Đã ký)
Trần Thị Lan
"""


def test_made_up_cong_van_two_level_issuer() -> None:
    meta = _meta(CONG_VAN)
    assert meta.doc_type == "Công văn"  # no type line; "V/v" and a number starting with the issuer
    assert meta.doc_number == "512/STTTT-BCVT"
    assert meta.issued_date == "2024-05-15"
    assert meta.place == "Nam Định"
    assert meta.issuer == "Sở Thông tin và Truyền thông Nam Định"
    assert meta.title == "Triển khai dịch vụ công trực tuyến toàn trình năm 2024"
    assert meta.signer == "Trần Thị Lan"


NGHI_QUYET = """HỘI ĐỒNG NHÂN DÂN
TỈNH BẮC NINH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 15/2023/NQ-HĐND
Bắc Ninh, ngày 12 tháng 7 năm 2023

NGHỊ QUYẾT
Quy định mức chi hỗ trợ công tác cải cách hành chính
trên địa bàn tỉnh Bắc Ninh

HỘI ĐỒNG NHÂN DÂN TỈNH BẮC NINH
KHÓA XIX, KỲ HỌP THỨ 12

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Xét Tờ trình số 120/TTr-UBND ngày 20 tháng 6 năm 2023 của Ủy ban nhân dân tỉnh.

QUYẾT NGHỊ:

Điều 1. Phạm vi điều chỉnh

CHỦ TỊCH



Nguyễn Văn Minh
"""


def test_made_up_nghi_quyet() -> None:
    meta = _meta(NGHI_QUYET)
    assert meta.doc_type == "Nghị quyết"
    assert meta.doc_number == "15/2023/NQ-HĐND"
    assert meta.issued_date == "2023-07-12"
    assert meta.issuer == "HĐND tỉnh Bắc Ninh"
    assert meta.title == "Quy định mức chi hỗ trợ công tác cải cách hành chính trên địa bàn tỉnh Bắc Ninh"
    assert meta.signer == "Nguyễn Văn Minh"


FLATTENED_QD = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
QUẬN BA ĐÌNH Độc lập - Tự do - Hạnh phúc
Số: 77/QĐ-UBND Ba Đình, ngày 05 tháng 3 năm 2024
QUYẾT ĐỊNH
Về việc thành lập Tổ công tác cải cách hành chính
CHỦ TỊCH ỦY BAN NHÂN DÂN QUẬN BA ĐÌNH
Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;
QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ công tác.
"""


def test_two_columns_flattened_into_one_line() -> None:
    meta = _meta(FLATTENED_QD)
    assert meta.doc_number == "77/QĐ-UBND"
    assert meta.doc_type == "Quyết định"
    assert meta.issued_date == "2024-03-05"
    assert meta.place == "Ba Đình"
    assert meta.issuer == "UBND quận Ba Đình"
    assert meta.title == "Về việc thành lập Tổ công tác cải cách hành chính"


CAPITALS_QD = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 45/2024/QĐ-UBND
Nghệ An, ngày 10 tháng 9 năm 2024
QUYẾT ĐỊNH
BAN HÀNH QUY CHẾ LÀM VIỆC VỀ CCHC CỦA
ỦY BAN NHÂN DÂN TỈNH NGHỆ AN NHIỆM KỲ 2021 - 2026
ỦY BAN NHÂN DÂN TỈNH NGHỆ AN
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
QUYẾT ĐỊNH:
Điều 1. Ban hành Quy chế.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
(Đã ký)
NGUYỄN VĂN AN
"""


def test_title_in_capitals_wrapping_over_an_authority_looking_line() -> None:
    meta = _meta(CAPITALS_QD)
    assert meta.title == (
        "Ban hành quy chế làm việc về CCHC của Ủy ban nhân dân tỉnh Nghệ An nhiệm kỳ 2021 - 2026"
    )
    assert meta.issuer == "UBND tỉnh Nghệ An"
    assert meta.signer == "Nguyễn Văn An"  # printed in capitals


def test_blank_number_still_gives_the_type_code() -> None:
    text = "UBND HUYỆN GIA LÂM\n\nSố:      /TB-UBND\n\nGia Lâm, ngày 2 tháng 10 năm 2023\n\nKính gửi: Các xã."
    meta = _meta(text)
    assert meta.doc_number is None
    assert meta.doc_type == "Thông báo"
    assert meta.issuer == "UBND huyện Gia Lâm"


def test_annex_line_gives_number_only_when_its_type_is_the_documents_own() -> None:
    plan_of_decision = (
        "KẾ HOẠCH\nPhát triển chính quyền số năm 2024\n"
        "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 3/4/2024 của Ủy ban nhân dân tỉnh Hà Nam)\n"
        "I. MỤC ĐÍCH\n"
    )
    meta = _meta(plan_of_decision)
    assert meta.doc_type == "Kế hoạch"
    assert meta.doc_number is None  # 12/QĐ-UBND is the decision's number, not the plan's
    assert meta.issued_date is None

    decision = "QUYẾT ĐỊNH\nVề việc ban hành Kế hoạch\nCăn cứ Luật X;\nQUYẾT ĐỊNH:\nĐiều 1.\n" + plan_of_decision
    meta = _meta(decision)
    assert meta.doc_type == "Quyết định"
    assert meta.doc_number == "12/QĐ-UBND"
    assert meta.issued_date == "2024-04-03"
    assert meta.issuer == "UBND tỉnh Hà Nam"


def test_empty_text_gives_empty_metadata() -> None:
    meta = _meta("")
    assert (meta.doc_number, meta.doc_type, meta.issued_date, meta.issuer, meta.title) == (None,) * 5


# ---------------------------------------------------------------------------
# Laws
# ---------------------------------------------------------------------------

LAW_EXPECTED = {
    "luat-bao-chi.txt": ("103/2016/QH13", "Luật", "2016-04-05", "Luật Báo chí"),
    "bo-luat-dan-su.txt": ("91/2015/QH13", "Bộ luật", "2015-11-24", "Bộ luật Dân sự"),
    "hien-phap.txt": (None, "Hiến pháp", "2013-11-28", "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"),
    "luat-dau-khi.txt": ("18-L/CTN", "Luật", "1993-07-06", "Luật Dầu khí"),
}


@pytest.mark.skipif(not LAWS.is_dir(), reason=f"{LAWS} (the vlc-laws corpus) is not present on this machine")
@pytest.mark.parametrize("name", sorted(LAW_EXPECTED))
def test_law_heads(name: str) -> None:
    path = LAWS / name
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    meta = extract_metadata(path.stem, path.name, normalise_text(path.read_text(encoding="utf-8")))
    number, doc_type, date, title = LAW_EXPECTED[name]
    assert (meta.doc_number, meta.doc_type, meta.issued_date, meta.title) == (number, doc_type, date, title)
    assert meta.issuer == "Quốc hội"
    assert meta.place == "Hà Nội"


def test_inline_law_head() -> None:
    text = (
        "QUỐC HỘI\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\n"
        "Luật số: 52/2014/QH13\n\nHà Nội, ngày 19 tháng 06 năm 2014\n\nLUẬT\n\nHÔN NHÂN VÀ GIA ĐÌNH\n\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n\n"
        "Quốc hội ban hành Luật hôn nhân và gia đình.\n\nChương I\n\nNHỮNG QUY ĐỊNH CHUNG\n\n"
        "CHỦ TỊCH QUỐC HỘI\n\n\n\n\nNguyễn Sinh Hùng\n"
    )
    meta = _meta(text)
    assert meta.doc_number == "52/2014/QH13"
    assert meta.doc_type == "Luật"
    assert meta.issued_date == "2014-06-19"
    assert meta.issuer == "Quốc hội"
    assert meta.title == "Luật Hôn nhân và gia đình"
    assert meta.signer == "Nguyễn Sinh Hùng"


# ---------------------------------------------------------------------------
# Overrides
# ---------------------------------------------------------------------------


def test_override_path_keeps_the_full_file_name(tmp_path: Path) -> None:
    assert override_path(tmp_path / "a.txt").name == "a.txt.meta.toml"
    assert override_path(tmp_path / "a.docx") != override_path(tmp_path / "a.txt")


def test_override_values_dates_and_clearing(tmp_path: Path) -> None:
    path = tmp_path / "x.txt.meta.toml"
    path.write_text('doc_number = "12/KH-UBND"\nissued_date = 2024-01-17\nsigner = ""\n', encoding="utf-8")
    override = load_override(path)
    assert override == {"doc_number": "12/KH-UBND", "issued_date": "2024-01-17", "signer": None}
    meta = apply_override(DocumentMeta("x", "x.txt", signer="Sai Tên", doc_type="Kế hoạch"), override)
    assert (meta.doc_number, meta.issued_date, meta.signer, meta.doc_type) == (
        "12/KH-UBND", "2024-01-17", None, "Kế hoạch"
    )


def test_override_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "y.txt.meta.toml"
    path.write_text('tittle = "Sai chính tả"\n', encoding="utf-8")
    with pytest.raises(OverrideError) as excinfo:
        load_override(path)
    assert "y.txt.meta.toml" in str(excinfo.value) and "'tittle'" in str(excinfo.value)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('doc_id = "khac"\n', "'doc_id'"),
        ("doc_number = 12\n", "'doc_number'"),
        ('issued_date = "17/01/2024"\n', "issued_date"),
        ("doc_type = \n", "TOML"),
    ],
)
def test_override_bad_values(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "z.txt.meta.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OverrideError) as excinfo:
        load_override(path)
    assert "z.txt.meta.toml" in str(excinfo.value) and fragment in str(excinfo.value)
