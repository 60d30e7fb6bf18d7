"""Data subjects' rights: everything held on a participant (art. 15), and its erasure (art. 17)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import payroll
from db.caseload_models import ExternalReferral, Referral
from db.eligibility import record_exclusions
from db.group_tables import (
    CertifiedHours,
    ClassMark,
    Group,
    GroupMembership,
    PlannedClassRow,
    PsuAgreementRow,
    PsuHours,
)
from db.models import (
    Appointment,
    CaseImport,
    IdempotencyRecord,
    Notification,
    Participant,
    ParticipantCategory,
    ParticipantErasure,
    Pathway,
    PathwayEvent,
    utcnow,
)

ERASED_NAME = "-"
ERASED_CASE_PREFIX = "erased:"


async def pathways_of(session: AsyncSession, participant_id: uuid.UUID) -> list[Pathway]:
    """Every pathway of a participant, oldest first."""
    query = (
        select(Pathway).where(Pathway.participant_id == participant_id).order_by(Pathway.created_at)
    )
    return list((await session.execute(query)).scalars())


async def events_of(session: AsyncSession, pathway_ids: list[uuid.UUID]) -> list[PathwayEvent]:
    """The projected timelines of these pathways."""
    query = (
        select(PathwayEvent)
        .where(PathwayEvent.pathway_id.in_(pathway_ids))
        .order_by(PathwayEvent.pathway_id, PathwayEvent.seq)
    )
    return list((await session.execute(query)).scalars())


async def appointments_of(
    session: AsyncSession, pathway_ids: list[uuid.UUID]
) -> list[Appointment]:
    """The appointments planned on these pathways, in time order."""
    query = (
        select(Appointment)
        .where(Appointment.pathway_id.in_(pathway_ids))
        .order_by(Appointment.starts_at)
    )
    return list((await session.execute(query)).scalars())


async def messages_to(session: AsyncSession, participant_id: uuid.UUID) -> list[Notification]:
    """Every reminder sent or meant for the participant (the outbox keeps no text or address)."""
    query = (
        select(Notification)
        .where(Notification.participant_id == participant_id)
        .order_by(Notification.due_at)
    )
    return list((await session.execute(query)).scalars())


async def memberships_of(
    session: AsyncSession, participant_id: uuid.UUID
) -> list[tuple[GroupMembership, Group]]:
    """The participant's stretches in the centre's groups, with their groups, oldest first."""
    query = (
        select(GroupMembership, Group)
        .join(Group, Group.id == GroupMembership.group_id)
        .where(GroupMembership.participant_id == participant_id)
        .order_by(GroupMembership.joined_on, Group.name)
    )
    return [(row[0], row[1]) for row in await session.execute(query)]


async def own_classes_of(session: AsyncSession, participant_id: uuid.UUID) -> list[PlannedClassRow]:
    """The classes of the programme planned for the participant alone."""
    query = (
        select(PlannedClassRow)
        .where(PlannedClassRow.participant_id == participant_id)
        .order_by(PlannedClassRow.created_at)
    )
    return list((await session.execute(query)).scalars())


async def class_marks_of(
    session: AsyncSession, participant_id: uuid.UUID
) -> list[tuple[ClassMark, str]]:
    """Every mark of the participant on the classes' lists (each correction too), with the
    class's title, by day."""
    query = (
        select(ClassMark, PlannedClassRow.title)
        .join(PlannedClassRow, PlannedClassRow.id == ClassMark.class_id)
        .where(ClassMark.participant_id == participant_id)
        .order_by(ClassMark.day, ClassMark.class_id, ClassMark.correction)
    )
    return [(row[0], row[1]) for row in await session.execute(query)]


async def psu_hours_of(
    session: AsyncSession, participant_id: uuid.UUID
) -> list[tuple[PsuHours, str]]:
    """The participant's PSU hours, with their agreement's host, by day."""
    query = (
        select(PsuHours, PsuAgreementRow.host)
        .join(PsuAgreementRow, PsuAgreementRow.id == PsuHours.agreement_id)
        .where(PsuHours.participant_id == participant_id)
        .order_by(PsuHours.day, PsuHours.created_at)
    )
    return [(row[0], row[1]) for row in await session.execute(query)]


async def certified_hours_of(
    session: AsyncSession, participant_id: uuid.UUID
) -> CertifiedHours | None:
    """A disabled participant's certified weekly hours, if any."""
    return await session.get(CertifiedHours, participant_id)


async def erasure_of(session: AsyncSession, participant_id: uuid.UUID) -> ParticipantErasure | None:
    """The participant's erasure, if they were erased."""
    return await session.get(ParticipantErasure, participant_id)


async def _erase_centre_week(session: AsyncSession, participant_id: uuid.UUID) -> None:
    """The centre's week without the person (issue 14): which groups they were in, and their
    marks on the lists (a sick day is health data), go; the days themselves stay in the
    pathways' anonymous events, as the counts need. Their own classes stay for the staff's and
    rooms' timetable, without the title and place typed about them. PSU placements hold no
    text of their own (the host is the agreement's) and keep their days and hours: what the
    PSU benefit was paid for."""
    await session.execute(
        delete(GroupMembership).where(GroupMembership.participant_id == participant_id)
    )
    await session.execute(delete(ClassMark).where(ClassMark.participant_id == participant_id))
    await session.execute(
        update(PlannedClassRow)
        .where(PlannedClassRow.participant_id == participant_id)
        .values(title=ERASED_NAME, place=ERASED_NAME)
    )


async def erase(
    session: AsyncSession,
    participant: Participant,
    pathway_ids: list[uuid.UUID],
    erased_by: uuid.UUID,
) -> ParticipantErasure:
    """Remove personal data; pathways (stages, outcomes) stay for anonymous counts."""
    participant.first_name = ERASED_NAME
    participant.last_name = ERASED_NAME
    participant.pesel = None
    participant.phone = None
    participant.email = None
    participant.consent_sms = False
    participant.consent_email = False
    # The year alone is kept: age groups in reports, not a person.
    participant.birth_date = date(participant.birth_date.year, 1, 1)
    await session.execute(
        delete(ParticipantCategory).where(ParticipantCategory.participant_id == participant.id)
    )
    await record_exclusions(session, participant.id, [])
    # A disability certificate's weekly figure is health data (issue 14).
    await session.execute(
        delete(CertifiedHours).where(CertifiedHours.participant_id == participant.id)
    )
    await _erase_centre_week(session, participant.id)
    if pathway_ids:
        await session.execute(
            update(PathwayEvent).where(PathwayEvent.pathway_id.in_(pathway_ids)).values(data={})
        )
        # An appointment's place is free text a caseworker typed.
        await session.execute(
            update(Appointment).where(Appointment.pathway_id.in_(pathway_ids)).values(place=ERASED_NAME)
        )
        # A closed month's adjustments quote corrections' reasons (free text).
        await payroll.forget_reasons(session, pathway_ids)
        # Stored answers of idempotent steps repeat the timeline, notes included.
        await session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.body["id"].as_string().in_([str(p) for p in pathway_ids])
            )
        )
    # An imported case keeps its bookkeeping row (its pathway stays, anonymous) but not the old
    # system's id, which names the person there. (A re-run of the old import file would register
    # them afresh: import files are personal data, deleted once imported; README.)
    await session.execute(
        update(CaseImport)
        .where(CaseImport.participant_id == participant.id)
        .values(external_id=f"{ERASED_CASE_PREFIX}{participant.id}", fingerprint="")
    )
    # A referral's reasons are free text typed about the person (issue 16).
    await session.execute(
        update(Referral)
        .where(
            or_(
                Referral.participant_id == participant.id,
                Referral.new_participant_id == participant.id,
            )
        )
        .values(reason=ERASED_NAME, decline_reason=None)
    )
    await session.execute(
        update(ExternalReferral)
        .where(ExternalReferral.participant_id == participant.id)
        .values(reason=ERASED_NAME, outcome_note=None)
    )
    erasure = ParticipantErasure(
        participant_id=participant.id, erased_at=utcnow(), erased_by=erased_by
    )
    session.add(erasure)
    await session.flush()
    return erasure
