"""Participants: registration, the unit's list with its filters, one participant, their caseload."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.caseload_models import HandoverCase, PathwayDeputy
from db.eligibility import record_exclusions
from db.models import Participant, ParticipantCategory, Pathway
from db.session import flush_or_conflict
from domain.errors import Conflict, NotFound
from domain.participants import (
    NextDeadline,
    ParticipantCreate,
    PathwaySummary,
)


async def create_participant(
    session: AsyncSession,
    unit_id: uuid.UUID,
    created_by: uuid.UUID,
    data: ParticipantCreate,
    pesel: str | None,
    birth_date: date,
    caseload_of: uuid.UUID | None = None,
) -> Participant:
    """Register a participant and their categories; a PESEL already in the unit is a conflict.

    The conflict names the registered participant only to a caller who may open them: not to a
    caseworker limited to a caseload that does not hold them.
    """
    if pesel is not None:
        existing = await session.execute(
            select(Participant.id).where(Participant.unit_id == unit_id, Participant.pesel == pesel)
        )
        found = existing.scalar_one_or_none()
        if found is not None:
            visible = caseload_of is None or found in await within_caseload(
                session, [found], caseload_of
            )
            raise Conflict(
                "duplicate_participant",
                "A participant with this PESEL is already registered in the unit.",
                {"participant_id": str(found)} if visible else {},
            )
    participant = new_participant(unit_id, created_by, data, pesel, birth_date)
    session.add(participant)
    await flush_or_conflict(
        session,
        "duplicate_participant",
        "A participant with this PESEL is already registered in the unit.",
    )
    session.add_all(categories_of_new(participant.id, data))
    await record_exclusions(session, participant.id, data.exclusions)
    await session.flush()
    return participant


def new_participant(
    unit_id: uuid.UUID,
    created_by: uuid.UUID,
    data: ParticipantCreate,
    pesel: str | None,
    birth_date: date,
    participant_id: uuid.UUID | None = None,
) -> Participant:
    """A participant's row as registration makes it (a batch of imported cases makes many)."""
    return Participant(
        id=participant_id or uuid.uuid4(),
        unit_id=unit_id,
        created_by=created_by,
        first_name=data.first_name,
        last_name=data.last_name,
        pesel=pesel,
        birth_date=birth_date,
        phone=data.phone,
        email=data.email,
        consent_sms=data.consent_sms,
        consent_email=data.consent_email,
    )


def categories_of_new(
    participant_id: uuid.UUID, data: ParticipantCreate
) -> list[ParticipantCategory]:
    """The rows of a new participant's eligibility categories."""
    return [ParticipantCategory(participant_id=participant_id, category=c) for c in data.categories]


async def participant_in_unit(
    session: AsyncSession,
    unit_id: uuid.UUID,
    participant_id: uuid.UUID,
    caseload_of: uuid.UUID | None = None,
) -> Participant:
    """A participant of the caller's unit (and caseload, if limited), or 404 as if unknown."""
    query = select(Participant).where(
        Participant.id == participant_id, Participant.unit_id == unit_id
    )
    if caseload_of is not None:
        query = query.where(in_caseload(caseload_of))
    participant = (await session.execute(query)).scalar_one_or_none()
    if participant is None:
        raise NotFound("participant_not_found", "No such participant.")
    return participant


async def categories_of(session: AsyncSession, participant_id: uuid.UUID) -> list[str]:
    """A participant's eligibility categories."""
    query = (
        select(ParticipantCategory.category)
        .where(ParticipantCategory.participant_id == participant_id)
        .order_by(ParticipantCategory.category)
    )
    return list((await session.execute(query)).scalars())


async def current_pathway(session: AsyncSession, participant_id: uuid.UUID) -> Pathway | None:
    """The participant's open pathway, else the latest one."""
    query = select(Pathway).where(Pathway.id == _current_pathway_id(participant_id))
    return (await session.execute(query)).scalar_one_or_none()


def _current_pathway_id(participant: Any) -> Any:
    """Subquery: the open pathway of a participant (id or column), else the latest."""
    return (
        select(Pathway.id)
        .where(Pathway.participant_id == participant)
        .order_by(Pathway.closed_at.is_not(None), Pathway.created_at.desc(), Pathway.id.desc())
        .limit(1)
        .correlate_except(Pathway)
        .scalar_subquery()
    )


def in_caseload(caseworker_id: uuid.UUID | ColumnElement[Any]) -> ColumnElement[bool]:
    """Participants a caseworker holds a pathway of or is its deputy, or registered and did not
    hand over to someone else since (issue 16) (the id, or a parameter)."""
    holds = (
        exists()
        .where(Pathway.participant_id == Participant.id, Pathway.caseworker_id == caseworker_id)
        .correlate_except(Pathway)
    )
    deputy = (
        exists()
        .where(
            Pathway.participant_id == Participant.id,
            PathwayDeputy.pathway_id == Pathway.id,
            PathwayDeputy.deputy_id == caseworker_id,
        )
        .correlate_except(Pathway, PathwayDeputy)
    )
    handed_over = (
        exists()
        .where(
            Pathway.participant_id == Participant.id,
            HandoverCase.pathway_id == Pathway.id,
            HandoverCase.previous_id == caseworker_id,
            Pathway.caseworker_id != caseworker_id,
        )
        .correlate_except(Pathway, HandoverCase)
    )
    return or_(holds, deputy, and_(Participant.created_by == caseworker_id, ~handed_over))


async def within_caseload(
    session: AsyncSession, participant_ids: Collection[uuid.UUID], caseworker_id: uuid.UUID
) -> set[uuid.UUID]:
    """Those of these participants that are in the caseworker's caseload."""
    if not participant_ids:
        return set()
    query = select(Participant.id).where(
        Participant.id.in_(list(participant_ids)), in_caseload(caseworker_id)
    )
    return set((await session.execute(query)).scalars())


def pathway_summary(pathway: Pathway) -> PathwaySummary:
    """A pathway's read-model row as lists show it."""
    due = (
        NextDeadline(kind=pathway.next_due_kind, due_on=pathway.next_due_on)
        if pathway.next_due_kind and pathway.next_due_on
        else None
    )
    return PathwaySummary(
        id=pathway.id,
        programme=pathway.programme,
        stage=pathway.stage,
        started_on=pathway.started_on,
        graduate=pathway.graduate,
        outcome=pathway.outcome,
        next_deadline=due,
        closed=pathway.closed_at is not None,
    )
