"""Diacritics restored from the corpus's own word pairs, for questions typed without them."""

from __future__ import annotations

from search_api.accents import AccentRestorer

CORPUS = [
    "Sở Tư pháp chủ trì xây dựng cơ sở dữ liệu công chứng.",
    "Cơ sở vật chất của trụ sở tiếp công dân được nâng cấp.",
    "Sở Nội vụ tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh.",
]


def test_a_question_is_restored_pair_by_pair() -> None:
    restorer = AccentRestorer(CORPUS)
    assert restorer.restore("co quan nao chu tri xay dung co so du lieu cong chung") == (
        "cơ quan nào chủ trì xây dựng cơ sở dữ liệu công chứng"
    )
    assert restorer.restore("So Noi vu tong hop ket qua") == "Sở Nội vụ tổng hợp kết quả"


def test_words_the_corpus_never_prints_stay_as_typed() -> None:
    assert AccentRestorer(CORPUS).restore("zalo cua so tu phap") == "zalo của sở tư pháp"


def test_a_question_typed_with_diacritics_is_left_alone() -> None:
    assert AccentRestorer(CORPUS).restore("Sở nào chủ trì?") == "Sở nào chủ trì?"
