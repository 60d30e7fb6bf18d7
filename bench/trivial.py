"""The bare-Temporal baseline: a one-activity workflow and a workflow with one trivial Update."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel
from temporalio import activity, workflow


class EchoInput(BaseModel):
    """A number to pass through one activity."""

    number: int


class EchoResult(BaseModel):
    """The number, back from the activity."""

    number: int


class WaitInput(BaseModel):
    """How long a pathway-shaped workflow's one timer runs."""

    days: int


class CounterInput(BaseModel):
    """A counter's starting value."""

    start: int = 0


class BumpInput(BaseModel):
    """How much to add."""

    amount: int


class BumpResult(BaseModel):
    """The counter after the bump."""

    total: int


@activity.defn
async def echo(value: EchoInput) -> EchoResult:
    """Return the number unchanged: the cheapest possible activity."""
    return EchoResult(number=value.number)


@workflow.defn
class EchoWorkflow:
    """Runs one trivial activity and ends: the baseline of a pathway start."""

    @workflow.run
    async def run(self, value: EchoInput) -> EchoResult:
        """Echo the number through the activity."""
        return await workflow.execute_activity(echo, value,
                                               start_to_close_timeout=timedelta(seconds=30))


@workflow.defn
class PathwayShapedWorkflow:
    """Does what a new pathway's first task does and no more: starts one long timer (the
    pathway's next deadline) and waits. Started with the pathway's four search attributes."""

    @workflow.run
    async def run(self, wait: WaitInput) -> None:
        """Sleep until the timer fires (the benchmark's server is gone long before)."""
        await workflow.sleep(timedelta(days=wait.days))


@workflow.defn
class CounterWorkflow:
    """Holds a number that a validated Update bumps: the baseline of a caseworker action."""

    @workflow.init
    def __init__(self, start: CounterInput) -> None:
        self._total = start.start
        self._closing = False

    @workflow.run
    async def run(self, start: CounterInput) -> BumpResult:
        """Wait for bumps until asked to close."""
        await workflow.wait_condition(lambda: self._closing)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return BumpResult(total=self._total)

    @workflow.update
    def bump(self, request: BumpInput) -> BumpResult:
        """Add to the counter."""
        self._total += request.amount
        return BumpResult(total=self._total)

    @bump.validator
    def _check_bump(self, request: BumpInput) -> None:
        if request.amount < 1:
            raise ValueError("a bump adds at least one")

    @workflow.signal
    def close(self) -> None:
        """Finish after the bumps in flight."""
        self._closing = True
