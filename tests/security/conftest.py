"""What the security tests share: the product's log lines, captured as they would be written."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog

from core.logging import configure_logging


def leaked(secrets: tuple[str, ...], blob: bytes) -> list[str]:
    """The secrets that appear in the bytes."""
    return [s for s in secrets if s.encode() in blob]


class LogLines(logging.Handler):
    """Every log line as it would be written, rendered by the product's own formatter."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines() -> Iterator[LogLines]:
    """The product's logging (JSON, as outside development), captured line by line."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_structlog = structlog.get_config()
    configure_logging("test", logging.DEBUG)
    capture = LogLines()
    capture.setFormatter(root.handlers[0].formatter)
    root.addHandler(capture)
    yield capture
    root.handlers, root.level = saved_handlers, saved_level
    structlog.configure(**saved_structlog)
