"""Acceptance floors on the development corpus (``../shared/data/vn-admin-docs``), real model.

Documents from many issuers and formats, split before any rule was written
(``tests/gold/vn_admin_split.json``): rules were built looking at the build split;
the held-out split stayed unopened until they were done, then its questions and
its hand-counted table rows were written by someone who had not seen the rules.
``tracuu eval`` prints the same numbers. Vectors come from the content cache
outside the checkout, so only a cold machine pays for encoding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.settings import Settings, default_shared_data
from search_api.evaluate import BUILD_GOLD, HELDOUT_GOLD, admin_docs, admin_index, answer_metrics, gold_set
from search_api.evaluate_tasks import task_scores, totals
from search_api.state import IndexState

SHARED = default_shared_data()
SEEDS = Path(__file__).resolve().parents[1] / "corpus"

pytestmark = pytest.mark.skipif(
    not admin_docs(SHARED).is_dir(), reason=f"{admin_docs(SHARED)} (the development corpus) is not present"
)


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> IndexState:
    """The development corpus and the seeds in one hybrid index, as `make run` would build it."""
    settings = Settings(corpus_dir=SEEDS, index_dir=tmp_path_factory.mktemp("admin") / "seed-index")
    embedder = IndexState(settings).embedder()
    return admin_index(settings, SHARED, tmp_path_factory.mktemp("admin-index") / "index", embedder)


def test_task_rows_counted_by_hand_are_extracted() -> None:
    scores = task_scores(SHARED, SEEDS)
    assert len(scores) >= 10, [s.source for s in scores]
    total = totals(scores)
    assert total.recall >= 0.95 and total.lead_accuracy >= 0.95, (total.recall, total.lead_accuracy)
    for score in (s for s in scores if s.split != "heldout"):  # no document carried by the others
        assert score.recall >= 0.95 and score.lead_accuracy >= 0.95, (score.source, score.recall, score.lead_accuracy)
    # Held-out tables, labelled by someone who had not seen the rules: as first measured (README).
    heldout = totals([s for s in scores if s.split == "heldout"])
    assert heldout.rows >= 40 and heldout.recall >= 0.4 and heldout.lead_accuracy >= 0.95, heldout


def test_build_split_questions(state: IndexState) -> None:
    gold = gold_set(BUILD_GOLD)
    dev = answer_metrics(state, [g for g in gold if g.get("use", "dev") == "dev"])
    calibration = answer_metrics(state, [g for g in gold if g.get("use") == "calibration"])
    assert dev["questions"] >= 130 and calibration["questions"] >= 40
    assert dev["answer_accuracy"] >= 0.88 and dev["citation_accuracy"] >= 0.92, dev
    assert dev["refused"] >= dev["unanswerable"] - 2, dev
    # Questions no rule was written from: the threshold was chosen on them, nothing else.
    assert calibration["answer_accuracy"] >= 0.85, calibration
    assert calibration["refused"] >= calibration["unanswerable"] - 2, calibration
    # written blind on the build split (documents only, no code), then used to find general faults:
    # 0.783 answer / 7 of 10 refused when first measured
    dev3 = answer_metrics(state, [g for g in gold if g.get("use") == "dev3"])
    assert dev3["questions"] == 70 and dev3["answer_accuracy"] >= 0.85 and dev3["refused"] >= 7, dev3
    # a second blind set by another writer: 0.680 answer / 8 of 10 refused when first measured
    dev4 = answer_metrics(state, [g for g in gold if g.get("use") == "dev4"])
    assert dev4["questions"] == 60 and dev4["answer_accuracy"] >= 0.8 and dev4["refused"] >= 7, dev4
    # a third blind set, measured once when the session's rules were done and never used to write one:
    # 0.786 answer, 0.833 citation, 8 of 8 refused
    dev5 = answer_metrics(state, [g for g in gold if g.get("use") == "dev5"])
    assert dev5["questions"] == 50 and dev5["answer_accuracy"] >= 0.75 and dev5["refused"] >= 7, dev5


def test_heldout_split_questions(state: IndexState) -> None:
    gold = gold_set(HELDOUT_GOLD)
    assert len(gold) >= 60 and sum(not g["found"] for g in gold) >= 6
    assert len({g["cite"]["source"] for g in gold if g["found"]}) >= 12
    metrics = answer_metrics(state, gold)
    assert metrics["answer_accuracy"] >= HELDOUT_FLOOR["answer"], metrics
    assert metrics["citation_accuracy"] >= HELDOUT_FLOOR["citation"], metrics
    assert metrics["refused"] >= HELDOUT_FLOOR["refused"], metrics


# Floors on the held-out split: a regression guard just under the last measurement (answer 0.573,
# citation 0.793, 6 of 9 unanswerable refused; first measured 0.524, 0.744, 5 of 9; README), below the
# issue's targets (0.85, 0.9, all but one refused), which are not met. Never raised by tuning on its questions.
HELDOUT_FLOOR = {"answer": 0.55, "citation": 0.75, "refused": 5}
