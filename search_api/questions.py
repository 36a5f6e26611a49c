"""Question understanding: what kind of fact is asked for, and about what.

The kind comes from the detectors registered in ``search_api.kinds`` (the
ordinary ways Vietnamese officials ask: "cơ quan nào chủ trì", "phối hợp với ai",
"khi nào / thời hạn", "bao nhiêu / tỷ lệ", "căn cứ pháp lý", "những nhiệm vụ nào
do X chủ trì"); this module finds what the question is about: its subject words
and, for a list, the agency. Matching runs on the accent-folded, lower-cased
question so both spellings share one rule set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.agencies import agency_phrase
from indexer.assignments import subject_before
from indexer.normalise import folded_form, has_diacritics
from indexer.vocabulary import ABBREVIATIONS, PROVINCES, TOPIC_ABBREVIATIONS

PROVINCE_KEYS = frozenset(folded_form(p) for p in PROVINCES)
from search_api.kinds import classify

# Phrases that frame a question but say nothing about its subject (folded form);
# removed as whole phrases so that "cơ sở dữ liệu" keeps its "cơ sở".
_FRAME_PHRASES = sorted(
    [
        "co quan nao", "don vi nao", "so nao", "ban nao", "nganh nao", "cap nao", "noi nao", "bo phan nao",
        "to chuc nao", "ai la", "la ai", "chu tri", "chiu trach nhiem", "duoc giao", "giao cho", "dau moi",
        "phu trach", "dam nhiem", "dam nhan", "lo viec", "lo phan", "co trach nhiem", "phoi hop", "cung voi", "khi nao", "bao gio", "luc nao", "thoi han", "han chot",
        "han hoan thanh", "thoi gian hoan thanh", "hoan thanh", "truoc ngay nao", "den ngay nao", "ngay nao",
        "thang nao", "quy nao", "nam nao", "den khi nao", "bao lau", "han cuoi", "cham nhat", "bao nhieu",
        "muc nao", "phai dat", "can dat", "toi thieu", "it nhat", "phan tram", "can cu phap ly", "co so phap ly",
        "van ban phap ly", "can cu", "liet ke", "nhu the nao", "the nao", "xin cho biet", "cho biet",
        "toi muon biet", "nhung nhiem vu", "cac nhiem vu", "nhiem vu nao", "nhiem vu gi", "viec gi", "viec nao",
        "la gi", "lam gi", "lam nhung gi", "van ban nao", "duoc ban hanh", "tu dau", "o dau", "lay tu dau", "tu nguon nao", "nguon nao", "gom nhung gi", "gom nhung",
        "vi tri nao", "vi tri thu may", "thu may", "thu hang nao", "xep thu may", "xep hang nao", "phan dau dat",
        "phan dau", "yeu cau", "quy dinh", "so may", "so bao nhieu", "so hieu nao", "so hieu",
        "dung dau", "dan dau", "dung cuoi", "xep cuoi",
        # a figure's frame: the measure asked for (search_api.questions.asked_measure) carries "tỷ lệ"
        "chi tieu", "muc tieu", "ty le", "ti le", "dat ra", "de ra", "dat duoc", "o muc",
    ],
    key=len,
    reverse=True,
)
# "trung tâm nào", "bộ nào", "những cục nào": which agency is asked, not what the subject is.
_WHICH_AGENCY = (r"(?:nhung |cac )?(?:trung tam|chi cuc|cuc|bo|vien|phong|uy ban|hoi dong|doanh nghiep|cong ty|truong"
                 r"|ban|so|nganh|co quan|don vi|to chuc|dia phuong|tinh|xa|phuong|luc luong|ben)\s+nao")
# "ai lo …", "sở nào lo …": the colloquial "lo" (take care of) asks who leads, like "phụ trách"
_FRAME_PATTERN = re.compile(r"\b(?:(?:" + _WHICH_AGENCY + r"|ai)(?:\s+lo(?:\s+viec|\s+phan)?\b)?|"
                            # "hạn gửi …", "hạn nộp …": the deadline word, not the subject (not "hạn chế")
                            r"han(?=\s+(?:gui|nop|trinh|ban hanh|bao cao|xong|thuc hien)\b)|"
                            + "|".join(re.escape(p) for p in _FRAME_PHRASES) + r")\b")
# "đạt" / "đặt" frame a figure ("phải đạt bao nhiêu", "đặt mục tiêu"); folded they would read
# as "đất" (land), a subject, so they go before folding, where the accents still tell them apart.
_REACH = re.compile(r"(?<!\w)(?:đạt|đặt)(?!\w)", re.IGNORECASE)
# Function words a subject is read without; evidence is read without them too when its word
# pairs are matched (search_api.evidence), so "văn bản ký số" meets "văn bản được ký số".
# Read with their accents: folded, "tại" is "tài" (tài chính), "để" is "đề" (đề án), "về" is "vệ"
# (bảo vệ), "cần" is "căn" (căn cứ); the folded list only serves text typed without accents.
ACCENTED_STOPWORDS = frozenset(
    "ai gì nào là thì hay của trong theo về với cho để được và các những một à vậy phải cần do mà ở tại "
    "sẽ đã đang không bị này kia ấy".split()
)
STOPWORDS = frozenset(folded_form(w) for w in ACCENTED_STOPWORDS)
_WORD = re.compile(r"\w+")


def stopwords_of(text: str) -> frozenset[str]:
    """The folded words that ``text`` only uses as function words ("tại" but not "tài" in "Bộ Tài chính").

    Text without diacritics cannot tell them apart: then every folded function word.
    """
    if not has_diacritics(text):
        return STOPWORDS
    words = _WORD.findall(text.lower())
    stop = {folded_form(w) for w in words if w in ACCENTED_STOPWORDS}
    return frozenset(stop - {folded_form(w) for w in words if w not in ACCENTED_STOPWORDS})


@dataclass(frozen=True)
class Question:
    """A classified question: its kind, the folded text, and the words that name its subject."""

    text: str
    folded: str
    kind: str
    subject_terms: list[str]
    agency: str | None = None  # for `list`: the agency whose tasks are listed
    measure: str | None = None  # folded pattern the figure asked for must match ("bao nhiêu ngày" → days)
    subject: str = ""  # folded, without the words that only frame a figure ("đạt", "đặt")


_AGENCY_HEAD = (
    r"(?:so|ubnd|uy ban nhan dan|van phong|ban|bo|cuc|chi cuc|vien|trung tam|phong|thanh tra|cong an|truong|dai|bao|"
    r"hoi dong|quan|huyen|thi xa|xa|phuong|lien hiep|lien minh|hiep hoi)"
)
# Agency names keep their abbreviations whole: "KT-XH", "TT&TT", "KH&ĐT", "P. Tư pháp".
_NAME_CHARS = r"[\w\s,&.-]"
_LIST_AGENCY = re.compile(
    rf"\b(?:do|cua|ma|giao)\s+({_AGENCY_HEAD}\b{_NAME_CHARS}*?)\s+(?:chu tri|phu trach|dam nhiem|thuc hien|duoc giao|lam dau moi)\b"
    rf"|\b({_AGENCY_HEAD}\b{_NAME_CHARS}*?)\s+(?:chu tri|phu trach|dam nhiem|duoc giao)(?:\s+\w+){{0,3}}\s+(?:nhung|cac)\b"
    rf"|\bgiao\s+(?:cho\s+)?({_AGENCY_HEAD}\b{_NAME_CHARS}*?)\s+(?:(?:lam|thuc hien|trien khai)\s+)?(?:nhung|la)\b"
    # "văn phòng ubnd tỉnh phải làm (ngay) những việc gì"
    rf"|\b({_AGENCY_HEAD}\b{_NAME_CHARS}*?)\s+(?:phai|can|se)\s+(?:lam|thuc hien|trien khai)\s+(?:ngay\s+)?nhung\b"
)


_LEAD_VERB = re.compile(r"(?i)\b(?:chủ trì|phụ trách|đảm nhiệm|được giao|làm đầu mối)\b")
# "… (phải làm ngay) những việc gì": the work asked for, after the agency that does it
_ASKS_WORK = re.compile(r"(?i)\s(?:(?:phải|cần|sẽ)\s+)?(?:(?:làm|thực hiện|triển khai)\s+)?(?:ngay\s+)?"
                        r"(?:những|các)\s+(?:việc|nhiệm vụ|công việc|nội dung)\b")


def list_agency(question: str, folded: str) -> str | None:
    """For "những nhiệm vụ nào do Sở Nội vụ chủ trì", the agency in folded form.

    Read with the agency grammar from the words before the verb when the question
    is typed with capitals and accents ("Bộ Công an chủ trì xây dựng …"); typed
    without them, from the folded pattern.
    """
    for verb in [*_LEAD_VERB.finditer(question), *_ASKS_WORK.finditer(question)]:
        clause = re.split(r"[,;:?]", question[: verb.start()])[-1]
        given = list(re.finditer(r"(?i)\bgiao(?: cho)?\s+", clause))
        if given:  # "Kế hoạch giao Liên hiệp các Hội KH&KT những việc gì?"
            phrase = agency_phrase(clause[given[-1].end():], generic=True)
        else:
            phrase = subject_before(re.sub(r"(?i)^.*\b(?:do|của|mà)\s+", "", clause))
        if phrase:
            return _without_place(folded_form(phrase))
    match = _LIST_AGENCY.search(folded)
    if not match:
        return None
    agency = next(g for g in match.groups() if g)
    return _without_place(agency.strip(" ,.-")) or None


def _without_place(agency: str) -> str:
    """"sở khoa học và công nghệ đồng tháp" → "so khoa hoc va cong nghe": the place is the scope, not the name."""
    for place in sorted(PROVINCE_KEYS, key=len, reverse=True):
        agency = re.sub(rf"\s+(?:(?:tinh|thanh pho|tp\.?)\s+)?{re.escape(place)}$", "", agency)
    return agency.strip()


_NUMBER = r"\d[\d.,]*\s*"
# What is counted in money when "bao nhiêu" names no unit: a fine, a cost, a budget, a sum of money.
_MONEY_WORDS = re.compile(r"\b(?:phat tien|muc phat|so tien|kinh phi|chi phi|muc ho tro|muc chi|tong von|von dau tu)\b")
_MONEY = rf"{_NUMBER}(?:dong|trieu|ty|nghin|ngan|vnd)\b"
_DURATION = rf"{_NUMBER}(?:ngay|thang|nam|gio|tuan)(?: lam viec)?\b"
# After "bao nhiêu", what is counted: money, a share, or any noun ("tiêu chí", "ngày", "điểm").
_HOW_MANY = re.compile(r"\b(?:bao nhieu|may)\s+(\w+(?:\s\w+)?)")
_HOW_LONG = re.compile(r"\b(?:bao lau|trong bao lau|mat bao lau)\b")
_WHICH_RANK = re.compile(r"\b(?:thu may|thu bao nhieu|(?:vi tri|xep hang|hang) (?:nao|thu may|may|bao nhieu))\b")
_RANK = (r"\b(?:thu|vi tri|hang|xep hang|xep thu)\s+(?:thu\s+)?\d+\b|\b(?:dung|dan) dau\b|\btop\s+\d+"
         r"|\btrong\s+\d+\s+\w+")


# Words that may follow "bao nhiêu" without naming what is counted.
_NOT_A_MEASURE = frozenset(
    "cho trong o tai de voi khi thi va la duoc phai dat so moi nguoi con vao tu den tren duoi nhu theo cua "
    "muc the tro".split()
)
# Counting words (classifiers) that stand for the noun after them: "5.000 cuốn (tài liệu)", "20 lượt".
_CLASSIFIERS = frozenset("cuon quyen to trang chiec cai con buoi luot lop dot cuoc ban bo tap khoa".split())
# "tổng điểm tối thiểu bao nhiêu", "mất mấy ngày": the counted noun put before the question word.
_COUNTED_BEFORE = re.compile(
    r"\b(diem|ngay lam viec|ngay|gio|tuan|lan|tieu chi|nguoi)(?:\s+(?:toi thieu|toi da|it nhat|la|phai dat|can dat"
    r"|phai|dat|can))*\s+(?:bao nhieu|may)\b"
)


def asked_measure(folded: str) -> str | None:
    """What the figure asked for is counted in, as a folded pattern an evidence text must contain.

    "bao nhiêu tiền" → an amount in đồng; "bao nhiêu phần trăm / tỷ lệ" → a share;
    "bao lâu" → a duration; "bao nhiêu tiêu chí" → "<n> tiêu chí".
    """
    if _HOW_LONG.search(folded):
        return _DURATION
    if _WHICH_RANK.search(folded):  # "xếp thứ mấy": a rank, not any figure
        return _RANK
    m = _HOW_MANY.search(folded)
    if (not m or m.group(1).split()[0] in _NOT_A_MEASURE) and "bao nhieu" in folded:
        if _MONEY_WORDS.search(folded):  # "mức phạt tiền … là bao nhiêu", "kinh phí … bao nhiêu": an amount
            return _MONEY
    if not m:
        return r"\d[\d.,]*\s*%" if re.search(r"\b(ty le|ti le|phan tram)\b", folded) else None
    noun = m.group(1)
    if noun.startswith(("tien", "kinh phi", "dong")):
        return _MONEY
    if noun.startswith(("phan", "%")) or re.search(r"\b(ty le|ti le)\b", folded):
        return r"\d[\d.,]*\s*%"  # "bao nhiêu phần trăm", "chiếm bao nhiêu phần GRDP": a share
    first = noun.split()[0]
    if first in _CLASSIFIERS:  # "bao nhiêu cuốn tài liệu" counts "5.000 cuốn"
        return _counted(re.escape(first))
    if first in {"lan", "nam", "thang", "ngay", "gio", "tuan"} or noun in {"ngay lam viec"}:
        return rf"{_NUMBER}{first}\b"
    if first in _NOT_A_MEASURE:
        before = _COUNTED_BEFORE.search(folded)
        if before:
            return _counted(re.escape(before.group(1)))
        return None  # "giảm bao nhiêu cho khách hàng", "đạt bao nhiêu trong năm": no unit named
    # the noun as printed, or its abbreviation ("bao nhiêu thủ tục" counts "06 TTHC")
    forms = [re.escape(noun)] + [re.escape(short) for short, full in TOPIC_ABBREVIATIONS.items()
                                 if full.startswith(noun + " ") or full == noun]
    return _counted("|".join(forms))


def _counted(noun: str) -> str:
    """A figure in the counted noun: "85 điểm", or the noun first ("tổng số điểm đạt được từ 85")."""
    return rf"{_NUMBER}(?:{noun})\b|\b(?:{noun})\b(?:\s+[^\s\d]+){{0,5}}\s+\d"


# Subject syllables kept; each is matched against every evidence candidate, so a
# 2,000-character question would otherwise cost its length times the candidates.
# The 90 gold questions (retrieval + answers) have at most 23.
MAX_SUBJECT_TERMS = 48


def subject_terms(folded: str, stopwords: frozenset[str] = STOPWORDS) -> list[str]:
    """Folded syllables that carry the subject of the question (frame phrases removed).

    Abbreviations are written out beside themselves ("cchc" also reads "cai cach hanh
    chinh"), and a span of years ("2026-2030") reads as its two years, the way texts print them.
    """
    words = re.findall(r"[\w/%.&-]+", _FRAME_PATTERN.sub(" ", folded))
    terms: list[str] = []
    for word in (w.strip(".-&") for w in words):
        if "&" in word:  # "NN&MT" is how a name is shortened: its words, as the texts print them
            terms.extend(w for w in ABBREVIATIONS.get(word, word.replace("&", " ")).split() if w not in stopwords)
            continue
        if not word or word in stopwords:
            continue
        span = re.fullmatch(r"((?:19|20)\d\d)-((?:19|20)\d\d)", word)
        terms.extend(span.groups() if span else [word])
        if word in TOPIC_ABBREVIATIONS:
            terms.extend(TOPIC_ABBREVIATIONS[word].split())
    return terms[:MAX_SUBJECT_TERMS]


# "AI" in capitals is the technology ("được AI hỗ trợ"); folded it would read as "ai" (who)
_AI_ACRONYM = re.compile(r"(?<!\w)AI(?!\w)")


def understand(question: str) -> Question:
    """Classify a question and pull out what it is about."""
    folded = folded_form(" ".join(question.split()))
    cased = question != question.upper()  # in a question typed in capitals "AI" may be "ai"
    kind = classify(folded_form(" ".join(_AI_ACRONYM.sub("trí tuệ nhân tạo", question).split())) if cased else folded)
    agency = list_agency(question, folded) if kind == "list" else None
    subject = folded_form(" ".join(_REACH.sub(" ", question).split()))
    terms = subject_terms(subject, stopwords_of(question))
    return Question(question, folded, kind, terms, agency, asked_measure(folded), subject)


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_SPAN = re.compile(r"\b((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)\b")


def asked_years(folded: str) -> set[int]:
    """The years a question is about ("năm 2031", "giai đoạn 2026-2030" reads as both ends)."""
    return {int(y) for y in _YEAR.findall(folded)}


def covers_years(text: str, years: set[int]) -> bool:
    """Whether a text speaks of one of the years: printed, or inside a span it prints ("2026 - 2030").

    Evidence about another year does not answer "… cho năm 2031": an honest refusal does.
    """
    printed = {int(y) for y in _YEAR.findall(text)}
    if printed & years:
        return True
    return any(int(a) <= y <= int(b) for a, b in _YEAR_SPAN.findall(text) for y in years)
