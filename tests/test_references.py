"""Cited documents and legal bases, on the real seeds and on made-up preambles."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.doc_numbers import doc_number_key
from indexer.normalise import normalise_text
from indexer.records import Reference
from indexer.references import extract_references
from indexer.relations import law_key

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
LAWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "vlc-laws"


def _text_of(name: str) -> str:
    return normalise_text((CORPUS / name).read_text(encoding="utf-8"))


def _refs(text: str) -> list[Reference]:
    return extract_references("t", normalise_text(text))


def _by_number(refs: list[Reference]) -> dict[str, Reference]:
    return {doc_number_key(r.number): r for r in refs if r.number}


def _assert_mentions_are_on_their_lines(text: str, refs: list[Reference]) -> None:
    lines = text.split("\n")
    for r in refs:
        assert r.mention and " ".join(lines[r.line - 1].split()).find(r.mention) >= 0, r


# ---------------------------------------------------------------------------
# The real seeds
# ---------------------------------------------------------------------------


def test_000_has_exactly_four_legal_bases() -> None:
    text = _text_of("000_1ff3dec2e07f9725.txt")
    refs = extract_references("000_1ff3dec2e07f9725", text)
    bases = [r for r in refs if r.is_basis]
    assert [(r.doc_type, r.number, r.name, r.issued_date, r.line) for r in bases] == [
        ("Luật", None, "Luật Tổ chức chính quyền địa phương", None, 4),
        ("Nghị quyết", "76/NQ-CP", None, "2021-07-15", 5),
        ("Chương trình", "01-CTr/TU", None, "2021-03-17", 6),
        ("Kế hoạch", "136/KH-UBND", None, "2021-06-01", 6),
    ]
    assert bases[0].mention == "Luật Tổ chức chính quyền địa phương năm 2015"


def test_000_amending_law_and_proposal_are_references_not_bases() -> None:
    refs = extract_references("000", _text_of("000_1ff3dec2e07f9725.txt"))
    amending = [r for r in refs if r.name and r.name.startswith("Luật sửa đổi, bổ sung")]
    assert len(amending) == 1 and not amending[0].is_basis and amending[0].line == 4
    proposal = _by_number(refs)["68/ttr-snv"]
    assert proposal.doc_type == "Tờ trình" and not proposal.is_basis
    assert proposal.issued_date == "2022-01-11"


def test_000_dedup_own_number_and_lines() -> None:
    text = _text_of("000_1ff3dec2e07f9725.txt")
    refs = extract_references("000", text)
    numbers = [r.number for r in refs if r.number]
    assert len(numbers) == len(set(numbers))
    assert "399/QĐ-UBND" not in numbers  # its own number (from the annex line), not a citation
    decision = _by_number(refs)["4042/qd-ubnd"]  # cited on lines 74 and in the annex table
    assert (decision.line, decision.issued_date, decision.doc_type) == (74, "2021-08-27", "Quyết định")
    decree = _by_number(refs)["107/2021/nd-cp"]
    assert decree.doc_type == "Nghị định" and decree.issued_date == "2021-12-06"
    assert {"Luật Thủ đô", "Luật Công chứng"} <= {r.name for r in refs}
    _assert_mentions_are_on_their_lines(text, refs)


def test_004_references() -> None:
    text = _text_of("004_c671c5edcbf64ed2.txt")
    refs = extract_references("004", text)
    by_number = _by_number(refs)
    cited = by_number["3668/bnv-cchc"]
    assert (cited.doc_type, cited.number, cited.issued_date, cited.line) == (
        "Công văn", "3668/BNV-CCHC", "2023-07-13", 22
    )
    assert cited.mention == "Công văn số 3668/BNV-CCHC ngày 13/7/2023"
    assert by_number["2023/ubnd-nc"].doc_type == "Công văn"  # "văn bản số 2023/UBND-NC"
    assert by_number["64/kh-ubnd"].issued_date == "2023-03-01"  # "Kế hoạch 64/KH-UBND" without "số"
    assert by_number["157/kh-ubnd"].issued_date == "2023-05-26"  # in the footnote
    assert "2458/ubnd-snv" not in by_number  # its own number
    assert not any(r.is_basis for r in refs)  # a Công văn has no Căn cứ preamble
    _assert_mentions_are_on_their_lines(text, refs)


def test_002_references() -> None:
    refs = extract_references("002", _text_of("002_6ba27df1980e2c46.txt"))
    by_number = _by_number(refs)
    assert "28/kh-ubnd" not in by_number  # the plan's own number in its "Số:" and annex lines
    assert by_number["7216/qd/ubnd"].issued_date == "2019-12-23"
    assert by_number["20/qd-bcdcchc"].issued_date == "2019-12-20"  # printed "20/12/ 2019"
    assert by_number["30c/nq-cp"].issued_date == "2011-11-08"
    assert by_number["6503/bnv-cchc"].doc_type == "Công văn"
    assert not any(r.is_basis for r in refs)  # "Thực hiện …" is not "Căn cứ …"


def test_003_ocr_references_use_the_number_when_the_type_word_is_garbled() -> None:
    refs = extract_references("003", _text_of("003_a7644b8ee7468e2b.txt"))
    by_number = _by_number(refs)
    assert by_number["6745/qd-ubnd"].doc_type == "Quyết định"
    assert by_number["6745/qd-ubnd"].issued_date == "2023-12-31"


# ---------------------------------------------------------------------------
# Made-up preambles
# ---------------------------------------------------------------------------

NGHI_QUYET = "\n".join(
    [
        "HỘI ĐỒNG NHÂN DÂN",
        "TỈNH BẮC NINH",
        "Số: 15/2023/NQ-HĐND",
        "Bắc Ninh, ngày 12 tháng 7 năm 2023",
        "",
        "NGHỊ QUYẾT",
        "Quy định mức chi hỗ trợ công tác cải cách hành chính",
        "",
        "HỘI ĐỒNG NHÂN DÂN TỈNH BẮC NINH",
        "KHÓA XIX, KỲ HỌP THỨ 12",
        "",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số"
        " điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
        "Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13;",
        "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế một"
        " cửa; Nghị định số 107/2021/NĐ-CP ngày 06 tháng 12 năm 2021 của Chính phủ sửa đổi, bổ sung một số"
        " điều của Nghị định số 61/2018/NĐ-CP;",
        "Căn cứ Thông tư số 01/2023/TT-VPCP ngày 05 tháng 4 năm 2023 của Văn phòng Chính phủ quy định một số"
        " nội dung về số hóa hồ sơ,",
        "kết quả giải quyết thủ tục hành chính;",
        "Căn cứ Quyết định số 25/2022/QĐ-UBND ngày 01/3/2022 của UBND tỉnh về thực hiện Quyết định số"
        " 468/QĐ-TTg ngày 27/3/2021 của Thủ tướng Chính phủ;",
        "Xét Tờ trình số 120/TTr-UBND ngày 20 tháng 6 năm 2023 của Ủy ban nhân dân tỉnh.",
        "",
        "QUYẾT NGHỊ:",
        "",
        "Điều 1. Căn cứ Kế hoạch số 5/KH-UBND, Ủy ban nhân dân tỉnh tổ chức thực hiện theo Bộ luật Dân sự.",
        "Luật này không áp dụng; luật sư tham gia.",
    ]
)


def test_made_up_nghi_quyet_bases() -> None:
    refs = _refs(NGHI_QUYET)
    bases = [(r.number or r.name) for r in refs if r.is_basis]
    assert bases == [
        "Luật Tổ chức chính quyền địa phương",  # as amended in 2019 (rule 3)
        "83/2015/QH13",
        "61/2018/NĐ-CP",  # as amended by 107/2021/NĐ-CP (rule 3)
        "01/2023/TT-VPCP",  # its Căn cứ wraps over two lines
        "25/2022/QĐ-UBND",  # 468/QĐ-TTg is part of its title (rule 2)
    ]
    by_number = _by_number(refs)
    assert not by_number["107/2021/nd-cp"].is_basis
    assert not by_number["468/qd-ttg"].is_basis
    assert not by_number["120/ttr-ubnd"].is_basis
    assert not by_number["5/kh-ubnd"].is_basis  # "Căn cứ" after "QUYẾT NGHỊ:" is not preamble
    assert "15/2023/nq-hdnd" not in by_number
    first = refs[0]
    assert first.issued_date == "2015-06-19" and first.line == 12
    law = by_number["83/2015/qh13"]
    assert (law.doc_type, law.name) == ("Luật", "Luật Ngân sách nhà nước")
    amending = next(r for r in refs if r.name and r.name.startswith("Luật sửa đổi"))
    assert amending.issued_date == "2019-11-22" and not amending.is_basis
    assert "Bộ luật Dân sự" in {r.name for r in refs}
    assert not any(r.name and r.name.lower().startswith(("luật này", "luật sư")) for r in refs)


def test_amending_instrument_cited_alone_is_the_basis() -> None:
    refs = _refs(
        "QUYẾT ĐỊNH\nVề việc X\n"
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức"
        " ngày 25 tháng 11 năm 2019;\n"
        "QUYẾT ĐỊNH:\nĐiều 1.\n"
    )
    # The laws its title names are cited too (tests/gold/RELATIONS.md), but the basis is the amending law.
    assert [(r.name, r.is_basis) for r in refs] == [
        ("Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức", True),
        ("Luật Cán bộ, công chức", False), ("Luật Viên chức", False),
    ]


def test_coordinated_instruments_in_one_clause_are_separate_bases() -> None:
    refs = _refs(
        "KẾ HOẠCH\nCải cách hành chính năm 2025\n"
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ, Quyết định số 1/QĐ-TTg ngày 2/1/2023 "
        "của Thủ tướng Chính phủ và Kế hoạch số 9/KH-UBND ngày 3/1/2024 của UBND tỉnh về cải cách hành chính;\n"
        "I. MỤC ĐÍCH\n"
    )
    assert [r.number for r in refs if r.is_basis] == ["76/NQ-CP", "1/QĐ-TTg", "9/KH-UBND"]


def test_laws_cited_by_name() -> None:
    refs = _refs(
        "Thực hiện Luật Phòng, chống tham nhũng năm 2018, Bộ luật Lao động và Luật Hôn nhân và gia đình; "
        "theo Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2013 và Luật Thủ đô (sửa đổi)."
    )
    assert [r.name for r in refs] == [
        "Luật Phòng, chống tham nhũng",
        "Bộ luật Lao động",
        "Luật Hôn nhân và gia đình",
        "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Luật Thủ đô",
    ]
    assert refs[0].mention == "Luật Phòng, chống tham nhũng năm 2018"
    assert all(r.number is None and r.doc_type in ("Luật", "Bộ luật", "Hiến pháp") for r in refs)


def test_law_number_and_name_are_one_reference() -> None:
    refs = _refs("Căn cứ Bộ luật Lao động số 45/2019/QH14; Nghị quyết số 115/2020/QH14 ngày 19/6/2020 của Quốc hội.")
    assert [(r.doc_type, r.number, r.name) for r in refs] == [
        ("Bộ luật", "45/2019/QH14", "Bộ luật Lao động"),
        ("Nghị quyết", "115/2020/QH14", None),  # the word says Nghị quyết, though QHxx reads as Luật
    ]


def test_unaccented_citation() -> None:
    (ref,) = _refs("Thuc hien Quyet dinh so 12/QD-UBND ngay 3/4/2024 cua UBND tinh.")
    assert (ref.doc_type, ref.number, ref.issued_date) == ("Quyết định", "12/QĐ-UBND", "2024-04-03")


@pytest.mark.skipif(not LAWS.is_dir(), reason=f"{LAWS} (the vlc-laws corpus) is not present on this machine")
def test_law_file_cites_the_constitution_as_its_basis() -> None:
    path = LAWS / "luat-bao-chi.txt"
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    refs = extract_references(path.stem, normalise_text(path.read_text(encoding="utf-8")))
    bases = [r for r in refs if r.is_basis]
    assert [r.name for r in bases] == ["Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"]
    assert "Luật Báo chí" not in {r.name for r in refs}  # "Quốc hội ban hành Luật báo chí." is itself


def test_opening_thuc_hien_marks_what_a_plan_or_letter_implements() -> None:
    plan = _refs(_text_of("002_6ba27df1980e2c46.txt"))
    assert [r.number for r in plan if r.implements] == ["20/QĐ-BCĐCCHC", "7216/QĐ/UBND"]
    assert not any(r.is_basis for r in plan)
    letter = _refs(_text_of("004_c671c5edcbf64ed2.txt"))  # its "Thực hiện" comes after "Kính gửi"
    assert [r.number for r in letter if r.implements] == ["3668/BNV-CCHC"]
    decision = _refs(_text_of("000_1ff3dec2e07f9725.txt"))  # "Căn cứ" only
    assert not any(r.implements for r in decision)
    scan = _refs(_text_of("003_a7644b8ee7468e2b.txt"))  # OCR'd: "Thirc hin Quy& djnh s 6745/QD-UBND …"
    assert [r.number for r in scan if r.implements] == ["6745/QĐ-UBND"]


def test_thuc_hien_inside_the_body_is_not_an_opening() -> None:
    text = normalise_text(
        "KẾ HOẠCH\nThực hiện Chỉ thị số 12/CT-UBND ngày 01/3/2024 của UBND Thành phố, Sở ban hành kế hoạch:\n"
        "I. NHIỆM VỤ\n1. Thực hiện Quyết định số 45/QĐ-UBND ngày 02/4/2024 về chuyển đổi số.\n"
    )
    refs = _refs(text)
    assert [r.number for r in refs if r.implements] == ["12/CT-UBND"]
    assert [r.number for r in refs if not r.implements] == ["45/QĐ-UBND"]


def test_a_number_printed_with_a_space_is_cited_as_written_normally() -> None:

    text = "Căn cứ Chương trình hành động số 10- CTr/TU ngày 13/8/2025 của Ban Thường vụ Tỉnh ủy;\nCăn cứ Kế hoạch số 28 /KH-UBND ngày 11/02/2020;"
    mentions = [r.mention for r in extract_references("t", text)]
    assert "Chương trình hành động số 10-CTr/TU ngày 13/8/2025" in mentions
    assert "Kế hoạch số 28/KH-UBND ngày 11/02/2020" in mentions


def test_a_quoted_title_ends_at_its_closing_quote() -> None:
    """"… phê duyệt Chương trình “…” và Kế hoạch …": the plan after the quote is a basis of its own."""
    text = ("Căn cứ Quyết định số 4255/QĐ-BNN-KHCN ngày 04/12/2024 của Bộ Nông nghiệp về việc phê duyệt "
            "Chương trình “Quan trắc môi trường đến năm 2040” và Kế hoạch 223/KH-UBND ngày 24/10/2025 "
            "của UBND tỉnh về quan trắc;\nCăn cứ Nghị định số 107/2021/NĐ-CP sửa đổi, bổ sung một số điều "
            "của Nghị định số 61/2018/NĐ-CP;\nQUYẾT ĐỊNH:\n")
    bases = {r.number: r.is_basis for r in extract_references("x", text)}
    assert bases == {"4255/QĐ-BNN-KHCN": True, "223/KH-UBND": True, "107/2021/NĐ-CP": True, "61/2018/NĐ-CP": False}


def test_one_document_printed_two_ways_is_one_reference() -> None:
    refs = _refs(
        "Căn cứ Nghị định số 79/2025/NĐ-CP ngày 01 tháng 4 năm 2025 của Chính phủ;\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Thực hiện theo Nghị định số 79/2025/NĐCP ngày 01 tháng 4 năm 2025 và Công văn số "
        "8935/BNV-CTTN&BĐG ngày 03/10/2025, Nghị quyết số 66.4/2025/NQ-CP.\n"
    )
    assert [(r.number, r.is_basis) for r in refs] == [
        ("79/2025/NĐ-CP", True), ("8935/BNV-CTTN&BĐG", False), ("66.4/2025/NQ-CP", False)]


def test_law_name_extent() -> None:
    refs = _refs(
        "Thực hiện Kế hoạch triển khai thi hành Luật Việc làm;\n\n"
        "I. MỤC ĐÍCH\n\n1. Tổ chức thi hành Luật Việc làm bảo đảm kịp thời, đồng bộ.\n"
        "2. Theo Luật Đầu tư và Luật Đầu tư công, Luật An ninh mạng 2025 và theo quy định của Luật ngân sách nhà nước.\n"
        "3. Luật sư của tổ chức hành nghề thực hiện theo Luật sư đoàn.\n"
    )
    assert [r.name for r in refs] == [
        "Luật Việc làm", "Luật Đầu tư", "Luật Đầu tư công", "Luật An ninh mạng", "Luật ngân sách nhà nước"]
    assert refs[3].mention == "Luật An ninh mạng 2025"  # a bare year after the name is the law's year
    assert law_key(refs[3].mention) == law_key("Luật An ninh mạng năm 2025") == "luat an ninh mang"


def test_laws_known_by_date_or_named_in_an_amending_laws_title() -> None:
    refs = _refs(
        "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 02 năm 2025 được sửa đổi, bổ sung bởi Luật "
        "ngày 25 tháng 6 năm 2025;\n\n"
        "Căn cứ Luật Sửa đổi, bổ sung một số điều của Luật Phòng, chống thiên tai và Luật Đê điều ngày 17 tháng 6 "
        "năm 2020;\n\nQUYẾT ĐỊNH:\n\nĐiều 1. Theo Luật Phòng, chống thiên tai.\n"
    )
    by_name = {r.name: r for r in refs}
    assert by_name["Luật"].issued_date == "2025-06-25" and not by_name["Luật"].is_basis
    amending = by_name["Luật Sửa đổi, bổ sung một số điều của Luật Phòng, chống thiên tai và Luật Đê điều"]
    assert amending.is_basis and amending.issued_date == "2020-06-17"
    dyke = by_name["Luật Đê điều"]  # named in the amending law's title: cited, without the amending law's date
    assert (dyke.is_basis, dyke.issued_date, dyke.relation_types) == (False, None, ["dan_chieu"])


def test_a_bare_name_joins_the_numbered_law_not_the_amending_one() -> None:
    refs = _refs(
        "Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15;\n"
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật số 87/2025/QH15;\n"
        "Căn cứ Nghị định số 78/2025/NĐ-CP hướng dẫn thi hành Luật Ban hành văn bản quy phạm pháp luật;\n"
        "QUYẾT ĐỊNH:\n"
    )
    assert sorted(r.number for r in refs if r.number) == ["64/2025/QH15", "78/2025/NĐ-CP", "87/2025/QH15"]
    assert all(r.number for r in refs)  # the bare name is 64/2025/QH15, not a reference of its own


def test_instruments_known_by_a_name_without_a_number() -> None:
    refs = _refs(
        "Triển khai Đề án 06 và theo Nghị quyết đại hội Đảng lần thứ XIII; xử lý 06 hồ sơ của đề án 06/ĐA-UBND.\n")
    assert [(r.name, r.doc_type) for r in refs if not r.number] == [
        ("Đề án 06", "Đề án"), ("Nghị quyết đại hội Đảng lần thứ XIII", "Nghị quyết")]


def test_this_document_as_an_object_is_not_the_subject_of_a_verb() -> None:
    refs = _refs(
        "Ngoài việc thực hiện nghĩa vụ quy định tại khoản 2 Điều 55 của Luật này, tổ chức còn phải thực hiện "
        "quy định của Luật năng lượng nguyên tử.\n")
    assert [(r.name, r.relation_types) for r in refs] == [("Luật năng lượng nguyên tử", ["dan_chieu"])]


def test_licences_and_laws_in_drafting_are_not_cited_documents() -> None:
    refs = _refs(
        "1. Mỏ cát theo Giấy phép thăm dò số 709/GP-TNMT-QLTN ngày 25/10/2010 của Sở; Giấy phép số 12/GP-UBND.\n"
        "2. Nghiên cứu, xây dựng Luật Chuyển đổi số; hoàn thiện dự thảo Luật Trí tuệ nhân tạo; theo Luật Dữ liệu ngày 30 tháng 11 năm 2024.\n"
    )
    assert [r.mention for r in refs] == ["Luật Dữ liệu ngày 30 tháng 11 năm 2024"]


def test_a_law_named_with_its_year_joins_the_numbered_law_of_that_year() -> None:
    refs = _refs(
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Theo Luật Tổ chức chính quyền địa phương năm 2025 và Luật Đất đai số 31/2024/QH15, "
        "khác Luật Đất đai năm 2013.\n"
    )
    assert [(r.number, r.name) for r in refs] == [
        ("72/2025/QH15", "Luật Tổ chức chính quyền địa phương"), ("31/2024/QH15", "Luật Đất đai"),
        (None, "Luật Đất đai")]


def test_names_in_capitals_and_names_pinned_by_a_year_are_kept_whole() -> None:
    refs = _refs(
        "Chương VIII\nKỶ LUẬT LAO ĐỘNG, TRÁCH NHIỆM VẬT CHẤT\n\n"
        "Điều 5. Theo Luật doanh nghiệp; Luật này thay thế Luật doanh nghiệp nhà nước năm 1995 và Luật hàng không "
        "dân dụng Việt Nam ngày 26 tháng 12 năm 1991.\n"
    )
    assert [r.name for r in refs] == [
        "Luật doanh nghiệp", "Luật doanh nghiệp nhà nước", "Luật hàng không dân dụng Việt Nam"]
