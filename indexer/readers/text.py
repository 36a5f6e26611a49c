"""Plain text and markdown: decode, normalise, and recognise the tables printed in them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from indexer.model import Layout, Table
from indexer.normalise import normalise_text
from indexer.vocabulary import DANGLING_HEADS, DANGLING_WORDS
from indexer.readers.base import LoadError
from indexer.readers.ocr_tables import ocr_tables
from indexer.readers.text_tables import text_tables
from indexer.syllables import syllable_share
from indexer.tcvn3 import from_tcvn3

# Vietnamese legacy code pages, tried in order when a file is not UTF-8.
_LEGACY_ENCODINGS = ("cp1258", "cp1252")


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    return b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode_text(source: str, data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings): UTF-8 (with or without BOM), UTF-16 by BOM, then Vietnamese code pages."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", []
    if looks_binary(data):
        raise LoadError(source, "tệp có vẻ là tệp nhị phân, không phải văn bản.")
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    # TCVN3 (.VnTime era) bytes, when reading them so gives more valid syllables than the Vietnamese
    # code page does; converted before the lines are unwrapped, which reads small letters.
    latin = data.decode("latin-1")
    as_tcvn3 = from_tcvn3(latin)
    if as_tcvn3 != latin and syllable_share(as_tcvn3) > syllable_share(
            unicodedata.normalize("NFC", data.decode("cp1258", "replace"))):
        return as_tcvn3, "tcvn3", [f"{source}: tệp theo bảng mã TCVN3 (ABC, phông .VnTime), đã chuyển sang "
                                   "Unicode; nên lưu lại dưới dạng UTF-8."]
    # Windows-1258 is the Vietnamese legacy code page; Windows-1252 only when it cannot decode.
    for encoding in _LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LoadError(source, "không nhận ra bảng mã ký tự của tệp (không phải UTF-8 hay Windows-1258).")
    warning = f"{source}: tệp không phải UTF-8, đã đọc theo bảng mã {encoding}; nên lưu lại dưới dạng UTF-8."
    return text, encoding, [warning]


_LONE_MARKER = re.compile(r"^[*_\s]*(?:[-+•–]|\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVXLC]{1,6}\.|[a-zđ]\)|Điều\s+\d+\.?)[*_\s]*$")
_ITEM_START = re.compile(r"^[*_\s]*(?:[-+•–]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]\s|[IVXLC]{1,6}[.)]\s|[a-zđ]\)\s)")


def unwrap(lines: list[str]) -> list[str]:
    """Undo hard line wraps that break a phrase: portals and PDF text layers wrap anywhere.

    A line joins the one above when that one is only a marker ("-", "1.2.", "b)")
    or when it starts in lower case, does not open an item, and the line above did
    not end a sentence ("Thời" / "gian thực hiện:", "Ủy ban nhân" / "dân tỉnh").
    Table lines (tabs, "|") are never joined.
    """
    out: list[str] = []
    for line in lines:
        s = line.strip()
        prev = out[-1].rstrip() if out else ""
        joinable = s and prev.strip() and "\t" not in line and "\t" not in prev and "|" not in (s[:1], prev.strip()[-1:])
        open_end = not prev.endswith((".", ";", ":", "!", "?"))
        last = prev.replace("*", "").split()
        dangling = open_end and bool(last) and (last[-1] in DANGLING_WORDS or (
            last[-1][:1].isupper() and last[-1].lower() in DANGLING_HEADS))
        if joinable and (_LONE_MARKER.match(prev) or (
                (s[:1].islower() or dangling) and not _ITEM_START.match(s) and open_end)):
            out[-1] = f"{prev} {s}"
            continue
        out.append(line)
    return out


def layout_from_text(raw_text: str, *, fmt: str = "text") -> Layout:
    """Normalised text and its tables; the OCR'd-table reader takes what the other layouts left."""
    return layout_from_lines(unwrap(raw_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")), fmt=fmt)


def layout_from_lines(raw: list[str], *, fmt: str = "text", tables: Sequence[Table] = ()) -> Layout:
    """Normalised text of unwrapped ``raw`` lines and its tables.

    ``tables``: those the reader already recognised from the file's own structure
    (the ruled tables of a PDF page); their lines are theirs, and the text layouts
    look for tables in the other lines only.
    """
    text = normalise_text("\n".join(raw))
    lines = text.split("\n")
    taken = {k for t in tables for k in range(t.line_start - 1, t.line_end)}
    seen_raw = [("" if k in taken else line) for k, line in enumerate(raw)] if taken else raw
    seen = [("" if k in taken else line) for k, line in enumerate(lines)] if taken else lines
    found = text_tables(seen_raw, seen)
    taken |= {k for t in found for k in range(t.line_start - 1, t.line_end)}
    found = sorted([*tables, *found, *ocr_tables(seen, taken)], key=lambda t: t.line_start)
    return Layout(text=text, tables=found, format=fmt)


def read_text(source: str, data: bytes) -> Layout:
    raw, encoding, warnings = decode_text(source, data)
    layout = layout_from_text(raw, fmt="markdown" if source.lower().endswith(".md") else "text")
    layout.encoding = encoding
    layout.warnings = warnings
    return layout
