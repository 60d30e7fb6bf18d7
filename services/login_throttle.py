"""Failed logins counted per username and per address; too many in a window is 429."""

from __future__ import annotations

import math
import time
from collections import deque

from domain.errors import TooManyAttempts


class LoginThrottle:
    """Counts failed logins per username and per address; too many in the window is 429.

    An address gets `ADDRESS_FACTOR` times a username's attempts: a whole centre may share one.
    """

    ADDRESS_FACTOR = 10

    def __init__(self, attempts: int, window_seconds: float) -> None:
        self._attempts = attempts
        self._window = window_seconds
        self._failures: dict[tuple[str, str], deque[float]] = {}

    def check(self, username: str, address: str) -> None:
        """Refuse when the username or the address has used up its attempts."""
        now = time.monotonic()
        limits = (
            (("user", username.lower()), self._attempts),
            (("addr", address), self._attempts * self.ADDRESS_FACTOR),
        )
        for key, limit in limits:
            recent = self._recent(key, now)
            if len(recent) >= limit:
                wait = math.ceil(recent[0] + self._window - now)
                raise TooManyAttempts(
                    "too_many_attempts",
                    "Too many failed logins; try again later.",
                    {"retry_after_seconds": max(wait, 1)},
                )

    def failed(self, username: str, address: str) -> None:
        """Count a failed login against the username and the address."""
        now = time.monotonic()
        if len(self._failures) > 100_000:
            self._failures.clear()
        for key in (("user", username.lower()), ("addr", address)):
            self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        """A correct password clears the username's failures."""
        self._failures.pop(("user", username.lower()), None)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        recent = self._failures.setdefault(key, deque())
        while recent and recent[0] <= now - self._window:
            recent.popleft()
        return recent
