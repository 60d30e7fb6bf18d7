"""A unit's places by programme, the places taken, its waiting list. Every function takes a
session."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.caseload_models import PlaceClaim, UnitPlaces, WaitingEntryRow
from db.models import Participant, Pathway, utcnow
from db.upsert import upsert
from domain.places import OCCUPYING, WaitingRule, check_place
from domain.reports import WaitingKpis
from domain.stages import Programme

# How long a step's claim on a place counts without the read model showing the pathway there:
# long enough for any projection; a claim whose step never happened lapses after it.
CLAIM_HOLD = timedelta(minutes=15)


@dataclass(frozen=True)
class Places:
    """A programme's places in a unit (None: no limit) and its waiting list's rule."""

    places: int | None
    rule: WaitingRule


async def places_of(
    session: AsyncSession, unit_id: uuid.UUID, programme: Programme, lock: bool = False
) -> Places:
    """The unit's places in the programme; `lock` holds the row, so admissions to a unit with
    places are counted one after another."""
    query = select(UnitPlaces).where(
        UnitPlaces.unit_id == unit_id, UnitPlaces.programme == programme
    )
    if lock and session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks: a write first takes the database's (the transaction holds
        # it to its end), so the counts read after it are the committed ones.
        await session.execute(
            update(UnitPlaces)
            .where(UnitPlaces.unit_id == unit_id, UnitPlaces.programme == programme)
            .values(places=UnitPlaces.places)
        )
    elif lock:
        query = query.with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        return Places(None, WaitingRule.PRIORITY_FIRST)
    return Places(row.places, WaitingRule(row.rule))


async def set_places(
    session: AsyncSession, unit_id: uuid.UUID, programme: Programme, places: int, rule: WaitingRule
) -> None:
    """Set the unit's places in a programme."""
    values = {"unit_id": unit_id, "programme": programme, "places": places, "rule": rule}
    await session.execute(
        upsert(session, UnitPlaces, values, ["unit_id", "programme"], ["places", "rule"])
    )


async def occupied(session: AsyncSession, unit_id: uuid.UUID, programme: Programme) -> int:
    """Participants of the unit taking a place of the programme now: the read model's, and the
    places claimed by steps it does not show yet (`claim_for_step`)."""
    query = select(func.count()).where(
        Pathway.unit_id == unit_id,
        Pathway.closed_at.is_(None),
        Pathway.stage.in_([str(s) for s in OCCUPYING[programme]]),
    )
    shown = exists().where(
        Pathway.id == PlaceClaim.pathway_id,
        or_(
            Pathway.closed_at.is_not(None),
            Pathway.stage.in_([str(s) for s in OCCUPYING[programme]]),
        ),
    )
    claimed = select(func.count()).where(
        PlaceClaim.unit_id == unit_id,
        PlaceClaim.programme == programme,
        PlaceClaim.claimed_at > utcnow() - CLAIM_HOLD,
        ~shown,
    )
    return int(await session.scalar(query) or 0) + int(await session.scalar(claimed) or 0)


async def claim_for_step(
    session: AsyncSession, unit_id: uuid.UUID, programme: Programme, pathway_id: uuid.UUID
) -> uuid.UUID | None:
    """A step that takes a place (`refer {to: "cis"}` into the unit's own CIS): under the lock of
    the unit's places row, refused with the numbers when every place is taken, else the place
    claimed until the read model shows the pathway there (None: no limit, or the pathway holds
    its place already). The caller undoes the claim if the step is refused."""
    places = await places_of(session, unit_id, programme, lock=True)
    if places.places is None:
        return None
    there = await session.scalar(
        select(Pathway.id).where(
            Pathway.id == pathway_id,
            Pathway.closed_at.is_(None),
            Pathway.stage.in_([str(s) for s in OCCUPYING[programme]]),
        )
    )
    if there is not None:
        return None
    taken = await occupied(session, unit_id, programme)
    check_place(programme, places.places, taken, await waiting_count(session, unit_id, programme))
    await session.execute(
        delete(PlaceClaim).where(
            PlaceClaim.unit_id == unit_id, PlaceClaim.claimed_at <= utcnow() - CLAIM_HOLD
        )
    )
    claim = PlaceClaim(unit_id=unit_id, programme=programme, pathway_id=pathway_id)
    session.add(claim)
    await session.flush()
    return claim.id


async def drop_claim(session: AsyncSession, claim_id: uuid.UUID) -> None:
    """The step was refused (or never reached the workflow): its place is free again."""
    await session.execute(delete(PlaceClaim).where(PlaceClaim.id == claim_id))


def _waiting(unit_id: uuid.UUID, programme: Programme) -> Any:
    return (
        WaitingEntryRow.unit_id == unit_id,
        WaitingEntryRow.programme == programme,
        WaitingEntryRow.admitted_on.is_(None),
        WaitingEntryRow.removed_at.is_(None),
    )


async def waiting_count(session: AsyncSession, unit_id: uuid.UUID, programme: Programme) -> int:
    """How many wait for a place of the programme."""
    query = select(func.count()).select_from(WaitingEntryRow).where(*_waiting(unit_id, programme))
    return int(await session.scalar(query) or 0)


async def add_waiting(
    session: AsyncSession,
    unit_id: uuid.UUID,
    programme: Programme,
    participant_id: uuid.UUID,
    applied_on: date,
    priority: bool,
    created_by: uuid.UUID,
) -> WaitingEntryRow | None:
    """Put a participant on the list; None if they are on it already."""
    already = await session.scalar(
        select(WaitingEntryRow.id).where(
            *_waiting(unit_id, programme), WaitingEntryRow.participant_id == participant_id
        )
    )
    if already is not None:
        return None
    row = WaitingEntryRow(
        unit_id=unit_id,
        programme=programme,
        participant_id=participant_id,
        applied_on=applied_on,
        priority=priority,
        created_by=created_by,
        created_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    return row


async def waiting_rows(
    session: AsyncSession, unit_id: uuid.UUID, programme: Programme
) -> list[Any]:
    """Those waiting, with their names (unordered: the rule orders them)."""
    query = (
        select(
            WaitingEntryRow.id,
            WaitingEntryRow.participant_id,
            WaitingEntryRow.applied_on,
            WaitingEntryRow.priority,
            WaitingEntryRow.created_at,
            Participant.first_name,
            Participant.last_name,
        )
        .join(Participant, Participant.id == WaitingEntryRow.participant_id)
        .where(*_waiting(unit_id, programme))
    )
    return list((await session.execute(query)).all())


async def admit_waiting(
    session: AsyncSession,
    unit_id: uuid.UUID,
    programme: Programme,
    participant_id: uuid.UUID,
    on: date,
) -> None:
    """A pathway opened for the participant: their waiting ends (admitted on `on`)."""
    await session.execute(
        update(WaitingEntryRow)
        .where(*_waiting(unit_id, programme), WaitingEntryRow.participant_id == participant_id)
        .values(admitted_on=on)
    )


async def remove_waiting(session: AsyncSession, unit_id: uuid.UUID, entry_id: uuid.UUID) -> bool:
    """Take an entry off the list; False if it is not waiting in the unit."""
    result = await session.execute(
        update(WaitingEntryRow)
        .where(
            WaitingEntryRow.id == entry_id,
            WaitingEntryRow.unit_id == unit_id,
            WaitingEntryRow.admitted_on.is_(None),
            WaitingEntryRow.removed_at.is_(None),
        )
        .values(removed_at=utcnow())
        .returning(WaitingEntryRow.id)
    )
    return result.first() is not None


async def admitted_waits(
    session: AsyncSession, unit_id: uuid.UUID, programme: Programme, since: date
) -> list[int]:
    """Days waited by those admitted from the list since `since`."""
    query = select(WaitingEntryRow.applied_on, WaitingEntryRow.admitted_on).where(
        WaitingEntryRow.unit_id == unit_id,
        WaitingEntryRow.programme == programme,
        WaitingEntryRow.admitted_on >= since,
    )
    rows = await session.execute(query)
    return [max((admitted - applied).days, 0) for applied, admitted in rows if admitted]


@dataclass(frozen=True)
class FreePlace:
    """A programme of a unit with a place free and people waiting."""

    unit_id: uuid.UUID
    programme: Programme
    free: int
    waiting: int
    first_applied_on: date


async def free_places_with_waiting(session: AsyncSession) -> list[FreePlace]:
    """Every unit's programme with a place free while someone waits (the morning reminder)."""
    found = []
    for row in (await session.execute(select(UnitPlaces))).scalars():
        programme = Programme(row.programme)
        waiting = await waiting_count(session, row.unit_id, programme)
        if not waiting:
            continue
        free = row.places - await occupied(session, row.unit_id, programme)
        if free > 0:
            first = await session.scalar(
                select(func.min(WaitingEntryRow.applied_on)).where(
                    *_waiting(row.unit_id, programme)
                )
            )
            assert first is not None  # someone waits
            found.append(FreePlace(row.unit_id, programme, free, waiting, first))
    return found


def a_year_before(day: date) -> date:
    """The first day of the year that ends on `day`."""
    return day - timedelta(days=365)


async def claim_place(
    session: AsyncSession,
    unit_id: uuid.UUID,
    programme: Programme,
    participant_id: uuid.UUID,
    on: date,
) -> None:
    """An admission: refused with the numbers when every place is taken; otherwise the
    participant's waiting (if any) ends. In the registration's unit of work."""
    places = await places_of(session, unit_id, programme, lock=True)
    if places.places is not None:
        taken = await occupied(session, unit_id, programme)
        check_place(
            programme, places.places, taken, await waiting_count(session, unit_id, programme)
        )
    await admit_waiting(session, unit_id, programme, participant_id, on)


async def waiting_kpis(
    session: AsyncSession, unit_ids: Sequence[uuid.UUID], start: date, end: date
) -> WaitingKpis:
    """Admissions from the units' waiting lists in `start`-`end` and those waiting now."""
    query = select(WaitingEntryRow.applied_on, WaitingEntryRow.admitted_on).where(
        WaitingEntryRow.unit_id.in_(list(unit_ids)),
        WaitingEntryRow.admitted_on >= start,
        WaitingEntryRow.admitted_on <= end,
    )
    waits = [
        max((admitted - applied).days, 0)
        for applied, admitted in await session.execute(query)
        if admitted
    ]
    now = select(func.count()).where(
        WaitingEntryRow.unit_id.in_(list(unit_ids)),
        WaitingEntryRow.admitted_on.is_(None),
        WaitingEntryRow.removed_at.is_(None),
    )
    return WaitingKpis(
        admitted=len(waits),
        average_wait_days=round(sum(waits) / len(waits), 1) if waits else None,
        longest_wait_days=max(waits, default=None),
        waiting_now=int(await session.scalar(now) or 0),
    )
