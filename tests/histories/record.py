"""Record the histories the replay test replays: `uv run python -m tests.histories.record`.

Run it when a workflow gains a new kind of path; never to "fix" a replay failure (that failure
means a change needs `workflow.patched`). It records only the histories that are missing: a saved
history is the behaviour of its day, and re-recording it would hide a break.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from temporalio import activity
from temporalio.client import WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.digest import (
    DigestDay,
    DigestPlan,
    DigestRequest,
    EscalationPlan,
    EscalationRequest,
    EscalationResult,
    LateTaskRef,
    SendResult,
    SendStatus,
)
from activities.notifications import (
    AppointmentsSnapshot,
    HolidaysInput,
    HolidaysResult,
    SendReminderInput,
    SendReminderResult,
)
from activities.read_model import ProjectionResult
from core.holidays import polish_holidays
from domain.actions import ACTION_ADAPTER
from domain.appointments import AppointmentKind, AppointmentRequest
from domain.calendar import WARSAW, local_date
from domain.caseload import HolderChange, ReferralDecision
from domain.cooperative import (
    CooperativeInput,
    FoundingStep,
    MemberAddition,
    MemberEmployment,
    PersonKind,
    StepRecording,
)
from domain.eligibility import Exclusion
from domain.pathway import (
    EligibilityChange,
    PathwayInput,
    PathwayResult,
    PathwaySnapshot,
    StepRequest,
)
from domain.roles import Role
from domain.stages import Programme
from domain.workflow_ids import cooperative_workflow_id
from worker.search_attributes import register_search_attributes
from workflows.cooperative import CooperativeFoundingWorkflow
from workflows.digest import CaseworkerDigestWorkflow, DigestRunInput
from workflows.patches import NEW_PATHWAYS
from workflows.pathway import ParticipantPathwayWorkflow

HERE = Path(__file__).parent


@activity.defn(name="project_pathway")
async def project_pathway(snap: PathwaySnapshot) -> ProjectionResult:
    """Stand-in for the read model: histories record only the activity's result."""
    return ProjectionResult(last_seq=snap.last_seq, events_written=len(snap.events))


@activity.defn(name="send_reminder")
async def send_reminder(job: SendReminderInput) -> SendReminderResult:
    """Stand-in for the outbox: every reminder is sent (or dropped as the workflow decided)."""
    status = "dropped" if job.dropped_reason else "sent"
    return SendReminderResult(notification_id=str(uuid.UUID(int=99)), status=status)


@activity.defn(name="holidays")
async def holidays(request: HolidaysInput) -> HolidaysResult:
    """Poland's public holidays, as the real activity answers."""
    return HolidaysResult(holidays={y: sorted(polish_holidays(y)) for y in request.years})


@activity.defn(name="project_sessions")
async def project_appointments(snap: AppointmentsSnapshot) -> int:
    """Stand-in for the read model of appointments (histories before issue 13 schedule it)."""
    return len(snap.appointments)


Step = Callable[..., Awaitable[None]]


async def start_pathway(
    env: WorkflowEnvironment,
    number: int,
    programme: Programme,
    reminders: bool = False,
    *,
    appointments_in_projection: bool = False,
    started_on: date | None = None,
    history: list[StepRequest] | None = None,
    born_with: tuple[str, ...] = (),
) -> WorkflowHandle[ParticipantPathwayWorkflow, PathwayResult]:
    """A pathway started today (or on `started_on`, with steps already taken: an imported
    case), with ids made from `number` so recordings are stable."""
    pathway_id = str(uuid.UUID(int=number))
    return await env.client.start_workflow(
        ParticipantPathwayWorkflow.run,
        PathwayInput(
            pathway_id=pathway_id,
            participant_id=str(uuid.UUID(int=number + 1)),
            programme=programme,
            started_on=started_on or local_date(await env.get_current_time()),
            reminders=reminders,
            appointments_in_projection=appointments_in_projection,
            history=history or [],
            born_with=list(born_with),
        ),
        id=f"pathway-{pathway_id}",
        task_queue="record",
    )


def stepper(handle: WorkflowHandle[ParticipantPathwayWorkflow, PathwayResult], actor: str) -> Step:
    """A function that sends one step as `actor` (a caseworker unless a role is given)."""

    async def step(type_: str, role: Role = Role.CASEWORKER, **fields: object) -> None:
        action = ACTION_ADAPTER.validate_python({"type": type_, **fields})
        await handle.execute_update(
            ParticipantPathwayWorkflow.act, StepRequest(action=action, actor=actor, role=role)
        )

    return step


async def record_kis_graduate(env: WorkflowEnvironment) -> None:
    """KIS intake -> graduate -> outcome window closes by its timer."""
    handle = await start_pathway(env, 1, Programme.KIS)
    step = stepper(handle, "anna")
    await step("record_diagnosis", summary="diagnosis")
    await step("sign_social_contract")
    await step("record_attendance", hours="4")
    await env.sleep(timedelta(days=190))
    await step("review_contract")
    await step("mark_contract_fulfilled")
    await step("complete_kis")
    await handle.result()
    history = await handle.fetch_history()
    (HERE / "kis_graduate.json").write_text(history.to_json())


async def record_cis_extended_graduate(env: WorkflowEnvironment) -> None:
    """CIS: IPZS, trial, main, an extension, days off, a bonus, a job start, the certificate."""
    handle = await start_pathway(env, 3, Programme.CIS)
    step = stepper(handle, "ewa")
    await step("sign_ipzs", summary="IPZS")
    await step("record_attendance", hours="8")
    await env.sleep(timedelta(days=20))
    await step("pass_trial")
    await step("record_absence", kind="sick")
    await step("grant_day_off", role=Role.SUPERVISOR)
    await step("award_bonus", role=Role.SUPERVISOR, amount="100")
    await env.sleep(timedelta(days=300))
    await step("extend", role=Role.SUPERVISOR, months=3, justification="vocational course")
    await env.sleep(timedelta(days=60))
    await step("record_job_start", contract_months=12, fte="1")
    await env.sleep(timedelta(days=190))
    await step("complete_cis")
    await step("record_outcome", employed=True, contract_months=12, fte="1")
    await handle.result()
    history = await handle.fetch_history()
    (HERE / "cis_extended_graduate.json").write_text(history.to_json())


async def record_kis_with_appointments(env: WorkflowEnvironment) -> None:
    """A KIS pathway with reminders: two appointments set (one cancelled), the other's reminders
    sent, steps, a withdrawal, and the outcome window's check-ins until it closes.

    `kis_meetings_before_appointments.json` is this scenario recorded before issue 13 (the
    meetings then called sessions, projected by an activity of their own); it must replay too.
    """
    handle = await start_pathway(
        env, 11, Programme.KIS, reminders=True, appointments_in_projection=True
    )
    step = stepper(handle, "ola")
    await step("record_diagnosis", summary="diagnosis")
    today = local_date(await env.get_current_time())
    meeting = datetime.combine(today + timedelta(days=3), time(11, 0), tzinfo=WARSAW)
    for number, kind in ((20, AppointmentKind.WORKSHOP), (21, AppointmentKind.INDIVIDUAL)):
        await handle.execute_update(
            ParticipantPathwayWorkflow.appointment,
            AppointmentRequest(
                op="schedule",
                appointment_id=str(uuid.UUID(int=number)),
                starts_at=meeting + timedelta(hours=number - 20),
                kind=kind,
                place="sala 12",
            ),
        )
    await handle.execute_update(
        ParticipantPathwayWorkflow.appointment,
        AppointmentRequest(op="cancel", appointment_id=str(uuid.UUID(int=21))),
    )
    await step("sign_social_contract")
    await env.sleep(timedelta(days=4))  # the workshop's two reminders go
    await step("record_attendance", hours="4", kind="workshop")
    await step("withdraw")
    await env.sleep(timedelta(days=95))  # check-ins, then the outcome window closes
    await handle.result()
    history = await handle.fetch_history()
    (HERE / "kis_appointments.json").write_text(history.to_json())


async def record_cooperative(env: WorkflowEnvironment) -> None:
    """Three founders (one a participant whose pathway is told), the steps, the 12 months pass."""
    today = local_date(await env.get_current_time())
    pathway = await start_pathway(env, 5, Programme.KIS)
    pathway_id = str(uuid.UUID(int=5))
    cooperative_id = str(uuid.UUID(int=7))
    handle = await env.client.start_workflow(
        CooperativeFoundingWorkflow.run,
        CooperativeInput(
            cooperative_id=cooperative_id, founded_by=PersonKind.NATURAL, created_on=today
        ),
        id=cooperative_workflow_id(cooperative_id),
        task_queue="record",
    )
    for n in range(3):
        await handle.execute_update(
            CooperativeFoundingWorkflow.add_member,
            MemberAddition(
                member_id=str(uuid.UUID(int=10 + n)),
                kind=PersonKind.NATURAL,
                from_excluded_group=True,
                participant_id=str(uuid.UUID(int=6)) if n == 0 else None,
                pathway_id=pathway_id if n == 0 else None,
            ),
        )
    for step in FoundingStep:
        await handle.execute_update(
            CooperativeFoundingWorkflow.record_step, StepRecording(type=step)
        )
    await env.sleep(timedelta(days=370))  # the members deadline passes: flagged
    await handle.query(CooperativeFoundingWorkflow.view)
    history = await handle.fetch_history()
    (HERE / "cooperative_founding.json").write_text(history.to_json())
    await handle.terminate()
    await pathway.terminate()


async def record_cis_law_v2_termination(env: WorkflowEnvironment) -> None:
    """Law version 2: a prepared admission, the head's acts, a day off in the main period, a sick
    spell, an exclusion arising, termination with reasons, delivery, late evidence ends."""
    handle = await start_pathway(env, 21, Programme.CIS)
    step = stepper(handle, "ewa")
    await step("prepare_decision", decision="sign_ipzs")
    await step("sign_ipzs", role=Role.SUPERVISOR, summary="IPZS")
    await env.sleep(timedelta(days=25))
    await step("pass_trial", role=Role.SUPERVISOR)
    await step("grant_day_off", role=Role.SUPERVISOR)
    await step("record_absence", kind="sick")
    today = local_date(await env.get_current_time())
    await handle.signal(
        ParticipantPathwayWorkflow.eligibility_changed,
        EligibilityChange(exclusions=[Exclusion.UNEMPLOYMENT_BENEFIT], occurred_on=today),
    )
    await env.sleep(timedelta(days=3))
    await step("terminate", role=Role.SUPERVISOR, ground="breach", reason="repeated breaches")
    await env.sleep(timedelta(days=5))
    await step("record_decision_delivery")
    await handle.result()  # the windows run out: complaint, outcome, late evidence
    (HERE / "cis_law_v2_termination.json").write_text((await handle.fetch_history()).to_json())


async def record_supported_employment_v2(env: WorkflowEnvironment) -> None:
    """Law version 2: a KIS graduate to supported employment; the agreement counts as work and
    the employer's commitment outlives the outcome window."""
    handle = await start_pathway(env, 23, Programme.KIS)
    step = stepper(handle, "anna")
    await step("record_diagnosis")
    await step("sign_social_contract")
    await step("mark_contract_fulfilled")
    await env.sleep(timedelta(days=186))
    await step("complete_kis")
    await step("refer", to="supported_employment")
    await env.sleep(timedelta(days=30))
    await step("record_employer_agreement", employer="employer")
    await handle.result()  # closes when the commitment ends
    (HERE / "supported_employment_v2.json").write_text((await handle.fetch_history()).to_json())


async def record_cooperative_employs_members(env: WorkflowEnvironment) -> None:
    """Law version 2: three founders, registration, two members from the groups employed."""
    cooperative_id = str(uuid.UUID(int=25))
    handle = await env.client.start_workflow(
        CooperativeFoundingWorkflow.run,
        CooperativeInput(
            cooperative_id=cooperative_id,
            founded_by=PersonKind.NATURAL,
            created_on=local_date(await env.get_current_time()),
        ),
        id=cooperative_workflow_id(cooperative_id),
        task_queue="record",
    )
    for n in range(5):
        member = MemberAddition(
            member_id=str(uuid.UUID(int=30 + n)), kind=PersonKind.NATURAL, from_excluded_group=True
        )
        await handle.execute_update(CooperativeFoundingWorkflow.add_member, member)
        if n == 2:
            for founding_step in FoundingStep:
                await handle.execute_update(
                    CooperativeFoundingWorkflow.record_step, StepRecording(type=founding_step)
                )
    for n in (3, 4):
        await handle.execute_update(
            CooperativeFoundingWorkflow.employ_member,
            MemberEmployment(member_id=str(uuid.UUID(int=30 + n))),
        )
    await handle.query(CooperativeFoundingWorkflow.view)
    history = await handle.fetch_history()
    (HERE / "cooperative_employs_members.json").write_text(history.to_json())
    await handle.terminate()


async def record_kis_imported(env: WorkflowEnvironment) -> None:
    """An imported KIS case (issue 13), started as the services start pathways now: 40 days ago
    with its diagnosis and contract as the start's history, born with every change (no patch
    markers); then a step taken as usual, a withdrawal, and the outcome window."""
    today = local_date(await env.get_current_time())
    started = today - timedelta(days=40)
    taken = [
        ("record_diagnosis", started + timedelta(days=2), {"summary": "diagnosis"}),
        ("sign_social_contract", started + timedelta(days=5), {}),
    ]
    history = [
        StepRequest(
            action=ACTION_ADAPTER.validate_python(
                {"type": type_, "occurred_on": day.isoformat(), **fields}
            ),
            actor="ewa",
            role=Role.CASEWORKER,
            request_id=str(uuid.UUID(int=60 + n)),
        )
        for n, (type_, day, fields) in enumerate(taken)
    ]
    handle = await start_pathway(
        env,
        13,
        Programme.KIS,
        reminders=True,
        appointments_in_projection=True,
        started_on=started,
        history=history,
        born_with=NEW_PATHWAYS,
    )
    step = stepper(handle, "ewa")
    await step("record_attendance", hours="4", kind="workshop")
    await step("withdraw")
    await env.sleep(timedelta(days=95))
    await handle.result()
    history_out = await handle.fetch_history()
    (HERE / "kis_imported.json").write_text(history_out.to_json())


async def record_kis_handed_over(env: WorkflowEnvironment) -> None:
    """Issue 16: a KIS case handed to another caseworker (told twice, recorded once), then a
    step for a day before the hand-over, a withdrawal, the outcome window closes it."""
    handle = await start_pathway(env, 27, Programme.KIS)
    step = stepper(handle, "anna")
    await step("record_diagnosis")
    await env.sleep(timedelta(days=3))
    today = local_date(await env.get_current_time())
    change = HolderChange(
        key="handover:27",
        holder=str(uuid.UUID(int=28)),
        previous=str(uuid.UUID(int=29)),
        actor="kierownik",
        occurred_on=today,
    )
    for _ in range(2):
        await handle.signal(ParticipantPathwayWorkflow.holder_changed, change)
    await step("sign_social_contract", occurred_on=today - timedelta(days=1))
    await step("withdraw")
    await handle.result()
    (HERE / "kis_handed_over.json").write_text((await handle.fetch_history()).to_json())


async def record_kis_referral_declined(env: WorkflowEnvironment) -> None:
    """Issue 16: a KIS graduate referred to another unit's CIS, which declines (told twice,
    recorded once); the outcome window closes the pathway."""
    handle = await start_pathway(env, 31, Programme.KIS)
    step = stepper(handle, "anna")
    await step("record_diagnosis")
    await step("sign_social_contract")
    await step("mark_contract_fulfilled")
    await env.sleep(timedelta(days=186))
    await step("complete_kis")
    today = local_date(await env.get_current_time())
    decision = ReferralDecision(
        key="referral:31",
        accepted=False,
        to_unit="CIS-31",
        reason="brak miejsc",
        actor="kierownik",
        occurred_on=today,
    )
    for _ in range(2):
        await handle.signal(ParticipantPathwayWorkflow.referral_decided, decision)
    await handle.result()
    (HERE / "kis_referral_declined.json").write_text((await handle.fetch_history()).to_json())


async def record_kis_class_cancelled(env: WorkflowEnvironment) -> None:
    """Issue 14 (patch "cancellation-notices"): a class day as an appointment, its eve reminder
    sent, then the day cancelled: the one told gets a notice, once; the 2-hour SMS never goes."""
    handle = await start_pathway(
        env, 61, Programme.KIS, reminders=True, appointments_in_projection=True,
        born_with=NEW_PATHWAYS,
    )  # fmt: skip
    step = stepper(handle, "ola")
    await step("record_diagnosis", summary="diagnosis")
    now = await env.get_current_time()
    day = local_date(now) + timedelta(days=3)
    holidays_ = polish_holidays(day.year, day.year + 1)
    while not (1 <= day.weekday() <= 5 and {day, day - timedelta(days=1)}.isdisjoint(holidays_)):
        day += timedelta(days=1)
    starts = datetime.combine(day, time(11, 0), tzinfo=WARSAW)
    class_day = str(uuid.UUID(int=62))
    await handle.execute_update(
        ParticipantPathwayWorkflow.appointment,
        AppointmentRequest(op="schedule", appointment_id=class_day, starts_at=starts,
                           kind=AppointmentKind.WORKSHOP, place="sala 2"),
    )  # fmt: skip
    await env.sleep(datetime.combine(day, time(8, 0), tzinfo=WARSAW) - now)  # the eve's went
    for _ in range(2):  # cancelled twice (a retry): one notice
        await handle.execute_update(
            ParticipantPathwayWorkflow.appointment,
            AppointmentRequest(op="cancel", appointment_id=class_day),
        )
    await env.sleep(timedelta(days=1))
    await step("withdraw")
    await env.sleep(timedelta(days=95))
    await handle.result()
    (HERE / "kis_class_cancelled.json").write_text((await handle.fetch_history()).to_json())


async def record_cis_day_corrected(env: WorkflowEnvironment) -> None:
    """Issues 14/15: a CIS day marked sick, then (after later steps) corrected to present by
    the `day-corrections` patch (a run not born with it: the marker is written); a withdrawal,
    the outcome window closes it."""
    handle = await start_pathway(env, 33, Programme.CIS)
    step = stepper(handle, "ewa")
    await step("sign_ipzs", role=Role.SUPERVISOR, summary="IPZS")
    await env.sleep(timedelta(days=25))
    await step("pass_trial", role=Role.SUPERVISOR)
    sick_on = local_date(await env.get_current_time())
    await step("record_absence", kind="sick")
    await env.sleep(timedelta(days=2))
    await step("record_attendance", hours="6")
    await step(
        "correct_day", occurred_on=sick_on.isoformat(), mark="present", hours="6",
        reason="the list was wrong",
    )  # fmt: skip
    await step("withdraw")
    await handle.result()
    (HERE / "cis_day_corrected.json").write_text((await handle.fetch_history()).to_json())


async def record_kis_psu_corrected(env: WorkflowEnvironment) -> None:
    """Issue 14: a KIS day marked absent, then corrected to present, and a day's PSU hours
    corrected, by the `kis-psu-corrections` patch (a run born with the CIS's corrections but
    not this one: the marker is written); a withdrawal, the outcome window closes it."""
    handle = await start_pathway(env, 35, Programme.KIS, born_with=("day-corrections",))
    step = stepper(handle, "ola")
    await step("record_diagnosis", summary="diagnosis")
    await step("sign_social_contract")
    absent_on = local_date(await env.get_current_time())
    await step("record_absence", kind="unexcused")
    await step("record_psu_hours", hours="4")
    await env.sleep(timedelta(days=2))
    await step("record_attendance", hours="4")
    await step(
        "correct_day", occurred_on=absent_on.isoformat(), mark="present", hours="3",
        reason="the list was wrong",
    )  # fmt: skip
    await step(
        "correct_day", occurred_on=absent_on.isoformat(), mark="psu", hours="2",
        reason="the host's timesheet",
    )  # fmt: skip
    await step("withdraw")
    await handle.result()
    (HERE / "kis_psu_corrected.json").write_text((await handle.fetch_history()).to_json())


async def record_kis_one_alarm(env: WorkflowEnvironment) -> None:
    """Issue 14: the `one-alarm-per-wake` patch on a run born with every change before it (the
    marker is written): steps that leave the next wake-up where it was keep its timer; an
    appointment moves it, its reminders ring it; a deadline passes while it waits; a withdrawal,
    and the outcome window's check-ins until it closes."""
    before = tuple(p for p in NEW_PATHWAYS if p != "one-alarm-per-wake")
    handle = await start_pathway(
        env, 37, Programme.KIS, reminders=True, appointments_in_projection=True, born_with=before
    )
    step = stepper(handle, "ola")
    await step("record_diagnosis", summary="diagnosis")
    await step("sign_social_contract")
    await step("record_attendance", hours="4")
    await env.sleep(timedelta(days=1))
    await step("record_attendance", hours="3")
    meeting = datetime.combine(
        local_date(await env.get_current_time()) + timedelta(days=2), time(10, 0), tzinfo=WARSAW
    )
    await handle.execute_update(
        ParticipantPathwayWorkflow.appointment,
        AppointmentRequest(op="schedule", appointment_id=str(uuid.UUID(int=38)),
                           starts_at=meeting, kind=AppointmentKind.WORKSHOP, place="sala 3"),
    )  # fmt: skip
    await env.sleep(timedelta(days=3))  # the workshop's reminders go
    await step("record_attendance", hours="4", kind="workshop")
    await env.sleep(timedelta(days=40))  # the contract's review falls due while it waits
    await step("withdraw")
    await env.sleep(timedelta(days=95))
    await handle.result()
    (HERE / "kis_one_alarm.json").write_text((await handle.fetch_history()).to_json())


@activity.defn(name="plan_escalations")
async def plan_escalations(request: DigestDay) -> EscalationPlan:
    """Stand-in: one late task to escalate."""
    late = LateTaskRef(
        pathway_id=uuid.UUID(int=71), kind="contract_review", due_on=request.day - timedelta(9),
        unit_id=uuid.UUID(int=72),
    )  # fmt: skip
    return EscalationPlan(tasks=[late])


@activity.defn(name="escalate_task")
async def escalate_task(request: EscalationRequest) -> EscalationResult:
    """Stand-in: escalated now, its mail sent."""
    return EscalationResult(recorded=True, status=SendStatus.SENT)


@activity.defn(name="plan_digests")
async def plan_digests(request: DigestDay) -> DigestPlan:
    """Stand-in: two caseworkers get a digest."""
    return DigestPlan(caseworker_ids=[uuid.UUID(int=73), uuid.UUID(int=74)])


@activity.defn(name="send_digest")
async def send_digest(request: DigestRequest) -> SendResult:
    """Stand-in: sent."""
    return SendResult(status=SendStatus.SENT)


async def record_digest_morning_run(env: WorkflowEnvironment) -> None:
    """The morning run as issue 16 found it: escalations, then the digests (before the run also
    told untold cases and moved the class reminders' window)."""
    handle = await env.client.start_workflow(
        CaseworkerDigestWorkflow.run,
        DigestRunInput(day=date(2026, 12, 3)),
        id="caseworker-digest-record",
        task_queue="record",
    )
    await handle.result()
    (HERE / "digest_morning_run.json").write_text((await handle.fetch_history()).to_json())


RECORDINGS: dict[str, Callable[[WorkflowEnvironment], Awaitable[None]]] = {
    "kis_graduate.json": record_kis_graduate,
    "cooperative_founding.json": record_cooperative,
    "cis_extended_graduate.json": record_cis_extended_graduate,
    "cis_law_v2_termination.json": record_cis_law_v2_termination,
    "supported_employment_v2.json": record_supported_employment_v2,
    "cooperative_employs_members.json": record_cooperative_employs_members,
    "kis_appointments.json": record_kis_with_appointments,
    "kis_imported.json": record_kis_imported,
    "kis_handed_over.json": record_kis_handed_over,
    "kis_referral_declined.json": record_kis_referral_declined,
    "kis_class_cancelled.json": record_kis_class_cancelled,
    "cis_day_corrected.json": record_cis_day_corrected,
    "kis_psu_corrected.json": record_kis_psu_corrected,
    "digest_morning_run.json": record_digest_morning_run,
    "kis_one_alarm.json": record_kis_one_alarm,
}


async def main() -> None:
    """Record every missing scenario on the time-skipping server."""
    binary = Path(sys.executable).parent / "temporal-test-server"
    async with (
        await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=str(binary), data_converter=pydantic_data_converter
        ) as env,
        Worker(
            env.client,
            task_queue="record",
            workflows=[
                ParticipantPathwayWorkflow,
                CooperativeFoundingWorkflow,
                CaseworkerDigestWorkflow,
            ],
            activities=[
                project_pathway,
                send_reminder,
                holidays,
                project_appointments,
                plan_escalations,
                escalate_task,
                plan_digests,
                send_digest,
            ],
        ),
    ):
        await register_search_attributes(env.client)
        for name, record in RECORDINGS.items():
            if not (HERE / name).exists():
                await record(env)


if __name__ == "__main__":
    asyncio.run(main())
