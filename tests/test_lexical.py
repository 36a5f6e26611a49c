from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.lexical import LexicalIndex, LexicalSearcher

PASSAGES = [
    # 0
    "Quyết định số 399/QĐ-UBND ngày 26/01/2022 của Ủy ban nhân dân Thành phố "
    "về việc ban hành Kế hoạch cải cách hành chính năm 2022.",
    # 1
    "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể "
    "cải cách hành chính nhà nước giai đoạn 2021-2030.",
    # 2
    "Thực hiện cơ chế tự chủ tài chính đối với các đơn vị sự nghiệp công lập "
    "theo Nghị định 60/2021/NĐ-CP của Chính phủ.",
    # 3
    "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 86% trong năm 2023.",
    # 4
    "Sở Nội vụ chủ trì, phối hợp với các sở, ngành tổ chức kiểm tra công tác cải cách hành chính.",
    # 5
    "Đẩy mạnh chuyển đổi số, xây dựng chính quyền điện tử phục vụ người dân và doanh nghiệp.",
    # 6 and 7 differ only in one accent: "bão" (storm) / "báo" (newspaper)
    "Hỗ trợ kịp thời các hộ gia đình bị thiệt hại do bão.",
    "Hỗ trợ kịp thời các hộ gia đình bị thiệt hại do báo.",
    # 8 an OCR'd / unaccented passage
    "Bao cao ket qua thuc hien che do bao hiem xa hoi bat buoc",
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(PASSAGES, progress=False)


def top(index: LexicalIndex, query: str, k: int = 3, **kw) -> list[int]:
    return [i for i, _ in index.search(query, k, **kw)]


def test_is_a_lexical_searcher(index):
    assert isinstance(index, LexicalSearcher)
    assert len(index) == len(PASSAGES)


@pytest.mark.parametrize(
    ("query", "row"),
    [
        ("399/QĐ-UBND", 0),
        ("76/NQ-CP", 1),
        ("60/2021/NĐ-CP", 2),
        ("Nghị định 60/2021/NĐ-CP về tự chủ", 2),
        ("399/QD-UBND", 0),  # typed without accents
        ("86%", 3),
    ],
)
def test_exact_number_query_ranks_its_passage_first(index, query, row):
    assert top(index, query)[0] == row


def test_unaccented_query_finds_accented_passage(index):
    assert top(index, "tu chu tai chinh")[0] == 2
    assert top(index, "chuyen doi so")[0] == 5


def test_accented_query_prefers_exact_diacritics(index):
    # Same folded text, so the folded field ties; the accented field decides.
    hits = index.search("thiệt hại do bão", 3)
    assert [i for i, _ in hits[:2]] == [6, 7]
    assert hits[0][1] > hits[1][1]
    assert top(index, "thiệt hại do báo")[:2] == [7, 6]


def test_accented_query_still_reaches_unaccented_passage(index):
    assert top(index, "chế độ bảo hiểm xã hội bắt buộc")[0] == 8


def test_allowed_mask_filters_rows(index):
    mask = np.ones(len(PASSAGES), dtype=bool)
    mask[[0, 1, 4]] = False
    hits = top(index, "cải cách hành chính", k=10, allowed=mask)
    assert hits and not {0, 1, 4} & set(hits)
    assert all(mask[i] for i in hits)
    assert top(index, "cải cách hành chính", allowed=np.zeros(len(PASSAGES), bool)) == []
    with pytest.raises(ValueError):
        index.search("cải cách", 3, allowed=np.ones(3, bool))


def test_results_are_sorted_positive_and_limited(index):
    hits = index.search("cải cách hành chính", 2)
    assert len(hits) == 2
    assert hits[0][1] >= hits[1][1] > 0
    assert index.search("", 5) == []
    assert index.search("   ", 5) == []
    assert index.search("xyzzy plugh", 5) == []
    assert index.search("cải cách", 0) == []


def test_save_load_round_trip(index, tmp_path: Path):
    index.save(tmp_path / "lex")
    loaded = LexicalIndex.load(tmp_path / "lex")
    assert loaded.config == index.config
    mask = np.arange(len(PASSAGES)) % 2 == 0
    for q in ["399/QĐ-UBND", "tu chu tai chinh", "cải cách hành chính", "thiệt hại do bão"]:
        assert loaded.search(q, 5) == index.search(q, 5)
        assert loaded.search(q, 5, allowed=mask) == index.search(q, 5, allowed=mask)


# ---------------------------------------------------------------------------
# ALQAC: lexical-only quality floor
# ---------------------------------------------------------------------------

from indexer.alqac import DEFAULT_ROOT, evaluate_lexical, load_alqac  # noqa: E402

# Measured with the default LexicalConfig on all 2,249 articles and all 529
# questions (~3 s here, so no subset is needed): MRR@10 0.825, Recall@10 0.949.
# Floors = measured - 0.03.
ALQAC_MRR_FLOOR = 0.795
ALQAC_R10_FLOOR = 0.92


@pytest.mark.skipif(
    not (DEFAULT_ROOT / "corpus.jsonl").exists(),
    reason=f"ALQAC data not found at {DEFAULT_ROOT} (shared data, not in the repo)",
)
def test_alqac_lexical_mrr_floor():
    corpus, questions = load_alqac(DEFAULT_ROOT)
    index = LexicalIndex.build([t for _, t in corpus])
    metrics = evaluate_lexical(index, [i for i, _ in corpus], questions)
    assert metrics["n"] == len(questions) == 529
    assert metrics["mrr@10"] >= ALQAC_MRR_FLOOR, metrics
    assert metrics["recall@10"] >= ALQAC_R10_FLOOR, metrics


@pytest.mark.skipif(
    not (DEFAULT_ROOT / "corpus.jsonl").exists(),
    reason=f"ALQAC data not found at {DEFAULT_ROOT} (shared data, not in the repo)",
)
def test_alqac_lexical_beats_plain_bm25s():
    """The Vietnamese work (pyvi words + syllables, folded field) must pay for itself."""
    from indexer.alqac import bm25s_baseline, evaluate_ranking

    corpus, questions = load_alqac(DEFAULT_ROOT)
    ids, texts = [i for i, _ in corpus], [t for _, t in corpus]
    relevant = [rel for _, _, rel in questions]
    baseline = evaluate_ranking([[ids[i] for i in run] for run in bm25s_baseline(texts, [q for _, q, _ in questions])], relevant)
    ours = evaluate_lexical(LexicalIndex.build(texts), ids, questions)
    assert baseline["n"] == ours["n"] == 529
    assert 0.5 < baseline["mrr@10"] < ours["mrr@10"], (baseline, ours)
