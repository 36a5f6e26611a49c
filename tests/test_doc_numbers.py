"""Document numbers: finding, canonical form, lookup key, type — one shared definition."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.doc_numbers import (
    DOC_NUMBER_RE,
    canonical_doc_number,
    doc_number_key,
    doc_type_from_number,
    doc_type_from_word,
    find_doc_numbers,
    is_doc_number,
    issuer_code,
)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("399/QĐ-UBND", "399/QĐ-UBND"),
        ("76/NQ-CP", "76/NQ-CP"),
        ("60/2021/NĐ-CP", "60/2021/NĐ-CP"),
        ("01-CTr/TU", "01-CTr/TU"),
        ("3668/BNV-CCHC", "3668/BNV-CCHC"),
        ("2458/UBND-SNV", "2458/UBND-SNV"),
        ("52/2014/QH13", "52/2014/QH13"),
        ("28 /KH-UBND", "28/KH-UBND"),  # space before the slash, as printed
        ("399/qd-ubnd", "399/QĐ-UBND"),  # typed without accents, lower case
        ("6745/QD-UBND", "6745/QĐ-UBND"),  # OCR lost the Đ
        ("45/2020/ND-CP", "45/2020/NĐ-CP"),
        ("399/QÐ-UBND", "399/QĐ-UBND"),  # Ð (U+00D0), the look-alike Word fonts use
        ("30c/NQ-CP", "30c/NQ-CP"),
        ("7216/QĐ/UBND", "7216/QĐ/UBND"),
        ("115/2020/QH 14", "115/2020/QH14"),
        ("68/TTr-SNV", "68/TTr-SNV"),
        ("06/2022/QĐ-TTg", "06/2022/QĐ-TTg"),
        ("18-L/CTN", "18-L/CTN"),
        ("10/2017/TTLT–BTC–BNV", "10/2017/TTLT-BTC-BNV"),  # en dashes from Word
        ("20/NQ-HDND", "20/NQ-HĐND"),
        ("79/2025/NĐCP", "79/2025/NĐ-CP"),  # the hyphen dropped between type and issuer
        ("8935/BNV-CTTN&BĐG", "8935/BNV-CTTN&BĐG"),  # a unit code joining two units with "&"
        ("66.4/2025/NQ-CP", "66.4/2025/NQ-CP"),  # a dotted number
        ("769/TTg", "769/TTg"),  # before 2000: the Prime Minister's number with the issuer alone
    ],
)
def test_found_in_running_text_and_canonical(written: str, canonical: str) -> None:
    found = find_doc_numbers(f"theo văn bản {written} ngày 01/01/2024.")
    assert [m.number for m in found] == [canonical]
    assert found[0].text == written


@pytest.mark.parametrize(
    "text",
    [
        "Quý I/2022", "T10/2022", "ngày 20/12/ 2019", "6 tháng/ lần", "24h/ngày", "2021-2025",
        "KT&ĐT", "tỷ lệ 1/2024", "ISO 9001:2015", "Covid-19", "KT-XH", "đạt 86%",
    ],
)
def test_no_false_positives(text: str) -> None:
    assert find_doc_numbers(text) == []


def test_match_positions_cover_the_written_number() -> None:
    text = "Căn cứ Kế hoạch số 28 /KH-UBND ngày 11/02/2020"
    (m,) = find_doc_numbers(text)
    assert text[m.start : m.end] == "28 /KH-UBND"
    assert m.shape == "admin" and m.key == "28/kh-ubnd"


def test_key_is_the_same_for_every_spelling() -> None:
    spellings = ["399/QĐ-UBND", "399/qd-ubnd", "399 /QĐ-UBND", "399/QD-UBND", "399/QÐ-UBND", " 399 / qđ-ubnd "]
    assert {doc_number_key(s) for s in spellings} == {"399/qd-ubnd"}


@pytest.mark.parametrize(
    "number", ["399/QĐ-UBND", "01-CTr/TU", "52/2014/QH13", "6745/qd-ubnd", "28 /KH-UBND", "68/ttr-snv"]
)
def test_canonical_and_key_round_trip(number: str) -> None:
    canonical = canonical_doc_number(number)
    assert canonical_doc_number(canonical) == canonical
    assert doc_number_key(canonical) == doc_number_key(number)
    assert is_doc_number(canonical)
    assert find_doc_numbers(canonical)[0].number == canonical


_CODES = st.sampled_from(["QĐ", "KH", "NQ", "NĐ", "TT", "CT", "CTr", "TTr", "BC", "TB", "HD", "UBND", "BNV"])
_ISSUERS = st.sampled_from(["UBND", "CP", "TTg", "SNV", "CCHC", "HĐND", "BTC", "VPCP"])


@settings(max_examples=200, deadline=None)
@given(
    number=st.integers(1, 99999),
    year=st.none() | st.integers(1990, 2030),
    code=_CODES,
    issuer=_ISSUERS,
    lower=st.booleans(),
    space=st.booleans(),
)
def test_property_round_trip(number: int, year: int | None, code: str, issuer: str, lower: bool, space: bool) -> None:
    printed = f"{number}{' ' if space else ''}/" + (f"{year}/" if year else "") + f"{code}-{issuer}"
    written = printed.lower() if lower else printed
    (m,) = find_doc_numbers(f"Căn cứ {written};")
    assert m.key == doc_number_key(printed)
    assert canonical_doc_number(m.number) == m.number
    assert m.key == m.key.lower() and " " not in m.key


@pytest.mark.parametrize(
    ("number", "doc_type"),
    [
        ("399/QĐ-UBND", "Quyết định"),
        ("28/KH-UBND", "Kế hoạch"),
        ("76/NQ-CP", "Nghị quyết"),
        ("60/2021/NĐ-CP", "Nghị định"),
        ("01/2023/TT-VPCP", "Thông tư"),
        ("13/CT-TTg", "Chỉ thị"),
        ("01-CTr/TU", "Chương trình"),
        ("68/TTr-SNV", "Tờ trình"),
        ("52/2014/QH13", "Luật"),
        ("2458/UBND-SNV", "Công văn"),
        ("6503/BNV-CCHC", "Công văn"),
        ("18-NQ/TW", "Nghị quyết"),
        ("18-L/CTN", "Luật"),
        ("10/2017/TTLT-BTC-BNV", "Thông tư liên tịch"),
        ("12/TB-UBND", "Thông báo"),
        ("5/BC-UBND", "Báo cáo"),
        ("02/2011/UBTVQH12", "Pháp lệnh"),
        ("6745/qd-ubnd", "Quyết định"),
    ],
)
def test_doc_type_from_number(number: str, doc_type: str) -> None:
    assert doc_type_from_number(number) == doc_type


def test_doc_type_from_number_unknown() -> None:
    assert doc_type_from_number("không phải số") is None


def test_doc_type_from_word_any_case_or_accent() -> None:
    assert doc_type_from_word("QUYẾT ĐỊNH") == "Quyết định"
    assert doc_type_from_word("quyet dinh") == "Quyết định"
    assert doc_type_from_word("Bộ luật") == "Bộ luật"
    assert doc_type_from_word("Luật") == "Luật"
    assert doc_type_from_word("Sở") is None


def test_issuer_code() -> None:
    assert issuer_code("28/KH-UBND") == "UBND"
    assert issuer_code("2458/UBND-SNV") == "UBND"
    assert issuer_code("60/2021/NĐ-CP") == "CP"
    assert issuer_code("01-CTr/TU") == "TU"
    assert issuer_code("52/2014/QH13") == "QH"


def test_regex_is_exported_for_tokenisers() -> None:
    assert DOC_NUMBER_RE.search("số 399/QĐ-UBND,").group(0) == "399/QĐ-UBND"


def test_one_document_printed_two_ways_has_one_key() -> None:
    assert doc_number_key("07/2022/QĐ-UBND") == doc_number_key("7/2022/QĐ-UBND")  # a leading zero
    assert doc_number_key("57/NQ-TW") == doc_number_key("57-NQ/TW")  # the Party's number in the other shape
    assert doc_number_key("05/2023/TT-BKHĐТ") == doc_number_key("05/2023/TT-BKHĐT")  # a Cyrillic Т
    (cyrillic,) = find_doc_numbers("Thông tư số 05/2023/TT-BKHĐТ ngày 01/01/2023")
    assert cyrillic.number == "05/2023/TT-BKHĐT"
    assert doc_number_key("12/2022/QĐ-UBND") != doc_number_key("120/2022/QĐ-UBND")
