"""Heading paths and passages: on the real corpus and on small made-up documents."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from documents import SEED_FILES, read_seed
from indexer.readers import read_document
from indexer.records import Passage
from indexer.structure import section_paths, split_passages

FILES = SEED_FILES


@lru_cache(maxsize=None)
def corpus_doc(key: str) -> tuple[list[str], tuple[str, ...], tuple[Passage, ...]]:
    doc = read_seed(key)
    lines = doc.text.split("\n")
    return lines, tuple(section_paths(lines, doc.tables)), tuple(doc.passages)


def parse(raw: str, **kw: int) -> tuple[list[str], list[str], list[Passage]]:
    layout = read_document("fx.txt", raw.encode("utf-8"))
    lines = layout.text.split("\n")
    return lines, section_paths(lines, layout.tables), split_passages("fx", layout.text, layout.tables, **kw)


def line_no(lines: list[str], startswith: str) -> int:
    """0-based index of the first line that starts with the given text."""
    return next(i for i, line in enumerate(lines) if line.strip().startswith(startswith))


def squash(text: str) -> str:
    return " ".join(text.split())


# --- the real corpus -------------------------------------------------------


def test_nested_heading_path_in_000() -> None:
    lines, paths, _ = corpus_doc("000")
    i = line_no(lines, "2.2. Sở Nội vụ")
    want = "V. TỔ CHỨC THỰC HIỆN › 2. Trách nhiệm cụ thể › 2.2. Sở Nội vụ"
    assert paths[i] == want
    assert paths[i + 1] == want  # the bullet under it
    assert lines[i + 1].startswith("- Chịu trách nhiệm toàn diện")
    assert paths[line_no(lines, "2.3. Sở Thông tin")].endswith("› 2. Trách nhiệm cụ thể › 2.3. Sở Thông tin và Truyền thông")
    assert paths[line_no(lines, "1. Mục đích")] == "I. MỤC ĐÍCH, YÊU CẦU VÀ CHỈ TIÊU CẦN ĐẠT ĐƯỢC › 1. Mục đích"


def test_appendix_rows_sit_under_the_appendix_and_their_group_in_000() -> None:
    lines, paths, passages = corpus_doc("000")
    row13 = next(p for p in passages if p.kind == "table_row" and p.stt == "13")
    assert row13.section.startswith("PHỤ LỤC: CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")
    assert row13.section.endswith(" › II. Cải cách thể chế")
    assert paths[row13.line_start - 1] == row13.section
    assert row13.text.startswith("STT 13 — Mục tiêu: Hoàn thiện Hệ thống văn bản quy phạm pháp luật")
    assert "Chủ trì: Sở Tư pháp" in row13.text and "Thời gian hoàn thành: Quý I/2022" in row13.text


def test_000_appendix_has_one_row_passage_per_task() -> None:
    _, _, passages = corpus_doc("000")
    rows = [p for p in passages if p.kind == "table_row"]
    # the task under 16 that prints its own "Nhiệm vụ" has its own passage
    assert [p.stt for p in rows] == [str(n) for n in range(1, 17)] + ["16"] + [str(n) for n in range(17, 50)]
    assert all(len(p.text) < 2000 for p in rows)


def test_legal_basis_and_header_blocks_of_000() -> None:
    lines, _, passages = corpus_doc("000")
    assert passages[0].kind == "heading" and passages[0].line_start == 1  # QUYẾT ĐỊNH, trích yếu, issuer
    basis = [p for p in passages if p.kind == "basis"]
    assert len(basis) == 1
    assert basis[0].text.startswith("Căn cứ Luật Tổ chức chính quyền địa phương năm 2015")
    assert (basis[0].line_start, basis[0].line_end) == (line_no(lines, "Căn cứ") + 1, line_no(lines, "Theo đề nghị") + 1)
    # "Căn cứ các chỉ tiêu …" inside the plan is prose, not legal basis
    inner = next(p for p in passages if "Căn cứ các chỉ tiêu, nhiệm vụ của Kế hoạch này" in p.text)
    assert inner.kind == "body"


def test_recipients_get_their_own_passage() -> None:
    for key in ("000", "002", "004"):
        _, _, passages = corpus_doc(key)
        rec = [p for p in passages if p.kind == "recipients"]
        assert rec and rec[0].text.startswith("Nơi nhận") and rec[0].section == "Nơi nhận", key
        assert "- Bộ Nội vụ;" in rec[0].text or "Bộ Nội vụ;" in rec[0].text


def test_header_block_of_004_includes_kinh_gui() -> None:
    _, _, passages = corpus_doc("004")
    head = passages[0]
    assert head.kind == "heading"
    assert "Số: 2458 /UBND-SNV" in head.text and "Kính gửi:" in head.text
    assert head.text.rstrip().endswith("- UBND các quận, huyện, thị xã.")


@pytest.mark.parametrize("key", sorted(FILES))
def test_no_passage_spans_two_headings(key: str) -> None:
    lines, paths, passages = corpus_doc(key)
    for p in passages:
        seen = {paths[k] for k in range(p.line_start - 1, p.line_end) if lines[k].strip()}
        assert seen == {p.section}, (p.passage_id, seen)


@pytest.mark.parametrize("key", sorted(FILES))
def test_line_spans_cover_the_text_they_quote(key: str) -> None:
    lines, _, passages = corpus_doc(key)
    for p in passages:
        span = "\n".join(lines[p.line_start - 1 : p.line_end])
        if p.kind not in ("table_row", "table"):
            assert p.text and p.text in span, p.passage_id
            continue
        for field in p.text.split(" | "):  # rendered rows: the quoted cell text is in the span
            label, _, value = field.partition(": ")
            if label.split(" — ")[-1] in ("Mục tiêu", "Nhiệm vụ", "Sản phẩm"):
                for piece in value.split("; "):  # values of continuation rows are joined with "; "
                    assert squash(piece)[:20] in squash(span), (p.passage_id, piece[:20])


@pytest.mark.parametrize("key", sorted(FILES))
def test_passages_are_ordered_and_do_not_overlap(key: str) -> None:
    lines, _, passages = corpus_doc(key)
    doc_id = FILES[key].rsplit(".", 1)[0]
    assert [p.passage_id for p in passages] == [f"{doc_id}:p{n}" for n in range(1, len(passages) + 1)]
    covered: set[int] = set()
    for p in passages:
        assert 1 <= p.line_start <= p.line_end <= len(lines)
        span = {k for k in range(p.line_start, p.line_end + 1) if lines[k - 1].strip()}
        assert not span & covered, p.passage_id
        covered |= span
    assert [p.line_start for p in passages] == sorted(p.line_start for p in passages)


@pytest.mark.parametrize("key", sorted(FILES))
def test_passages_respect_max_chars(key: str) -> None:
    _, _, passages = corpus_doc(key)
    for p in passages:
        if p.kind in ("body", "basis", "recipients", "heading"):
            assert len(p.text) <= 1200 or p.line_start == p.line_end, p.passage_id


def test_long_sections_split_at_sentence_ends() -> None:
    doc = read_seed("000")
    text, lines = doc.text, doc.text.split("\n")
    passages = split_passages("000", text, doc.tables, max_chars=300)
    paths = section_paths(lines, doc.tables)
    for p in passages:
        if p.kind == "body" and len(p.text) > 300:
            assert p.line_start == p.line_end and not p.text.endswith((",",)), p.passage_id  # one sentence
        assert {paths[k] for k in range(p.line_start - 1, p.line_end) if lines[k].strip()} == {p.section}
    pieces = [p for p in passages if p.line_start == p.line_end == 47 and p.kind == "body"]
    assert len(pieces) >= 2 and all(p.text in lines[46] for p in pieces)


def test_statistics_tables_of_002_repeat_their_header() -> None:
    _, _, passages = corpus_doc("002")
    stats = [p for p in passages if p.kind == "table"]
    assert len(stats) >= 15
    first = stats[0]
    assert first.text.startswith("STT | Chỉ tiêu | Đơn vị thống kê báo cáo | Năm 2015")
    assert "1 | Số lượng văn bản chỉ đạo, điều hành | Sở Nội vụ" in first.text
    assert first.section.startswith("Phụ lục 1: THỐNG KÊ CÁC CHỈ TIÊU")
    assert "I. Lĩnh vực chỉ đạo, điều hành (Đơn vị thống kê, báo cáo: Sở Nội vụ, Sở Thông tin" in first.section
    # the header repeated after a page break does not start a new table
    assert any(p.text.count("STT | Chỉ tiêu") == 1 and "Bộ tiêu chí đánh giá sở, ngành" in p.text for p in stats)


def test_appendix_with_outline_in_002() -> None:
    lines, paths, _ = corpus_doc("002")
    i = line_no(lines, "a) Mặt tích cực đạt được")
    assert paths[i] == (
        "PHỤ LỤC 2: ĐỀ CƯƠNG BÁO CÁO › Phần thứ nhất: TÌNH HÌNH TRIỂN KHAI VÀ KẾT QUẢ › I. TÌNH HÌNH TRIỂN KHAI"
        " › 4. Đánh giá chung về công tác triển khai › a) Mặt tích cực đạt được"
    )


def test_ocr_scan_003_keeps_its_outline() -> None:
    lines, paths, passages = corpus_doc("003")
    assert paths[line_no(lines, "3.1. ch1a")].endswith("› 3.1. ch1a")
    assert paths[line_no(lines, "2. Van phông S&")] == "III. TO CH1C THC HIN › 2. Van phông S&"
    assert sum(p.kind == "table_row" for p in passages) >= 20


# --- made-up documents -----------------------------------------------------

OUTLINE = """ỦY BAN NHÂN DÂN TỈNH A
Số: 12/KH-UBND
KẾ HOẠCH
Thực hiện chuyển đổi số năm 2024
Căn cứ Nghị quyết số 1/NQ-CP ngày 01/01/2024 của Chính phủ;
Căn cứ Quyết định số 2/QĐ-UBND ngày 02/01/2024 của UBND tỉnh;
Phần thứ nhất
ĐÁNH GIÁ
I. KẾT QUẢ
1. Về thể chế
1.1. Văn bản ban hành
a) Cấp tỉnh
- Ban hành 10 văn bản.
b) Cấp huyện
- Ban hành 20 văn bản.
1.2. Kiểm tra văn bản
Các nội dung đã kiểm tra gồm:
1. Văn bản quy phạm pháp luật;
2. Văn bản hành chính.
2. Về tổ chức bộ máy
Sắp xếp 5 đơn vị.
II. TỒN TẠI
Còn chậm.
Nơi nhận:
- Như trên;
- Lưu: VT.
PHỤ LỤC
DANH MỤC VĂN BẢN
(Kèm theo Kế hoạch số 12/KH-UBND)
Nội dung phụ lục.
"""


def test_heading_hierarchy_of_a_made_up_plan() -> None:
    lines, paths, passages = parse(OUTLINE)
    at = {line.strip(): path for line, path in zip(lines, paths)}
    top = "Phần thứ nhất: ĐÁNH GIÁ › I. KẾT QUẢ"
    assert at["- Ban hành 10 văn bản."] == f"{top} › 1. Về thể chế › 1.1. Văn bản ban hành › a) Cấp tỉnh"
    assert at["- Ban hành 20 văn bản."] == f"{top} › 1. Về thể chế › 1.1. Văn bản ban hành › b) Cấp huyện"
    # a list restarting at "1." under "1.2." is not a heading
    assert at["2. Văn bản hành chính."] == f"{top} › 1. Về thể chế › 1.2. Kiểm tra văn bản"
    assert at["Sắp xếp 5 đơn vị."] == f"{top} › 2. Về tổ chức bộ máy"
    assert at["Còn chậm."] == "Phần thứ nhất: ĐÁNH GIÁ › II. TỒN TẠI"
    assert at["- Lưu: VT."] == "Nơi nhận"
    assert at["Nội dung phụ lục."] == "PHỤ LỤC: DANH MỤC VĂN BẢN"
    kinds = [p.kind for p in passages]
    assert kinds[:2] == ["heading", "basis"] and "recipients" in kinds
    assert passages[0].text.splitlines()[-1] == "Thực hiện chuyển đổi số năm 2024"  # trích yếu stays in the header


LAW = """LUẬT
TIẾP CÔNG DÂN
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định về tiếp công dân.
Điều 2. Giải thích từ ngữ
1. Tiếp công dân là việc cơ quan tiếp đón công dân, bao gồm:
a) Lắng nghe ý kiến;
b) Giải thích, hướng dẫn.
2. Người tiếp công dân là cán bộ được giao nhiệm vụ.
Chương II
TỔ CHỨC TIẾP CÔNG DÂN
Mục 1. TRỤ SỞ TIẾP CÔNG DÂN
Điều 10. Trụ sở
Trụ sở tiếp công dân được đặt tại trung tâm.
"""


def test_law_chapters_articles_and_clauses() -> None:
    lines, paths, passages = parse(LAW)
    at = {line.strip(): path for line, path in zip(lines, paths)}
    assert at["Luật này quy định về tiếp công dân."] == "Chương I: NHỮNG QUY ĐỊNH CHUNG › Điều 1. Phạm vi điều chỉnh"
    assert at["a) Lắng nghe ý kiến;"].startswith("Chương I: NHỮNG QUY ĐỊNH CHUNG › Điều 2. Giải thích từ ngữ › 1. Tiếp công dân")
    assert at["a) Lắng nghe ý kiến;"].endswith("› a) Lắng nghe ý kiến;")
    assert at["Trụ sở tiếp công dân được đặt tại trung tâm."] == (
        "Chương II: TỔ CHỨC TIẾP CÔNG DÂN › Mục 1. TRỤ SỞ TIẾP CÔNG DÂN › Điều 10. Trụ sở"
    )
    art1 = next(p for p in passages if p.section.endswith("Điều 1. Phạm vi điều chỉnh"))
    assert art1.text == "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về tiếp công dân." and art1.kind == "body"


def test_a_heading_and_its_body_make_one_passage_and_headings_never_merge() -> None:
    _, _, passages = parse("I. MỤC ĐÍCH\n1. Mục đích\n- Nâng cao hiệu quả.\n2. Yêu cầu\n- Đúng tiến độ.\n")
    assert [(p.section, p.text, p.kind) for p in passages] == [
        ("I. MỤC ĐÍCH", "I. MỤC ĐÍCH", "heading"),
        ("I. MỤC ĐÍCH › 1. Mục đích", "1. Mục đích\n- Nâng cao hiệu quả.", "body"),
        ("I. MỤC ĐÍCH › 2. Yêu cầu", "2. Yêu cầu\n- Đúng tiến độ.", "body"),
    ]


def test_a_long_paragraph_is_cut_between_sentences() -> None:
    sentence = "Các cơ quan, đơn vị triển khai đầy đủ nhiệm vụ được giao theo kế hoạch của tỉnh. "
    raw = "I. NHIỆM VỤ\n1. Triển khai\n" + sentence * 20 + "\n- Báo cáo kết quả.\n"
    lines, _, passages = parse(raw, max_chars=400)
    body = [p for p in passages if p.section.endswith("1. Triển khai")]
    assert len(body) >= 4
    for p in body:
        assert len(p.text) <= 400
        assert p.text in "\n".join(lines[p.line_start - 1 : p.line_end])
        assert p.text.endswith(".") or p.text.startswith("1. Triển khai")
