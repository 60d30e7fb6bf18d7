"""Pathways: open one, look at it, take a step; whose a pathway is.

A step is one round trip to Temporal: the Update validates it, records it and answers the new
state without the history (domain/views.StepView). No transaction is open while Temporal is
called; the audit entry and the idempotency answer are written together after the Update. A
process that dies between the two loses neither: the client sends the same Idempotency-Key
again, Temporal answers the same Update id with the same state (and the workflow records a
request id once), and the audit entry and the answer are written then.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db import audit, caseload, eligibility, idempotency, pathways, places, projection, units
from db.session import unit_of_work
from domain.actions import Action, Refer, ReferralTarget
from domain.benefits import BenefitStatement
from domain.errors import InvalidInput, NotFound
from domain.pathway import PathwayInput, PathwayState, StepRequest
from domain.stages import Programme
from domain.steps import check_role, first_state
from domain.views import PathwayView, StepView, snapshot, view
from domain.workflow_ids import workflow_id
from services import pathway_calls
from services.context import Caller, Services
from services.errors import ServiceUnavailable
from workflows import search_attributes
from workflows.patches import NEW_PATHWAYS

# A pathway's live state shows the timeline: caseworkers' notes and summaries.
PATHWAY_FIELDS = ("stage", "deadlines", "timeline")
# After a start failed, Temporal is asked this long whether it took it after all.
_LOOK_AFTER_A_FAILED_START = 1.0


async def owner_of(services: Services, pathway_id: uuid.UUID) -> pathways.PathwayOwner:
    """A pathway's unit and caseworker (cached for the process's life; the holder may change
    by a hand-over, so `own_pathway` asks the database for a caseworker limited to a caseload)."""

    async def load() -> pathways.PathwayOwner:
        async with services.sessions() as session:
            return await pathways.owner_of_pathway(session, pathway_id)

    return await services.caches.pathway_owners.get(pathway_id, load)


async def own_pathway(services: Services, caller: Caller, pathway_id: uuid.UUID) -> None:
    """Refuse a pathway outside the caller's unit (or caseload) as if it did not exist (404)."""
    owner = await owner_of(services, pathway_id)
    if caller.caseload_of is not None:
        # The holder changes with a hand-over (issue 16): a caseworker limited to their caseload
        # is let in (or not) by the database, not by the cache.
        async with services.sessions() as session:
            owner = await pathways.owner_of_pathway(session, pathway_id)
            deputy = await caseload.deputy_of(session, pathway_id)
        services.caches.pathway_owners.put(pathway_id, owner)
        if deputy is not None and deputy == caller.caseload_of and owner.unit_id == caller.unit_id:
            return  # the deputy covers the case
    foreign = caller.caseload_of not in (None, owner.caseworker_id)
    if owner.unit_id != caller.unit_id or foreign:
        raise NotFound("pathway_not_found", "No such pathway.")


async def open_pathway(
    services: Services,
    caller: Caller,
    participant_id: uuid.UUID,
    programme: Programme,
    start_date: date,
) -> PathwayView:
    """Register the participant's one open pathway, then start its workflow; its first state."""
    first = await start_pathway(
        services,
        caller,
        PathwayInput(
            pathway_id=str(uuid.uuid4()),
            participant_id=str(participant_id),
            programme=programme,
            started_on=start_date,
            requested_at=datetime.now(UTC),
            reminders=True,
            appointments_in_projection=True,
            born_with=list(NEW_PATHWAYS),
        ),
    )
    return view(first, caller.role)


async def start_pathway(services: Services, caller: Caller, start: PathwayInput) -> PathwayState:
    """Register the pathway (one open per participant) and start its workflow with `start`.

    The first state, and the state after an imported case's history, is a pure function of the
    input: computed here by the workflow's own domain function, so a bad start never reaches
    Temporal and the answer needs no Query.
    """
    async with unit_of_work(services.sessions) as session:
        registered = await register_in(session, services, caller, start)
    await launch(services, registered)
    return registered.first


@dataclass(frozen=True)
class Registration:
    """A pathway registered and not yet started: how it starts, its first state, its unit."""

    start: PathwayInput
    first: PathwayState
    unit_code: str


async def register_in(
    session: AsyncSession, services: Services, caller: Caller, start: PathwayInput
) -> Registration:
    """The pathway's registration, in the caller's unit of work (an import registers more in
    it). The person's exclusions (art. 1 ust. 3) go into the start: they decide whether the
    programme may take them."""
    participant_id = uuid.UUID(start.participant_id)
    exclusions = await eligibility.exclusions_of(session, participant_id)
    start = start.model_copy(update={"exclusions": exclusions})
    first = first_state(start, datetime.now(UTC))
    # A unit's places (issue 16): beyond them the admission is refused with the numbers.
    await places.claim_place(
        session, caller.unit_id, start.programme, participant_id, start.started_on
    )
    await pathways.register_pathway(
        session,
        uuid.UUID(start.pathway_id),
        caller.unit_id,
        participant_id,
        caller.id,
        start.programme,
        start.started_on,
        first.stage,
        caller.caseload_of,
    )
    # The first projection is written here, with the registration: the workflow, told where the
    # read model stands (`projected_seq`), starts without an activity of its own for it.
    first_rows = snapshot(first, 0, len(first.timeline))
    await projection.project_new_pathway(session, first_rows)
    start = start.model_copy(update={"projected_seq": first_rows.last_seq})
    await services.keys.prime(session, workflow_id(start.pathway_id), participant_id)
    fields = ["programme", "start_date"]
    await audit.append(session, caller.actor, "pathway.open", fields, participant_id)
    code = await services.caches.unit_codes.get(
        caller.unit_id, lambda: units.unit_code(session, caller.unit_id)
    )
    return Registration(start, first, code)


async def launch(services: Services, registered: Registration) -> None:
    """Start a registered pathway's workflow. A start that failed removes the registration,
    unless Temporal has the workflow after all (it took the start, the answer was lost): the
    registration then stays with it, and a retry finds both."""
    start = registered.start
    try:
        await pathway_calls.start(
            services.temporal,
            services.settings.temporal_task_queue,
            start,
            search_attributes.at_start(registered.first, registered.unit_code),
        )
    except BaseException:
        if not await _started_after_all(services, uuid.UUID(start.pathway_id)):
            async with unit_of_work(services.sessions) as session:
                await pathways.forget_pathway(session, uuid.UUID(start.pathway_id))
        raise


async def _started_after_all(services: Services, pathway_id: uuid.UUID) -> bool:
    try:
        async with asyncio.timeout(_LOOK_AFTER_A_FAILED_START):
            return await pathway_calls.status(services.temporal, pathway_id) is not None
    except Exception:  # Temporal is away: nothing says it started
        return False


async def look(services: Services, caller: Caller, pathway_id: uuid.UUID) -> PathwayView:
    """The pathway's live state (a Query), audited as a read of its timeline."""
    await own_pathway(services, caller, pathway_id)
    seen = await pathway_calls.look(services.temporal, pathway_id, caller.role)
    await _audit_read(services, caller, pathway_id, PATHWAY_FIELDS)
    return seen


async def benefits(
    services: Services, caller: Caller, pathway_id: uuid.UUID, year: int, month: int
) -> BenefitStatement:
    """The month's CIS integration benefit (a Query), audited as a read."""
    await own_pathway(services, caller, pathway_id)
    statement = await pathway_calls.benefits(services.temporal, pathway_id, year, month)
    await _audit_read(services, caller, pathway_id, ("benefits",))
    return statement


async def take_step(
    services: Services,
    caller: Caller,
    pathway_id: uuid.UUID,
    action: Action,
    idempotency_key: str | None = None,
) -> tuple[StepView, bool]:
    """Record a step; the new state, and whether it is the first answer given again (a retry
    with the same key records nothing). The same key for another request is 422."""
    check_role(action.type, caller.role)
    await own_pathway(services, caller, pathway_id)
    claim = None
    if isinstance(action, Refer) and action.to == ReferralTarget.CIS:
        # Into the unit's own CIS: a place must be free, and is taken under the lock of the
        # unit's places row, so two steps (or a step and an opening) for the last place cannot
        # both pass (issue 16).
        async with unit_of_work(services.sessions) as session:
            claim = await places.claim_for_step(
                session, caller.unit_id, Programme.CIS, pathway_id
            )
    try:
        return await _take_step(services, caller, pathway_id, action, idempotency_key)
    except Exception:  # refused, or never reached the workflow: the place is free again
        if claim is not None:
            async with unit_of_work(services.sessions) as session:
                await places.drop_claim(session, claim)
        raise


async def _take_step(
    services: Services,
    caller: Caller,
    pathway_id: uuid.UUID,
    action: Action,
    idempotency_key: str | None,
) -> tuple[StepView, bool]:
    fields = sorted(action.model_fields_set | {"type"})
    request_hash = _hash(pathway_id, action)
    if idempotency_key:
        async with services.sessions() as session:
            earlier = await idempotency.idempotent_answer(session, caller.id, idempotency_key)
        if earlier is not None:
            if earlier.request_hash != request_hash:
                raise InvalidInput(
                    "idempotency_key_reused",
                    "This Idempotency-Key was used for a different request.",
                )
            await _audit_step(services, caller, pathway_id, fields)
            return StepView.model_validate(earlier.body), True
    request_id = f"{caller.id}:{idempotency_key}" if idempotency_key else None
    update_id = (
        f"step-{hashlib.sha256(request_id.encode()).hexdigest()[:32]}" if request_id else None
    )
    request = StepRequest(
        action=action, actor=caller.username, role=caller.role, request_id=request_id
    )
    receipt = await pathway_calls.step(services.temporal, pathway_id, request, update_id)
    answer = receipt.view or await _after_old_worker(services, caller, pathway_id, receipt.seq)
    body = answer.model_dump(mode="json") if idempotency_key else None
    await _audit_step(services, caller, pathway_id, fields, idempotency_key, request_hash, body)
    return answer, False


async def _audit_step(
    services: Services,
    caller: Caller,
    pathway_id: uuid.UUID,
    fields: list[str],
    key: str | None = None,
    request_hash: str = "",
    body: dict[str, object] | None = None,
) -> None:
    # The audit entry (field names only) and the first answer, in one transaction.
    async with unit_of_work(services.sessions) as session:
        await audit.append(session, caller.actor, "pathway.action", fields, None, pathway_id)
        if key and body is not None:
            await idempotency.remember_answer(session, caller.id, key, request_hash, 200, body)


async def _after_old_worker(
    services: Services, caller: Caller, pathway_id: uuid.UUID, seq: int
) -> StepView:
    """A worker from before issue 13 answers a receipt without the state: read it by Query."""
    try:
        seen = await pathway_calls.look(services.temporal, pathway_id, caller.role)
    except ServiceUnavailable:
        raise ServiceUnavailable(
            "step_recorded_state_unavailable",
            "The step was recorded, but its new state could not be read now. "
            "Read it again with GET; a retry with the same Idempotency-Key records nothing twice.",
        ) from None
    return StepView(**{**seen.model_dump(), "timeline": seen.timeline[seq - 1 : seq]})


async def _audit_read(
    services: Services, caller: Caller, pathway_id: uuid.UUID, fields: tuple[str, ...]
) -> None:
    async with unit_of_work(services.sessions) as session:
        await audit.append(session, caller.actor, "pathway.read", fields, pathway_id=pathway_id)


def _hash(pathway_id: uuid.UUID, action: Action) -> str:
    canonical = json.dumps([str(pathway_id), action.model_dump(mode="json")], sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
