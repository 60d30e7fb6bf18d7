"""One imported case at a time: a case an earlier run left unfinished, or one of a batch that
could not be registered together (services/case_import.py does the rest in batches)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import UTC, datetime

from temporalio.client import WorkflowExecutionStatus

from db import audit, case_imports, pathways
from db.models import CaseImport
from db.session import unit_of_work
from domain.case_import import step_requests
from domain.pathway import PathwayInput
from services import pathway_calls
from services.case_checks import PlannedCase
from services.context import Services
from services.participants import register_in
from services.pathways import launch
from services.pathways import register_in as register_pathway_in
from workflows.patches import NEW_PATHWAYS

# Pathway ids of imported cases are derived from the unit and the case id (uuid5), so a run
# interrupted between opening a pathway and noting it finds the pathway again.
_PATHWAY_NAMESPACE = uuid.UUID("5f0c2b9e-4a53-4d3e-9d7b-6c1f0e2a7b11")


def imported_pathway_id(secret: str, unit_id: uuid.UUID, external_id: str) -> uuid.UUID:
    """The id an imported case's pathway gets: derived, so that a resumed run finds it, and keyed
    with the secret, so that nobody holding the old system's case ids can match them to
    pathways (an erased participant's pathway stays, anonymous)."""
    mac = hmac.new(secret.encode(), f"{unit_id}/{external_id}".encode(), hashlib.sha256)
    return uuid.uuid5(_PATHWAY_NAMESPACE, mac.hexdigest())


def start_of(plan: PlannedCase, pathway_id: uuid.UUID, participant_id: uuid.UUID) -> PathwayInput:
    """How the case's workflow starts: at its start date, past the case's steps."""
    case, actor = plan.case, plan.actor
    return PathwayInput(
        pathway_id=str(pathway_id),
        participant_id=str(participant_id),
        programme=case.programme,
        started_on=case.start_date,
        requested_at=datetime.now(UTC),
        reminders=True,
        appointments_in_projection=True,
        born_with=list(NEW_PATHWAYS),
        history=step_requests(case, actor.username, actor.role, str(pathway_id)),
    )


async def import_one(services: Services, plan: PlannedCase) -> int:
    """Import one case whole, or finish what an earlier run began; the steps it brought in."""
    case, actor = plan.case, plan.actor
    pathway_id = imported_pathway_id(services.settings.secret_key, actor.unit_id, case.external_id)
    record = plan.earlier
    if record is None:
        await _open(services, plan, pathway_id)
    else:
        pathway_id = record.pathway_id or pathway_id
        await _resume(services, plan, record, pathway_id)
    sent = record.steps_sent if record is not None else 0
    async with unit_of_work(services.sessions) as session:
        await case_imports.note_progress(
            session, actor.unit_id, case.external_id, pathway_id, len(case.steps)
        )
        for step in case.steps[sent:]:
            fields = sorted(step.action.model_fields_set)
            await audit.append(session, actor.actor, "pathway.action", fields, None, pathway_id)
    return len(case.steps) - sent


async def _open(services: Services, plan: PlannedCase, pathway_id: uuid.UUID) -> None:
    """A new case: participant, bookkeeping and pathway registered in one transaction, then the
    workflow started with the case's history."""
    case, actor = plan.case, plan.actor
    async with unit_of_work(services.sessions) as session:
        person = await register_in(session, services.keys, actor.actor, case.participant)
        await case_imports.record_case(
            session, actor.unit_id, case.external_id, person.id, case.fingerprint, len(case.steps)
        )
        start = start_of(plan, pathway_id, person.id)
        registered = await register_pathway_in(session, services, actor, start)
    await launch(services, registered)


async def _resume(
    services: Services, plan: PlannedCase, record: CaseImport, pathway_id: uuid.UUID
) -> None:
    """A case an earlier run left unfinished: open what it did not, send what it did not."""
    client = services.temporal
    async with services.sessions() as session:
        registered = await case_imports.pathway_registered(session, pathway_id)
    status = await pathway_calls.status(client, pathway_id) if registered else None
    if registered and status is None:
        # That run stopped between the pathway's registration and its workflow's start.
        async with unit_of_work(services.sessions) as session:
            await pathways.forget_pathway(session, pathway_id)
        registered = False
    if not registered:
        start = start_of(plan, pathway_id, record.participant_id)
        async with unit_of_work(services.sessions) as session:
            again = await register_pathway_in(session, services, plan.actor, start)
        await launch(services, again)
        return
    if status is not WorkflowExecutionStatus.RUNNING:
        return  # its history closed it: every step is in
    # Started with its history, or by a run from before issue 13 that sent the steps one by one:
    # a step the workflow already holds is recognised by its request id and not recorded again.
    actor = plan.actor
    requests = step_requests(plan.case, actor.username, actor.role, str(pathway_id))
    for number, request in enumerate(requests, start=1):
        if number > record.steps_sent:
            update_id = f"import-{pathway_id}-{number}"
            await pathway_calls.step(client, pathway_id, request, update_id)
