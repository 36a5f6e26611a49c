"""Answering on a document none of the rules were written from: a district plan built here.

It follows the usual conventions ("Giao Phòng X" sections with "Chủ trì, phối
hợp với …" items, a report regime with a recurring day, an abbreviated agency
name) so each test checks a general rule, not a seed document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.pipeline import build_index
from indexer.settings import Settings
from search_api.answer import Answerer
from search_api.kinds import KINDS, Kind
from search_api.state import IndexState

PLAN = """ỦY BAN NHÂN DÂN
QUẬN BA ĐÌNH

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 57/KH-UBND

Ba Đình, ngày 14 tháng 3 năm 2025

KẾ HOẠCH
Chuyển đổi số trong giải quyết thủ tục hành chính năm 2025

Thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2025 của UBND Thành phố về chuyển đổi số năm 2025, UBND quận ban hành Kế hoạch như sau:

I. MỤC TIÊU
1. Chỉ tiêu
- Tỷ lệ hồ sơ thủ tục hành chính được số hóa kết quả giải quyết đạt tối thiểu 90%.
- Cán bộ, công chức của quận được bồi dưỡng kỹ năng số, bảo đảm tỷ lệ đạt
tối thiểu 70% trong năm 2025.

II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Giao Phòng Văn hóa và Thông tin
- Chủ trì, phối hợp với Phòng Tư pháp xây dựng kho dữ liệu số về hộ tịch của quận, hoàn thành trong tháng 9/2025.
2. Giao Phòng Tư pháp
- Chủ trì, phối hợp với Phòng Văn hóa và Thông tin xây dựng kho dữ liệu số về chứng thực của quận, hoàn thành trong quý IV/2025.
3. Giao Trung tâm Nghiên cứu KT-XH quận
- Chủ trì khảo sát mức độ hài lòng của người dân về dịch vụ công trực tuyến, hoàn thành trong quý III/2025.
- Chủ trì đánh giá hiệu quả cổng thông tin điện tử của quận.
4. Giao Phòng Nội vụ
- Chủ trì thống kê hồ sơ lưu trữ điện tử theo mẫu biểu tại Thông tư số 01/2023/TT-VPCP ngày 05/4/2023 của Văn phòng Chính phủ, hoàn thành trong quý II/2025.

III. CHẾ ĐỘ BÁO CÁO
Các phòng chuyên môn gửi báo cáo tiến độ về UBND quận (qua Văn phòng HĐND và UBND quận) chậm nhất ngày 20 hằng tháng.

IV. KINH PHÍ
Kinh phí thực hiện Kế hoạch được bảo đảm từ ngân sách quận năm 2025.

V. CHỈ TIÊU XẾP HẠNG
Chỉ số chuyển đổi số của quận nằm trong 5 quận, huyện dẫn đầu Thành phố.

Nơi nhận:
- UBND Thành phố;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn Bình
"""
LETTER = """ỦY BAN NHÂN DÂN
QUẬN BA ĐÌNH

Số: 812/UBND-VP
V/v rà soát thủ tục hành chính

Ba Đình, ngày 02 tháng 6 năm 2025

Kính gửi: Các phòng chuyên môn thuộc UBND quận.

UBND quận yêu cầu các đơn vị thực hiện như sau:

1. Giao Phòng Tư pháp
- Chủ trì rà soát thủ tục hành chính lĩnh vực hộ tịch, hoàn thành trước ngày 30/6/2025.
"""

DECISION = """ỦY BAN NHÂN DÂN
QUẬN BA ĐÌNH

Số: 95/QĐ-UBND

Ba Đình, ngày 20 tháng 3 năm 2025

QUYẾT ĐỊNH
Về việc ban hành Quy chế quản lý kho dữ liệu số của quận

ỦY BAN NHÂN DÂN QUẬN BA ĐÌNH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Căn cứ Quyết định số 150/QĐ-TTg ngày 10/01/2025 của Thủ tướng Chính phủ phê duyệt Chương trình chuyển đổi số quốc gia;
Căn cứ Chương trình hành động số 05- CTr/QU ngày 03/3/2025 của Ban Thường vụ Quận ủy về chuyển đổi số;
Theo đề nghị của Trưởng phòng Văn hóa và Thông tin.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý kho dữ liệu số của quận.
Điều 2. Quyết định này có hiệu lực kể từ ngày 01 tháng 4 năm 2025.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn Bình
"""

RESULTS = """ỦY BAN NHÂN DÂN
QUẬN BA ĐÌNH

Số: 140/QĐ-UBND

Ba Đình, ngày 05 tháng 1 năm 2026

QUYẾT ĐỊNH
Công bố kết quả Chỉ số chuyển đổi số năm 2025 của các phòng chuyên môn

Điều 1. Công bố kết quả Chỉ số chuyển đổi số năm 2025 của các phòng chuyên môn (Phụ lục kèm theo).
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

PHỤ LỤC: KẾT QUẢ CHỈ SỐ CHUYỂN ĐỔI SỐ NĂM 2025

| Thứ hạng | Đơn vị | Điểm đạt được | Chỉ số chung | Xếp loại |
|---|---|---|---|---|
| 1 | Phòng Văn hóa và Thông tin | 88,10 | 92,50% | Tốt |
| 2 | Phòng Tài chính - Kế hoạch | 80,40 | 84,10% | Tốt |
| 3 | Phòng Tư pháp | 77,00 | 81,20% | Khá |
| 4 | Phòng Nội vụ | 70,15 | 74,60% | Khá |
"""


def answerer_over(root: Path, files: dict[str, str]) -> Answerer:
    """An answerer over ``files`` (name → text) indexed lexically under ``root``."""
    (root / "corpus").mkdir()
    for name, text in files.items():
        (root / "corpus" / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", dense=False)
    build_index(settings, None, progress=False)
    state = IndexState(settings)
    state.load()
    return state.current().answerer


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    return answerer_over(tmp_path_factory.mktemp("district"), {
        "kh_57_ba_dinh.txt": PLAN, "cv_812_ba_dinh.txt": LETTER, "qd_95_ba_dinh.txt": DECISION,
        "qd_140_ba_dinh.md": RESULTS})


@pytest.mark.parametrize(
    ("question", "lead", "support"),
    [
        # Two tasks share their subject and swap lead and partner: the agency the
        # question puts beside "phối hợp" is the lead of the task asked about.
        ("Ai phối hợp với Phòng Tư pháp xây dựng kho dữ liệu số?", "Phòng Tư pháp", "Phòng Văn hóa và Thông tin"),
        ("Phong Van hoa va Thong tin phoi hop voi ai xay dung kho du lieu so?", "Phòng Văn hóa và Thông tin", "Phòng Tư pháp"),
    ],
)
def test_support_question_names_the_lead(answerer: Answerer, question: str, lead: str, support: str) -> None:
    answer = answerer.ask(question)
    assert answer.found and answer.kind == "support"
    assert answer.lead == [lead] and answer.support == [support]
    assert answer.citations and answer.citations[0].source == "kh_57_ba_dinh.txt"


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Cơ quan nào chủ trì, phối hợp với Phòng Tư pháp xây dựng kho dữ liệu số?", "Phòng Văn hóa và Thông tin"),
        ("Phòng nào chủ trì phối hợp với Phòng Văn hóa và Thông tin xây dựng kho dữ liệu số?", "Phòng Tư pháp"),
    ],
)
def test_lead_question_naming_a_partner_asks_for_the_other_agency(answerer: Answerer, question: str, lead: str) -> None:
    """"Ai chủ trì, phối hợp với X …" asks who leads; X is the partner, never the answer."""
    answer = answerer.ask(question)
    assert answer.found and answer.kind == "lead"
    assert answer.lead == [lead]


def test_agency_named_elsewhere_is_not_taken_for_the_lead(answerer: Answerer) -> None:
    assert answerer.named_lead("Ai phối hợp với Phòng Tư pháp?") == "phong tu phap"
    assert answerer.named_lead("Cơ quan nào phối hợp khảo sát tại Phòng Tư pháp?") is None
    assert answerer.named_lead("Phòng nào cùng Phòng Tư pháp xây dựng kho dữ liệu số?") == "phong tu phap"


def test_list_of_an_agency_with_an_abbreviated_name(answerer: Answerer) -> None:
    answer = answerer.ask("Trung tâm Nghiên cứu KT-XH quận chủ trì những nhiệm vụ nào?")
    assert answer.found and answer.kind == "list"
    assert answer.lead == ["Trung tâm Nghiên cứu KT-XH quận"] and len(answer.citations) == 2
    assert ".." not in (answer.answer or "")


def test_recurring_report_day_answers_when(answerer: Answerer) -> None:
    answer = answerer.ask("Các phòng gửi báo cáo tiến độ khi nào?")
    assert answer.found and answer.kind == "deadline"
    assert answer.deadline == "chậm nhất ngày 20 hằng tháng"
    assert "III. CHẾ ĐỘ BÁO CÁO" in answer.citations[0].section


@pytest.mark.parametrize("question", ["57/KH-UBND", "Kế hoạch số 57/KH-UBND là gì?", "57/kh-ubnd", "Kế hoạch số 57"])
def test_a_document_number_alone_answers_with_that_document(answerer: Answerer, question: str) -> None:
    answer = answerer.ask(question)
    assert answer.found and answer.kind == "passage"
    assert answer.answer == (
        "Kế hoạch 57/KH-UBND ngày 14/03/2025 của UBND quận Ba Đình: "
        "Chuyển đổi số trong giải quyết thủ tục hành chính năm 2025."
    )
    assert answer.citations[0].doc_number == "57/KH-UBND" and answer.citations[0].url.startswith("/documents/kh_57_ba_dinh")


def test_a_number_not_in_the_corpus_is_not_answered_as_a_document(answerer: Answerer) -> None:
    answer = answerer.ask("99/KH-UBND")
    assert not answer.found or "99/KH-UBND" not in (answer.answer or "")


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("Kinh phí thực hiện kế hoạch chuyển đổi số lấy từ đâu?", "ngân sách quận"),
        ("Tỷ lệ số hóa kết quả giải quyết phải đạt bao nhiêu?", "90%"),
    ],
)
def test_passages_and_targets_are_quoted(answerer: Answerer, question: str, quoted: str) -> None:
    answer = answerer.ask(question)
    assert answer.found and quoted in (answer.answer or "") and quoted in answer.citations[0].quote


def test_question_about_something_absent_is_refused(answerer: Answerer) -> None:
    answer = answerer.ask("Ai chủ trì tổ chức giải chạy marathon quốc tế?")
    assert not answer.found and answer.answer is None and answer.citations == []


def test_a_sentence_wrapped_across_lines_is_quoted_whole(answerer: Answerer) -> None:
    """PDF text layers and OCR break sentences at the line end; the figure stays with its subject."""
    answer = answerer.ask("Tỷ lệ cán bộ công chức được bồi dưỡng kỹ năng số phải đạt bao nhiêu?")
    assert answer.found and answer.kind == "target" and "70" in (answer.target or "")
    assert answer.answer == "Cán bộ, công chức của quận được bồi dưỡng kỹ năng số, bảo đảm tỷ lệ đạt tối thiểu 70% trong năm 2025."


def test_a_question_about_a_named_document_reads_that_document(answerer: Answerer) -> None:
    """"Công văn 812 …" names the letter by type and bare number, as officials do."""
    scoped = answerer.ask("Công văn 812 giao Phòng Tư pháp những việc gì?")
    assert scoped.found and scoped.kind == "list" and len(scoped.citations) == 1
    assert scoped.citations[0].source == "cv_812_ba_dinh.txt"
    everywhere = answerer.ask("Phòng Tư pháp chủ trì những nhiệm vụ nào?")
    assert {c.source for c in everywhere.citations} == {"cv_812_ba_dinh.txt", "kh_57_ba_dinh.txt"}
    deadline = answerer.ask("Theo Kế hoạch số 57, các phòng chuyên môn gửi báo cáo tiến độ khi nào?")
    assert deadline.found and deadline.deadline == "chậm nhất ngày 20 hằng tháng"


def test_a_period_is_not_a_document_number(answerer: Answerer) -> None:
    """"Kế hoạch 5 năm" is a five-year plan, not a "Kế hoạch số 5"."""
    assert answerer.searcher.document_for_number("Kế hoạch 57 năm nay") is None
    assert answerer.searcher.document_for_number("Kế hoạch 57 của quận") is not None


def test_who_signed_comes_from_the_signature(answerer: Answerer) -> None:
    answer = answerer.ask("Kế hoạch 57/KH-UBND do ai ký?")
    assert answer.found and answer.answer == "Kế hoạch 57/KH-UBND ngày 14/03/2025 do Nguyễn Văn Bình ký."
    assert answer.kind == "lead"  # a document kind keeps the question's kind string ("ai" asks for an agent)
    assert "Nguyễn Văn Bình" in answer.citations[0].quote
    unsigned = answerer.ask("Công văn 812/UBND-VP do ai ký?")  # the letter's text carries no signature
    assert not unsigned.found and unsigned.citations == []


def test_a_ranking_is_a_target(answerer: Answerer) -> None:
    answer = answerer.ask("Chỉ số chuyển đổi số của quận phấn đấu đạt vị trí nào?")
    assert answer.found and answer.kind == "target" and "trong 5 quận" in (answer.answer or "")


@pytest.mark.parametrize(
    "question", ["Quyết định 95/QĐ-UBND có hiệu lực từ ngày nào?", "qd 95 co hieu luc khi nao"]
)
def test_when_a_document_takes_effect_comes_from_its_own_clause(answerer: Answerer, question: str) -> None:
    answer = answerer.ask(question)
    assert answer.found and answer.kind == "effective"
    assert answer.deadline is not None and "01 tháng 4 năm 2025" in answer.deadline
    assert "có hiệu lực kể từ ngày 01 tháng 4 năm 2025" in answer.citations[0].quote


def test_a_basis_question_naming_a_type_gets_the_bases_of_that_type(answerer: Answerer) -> None:
    answer = answerer.ask("Quyết định 95/QĐ-UBND căn cứ chương trình hành động nào của Ban Thường vụ Quận ủy?")
    assert answer.found and answer.answer is not None
    assert "Chương trình hành động số 05-CTr/QU" in answer.answer  # printed "05- CTr/QU"
    assert "150/QĐ-TTg" not in answer.answer
    every = answerer.ask("Căn cứ pháp lý của Quyết định 95/QĐ-UBND?")
    assert every.answer is not None and "3 văn bản" in every.answer


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_every_registered_kind_names_an_answerer_method(kind: Kind) -> None:
    """Handlers are named, not imported (answer.py imports the registry): a typo would fail only at ask time."""
    assert callable(getattr(Answerer, kind.handler, None))


def test_a_query_typed_without_diacritics_is_read_with_the_corpus_spelling(answerer: Answerer) -> None:
    searcher = answerer.searcher
    assert searcher.restore_accents("phong tu phap xay dung kho du lieu so") == "phòng tư pháp xây dựng kho dữ liệu số"
    assert searcher.restore_accents("Phòng Tư pháp") == "Phòng Tư pháp"


def test_a_figure_in_a_results_table_is_read_with_its_header(answerer: Answerer) -> None:
    """A row of a table of figures answers for the agency it names, quoted as printed."""
    answer = answerer.ask("Chỉ số chuyển đổi số năm 2025 của Phòng Tư pháp là bao nhiêu?")
    assert answer.found and "Chỉ số chung: 81,20%" in (answer.answer or "")
    assert answer.citations[0].source == "qd_140_ba_dinh.md"
    assert "Phòng Tư pháp | 77,00 | 81,20%" in answer.citations[0].quote


def test_a_year_the_documents_do_not_speak_of_is_refused(answerer: Answerer) -> None:
    """"… năm 2031" is not answered from a plan for 2025: the year asked is part of the question."""
    asked = "Tỷ lệ hồ sơ thủ tục hành chính được số hóa kết quả giải quyết phải đạt bao nhiêu trong năm {}?"
    assert answerer.ask(asked.format(2025)).found
    assert not answerer.ask(asked.format(2031)).found


def test_a_list_asked_with_giao_lists_every_task_of_the_agency(answerer: Answerer) -> None:
    """"… giao Phòng Tư pháp những nhiệm vụ gì?": "giao" frames the list; it does not pick tasks."""
    answer = answerer.ask("UBND quận Ba Đình giao Phòng Tư pháp những nhiệm vụ gì?")
    assert answer.found and answer.kind == "list"
    assert {c.source for c in answer.citations} == {"kh_57_ba_dinh.txt", "cv_812_ba_dinh.txt"}


def test_words_of_a_named_documents_title_still_tell_its_tasks_apart(tmp_path: Path) -> None:
    """A plan on communication names communication in most, not all, of its tasks: asked by its
    number, the question's words that are also in the title still pick the task."""
    plan = """ỦY BAN NHÂN DÂN
TỈNH THỬ NGHIỆM

Số: 12/KH-UBND

KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2026

I. NHIỆM VỤ
1. Giao Sở Văn hóa và Thể thao
- Chủ trì đưa tin trên báo chí về các hội nghị của tỉnh.
2. Giao Sở Nội vụ
- Chủ trì tuyên truyền cải cách hành chính trên báo chí của tỉnh.
"""
    answer = answerer_over(tmp_path, {"kh_12.txt": plan}).ask("Theo Kế hoạch 12/KH-UBND, cơ quan nào chủ trì tuyên truyền cải cách hành chính trên báo chí?")
    assert answer.found and answer.lead == ["Sở Nội vụ"]


def test_words_about_the_document_itself_do_not_pick_one_basis(tmp_path: Path) -> None:
    """"Công văn 5 được ban hành căn cứ những văn bản nào?" asks for every basis: "công văn",
    "được ban hành", "văn bản nào" say which document is asked about, not which of its bases."""
    letter = """SỞ GIÁO DỤC VÀ ĐÀO TẠO
TỈNH THỬ NGHIỆM

Số: 5/SGDĐT-GDTX

V/v hướng dẫn đánh giá trung tâm học tập cộng đồng

Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;
Căn cứ Thông tư số 11/2025/TT-BGDĐT ngày 12 tháng 6 năm 2025 ban hành Quy chế tổ chức trung tâm;
Căn cứ Công văn số 1144/GDĐT-GDTX ngày 10 tháng 4 năm 2019 về việc ban hành văn bản hướng dẫn;
Sở Giáo dục và Đào tạo hướng dẫn như sau:
1. Các trung tâm tự đánh giá trước ngày 15 tháng 12 hằng năm.
"""
    answer = answerer_over(tmp_path, {"cv_5.txt": letter}).ask("Công văn 5 được ban hành căn cứ những văn bản nào?")
    assert answer.found and answer.answer is not None and "3 văn bản" in answer.answer


def test_a_duty_given_to_two_agencies_names_both(tmp_path: Path) -> None:
    """A table grouped by agency repeats a duty under each agency that leads it: the answer names
    both, each with its row, not whichever scored a hair higher."""
    plan = """ỦY BAN NHÂN DÂN
TỈNH THỬ NGHIỆM

Số: 30/KH-UBND

KẾ HOẠCH
Kiểm soát ô nhiễm không khí năm 2026

PHỤ LỤC
| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |
|---|---|---|---|
| 1 | Giám sát công tác vận hành hệ thống quan trắc tự động tại các nguồn thải lớn | Sở Nông nghiệp và Môi trường | Thường xuyên |
| 2 | Xây dựng cơ sở dữ liệu phát thải của tỉnh | Sở Khoa học và Công nghệ | Năm 2026 |
| 3 | Giám sát công tác vận hành hệ thống quan trắc tự động tại các nguồn thải lớn | Ủy ban nhân dân các xã | Thường xuyên |
"""
    answerer = answerer_over(tmp_path, {"kh_30.md": plan})
    answer = answerer.ask("Cơ quan nào chủ trì giám sát vận hành hệ thống quan trắc tự động?")
    assert answer.found and answer.lead == ["Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân các xã"]
    assert [c.stt for c in answer.citations] == ["1", "3"]
    other = answerer.ask("Cơ quan nào chủ trì xây dựng cơ sở dữ liệu phát thải?")
    assert other.lead == ["Sở Khoa học và Công nghệ"] and len(other.citations) == 1


def test_coverage_reads_a_pair_that_ends_a_sentence() -> None:
    """"ký số." ends its sentence: the pair "ký số" is still there (the period once hid it, halving
    the coverage of every subject whose last words end a sentence)."""
    from search_api.evidence import Coverage

    coverage = Coverage(["Từ trên 70% văn bản được ký số.", "Sở Tư pháp chủ trì.", "Giai đoạn 2026-2030."])
    assert coverage(["ky", "so"], "a) Mục tiêu: Từ trên 70% văn bản được ký số.") == 1.0
    assert coverage(["ky", "so"], "Sở Tư pháp ký biên bản.") < 1.0  # both words, not as a pair


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("Phòng Nội vụ thống kê hồ sơ lưu trữ điện tử theo mẫu biểu của thông tư nào?", "01/2023/TT-VPCP"),
        ("thong ke ho so luu tru dien tu theo mau bieu tai thong tu nao cua Van phong Chinh phu", "01/2023/TT-VPCP"),
        ("Kế hoạch chuyển đổi số trong giải quyết thủ tục hành chính của quận Ba Đình thực hiện kế hoạch số mấy "
         "của UBND Thành phố?", "12/KH-UBND"),
    ],
)
def test_which_document_a_text_cites(answerer: Answerer, question: str, number: str) -> None:
    """"… theo thông tư nào (của X)?", "… kế hoạch số mấy?": the document the matching sentence cites."""
    answer = answerer.ask(question)
    assert answer.found and answer.kind == "reference"
    assert number in (answer.answer or "")
    assert answer.citations[0].source == "kh_57_ba_dinh.txt"


def test_a_cited_document_of_another_issuer_is_not_found(answerer: Answerer) -> None:
    """The sentence cites a circular of the Government Office, not of the Ministry asked about."""
    answer = answerer.ask("Thống kê hồ sơ lưu trữ điện tử theo mẫu biểu của thông tư nào của Bộ Tài chính?")
    assert answer.kind == "reference" and not answer.found


def test_basis_of_a_described_document_of_a_place_without_documents_is_not_found(answerer: Answerer) -> None:
    """The Ba Đình decision has grounds; a question about the same kind of decision of another
    province (no document of it here) is not answered from Ba Đình's."""
    assert answerer.ask("Quyết định về kho dữ liệu số của quận Ba Đình căn cứ văn bản nào?").found
    answer = answerer.ask("Quyết định về kho dữ liệu số của tỉnh Quảng Nam căn cứ văn bản nào?")
    assert answer.kind == "basis" and not answer.found


REPEAL = """ỦY BAN NHÂN DÂN
TỈNH THỬ NGHIỆM

Số: 31/2025/QĐ-UBND

Thử Nghiệm, ngày 20 tháng 11 năm 2025

QUYẾT ĐỊNH
Bãi bỏ Quyết định số 12/2019/QĐ-UBND ngày 10 tháng 5 năm 2019 của Ủy ban nhân dân tỉnh

ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;

QUYẾT ĐỊNH:

Điều 1. Bãi bỏ toàn bộ Quyết định số 12/2019/QĐ-UBND ngày 10 tháng 5 năm 2019 của Ủy ban nhân dân tỉnh ban hành quy định về quản lý nhà chung cư trên địa bàn tỉnh.
Điều 2. Quyết định này có hiệu lực kể từ ngày 01 tháng 12 năm 2025.
"""


def test_what_a_document_repeals_when_the_question_names_only_its_subject(tmp_path: Path) -> None:
    """"Tỉnh bãi bỏ quyết định nào về quản lý nhà chung cư?": no number, no title; the repealing document
    is the one whose text the question's words match, and the answer is the graph's edge."""
    answerer = answerer_over(tmp_path, {"qd_31_repeal.txt": REPEAL, "kh_57_ba_dinh.txt": PLAN})
    answer = answerer.ask("Tỉnh bãi bỏ toàn bộ quyết định nào về quản lý nhà chung cư?")
    assert answer.found and answer.kind == "relation"
    assert "12/2019/QĐ-UBND" in (answer.answer or "")
    assert answer.citations[0].source == "qd_31_repeal.txt"


COUNCIL = """ỦY BAN NHÂN DÂN
TỈNH THỬ NGHIỆM

Số: 88/QĐ-UBND

Thử Nghiệm, ngày 02 tháng 10 năm 2025

QUYẾT ĐỊNH
Thành lập Hội đồng thẩm định Chỉ số chuyển đổi số tỉnh

QUYẾT ĐỊNH:

Điều 1. Thành lập Hội đồng thẩm định Chỉ số chuyển đổi số tỉnh (gọi tắt là Hội đồng), gồm các thành viên sau:
1. Chủ tịch Hội đồng: Ông Lê Văn An - Giám đốc Sở Khoa học và Công nghệ.
2. Phó Chủ tịch Hội đồng: Bà Trần Thị Bình - Phó Giám đốc Sở Nội vụ.
3. Thư ký Hội đồng: Ông Phạm Văn Cường - Chuyên viên Sở Khoa học và Công nghệ.

Điều 2. Nhiệm vụ của Hội đồng
1. Hội đồng thẩm định kết quả tự đánh giá Chỉ số chuyển đổi số của các sở, ngành.
2. Sở Khoa học và Công nghệ là cơ quan thường trực của Hội đồng.
"""


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("Hội đồng thẩm định Chỉ số chuyển đổi số tỉnh do ai làm chủ tịch?", "Ông Lê Văn An - Giám đốc Sở Khoa học và Công nghệ"),
        ("Ai làm phó chủ tịch Hội đồng thẩm định Chỉ số chuyển đổi số?", "Bà Trần Thị Bình - Phó Giám đốc Sở Nội vụ"),
        ("hoi dong tham dinh chi so chuyen doi so thi co quan nao lam thuong truc?", "Sở Khoa học và Công nghệ"),
    ],
)
def test_who_holds_a_role_in_a_council(tmp_path_factory: pytest.TempPathFactory, question: str, who: str) -> None:
    """A decision setting up a body lists its members by role; the question names the role."""
    answerer = answerer_over(tmp_path_factory.mktemp("council"), {"qd_88_council.txt": COUNCIL, "kh_57_ba_dinh.txt": PLAN})
    answer = answerer.ask(question)
    assert answer.found and answer.kind == "role"
    assert answer.lead == [who] and answer.citations[0].source == "qd_88_council.txt"


def test_a_role_stated_with_la_and_a_role_nobody_is_listed_in() -> None:
    from search_api.roles import holder

    assert holder("Cơ quan thường trực của Ban Chỉ đạo là Bộ Công an.", "thuong truc") == "Bộ Công an"
    assert holder("Chủ tịch Hội đồng là ông Nguyễn Văn A, Giám đốc Sở Nội vụ.", "chu tich") == (
        "ông Nguyễn Văn A, Giám đốc Sở Nội vụ")
    assert holder("2. Phó Chủ tịch Hội đồng: Bà Trần Thị Bình.", "chu tich") is None  # a deputy is not the chair


def test_a_role_no_member_line_names_is_answered_as_who_does_the_work(answerer: Answerer) -> None:
    answer = answerer.ask("Phòng nào làm thường trực xây dựng kho dữ liệu số về hộ tịch của quận?")
    assert answer.found and answer.kind == "lead" and answer.lead == ["Phòng Văn hóa và Thông tin"]


NOTICE = """ỦY BAN NHÂN DÂN
TỈNH THỬ NGHIỆM

Số: 40/TB-UBND

Thử Nghiệm, ngày 10 tháng 4 năm 2026

THÔNG BÁO
Kết luận về tiến độ dự án đường vành đai

II. NHIỆM VỤ
1. Đối với công tác chuẩn bị
a) Đối với Nhà đầu tư: khẩn trương nộp hồ sơ thiết kế kỹ thuật trước ngày 28/4/2026; khẩn trương lập báo cáo điều chỉnh phương án tuyến qua khu dân cư từ Km12 đến Km15, đánh giá tác động và tính khả thi của phương án; hoàn thành báo cáo gửi Ban Quản lý dự án trước ngày 05/5/2026.
b) Sở Xây dựng chủ trì thẩm định hồ sơ thiết kế, hoàn thành trước ngày 30/4/2026.
"""


def test_a_clause_is_dated_by_the_date_that_closes_its_item(tmp_path: Path) -> None:
    """"…; khẩn trương lập báo cáo điều chỉnh …; hoàn thành báo cáo … trước ngày 05/5/2026.": the clause
    asked about has no date of its own; the one that closes its item is its deadline."""
    answerer = answerer_over(tmp_path, {"tb_40.txt": NOTICE})
    answer = answerer.ask("Nhà đầu tư phải xong báo cáo điều chỉnh phương án tuyến qua khu dân cư trước ngày nào?")
    assert answer.found and answer.kind == "deadline"
    assert answer.deadline == "trước ngày 05/5/2026"


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("Phòng nào đứng đầu Chỉ số chuyển đổi số năm 2025 của quận?", "Phòng Văn hóa và Thông tin"),
        ("phong nao xep cuoi chi so chuyen doi so nam 2025", "Phòng Nội vụ"),
    ],
)
def test_who_tops_or_ends_a_ranking(answerer: Answerer, question: str, who: str) -> None:
    """A results table read by its rank column: the first or the last row, not a row that matches words."""
    answer = answerer.ask(question)
    assert answer.found and answer.kind == "ranked"
    assert answer.lead == [who] and answer.citations[0].source == "qd_140_ba_dinh.md"


def test_a_ranking_is_read_by_its_rank_or_its_score() -> None:
    from search_api.ranking import ranked_row

    table = "STT | Địa phương | Điểm đạt được\n1 | Tỉnh A | 80,5\n2 | Tỉnh B | 91,25\n3 | Tỉnh C | 77"
    assert ranked_row(table, "tinh nao dung dau") == ("Tỉnh B", "2 | Tỉnh B | 91,25")  # a score beats a row number
    assert ranked_row(table, "tinh nao thap nhat") == ("Tỉnh C", "3 | Tỉnh C | 77")
    assert ranked_row("Nội dung | Kết quả\nA | 1\nB | 2", "don vi nao dung dau") is None  # no unit column
