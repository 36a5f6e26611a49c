"""Relations between documents, effect clauses, the corpus graph, statuses and the relations evaluator."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from indexer.effect import document_effect, plan_period
from indexer.load import load_file
from indexer.metadata import OverrideError, load_override
from indexer.normalise import normalise_text
from indexer.pipeline import parse_document
from indexer.records import Document, DocumentMeta, Reference
from indexer.references import extract_references
from indexer.relations import Edge, Resolver, build_graph, law_key
from search_api.evaluate_relations import score_gold, target_keys

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ADMIN = SHARED / "vn-admin-docs" / "docs"
LAWS = SHARED / "vlc-laws"


def _relations(text: str) -> dict[str, list[str]]:
    """Mention → relation types, for the references that carry more than a basis or a mention."""
    return {r.mention: r.relation_types for r in extract_references("t", normalise_text(text))}


# ---------------------------------------------------------------------------
# Extraction on made-up texts, one convention each
# ---------------------------------------------------------------------------


def test_replacement_in_the_effect_article() -> None:
    found = _relations(
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 942/QĐ-TTg ngày 15 tháng 6 năm\n"
        "2021 của Thủ tướng Chính phủ phê duyệt Chiến lược.\n"
    )
    assert found["Quyết định số 942/QĐ-TTg"] == ["thay_the"]  # the date wraps to the next line


def test_repeal_list_under_an_article_heading() -> None:
    found = _relations(
        "Điều 1. Bãi bỏ toàn bộ một số văn bản sau\n\n"
        "1. Quyết định số 104/2000/QĐ-TTg ngày 25 tháng 8 năm 2000 của Thủ tướng Chính phủ về việc phê duyệt Chiến lược.\n\n"
        "2. Chỉ thị số 07/2000/CT-TTg ngày 30 tháng 3 năm 2000 của Thủ tướng Chính phủ.\n\n"
        "Điều 2. Các Bộ trưởng thực hiện theo Quyết định số 05/2024/QĐ-TTg.\n"
    )
    assert found["Quyết định số 104/2000/QĐ-TTg ngày 25 tháng 8 năm 2000"] == ["bai_bo"]
    assert found["Chỉ thị số 07/2000/CT-TTg ngày 30 tháng 3 năm 2000"] == ["bai_bo"]
    assert found["Quyết định số 05/2024/QĐ-TTg"] == ["dan_chieu"]  # a new article ends the list


def test_amendment_names_its_articles() -> None:
    refs = extract_references("t", normalise_text(
        "Điều 1. Sửa đổi, bổ sung khoản 2 Điều 3 của Quyết định số 12/2024/QĐ-UBND ngày 01/3/2024 như sau:\n"))
    assert refs[0].relation_types == ["sua_doi"] and refs[0].articles == "khoản 2 Điều 3"


def test_amendment_of_a_regulation_issued_with_a_decision() -> None:
    found = _relations(
        "QUYẾT ĐỊNH\nSửa đổi, bổ sung một số điều của Quy chế làm việc ban hành kèm theo Quyết định số "
        "12/2020/QĐ-UBND ngày 01/3/2020 của UBND tỉnh\n\nCăn cứ Luật Tổ chức chính quyền địa phương năm 2015;\n"
    )
    assert found["Quyết định số 12/2020/QĐ-UBND ngày 01/3/2020"] == ["sua_doi"]


def test_items_under_an_amending_heading_act_on_its_instrument() -> None:
    found = _relations(
        "Điều 75. Sửa đổi, bổ sung một số điều của các luật có liên quan\n\n"
        "1. Sửa đổi, bổ sung một số điều của Luật Nhà ở số 65/2014/QH13 như sau:\n\n"
        "a) Sửa đổi, bổ sung Điều 32 như sau:\n\n"
        "“Điều 32. Điều kiện\n\n1. Có vốn ký quỹ.\n\na) Bãi bỏ giấy tờ.”;\n\n"
        "b) Bãi bỏ khoản 3 Điều 22 và Điều 171.\n\n"
        "2. Sửa đổi, bổ sung khoản 1 Điều 10 của Luật Kinh doanh bất động sản số 66/2014/QH13.\n\n"
        "3. Bỏ cụm từ “hộ gia đình” tại Điều 5.\n\n"
        "Điều 101. Sửa đổi, bổ sung một số điều của Luật quản lý thuế số 78/2006/QH11 đã được sửa đổi, bổ sung "
        "một số điều theo Luật số 21/2012/QH13\n\n"
        "1. Sửa đổi khoản 5 Điều 4 như sau:\n\n“5. Áp dụng chế độ ưu tiên.”\n\n"
        "2. Bãi bỏ điểm d khoản 3 Điều 77; bỏ cụm từ “và điểm d” tại điểm a khoản 1 Điều 78.\n\n"
        "Điều 102. Hiệu lực thi hành\n\n1. Bãi bỏ các quy định trái với Luật này.\n"
    )
    # The quoted new wording ("a) Bãi bỏ giấy tờ") is Luật Nhà ở's text, not an act: the repeal is item b)'s.
    assert found["Luật Nhà ở số 65/2014/QH13"] == ["sua_doi", "bai_bo"]
    assert found["Luật Kinh doanh bất động sản số 66/2014/QH13"] == ["sua_doi"]  # an item that ends in "."
    assert found["Luật quản lý thuế số 78/2006/QH11"] == ["sua_doi", "bai_bo"]  # the article heading's scope
    assert found["Luật số 21/2012/QH13"] == ["dan_chieu"]


def test_chained_verbs_and_long_runs_of_parts() -> None:
    found = _relations(
        "1. Bãi bỏ, sửa đổi, bổ sung một số điều của Luật Tài nguyên nước số 17/2012/QH13 như sau:\n\n"
        "2. Bãi bỏ điểm 4.1 tiểu mục 04, mục II, Phần A thuộc Phụ lục số 01 ban hành kèm theo Luật Phí và lệ phí "
        "số 97/2015/QH13.\n\n"
        "3. Thay thế cụm từ “doanh nghiệp nhà nước” bằng cụm từ “doanh nghiệp” quy định tại Điều 35 của Luật Ngân "
        "sách nhà nước số 83/2015/QH13; điểm a khoản 2 Điều 43 của Luật Quản lý, sử dụng vũ khí, vật liệu nổ và "
        "công cụ hỗ trợ số 14/2017/QH14; các điều 3, 20, 30 và 61 của Luật Phòng, chống tham nhũng số 36/2018/QH14.\n\n"
        "4. Bãi bỏ Điều 57 của Luật Hàng không số 66/2006/QH11; các quy định về trưng dụng đất trong Luật trưng mua, "
        "trưng dụng tài sản số 15/2008/QH12.\n\n"
        "5. Sửa đổi Điều 3 của Quyết định số 10/2020/QĐ-UBND theo quy định tại Nghị định số 20/2021/NĐ-CP.\n\n"
        "6. Thay thế Phụ lục II ban hành kèm theo Quyết định số 11/2020/QĐ-UBND.\n"
    )
    assert found["Quyết định số 11/2020/QĐ-UBND"] == ["sua_doi"]  # parts replaced: an amendment, not thay_the
    assert found["Luật Tài nguyên nước số 17/2012/QH13"] == ["sua_doi", "bai_bo"]
    assert found["Luật Phí và lệ phí số 97/2015/QH13"] == ["bai_bo"]
    assert found["Luật Ngân sách nhà nước số 83/2015/QH13"] == ["sua_doi"]
    assert found["Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ số 14/2017/QH14"] == ["sua_doi"]
    assert found["Luật Phòng, chống tham nhũng số 36/2018/QH14"] == ["sua_doi"]
    assert found["Luật trưng mua, trưng dụng tài sản số 15/2008/QH12"] == ["bai_bo"]
    assert found["Quyết định số 10/2020/QĐ-UBND"] == ["sua_doi"]
    assert found["Nghị định số 20/2021/NĐ-CP"] == ["dan_chieu"]  # a wide run of parts never spans an instrument


def test_expiry_takes_the_law_not_its_amenders() -> None:
    found = _relations(
        "2. Luật Giáo dục số 38/2005/QH11 đã được sửa đổi, bổ sung một số điều theo Luật số 44/2009/QH12 và "
        "Luật số 97/2015/QH13 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành.\n"
        "3. Luật Chứng khoán số 70/2006/QH11 và Luật số 62/2010/QH12 hết hiệu lực kể từ ngày Luật này có hiệu lực.\n"
    )
    assert found["Luật Giáo dục số 38/2005/QH11"] == ["het_hieu_luc"]
    assert found["Luật số 44/2009/QH12"] == ["dan_chieu"] and found["Luật số 97/2015/QH13"] == ["dan_chieu"]
    assert found["Luật Chứng khoán số 70/2006/QH11"] == ["het_hieu_luc"]
    assert found["Luật số 62/2010/QH12"] == ["het_hieu_luc"]


def test_lower_case_old_law_named_with_its_date() -> None:
    found = _relations("2. Luật báo chí ngày 28 tháng 12 năm 1989 hết hiệu lực kể từ ngày Luật này có hiệu lực.\n")
    assert found == {"Luật báo chí ngày 28 tháng 12 năm 1989": ["het_hieu_luc"]}
    assert _relations("Luật về báo chí được nhắc lại.\n") == {}


def test_verbs_said_of_another_document_are_not_this_ones() -> None:
    found = _relations(
        "Các cơ quan thực hiện Quyết định số 1/QĐ-UBND ngày 02/01/2024 về việc bãi bỏ Quyết định số 9/QĐ-UBND.\n"
        "Kiến nghị Bộ Tài chính bãi bỏ Thông tư số 15/2020/TT-BTC.\n"
        "Quyết định số 8/2019/QĐ-UBND đã bị bãi bỏ.\n"
    )
    assert found["Quyết định số 9/QĐ-UBND"] == ["dan_chieu"]
    assert found["Thông tư số 15/2020/TT-BTC"] == ["dan_chieu"]
    assert found["Quyết định số 1/QĐ-UBND ngày 02/01/2024"] == ["dan_chieu"]


def test_guidance_correction_and_implementation_with_the_document_as_subject() -> None:
    found = _relations(
        "Thông tư này hướng dẫn thi hành Nghị định số 30/2020/NĐ-CP ngày 05/3/2020.\n"
        "Quyết định này đính chính Quyết định số 55/QĐ-BNV ngày 01/02/2024.\n"
        "Kế hoạch này triển khai thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021.\n"
    )
    assert found["Nghị định số 30/2020/NĐ-CP ngày 05/3/2020"] == ["huong_dan"]
    assert found["Quyết định số 55/QĐ-BNV ngày 01/02/2024"] == ["dinh_chinh"]
    assert found["Nghị quyết số 76/NQ-CP ngày 15/7/2021"] == ["thuc_hien"]


def test_basis_verbs_describe_the_basis() -> None:
    refs = extract_references("t", normalise_text(
        "Căn cứ Nghị định số 107/2021/NĐ-CP sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP;\n"
        "QUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế.\n"))
    assert all("sua_doi" not in r.relation_types for r in refs)


def test_effect_clause_kinds_and_plan_period() -> None:
    on_date = document_effect("Điều 3. Quyết định này có\nhiệu lực kể từ ngày 07 tháng 12 năm 2025.\n", "2025-11-27")
    assert on_date is not None and (on_date.kind, on_date.date, on_date.line) == ("date", "2025-12-07", 1)
    signing = document_effect("Nghị quyết có hiệu lực thi hành kể từ ngày ký ban hành.\n", "2025-11-27")
    assert signing is not None and (signing.kind, signing.date) == ("signing", "2025-11-27")
    other = document_effect("Quyết định này có hiệu lực thi hành kể từ ngày Thông tư số 36/2025/TT-BKHCN có hiệu lực.", None)
    assert other is not None and other.kind == "other"
    assert document_effect("Luật Đất đai có hiệu lực từ ngày 01/8/2024.\n", None) is None  # not its own
    assert plan_period("Cải cách hành chính giai đoạn 2026 - 2030", "Kế hoạch") == "2026–2030"
    assert plan_period("Cải cách hành chính năm 2024", "Kế hoạch") == "2024"
    assert plan_period("Bãi bỏ Quyết định số 42/2018 năm 2018", "Quyết định") is None


# ---------------------------------------------------------------------------
# Real documents (build split and laws)
# ---------------------------------------------------------------------------


def _parsed(path: Path) -> Document:
    return parse_document(path, load_file(path, max_bytes=64 << 20))


@pytest.mark.skipif(not ADMIN.is_dir(), reason="../shared/data/vn-admin-docs is absent")
def test_real_repeal_and_replacement() -> None:
    repeal = _parsed(ADMIN / "qd-44-2025-ttg-bai-bo-vbqppl.md")
    repealed = [r for r in repeal.references if "bai_bo" in r.relation_types]
    assert len(repealed) >= 30 and all(r.number for r in repealed)
    assert repeal.effect is not None and repeal.effect.date == "2026-01-20"
    replacing = _parsed(ADMIN / "qd-2629-2025-ttg-chinh-phu-so.md")
    assert [r.number for r in replacing.references if "thay_the" in r.relation_types] == ["942/QĐ-TTg"]


@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/data/vlc-laws is absent")
def test_real_law_closing_articles() -> None:
    law = _parsed(LAWS / "luat-cu-tru.txt")
    by_type = {(r.number, t) for r in law.references for t in r.relation_types}
    assert {("59/2014/QH13", "sua_doi"), ("25/2012/QH13", "bai_bo"), ("81/2006/QH11", "het_hieu_luc")} <= by_type
    assert law.effect is not None and law.effect.kind == "date"
    press = _parsed(LAWS / "luat-bao-chi.txt")  # the 1989 law of the same name, as amended in 1999, ends
    ended = [(r.name, r.issued_date) for r in press.references if "het_hieu_luc" in r.relation_types]
    assert ended == [("Luật báo chí", "1989-12-28")]


# ---------------------------------------------------------------------------
# Resolution, graph and status
# ---------------------------------------------------------------------------


def _doc(doc_id: str, number: str | None, issuer: str, issued: str, refs: list[Reference] | None = None,
         doc_type: str = "Quyết định", title: str | None = None) -> Document:
    meta = DocumentMeta(doc_id=doc_id, source=f"{doc_id}.txt", doc_number=number, doc_type=doc_type,
                        issued_date=issued, issuer=issuer, title=title)
    return Document(meta=meta, text="", references=refs or [])


def test_same_number_under_two_issuers_is_never_joined() -> None:
    hue = _doc("hue", "42/2018/QĐ-UBND", "UBND tỉnh Thừa Thiên Huế", "2018-08-08")
    hanoi = _doc("hanoi", "42/2018/QĐ-UBND", "UBND thành phố Hà Nội", "2018-05-02")
    bare = Reference(doc_id="new", mention="Quyết định số 42/2018/QĐ-UBND", doc_type="Quyết định",
                     number="42/2018/QĐ-UBND")
    citing = _doc("new", "122/2025/QĐ-UBND", "UBND thành phố Huế", "2025-11-24", [bare])
    resolver = Resolver({d.doc_id: d for d in (hue, hanoi, citing)})
    assert resolver.resolve(bare, citing) is None  # "Huế" and "Thừa Thiên Huế": not the same name, so no guess
    dated = Reference(doc_id="new", mention="…", doc_type="Quyết định", number="42/2018/QĐ-UBND",
                      issued_date="2018-08-08")
    assert resolver.resolve(dated, citing) == "hue"
    stranger = _doc("x", "9/KH-UBND", "UBND tỉnh Cà Mau", "2025-01-01")
    bare9 = Reference(doc_id="new", mention="Kế hoạch số 9/KH-UBND", doc_type="Kế hoạch", number="9/KH-UBND")
    assert Resolver({"x": stranger, "new": citing}).resolve(bare9, citing) is None


def test_status_from_replacement_amendment_and_dates() -> None:
    old = _doc("old", "10/QĐ-UBND", "UBND tỉnh A", "2020-01-01")
    new = _doc("new", "20/QĐ-UBND", "UBND tỉnh A", "2024-01-01", [Reference(
        doc_id="new", mention="Quyết định số 10/QĐ-UBND", doc_type="Quyết định", number="10/QĐ-UBND",
        relations=["thay_the"])])
    amend = _doc("amend", "30/QĐ-UBND", "UBND tỉnh A", "2025-01-01", [Reference(
        doc_id="amend", mention="Quyết định số 20/QĐ-UBND", doc_type="Quyết định", number="20/QĐ-UBND",
        relations=["sua_doi"], articles="Điều 2")])
    amend.meta.effective_date = "2030-01-01"
    new.meta.effective_date = "2024-03-01"
    graph = build_graph([old, new, amend], today=dt.date(2026, 1, 1))
    assert graph.status["old"].code == "het_hieu_luc" and not graph.status["old"].in_force
    assert graph.status["old"].label == "Hết hiệu lực — thay thế bởi Quyết định 20/QĐ-UBND ngày 01/01/2024"
    assert graph.status["new"].code == "bi_sua_doi" and graph.status["new"].by == ["amend"]
    assert graph.status["amend"].code == "chua_co_hieu_luc"
    assert [e.target for e in graph.incoming["old"]] == ["old"] and graph.outgoing["new"][0].kind == "thay_the"
    assert all("kho" in s.note for s in graph.status.values())
    capitals = Edge(source="x", kind="bai_bo", mention="QUYẾT ĐỊNH SỐ 22/2025/QĐ-UBND NGÀY 28 THÁNG 02 NĂM 2025",
                    number="22/2025/QĐ-UBND", issued_date="2025-02-28", doc_type="Quyết định")
    assert capitals.printed == "Quyết định số 22/2025/QĐ-UBND ngày 28/02/2025"
    before = build_graph([old, new, amend], today=dt.date(2023, 6, 1))  # the replacement not in effect yet
    assert before.status["old"].in_force and before.status["old"].label.startswith("Còn hiệu lực đến trước ngày")


def test_status_and_effective_date_overrides(tmp_path: Path) -> None:
    good = tmp_path / "a.txt.meta.toml"
    good.write_text('status = "het_hieu_luc"\neffective_date = 2024-07-01\n', encoding="utf-8")
    assert load_override(good) == {"status": "het_hieu_luc", "effective_date": "2024-07-01"}
    bad = tmp_path / "b.txt.meta.toml"
    bad.write_text('status = "gone"\n', encoding="utf-8")
    with pytest.raises(OverrideError, match="status"):
        load_override(bad)
    doc = _doc("a", "1/QĐ-UBND", "UBND tỉnh A", "2020-01-01")
    doc.meta.status = "het_hieu_luc"
    status = build_graph([doc]).status["a"]
    assert status.overridden and not status.in_force and status.label.startswith("Hết hiệu lực")


# ---------------------------------------------------------------------------
# The evaluator, on a gold file and documents built here
# ---------------------------------------------------------------------------


def test_target_matching_by_number_and_law_name() -> None:
    assert target_keys("Nghị định số 30/2020/NĐ-CP") == target_keys("30/2020/nđ-cp")
    assert target_keys("Luật Đất đai năm 2024") == {"name:" + law_key("LUẬT ĐẤT ĐAI")}
    assert target_keys("Luật báo chí ngày 28 tháng 12 năm 1989") == {"name:luat bao chi"}


def test_evaluator_counts_precision_recall_and_effect(tmp_path: Path) -> None:
    docs = tmp_path / "vn-admin-docs" / "docs"
    docs.mkdir(parents=True)
    (docs / "a.txt").write_text(
        "ỦY BAN NHÂN DÂN\nTỈNH A\nSố: 5/2025/QĐ-UBND\n\nQUYẾT ĐỊNH\nVề việc bãi bỏ Quyết định số 1/2020/QĐ-UBND\n\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Bãi bỏ Quyết định số 1/2020/QĐ-UBND ngày 02/01/2020.\n\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày 10 tháng 12 năm 2025 và thay thế Quyết định số 2/2020/QĐ-UBND.\n"
        "Giao Sở Tư pháp theo dõi Kế hoạch số 3/KH-UBND.\n",
        encoding="utf-8",
    )
    gold = {"documents": [{
        "collection": "vn-admin-docs", "source": "a.txt", "own_number": "5/2025/QĐ-UBND",
        "effective": {"kind": "date", "date": "2025-12-10", "evidence": "…"},
        "types_complete": ["can_cu", "bai_bo", "thay_the"],
        "relations": [
            {"type": "can_cu", "target": "Luật Tổ chức chính quyền địa phương năm 2015", "evidence": "…"},
            {"type": "bai_bo", "target": "1/2020/QĐ-UBND", "evidence": "…"},
            {"type": "sua_doi", "target": "9/2019/QĐ-UBND", "evidence": "…"},
        ],
    }]}
    scores = score_gold(gold, tmp_path)
    assert scores.documents == 1 and scores.effect_accuracy == 1.0
    assert scores.recall("can_cu") == 1.0 and scores.recall("bai_bo") == 1.0 and scores.recall("sua_doi") == 0.0
    assert scores.precision("thay_the") == 0.0  # extracted, labelled complete, not in the gold
    assert scores.precision("dan_chieu") is None  # not labelled completely: not counted
    assert scores.recall() == pytest.approx(2 / 3) and scores.precision() == pytest.approx(2 / 3)
    json.dumps(gold)  # the fixture is the gold file's shape


# Floors on the hand-labelled gold set (tests/gold/relations.json, tests/gold/RELATIONS.md).
# The rules were written on the laws and the build split ("dev"); the goal is
# precision 0.95 and recall 0.9. Dev measures P 1.000, R 0.997 (effect 0.978). The held-out
# documents were labelled by a person who never saw the rules and are never opened to fix
# a miss: their floors are a regression guard just under the last measurement (P 0.906,
# R 0.878; first measured P 0.814, R 0.802), not the goal.
# The goal is asserted on the whole gold set ("all": P 0.972, R 0.962 measured).
RELATION_FLOORS = {"dev": (0.98, 0.97, 0.95), "heldout": (0.88, 0.85, 0.9), "all": (0.95, 0.9, 0.95)}


@pytest.mark.skipif(not (ADMIN.is_dir() and LAWS.is_dir()), reason="../shared/data is absent")
def test_relation_extraction_meets_its_floors_on_the_hand_labelled_gold() -> None:
    from search_api.evaluate_relations import GOLD, score_parts

    parts = score_parts(json.loads(GOLD.read_text(encoding="utf-8")), SHARED)
    assert parts["all"].documents >= 40 and sum(parts["all"].gold.values()) >= 150
    for name, (precision, recall, effect) in RELATION_FLOORS.items():
        scores = parts[name]
        assert not scores.missing, scores.missing
        assert scores.precision() >= precision, (name, scores.precision())
        assert scores.recall() >= recall, (name, scores.recall())
        assert scores.effect_accuracy >= effect, (name, scores.effect_accuracy)


def _implemented(text: str) -> list[str]:
    return [r.mention for r in extract_references("t", normalise_text(text)) if "thuc_hien" in r.relation_types]


def test_opening_paragraphs_that_carry_out_instruments() -> None:
    assert _implemented(
        "KẾ HOẠCH\nCải cách hành chính năm 2026\n\nCăn cứ Luật Tổ chức chính quyền địa phương năm 2025;\n\n"
        "Để tiếp tục thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
        "khoa học, Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ; Kế hoạch số 12/KH-UBND ngày 02/01/2025 "
        "và chỉ đạo của Bộ Nội vụ tại Công văn số 8935/BNV-CTTN&BĐG ngày 03/10/2025 về việc hướng dẫn triển khai "
        "Quyết định số 9/QĐ-TTg;\n\nỦy ban nhân dân tỉnh ban hành Kế hoạch như sau:\n\nI. MỤC ĐÍCH\n"
    ) == ["Nghị quyết số 57-NQ/TW ngày 22/12/2024", "Nghị quyết số 71/NQ-CP ngày 01/4/2025",
          "Kế hoạch số 12/KH-UBND ngày 02/01/2025", "Công văn số 8935/BNV-CTTN&BĐG ngày 03/10/2025"]
    assert _implemented(
        "Kính gửi: Các sở, ban, ngành.\n\nTriển khai Kế hoạch số 5/KH-BCĐ ngày 02/02/2025, Sở Nội vụ đề nghị "
        "các cơ quan báo cáo.\n"
    ) == ["Kế hoạch số 5/KH-BCĐ ngày 02/02/2025"]
    # In a "Căn cứ" paragraph a clause opening with "thực hiện" carries out, it is not a basis.
    refs = extract_references("t", normalise_text(
        "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025; thực hiện Chương trình số 10-CTr/TU ngày "
        "01/02/2025 của Tỉnh ủy;\n\nQUYẾT ĐỊNH:\n"))
    assert [(r.mention, r.relation_types) for r in refs] == [
        ("Luật Tổ chức chính quyền địa phương năm 2025", ["can_cu"]),
        ("Chương trình số 10-CTr/TU ngày 01/02/2025", ["thuc_hien"])]


def test_titles_of_plans_name_what_they_carry_out() -> None:
    assert _implemented(
        "ỦY BAN NHÂN DÂN\nSố: 3/KH-UBND\n\nKẾ HOẠCH\nTRIỂN KHAI THI HÀNH LUẬT DỮ LIỆU TRÊN ĐỊA BÀN TỈNH\n\n"
        "I. MỤC ĐÍCH\n1. Phổ biến Luật Dữ liệu.\n"
    ) == ["LUẬT DỮ LIỆU"]
    assert _implemented(
        "KẾ HOẠCH\nThực hiện Quy hoạch tỉnh thời kỳ 2021 - 2030, tầm nhìn đến năm 2050 được phê duyệt tại "
        "Quyết định số 1234/QĐ-TTg ngày 01/12/2023 của Thủ tướng Chính phủ\n\nI. MỤC ĐÍCH\n"
    ) == ["Quyết định số 1234/QĐ-TTg ngày 01/12/2023"]
    assert _implemented(
        "QUYẾT ĐỊNH\nBan hành Kế hoạch thực hiện Đề án phát triển du lịch đã được phê duyệt tại Quyết định số "
        "77/QĐ-UBND ngày 01/02/2024\n\nCăn cứ Luật Du lịch năm 2017;\n\nQUYẾT ĐỊNH:\n"
    ) == ["Quyết định số 77/QĐ-UBND ngày 01/02/2024"]
    # The programme named in the title, approved by a cited decision: the decision is carried out.
    assert _implemented(
        "QUYẾT ĐỊNH\nBAN HÀNH KẾ HOẠCH TRIỂN KHAI THỰC HIỆN ĐỀ ÁN “NÂNG CAO NHẬN THỨC CỘNG ĐỒNG VỀ THIÊN TAI”\n\n"
        "Căn cứ Quyết định số 553/QĐ-TTg ngày 06 tháng 4 năm 2021 của Thủ tướng Chính phủ về phê duyệt Đề án "
        "“Nâng cao nhận thức cộng đồng về thiên tai”;\n\nCăn cứ Quyết định số 379/QĐ-TTg ngày 17/3/2021 về phê "
        "duyệt Chiến lược quốc gia;\n\nQUYẾT ĐỊNH:\n"
    ) == ["Quyết định số 553/QĐ-TTg ngày 06 tháng 4 năm 2021"]
    # A conclusion on how an instrument is carried out does not carry it out.
    assert _implemented(
        "THÔNG BÁO\nKẾT LUẬN TẠI CUỘC HỌP VỀ TÌNH HÌNH THỰC HIỆN NGHỊ QUYẾT SỐ 66-NQ/TW NGÀY 30/4/2025\n\n"
        "Ngày 28 tháng 11 năm 2025, Phó Thủ tướng chủ trì cuộc họp.\n") == []
    assert _implemented("1. Thực hiện Nghị định 13/2023/NĐ-CP, chúng tôi cập nhật Quy chế.\n") == []


def test_an_opening_that_lists_its_instruments() -> None:
    assert _implemented(
        "KẾ HOẠCH\nChuyển đổi số năm 2026\n\nThực hiện các văn bản sau:\n\n"
        "- Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học;\n\n"
        "- Kế hoạch số 12/KH-UBND ngày 02/01/2025 của Ủy ban nhân dân tỉnh\n\n"
        "Sở Nội vụ ban hành Kế hoạch theo Quyết định số 3/QĐ-UBND như sau:\n\nI. MỤC ĐÍCH\n"
    ) == ["Nghị quyết số 57-NQ/TW ngày 22/12/2024", "Kế hoạch số 12/KH-UBND ngày 02/01/2025"]
