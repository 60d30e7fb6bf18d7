"""Data subjects' requests, answered by supervisors: export (art. 15) and erasure (art. 17).

Erasure is refused while a pathway is open or the retention period runs (art. 17(3)(b): the
centre must keep the records its statutory tasks need). It removes personal fields from the
read model, ends any workflow still running, and destroys the participant's data key, so the
encrypted Temporal history becomes unreadable; pathways stay, anonymous, for the counts.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from api.audit import PARTICIPANT_FIELDS, AuditDep
from api.deps import Caller, SessionDep, SettingsDep, TemporalDep, require
from api.schemas import ParticipantOut, PathwaySummary
from core.temporal import workflow_id
from db import audit, eligibility, keys, queries, subjects
from db.keys import DatabaseKeyStore
from domain.errors import Conflict
from domain.roles import Role

router = APIRouter(tags=["data subjects"])

Supervisor = Annotated[Caller, require(Role.SUPERVISOR)]


class ExportedEvent(BaseModel):
    """One fact of a pathway's timeline."""

    seq: int
    type: str
    occurred_on: date
    actor: str
    recorded_at: datetime
    data: dict[str, Any]


class ExportedPathway(PathwaySummary):
    """A pathway with its timeline."""

    events: list[ExportedEvent]


class ExportedAccess(BaseModel):
    """Who saw or changed the participant's data, and when."""

    at: datetime
    actor: str
    role: str
    action: str
    fields: list[str]


class ExportedSession(BaseModel):
    """A workshop, meeting or review planned for the participant."""

    pathway_id: uuid.UUID
    starts_at: datetime
    kind: str
    place: str
    cancelled_at: datetime | None


class ExportedMessage(BaseModel):
    """A reminder sent, or meant, for the participant: what kind, by which channel, how it went."""

    kind: str
    channel: str | None
    status: str
    reason: str | None
    due_at: datetime
    sent_at: datetime | None


class ParticipantExport(BaseModel):
    """Everything the product holds on a participant."""

    exported_at: datetime
    erased_at: datetime | None
    participant: ParticipantOut
    pathways: list[ExportedPathway]
    sessions: list[ExportedSession]
    messages: list[ExportedMessage]
    access_log: list[ExportedAccess]


class ErasureOut(BaseModel):
    """What erasure did."""

    participant_id: uuid.UUID
    erased_at: datetime
    pathways_kept_anonymous: int


@router.get("/participants/{participant_id}/export")
async def export_participant(
    participant_id: uuid.UUID, session: SessionDep, caller: Supervisor, audit_log: AuditDep
) -> ParticipantExport:
    """Everything held on the participant, as JSON (GDPR art. 15)."""
    person = await queries.participant_in_unit(session, caller.unit_id, participant_id)
    pathways = await subjects.pathways_of(session, person.id)
    events = await subjects.events_of(session, [p.id for p in pathways])
    planned = await subjects.sessions_of(session, [p.id for p in pathways])
    messages = await subjects.messages_to(session, person.id)
    erasure = await subjects.erasure_of(session, person.id)
    accesses = await audit.entries_about(session, person.id)
    await audit_log.record(
        "participant.export", [*PARTICIPANT_FIELDS, "timeline"], participant_id=person.id
    )
    return ParticipantExport(
        exported_at=datetime.now(UTC),
        erased_at=erasure.erased_at if erasure else None,
        participant=ParticipantOut.full(
            person,
            await queries.categories_of(session, person.id),
            await queries.current_pathway(session, person.id),
            await eligibility.exclusions_of(session, person.id),
        ),
        pathways=[
            ExportedPathway(
                **PathwaySummary.of(p).model_dump(),
                events=[
                    ExportedEvent.model_validate(e, from_attributes=True)
                    for e in events
                    if e.pathway_id == p.id
                ],
            )
            for p in pathways
        ],
        sessions=[ExportedSession.model_validate(s, from_attributes=True) for s in planned],
        messages=[ExportedMessage.model_validate(m, from_attributes=True) for m in messages],
        access_log=[ExportedAccess.model_validate(a, from_attributes=True) for a in accesses],
    )


@router.post("/participants/{participant_id}/erasure")
async def erase_participant(
    participant_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    caller: Supervisor,
    settings: SettingsDep,
    client: TemporalDep,
    audit_log: AuditDep,
) -> ErasureOut:
    """Erase the participant's personal data once the retention period has passed (art. 17)."""
    person = await queries.participant_in_unit(session, caller.unit_id, participant_id)
    if await subjects.erasure_of(session, person.id) is not None:
        raise Conflict("already_erased", "The participant's data was already erased.")
    pathways = await subjects.pathways_of(session, person.id)
    if any(p.closed_at is None for p in pathways):
        raise Conflict("pathway_open", "The participant has an open pathway; close it first.")
    last = max((p.closed_at for p in pathways if p.closed_at), default=person.created_at)
    last = last if last.tzinfo else last.replace(tzinfo=UTC)  # SQLite: naive UTC
    erasable_from = last + timedelta(days=settings.retention_days)
    if erasable_from > datetime.now(UTC):
        raise Conflict(
            "retention_period_running",
            "The records must be kept until the retention period has passed.",
            {"erasable_from": erasable_from.date().isoformat()},
        )
    for pathway in pathways:
        await _end_workflow(client, pathway.id)
    erasure = await subjects.erase(session, person, [p.id for p in pathways], caller.id)
    await keys.destroy_key(session, person.id, settings.payload_key_id)
    await audit_log.record(
        "participant.erase", [*PARTICIPANT_FIELDS, "timeline"], participant_id=person.id
    )
    store: DatabaseKeyStore = request.app.state.keys
    store.forget()
    return ErasureOut(
        participant_id=person.id,
        erased_at=erasure.erased_at,
        pathways_kept_anonymous=len(pathways),
    )


async def _end_workflow(client: TemporalDep, pathway_id: uuid.UUID) -> None:
    """A workflow still finishing would need the key about to be destroyed: end it first."""
    handle = client.get_workflow_handle(workflow_id(str(pathway_id)))
    try:
        if (await handle.describe()).status == WorkflowExecutionStatus.RUNNING:
            await handle.terminate(reason="participant data erased")
    except RPCError as err:
        if err.status != RPCStatusCode.NOT_FOUND:  # already removed by namespace retention
            raise
