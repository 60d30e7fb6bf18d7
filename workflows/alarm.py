"""One timer for the next moment a workflow must wake at, kept for as long as that moment stays.

A workflow that waits for news "or until the next deadline" with `wait_condition(timeout=...)`
starts a timer at every wait and cancels it at every step: two history events, a timer task on
the server and two commands per step, though the next deadline rarely moves. The alarm starts a
timer only when the moment to wake at changes (and cancels the one it replaces).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow


class Alarm:
    """`rang` once the moment set has come; `set` it again after each wake-up."""

    def __init__(self) -> None:
        self.rang = False
        self._at: datetime | None = None
        self._timer: asyncio.Task[None] | None = None

    def set(self, at: datetime | None) -> None:
        """Ring at `at` (never, for None); the timer already running for `at` is kept."""
        if at == self._at and not self.rang and (at is None or self._timer is not None):
            return
        self.stop()
        self._at, self.rang = at, False
        if at is not None:
            self._timer = asyncio.create_task(self._ring(at - workflow.now()))

    def stop(self) -> None:
        """Cancel the running timer, if any."""
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
        self._timer = None

    async def _ring(self, delay: timedelta) -> None:
        # A moment already past rings at once, without a timer (as a zero timeout did).
        await workflow.sleep(max(delay, timedelta(0)))
        self.rang = True
