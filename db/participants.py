"""Participants: registration, the unit's list with its filters, one participant, their caseload."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.eligibility import record_exclusions
from db.models import Participant, ParticipantCategory, Pathway, User
from db.participant_order import current_pathway_join, deadline_filter, order_for
from db.session import flush_or_conflict
from domain.errors import Conflict, NotFound
from domain.participants import (
    NextDeadline,
    ParticipantCreate,
    ParticipantFilters,
    ParticipantListItem,
    ParticipantSort,
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


def in_caseload(caseworker_id: uuid.UUID) -> ColumnElement[bool]:
    """Participants a caseworker registered, or holds a pathway of."""
    holds = (
        exists()
        .where(Pathway.participant_id == Participant.id, Pathway.caseworker_id == caseworker_id)
        .correlate_except(Pathway)
    )
    return or_(Participant.created_by == caseworker_id, holds)


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


async def list_participants(
    session: AsyncSession,
    unit_id: uuid.UUID,
    filters: ParticipantFilters,
    after: list[Any] | None,
    limit: int,
    sort: ParticipantSort = ParticipantSort.NAME,
) -> tuple[list[ParticipantListItem], list[Any] | None]:
    """A page of the unit's participants with their current pathway, sorted; the keys the next
    page starts after (None on the last page), which the caller signs into a cursor."""
    order = order_for(sort, filters.deadline_kind, filters.overdue)
    key = order.key if order.key is not None else literal(None)
    query: Select[*tuple[Any, ...]] = (
        select(*_LIST_COLUMNS, key.label("sort_key"))
        .outerjoin(Pathway, current_pathway_join())
        .where(Participant.unit_id == unit_id)
    )
    query = _apply_filters(query, filters)
    if after:
        query = query.where(order.after(after))
    rows = (await session.execute(query.order_by(*order.order_by()).limit(limit + 1))).all()
    page = [_list_item(row) for row in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    return page, order.keys(last, last.sort_key) if last is not None else None


# A list row shows names, birth date and the pathway's summary: only those columns are read,
# as plain rows (an ORM object per row cost more than the query).
_LIST_COLUMNS = (
    Participant.id,
    Participant.first_name,
    Participant.last_name,
    Participant.birth_date,
    Pathway.id.label("pathway_id"),
    Pathway.programme,
    Pathway.stage,
    Pathway.started_on,
    Pathway.graduate,
    Pathway.outcome,
    Pathway.next_due_kind,
    Pathway.next_due_on,
    Pathway.closed_at,
)


def _list_item(row: Any) -> ParticipantListItem:
    # The columns' types are the answer's: built without validating again.
    return ParticipantListItem.model_construct(
        id=row.id,
        first_name=row.first_name,
        last_name=row.last_name,
        birth_date=row.birth_date,
        pathway=None if row.pathway_id is None else _summary(row, row.pathway_id),
    )


def pathway_summary(pathway: Pathway) -> PathwaySummary:
    """A pathway's read-model row as lists show it."""
    return _summary(pathway, pathway.id)


def _summary(row: Any, pathway_id: uuid.UUID) -> PathwaySummary:
    due = (
        NextDeadline.model_construct(kind=row.next_due_kind, due_on=row.next_due_on)
        if row.next_due_kind and row.next_due_on
        else None
    )
    return PathwaySummary.model_construct(
        id=pathway_id,
        programme=row.programme,
        stage=row.stage,
        started_on=row.started_on,
        graduate=row.graduate,
        outcome=row.outcome,
        next_deadline=due,
        closed=row.closed_at is not None,
    )


def _apply_filters(
    query: Select[*tuple[Any, ...]], filters: ParticipantFilters
) -> Select[*tuple[Any, ...]]:
    if filters.caseload_of is not None:
        query = query.where(in_caseload(filters.caseload_of))
    if filters.stage:
        query = query.where(Pathway.stage == filters.stage)
    if filters.programme:
        query = query.where(Pathway.programme == filters.programme)
    if filters.caseworker:
        query = query.where(
            Pathway.caseworker_id.in_(select(User.id).where(User.username == filters.caseworker))
        )
    if filters.due_before:
        query = query.where(Pathway.next_due_on < filters.due_before)
    with_deadline = deadline_filter(filters.deadline_kind, filters.overdue)
    if with_deadline is not None:
        query = query.where(with_deadline)
    if filters.q:
        term = filters.q.strip().lower()
        query = query.where(
            or_(
                func.lower(Participant.last_name).contains(term, autoescape=True),
                func.lower(Participant.first_name).contains(term, autoescape=True),
                Participant.pesel.startswith(term, autoescape=True),
            )
        )
    return query
