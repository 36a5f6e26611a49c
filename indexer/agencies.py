"""Agency names: how Vietnamese documents name who does the work.

An agency name is a head noun (Sở, Bộ, UBND/Ủy ban nhân dân, Văn phòng, Công an,
Ban, Cục, Viện, Trung tâm, Kho bạc, Thanh tra, Đài, Báo, Hội, Mặt trận …, or a
position: Giám đốc, Chủ tịch, Thủ trưởng …) followed by its name — capitalised
words, acronyms and the lowercase words names contain ("UBND các xã, phường").
Cells list several, one a line, after dashes, or as "Các Sở: Tư pháp, Tài chính".
Names are compared by a canonical key (:func:`agency_key`): folded, abbreviations
written out, so "Sở KH&CN" and "Sở Khoa học và Công nghệ" are one agency.

The words are data in :mod:`indexer.vocabulary`.
"""

from __future__ import annotations

import re

from indexer.normalise import fold, folded_form, lexical_form, normalise_lookalikes, squash, unique
from indexer.vocabulary import (
    ABBREVIATIONS,
    AMBIGUOUS_HEADS,
    GENERIC_GROUPS,
    LOWERCASE_IN_NAMES,
    NOT_AGENCIES,
    ORG_HEADS,
    POSITION_HEADS,
)



_ORG_HEADS = ORG_HEADS
_POSITION_HEADS = POSITION_HEADS
_AMBIGUOUS = AMBIGUOUS_HEADS
_GENERIC_GROUPS = GENERIC_GROUPS
_ORG_SORTED = [(h, fold(h)) for h in sorted(_ORG_HEADS, key=len, reverse=True)]
_ALL_SORTED = [(h, fold(h)) for h in sorted(_ORG_HEADS + _POSITION_HEADS, key=len, reverse=True)]


def head_at(text: str, *, positions: bool = True) -> str | None:
    """The head noun an agency name starts with ("sở", "ubnd", "giám đốc" …), or None."""
    s = text.lstrip(" -+•*–")[:60]
    low = lexical_form(s)
    plural = low.startswith(("các ", "những "))
    offset = low.index(" ") + 1 if plural else 0
    low, original = low[offset:], s[offset:]
    folded = fold(original)
    for head, fhead in _ALL_SORTED if positions else _ORG_SORTED:
        if not low.startswith(head):
            # without accents (typed or OCR'd): only where folding cannot confuse two words
            word = original[: len(head)]
            if not folded.startswith(fhead) or not (" " in head or (word.lower() == fhead and head not in _AMBIGUOUS)):
                continue
        after = low[len(head) : len(head) + 1]
        if after.isalnum() or after == "_":
            continue
        if not _names_follow(head, original, plural):
            continue
        return head
    return None


_NOT_AGENCIES = NOT_AGENCIES


def _names_follow(head: str, original: str, plural: bool = False) -> bool:
    """A single-syllable head is an agency only when capitalised and a name follows.

    "Sở Nội vụ", "Trường Đại học …", "Sở, Ban, Ngành", "các phòng chuyên môn"
    are agencies; "Trường hợp", "Báo cáo", "Ban hành", "Thanh tra việc …" are not.
    """
    rest = original[len(head) :]
    nxt = rest.split()[0] if rest.split() else ""
    word = re.findall(r"[^\W\d_]+", rest)[:1]
    if word and f"{head} {lexical_form(word[0])}" in _NOT_AGENCIES:
        return False
    if plural:
        return True
    if head == "thanh tra":
        return not nxt[:1].islower() or lexical_form(nxt) in _NAME_WORDS
    if head not in _AMBIGUOUS:
        return True
    if not original[:1].isupper():
        return False
    after_and = rest.split()[1] if len(rest.split()) > 1 else ""
    joined = lexical_form(nxt) == "và" and after_and[:1].isupper()  # "Báo và Phát thanh, Truyền hình tỉnh"
    return not rest.strip() or rest.lstrip()[:1] in ",;:.)" or nxt[:1].isupper() or nxt[:1].isdigit() or joined


HEAD_LIST = re.compile(
    r"(?:^|(?<=[\s,;]))([Cc]ác|[Nn]hững)\s+(Sở|Bộ|Ban|Cục|Chi cục|Phòng|Viện|Trung tâm|Vụ|sở|bộ|ban|cục|phòng)\s*:\s*"
)


def clean_agency(text: str) -> str:
    return squash(text).strip(" -+•*–.;,:")


def _bare_head(text: str) -> bool:
    """"Sở", "các Sở", "Ban" — a head noun with no name after it."""
    low = re.sub(r"^(?:các|những)\s+", "", lexical_form(clean_agency(text)))
    return low in _ORG_HEADS or low in _POSITION_HEADS


def _smart_split(piece: str) -> list[str]:
    """Split on commas and "và" only where the next part starts a new agency name.

    Keeps "UBND các quận, huyện, thị xã" and "Sở, Ban, Ngành" whole.
    """
    tokens = re.split(r"(,|\bvà\b)", piece)
    items: list[str] = []
    cur = tokens[0]
    for k in range(1, len(tokens), 2):
        sep, nxt = tokens[k], tokens[k + 1] if k + 1 < len(tokens) else ""
        if nxt.strip() and head_at(nxt.strip()) and clean_agency(cur) and not _bare_head(cur):
            items.append(cur)
            cur = nxt
        else:
            cur += sep + nxt
    items.append(cur)
    return [c for c in (clean_agency(i) for i in items) if c]


def _split_plain(text: str) -> list[str]:
    return [a for piece in text.split(";") if piece.strip() for a in _smart_split(piece)]


def _expand_list(head: str, rest: str) -> list[str]:
    """"Các Sở: Tư pháp, Tài chính; Cục Thuế" → "Sở Tư pháp", "Sở Tài chính", "Cục Thuế".

    The list is comma-separated when its first ";"-chunk has commas, else
    ";"-separated; it ends at an item that names its own head ("Cục Thuế").
    """
    head = head[:1].upper() + head[1:]
    chunks = rest.split(";")
    if "," in chunks[0]:
        names, remaining = chunks[0].split(","), chunks[1:]
    else:
        cut = next((k for k, c in enumerate(chunks) if k and head_at(c.strip())), len(chunks))
        names, remaining = chunks[:cut], chunks[cut:]
    out: list[str] = []
    for name in (clean_agency(n) for n in names):
        if name:
            out.extend(_smart_split(name) if head_at(name) else [f"{head} {name}"])
    for chunk in remaining:
        out.extend(_smart_split(chunk))
    return out


def _dash_parts(line: str) -> list[str]:
    """Split "- A - B" on dashes that start a new agency; keep "kinh tế - xã hội" whole."""
    parts = re.split(r"\s[-–]\s+(?=\S)", re.sub(r"^\s*[-+•*–]\s*", "", line))
    merged = [parts[0]]
    for part in parts[1:]:
        if head_at(part.strip()):
            merged.append(part)
        else:
            merged[-1] = f"{merged[-1]} - {part}"
    return [m.strip() for m in merged if m.strip()]


_ITEM_START = re.compile(r"^\s*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ]\))\s*")


def unwrap_lines(cell: str) -> list[str]:
    """The logical lines of a cell: a line wrapped in the middle of a name joins the one above.

    "Bộ Khoa học và" / "Công nghệ" is one name; "Sở Tư pháp" / "Sở Tài chính" are
    two, as are lines opened by a dash, a number, or following a ";" or ",".
    """
    out: list[str] = []
    for line in cell.split("\n"):
        s = line.strip()
        if not s:
            continue
        # a capital "Các"/"Những" opens a name ("Sở Nội vụ" / "Các cơ quan, đơn vị"): inside one it is lowercase
        starts_new = bool(_ITEM_START.match(s)) or head_at(s) is not None or s.startswith(("Các ", "Những "))
        # a position alone on its line ("Lãnh đạo" / "Sở Tư pháp") is the head of the name below it
        joins = out and (not starts_new or lexical_form(clean_agency(out[-1])) in _POSITION_HEADS)
        if joins and not out[-1].rstrip().endswith((";", ".", ":")):
            out[-1] = f"{out[-1].rstrip()} {s}"
        else:
            out.append(s)
    return out


def split_agencies(cell: str) -> list[str]:
    """Agency names of a lead/support cell or phrase: split on lines, bullets and ";".

    Commas split only before a new agency name; "Các Sở: A; B" expands to
    "Sở A", "Sở B".
    """
    out: list[str] = []
    for raw in unwrap_lines(cell or ""):
        for line in _dash_parts(raw):
            m = HEAD_LIST.search(line)
            if m:
                out.extend(_split_plain(line[: m.start()]))
                out.extend(_expand_list(m.group(2), line[m.end() :]))
            else:
                out.extend(_split_plain(line))
    return unique([clean_agency(a) for a in out])


# ---------------------------------------------------------------------------
# Agency phrases in prose
# ---------------------------------------------------------------------------

# Lowercase words that end an agency name: the verbs and prepositions that follow it.
_STOP_WORDS = {
    "chủ", "phối", "triển", "thực", "xây", "chịu", "tham", "hướng", "theo", "đôn", "rà", "nghiên",
    "tổng", "báo", "ban", "căn", "khẩn", "tiếp", "nghiêm", "kiểm", "đề", "hoàn", "gửi", "lập", "trình",
    "cung", "bố", "phân", "quán", "tập", "đảm", "bảo", "thường", "định", "để", "trong", "về", "tại",
    "khi", "nhằm", "trước", "sau", "đối", "là", "được", "đã", "sẽ", "cần", "phải", "không", "giao",
    "yêu", "của", "với", "cho", "từ", "đến", "qua", "bằng", "nhưng", "nếu", "thì", "mà", "hằng", "hàng",
    "đầu", "làm", "tổ", "chỉ", "có", "nâng", "đẩy", "tăng", "giải", "xử", "ứng", "phát", "đánh",
    "tuyên", "hỗ", "duy", "quản", "sử", "lấy", "tự", "mở", "đổi", "bổ", "sửa", "phát",
    "thẩm", "phê", "rút", "thu", "ra", "đưa", "nhận", "cập", "quy", "việc",
    "chuẩn", "trách", "nơi", "ở", "trên", "dưới", "phổ", "khắc", "sớm", "kịp",
}
# Verbs that start with a word found in names ("công bố" but "hành chính công").
_STOP_BIGRAMS = {
    "công bố", "công khai", "công nhận", "thông báo", "thông qua", "vận động", "vận hành", "phát hiện",
    "phát động", "phát huy", "thống kê", "thống nhất", "tổ chức", "ban hành", "báo cáo", "ký kết",
    "trực tiếp", "tiến hành",
}
_LEVELS = {"huyện", "tỉnh", "xã", "quận", "phường", "thành", "cơ", "trung", "bộ", "sở", "trên", "dưới"}
# Two-word pieces of names that start with an action-looking word.
_NAME_BIGRAMS = {
    "phát triển", "có liên", "thông tin", "công lập", "công an", "công nghệ", "công thương",
    "vận tải", "tổ chức", "tài chính", "tư pháp", "nội vụ", "kế hoạch", "đầu tư", "xã hội",
    "kinh tế", "hành chính", "dịch vụ", "thành phố", "thành viên", "chính trị", "đào tạo",
    "thường vụ", "thường trực", "kiểm sát", "quản trị", "thẩm định", "đại biểu", "dự án", "chế xuất",
}
# Lowercase words found inside names ("UBND các quận, huyện", "đơn vị sự nghiệp công lập").
_NAME_WORDS = {
    "và", "các", "cấp", "quận", "huyện", "thị", "xã", "phường", "trấn", "tỉnh", "thành", "phố", "ngành",
    "sở", "ban", "cơ", "quan", "đơn", "vị", "tổ", "chức", "liên", "trực", "thuộc", "tương", "đương",
    "nhân", "dân", "nhà", "nước", "sự", "nghiệp", "lập", "chuyên", "môn", "địa", "phương", "trung",
    "ương", "chính", "trị", "cán", "bộ", "đào", "tạo", "triển", "kinh", "tế", "hội", "nông", "thôn",
    "tải", "truyền", "hình", "thanh", "tra", "mới", "viên", "khác", "tư", "pháp", "tài", "nguyên",
    "môi", "trường", "tin", "an", "nghệ", "thương", "vụ", "hoạch", "hành", "dịch", "có", "thông",
    "vận", "công", "đất", "đai", "ký", "khu", "vực", "chi", "nhánh", "ngang",
}


def _plural_head_before(prefix: str) -> bool:
    """True when ``prefix`` ends with "các Sở" / "các Bộ" … (a list follows the colon)."""
    words = prefix.split()[-2:]
    return len(words) == 2 and lexical_form(words[0]) in ("các", "những") and head_at(" ".join(words)) is not None


def _name_like(word: str, first: bool) -> bool:
    return first or word[:1].isupper() or any(ch.isdigit() or ch in "-&/." for ch in word)


def agency_phrase(text: str, *, positions: bool = True, generic: bool = False) -> str:
    """The agency name(s) at the start of ``text``: "Sở Nội vụ", "UBND các quận, huyện, thị xã".

    Reads capitalised words, acronyms and the lowercase words of names, and
    stops at the first action word ("chủ trì", "triển khai" …). Empty when the
    text does not start with an agency (or, with ``generic``, "các cơ quan …").
    """
    s = text.lstrip(" -+•*–")
    head = head_at(s, positions=positions)
    if not (head or (generic and lexical_form(s).startswith(_GENERIC_GROUPS))):
        return ""
    tokens = list(re.finditer(r"[^\s,;:()]+|[,;:()]", s))
    skip = len(head.split()) + (1 if lexical_form(s).startswith(("các ", "những ")) else 0) if head else 0
    end = tokens[skip - 1].end() if skip and len(tokens) >= skip else 0
    lower_run, unknown_run, k = 0, 0, skip  # lowercase words since the last capitalised one; those no name has
    named = False  # a capitalised word of the name has been read after its head
    prev = tokens[skip - 1].group() if skip and len(tokens) >= skip else ""
    while k < len(tokens):
        m = tokens[k]
        w, wl = m.group(), lexical_form(m.group())
        nxt = lexical_form(tokens[k + 1].group()) if k + 1 < len(tokens) else ""
        if w == ";" and head_at(s[m.end() :].lstrip()):  # "các Sở, ngành; UBND các quận, huyện"
            prev, lower_run, unknown_run, k = ",", 0, 0, k + 1
            continue
        if w in ("(", ")", ";") or (w == ":" and not _plural_head_before(s[: m.start()])):
            break
        if w in (":", ","):
            if w == "," and (not nxt or nxt in (",", ":", ";", "(", ")")):
                break
            prev, lower_run, unknown_run, k = w, 0, 0, k + 1
            continue
        if _name_like(w, k == 0):
            lower_run, unknown_run, end, prev, k = 0, 0, m.end(), w, k + 1
            named = named or w[:1].isupper()
            continue
        if f"{wl} {nxt}" in _NAME_BIGRAMS and (wl != "tổ" or prev in (",", "các", "và")):
            lower_run, end, prev, k = lower_run + 2, tokens[k + 1].end(), nxt, k + 2
            continue
        if wl == "cấp" and nxt not in _LEVELS:  # "cấp huyện" names a level, "cấp giấy phép" is a verb
            break
        if f"{wl} {nxt}" in _STOP_BIGRAMS:
            break
        in_name = (prev[:1].isupper() and wl in _NAME_WORDS) or (prev == "," and nxt in (",", ";", "và", ""))
        # A name's capitalised word may finish its compound in lower case ("Xây dựng", "Biển đảo");
        # a second lowercase word that names nothing is the sentence going on ("Sở Xây dựng đăng tải").
        # Right after the head a name may start in lower case ("Trung tâm xúc tiến Đầu tư").
        limit = 1 if named else 2
        unknown = wl not in _NAME_WORDS
        if not in_name and (wl in _STOP_WORDS or (unknown and unknown_run >= limit)):
            break
        lower_run += 1
        unknown_run += unknown
        if lower_run > 10:
            break
        end, prev, k = m.end(), wl, k + 1
    phrase = re.sub(r"(?:[\s,]+(?:và|các|những|của|với|tại|-))+\s*$", "", s[:end])
    return clean_agency(phrase)


def agency_key(name: str) -> str:
    """A comparable form of an agency name: folded, abbreviations written out, punctuation gone
    (look-alike letters read as Vietnamese ones, so a name copied from a file matches the text)."""
    words = re.findall(r"[\w&]+", folded_form(normalise_lookalikes(name)).replace(",", " "))
    expanded = " ".join(ABBREVIATIONS.get(w, w) for w in words)
    return re.sub(r"\s+", " ", expanded).strip()


def led_by(lead: list[str], wanted_key: str) -> bool:
    """Whether one of the ``lead`` names is the wanted agency (an ``agency_key``), or contains it:
    "Sở Nội vụ" is also "Sở Nội vụ (Ban Thi đua - Khen thưởng)". The one rule of every lead filter."""
    return any(wanted_key in agency_key(name) for name in lead)


def agencies_in(text: str) -> list[str]:
    """The agencies a field value names, even when it goes on as a sentence.

    "Bộ Công an tiến hành rà soát …; các bộ, cơ quan ngang bộ rà soát …" names
    "Bộ Công an" and "các bộ, cơ quan ngang bộ": each ";"- or line-separated piece
    contributes the agency phrase it starts with.
    """
    out: list[str] = []
    for piece in unwrap_lines(text.replace(";", "\n")):
        phrase = agency_phrase(piece.strip(" -+•."), generic=True)
        if phrase:
            out.extend(split_agencies(phrase))
    return unique(out)


def agency_case(text: str) -> str:
    """A name printed in capitals, written as names are ("SỞ NỘI VỤ" → "Sở Nội vụ").

    The head is capitalised as the vocabulary prints it, then the first word of
    each part of the name ("Bộ Tài nguyên và Môi trường"); acronyms stay.
    """
    words = text.split()
    head = head_at(text)
    skip = len(head.split()) if head else 0
    out: list[str] = []
    capital = True
    for k, word in enumerate(words):
        low = word.lower()
        folded = fold(low).strip(",.;:()")
        if folded in ABBREVIATIONS or (len(folded) <= 5 and not re.search(r"[aeiouy]", folded)):
            out.append(word)  # UBND, HĐND, KH&CN
            capital = False
        elif k < skip:
            out.append(low.capitalize() if k == 0 else low)
            capital = k == skip - 1
        elif capital and low.strip(",") not in LOWERCASE_IN_NAMES:
            out.append(low.capitalize())
            capital = False
        else:
            out.append(low)
        if low in ("và", "-") or word.endswith(","):
            capital = True
    return " ".join(out)


_TITLE_LABEL = re.compile(r"^(?:[A-ZĐ]|[IVXLC]{1,6}|\d{1,2})\s*[.)]\s*|^(?:[A-ZĐ]|[IVXLC]{1,6})\s+(?=\S)")


def title_agencies(title: str) -> list[str]:
    """The agencies a group title names, when it names nothing else ("A. BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "Ủy ban nhân dân các xã, phường"): the rows under it are theirs."""
    text = _TITLE_LABEL.sub("", squash(title)).strip(" .:")
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) / len(letters) >= 0.8:
        text = agency_case(text)
    phrase = agency_phrase(text)
    return split_agencies(phrase) if phrase and squash(phrase) == text else []
