"""Every SQL statement of the product, as functions that take a session. Handlers hold no SQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Select,
    Uuid,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only

from db.eligibility import record_exclusions
from db.models import (
    Cooperative,
    CooperativeMember,
    IdempotencyRecord,
    Participant,
    ParticipantCategory,
    ParticipantErasure,
    Pathway,
    PathwayDeadline,
    PathwayEvent,
    Unit,
    UnitPolicy,
    User,
    utcnow,
)
from db.participant_order import (
    ParticipantSort,
    current_pathway_join,
    deadline_filter,
    order_for,
)
from domain.errors import Conflict, NotFound
from domain.participants import ParticipantCreate
from domain.pathway import Deadline, Event, PathwaySnapshot


async def ping(session: AsyncSession) -> None:
    """A round trip to the database (readiness)."""
    await session.execute(select(literal(1)))


# --- units and users ---------------------------------------------------------------------------


async def create_unit(session: AsyncSession, code: str, name: str, kind: str) -> Unit:
    """A new unit; its code is unique."""
    unit = Unit(code=code, name=name, kind=kind)
    session.add(unit)
    await _flush_or_conflict(session, "duplicate_unit", f"A unit with code {code} already exists.")
    return unit


async def unit_by_code(session: AsyncSession, code: str) -> Unit | None:
    """The unit with this code, if any."""
    return (await session.execute(select(Unit).where(Unit.code == code))).scalar_one_or_none()


async def create_user(
    session: AsyncSession,
    username: str,
    password_hash: str,
    role: str,
    unit: Unit,
    email: str | None = None,
) -> User:
    """A new member of staff; usernames are unique."""
    user = User(
        username=username, password_hash=password_hash, role=role, unit_id=unit.id, email=email
    )
    session.add(user)
    await _flush_or_conflict(session, "duplicate_username", f"The username {username} is taken.")
    return user


async def unit_code(session: AsyncSession, unit_id: uuid.UUID) -> str:
    """A unit's code (it is public: Temporal's search attributes carry it)."""
    return (await session.execute(select(Unit.code).where(Unit.id == unit_id))).scalar_one()


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    """An active user by login name."""
    query = select(User).where(User.username == username, User.active.is_(True))
    return (await session.execute(query)).scalar_one_or_none()


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """An active user by id."""
    query = select(User).where(User.id == user_id, User.active.is_(True))
    return (await session.execute(query)).scalar_one_or_none()


# --- participants ------------------------------------------------------------------------------


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
            visible = caseload_of is None or found in await in_caseload(
                session, [found], caseload_of
            )
            raise Conflict(
                "duplicate_participant",
                "A participant with this PESEL is already registered in the unit.",
                {"participant_id": str(found)} if visible else {},
            )
    participant = Participant(
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
    session.add(participant)
    await _flush_or_conflict(
        session,
        "duplicate_participant",
        "A participant with this PESEL is already registered in the unit.",
    )
    session.add_all(
        ParticipantCategory(participant_id=participant.id, category=c) for c in data.categories
    )
    await record_exclusions(session, participant.id, data.exclusions)
    await session.flush()
    return participant


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
        query = query.where(_in_caseload(caseload_of))
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


async def pathway_timeline(session: AsyncSession, pathway_id: uuid.UUID) -> list[Event]:
    """A pathway's timeline as projected, in order (for pathways whose workflow is closed)."""
    query = (
        select(PathwayEvent).where(PathwayEvent.pathway_id == pathway_id).order_by(PathwayEvent.seq)
    )
    return [
        Event(
            seq=e.seq,
            type=e.type,
            occurred_on=e.occurred_on,
            actor=e.actor,
            recorded_at=e.recorded_at,
            data=e.data or {},
        )
        for e in (await session.execute(query)).scalars()
    ]


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


@dataclass(frozen=True)
class ParticipantFilters:
    """Filters of `GET /participants` (DESIGN.md §4)."""

    stage: str | None = None
    programme: str | None = None
    caseworker: str | None = None
    due_before: date | None = None
    q: str | None = None
    caseload_of: uuid.UUID | None = None  # a caseworker limited to their own caseload
    deadline_kind: str | None = None  # an open deadline of this kind (pathway_deadlines)
    overdue: bool = False  # an open deadline overdue (of `deadline_kind`, if given)


async def list_participants(
    session: AsyncSession,
    unit_id: uuid.UUID,
    filters: ParticipantFilters,
    after: list[Any] | None,
    limit: int,
    sort: ParticipantSort = ParticipantSort.NAME,
) -> tuple[list[tuple[Participant, Pathway | None]], list[Any] | None]:
    """A page of the unit's participants with their current pathway, sorted; the keys the next
    page starts after (None on the last page), from which the API makes its signed cursor."""
    order = order_for(sort, filters.deadline_kind, filters.overdue)
    key = order.key if order.key is not None else literal(None)
    query: Select[Participant, Pathway, Any] = (
        select(Participant, Pathway, key)
        .outerjoin(Pathway, current_pathway_join())
        .where(Participant.unit_id == unit_id)
        .options(*_LIST_COLUMNS)
    )
    query = _apply_filters(query, filters)
    if after:
        query = query.where(order.after(after))
    rows = (await session.execute(query.order_by(*order.order_by()).limit(limit + 1))).all()
    page: list[tuple[Participant, Pathway | None]] = [(row[0], row[1]) for row in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    return page, order.keys(last[0], last[2]) if last is not None else None


# A list row shows names, birth date and the pathway's summary (api/schemas.ParticipantListItem):
# loading only those columns halves the cost of building a page's objects.
_LIST_COLUMNS = (
    load_only(
        Participant.id,
        Participant.first_name,
        Participant.last_name,
        Participant.birth_date,
        raiseload=True,
    ),
    load_only(
        Pathway.id,
        Pathway.programme,
        Pathway.stage,
        Pathway.started_on,
        Pathway.graduate,
        Pathway.outcome,
        Pathway.next_due_kind,
        Pathway.next_due_on,
        Pathway.closed_at,
        raiseload=True,
    ),
)


def _apply_filters(
    query: Select[Participant, Pathway, Any], filters: ParticipantFilters
) -> Select[Participant, Pathway, Any]:
    if filters.caseload_of is not None:
        query = query.where(_in_caseload(filters.caseload_of))
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


# --- pathways ----------------------------------------------------------------------------------


async def register_pathway(
    session: AsyncSession,
    pathway_id: uuid.UUID,
    unit_id: uuid.UUID,
    participant_id: uuid.UUID,
    caseworker_id: uuid.UUID,
    programme: str,
    started_on: date,
    stage: str,
    caseload_of: uuid.UUID | None = None,
) -> None:
    """Claim the participant's one open pathway, if they are in the unit (else 404; 409 if open)."""
    now = utcnow()
    source = select(
        literal(pathway_id, Uuid),
        Participant.id,
        Participant.unit_id,
        literal(caseworker_id, Uuid),
        literal(programme),
        literal(started_on, Date),
        literal(stage),
        literal(False),
        literal(0),
        literal(now, DateTime(timezone=True)),
        literal(now, DateTime(timezone=True)),
    ).where(
        Participant.id == participant_id,
        Participant.unit_id == unit_id,
        # An erased participant is gone: their key is destroyed, nothing new may start.
        ~exists().where(ParticipantErasure.participant_id == Participant.id),
    )
    if caseload_of is not None:
        source = source.where(_in_caseload(caseload_of))
    columns = [
        "id",
        "participant_id",
        "unit_id",
        "caseworker_id",
        "programme",
        "started_on",
        "stage",
        "graduate",
        "last_seq",
        "created_at",
        "updated_at",
    ]
    try:
        # RETURNING, not rowcount: an ORM-enabled INSERT ... SELECT reports rowcount -1.
        result = await session.execute(
            insert(Pathway).from_select(columns, source).returning(Pathway.id)
        )
    except IntegrityError as err:
        raise Conflict("pathway_open", "The participant already has an open pathway.") from err
    if result.first() is None:
        raise NotFound("participant_not_found", "No such participant.")


@dataclass(frozen=True)
class PathwayOwner:
    """Whose a pathway is: its unit and the caseworker who opened it (neither ever changes)."""

    unit_id: uuid.UUID
    caseworker_id: uuid.UUID


async def owner_of_pathway(session: AsyncSession, pathway_id: uuid.UUID) -> PathwayOwner:
    """The unit and caseworker of a pathway, or 404."""
    query = select(Pathway.unit_id, Pathway.caseworker_id).where(Pathway.id == pathway_id)
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise NotFound("pathway_not_found", "No such pathway.")
    return PathwayOwner(unit_id=row[0], caseworker_id=row[1])


def _in_caseload(caseworker_id: uuid.UUID) -> ColumnElement[bool]:
    """Participants a caseworker registered, or holds a pathway of."""
    holds = (
        exists()
        .where(Pathway.participant_id == Participant.id, Pathway.caseworker_id == caseworker_id)
        .correlate_except(Pathway)
    )
    return or_(Participant.created_by == caseworker_id, holds)


async def in_caseload(
    session: AsyncSession, participant_ids: Collection[uuid.UUID], caseworker_id: uuid.UUID
) -> set[uuid.UUID]:
    """Those of these participants that are in the caseworker's caseload."""
    if not participant_ids:
        return set()
    query = select(Participant.id).where(
        Participant.id.in_(list(participant_ids)), _in_caseload(caseworker_id)
    )
    return set((await session.execute(query)).scalars())


async def caseload_only(session: AsyncSession, unit_id: uuid.UUID) -> bool:
    """Whether the unit limits its caseworkers to their own caseload."""
    policy = await session.get(UnitPolicy, unit_id)
    return bool(policy and policy.caseload_only)


async def set_caseload_only(session: AsyncSession, unit_id: uuid.UUID, value: bool) -> None:
    """Set the unit's caseload policy."""
    policy = await session.get(UnitPolicy, unit_id)
    if policy is None:
        session.add(UnitPolicy(unit_id=unit_id, caseload_only=value))
    else:
        policy.caseload_only = value


async def forget_pathway(session: AsyncSession, pathway_id: uuid.UUID) -> None:
    """Undo a registration whose workflow never started."""
    await session.execute(delete(PathwayDeadline).where(PathwayDeadline.pathway_id == pathway_id))
    await session.execute(delete(Pathway).where(Pathway.id == pathway_id))


class PathwayNotRegistered(Exception):
    """A workflow runs for a pathway the API never registered (its start was rolled back)."""


async def project_pathway(session: AsyncSession, snap: PathwaySnapshot) -> int:
    """Apply a snapshot idempotently: events insert once, columns move only forward."""
    pathway_id = uuid.UUID(snap.pathway_id)
    registered = await session.execute(select(Pathway.id).where(Pathway.id == pathway_id))
    if registered.scalar_one_or_none() is None:
        raise PathwayNotRegistered(snap.pathway_id)
    rows = [
        dict(
            pathway_id=pathway_id,
            seq=e.seq,
            type=e.type,
            occurred_on=e.occurred_on,
            actor=e.actor,
            recorded_at=e.recorded_at,
            data=_jsonable(e.data),
        )
        for e in snap.events
    ]
    if rows:
        await _insert_ignoring_duplicates(session, rows)
    now = utcnow()
    result = await session.execute(
        update(Pathway)
        .where(Pathway.id == pathway_id, Pathway.last_seq < snap.last_seq)
        .values(
            programme=snap.programme,
            stage=snap.stage,
            graduate=snap.graduate,
            outcome=snap.outcome,
            next_due_kind=snap.next_due_kind,
            next_due_on=snap.next_due_on,
            last_seq=snap.last_seq,
            updated_at=now,
            closed_at=now if snap.closed else None,
        )
    )
    moved = int(getattr(result, "rowcount", 0) or 0)
    if moved:
        await _replace_deadlines(session, pathway_id, [] if snap.closed else snap.deadlines)
    return moved


async def _replace_deadlines(
    session: AsyncSession, pathway_id: uuid.UUID, deadlines: list[Deadline]
) -> None:
    # Only a snapshot that moved the pathway forward gets here, so a replayed older one can never
    # bring back a deadline that has since been met.
    await session.execute(delete(PathwayDeadline).where(PathwayDeadline.pathway_id == pathway_id))
    if deadlines:
        await session.execute(
            insert(PathwayDeadline),
            [
                {"pathway_id": pathway_id, "kind": d.kind, "due_on": d.due_on, "overdue": d.overdue}
                for d in deadlines
            ],
        )


async def _insert_ignoring_duplicates(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(PathwayEvent)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["pathway_id", "seq"])
    )
    await session.execute(statement)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(json.dumps(data, default=str)))


# --- idempotency -------------------------------------------------------------------------------


async def idempotent_answer(
    session: AsyncSession, user_id: uuid.UUID, key: str
) -> IdempotencyRecord | None:
    """The stored first answer to this user's key, if any."""
    return await session.get(IdempotencyRecord, (user_id, key))


async def remember_answer(
    session: AsyncSession,
    user_id: uuid.UUID,
    key: str,
    request_hash: str,
    status_code: int,
    body: dict[str, Any],
) -> None:
    """Store the first answer; a concurrent twin that stored first wins."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert(IdempotencyRecord)
        .values(
            user_id=user_id,
            key=key,
            request_hash=request_hash,
            status_code=status_code,
            body=body,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
    )


# --- shared ------------------------------------------------------------------------------------


async def _flush_or_conflict(session: AsyncSession, code: str, message: str) -> None:
    # No savepoint: a conflict always aborts the whole unit of work.
    try:
        await session.flush()
    except IntegrityError as err:
        raise Conflict(code, message) from err


# --- social cooperatives -----------------------------------------------------------------------


async def register_cooperative(
    session: AsyncSession, cooperative_id: uuid.UUID, unit_id: uuid.UUID, name: str
) -> None:
    """Record a founding initiative in the caller's unit (its state lives in the workflow)."""
    session.add(Cooperative(id=cooperative_id, unit_id=unit_id, name=name))
    await session.flush()


async def cooperative_in_unit(
    session: AsyncSession, unit_id: uuid.UUID, cooperative_id: uuid.UUID
) -> Cooperative:
    """A cooperative of the caller's unit, or 404 (existence elsewhere is not revealed)."""
    query = select(Cooperative).where(
        Cooperative.id == cooperative_id, Cooperative.unit_id == unit_id
    )
    found = (await session.execute(query)).scalar_one_or_none()
    if found is None:
        raise NotFound("cooperative_not_found", "No such cooperative.")
    return found


async def cooperative_referral(
    session: AsyncSession, participant_id: uuid.UUID
) -> uuid.UUID | None:
    """The participant's pathway that referred them to a cooperative (open ones first), if any."""
    referred = exists().where(
        PathwayEvent.pathway_id == Pathway.id,
        PathwayEvent.type == "refer",
        PathwayEvent.data["to"].as_string() == "cooperative",
    )
    query = (
        select(Pathway.id)
        .where(Pathway.participant_id == participant_id, referred)
        .order_by(Pathway.closed_at.is_not(None), Pathway.created_at.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def name_cooperative_member(
    session: AsyncSession, member_id: uuid.UUID, cooperative_id: uuid.UUID, name: str
) -> None:
    """Keep an outside member's name here, out of Temporal."""
    session.add(CooperativeMember(id=member_id, cooperative_id=cooperative_id, name=name))
    await session.flush()


async def forget_cooperative_member(session: AsyncSession, member_id: uuid.UUID) -> None:
    """A member who left: their name is no longer needed."""
    await session.execute(delete(CooperativeMember).where(CooperativeMember.id == member_id))


async def cooperative_member_names(
    session: AsyncSession, cooperative_id: uuid.UUID
) -> dict[str, str]:
    """Outside members' names by member id."""
    query = select(CooperativeMember.id, CooperativeMember.name).where(
        CooperativeMember.cooperative_id == cooperative_id
    )
    return {str(member_id): name for member_id, name in await session.execute(query)}
