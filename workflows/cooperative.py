"""The cooperative founding workflow: one social cooperative's founders, steps and deadlines."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.exceptions import ApplicationError, FailureError

with workflow.unsafe.imports_passed_through():
    from domain import founding
    from domain.cooperative import (
        CooperativeInput,
        CooperativeState,
        CooperativeView,
        MemberAddition,
        MemberEmployment,
        MemberRemoval,
        StepRecording,
    )
    from domain.errors import DomainError
    from domain.workflow_ids import workflow_id as pathway_workflow_id

from workflows.pathway import ParticipantPathwayWorkflow

T = TypeVar("T")


@workflow.defn
class CooperativeFoundingWorkflow:
    """A social cooperative from its founding group to the court register, and its members after.

    The caseworker adds the founders (participants referred to a cooperative, or outside persons),
    then records the founding meeting, the filing with the court register and the registration,
    each checked against the act on social cooperatives. A cooperative of three natural persons
    has twelve months from registration to admit and employ two more persons from the excluded
    groups (the caseworker records each employment); membership below the minimum for three
    months is flagged as a liquidation risk. Each participant member's pathway is told of
    every step.
    """

    @workflow.init
    def __init__(self, start: CooperativeInput) -> None:
        self._state = start.state or _domain(
            lambda: founding.new_cooperative(start, workflow.now())
        )
        if not workflow.patched("cooperative-employs-members"):
            self._state.law_version = 1  # started before: five natural persons met the duty
        self._changes = 0

    @workflow.run
    async def run(self, start: CooperativeInput) -> None:
        """Keep the deadlines and tell members' pathways, for as long as the cooperative lasts."""
        while True:
            self._state = founding.reach_deadlines(self._state, workflow.now())
            await self._tell_pathways()
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(start.model_copy(update={"state": self._state}))
            await self._wait_for_news()

    @workflow.update
    def add_member(self, addition: MemberAddition) -> CooperativeView:
        """A founder, or a member joining after the founding meeting."""
        return self._change(lambda state: founding.add_member(state, addition, workflow.now()))

    @add_member.validator
    def _check_addition(self, addition: MemberAddition) -> None:
        self._check(lambda state: founding.add_member(state, addition, workflow.now()))

    @workflow.update
    def remove_member(self, removal: MemberRemoval) -> CooperativeView:
        """A founder or member leaves."""
        return self._change(lambda state: founding.remove_member(state, removal, workflow.now()))

    @remove_member.validator
    def _check_removal(self, removal: MemberRemoval) -> None:
        self._check(lambda state: founding.remove_member(state, removal, workflow.now()))

    @workflow.update
    def employ_member(self, employment: MemberEmployment) -> CooperativeView:
        """The cooperative employs a member (the 12-month duty counts those from the groups)."""
        return self._change(lambda state: founding.employ_member(state, employment, workflow.now()))

    @employ_member.validator
    def _check_employment(self, employment: MemberEmployment) -> None:
        self._check(lambda state: founding.employ_member(state, employment, workflow.now()))

    @workflow.update
    def record_step(self, step: StepRecording) -> CooperativeView:
        """The next founding step: meeting, court filing, registration."""
        return self._change(lambda state: founding.record_step(state, step, workflow.now()))

    @record_step.validator
    def _check_step(self, step: StepRecording) -> None:
        self._check(lambda state: founding.record_step(state, step, workflow.now()))

    @workflow.query
    def view(self) -> CooperativeView:
        """The live state of the cooperative."""
        return founding.view(self._state)

    def _change(self, rule: Callable[[CooperativeState], CooperativeState]) -> CooperativeView:
        current = founding.reach_deadlines(self._state, workflow.now())
        self._state = _domain(lambda: rule(current))
        self._changes += 1
        return founding.view(self._state)

    def _check(self, rule: Callable[[CooperativeState], CooperativeState]) -> None:
        current = founding.reach_deadlines(self._state, workflow.now())
        _domain(lambda: rule(current))

    async def _wait_for_news(self) -> None:
        seen = self._changes
        wake = founding.next_wakeup(self._state)
        timeout = None if wake is None else max(timedelta(0), wake - workflow.now())
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(
                lambda: (
                    self._changes != seen
                    or bool(self._state.outbox)
                    or workflow.info().is_continue_as_new_suggested()
                ),
                timeout=timeout,
            )

    async def _tell_pathways(self) -> None:
        # One at a time, oldest first; an update may queue more while a signal is in flight.
        while self._state.outbox:
            pending = self._state.outbox[0]
            handle = workflow.get_external_workflow_handle(pathway_workflow_id(pending.pathway_id))
            try:
                await handle.signal(ParticipantPathwayWorkflow.cooperative_news, pending.news)
            except FailureError:
                # A closed pathway has nothing left to record; the cooperative carries on.
                workflow.logger.info(
                    "cooperative_news_not_delivered", extra={"pathway_id": pending.pathway_id}
                )
            self._state = self._state.model_copy(update={"outbox": self._state.outbox[1:]})


def _domain(rule: Callable[[], T]) -> T:
    """Run a domain rule; a refusal fails the update (not the workflow task)."""
    try:
        return rule()
    except DomainError as err:
        raise ApplicationError(
            err.message,
            {"code": err.code, "details": err.details},
            type=err.kind,
            non_retryable=True,
        ) from None
