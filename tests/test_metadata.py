"""Metadata of the real seed documents, of made-up headers in the usual layouts, of laws, and of
every document of the hand-read gold (tests/gold/metadata.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from documents import ADMIN_DOCS, read_file, read_text

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
GOLD = Path(__file__).resolve().parent / "gold" / "metadata.json"


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
    assert meta.issuer == "Sở Thông tin và Truyền thông tỉnh Nam Định"  # the superior body lends its locality
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
# Letterheads as crawled pages and Word files print them: a two-column table
# whose narrow cells wrap every name, number and date
# ---------------------------------------------------------------------------

MOTTO_WRAPPED = "CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------"


def _crawled(issuer: str, number: str, date: str, body: str = "KẾ HOẠCH\n\nTRIỂN KHAI NHIỆM VỤ NĂM 2025\n") -> str:
    """A page in the crawler's one-cell-per-line layout: cells end at a line holding only "|"."""
    return (
        f"|\n{issuer}\n-------\n|\n{MOTTO_WRAPPED}\n|\n|\n{number}\n|\n{date}\n|\n\n{body}\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\n\n"
        "Căn cứ Nghị định số 78/2025/NĐ-CP ngày 01 tháng 4 năm 2025 của Chính phủ;\n\nI. MỤC ĐÍCH\n"
    )


def _both_ways(raw: str) -> list[DocumentMeta]:
    """The metadata read through the reader's letterhead table, and from the text lines alone."""
    document = read_text(raw, "x.md")
    return [document.meta, extract_metadata("x", "x.md", document.text)]


@pytest.mark.parametrize(
    ("issuer_cell", "issuer"),
    [
        ("VĂN\nPHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ"),  # not "Phòng Chính phủ"
        ("VĂN PHÒNG\nCHÍNH PHỦ", "Văn phòng Chính phủ"),  # not "Chính phủ"
        ("THỦ TƯỚNG\nCHÍNH PHỦ", "Thủ tướng Chính phủ"),
        ("THỦ TƯỚNG CHÍNH\nPHỦ", "Thủ tướng Chính phủ"),
        ("CHÍNH PHỦ", "Chính phủ"),
        ("ỦY BAN NHÂN\nDÂN\nTHÀNH PHỐ HỒ CHÍ MINH", "UBND thành phố Hồ Chí Minh"),
        ("HỘI ĐỒNG NHÂN\nDÂN\nTHÀNH PHỐ HÀ NỘI", "HĐND thành phố Hà Nội"),
        ("ỦY BAN NHÂN DÂN\n\nTỈNH CÀ MAU", "UBND tỉnh Cà Mau"),
        ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo thành phố Hồ Chí Minh"),
        ("**BỘ KHOA HỌC VÀ **\nCÔNG NGHỆ", "Bộ Khoa học và Công nghệ"),
    ],
)
def test_wrapped_issuer_and_motto_cells(issuer_cell: str, issuer: str) -> None:
    raw = _crawled(issuer_cell, "Số: 12/KH-UBND", "Hà Nội, ngày 05 tháng 3 năm 2025")
    for meta in _both_ways(raw):
        assert meta.issuer == issuer  # the wrapped motto ("HỘI CHỦ NGHĨA VIỆT NAM") is never glued on


@pytest.mark.parametrize(
    ("date_cell", "iso", "place"),
    [
        ("Hà Nội, ngày 20\ntháng 11 năm 2025", "2025-11-20", "Hà Nội"),
        ("Thanh Hóa, ngày\n18 tháng 11 năm 2025", "2025-11-18", "Thanh Hóa"),
        ("Đồng Tháp,\nngày 19 tháng 11 năm 2025", "2025-11-19", "Đồng Tháp"),
        ("Thành phố Hồ Chí\nMinh, ngày 18 tháng 11 năm 2025", "2025-11-18", "Thành phố Hồ Chí Minh"),
        ("*Hà Nội, ngày 02\ntháng 12 năm 2025 *", "2025-12-02", "Hà Nội"),
    ],
)
def test_wrapped_date_cells(date_cell: str, iso: str, place: str) -> None:
    for meta in _both_ways(_crawled("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI", "Số: 7/KH-UBND", date_cell)):
        assert (meta.issued_date, meta.place) == (iso, place)


def test_number_wrapped_under_so_and_never_from_cited_documents() -> None:
    """A repeal decision: "Số:" and its number on two lines, its title and Căn cứ cite others."""
    title = (
        "QUYẾT ĐỊNH\nBÃI BỎ TOÀN BỘ QUYẾT ĐỊNH SỐ 22/2025/QĐ-UBND NGÀY 28 THÁNG 02 NĂM 2025\n"
        "CỦA ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI\n"
    )
    date = "Đồng Nai, ngày\n27 tháng 11 năm 2025"
    raw = _crawled("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI", "Số:\n73/2025/QĐ-UBND", date, title)
    for meta in _both_ways(raw):
        assert meta.doc_number == "73/2025/QĐ-UBND"
        assert meta.doc_type == "Quyết định"
        assert meta.issued_date == "2025-11-27"
        assert meta.title is not None and "22/2025/QĐ-UBND" in meta.title  # the cited number stays in the title

    # Without any "Số:" field the title still does not lend its cited number, nor Căn cứ theirs.
    meta = _meta(title + "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\nQUYẾT ĐỊNH:\nĐiều 1. Bãi bỏ.\n")
    assert (meta.doc_number, meta.issued_date) == (None, None)


def test_dotted_unit_in_a_number() -> None:
    number = "Số: 11554/VPCP-V.I\nV/v nâng cao hiệu quả công tác chống buôn lậu,\ngian lận thương mại và hàng giả"
    raw = _crawled("VĂN PHÒNG CHÍNH\nPHỦ", number, "Hà Nội, ngày 25\ntháng 11 năm 2025", "Kính gửi: Các bộ.\n")
    for meta in _both_ways(raw):
        assert meta.doc_number == "11554/VPCP-V.I"
        assert meta.doc_type == "Công văn"
        assert meta.title == "Nâng cao hiệu quả công tác chống buôn lậu, gian lận thương mại và hàng giả"


WORD_DRAFT = """
ỦY BAN NHÂN DÂN / TỈNH LÂM ĐỒNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc
Số: /UBND-NC | Lâm Đồng, ngày tháng 12 năm 2025
V/v tập trung cải thiện các chỉ số cải cách hành chính
Kính gửi: | - Các sở, ban, ngành; / - Ủy ban nhân dân các xã, phường.
Căn cứ Quyết định số 1187/QĐ-BNV ngày 15/10/2025 của Bộ trưởng Bộ Nội vụ;
1. Giao Sở Nội vụ chủ trì.
Phụ lục
(Kèm theo Công văn số 1234/UBND-NC ngày 05/12/2025 của Ủy ban nhân dân tỉnh)
"""


def test_word_draft_leaves_blank_number_and_day_empty() -> None:
    """A draft for signature prints "Số:      /UBND-NC" and "ngày   tháng 12": nothing fills them."""
    meta = _meta(WORD_DRAFT)  # the text alone: the Word table flattened as "cell / line | cell"
    assert meta.doc_number is None and meta.issued_date is None  # not the annex line's
    assert meta.doc_type == "Công văn"  # the code starts with the issuer; and "V/v"
    assert meta.issuer == "UBND tỉnh Lâm Đồng"
    assert meta.place == "Lâm Đồng"
    assert meta.title == "Tập trung cải thiện các chỉ số cải cách hành chính"


def test_lost_letterhead_invents_nothing() -> None:
    """A crawled page cut at "Kính gửi": recipients, Căn cứ and the signer's title are not the header."""
    meta = _meta(
        "Kính gửi:\n- Sở Tài chính;\n- Ủy ban nhân dân các xã.\n"
        "Thực hiện Kết luận số 15-KL/ĐU ngày 29 tháng 10 năm 2025 của Ban Thường vụ Đảng ủy, "
        "Ủy ban nhân dân Thành phố chỉ đạo như sau:\n1. Giao Sở Tài chính chủ trì.\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nBùi Minh Thạnh\n"
    )
    assert (meta.doc_number, meta.doc_type, meta.issued_date, meta.issuer, meta.place) == (None,) * 5
    assert meta.signer == "Bùi Minh Thạnh"


def test_lost_letterhead_with_the_portals_properties() -> None:
    """A page kept as crawled prints the portal's properties of the document above "Kính gửi"."""
    meta = _meta(
        "Đang tải văn bản...\nSố hiệu:\n|\n4001/UBND-ĐT\n|\nLoại văn bản:\n|\nCông văn\n|\n"
        "Nơi ban hành:\n|\nThành phố Hồ Chí Minh\n|\nNgày ban hành:\n|\n24/11/2025\n|\n"
        "Kính gửi:\n- Sở Tài chính.\n1. Giao Sở Tài chính chủ trì.\n"
    )
    assert meta.doc_number == "4001/UBND-ĐT"
    assert meta.doc_type == "Công văn"
    assert meta.issued_date == "2025-11-24"
    assert meta.issuer == "UBND thành phố Hồ Chí Minh"  # a locality under a UBND-coded number


def test_signature_title_wrapped_over_two_lines() -> None:
    meta = _meta(NGHI_QUYET.replace("CHỦ TỊCH\n", "TM. ỦY BAN\nNHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n"))
    assert meta.signer == "Nguyễn Văn Minh"  # not "Nhân Dân"


# ---------------------------------------------------------------------------
# The gold: every readable document of the corpus, read by hand
# ---------------------------------------------------------------------------

_GOLD = json.loads(GOLD.read_text(encoding="utf-8"))
_ROOTS = {"vn-admin-docs": ADMIN_DOCS, "corpus": CORPUS}
GOLD_FIELDS = ("doc_number", "doc_type", "issued_date", "issuer")


@pytest.mark.parametrize("entry", _GOLD["documents"], ids=[d["file"] for d in _GOLD["documents"]])
def test_metadata_of_every_document_matches_the_gold(entry: dict[str, str | None]) -> None:
    root = _ROOTS[str(entry["dataset"])]
    if not root.is_dir():
        pytest.skip(f"{root} (the {entry['dataset']} corpus) is not present on this machine")
    path = root / str(entry["file"])
    assert path.is_file(), f"{path} is named in {GOLD.name} but missing"
    meta = read_file(path).meta  # the whole per-document pipeline, .meta.toml overrides included
    got = {field: getattr(meta, field) for field in GOLD_FIELDS}
    want = {field: entry[field] for field in GOLD_FIELDS}
    assert got == want


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


def test_a_crawled_letter_without_its_letterhead_takes_its_title_from_the_portals_name_line() -> None:
    """A page that starts at "Kính gửi" has no "V/v"; the portal prints the document's name under it."""
    page = ("Số hiệu: 812/UBND-VP\nLoại văn bản: Công văn\nNgày ban hành: 02/06/2025\n\n"
            "Kính gửi: Các phòng chuyên môn.\n\nUBND quận yêu cầu rà soát thủ tục hành chính.\n\n"
            "Công văn 812/UBND-VP năm 2025 về rà soát thủ tục hành chính lĩnh vực hộ tịch\n")
    meta = read_text(page, "cv-812.md").meta
    assert meta.doc_number == "812/UBND-VP"
    assert meta.title == "Rà soát thủ tục hành chính lĩnh vực hộ tịch"
