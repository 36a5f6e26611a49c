"""Read corpus files into text, whatever their format or encoding.

A file that cannot be read raises ``LoadError`` with a Vietnamese message that
names the file; the pipeline records it and goes on with the rest of the corpus.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
# Vietnamese legacy code pages, tried in order when a file is not UTF-8.
_LEGACY_ENCODINGS = ("cp1258", "cp1252")


class LoadError(Exception):
    """A corpus file that cannot be read; the message is meant for the user."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


@dataclass
class LoadedFile:
    """The raw text of one file plus how it was read."""

    source: str
    text: str
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)


def is_corpus_file(path: Path) -> bool:
    """Documents are the supported suffixes; metadata overrides and hidden files are not."""
    return (
        path.is_file()
        and not path.name.startswith(".")
        and path.suffix.lower() in SUPPORTED_SUFFIXES
    )


def discover(corpus_dir: Path) -> list[Path]:
    """The documents directly in the corpus folder, in a stable order.

    Not recursive: the file name alone is the document's stable ``source`` id.
    """
    return sorted(p for p in corpus_dir.iterdir() if is_corpus_file(p))


def load_file(path: Path, *, max_bytes: int) -> LoadedFile:
    """Read one file by its suffix; raise ``LoadError`` with a clear message."""
    source = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(source, f"không đọc được tệp ({exc.strerror or exc}).") from exc
    if size == 0:
        raise LoadError(source, "tệp rỗng, không có nội dung để lập chỉ mục.")
    if size > max_bytes:
        raise LoadError(
            source,
            f"tệp quá lớn ({size / 1_048_576:.1f} MB, giới hạn {max_bytes / 1_048_576:.0f} MB; "
            "đặt TRACUU_MAX_FILE_MB để nâng giới hạn).",
        )
    return parse_bytes(source, path.read_bytes())


def parse_bytes(source: str, data: bytes) -> LoadedFile:
    """Turn the bytes of a file named ``source`` into text, by its suffix.

    Shared by the indexer and the upload endpoint, so an upload is accepted only
    if the indexer will be able to read it.
    """
    if not data:
        raise LoadError(source, "tệp rỗng, không có nội dung để lập chỉ mục.")
    suffix = Path(source).suffix.lower()
    if suffix in (".txt", ".md"):
        loaded = _decode_text(source, data)
    elif suffix == ".docx":
        loaded = LoadedFile(source, _read_docx(source, data))
    elif suffix == ".pdf":
        loaded = LoadedFile(source, _read_pdf(source, data))
    else:
        raise LoadError(source, f"định dạng '{suffix}' chưa được hỗ trợ (hỗ trợ: {', '.join(SUPPORTED_SUFFIXES)}).")
    if not loaded.text.strip():
        raise LoadError(source, "tệp không chứa văn bản đọc được.")
    return loaded


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    return b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff"))


def _decode_text(source: str, data: bytes) -> LoadedFile:
    """UTF-8 first (with or without BOM), then UTF-16 by BOM, then Vietnamese code pages."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return LoadedFile(source, data.decode("utf-16"), "utf-16")
    if _looks_binary(data):
        raise LoadError(source, "tệp có vẻ là tệp nhị phân, không phải văn bản.")
    try:
        return LoadedFile(source, data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
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
    return LoadedFile(source, text, encoding, [warning])


def _read_docx(source: str, data: bytes) -> str:
    """Paragraphs and tables in body order; table cells joined by tabs, one row a line."""
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise LoadError(source, f"không mở được tệp Word (.docx): {exc}") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.append("")
            for row in block.rows:
                cells = [c.text.replace("\n", " / ").strip() for c in row.cells]
                deduped = [c for i, c in enumerate(cells) if i == 0 or row.cells[i]._tc is not row.cells[i - 1]._tc]
                lines.append("\t".join(deduped))
            lines.append("")
    return "\n".join(lines)


def _read_pdf(source: str, data: bytes) -> str:
    """The PDF's text layer, page by page; a scan without one is reported, not guessed."""
    if not data.startswith(b"%PDF"):
        raise LoadError(source, "tệp có đuôi .pdf nhưng không phải là PDF hợp lệ.")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise LoadError(source, f"không đọc được tệp PDF: {exc}") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise LoadError(source, "PDF không có lớp văn bản (có thể là bản quét); cần nhận dạng OCR trước.")
    return text
