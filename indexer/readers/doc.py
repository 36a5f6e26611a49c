"""Word 97–2003 (.doc): converted to .docx by LibreOffice headless, then read as Word.

Why LibreOffice and not antiword or catdoc (measured by ``scripts/doc_readers_benchmark.py``
on the real OLE2 files of ``vn-admin-docs`` and on the build split's Word files saved
as Word 97, numbers in the README): all three keep Vietnamese diacritics, but only the
conversion keeps tables as tables — merged cells, the two-column letterhead and the
task tables arrive as Word tables that :mod:`indexer.readers.docx` already reads
(with auto-numbered headings), while antiword prints tables as wrapped ``|`` text and
catdoc as tab-joined lines whose rows cannot be told apart. It costs about a second
per file (LibreOffice start-up), which an index build pays once per file.

Each call gets its own LibreOffice profile folder and a time limit, so concurrent
conversions (the indexer and an upload) cannot lock each other and a hostile file
cannot stall the build. A conversion is kept by the file's content hash, so a
re-index of unchanged files starts no LibreOffice.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from indexer.model import Layout
from indexer.readers.base import LoadError
from indexer.readers.docx import read_docx
from indexer.store import write_atomically

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_SIGNATURE = b"{\\rtf"  # Word saves RTF under ".doc" too, and opens it as such
CONVERT_TIMEOUT_S = 120.0
"""Seconds one conversion may take: a 6-page plan takes 1–4 s (2 busy cores), a 100-page one a few more;
a file still converting after two minutes is broken or hostile."""

_SOFFICE_NAMES = ("soffice", "libreoffice")
CACHE_DIR = Path("~/.cache/tracuu/doc-to-docx").expanduser()
"""Conversions kept by content hash (beside the embedding cache, outside the source tree)."""


def soffice_path() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return next((found for name in _SOFFICE_NAMES if (found := shutil.which(name))), None)


def convert_to_docx(source: str, data: bytes, *, timeout_s: float = CONVERT_TIMEOUT_S) -> bytes:
    """The bytes of ``data`` (a Word 97 file) saved as .docx by LibreOffice; ``LoadError`` if it cannot."""
    program = soffice_path()
    if program is None:
        raise LoadError(source, "không đọc được tệp Word 97-2003 (.doc): máy chủ chưa cài LibreOffice "
                                "(gói Debian libreoffice-writer-nogui). Hãy cài, hoặc lưu tệp dưới dạng .docx.")
    with tempfile.TemporaryDirectory(prefix="tracuu-doc-") as tmp:
        work = Path(tmp)
        (work / "in.doc").write_bytes(data)
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"),
                   str(work / "in.doc")]
        process = subprocess.Popen(command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True, env={**os.environ, "HOME": str(work)})
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)  # LibreOffice starts helpers: end its whole group
            process.wait()
            raise LoadError(source, f"chuyển đổi tệp .doc quá {timeout_s:.0f} giây; tệp có thể bị hỏng.") from exc
        out = work / "out" / "in.docx"
        if not out.is_file():
            raise LoadError(source, "không chuyển đổi được tệp Word 97-2003 (.doc); tệp có thể bị hỏng "
                                    "hoặc được đặt mật khẩu.")
        return out.read_bytes()


def _cached_conversion(source: str, data: bytes) -> bytes:
    """The .docx of ``data``, converted once per content: a re-index does not start LibreOffice again."""
    key = hashlib.sha256(data).hexdigest()
    cached = CACHE_DIR / f"{key}.docx"
    if cached.is_file():
        return cached.read_bytes()
    converted = convert_to_docx(source, data)
    try:
        write_atomically(cached, converted)
    except OSError:  # a read-only home still reads the file, only slower next time
        pass
    return converted


def read_doc(source: str, data: bytes) -> Layout:
    """A Word 97–2003 file (or RTF named .doc) as the document model, through its .docx conversion."""
    if not data.startswith((OLE2_SIGNATURE, RTF_SIGNATURE)):
        raise LoadError(source, "tệp mang đuôi .doc nhưng không phải tệp Word (không có chữ ký Word 97-2003, "
                                "Word 2007 hay RTF); hãy kiểm tra lại tệp gốc.")
    layout = read_docx(source, _cached_conversion(source, data))
    layout.format = "doc"
    return layout
