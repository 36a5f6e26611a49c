"""Question understanding: the kind of fact asked for, with or without diacritics."""

from __future__ import annotations

from datetime import date

import pytest

from indexer.deadlines import deadline_date, deadline_phrase
from indexer.normalise import fold_accents
from search_api.kinds import (
    BY_NAME,
    DOCUMENT_KINDS,
    FALLBACK,
    KINDS,
    QUESTION_KINDS,
    asks_for_lead,
    asks_for_list,
    classify,
    passage_may_answer,
    schema_description,
)
from search_api.questions import understand

KIND_CASES = [
    ("Đơn vị nào chịu trách nhiệm tổ chức đối thoại với doanh nghiệp?", "lead"),
    ("Ai là đầu mối triển khai một cửa liên thông?", "lead"),
    ("Sở nào được giao rà soát thủ tục hành chính?", "lead"),
    ("Cơ quan nào phối hợp thực hiện số hóa hồ sơ?", "support"),
    ("Sở Nội vụ phối hợp với những cơ quan báo chí nào để đăng bài?", "support"),
    ("Chỉ số cấp bộ không áp dụng với những cơ quan nào?", "passage"),  # a scope, not who does the work
    ("Đơn vị nào được giao hỗ trợ các xã triển khai?", "support"),
    ("Bộ nào chủ trì, phối hợp với Bộ Công an xây dựng Đề án?", "lead"),
    ("Đơn vị nào lo việc nâng tỷ lệ hồ sơ trực tuyến?", "lead"),  # who does it, though the task names a rate
    ("ai lo phần dữ liệu về công chứng", "lead"),
    ("Thời hạn kiểm soát chặt chẽ các nội dung liên quan đến thủ tục là khi nào?", "deadline"),
    ("Ai hỗ trợ các xã triển khai ứng dụng AI?", "support"),
    ("Cơ quan nào chủ trì căn cứ nhiệm vụ được giao rà soát danh mục dữ liệu?", "lead"),  # the task's words
    ("Kế hoạch này căn cứ văn bản nào?", "basis"),
    ("Những nội dung nào được tuyên truyền?", "list"),  # the partner is named, the lead asked
    ("Giao sở nào tổng kết mô hình một cửa hỗ trợ phụ nữ?", "lead"),  # "hỗ trợ" names the model, not the role
    ("Quyết định 95/QĐ-UBND có hiệu lực từ ngày nào?", "effective"),
    ("ke hoach 12 can cu chuong trinh hanh dong nao cua tinh uy", "basis"),
    ("Số hóa hồ sơ phải xong trước ngày nào?", "deadline"),
    ("Khi nào hoàn thành đề án vị trí việc làm?", "deadline"),
    ("Hạn nộp báo cáo quý là khi nào?", "deadline"),
    ("Hạn gửi kế hoạch của các quận?", "deadline"),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn phải đạt bao nhiêu?", "target"),
    ("Chỉ tiêu dịch vụ công trực tuyến toàn trình năm nay?", "target"),
    ("Căn cứ pháp lý của Kế hoạch 28/KH-UBND là gì?", "basis"),
    ("Những nhiệm vụ nào do Sở Tư pháp chủ trì?", "list"),
    ("Nội dung tuyên truyền cải cách hành chính gồm những gì?", "passage"),
    ("Hạn chế những thủ tục nào?", "passage"),  # "hạn chế" (restrict) is not a deadline
]


@pytest.mark.parametrize(("question", "kind"), KIND_CASES, ids=[q for q, _ in KIND_CASES])
def test_kind_with_and_without_diacritics(question: str, kind: str) -> None:
    assert understand(question).kind == kind
    assert understand(fold_accents(question)).kind == kind
    assert understand(question.upper()).kind == kind


def test_ai_in_capitals_is_the_technology() -> None:
    """"được AI hỗ trợ" is not "ai hỗ trợ" (who supports); typed in capitals, the question cannot tell."""
    assert understand("Dịch vụ công được AI hỗ trợ phải đạt bao nhiêu phần trăm?").kind == "target"
    assert understand("dich vu cong duoc ai ho tro la gi").kind == "support"


def test_list_question_names_the_agency() -> None:
    assert understand("Những nhiệm vụ nào do Sở Tư pháp chủ trì?").agency == "so tu phap"
    assert understand("Viện Nghiên cứu phát triển KT-XH chủ trì những việc gì?").agency == "vien nghien cuu phat trien kt-xh"
    assert understand("Các nhiệm vụ do Sở KH&ĐT chủ trì?").agency == "so kh&dt"


def test_subject_terms_drop_the_question_frame() -> None:
    terms = understand("Cơ quan nào chủ trì xây dựng cơ sở dữ liệu đất đai?").subject_terms
    assert terms[:2] == ["xay", "dung"] and "co" in terms and "nao" not in terms and "chu" not in terms


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("Ai lo phần dữ liệu về công chứng?", ["du", "lieu", "cong", "chung"]),
        ("Sở nào lo việc lập kế hoạch chuyển đổi số?", ["lap", "ke", "hoach", "chuyen", "doi", "so"]),
        ("Lò đốt chất thải do ai quản lý?", ["lo", "dot", "chat", "thai", "quan", "ly"]),  # "lò" is a subject
        # a name shortened with "&" reads as the words texts print; "làm gì" frames the duty asked for
        ("Sở NN&MT phải làm gì với chủ mỏ đá?", ["so", "nong", "nghiep", "va", "moi", "truong", "chu", "mo", "da"]),
        # "hạn gửi" asks when; "hạn chế" is a subject
        ("Hạn gửi báo cáo là ngày nào?", ["gui", "bao", "cao"]),
        ("Ai phụ trách hạn chế rác thải nhựa?", ["han", "che", "rac", "thai", "nhua"]),
    ],
)
def test_colloquial_frames_and_shortened_names(question: str, terms: list[str]) -> None:
    assert understand(question).subject_terms == terms


def test_kinds_are_registered_once_with_one_fallback() -> None:
    assert len({k.name for k in KINDS}) == len(KINDS)
    assert [k.name for k in QUESTION_KINDS] == [
        "lead", "support", "role", "ranked", "deadline", "target", "basis", "list", "effective", "relation", "in_force", "reference",
        "passage"]
    assert [k.name for k in DOCUMENT_KINDS] == ["signer", "document"]  # tried in this order
    assert FALLBACK.name == "passage" and classify("xin chao") == "passage"


def test_the_detector_with_the_lower_priority_wins() -> None:
    """"Chủ trì những nhiệm vụ nào" also reads as a lead question; the list detector comes first."""
    folded = understand("Sở Tư pháp chủ trì những nhiệm vụ nào?").folded
    assert asks_for_list(folded) and asks_for_lead(folded)
    assert BY_NAME["list"].priority < BY_NAME["lead"].priority and classify(folded) == "list"


@pytest.mark.parametrize(
    ("question", "allowed"),
    [
        ("Tỷ lệ hồ sơ giải quyết đúng hạn phải đạt bao nhiêu?", True),
        ("Cơ quan nào chủ trì kiểm tra công vụ?", True),
        ("Căn cứ pháp lý của Kế hoạch 28/KH-UBND là gì?", False),  # a basis answers from the Căn cứ or not at all
        ("Những nhiệm vụ nào do Sở Tư pháp chủ trì?", False),
        ("Ai ký kế hoạch chuyển đổi số?", False),  # a lead question by its words, but it asks for a signature
    ],
)
def test_when_a_passage_may_stand_in(question: str, allowed: bool) -> None:
    assert passage_may_answer(understand(question)) is allowed


def test_labels_and_schema_come_from_the_registry() -> None:
    from web.routes import KIND_LABELS

    assert KIND_LABELS == {k.name: k.label for k in QUESTION_KINDS}
    assert schema_description().splitlines()[0] == (
        "lead | support | role | ranked | deadline | target | basis | list | effective | relation | in_force | reference | passage")
    assert all(f"- {k.name}: {k.description}" in schema_description() for k in QUESTION_KINDS)


@pytest.mark.parametrize(
    ("printed", "last_day"),
    [
        ("Quý I/2022", date(2022, 3, 31)),
        ("Trước ngày 15/02/2022", date(2022, 2, 15)),
        ("T10/2022", date(2022, 10, 31)),
        ("6 tháng đầu năm 2023", date(2023, 6, 30)),
        ("Năm 2024", date(2024, 12, 31)),
        ("Theo hướng dẫn của Bộ Nội vụ", None),
        ("Thường xuyên", None),
    ],
)
def test_deadline_date_is_the_last_day_allowed(printed: str, last_day: date | None) -> None:
    assert deadline_date(printed) == last_day


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Cấp huyện tổng kết trong quý II năm 2020; báo cáo gửi Sở trước **20/6/2020**.", "trước 20/6/2020"),
        ("Các phòng gửi báo cáo chậm nhất ngày 15 tháng 3 năm 2023.", "chậm nhất ngày 15 tháng 3 năm 2023"),
        ("Hoàn thành trong Quý I/2022.", "trong Quý I/2022"),
        ("Thời hạn: 30/9/2024", "Thời hạn: 30/9/2024"),
        # report regimes name a recurring day instead of a date
        ("UBND Thành phố nhận báo cáo chậm nhất ngày 15 của tháng cuối kỳ báo cáo.", "chậm nhất ngày 15 của tháng cuối kỳ báo cáo"),
        ("Gửi báo cáo tháng trước ngày 20 hằng tháng.", "trước ngày 20 hằng tháng"),
        ("Họp giao ban vào ngày 5 hằng tháng.", None),
        # the issue date of a cited document is not a deadline
        ("Căn cứ Quyết định số 4042/QĐ-UBND ngày 27/8/2021 của UBND Thành phố;", None),
        ("Bà Nguyễn Thị Hân 10/10/2020 ký.", None),
    ],
)
def test_deadline_phrase_needs_a_word_of_obligation(sentence: str, phrase: str | None) -> None:
    assert deadline_phrase(sentence) == phrase


@pytest.mark.parametrize(
    ("question", "figure", "not_figure"),
    [
        ("Bộ tiêu chí gồm bao nhiêu tiêu chí?", "gồm 8 lĩnh vực, 38 tiêu chí", "đạt 90%"),
        ("Phải đạt tổng điểm tối thiểu bao nhiêu để xếp loại tốt?", "từ 85 đến 100 điểm", "trước ngày 15 tháng 12"),
        ("Được xếp loại tốt khi đạt bao nhiêu điểm?", "Tổng số điểm đạt được từ 85 đến 100", "điểm mới của Kế hoạch"),
        ("Giải quyết mất mấy ngày?", "trong 45 ngày", "45 hồ sơ"),
        ("Có bao nhiêu thủ tục thuộc cấp xã?", "06 TTHC nội bộ cấp xã", "06 hồ sơ"),  # the abbreviation counts
        ("Tỉnh phải đạt chỉ số từ bao nhiêu trở lên thì xếp mức Xuất sắc?", None, None),
        # a counting word stands for its noun; "bao nhiêu phần" of something is a share
        ("In bao nhiêu cuốn tài liệu tuyên truyền?", "Số lượng: 5.000 cuốn.", "5.000 tài liệu"),
        ("Kinh tế số chiếm bao nhiêu phần GRDP?", "đạt 40% GRDP", "40 GRDP"),
        # a sum of money asked with no unit after "bao nhiêu"
        ("Mức phạt tiền đối với hành vi đốt rơm rạ là bao nhiêu?", "phạt tiền từ 2.000.000 đồng", "100% phụ phẩm"),
    ],
)
def test_the_measure_a_figure_is_asked_in(question: str, figure: str | None, not_figure: str | None) -> None:
    """"bao nhiêu tiêu chí" wants "<n> tiêu chí"; a noun before the question word counts too; "trở lên" is no unit."""
    import re

    from indexer.normalise import folded_form

    measure = understand(question).measure
    if figure is None:
        assert measure is None
        return
    assert measure and re.search(measure, folded_form(figure)) and not re.search(measure, folded_form(not_figure))


def test_which_agency_is_asked_is_no_subject() -> None:
    """"trung tâm nào", "những bộ nào" ask who; their words would otherwise be matched as the topic."""
    terms = understand("Trung tâm nào phối hợp với Sở Nội vụ công bố chỉ số cải cách hành chính?").subject_terms
    assert terms[:2] == ["so", "noi"] and "trung" not in terms
    assert "bo" not in understand("Những bộ nào được giao xây dựng cơ sở dữ liệu quốc gia?").subject_terms


def test_function_words_are_told_apart_by_their_accents() -> None:
    """Folded, "tại" is "tài" and "về" is "vệ": with accents only the function words are dropped."""
    terms = understand("Hạn gửi số liệu về Bộ Tài chính tại Hà Nội là ngày nào?").subject_terms
    assert "tai" in terms and "chinh" in terms
    terms = understand("Đề án bảo vệ dữ liệu cá nhân do cơ quan nào chủ trì?").subject_terms
    assert terms[:4] == ["de", "an", "bao", "ve"]
    # typed without accents nothing tells them apart: every folded function word goes
    assert "ve" not in understand("de an bao ve du lieu ca nhan do co quan nao chu tri?").subject_terms


def test_a_rank_is_asked_as_a_rank() -> None:
    """"xếp thứ mấy" is answered by "thứ 12" or "dẫn đầu", never by any other figure of the passage."""
    import re

    from indexer.normalise import folded_form

    measure = understand("Chỉ số CCHC năm 2025 của tỉnh xếp thứ mấy trong cả nước?").measure
    assert measure is not None
    assert re.search(measure, folded_form("tỉnh xếp thứ 12/34 tỉnh, thành phố"))
    assert not re.search(measure, folded_form("đạt 85,2% và thu hút đầu tư 1.200 tỷ đồng"))


@pytest.mark.parametrize(
    ("question", "doc_type", "issuer"),
    [
        ("Kế hoạch này dựa trên quyết định nào của Bộ Xây dựng về chiến lược chuyển đổi số?", "quyet dinh", "bo xay dung"),
        ("danh muc mo duoc ap dung co che dac thu theo nghi quyet nao cua chinh phu?", "nghi quyet", "chinh phu"),
        ("Số liệu thu thập theo mẫu biểu của thông tư nào?", "thong tu", None),
        ("Văn bản gốc bị bãi bỏ là quyết định số mấy?", "quyet dinh", None),
    ],
)
def test_which_cited_document_is_asked(question: str, doc_type: str, issuer: str | None) -> None:
    from search_api.cited import asked_reference, without_asked_reference

    folded = understand(question).folded
    asked = asked_reference(folded)
    assert understand(question).kind == "reference"
    assert asked is not None and (asked.doc_type, asked.issuer) == (doc_type, issuer)
    assert doc_type not in without_asked_reference(folded)  # what is left describes the citing document


@pytest.mark.parametrize(
    ("number", "issuer", "issued"),
    [
        ("1644/QĐ-BXD", "bo xay dung", True),  # a code is the initials of the issuer's name
        ("10/2022/TT-BLĐTBXH", "bo lao dong thuong binh va xa hoi", True),
        ("66.4/2025/NQ-CP", "chinh phu", True),  # a known national code
        ("15/2025/QĐ-TTg", "thu tuong chinh phu", True),
        ("42/2018/QĐ-UBND", "ubnd tinh", True),
        ("1644/QĐ-BXD", "bo tai chinh", False),
        ("66.4/2025/NQ-CP", "bo xay dung", False),
    ],
)
def test_a_cited_document_is_matched_to_its_issuer_by_its_code(number: str, issuer: str, issued: bool) -> None:
    from indexer.records import Reference
    from search_api.cited import issued_by

    assert issued_by(Reference(doc_id="x", mention=number, number=number), issuer) is issued
