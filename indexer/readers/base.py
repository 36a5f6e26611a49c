"""What every reader shares: the error a user sees when a file cannot be read."""

from __future__ import annotations


class LoadError(Exception):
    """A corpus file that cannot be read; the message is meant for the user."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
