"""OCR damage is measured on the real seeds, and it changes how a damaged scan is ranked."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents import read_file
from indexer.normalise import normalise_text
from indexer.text_quality import OCR_DAMAGE_THRESHOLD, ocr_damage, word_is_damaged
from search_api.search import Fusion, fuse_rankings

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
OCR_SEED = CORPUS / "003_a7644b8ee7468e2b.txt"
CLEAN_SEEDS = ["000_1ff3dec2e07f9725.txt", "002_6ba27df1980e2c46.txt", "004_c671c5edcbf64ed2.txt"]


@pytest.mark.parametrize("word", ["cüa", "chInh", "t6i", "1oi", "ngix?ii", "duçc", "cOng"])
def test_ocr_damage_signs(word: str) -> None:
    assert word_is_damaged(word)


@pytest.mark.parametrize("word", ["Phạm", "điều", "chỉnh", "TT&TT", "QH14", "NĐ-CP", "20%", "Điều", "SIPAS", "PAR", "a"])
def test_clean_words_are_not_damage(word: str) -> None:
    assert not word_is_damaged(word)


def test_the_ocr_seed_is_a_damaged_scan_and_the_others_are_clean() -> None:
    damaged = read_file(OCR_SEED)
    assert damaged.ocr_damage >= 2 * OCR_DAMAGE_THRESHOLD and damaged.is_damaged_scan
    assert any("OCR" in w for w in damaged.warnings)
    for name in CLEAN_SEEDS:
        assert ocr_damage(normalise_text((CORPUS / name).read_text(encoding="utf-8"))) < OCR_DAMAGE_THRESHOLD / 4


def test_a_damaged_passage_is_lifted_by_the_model_but_never_sunk() -> None:
    """Row 7 (a damaged scan) is the best lexical match but the model scores it last."""
    lexical = [(7, 12.0), (1, 9.0), (2, 4.0)]
    dense = [(1, 0.90), (2, 0.85), (7, 0.40)]
    query = "tinh giản biên chế cán bộ"
    plain = [row for row, _ in fuse_rankings(query, lexical, dense, Fusion())]
    careful = [row for row, _ in fuse_rankings(query, lexical, dense, Fusion(), damaged={7})]
    assert plain[0] == 1 and careful[0] == 7
    # where the model rates a damaged row above its lexical score, that rating stands
    lexical, dense = [(1, 9.0), (7, 8.5), (3, 1.0)], [(7, 0.9), (1, 0.5), (3, 0.4)]
    assert fuse_rankings(query, lexical, dense, Fusion(), damaged={7}) == fuse_rankings(query, lexical, dense, Fusion())
