"""A per-request deadline that the work itself checks.

Python cannot stop a thread from outside, so a deadline enforced by abandoning a
worker (``asyncio.wait_for`` around ``run_in_threadpool``) would answer 504 and
leave the thread computing. Instead the request sets a deadline in a context
variable and the query path calls ``check_deadline()`` between its stages (lexical
ranking, dense ranking, reading the question, each evidence candidate, each
answer kind). Every stage is itself bounded (``MAX_QUERY_TERMS`` in
``indexer.lexical``, ``MAX_SUBJECT_TERMS`` in ``search_api.questions``, the
evidence depth), so a request overshoots its deadline by at most one short stage,
and when it is refused nothing of it keeps running.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# (monotonic time it ends, its length in seconds) of the current request.
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("tracuu_deadline", default=None)


class DeadlineExceeded(Exception):
    """The request ran past its deadline; the API answers 504."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"Câu hỏi cần xử lý quá lâu (quá {seconds:g} giây) nên đã dừng. "
            "Hãy hỏi ngắn gọn hơn hoặc thử lại sau."
        )
        self.seconds = seconds


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Work inside the block must finish within ``seconds`` (None or <= 0: no deadline)."""
    if not seconds or seconds <= 0:
        yield
        return
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_deadline() -> None:
    """Raise ``DeadlineExceeded`` when the current request's deadline has passed (cheap: one clock read)."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        raise DeadlineExceeded(current[1])
