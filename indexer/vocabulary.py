"""The words of Vietnamese administrative documents, kept as data in one place.

Every rule that recognises a column, an agency, an abbreviation or a document
type reads these tables, so supporting a new wording is an edit here, not a new
regular expression somewhere. Phrases are written in *folded* form (lower case,
no diacritics, đ → d) unless a comment says otherwise: table headers, OCR'd
scans and questions typed without accents all meet them the same way.

Sources: Nghị định 30/2020/NĐ-CP (document types, layout), the appendix tables
and assignment sentences of plans, decisions and letters from many issuers.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Table columns
# ---------------------------------------------------------------------------

# What a column holds, by the meaning of its header. A header may contain
# several phrases ("Cơ quan chủ trì theo dõi, đánh giá", "Nhiệm vụ, giải pháp",
# "Thuộc nhóm nhiệm vụ"): the phrase that starts first wins, then the longest.
COLUMN_PHRASES: dict[str, tuple[str, ...]] = {
    # who leads: "Cơ quan chủ trì", "Đơn vị chủ trì tham mưu thực hiện", "Đơn vị thực hiện",
    # "Trách nhiệm thực hiện", "Đơn vị thống kê, báo cáo" (statistics tables name a reporting unit)
    "lead": (
        "chu tri", "co quan thuc hien", "don vi thuc hien", "trach nhiem thuc hien", "trach nhiem chinh",
        "chiu trach nhiem", "to chuc thuc hien", "bo phan thuc hien", "nguoi thuc hien", "noi thuc hien",
        "don vi thong ke", "co quan thong ke", "phu trach", "dau moi", "co quan, don vi thuc hien",
        "co quan/don vi thuc hien", "don vi tham muu", "co quan tham muu", "duoc giao", "soan thao",
        "luc luong thuc hien",
    ),
    "support": ("phoi hop", "co quan phoi hop", "don vi phoi hop", "tham gia"),
    "monitor": ("theo doi", "don doc", "giam sat"),
    "deadline": (
        "thoi gian", "thoi han", "tien do", "han hoan thanh", "moc thoi gian", "thoi diem", "lo trinh",
        "han xu ly", "ngay hoan thanh", "nam hoan thanh", "nam thuc hien",
    ),
    "product": ("san pham", "ket qua dau ra", "ket qua du kien", "hinh thuc van ban"),
    "result": ("ket qua", "chi tieu dat duoc", "muc tieu dat duoc", "tinh trang"),
    "budget": ("kinh phi", "nguon von", "du toan", "nguon luc", "tong muc dau tu"),
    "unit": ("don vi tinh", "dvt"),
    "basis": ("van ban giao", "can cu", "co so phap ly", "van ban chi dao", "so, ky hieu", "so ky hieu"),
    "group": ("thuoc nhom", "linh vuc", "nhom nhiem vu"),
    "objective": ("muc tieu",),
    "activities": ("hoat dong", "giai phap"),
    "task": (
        "nhiem vu", "noi dung", "cong viec", "chi tieu", "tieu chi", "de an", "du an", "ten nhiem vu",
        "chuong trinh", "cong trinh", "ten van ban",
    ),
    "note": ("ghi chu",),
}
# How a total row under a table opens ("Tổng cộng: 25 nhiệm vụ", "Cộng"), folded: it counts, it assigns nothing.
TOTAL_ROW_WORDS = ("tong cong", "tong so", "tong", "cong")
# Headers of the row-number column, whole.
STT_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "s tt", "thu tu"})

# Labels of a field written inside a list item or paragraph ("- Cơ quan chủ trì: Sở Tư pháp",
# "*Thời gian thực hiện:* Quý II/2026"): the same meanings as table columns.
FIELD_LABEL_ROLES = ("lead", "support", "deadline", "product", "result", "budget", "monitor")

# ---------------------------------------------------------------------------
# Document types (printed spelling; the one list the whole product uses)
# ---------------------------------------------------------------------------

DOC_TYPE_NAMES_PRINTED = (
    "Quyết định", "Kế hoạch", "Nghị quyết", "Nghị định", "Thông tư", "Thông tư liên tịch",
    "Chỉ thị", "Chương trình", "Tờ trình", "Báo cáo", "Thông báo", "Hướng dẫn", "Công văn",
    "Công điện", "Quy chế", "Quy định", "Kết luận", "Phương án", "Đề án", "Dự án",
    "Biên bản", "Giấy mời", "Thông cáo", "Thông tri", "Pháp lệnh", "Lệnh", "Sắc lệnh",
    "Hiến pháp", "Bộ luật", "Luật",
)
# All-caps titles that open a document or an attached part ("KẾ HOẠCH", "QUY CHẾ"), folded.
DOC_TITLE_WORDS = frozenset({
    "quyet dinh", "ke hoach", "quy dinh", "quy che", "huong dan", "chuong trinh", "de an", "bao cao",
    "thong bao", "nghi quyet", "chi thi", "de cuong bao cao", "de cuong", "cong van", "to trinh",
    "phuong an", "luat", "nghi dinh", "thong tu", "cong dien", "ket luan", "danh muc", "quy trinh",
    "thong bao ket luan",
})

# ---------------------------------------------------------------------------
# Agencies
# ---------------------------------------------------------------------------

# Head nouns of organisations (printed, lower case). The single-syllable ones must be
# capitalised (or follow "các") to count, so that "số", "bộ phận", "ban hành" do not.
ORG_HEADS = (
    "ủy ban nhân dân", "ubnd", "hđnd", "hội đồng nhân dân", "ủy ban mặt trận", "ubmttq", "mặt trận",
    "văn phòng", "vp", "vpub", "chi cục", "tổng cục", "cục", "sở", "bộ chỉ huy", "bộ tư lệnh", "bộ",
    "ban quản lý", "ban chỉ đạo", "bcđ", "ban", "vụ", "viện kiểm sát", "viện", "trung tâm", "phòng",
    "thanh tra", "công an", "trường", "đài", "báo", "kho bạc", "bảo hiểm xã hội", "ngân hàng", "tòa án",
    "thành ủy", "tỉnh ủy", "huyện ủy", "quận ủy", "đảng ủy", "liên đoàn", "hội", "đoàn", "cổng",
    "quỹ", "tổng công ty", "công ty", "bưu điện", "học viện", "đại học", "bệnh viện", "ủy ban",
    "chi nhánh", "hạt", "đội", "tổ công tác", "hội đồng", "tỉnh đoàn", "thành đoàn", "huyện đoàn",
    "tập đoàn", "kiểm toán nhà nước", "chính phủ", "quốc hội", "tổ giúp việc", "liên hiệp", "liên minh", "hiệp hội",
)
# People who are given work in their office's name ("Giám đốc Sở …", "Chủ tịch UBND …").
POSITION_HEADS = (
    "giám đốc", "phó giám đốc", "thủ trưởng", "chủ tịch", "phó chủ tịch", "chánh văn phòng",
    "người đứng đầu", "trưởng ban", "trưởng phòng", "hiệu trưởng", "tổng giám đốc", "cục trưởng",
    "viện trưởng", "chánh thanh tra", "bí thư", "lãnh đạo", "bộ trưởng", "thứ trưởng", "tổng cục trưởng",
    "thủ tướng", "phó thủ tướng", "các đồng chí", "đồng chí",
)
# Heads that are also ordinary words: they need a capital and a name after them.
AMBIGUOUS_HEADS = frozenset({
    "sở", "bộ", "ban", "cục", "vụ", "viện", "phòng", "đài", "báo", "hội", "đoàn", "trường",
    "quỹ", "cổng", "hạt", "đội", "vp", "lãnh đạo", "thường trực", "cơ quan", "đồng chí",
})
# Head noun + next word that make a common word, not an agency.
NOT_AGENCIES = frozenset({
    "trường hợp", "báo cáo", "ban hành", "hội nghị", "hội thảo", "đội ngũ", "bộ luật", "bộ máy", "bộ hồ",
    "bộ tiêu", "bộ phận", "phòng ngừa", "phòng chống", "viện dẫn", "quỹ đất", "đoàn kết", "sở hữu", "cục bộ",
    "đài thọ", "vụ việc", "vụ án", "bộ công cụ", "bộ chỉ số", "bộ dữ liệu", "trường học", "cơ quan nhà",
})
# Plural groups that are assigned work as a whole ("các cơ quan, đơn vị có liên quan").
GENERIC_GROUPS = ("các cơ quan", "các đơn vị", "cơ quan", "đơn vị", "các tổ chức", "các sở", "các ngành",
                  "các bộ", "các địa phương", "các tỉnh", "các thành phố")

# Words a name keeps in lower case when it is printed in capitals and written back
# ("ỦY BAN NHÂN DÂN CÁC XÃ, PHƯỜNG" → "Ủy ban nhân dân các xã, phường"). Printed, lower case.
LOWERCASE_IN_NAMES = frozenset("các những và của tỉnh huyện xã phường quận thị trấn thành phố cấp trực thuộc".split())

# Abbreviations officials write for agencies and places, folded, → folded full form.
# Used to compare names ("Sở KH&CN" = "Sở Khoa học và Công nghệ") and to read questions.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ubmttq": "uy ban mat tran to quoc",
    "mttq": "mat tran to quoc",
    "tp": "thanh pho",
    "tp.": "thanh pho",
    "vp": "van phong",
    "vpub": "van phong uy ban nhan dan",
    "vpcp": "van phong chinh phu",
    "ub": "uy ban",
    "bcd": "ban chi dao",
    "ttg": "thu tuong chinh phu",
    "tt&tt": "thong tin va truyen thong",
    "tttt": "thong tin va truyen thong",
    "kh&dt": "ke hoach va dau tu",
    "khdt": "ke hoach va dau tu",
    "kh&cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
    "gd&dt": "giao duc va dao tao",
    "gddt": "giao duc va dao tao",
    "nn&mt": "nong nghiep va moi truong",
    "nn&ptnt": "nong nghiep va phat trien nong thon",
    "tn&mt": "tai nguyen va moi truong",
    "tnmt": "tai nguyen va moi truong",
    "vh,tt&dl": "van hoa, the thao va du lich",
    "vhttdl": "van hoa, the thao va du lich",
    "vh&tt": "van hoa va the thao",
    "ld-tb&xh": "lao dong - thuong binh va xa hoi",
    "ldtbxh": "lao dong - thuong binh va xa hoi",
    "gtvt": "giao thong van tai",
    "snv": "so noi vu",
    "stp": "so tu phap",
    "stc": "so tai chinh",
    "bhxh": "bao hiem xa hoi",
    "nhnn": "ngan hang nha nuoc",
    "ttpvhcc": "trung tam phuc vu hanh chinh cong",
    "bnv": "bo noi vu",
    "btc": "bo tai chinh",
    "btp": "bo tu phap",
    "bca": "bo cong an",
    "bqp": "bo quoc phong",
}
# Document types as officials abbreviate them before a bare number ("QĐ 2913", "TB 624"), folded.
DOC_TYPE_ABBREVIATIONS: dict[str, str] = {
    "qd": "quyet dinh", "kh": "ke hoach", "cv": "cong van", "nq": "nghi quyet", "ct": "chi thi",
    "tb": "thong bao", "nd": "nghi dinh", "tt": "thong tu", "bc": "bao cao", "cd": "cong dien",
    "ttr": "to trinh",
}
# Abbreviations of what documents are about, folded → written out: a question that says
# "CCHC" or "CSDL" asks about text that says "cải cách hành chính" or "cơ sở dữ liệu".
TOPIC_ABBREVIATIONS: dict[str, str] = {
    "cchc": "cai cach hanh chinh", "tthc": "thu tuc hanh chinh", "csdl": "co so du lieu",
    "cds": "chuyen doi so", "khcn": "khoa hoc cong nghe", "dmst": "doi moi sang tao",
    "vbqppl": "van ban quy pham phap luat", "dvc": "dich vu cong", "dvctt": "dich vu cong truc tuyen",
    "cntt": "cong nghe thong tin", "kt-xh": "kinh te xa hoi", "ktxh": "kinh te xa hoi",
    "ptnt": "phat trien nong thon", "gpmb": "giai phong mat bang", "nsnn": "ngan sach nha nuoc",
    "mttq": "mat tran to quoc", "bhxh": "bao hiem xa hoi", "bhyt": "bao hiem y te",
    "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "tp": "thanh pho",
    **{k: v for k, v in DOC_TYPE_ABBREVIATIONS.items() if k != "tt"},  # "tt" is as often "thứ tự"
}

# ---------------------------------------------------------------------------
# Words that open a clause of assignment
# ---------------------------------------------------------------------------

# Verbs by which the issuer hands work to an agency ("Giao Sở X chủ trì …").
ASSIGNING_VERBS = ("giao", "đề nghị", "yêu cầu", "chỉ đạo", "phân công", "ủy quyền", "ủy nhiệm")
# Phrases by which an agency takes the lead in a sentence.
LEAD_VERBS = ("chủ trì", "chịu trách nhiệm", "có trách nhiệm", "là cơ quan đầu mối", "làm đầu mối",
              "là cơ quan thường trực", "tham mưu")

# ---------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------

# Provinces and centrally-run cities, as printed: the 34 since 1 July 2025 and the
# names they replaced (documents and officials use both). A question that names one
# asks about that place's documents.
PROVINCES = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
    "Hà Giang", "Yên Bái", "Bắc Kạn", "Hòa Bình", "Vĩnh Phúc", "Bắc Giang", "Hải Dương", "Thái Bình", "Hà Nam",
    "Nam Định", "Quảng Bình", "Thừa Thiên Huế", "Quảng Nam", "Kon Tum", "Bình Định", "Phú Yên", "Ninh Thuận",
    "Đắk Nông", "Bình Thuận", "Bình Phước", "Bình Dương", "Bà Rịa - Vũng Tàu", "Long An", "Tiền Giang",
    "Bến Tre", "Trà Vinh", "Sóc Trăng", "Hậu Giang", "Kiên Giang", "Bạc Liêu",
)
# Other ways a place is written (folded) → its folded name in PROVINCES.
PLACE_ALIASES = {
    "tp.hcm": "ho chi minh", "tphcm": "ho chi minh", "tp hcm": "ho chi minh", "hcm": "ho chi minh",
    "sai gon": "ho chi minh", "thanh pho hcm": "ho chi minh", "thua thien hue": "hue", "dak lak": "dak lak",
    "daklak": "dak lak", "ba ria vung tau": "ba ria - vung tau", "tp hn": "ha noi", "thu do": "ha noi",
}
# Central issuers a question may name as the one who assigns ("Thủ tướng giao …"), folded.
CENTRAL_ISSUERS = {
    "thu tuong chinh phu": "thu tuong chinh phu", "thu tuong": "thu tuong chinh phu",
    "chinh phu": "chinh phu", "van phong chinh phu": "van phong chinh phu", "vpcp": "van phong chinh phu",
}

# Words a printed line cannot end on when the sentence or name goes on: a line that ends
# with one was wrapped ("Giao Sở Nông nghiệp và Môi trường, Sở" / "Xây dựng …", "… của" /
# "Ủy ban …"). Lower case with diacritics (folded, "bản" of "văn bản" would be "ban").
DANGLING_WORDS = frozenset("và của các những với cho tại theo về từ đến trong số".split())
# Agency heads dangle only capitalised: "Sở" / "Xây dựng" is a wrapped name, "trụ sở." is not.
DANGLING_HEADS = frozenset("sở bộ ban ủy uỷ cục viện phòng".split())
