"""The audit log: who changed the corpus or the index, when, from where, and what came of it.

One JSON object per line, appended (never rewritten), so an inspector can read it
with any tool and a crash loses at most the line being written. The file is
rotated by size (``audit.jsonl`` → ``audit.jsonl.1`` → …), a fixed number of old
files kept. Keys are never written, only their labels (``Settings.labelled_admin_keys``).
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from indexer.settings import Settings


class AuditLog:
    """Append-only JSON lines with size rotation; safe across threads and processes."""

    def __init__(self, path: Path, max_bytes: int, keep: int) -> None:
        self.path = path
        self.max_bytes = max(1024, max_bytes)
        self.keep = max(1, keep)
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Settings) -> AuditLog:
        return cls(settings.audit_path, int(settings.audit_max_mb * 1_048_576), settings.audit_keep)

    def record(self, action: str, *, status: int, **fields: Any) -> dict[str, Any]:
        """Append one entry (time in UTC first; ``result`` told by the HTTP-like ``status``) and return it."""
        entry = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "action": action,
                 "status": status, "result": "ok" if status < 400 else "refused", **fields}
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, (self.path.parent / f".{self.path.name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another process (the CLI) may append too
            if self.path.exists() and self.path.stat().st_size + len(line) > self.max_bytes:
                self._rotate()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        return entry

    def _rotate(self) -> None:
        oldest = self.path.with_name(f"{self.path.name}.{self.keep}")
        if oldest.exists():
            oldest.unlink()
        for n in range(self.keep - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{n}")
            if older.exists():
                older.rename(self.path.with_name(f"{self.path.name}.{n + 1}"))
        self.path.rename(self.path.with_name(f"{self.path.name}.1"))

    def files(self) -> list[Path]:
        """The log's files, oldest first."""
        rotated = [self.path.with_name(f"{self.path.name}.{n}") for n in range(self.keep, 0, -1)]
        return [p for p in rotated + [self.path] if p.exists()]

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry, oldest first; a line that is not JSON (a torn write) is skipped."""
        for path in self.files():
            with path.open(encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    try:
                        yield json.loads(line)
                    except ValueError:
                        continue


def format_entry(entry: dict[str, Any]) -> str:
    """One line for a person: time, action, target, result, who and from where."""
    who = entry.get("key_label") or "-"
    parts = [entry.get("time", "?"), entry.get("action", "?"), str(entry.get("target") or "-"),
             f"{entry.get('status', '')} {entry.get('result', '')}".strip(), f"khoá={who}",
             f"từ={entry.get('client') or '-'}"]
    if entry.get("detail"):
        parts.append(str(entry["detail"]))
    return "  ".join(parts)
