"""Social cooperatives: found one, add and remove founders or members, record founding steps.

The founding workflow holds the state; the database holds the cooperative's unit and name and
outside members' names (never in Temporal). No transaction is open while Temporal is called.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDReusePolicy

from db import audit, cooperatives, participants
from db.models import Cooperative
from db.session import unit_of_work
from domain.calendar import local_date
from domain.cooperative import (
    CooperativeInput,
    CooperativeView,
    MemberAddition,
    MemberEmployment,
    MemberRemoval,
    PersonKind,
    StepRecording,
)
from domain.cooperative_views import (
    CooperativeCreate,
    CooperativeOut,
    EmploymentCreate,
    MemberCreate,
    StepCreate,
)
from domain.errors import DomainError, NotFound
from domain.founding import check_referred, new_cooperative, view
from domain.workflow_ids import cooperative_workflow_id
from services import caseload
from services.context import Caller, Services
from services.temporal_calls import CALL_TIMEOUT, UPDATE_TIMEOUT, call, update
from workflows.cooperative import CooperativeFoundingWorkflow

MISSING = NotFound("cooperative_not_found", "No such cooperative.")
UNCONFIRMED = "The workflow service did not confirm the change in time; look before sending again."

Handle = WorkflowHandle[CooperativeFoundingWorkflow, None]


async def create(services: Services, caller: Caller, body: CooperativeCreate) -> CooperativeOut:
    """Start a founding initiative in the caller's unit."""
    now = datetime.now(UTC)
    start = CooperativeInput(
        cooperative_id=str(uuid.uuid4()), founded_by=body.founded_by, created_on=local_date(now)
    )
    first = new_cooperative(start, now)
    cooperative_id = uuid.UUID(start.cooperative_id)
    async with unit_of_work(services.sessions) as session:
        await cooperatives.register_cooperative(session, cooperative_id, caller.unit_id, body.name)
        await audit.append(
            session, caller.actor, "cooperative.create", sorted(body.model_fields_set)
        )
    try:
        await call(
            services.temporal.start_workflow(
                CooperativeFoundingWorkflow.run,
                start,
                id=cooperative_workflow_id(start.cooperative_id),
                task_queue=services.settings.temporal_task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                rpc_timeout=CALL_TIMEOUT,
            ),
            MISSING,
        )
    except BaseException:
        async with unit_of_work(services.sessions) as session:
            await cooperatives.forget_cooperative(session, cooperative_id)
        raise
    return CooperativeOut.of(view(first), body.name, {})  # no members yet


async def look(services: Services, caller: Caller, cooperative_id: uuid.UUID) -> CooperativeOut:
    """The cooperative's live state: members, steps, deadlines, risks."""
    cooperative = await own_cooperative(services, caller, cooperative_id)
    return await _answer(services, caller, cooperative, await _state(services, cooperative_id))


async def add_member(
    services: Services, caller: Caller, cooperative_id: uuid.UUID, body: MemberCreate
) -> CooperativeOut:
    """Add a founder or member: a participant referred to a cooperative, or an outside person.

    An outside member's name is kept before the Update and forgotten if it is refused, so that
    a name never goes missing for a member the workflow holds."""
    cooperative = await own_cooperative(services, caller, cooperative_id)
    member_id = uuid.uuid4()
    async with unit_of_work(services.sessions) as session:
        if body.participant_id is not None:
            person = await participants.participant_in_unit(
                session, caller.unit_id, body.participant_id, caller.caseload_of
            )
            pathway_id = await cooperatives.cooperative_referral(session, person.id)
            check_referred(pathway_id is not None)
            addition = MemberAddition(
                member_id=str(member_id),
                kind=PersonKind.NATURAL,
                from_excluded_group=True,
                participant_id=str(person.id),
                pathway_id=str(pathway_id),
                occurred_on=body.occurred_on,
            )
        else:
            assert body.outside is not None
            await cooperatives.name_cooperative_member(
                session, member_id, cooperative.id, body.outside.name
            )
            addition = MemberAddition(
                member_id=str(member_id),
                kind=body.outside.kind,
                from_excluded_group=body.outside.from_excluded_group,
                occurred_on=body.occurred_on,
            )
        fields = sorted(body.model_fields_set)
        await audit.append(
            session, caller.actor, "cooperative.member_add", fields, body.participant_id
        )
    try:
        state = await _change(
            services, cooperative_id, CooperativeFoundingWorkflow.add_member, addition
        )
    except DomainError:
        async with unit_of_work(services.sessions) as session:
            await cooperatives.forget_cooperative_member(session, member_id)
        raise
    return await _answer(services, caller, cooperative, state)


async def remove_member(
    services: Services,
    caller: Caller,
    cooperative_id: uuid.UUID,
    member_id: uuid.UUID,
    occurred_on: date | None,
) -> CooperativeOut:
    """A founder or member leaves; their name, if we held it, is forgotten."""
    cooperative = await own_cooperative(services, caller, cooperative_id)
    await _check_member(services, caller, cooperative_id, member_id)
    removal = MemberRemoval(member_id=str(member_id), occurred_on=occurred_on)
    state = await _change(
        services, cooperative_id, CooperativeFoundingWorkflow.remove_member, removal
    )
    async with unit_of_work(services.sessions) as session:
        await audit.append(session, caller.actor, "cooperative.member_remove", ["member_id"])
        await cooperatives.forget_cooperative_member(session, member_id)
    return await _answer(services, caller, cooperative, state)


async def employ_member(
    services: Services,
    caller: Caller,
    cooperative_id: uuid.UUID,
    member_id: uuid.UUID,
    body: EmploymentCreate,
) -> CooperativeOut:
    """The cooperative employs a member: two from the groups, admitted and employed within 12
    months of registration, meet a three-founder cooperative's duty (§10)."""
    cooperative = await own_cooperative(services, caller, cooperative_id)
    await _check_member(services, caller, cooperative_id, member_id)
    employment = MemberEmployment(member_id=str(member_id), **body.model_dump())
    state = await _change(
        services, cooperative_id, CooperativeFoundingWorkflow.employ_member, employment
    )
    async with unit_of_work(services.sessions) as session:
        fields = ["member_id", *sorted(body.model_fields_set)]
        await audit.append(session, caller.actor, "cooperative.member_employed", fields)
    return await _answer(services, caller, cooperative, state)


async def record_step(
    services: Services, caller: Caller, cooperative_id: uuid.UUID, body: StepCreate
) -> CooperativeOut:
    """Record the next founding step: founding meeting, court filing, registration."""
    cooperative = await own_cooperative(services, caller, cooperative_id)
    recording = StepRecording(type=body.type, occurred_on=body.occurred_on)
    state = await _change(
        services, cooperative_id, CooperativeFoundingWorkflow.record_step, recording
    )
    async with unit_of_work(services.sessions) as session:
        await audit.append(session, caller.actor, "cooperative.step", sorted(body.model_fields_set))
    return await _answer(services, caller, cooperative, state)


async def own_cooperative(
    services: Services, caller: Caller, cooperative_id: uuid.UUID
) -> Cooperative:
    """A cooperative of the caller's unit; any other is 404, as if it did not exist."""
    async with services.sessions() as session:
        return await cooperatives.cooperative_in_unit(session, caller.unit_id, cooperative_id)


async def _state(services: Services, cooperative_id: uuid.UUID) -> CooperativeView:
    return await call(
        _handle(services.temporal, cooperative_id).query(
            CooperativeFoundingWorkflow.view, rpc_timeout=CALL_TIMEOUT
        ),
        MISSING,
    )


async def _check_member(
    services: Services, caller: Caller, cooperative_id: uuid.UUID, member_id: uuid.UUID
) -> None:
    """A caseworker limited to a caseload changes only outside members and their own
    participants (any other member is 404 to them)."""
    if caller.caseload_of is None:
        return
    state = await _state(services, cooperative_id)
    async with services.sessions() as session:
        await caseload.check_member(session, state, member_id, caller.caseload_of)


async def _answer(
    services: Services, caller: Caller, cooperative: Cooperative, state: CooperativeView
) -> CooperativeOut:
    """The cooperative as the caller may see it: others' participants keep their place in a
    caseload-limited caseworker's answer, without their ids."""
    async with services.sessions() as session:
        names = await cooperatives.cooperative_member_names(session, cooperative.id)
        seen = await caseload.members_in_reach(session, state, caller.caseload_of)
    return CooperativeOut.of(seen, cooperative.name, names)


async def _change(
    services: Services, cooperative_id: uuid.UUID, change: Any, argument: Any
) -> CooperativeView:
    """One of the founding workflow's Updates (`change`), its refusal the domain's error."""
    state: CooperativeView = await update(
        _handle(services.temporal, cooperative_id).execute_update(
            change, argument, rpc_timeout=UPDATE_TIMEOUT
        ),
        MISSING,
        UNCONFIRMED,
    )
    return state


def _handle(client: Client, cooperative_id: uuid.UUID) -> Handle:
    return client.get_workflow_handle_for(
        CooperativeFoundingWorkflow.run, cooperative_workflow_id(str(cooperative_id))
    )
