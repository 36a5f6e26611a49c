"""Assignments stated in prose: who leads, who supports, by when.

Outside tables, plans and letters give work in a few general ways:

* under a heading that names the agency ("2.2. Sở Nội vụ", "3. Giao Sở Tài
  chính:", "Điều 9. Trách nhiệm của Bộ Công an"), each bullet being one duty;
* inline: "Giao Sở X chủ trì, phối hợp với Y …", "… do X chủ trì", "X chịu
  trách nhiệm …", "Đề nghị X …";
* as labelled fields under an item ("- Cơ quan chủ trì: …", "- Đơn vị phối hợp:
  …", "- Thời gian thực hiện: …").

Each becomes a :class:`indexer.records.Task` with origin "prose".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.agencies import (
    HEAD_LIST,
    agencies_in,
    clean_agency,
    head_at,
    agency_phrase,
    split_agencies,
)
from indexer.labelled import field_tasks
from indexer.normalise import lexical_form, squash, unique
from indexer.records import SEP, Passage, Task


_PROSE_DEADLINES = [
    re.compile(
        r"(?i)\b(?:trước|chậm nhất(?: là)?|hoàn thành trước|trong)\s+(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?"
    ),
    re.compile(r"(?i)\b(?:trước|chậm nhất(?: là)?)\s+ngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?"),
    re.compile(r"(?i)\b(?:hoàn thành\s+)?trong\s+quý\s+(?:[IV]+|\d)(?:\s*(?:năm\s+|/\s*)\d{4})?"),
    re.compile(r"(?i)\b(?:hoàn thành\s+)?(?:trong|trước)\s+tháng\s+\d{1,2}(?:\s*(?:năm\s+|/\s*)\d{4})?"),
    re.compile(r"(?i)\bquý\s+[IV]+\s*/\s*\d{4}"),
    re.compile(r"(?i)\b(?:trong|trước)\s+năm\s+\d{4}"),
    # a deadline labelled inside the sentence: "…; thời gian: thường xuyên", "thời hạn hoàn thành: Quý I năm 2026"
    re.compile(r"(?i)\b(?:thời gian|thời hạn|tiến độ)(?:\s+(?:thực hiện|hoàn thành|ban hành))*\s*:\s*"
               r"(?P<value>[^.;:\n]{2,60}?)\s*(?:[.;\n]|$)"),
]


def prose_deadline(text: str) -> str | None:
    """The deadline phrase as printed ("trước ngày 15/4/2020", "trong quý II năm 2020").

    A day ("trước ngày 05 tháng 12 năm 2025") outranks a month or quarter, which outrank a
    bare year: "… được xử lý trong năm 2025 … gửi trước ngày 05/12/2025" is due on the day.
    Within a rank, the first printed.
    """
    found = [(_DEADLINE_RANK[k], m) for k, rx in enumerate(_PROSE_DEADLINES) for m in [rx.search(text)] if m]
    if not found:
        return None
    best = min(found, key=lambda f: (f[0], f[1].start(), -len(f[1].group())))[1]
    return squash(best.group("value") if "value" in best.re.groupindex else best.group())


# Rank of each pattern above: a labelled deadline, a day, then a month or quarter, then a year.
_DEADLINE_RANK = (0, 0, 1, 1, 1, 2, -1)


# ---------------------------------------------------------------------------
# Prose assignments
# ---------------------------------------------------------------------------

_MARKER = re.compile(
    r"^\s*(?:(?:phần|chương|mục|điều)\s+\S+|[IVX]+\s*[.)]|\d{1,2}(?:\.\d{1,2})*\s*[.)]?|[a-zđ]\s*\))\s*",
    re.IGNORECASE,
)
_HEADING_PREFIXES = (
    "giao nhiệm vụ cho", "giao", "đề nghị", "yêu cầu", "trách nhiệm của", "nhiệm vụ của", "đối với",
    "phân công", "nhiệm vụ cụ thể của",
)
_BULLET = re.compile(r"^\s*[-•*–]\s*")
_SUB_BULLET = re.compile(r"^\s*\+\s*")
_FOOTNOTE = re.compile(r"^\s*\[\d{1,3}\]")
_INLINE_LEAD = re.compile(r"(?i)\b(?:chủ trì|chịu trách nhiệm|có trách nhiệm)\b")
_GIAO = re.compile(r"(?i)(?:^|(?<=[\s,;.:(]))(?:giao|đề nghị|yêu cầu)\s+(?=\S)")
# "phối hợp với X", "phối hợp chặt chẽ với X", and "phối hợp X" when a name follows at once.
_SUPPORT = re.compile(r"(?i)\bphối hợp(?:\s+chặt chẽ)?(?:\s+(?:với|cùng)\s+|\s+(?=(?-i:[A-ZĐ])|các\s|UBND))")
_DEMONSTRATIVE = re.compile(r"(?i)\s+(?:sau đây|nêu trên|dưới đây|này|đó|trên)\s*$")


_LEAD_IN = re.compile(r"(?i)trách nhiệm|nhiệm vụ|chủ trì|triển khai|thực hiện (?:các|những)|tổ chức thực hiện|chỉ đạo")


def heading_agencies(label: str) -> list[str]:
    """Agencies a heading gives work to: "2.2. Sở Nội vụ", "2. Giao Văn phòng UBND Thành phố".

    A heading that goes on after the agency ("1. Yêu cầu các Sở … triển khai
    các nhiệm vụ sau:") must say it assigns work; "X có các quyền sau đây:" does not.
    """
    rest = _MARKER.sub("", label, count=1).strip()
    low = lexical_form(rest)
    prefix = next((p for p in _HEADING_PREFIXES if low.startswith(p + " ")), "")
    rest = rest[len(prefix) :].strip(" :")
    directed = _directed(rest)
    if directed:  # "1. Sở X chỉ đạo Chi cục Y thực hiện các nội dung sau:": Chi cục Y does the work
        return directed
    phrase = agency_phrase(rest)
    tail = rest[len(phrase) :] if phrase and rest.startswith(phrase) else ""
    is_sentence = len(tail.split()) >= 4 or tail.rstrip().endswith(":")
    if is_sentence and not _LEAD_IN.search(tail):
        return []
    return split_agencies(phrase)


_DIRECTS = re.compile(r"(?i)\bchỉ đạo\s+(?=\S)")


def lead_in_agencies(text: str) -> list[str]:
    """Agencies a lead-in ending with ":" hands the items below it to.

    "Giao Sở Nội vụ:", "Sở Y tế có trách nhiệm:", "Ủy ban nhân dân các tỉnh, thành phố:",
    and "Bộ Tài chính chỉ đạo Bảo hiểm xã hội Việt Nam:", where the one directed does the work.
    """
    text = squash(text)
    if not text.endswith(":"):
        return []
    return _directed(text.rstrip(" :")) or heading_agencies(text)


def _directed(body: str) -> list[str]:
    """The agency "… chỉ đạo X" hands the work to, when nothing but the handing over follows X."""
    directed = list(_DIRECTS.finditer(body))
    if not directed:
        return []
    rest = body[directed[-1].end() :].rstrip(" :")
    phrase = agency_phrase(rest)
    tail = squash(rest)[len(squash(phrase)) :] if phrase else ""
    if phrase and (not tail.strip(" ,.;") or _HANDS_OVER.match(tail)):
        return split_agencies(phrase)
    return []


# What follows the one directed in a lead-in: "… chỉ đạo Chi cục X thực hiện các nội dung sau:".
_HANDS_OVER = re.compile(r"(?i)^\s*(?:thực hiện|triển khai|tổ chức thực hiện|triển khai thực hiện)"
                         r"(?:\s+(?:các|những|một số))?(?:\s+(?:nội dung|nhiệm vụ|công việc|việc))?"
                         r"(?:\s+(?:cụ thể|chủ yếu))?\s*(?:sau đây|sau|như sau)?\s*$")


def subject_before(clause: str) -> str:
    """The agency the clause ends with ("Giao Sở Nội vụ" → "Sở Nội vụ"), else ""."""
    for m in re.finditer(r"\S+", clause):
        tail = _DEMONSTRATIVE.sub("", clause[m.start() :].rstrip(" ,"))
        if not head_at(tail):
            continue
        phrase = agency_phrase(tail)
        if phrase and squash(phrase) == clean_agency(tail):
            return phrase
    return ""


def _inline_lead(text: str) -> list[str]:
    """Lead of "X chủ trì", "Giao X chủ trì", "… do X chủ trì", "X chịu trách nhiệm", "giao X: …", "X: …"."""
    for m in _INLINE_LEAD.finditer(text):
        before = text[: m.start()]
        if before.count("(") > before.count(")"):
            continue  # "(… các Bộ chủ trì dự án)": a description in parentheses, not the assignment
        clause = re.split(r"[.;:(\n]", before)[-1]
        clause = re.sub(r"(?i)\bdo\s+(?=\S)", " ", re.sub(r"^\s*[-+•]?\s*", "", clause))
        giao = list(_GIAO.finditer(clause))
        subject = subject_before(clause[giao[-1].end() :] if giao else clause)
        if subject:
            return split_agencies(subject)
    for m in _GIAO.finditer(text):
        phrase = agency_phrase(text[m.end() :], positions=not m.group().lower().startswith("giao"))
        before = re.sub(r"^[\s\-+•]+", "", _MARKER.sub("", re.split(r"[.;:\n]", text[: m.start()])[-1], count=1))
        by_issuer = bool(before.strip()) and bool(subject_before(before))  # "UBND tỉnh giao Sở X …"
        if phrase and (not before.strip() or by_issuer or text[m.end() + len(phrase) :].lstrip().startswith(":")):
            return split_agencies(phrase)
    body = _MARKER.sub("", re.sub(r"^\s*[-+•]\s*", "", text), count=1)  # "đ) Bộ Xây dựng: …", "3. Sở Y tế: …"
    m = re.match(r"^([^:]{3,120}):\s", body)
    if m and not HEAD_LIST.search(m.group(0)):
        phrase = agency_phrase(m.group(1))
        if phrase and squash(phrase) == clean_agency(m.group(1)):
            return split_agencies(phrase)
    return _leading_subject(text)


# "UBND thành phố ban hành Kế hoạch … với nội dung như sau:": the issuer issuing this document
# (a task to issue a plan — "Sở Y tế ban hành kế hoạch triển khai …" — names no "như sau").
_ISSUES = re.compile(r"^(?:xây dựng và\s+)?ban hành\b")
_THIS_DOCUMENT = re.compile(r"như sau\s*:?\s*$|sau đây gọi tắt|\b(?:kế hoạch|quyết định|chỉ thị|công văn) này\b")


def _leading_subject(text: str) -> list[str]:
    """"Sở Y tế hướng dẫn …", "2. Hội đồng quản trị bổ nhiệm …": the agency the sentence starts with.

    Not when it goes on to ask someone else ("UBND tỉnh yêu cầu …") or to issue the document
    itself ("UBND thành phố ban hành Kế hoạch … như sau"): that one is the issuer.
    """
    body = _MARKER.sub("", re.sub(r"^\s*[-+•]\s*", "", text), count=1)
    phrase = agency_phrase(body, positions=False)
    after = body[len(phrase) :] if phrase and body.startswith(phrase) else ""
    rest = lexical_form(after.strip())
    asks = rest.startswith(("giao", "yêu cầu", "đề nghị", "chỉ đạo")) or bool(
        _ISSUES.match(rest) and _THIS_DOCUMENT.search(rest))
    if re.match(r"^\s+[^\W\d_]", after) and after.strip()[:1].islower() and not asks:
        return split_agencies(phrase)
    return []


def inline_assignment(text: str) -> tuple[list[str], list[str]]:
    """(lead, support) stated inside a sentence; the lead is empty when none is named."""
    lead = _inline_lead(text)
    support: list[str] = []
    for m in _SUPPORT.finditer(text):
        support.extend(split_agencies(agency_phrase(text[m.end() :], generic=True)))
    return lead, [a for a in unique(support) if a not in lead]


@dataclass
class _Unit:
    lines: list[int]  # 0-based
    text: str
    bullet: bool


def _units(lines: list[str], indices: list[int]) -> list[_Unit]:
    """Bullets (with their "+" sub-bullets) and paragraphs of a section's body lines.

    A line continues the unit above when it starts in lower case (a page break
    cut the sentence), is a "+" under a "-", or follows a line that does not end
    a sentence (a wrapped line). Footnotes ("[1] …") are left out.
    """
    units: list[_Unit] = []
    prev_blank = True
    for k in indices:
        s = lines[k].strip()
        if not s or _FOOTNOTE.match(s):
            prev_blank = True
            continue
        bullet, sub = bool(_BULLET.match(s)), bool(_SUB_BULLET.match(s))
        if sub and _names_own_agency(s):
            bullet, sub = True, False  # "+ Sở Công Thương: hướng dẫn …" is an assignment of its own
        last = units[-1] if units else None
        wrapped = not prev_blank and not bullet and not sub
        unfinished = wrapped and last is not None and not last.text.endswith((".", ":", ";", "!", "?"))
        if last and (s[:1].islower() or (sub and last.bullet) or unfinished):
            last.lines.append(k)
            last.text += ("\n" if sub else " ") + s  # a wrapped line goes on with the same sentence
        else:
            units.append(_Unit([k], s, bullet))
        prev_blank = False
    return units


def _names_own_agency(line: str) -> bool:
    """A sub-item that opens with an agency and a colon or a lead verb ("+ Sở Y tế: …", "+ Công an tỉnh chủ trì …")."""
    body = _SUB_BULLET.sub("", line, count=1)
    phrase = agency_phrase(body)
    if not phrase or not body.startswith(phrase):
        return False
    after = body[len(phrase):].lstrip()
    return after.startswith(":") or bool(_INLINE_LEAD.match(after)) or bool(_leading_subject(body))


def _heading_lines(lines: list[str], indices: list[int], label: str) -> set[int]:
    """The lines that print the section heading (kept out of tasks).

    A truncated label ("3. Các cơ quan … chủ động…") marks a numbered paragraph
    whose text is content, so nothing is skipped then.
    """
    if not label or _content_label(label):
        return set()
    want = squash(label)
    skip: set[int] = set()
    for k in indices:
        s = squash(lines[k])
        if not s:
            continue
        if (not skip and (want.startswith(s) or s.startswith(want))) or (skip and s in want):
            skip.add(k)
            continue
        break
    return skip


def _skip_unit(text: str) -> bool:
    """No words, the closing formula ("Trên đây là Kế hoạch …"), or a lead-in ending with ":"."""
    text = text.strip()
    closing = lexical_form(text).startswith(("trên đây là", "trên đây"))
    return not re.search(r"[^\W\d_]{2}", text) or closing or (text.endswith(":") and "\n" not in text)


def _unit_assignment(unit: _Unit, heading_leads: list[str], use_heading: bool) -> tuple[list[str], list[str]]:
    """(lead, support) of one bullet or paragraph.

    Under an agency heading the heading's agencies lead, unless the unit names
    its own subject, or starts with "Phối hợp với X" (then X leads when it is
    an agency and the heading's agencies support).
    """
    lead, support = inline_assignment(unit.text)
    if not (heading_leads and use_heading):
        return lead, support
    if lexical_form(_BULLET.sub("", unit.text)).startswith("phối hợp"):
        # "Phối hợp với Sở X triển khai …": Sở X leads; "… với các đơn vị liên quan": the heading's agency does
        named = [a for a in support if head_at(a) and not lexical_form(a).startswith(("các ", "những "))
                 and not _GENERIC_MEMBER.search(lexical_form(a))]
        lead = lead or named
        if lead:
            return lead, [a for a in heading_leads if a not in lead] + [a for a in support if a not in lead]
    return lead or heading_leads, support


# A partner named as a group ("UBND các xã, phường và các đơn vị liên quan") is no lead of its own.
_GENERIC_MEMBER = re.compile(r"\b(?:các|những)\s+(?:cơ quan|đơn vị|tổ chức|địa phương)\b|\bliên quan\b")


def _content_label(label: str) -> bool:
    """A section opened by a numbered sentence (a clause of a law, "3. Các cơ quan … chủ động …")."""
    return label.endswith("…") or label.rstrip().endswith((".", ";", ","))


def _innermost_title(section: str) -> str | None:
    """The innermost heading of a section path that titles it (not a numbered sentence)."""
    return next((label for label in reversed(section.split(SEP) if section else []) if not _content_label(label)),
                None)


def section_partners(section: str) -> list[str]:
    """Partners the innermost titled heading names ("5. Sở Y tế chủ trì, phối hợp với Sở X thực hiện …:"),
    which the duties listed under it share."""
    label = _innermost_title(section)
    return inline_assignment(label)[1] if label is not None and heading_agencies(label) else []


def section_agencies(section: str) -> list[str]:
    """Agencies the section's headings give work to.

    The innermost titled heading decides ("2.2. Sở Nội vụ", "Điều 9. Trách
    nhiệm của Bộ Công an"); the clauses numbered under it inherit it.
    """
    label = _innermost_title(section)
    return heading_agencies(label) if label is not None else []


def _section_groups(passages: list[Passage]) -> list[tuple[str, list[Passage]]]:
    """Consecutive body passages of one section (a long section is cut into several)."""
    groups: list[tuple[str, list[Passage]]] = []
    for p in passages:
        if p.kind != "body":
            continue
        if groups and groups[-1][0] == p.section:
            groups[-1][1].append(p)
        else:
            groups.append((p.section, [p]))
    return groups


def _labelled_tasks(doc_id: str, lines: list[str], passages: list[Passage]) -> tuple[list[Task], set[int]]:
    """Tasks whose agencies and deadline are printed as labelled fields; and the lines they use."""
    body = [p for p in passages if p.kind == "body" or (p.kind == "heading" and p.section)]
    section_of = {k: p for p in body for k in range(p.line_start - 1, p.line_end)}
    tasks: list[Task] = []
    used: set[int] = set()
    for found in field_tasks(lines, sorted(section_of), ""):
        if not found.lines:
            continue
        passage = section_of[found.lines[0]]
        lead = agencies_in(found.value("lead")) or inline_assignment(found.task)[0] or \
            section_agencies(passage.section)
        support = [a for a in agencies_in(found.value("support")) if a not in lead]
        deadline = squash(found.value("deadline")).rstrip(" .;") or None
        tasks.append(Task(
            task_id="", doc_id=doc_id, origin="prose", duty=squash(found.task).rstrip(" :") or None,
            product=squash(found.value("product") or found.value("result")) or None,
            lead=lead, support=support, deadline=deadline, section=passage.section,
            line_start=min(found.lines) + 1, line_end=max(found.lines) + 1, passage_id=passage.passage_id,
        ))
        used.update(found.lines)
    return tasks, used


def _introduced(section: str, introduced_by: dict[str, list[str]]) -> list[str]:
    """The agencies a lead-in closing an enclosing section handed this subsection to."""
    parts = section.split(SEP) if section else []
    for k in range(len(parts) - 1, 0, -1):
        found = introduced_by.get(SEP.join(parts[:k]))
        if found:
            return found
    return []


def prose_tasks(doc_id: str, lines: list[str], passages: list[Passage]) -> list[Task]:
    tasks, used = _labelled_tasks(doc_id, lines, passages)
    introduced_by: dict[str, list[str]] = {}  # section → agencies its closing lead-in hands its subsections to
    for section, group in _section_groups(passages):
        label = section.split(SEP)[-1] if section else ""
        heading_leads = section_agencies(section) or _introduced(section, introduced_by)
        heading_partners = section_partners(section)
        indices = sorted({k for p in group for k in range(p.line_start - 1, p.line_end)})
        skip = _heading_lines(lines, indices, label)
        units = _units(lines, [k for k in indices if k not in skip])
        has_bullets = any(u.bullet for u in units)
        introduced: list[str] = []  # agencies the last lead-in ("Giao Sở X:") handed the items below to
        partners: list[str] = []  # and the partners it named ("X chủ trì, phối hợp với Y thực hiện …:")
        for unit in units:
            lead_in = unit.text.rstrip().endswith(":")
            if lead_in:
                introduced = lead_in_agencies(unit.text)
                partners = [a for a in inline_assignment(unit.text)[1] if a not in introduced] if introduced else []
                if unit is units[-1] and introduced:  # "Bộ Tài chính chỉ đạo BHXH Việt Nam:" then "a) …" sections
                    introduced_by[section] = introduced
            if _skip_unit(unit.text) or set(unit.lines) <= used or (introduced and lead_in):
                continue
            lead, support = _unit_assignment(unit, introduced or heading_leads, unit.bullet or not has_bullets
                                             or bool(introduced))
            if lead and not support and lead == (introduced or heading_leads):
                support = [a for a in (partners if introduced else heading_partners) if a not in lead]
            if not lead and not (heading_leads and set(heading_leads) <= set(support)):
                continue  # no agency named: not an assignment
            first = unit.lines[0] + 1
            passage = next((p for p in group if p.line_start <= first <= p.line_end), group[0])
            tasks.append(
                Task(
                    task_id="",
                    doc_id=doc_id,
                    origin="prose",
                    duty=squash(_SUB_BULLET.sub("", _BULLET.sub("", unit.text, count=1), count=1)),
                    lead=lead,
                    support=[a for a in support if a not in lead],
                    deadline=prose_deadline(unit.text),
                    section=section,
                    line_start=first,
                    line_end=unit.lines[-1] + 1,
                    passage_id=passage.passage_id,
                )
            )
    return tasks
