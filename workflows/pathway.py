"""The participant pathway workflow: the source of truth for one person's path and its clock."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.read_model import ReadModelActivities
    from domain import views
    from domain.actions import CorrectDay
    from domain.appointments import (
        Agenda,
        Appointment,
        AppointmentReceipt,
        AppointmentRequest,
        apply_appointment,
    )
    from domain.benefits import BenefitAnswer, answer_benefits
    from domain.calendar import local_date
    from domain.caseload import (
        HolderChange,
        ReferralDecision,
        note_holder,
        note_referral_decision,
    )
    from domain.corrections import beyond_cis, check_psu_step
    from domain.deadlines import next_wakeup, reach_deadlines
    from domain.errors import DomainError, StepNotAllowed
    from domain.pathway import (
        BenefitsRequest,
        CooperativeNews,
        EligibilityChange,
        PathwayInput,
        PathwayResult,
        StepRequest,
        ViewRequest,
        is_finished,
    )
    from domain.stages import Stage
    from domain.steps import first_state, next_step, note_cooperative_news, note_eligibility
    from domain.views import PathwayView, StepReceipt
    from workflows import reminders, search_attributes
    from workflows.alarm import Alarm
    from workflows.patches import NEW_PATHWAYS, Patches
    from workflows.reminders import projected

T = TypeVar("T")

PROJECTION_BATCH = 200
# A projection takes milliseconds; a short limit lets another worker take over soon after a crash.
PROJECTION_TIMEOUT = timedelta(seconds=10)
PROJECTION_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1)
)


@workflow.defn
class ParticipantPathwayWorkflow:
    """One person's path through the programmes.

    The caseworker registers the start; then each step they record (diagnosis, social contract,
    attendance, completion, withdrawal, the outcome after exit) is checked against the law before
    it is accepted. The workflow keeps the deadlines (six months of KIS, contract reviews, the
    90-day outcome window), wakes up on each one, and closes the pathway when the outcome is known
    or its window has passed. Every accepted fact is copied to the read model.
    """

    @workflow.init
    def __init__(self, start: PathwayInput) -> None:
        self._state = start.state or _domain(lambda: first_state(start, workflow.now()))
        self._projected_seq = start.projected_seq
        self._published = search_attributes.already_published(
            workflow.info().typed_search_attributes
        )
        self._patched = Patches(start.born_with)
        self._alarm = Alarm()
        if not self._patched("deadlines-run-to-end-of-day"):
            self._state.tasks_run_to_end_of_day = False
        if not self._patched("law-right-to-the-day"):
            self._state.law_version = 1  # issue 12's rules apply to pathways started after
        self._reminders_on = start.reminders and self._patched("reminders")
        # Appointments reach the read model with the pathway's own projection (issue 13); runs
        # started before (their input has no such flag) keep an activity of their own for them.
        self._one_projection = start.appointments_in_projection

    @workflow.run
    async def run(self, start: PathwayInput) -> PathwayResult:
        """Wait for steps and deadlines until the pathway closes."""
        while True:
            self._state = reach_deadlines(self._state, workflow.now())
            self._publish()
            await self._project()
            if self._reminders_on:
                await reminders.run(
                    lambda: self._state,
                    self._change_agenda,
                    not self._one_projection,
                    self._patched,
                )
            if is_finished(self._state):
                break
            if workflow.info().is_continue_as_new_suggested():
                await self._continue_as_new(start)
            await self._wait_for_news()
        self._alarm.stop()
        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._project()
        return PathwayResult(
            pathway_id=self._state.pathway_id, stage=self._state.stage, outcome=self._state.outcome
        )

    @workflow.update
    def act(self, request: StepRequest) -> StepReceipt:
        """A person's step: recorded once, even when the same request comes again. It answers
        the new state without the history, so the caller needs no second round trip."""
        applied = self._state.applied_requests.get(request.request_id or "")
        first = applied
        if applied is None:
            if isinstance(request.action, CorrectDay) and not (
                self._patched("day-corrections")
                and (
                    not beyond_cis(self._state, request.action)
                    or self._patched("kis-psu-corrections")
                )
            ):
                raise ApplicationError(
                    "This pathway predates corrections of such a day.",
                    {"code": "corrections_unavailable", "details": {}},
                    type="step_not_allowed",
                    non_retryable=True,
                )
            now = workflow.now()
            first = len(self._state.timeline) + 1
            self._state = _domain(lambda: next_step(self._state, request, now))
            applied = len(self._state.timeline)
        receipt = StepReceipt(seq=applied, stage=self._state.stage)
        if self._patched("step-answers-view"):
            receipt.view = views.step_view(self._state, request.role, first or applied, applied)
        return receipt

    @act.validator
    def _check_step(self, request: StepRequest) -> None:
        if request.request_id in self._state.applied_requests:
            return
        after = _domain(lambda: next_step(self._state, request, workflow.now()))
        # Only here, before the step is taken (a validator never runs on replay): PSU hours
        # recorded before the caps were checked replay as they were.
        _domain(lambda: check_psu_step(self._state, after))

    # The Update keeps the name it had when appointments were sessions: histories carry it.
    @workflow.update(name="session")
    def appointment(self, request: AppointmentRequest) -> AppointmentReceipt:
        """A caseworker sets or cancels an appointment; its reminders follow."""
        agenda, changed = _domain(lambda: self._apply_appointment(request))
        self._state.agenda = agenda
        return AppointmentReceipt(appointment=changed)

    @appointment.validator
    def _check_appointment(self, request: AppointmentRequest) -> None:
        _domain(lambda: self._apply_appointment(request))

    def _apply_appointment(self, request: AppointmentRequest) -> tuple[Agenda, Appointment]:
        if not self._reminders_on:
            raise StepNotAllowed("sessions_unavailable", "This pathway predates appointments.")
        open_ = self._state.stage is not Stage.CLOSED
        return apply_appointment(self._state.agenda, request, workflow.now(), open_)

    def _change_agenda(self, change: Callable[[Agenda], Agenda]) -> None:
        self._state.agenda = change(self._state.agenda)

    @workflow.signal
    def eligibility_changed(self, change: EligibilityChange) -> None:
        """The person's exclusions (art. 1 ust. 3) recorded anew: a task, never an exit."""
        self._state = note_eligibility(self._state, change, workflow.now())

    @workflow.signal
    def holder_changed(self, change: HolderChange) -> None:
        """The case handed to another caseworker (issue 16): an event on the timeline, once."""
        if self._patched("holder-changes"):
            self._state = note_holder(self._state, change, workflow.now())

    @workflow.signal
    def referral_decided(self, decision: ReferralDecision) -> None:
        """Another unit accepted or declined this pathway's referral (issue 16), once."""
        if self._patched("referral-decisions"):
            self._state = note_referral_decision(self._state, decision, workflow.now())

    @workflow.signal
    def cooperative_news(self, news: CooperativeNews) -> None:
        """A step of the participant's social cooperative, told by its founding workflow."""
        self._state = note_cooperative_news(self._state, news, workflow.now())

    @workflow.query
    def view(self, request: ViewRequest) -> PathwayView:
        """The live state of the pathway."""
        return views.view(self._state, request.role, local_date(workflow.now()))

    @workflow.query
    def benefits(self, request: BenefitsRequest) -> BenefitAnswer:
        """The month's integration benefit, as the law and the recorded days give it."""
        return answer_benefits(self._state, request)

    async def _wait_for_news(self) -> None:
        wake = next_wakeup(self._state)
        if self._reminders_on:
            wake = min((w for w in (wake, reminders.next_wake(self._state)) if w), default=None)

        def news() -> bool:
            return (
                self._projected_seq < len(self._state.timeline)
                or reminders.has_news(self._state)
                or workflow.info().is_continue_as_new_suggested()
            )

        if self._patched("one-alarm-per-wake"):
            self._alarm.set(wake)
            await workflow.wait_condition(lambda: news() or self._alarm.rang)
            return
        timeout = None if wake is None else max(timedelta(0), wake - workflow.now())
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(news, timeout=timeout)

    def _publish(self) -> None:
        # Visibility follows the stage and the next deadline, so `temporal workflow list` can
        # find pathways by them (workflows/search_attributes.py; no personal data).
        values = search_attributes.published(self._state)
        if values != self._published and self._patched("search-attributes"):
            workflow.upsert_search_attributes(search_attributes.updates(values))
            self._published = values

    async def _project(self) -> None:
        # Under a steady stream of steps this would chase the timeline for ever; it yields to a
        # continue-as-new instead, and the next run projects the rest.
        while self._projected_seq < len(self._state.timeline) or self._appointments_changed():
            if workflow.info().is_continue_as_new_suggested():
                return
            self._publish()  # steps taken while a projection ran change the stage too
            snap = views.snapshot(
                self._state, self._projected_seq, PROJECTION_BATCH, self._appointments_changed()
            )
            await workflow.execute_activity_method(
                ReadModelActivities.project_pathway,
                snap,
                start_to_close_timeout=PROJECTION_TIMEOUT,
                retry_policy=PROJECTION_RETRY,
            )
            self._projected_seq = snap.last_seq
            if snap.appointments is not None:
                self._change_agenda(partial(projected, version=snap.appointments_version))

    def _appointments_changed(self) -> bool:
        return self._one_projection and self._reminders_on and reminders.has_news(self._state)

    async def _continue_as_new(self, start: PathwayInput) -> None:
        # Events not yet projected travel in the state; `projected_seq` tells the next run where
        # to resume, so none is lost and none is projected twice.
        await workflow.wait_condition(workflow.all_handlers_finished)
        # The next run is new code from its start: born with every change.
        carried = {
            "state": self._state,
            "projected_seq": self._projected_seq,
            "history": [],
            "born_with": list(NEW_PATHWAYS),
        }
        workflow.continue_as_new(start.model_copy(update=carried))


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
