"""Assignments from tables and prose: on the real corpus and on small made-up documents."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from indexer.agencies import split_agencies
from indexer.assignments import inline_assignment
from indexer.columns import column_role, column_roles
from indexer.records import Passage, Task
from documents import SEED_FILES, read_seed, read_text


@lru_cache(maxsize=None)
def corpus_doc(key: str) -> tuple[list[str], tuple[Passage, ...], tuple[Task, ...]]:
    doc = read_seed(key)
    return doc.text.split("\n"), tuple(doc.passages), tuple(doc.tasks)


def parse(raw: str) -> tuple[list[str], list[Passage], list[Task]]:
    doc = read_text(raw)
    return doc.text.split("\n"), doc.passages, doc.tasks


def content_tables(raw: str) -> list[str]:
    """Layouts of the tables a made-up document prints, letterheads and signatures left out."""
    return [t.layout for t in read_text(raw).tables if not t.role]


def table_rows(key: str) -> dict[str, Task]:
    _, _, tasks = corpus_doc(key)
    return {t.stt: t for t in tasks if t.origin == "table" and t.stt}


def prose(tasks: tuple[Task, ...] | list[Task]) -> list[Task]:
    return [t for t in tasks if t.origin == "prose"]


# --- 000: the appendix task table ------------------------------------------


def test_000_appendix_yields_the_task_rows_counted_by_hand() -> None:
    _, _, tasks = corpus_doc("000")
    stts = [t.stt for t in tasks if t.origin == "table"]
    # 49 numbered tasks; under 16 a second task prints its own "Nhiệm vụ" beneath the merged number
    assert stts == [str(n) for n in range(1, 17)] + ["16"] + [str(n) for n in range(17, 50)]
    assert {t.stt for t in tasks if t.stt_inferred} == {"10", "11"}


@pytest.mark.parametrize(
    ("stt", "lead", "support", "deadline"),
    [
        ("1", ["Sở, Ban, Ngành", "UBND các quận, huyện, thị xã"], ["Sở, Ban, Ngành", "UBND các quận, huyện, thị xã"],
         "Trước ngày 15/02/2022"),
        # the row under it (the agencies' own plans, same task) adds its lead, after the task's own
        ("2", ["Sở Nội vụ", "Sở, Ban, Ngành", "UBND các quận, huyện, thị xã"], ["Sở, Ban, Ngành",
                                                                               "UBND các quận, huyện, thị xã"],
         "Quý I/2022"),
        ("4", ["Viện Nghiên cứu Phát triển KT-XH"], ["Sở Nội vụ", "Văn phòng UBND Thành phố"], "Quý I/2022"),
        ("8", ["UBND các quận, huyện, thị xã"], ["UBND các quận, huyện, thị xã"], "Quý I/2022; Quý III/2022"),
        # rows that only add a product under the same task add their lead too
        ("10", ["Sở Nội vụ", "UBND các quận, huyện, thị xã"], ["Sở, Ban, Ngành", "UBND các quận, huyện, thị xã"],
         "Quý II/2022"),
        ("11", ["Sở Nội vụ"], ["Sở, Ban, Ngành"], "Theo hướng dẫn của Bộ Nội vụ"),
        ("13", ["Sở Tư pháp"], ["Sở, Ban, Ngành", "UBND các quận, huyện, thị xã"], "Quý I/2022"),
        ("16", ["Văn phòng UBND TP"], ["Sở, Ban, Ngành", "UBND các quận, huyện, thị xã"], "Tháng 2/2022"),
        ("17", ["Văn phòng UBND Thành phố"],
         ["Sở Kế hoạch và Đầu tư", "Sở Tài nguyên và Môi trường", "Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp",
          "Cục Thuế", "UBND quận, huyện, thị xã"], "Quý I/2022"),
        ("21", ["Sở Tư pháp"],
         ["Văn phòng UBND Thành phố", "Sở Thông tin và Truyền thông", "Sở Nội vụ", "Sở Tài chính", "Thuế",
          "Kho bạc Thành phố", "UBND các quận, huyện, thị xã"], "T10/2022"),
        ("22", ["Viện Nghiên cứu và phát triển kinh tế - xã hội HN"], ["Sở, Ban, Ngành", "UBND các quận, huyện, thị xã"],
         "T10/2022"),
        ("26", ["Sở, Ban, Ngành", "UBND các quận, huyện, thị xã"],
         ["Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính"], "T9/2022"),
        ("48", ["Văn phòng UBND Thành phố"], ["Sở Thông tin và truyền thông"], "T10/2022"),
        ("49", ["Văn phòng UBND Thành phố"],
         ["Sở Thông tin và Truyền thông", "Các sở, ban, ngành", "UBND các quận, huyện, thị xã"], "T10/2022"),
    ],
)
def test_000_rows_match_the_text(stt: str, lead: list[str], support: list[str], deadline: str) -> None:
    task = table_rows("000")[stt]
    assert (task.lead, task.support, task.deadline) == (lead, support, deadline)


def test_000_rows_keep_their_group_and_cells() -> None:
    rows = table_rows("000")
    assert rows["1"].group == "I. Công tác chỉ đạo, điều hành CCHC"
    assert rows["13"].group == "II. Cải cách thể chế"
    assert rows["49"].group == "VII. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"
    assert rows["1"].objective == "Triển khai Kế hoạch CCHC năm 2022 của UBND Thành phố."
    assert rows["1"].duty == "Triển khai công tác CCHC năm 2022 của cơ quan, đơn vị"
    assert rows["1"].product == "Kế hoạch CCHC năm 2022"
    assert rows["1"].activities.startswith("- Xây dựng Kế hoạch CCCC năm 2022.\n- Bố trí kinh phí")
    assert rows["10"].objective.startswith("Nâng cao nhận thức đầy đủ về công tác CCHC")
    assert rows["11"].objective.startswith("Tự đánh giá, chấm điểm công tác CCHC của Thành phố")
    # row 16 has a second duty in a continuation row (empty STT and Mục tiêu)
    assert rows["16"].duty.endswith("Quyết định của UBND thành phố về TTHC lựa chọn tái cấu trúc xây dựng DVC trực "
                                    "tuyến mức độ 3, 4 tích hợp trên Cổng DVCQG, Cổng/trang thông tin điện tử của thành phố.")


def test_000_table_tasks_point_at_their_row_passages() -> None:
    lines, passages, tasks = corpus_doc("000")
    by_id = {p.passage_id: p for p in passages}
    for task in (t for t in tasks if t.origin == "table"):
        p = by_id[task.passage_id]
        assert p.kind == "table_row" and p.stt == task.stt
        assert (p.line_start, p.line_end) == (task.line_start, task.line_end)
        assert p.section.endswith(task.group)
    assert lines[table_rows("000")["21"].line_start - 1].strip() == "21"


def test_000_prose_tasks_under_agency_headings() -> None:
    _, _, tasks = corpus_doc("000")
    snv = [t for t in prose(tasks) if t.section.endswith("2.2. Sở Nội vụ")]
    assert len(snv) == 3 and all(t.lead == ["Sở Nội vụ"] for t in snv)
    assert snv[0].duty.startswith("Chịu trách nhiệm toàn diện về công tác CCHC")
    vp = next(t for t in prose(tasks) if t.duty.startswith("Chủ trì, phối hợp với Sở Thông tin và Truyền thông"))
    assert vp.lead == ["Văn phòng UBND thành phố"]
    assert vp.support == ["Sở Thông tin và Truyền thông", "UBND cấp huyện", "các sở, ngành, cơ quan, tổ chức có liên quan"]
    reports = next(t for t in prose(tasks) if t.duty.startswith("Định kỳ tổng hợp kết quả triển khai nội dung CCHC"))
    assert reports.lead == ["Văn phòng UBND Thành phố", "Sở Tư pháp", "Sở Tài chính", "Sở Thông tin và Truyền thông",
                            "Sở Khoa học và Công nghệ", "Sở Kế hoạch và Đầu tư"]
    school = next(t for t in prose(tasks) if t.duty.startswith("Chủ trì lồng ghép các nội dung CCHC"))
    assert school.lead == ["Trường Đào tạo cán bộ Lê Hồng Phong Hà Nội", "các Trung tâm chính trị quận, huyện, thị xã"]
    assert not any(t.duty.startswith(("2.2.", "1. Trách nhiệm")) for t in prose(tasks))  # headings are not tasks


# --- 002: statistics tables ------------------------------------------------


def test_002_tables_yield_assignments() -> None:
    _, _, tasks = corpus_doc("002")
    table = [t for t in tasks if t.origin == "table"]
    assert len(table) == 62
    by_lead = Counter(a for t in table for a in t.lead)
    assert by_lead["Sở Nội vụ"] == 15 and by_lead["Sở Tư pháp"] == 7
    first = table[0]
    assert (first.stt, first.lead) == ("1", ["Sở Nội vụ"])
    assert first.duty == "Số lượng văn bản chỉ đạo, điều hành\n- Văn bản của Thành ủy\n- Văn bản của UBND TP và Chủ tịch UBND TP"
    # "Đơn vị thống kê báo cáo" column, and the default unit named by the section heading
    tth = next(t for t in table if t.duty.startswith("Tổng số TTHC của TP"))
    assert tth.lead == ["Văn phòng UBND Thành phố"]
    vbqppl = next(t for t in table if t.duty.startswith("Tổng số văn bản quy phạm pháp luật"))
    breakdown = next(p for p in corpus_doc("002")[1] if p.passage_id == vbqppl.passage_id)
    assert vbqppl.lead == ["Sở Tư pháp"] and "Quyết định của Ủy ban nhân dân cấp xã" in breakdown.text
    sipas = next(t for t in table if (t.objective or "").startswith("Sự hài lòng của cá nhân, tổ chức"))
    assert sipas.lead == ["Viện NC PT KT-XH HN"]
    # "Giai đoạn" tables name no task
    assert not any((t.duty or "").startswith("Giai đoạn") for t in table)
    assert all(t.passage_id and t.passage_id.startswith("002_6ba27df1980e2c46:p") for t in table)


def test_002_prose_tasks() -> None:
    _, _, tasks = corpus_doc("002")
    snv = [t for t in prose(tasks) if t.section.endswith("1. Sở Nội vụ")]
    assert [t.lead for t in snv] == [["Sở Nội vụ"], ["Sở Nội vụ"]]
    summary = next(t for t in prose(tasks) if t.duty.startswith("Tổng kết và gửi Báo cáo chuyên đề"))
    assert summary.lead == ["Văn phòng UBND Thành phố", "Sở Tài chính", "Sở Tư pháp", "Sở Thông tin và Truyền thông",
                            "Sở Khoa học và Công nghệ", "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội"]
    assert summary.deadline == "trước 15/4/2020"


# --- 004: "Giao …" sections ------------------------------------------------


def test_004_giao_sections_yield_prose_tasks() -> None:
    _, passages, tasks = corpus_doc("004")
    leads = Counter(tuple(t.lead) for t in prose(tasks))
    assert leads[("Văn phòng UBND Thành phố",)] == 3
    assert leads[("Sở Tài chính",)] == 2
    assert leads[("Sở Thông tin và Truyền thông",)] == 2
    assert leads[("Sở Kế hoạch và Đầu tư",)] == 2
    assert leads[("Sở Nội vụ",)] == 3
    assert leads[("các Sở, ban, ngành", "UBND các quận, huyện, thị xã")] == 10
    by_id = {p.passage_id: p for p in passages}
    for t in prose(tasks):
        p = by_id[t.passage_id]
        assert p.line_start <= t.line_start <= p.line_end and p.section == t.section


def test_004_bullets_continued_across_a_footnote_are_one_task() -> None:
    lines, _, tasks = corpus_doc("004")
    chi_so = next(t for t in tasks if t.duty.startswith("Đối với các Chỉ số cải cách hành chính"))
    assert "phổ tiếp tục rà soát các nhiệm vụ" in chi_so.duty and "Kế hoạch số 157/KH-UBND" not in chi_so.duty
    assert not any(t.duty.startswith("[1]") for t in tasks)  # the footnote
    closing = next(t for t in tasks if t.duty.startswith("UBND Thành phố yêu cầu"))  # the issuer asks others
    assert closing.lead == ["các Sở, ngành", "UBND các quận, huyện, thị xã"]
    kh = next(t for t in tasks if t.duty.startswith("Đầu mối theo dõi và phối hợp với các đơn vị liên quan"))
    assert (kh.lead, kh.support) == (["Sở Kế hoạch và Đầu tư"], ["các đơn vị liên quan"])


# --- 003: an OCR'd scan (best effort) ---------------------------------------


def test_003_ocr_table_recovers_most_rows() -> None:
    _, _, tasks = corpus_doc("003")
    rows = [t for t in tasks if t.origin == "table" and t.stt]
    assert [t.stt for t in rows] == [str(n) for n in range(1, 23)]  # 22 rows, STT 1, 7, 11 inferred
    assert sum(bool(t.lead) for t in rows) >= 15
    assert sum(bool(t.deadline) for t in rows) >= 20
    row2 = next(t for t in rows if t.stt == "2")
    assert (row2.lead, row2.deadline) == (["Van phOng SO"], "Tháng 02/2024")
    assert len(prose(tasks)) >= 15


# --- every document ----------------------------------------------------------


@pytest.mark.parametrize("key", sorted(SEED_FILES))
def test_tasks_are_ordered_and_linked(key: str) -> None:
    lines, passages, tasks = corpus_doc(key)
    ids = {p.passage_id for p in passages}
    doc_id = SEED_FILES[key].rsplit(".", 1)[0]
    assert [t.task_id for t in tasks] == [f"{doc_id}:t{n}" for n in range(1, len(tasks) + 1)]
    assert [t.line_start for t in tasks] == sorted(t.line_start for t in tasks)
    for t in tasks:
        assert t.passage_id in ids and 1 <= t.line_start <= t.line_end <= len(lines)
        assert t.lead or t.support or t.origin == "table"  # an OCR'd row may lose its agencies


# --- made-up documents -------------------------------------------------------

CELLS = """PHỤ LỤC
\tSTT
\tNhiệm vụ
\tCơ quan chủ trì
\tCơ quan phối hợp
\tThời hạn hoàn thành

\tI
\tCải cách thủ tục hành chính
\t
\t
\t

\t1
\tRà soát thủ tục hành chính
\tVăn phòng UBND tỉnh
\t- Sở Tư pháp
- Sở Nội vụ
\tQuý I/2024

\t
\tCông bố danh mục thủ tục
\tVăn phòng UBND tỉnh
\t
\tTháng 5/2024

\t3
\tXây dựng quy chế phối hợp
\tSở Nội vụ
\tCác Sở: Tài chính; Kế hoạch và Đầu tư; Cục Thuế
\tTháng 9/2024
"""


def test_one_cell_per_line_table_with_empty_cells_and_a_lost_number() -> None:
    lines, passages, tasks = parse(CELLS)
    rows = [t for t in tasks if t.origin == "table"]
    assert [(t.stt, t.stt_inferred) for t in rows] == [("1", False), ("2", True), ("3", False)]
    assert [t.lead for t in rows] == [["Văn phòng UBND tỉnh"], ["Văn phòng UBND tỉnh"], ["Sở Nội vụ"]]
    assert rows[0].support == ["Sở Tư pháp", "Sở Nội vụ"]
    assert rows[1].support == [] and rows[1].deadline == "Tháng 5/2024"
    assert rows[2].support == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Cục Thuế"]
    assert all(t.group == "I. Cải cách thủ tục hành chính" for t in rows)
    row1 = next(p for p in passages if p.passage_id == rows[0].passage_id)
    assert row1.text == ("STT 1 — Nhiệm vụ: Rà soát thủ tục hành chính | Chủ trì: Văn phòng UBND tỉnh"
                         " | Phối hợp: Sở Tư pháp; Sở Nội vụ | Thời gian hoàn thành: Quý I/2024")
    assert row1.section == "PHỤ LỤC › I. Cải cách thủ tục hành chính"


TSV = """II. TỔ CHỨC THỰC HIỆN (Đơn vị chủ trì: Sở Y tế)
STT\tNội dung công việc\tĐơn vị phối hợp\tTiến độ
1\tKhám sàng lọc\tTrung tâm Y tế các huyện\tTháng 3/2024
-\tTại trường học\t\t
2\tTiêm chủng mở rộng\tUBND các xã, phường, thị trấn\tQuý II/2024

III. DANH MỤC
STT\tMục tiêu\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành
1\tNâng cao chất lượng\tXây dựng kế hoạch\tSở Giáo dục và Đào tạo\tSở Tài chính, UBND các huyện\tTháng 6/2024
\t\tTổ chức tập huấn\tPhòng Giáo dục các huyện\t\tTháng 8/2024
\tChuyển đổi số\tSố hóa hồ sơ\tSở Thông tin và Truyền thông\t\tNăm 2024
4\tCải cách hành chính\tRà soát thủ tục\tVăn phòng UBND tỉnh\t\tQuý IV/2024
"""


def test_tab_separated_tables_default_lead_continuations_and_inference() -> None:
    _, passages, tasks = parse(TSV)
    rows = [t for t in tasks if t.origin == "table"]
    assert [(t.stt, t.stt_inferred) for t in rows] == [
        ("1", False), ("2", False), ("1", False), ("1", False), ("2", True), ("4", False)]
    # a responsible-unit default from the heading ("Đơn vị chủ trì: Sở Y tế")
    assert rows[0].lead == ["Sở Y tế"] and rows[0].support == ["Trung tâm Y tế các huyện"]
    assert rows[0].duty == "Khám sàng lọc\n- Tại trường học"
    assert rows[1].support == ["UBND các xã, phường, thị trấn"] and rows[1].deadline == "Quý II/2024"
    # a row without STT that prints its own task is a sub-task: its own lead, the partners above
    assert rows[2].lead == ["Sở Giáo dục và Đào tạo"] and rows[2].deadline == "Tháng 6/2024"
    assert (rows[3].duty, rows[3].lead) == ("Tổ chức tập huấn", ["Phòng Giáo dục các huyện"])
    assert rows[3].support == ["Sở Tài chính", "UBND các huyện"] and rows[3].deadline == "Tháng 8/2024"
    # …and a new task when the printed numbering leaves a gap for it (1 → 4)
    assert rows[4].objective == "Chuyển đổi số" and rows[4].lead == ["Sở Thông tin và Truyền thông"]
    assert sum(p.kind == "table_row" for p in passages) == 6  # both are task tables: a passage per row


OCR = """PHU LUC
STT Muc tiêu Nhiem vu Hoat dong

Noi
dung/san
pham

Co quan,
don vi chu
tri

Co quan, don vi
phoi hop

Thoi gian
hoan thanh

I Cong tac chi dao

1 Ke hoach CCHC

Ban hanh ke hoach

- Xay dung ke hoach

Ke hoach

- Van phong So

- Cac phong thuoc So

Thang
02/2024

2 Kiem tra CCHC

To chuc kiem tra

- Thanh lap doan

Bao cao

- Thanh tra So

- Cac phong thuoc So

Quy II/2024

Tuyen truyen CCHC

Ban hanh ke hoach tuyen truyen

- Xay dung ke hoach

Ke hoach

- Van phong So

- Cac don vi thuoc So

Thang 12/2024

4 Ra soat van ban

Ra soat VBQPPL

- To chuc ra soat

Bao cao

- Phong Phap che

- Cac phong

Quy III/2024
"""


def test_ocr_interleaved_table() -> None:
    lines, passages, tasks = parse(OCR)
    assert content_tables(OCR) == ["ocr"]
    rows = [t for t in tasks if t.origin == "table"]
    assert [(t.stt, t.stt_inferred) for t in rows] == [("1", False), ("2", False), ("3", True), ("4", False)]
    assert [t.lead for t in rows] == [["Van phong So"], ["Thanh tra So"], ["Van phong So"], ["Phong Phap che"]]
    assert [t.deadline for t in rows] == ["Thang 02/2024", "Quy II/2024", "Thang 12/2024", "Quy III/2024"]
    assert rows[0].support == ["Cac phong thuoc So"] and rows[0].objective == "Ke hoach CCHC"


GIAO = """III. TỔ CHỨC THỰC HIỆN
1. Giao Sở Xây dựng:
- Chủ trì xây dựng cơ sở dữ liệu quy hoạch, hoàn thành trong quý III năm 2024.
- Phối hợp với Sở Tài nguyên và Môi trường cập nhật bản đồ số.
- Phối hợp với các cơ quan liên quan tổ chức tuyên truyền.
2.2. Sở Nội vụ
- Chịu trách nhiệm hướng dẫn, kiểm tra việc thực hiện.
3. Các cơ quan, đơn vị
- Tổ chức thực hiện nghiêm túc Kế hoạch.
4. Nhiệm vụ khác
Giao Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ, UBND các huyện, thị xã, thành phố rà soát văn bản, hoàn thành trước ngày 30/6/2024.
Sở Y tế chịu trách nhiệm hướng dẫn triển khai bệnh án điện tử trong quý II năm 2024.
Việc nâng cấp mạng diện rộng do Sở Thông tin và Truyền thông chủ trì thực hiện.
UBND tỉnh giao Công an tỉnh: chủ trì triển khai Đề án 06.
Các địa phương tăng cường tuyên truyền.
Trên đây là Kế hoạch, yêu cầu các cơ quan nghiêm túc thực hiện./.
"""


def test_prose_assignments_under_headings_and_inline() -> None:
    _, _, tasks = parse(GIAO)
    got = [(t.lead, t.support, t.deadline) for t in tasks]
    assert got == [
        (["Sở Xây dựng"], [], "hoàn thành trong quý III năm 2024"),
        (["Sở Tài nguyên và Môi trường"], ["Sở Xây dựng"], None),  # "Phối hợp với X": X leads
        # partners named only as a group: the agency the work is given to does it
        (["Sở Xây dựng"], ["các cơ quan liên quan"], None),
        (["Sở Nội vụ"], [], None),
        (["Sở Tư pháp"], ["Sở Nội vụ", "UBND các huyện, thị xã, thành phố"], "hoàn thành trước ngày 30/6/2024"),
        (["Sở Y tế"], [], "trong quý II năm 2024"),
        (["Sở Thông tin và Truyền thông"], [], None),
        (["Công an tỉnh"], [], None),
    ]
    assert all(t.origin == "prose" and t.passage_id for t in tasks)


LETTER = """ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH BÌNH ĐỊNH\tĐộc lập - Tự do - Hạnh phúc
Số: 5/UBND-VP\tBình Định, ngày 1 tháng 2 năm 2024
V/v triển khai thanh toán không dùng tiền mặt
Kính gửi:
- Các sở, ban, ngành;
- UBND các huyện, thị xã, thành phố.
Thực hiện Chỉ thị số 01/CT-TTg của Thủ tướng Chính phủ, UBND tỉnh chỉ đạo như sau:
1. Sở Tài chính
- Chủ trì hướng dẫn các đơn vị sự nghiệp thu phí qua ngân hàng, hoàn thành trước ngày 30/6/2024.
2. Đề nghị Ngân hàng Nhà nước chi nhánh tỉnh
- Chỉ đạo các tổ chức tín dụng mở rộng mạng lưới thanh toán.
3. Các sở, ban, ngành, UBND các huyện, thị xã, thành phố phổ biến nội dung Công văn này đến cán bộ, công chức./.
Nơi nhận:\tKT. CHỦ TỊCH
- Như trên;\tPHÓ CHỦ TỊCH
- Lưu: VT.
"""


def test_a_letter_laid_out_in_two_columns() -> None:
    lines, passages, tasks = parse(LETTER)
    assert content_tables(LETTER) == []  # issuer | motto and recipients | signature are layout, not tables
    assert [p.kind for p in passages] == ["heading", "body", "body", "body", "body", "recipients"]
    assert passages[0].text.endswith("- UBND các huyện, thị xã, thành phố.")  # Kính gửi stays in the header
    assert passages[1].text.startswith("Thực hiện Chỉ thị số 01/CT-TTg")
    assert [(t.lead, t.deadline) for t in tasks] == [
        (["Sở Tài chính"], "hoàn thành trước ngày 30/6/2024"),
        (["Ngân hàng Nhà nước chi nhánh tỉnh"], None),
        (["Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"], None),
    ]


@pytest.mark.parametrize(
    ("cell", "agencies"),
    [
        ("UBND các quận, huyện, thị xã", ["UBND các quận, huyện, thị xã"]),
        ("- Sở, Ban, Ngành\n- UBND các quận, huyện, thị xã", ["Sở, Ban, Ngành", "UBND các quận, huyện, thị xã"]),
        ("Các Sở: Kế hoạch và Đầu tư; Tài nguyên và Môi trường; Cục Thuế.",
         ["Sở Kế hoạch và Đầu tư", "Sở Tài nguyên và Môi trường", "Cục Thuế"]),
        ("Văn phòng UBND tỉnh, các Sở: Nội vụ, Tài chính", ["Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tài chính"]),
        ("Sở Tư pháp, Sở Nội vụ và UBND cấp huyện", ["Sở Tư pháp", "Sở Nội vụ", "UBND cấp huyện"]),
        ("Sở Lao động, Thương binh và Xã hội", ["Sở Lao động, Thương binh và Xã hội"]),
        ("Viện Nghiên cứu phát triển kinh tế - xã hội", ["Viện Nghiên cứu phát triển kinh tế - xã hội"]),
        ("Sở Y tế; Bảo hiểm xã hội tỉnh;\nCác bệnh viện", ["Sở Y tế", "Bảo hiểm xã hội tỉnh", "Các bệnh viện"]),
        # one agency per paragraph of a Word cell: a capital "Các" opens the next name
        ("Sở Nội vụ\nCác cơ quan, đơn vị, địa phương", ["Sở Nội vụ", "Các cơ quan, đơn vị, địa phương"]),
        ("Bộ Khoa học và\nCông nghệ", ["Bộ Khoa học và Công nghệ"]),
        ("Lãnh đạo\nSở Tư pháp", ["Lãnh đạo Sở Tư pháp"]),  # a position alone heads the name below it
    ],
)
def test_split_agencies(cell: str, agencies: list[str]) -> None:
    assert split_agencies(cell) == agencies


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("STT", "stt"), ("TT", "stt"), ("Mục tiêu", "objective"), ("Nhiệm vụ", "task"), ("Nội dung công việc", "task"),
        ("Hoạt động", "activities"), ("Sản phẩm", "product"),
        ("Cơ quan, đơn vị chủ trì", "lead"), ("Cơ quan (đơn vị) chủ trì", "lead"), ("Đơn vị thống kê báo cáo", "lead"),
        ("Cơ quan phối hợp", "support"), ("Thời gian hoàn thành", "deadline"), ("Thời hạn", "deadline"),
        ("Tiến độ", "deadline"), ("Năm 2015", None), ("Số đơn vị sự nghiệp thuộc UBND TP", None),
        ("thoi gian hoan thanh", "deadline"), ("co quan chu tri", "lead"),
        # lists of documents to draft: "Tên văn bản | Cơ quan chủ trì soạn thảo | Thời hạn trình"
        ("Tên văn bản quy định chi tiết", "task"), ("Cơ quan soạn thảo", "lead"), ("Đơn vị được giao", "lead"),
        ("Văn bản giao nhiệm vụ", "basis"), ("Nhiệm vụ được giao", "task"),
        # other ways to name who does it, by when, and on what basis
        ("Cơ quan tham mưu", "lead"), ("Lực lượng thực hiện", "lead"), ("Hạn xử lý", "deadline"),
        ("Ngày hoàn thành", "deadline"), ("Năm thực hiện", "deadline"), ("Số, ký hiệu văn bản", "basis"),
    ],
)
def test_column_roles_from_header_keywords(header: str, role: str | None) -> None:
    assert column_role(header) == role


def test_column_roles_are_read_together() -> None:
    # beside a task column, "Nội dung/sản phẩm" holds the product
    assert column_roles(["STT", "Nhiệm vụ", "Nội dung/sản phẩm", "Chủ trì"]) == ["stt", "task", "product", "lead"]
    # the phrase that comes first decides: leading and monitoring are different columns
    assert column_roles(["Cơ quan chủ trì theo dõi, đánh giá", "Theo dõi, kiểm tra, đôn đốc"]) == ["lead", "monitor"]
    assert column_roles(["Thuộc nhóm nhiệm vụ", "Nhiệm vụ, giải pháp", "Đơn vị tính"]) == ["group", "task", "unit"]


def test_inline_assignment_forms() -> None:
    assert inline_assignment("Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ thẩm định.") == (
        ["Sở Tài chính"], ["Sở Nội vụ"])
    assert inline_assignment("Kế hoạch do Văn phòng UBND tỉnh chủ trì xây dựng.") == (["Văn phòng UBND tỉnh"], [])
    assert inline_assignment("Sở Nội vụ có trách nhiệm tổng hợp.") == (["Sở Nội vụ"], [])
    assert inline_assignment("- Sở Công Thương: chủ trì kiểm tra thị trường.") == (["Sở Công Thương"], [])
    assert inline_assignment("Các cơ quan tăng cường kiểm tra.") == ([], [])
    assert inline_assignment("Kinh phí thành phố giao Sở Nội vụ trong dự toán năm.") == ([], [])
    # the issuer issuing this very document gives nobody a task; a task to issue a plan does
    assert inline_assignment("Ủy ban nhân dân thành phố Cần Thơ ban hành Kế hoạch giám sát Chương trình năm 2025 "
                             "(sau đây gọi tắt là Chương trình), với nội dung cụ thể như sau:") == ([], [])
    assert inline_assignment("Sở Y tế ban hành kế hoạch tiêm chủng trong quý I/2026.") == (["Sở Y tế"], [])


RESOLUTION = """CHÍNH PHỦ

Số: 12/NQ-CP

Hà Nội, ngày 3 tháng 3 năm 2025

NGHỊ QUYẾT
Về các giải pháp khắc phục hậu quả mưa lũ

QUYẾT NGHỊ:

1. Bảo đảm an sinh xã hội

Bộ Tài chính chỉ đạo Bảo hiểm
xã hội Việt Nam:

a) Chi trả gộp hai tháng lương hưu cho người thụ hưởng tại các xã bị ngập lụt trong tháng 4 năm 2025.

b) Khẩn trương cấp lại thẻ bảo hiểm y tế bị mất do lũ.

2. Khôi phục trường học

Các bộ, cơ quan có trách nhiệm:
- Rà soát cơ sở vật chất bị hư hại; số liệu được cập nhật trong năm 2025, báo cáo gửi Bộ Giáo dục và Đào tạo trước ngày 15 tháng 4 năm 2025.
"""


def test_items_under_a_lead_in_go_to_the_agency_it_names() -> None:
    """"X chỉ đạo Y:" hands the lettered items below to Y, and a day outranks a year as the deadline."""
    _, _, tasks = parse(RESOLUTION)
    got = [(t.lead, t.deadline) for t in prose(tasks)]
    assert got == [
        (["Bảo hiểm xã hội Việt Nam"], "trong tháng 4 năm 2025"),
        (["Bảo hiểm xã hội Việt Nam"], None),
        (["Các bộ, cơ quan"], "trước ngày 15 tháng 4 năm 2025"),
    ]


DIRECTED = """IV. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường chỉ đạo Chi cục Thủy sản thực hiện các nội dung sau:
- Lập dự toán kinh phí quan trắc môi trường.
- Phối hợp với UBND các xã, phường và các đơn vị liên quan triển khai Kế hoạch quan trắc.
2. Sở Y tế chủ trì, phối hợp với Sở Tài chính thực hiện các chương trình sau:
- Nâng cao năng lực ứng phó thiên tai cho người khuyết tật;
- Tập huấn sơ cấp cứu cho cộng đồng.
3. Sở Văn hóa và Thể thao chủ trì tổ chức các hoạt động truyền thông:
- Treo băng rôn, khẩu hiệu tại các tuyến đường chính;
+ Sở Xây dựng đăng tải thông điệp trên bảng quang báo giao thông.
"""


def test_work_handed_down_and_partners_shared() -> None:
    """"X chỉ đạo Y thực hiện …:" gives the work to Y; partners a heading names are every duty's;
    a sub-item opened by its own agency is that agency's."""
    _, _, tasks = parse(DIRECTED)
    got = {t.duty.split()[0] + " " + t.duty.split()[1]: (t.lead, t.support) for t in tasks}
    assert got["Lập dự"] == (["Chi cục Thủy sản"], [])
    assert got["Phối hợp"] == (["Chi cục Thủy sản"], ["UBND các xã, phường và các đơn vị liên quan"])
    assert got["Nâng cao"] == (["Sở Y tế"], ["Sở Tài chính"])
    assert got["Tập huấn"] == (["Sở Y tế"], ["Sở Tài chính"])
    assert got["Sở Xây"][0] == ["Sở Xây dựng"]


def test_agency_name_ends_where_the_sentence_goes_on() -> None:
    from indexer.agencies import agency_phrase

    assert agency_phrase("Sở Xây dựng đăng tải thông điệp") == "Sở Xây dựng"
    assert agency_phrase("Chi cục Biển đảo và Thủy sản trực tiếp thực hiện") == "Chi cục Biển đảo và Thủy sản"
    assert agency_phrase("Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh:") == \
        "Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh"
    assert agency_phrase("Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh chủ trì") == \
        "Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh"
    # lowercase words that names hold do not count against the name ("Phát triển quỹ đất")
    assert agency_phrase("Trung tâm Phát triển quỹ đất tỉnh chủ trì") == "Trung tâm Phát triển quỹ đất tỉnh"
    assert agency_phrase("UBND các huyện, thị xã, thành phố phổ biến nội dung") == "UBND các huyện, thị xã, thành phố"


WRAPPED_NAMES = """IV. TỔ CHỨC THỰC HIỆN

1. Bộ Tư lệnh
Thành phố chủ trì, phối hợp với Sở Nông nghiệp và Môi trường đưa nội dung phòng chống thiên tai vào kế hoạch bồi dưỡng.

2. Sở Tài
chính chủ trì, phối hợp với Sở Nội vụ bố trí kinh phí thực hiện Kế hoạch.

3. Sở Y tế
- Chủ trì tập huấn sơ cấp cứu cho cộng đồng.
"""


def test_an_agency_name_broken_over_two_lines_is_read_whole() -> None:
    """A hard line break inside a name ("Sở Tài" / "chính", "Bộ Tư lệnh" / "Thành phố chủ trì …")
    does not cut the name, nor make its first half a heading."""
    _, _, tasks = parse(WRAPPED_NAMES)
    assert [(t.lead, t.support) for t in tasks] == [
        (["Bộ Tư lệnh Thành phố"], ["Sở Nông nghiệp và Môi trường"]),
        (["Sở Tài chính"], ["Sở Nội vụ"]),
        (["Sở Y tế"], []),
    ]


def test_an_item_wrapped_inside_a_two_part_name_keeps_the_name() -> None:
    """"e) Liên minh Hợp tác xã Việt" / "Nam và …": the wrap parts "Việt Nam", not a heading and a sentence."""
    doc = read_text("NGHỊ QUYẾT\nVề khắc phục thiên tai\n\nQUYẾT NGHỊ:\n\n1. Nhiệm vụ\n\n"
                    "e) Liên minh Hợp tác xã Việt\nNam và Liên minh Hợp tác xã cấp tỉnh rà soát, nghiên cứu "
                    "phương án khoanh nợ, giãn nợ.\n", "nq.txt")
    assert [t.lead for t in doc.tasks] == [["Liên minh Hợp tác xã Việt Nam", "Liên minh Hợp tác xã cấp tỉnh"]]


def test_list_questions_name_the_agency_given_the_work() -> None:
    from search_api.questions import understand

    assert understand("KH 552 giao Liên hiệp các Hội KH&KT những việc gì?").agency == "lien hiep cac hoi kh&kt"
    assert understand("Văn phòng UBND tỉnh phải làm ngay những việc gì?").agency == "van phong ubnd tinh"
    assert understand("ke hoach giao so nong nghiep va moi truong lam nhung viec gi").agency == (
        "so nong nghiep va moi truong")
