"""Data subjects' requests, answered by supervisors: export (art. 15) and erasure (art. 17).

Erasure is refused while a pathway is open or the retention period runs (art. 17(3)(b): the
centre must keep the records its statutory tasks need). It removes personal fields from the
read model, ends any workflow still running, and destroys the participant's data key, so the
encrypted Temporal history becomes unreadable; pathways stay, anonymous, for the counts.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db import audit, eligibility, keys, participants, scans, subjects
from db.models import Pathway
from db.session import unit_of_work
from domain.data_subjects import (
    ErasureOut,
    ExportedAccess,
    ExportedAppointment,
    ExportedClass,
    ExportedClassMark,
    ExportedEvent,
    ExportedMembership,
    ExportedMessage,
    ExportedPathway,
    ExportedPsuHours,
    ParticipantExport,
)
from domain.errors import Conflict
from domain.scans import ScanOut
from services import pathway_calls
from services.context import Caller, Services
from services.participants import PARTICIPANT_FIELDS, full_record

_EVERYTHING = (*PARTICIPANT_FIELDS, "timeline", "groups", "class_marks", "psu_hours")


async def export(
    services: Services, caller: Caller, participant_id: uuid.UUID
) -> ParticipantExport:
    """Everything held on the participant, as JSON (GDPR art. 15); audited as an export."""
    async with unit_of_work(services.sessions) as session:
        person = await participants.participant_in_unit(session, caller.unit_id, participant_id)
        pathways = await subjects.pathways_of(session, person.id)
        events = await subjects.events_of(session, [p.id for p in pathways])
        planned = await subjects.appointments_of(session, [p.id for p in pathways])
        messages = await subjects.messages_to(session, person.id)
        erasure = await subjects.erasure_of(session, person.id)
        accesses = await audit.entries_about(session, person.id)
        uploaded = await scans.scans_of_participant(session, person.id)
        memberships = await subjects.memberships_of(session, person.id)
        own_classes = await subjects.own_classes_of(session, person.id)
        marks = await subjects.class_marks_of(session, person.id)
        psu = await subjects.psu_hours_of(session, person.id)
        certified = await subjects.certified_hours_of(session, person.id)
        record = full_record(
            person,
            await participants.categories_of(session, person.id),
            await participants.current_pathway(session, person.id),
            await eligibility.exclusions_of(session, person.id),
        )
        await audit.append(session, caller.actor, "participant.export", _EVERYTHING, person.id)
    appointments = [ExportedAppointment.model_validate(a, from_attributes=True) for a in planned]
    return ParticipantExport(
        exported_at=datetime.now(UTC),
        erased_at=erasure.erased_at if erasure else None,
        participant=record,
        pathways=[
            ExportedPathway(
                **participants.pathway_summary(p).model_dump(),
                events=[
                    ExportedEvent.model_validate(e, from_attributes=True)
                    for e in events
                    if e.pathway_id == p.id
                ],
            )
            for p in pathways
        ],
        appointments=appointments,
        sessions=appointments,
        messages=[ExportedMessage.model_validate(m, from_attributes=True) for m in messages],
        access_log=[ExportedAccess.model_validate(a, from_attributes=True) for a in accesses],
        scans=[ScanOut.model_validate(x, from_attributes=True) for x in uploaded],
        group_memberships=[
            ExportedMembership(group_id=g.id, group=g.name, kind=g.kind, joined_on=m.joined_on,
                               left_on=m.left_on)
            for m, g in memberships
        ],
        classes=[
            ExportedClass.model_validate(
                {**{f: getattr(c, f) for f in ExportedClass.model_fields if f != "cancelled_days"},
                 "cancelled_days": c.cancelled_days or []}
            )
            for c in own_classes
        ],
        class_marks=[
            ExportedClassMark(class_id=m.class_id, class_title=title, day=m.day,
                              correction=m.correction, mark=m.mark, hours=m.hours,
                              absence=m.absence, recorded_at=m.recorded_at)
            for m, title in marks
        ],
        psu_hours=[
            ExportedPsuHours(agreement_id=h.agreement_id, host=host, day=h.day, hours=h.hours)
            for h, host in psu
        ],
        certified_weekly_hours=certified.weekly_hours if certified else None,
    )  # fmt: skip


async def erase(services: Services, caller: Caller, participant_id: uuid.UUID) -> ErasureOut:
    """Erase the participant's personal data once the retention period has passed (art. 17).

    The checks come first; then any workflow still finishing is ended (it would need the key
    about to be destroyed), outside any transaction; then one transaction erases, destroys the
    key and writes the audit entry."""
    async with services.sessions() as session:
        pathways = await _erasable(services, session, caller, participant_id)
    for pathway in pathways:
        await pathway_calls.end(services.temporal, pathway.id, "participant data erased")
    async with unit_of_work(services.sessions) as session:
        person = await participants.participant_in_unit(session, caller.unit_id, participant_id)
        ids = [p.id for p in pathways]
        erasure = await subjects.erase(session, person, ids, caller.id)
        await keys.destroy_key(session, person.id, services.settings.payload_key_id)
        await audit.append(session, caller.actor, "participant.erase", _EVERYTHING, person.id)
    services.keys.forget()
    return ErasureOut(
        participant_id=participant_id,
        erased_at=erasure.erased_at,
        pathways_kept_anonymous=len(pathways),
    )


async def _erasable(
    services: Services, session: AsyncSession, caller: Caller, participant_id: uuid.UUID
) -> list[Pathway]:
    person = await participants.participant_in_unit(session, caller.unit_id, participant_id)
    if await subjects.erasure_of(session, person.id) is not None:
        raise Conflict("already_erased", "The participant's data was already erased.")
    pathways = await subjects.pathways_of(session, person.id)
    if any(p.closed_at is None for p in pathways):
        raise Conflict("pathway_open", "The participant has an open pathway; close it first.")
    last = max((p.closed_at for p in pathways if p.closed_at), default=person.created_at)
    erasable_from = last + timedelta(days=services.settings.retention_days)
    if erasable_from > datetime.now(UTC):
        raise Conflict(
            "retention_period_running",
            "The records must be kept until the retention period has passed.",
            {"erasable_from": erasable_from.date().isoformat()},
        )
    return pathways
