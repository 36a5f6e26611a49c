from __future__ import annotations

import re

import pytest

from indexer.segment import (
    _doc_number_spans,
    folded_tokens,
    pyvi_words,
    query_tokens,
    segment,
    tokens_for_index,
)

TEXT = (
    "Căn cứ Quyết định số 399/QĐ-UBND ngày 31/12/2023 của UBND Thành phố, "
    "Nghị quyết số 76/NQ-CP và Nghị định 60/2021/NĐ-CP; Chương trình 01-CTr/TU. "
    "Tỷ lệ hồ sơ đúng hạn đạt 86%; thực hiện tự chủ tài chính."
)


def test_document_numbers_dates_and_percentages_stay_whole():
    tokens = tokens_for_index(TEXT)
    for whole in ["399/qđ-ubnd", "76/nq-cp", "60/2021/nđ-cp", "01-ctr/tu", "31/12/2023", "86%"]:
        assert whole in tokens, whole
    # and their parts still match on their own
    assert {"399", "2023", "86"} <= set(tokens)


def test_query_tokens_match_index_tokens_for_numbers():
    assert "399/qđ-ubnd" in query_tokens("399/QĐ-UBND")
    assert "60/2021/nđ-cp" in query_tokens("nghị định 60/2021/NĐ-CP")
    assert "01-ctr/tu" in query_tokens("Chương trình 01-CTr/TU")


def test_doc_number_finder_ignores_dates_fractions_and_plain_numbers():
    text = "ngày 31/12/2023, tỷ lệ 1/3, phục vụ 24/7, năm 2023, khoản 2 Điều 5"
    assert _doc_number_spans(text) == []
    spans = _doc_number_spans("Công văn số 2458/UBND-SNV và 25/2018/QH14.")
    found = ["Công văn số 2458/UBND-SNV và 25/2018/QH14."[s:e] for s, e in spans]
    assert found == ["2458/UBND-SNV", "25/2018/QH14"]


def test_words_and_syllables_lower_cased_punctuation_dropped():
    tokens = tokens_for_index("Thực hiện TỰ CHỦ tài chính, (đúng hạn).")
    assert {"tài_chính", "tài", "chính"} <= set(tokens)
    assert all(t == t.lower() for t in tokens)
    assert all(re.search(r"[^\W_]", t) for t in tokens)


def test_syllables_only_mode_skips_pyvi():
    assert segment("tự chủ tài chính", words=False) == ["tự", "chủ", "tài", "chính"]


def test_tone_mark_placement_is_normalised():
    assert tokens_for_index("hoà nhập") == tokens_for_index("hòa nhập")


def test_folded_tokens_fold_the_same_tokens():
    tokens = query_tokens("Tự chủ tài chính của Đảng")
    folded = folded_tokens(tokens)
    assert len(folded) == len(tokens)
    assert "tai_chinh" in folded and "dang" in folded
    assert folded_tokens(["399/qđ-ubnd"]) == ["399/qd-ubnd"]


def test_unaccented_lines_get_dictionary_words():
    tokens = tokens_for_index("Thuc hien tu chu tai chinh cua don vi su nghiep cong lap")
    assert {"tai_chinh", "tai", "chinh", "don_vi"} <= set(tokens)


@pytest.mark.parametrize(
    "text",
    [
        "Ủy ban nhân dân Thành phố Hà Nội ban hành Kế hoạch cải cách hành chính năm 2022.",
        "Sở Nội vụ chủ trì, phối hợp với các sở, ngành\ntổ chức kiểm tra; báo cáo UBND Thành phố.",
        "NGƯỜI LAO ĐỘNG có quyền đơn phương chấm dứt hợp đồng lao động 1.000.000 đồng...",
    ],
)
def test_fast_pyvi_features_give_pyvi_output(text):
    from pyvi import ViTokenizer

    assert [w for w in pyvi_words(text) if w.strip()] == ViTokenizer.tokenize(text).split()


def test_sentences_under_a_long_heading_sentence_are_read_with_all_of_it() -> None:
    """"II. Hỗ trợ 100% chi phí … chứng thư chữ ký số đối với cá nhân …" is shortened in the section path;
    the sentence under it ("Chi phí hỗ trợ … không vượt quá 100.000 đồng/năm") is about all of it."""
    from documents import read_text
    from indexer.units import document_units

    doc = read_text("NGHỊ QUYẾT\nVề hỗ trợ dịch vụ công trực tuyến\n\nQUYẾT NGHỊ:\n\nĐiều 1. Mức hỗ trợ\n\n"
                    "I. Hỗ trợ 100% chi phí chuyển trả kết quả thủ tục hành chính qua bưu chính công ích.\n\n"
                    "II. Hỗ trợ 100% chi phí cấp mới và gia hạn chứng thư chữ ký số đối với cá nhân thực hiện "
                    "giao dịch điện tử trên Cổng Dịch vụ công quốc gia.\n\n"
                    "Chi phí hỗ trợ cho mỗi cá nhân không vượt quá 100.000 đồng/năm.\n", "nq.txt")
    unit = next(u for u in document_units(doc) if "100.000" in (u.quote or ""))
    assert "chứng thư chữ ký số đối với cá nhân" in unit.text
