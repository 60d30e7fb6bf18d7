"""Who holds each case: loads, the cases to hand over, hand-overs recorded once, deputies.

Every function takes a session. The holder of a pathway is `pathways.caseworker_id`: tasks,
digests and escalations read it, so they follow a hand-over from its commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, Uuid, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.caseload_models import CaseloadPolicyRow, Handover, HandoverCase, PathwayDeputy
from db.models import Participant, Pathway, PathwayEvent, User, utcnow
from db.session import flush_or_conflict
from db.upsert import insert_ignoring, upsert
from domain.caseload import HOLDER_CHANGED, Case, CaseloadPolicy, CaseMove, Load, holder_data
from domain.pathway import Event
from domain.roles import Role

# Who may hold a case: a caseworker, or a supervisor (who may take every caseworker's step).
HOLDER_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)


async def policy(session: AsyncSession, unit_id: uuid.UUID) -> CaseloadPolicy:
    """The unit's caseload policy (no row: no limit)."""
    row = await session.get(CaseloadPolicyRow, unit_id)
    return CaseloadPolicy(max_open_cases=row.max_open_cases if row else None)


async def set_policy(session: AsyncSession, unit_id: uuid.UUID, rule: CaseloadPolicy) -> None:
    """Set the unit's caseload policy."""
    values = {"unit_id": unit_id, "max_open_cases": rule.max_open_cases}
    await session.execute(
        upsert(session, CaseloadPolicyRow, values, ["unit_id"], ["max_open_cases"])
    )


async def staff_of_unit(
    session: AsyncSession,
    unit_id: uuid.UUID,
    ids: Collection[uuid.UUID] | None = None,
    lock: bool = False,
) -> dict[uuid.UUID, str]:
    """Active staff who may hold cases in the unit (these ids only, if given), by id; `lock`
    holds their rows, so two hand-overs to the same people count their loads one after the
    other (PostgreSQL; SQLite writes one at a time anyway)."""
    query = (
        select(User.id, User.username)
        .where(User.unit_id == unit_id, User.active.is_(True), User.role.in_(HOLDER_ROLES))
        .order_by(User.username)
    )
    if ids is not None:
        query = query.where(User.id.in_(sorted(ids)))
    if lock:
        query = query.order_by(None).order_by(User.id).with_for_update()
    return {row.id: row.username for row in await session.execute(query)}


async def open_counts(
    session: AsyncSession, unit_id: uuid.UUID, ids: Collection[uuid.UUID] | None = None
) -> dict[uuid.UUID, int]:
    """Open pathways held, per caseworker of the unit."""
    query = (
        select(Pathway.caseworker_id, func.count())
        .where(Pathway.unit_id == unit_id, Pathway.closed_at.is_(None))
        .group_by(Pathway.caseworker_id)
    )
    if ids is not None:
        query = query.where(Pathway.caseworker_id.in_(list(ids)))
    return {row[0]: int(row[1]) for row in await session.execute(query)}


async def loads(
    session: AsyncSession,
    unit_id: uuid.UUID,
    ids: Sequence[uuid.UUID] | None = None,
    lock: bool = False,
) -> list[Load]:
    """Each holder's open cases against the unit's capacity, in the order of `ids` if given."""
    staff = await staff_of_unit(session, unit_id, ids, lock)
    counts = await open_counts(session, unit_id, staff)
    capacity = (await policy(session, unit_id)).max_open_cases
    order = [i for i in ids if i in staff] if ids is not None else list(staff)
    return [
        Load(caseworker_id=i, caseworker=staff[i], open_cases=counts.get(i, 0), capacity=capacity)
        for i in order
    ]


async def cases_to_hand_over(
    session: AsyncSession,
    unit_id: uuid.UUID,
    holder: uuid.UUID | None,
    pathway_ids: Collection[uuid.UUID],
) -> list[Case]:
    """The open cases of the unit held by `holder`, or these pathways; oldest first, locked."""
    query = (
        select(Pathway.id, Pathway.caseworker_id)
        .where(Pathway.unit_id == unit_id, Pathway.closed_at.is_(None))
        .order_by(Pathway.created_at, Pathway.id)
        .with_for_update()
    )
    if holder is not None:
        query = query.where(Pathway.caseworker_id == holder)
    else:
        query = query.where(Pathway.id.in_(list(pathway_ids)))
    return [Case(pathway_id=r.id, holder=r.caseworker_id) for r in await session.execute(query)]


_PATHWAYS = cast(Table, Pathway.__table__)
_MOVE = (
    update(_PATHWAYS)
    .where(
        _PATHWAYS.c.id == bindparam("b_pathway", type_=Uuid),
        _PATHWAYS.c.caseworker_id == bindparam("b_previous", type_=Uuid),
    )
    .values(caseworker_id=bindparam("b_holder", type_=Uuid), updated_at=bindparam("b_now"))
)


async def record_handover(
    session: AsyncSession,
    handover_id: uuid.UUID,
    unit_id: uuid.UUID,
    by_id: uuid.UUID,
    occurred_on: date,
    moves: Sequence[CaseMove],
    deputy: uuid.UUID | None,
    actor: str,
) -> None:
    """The hand-over and its cases (once each), the new holders, the deputies, and each case's
    `holder_changed` event in the read model ahead of its workflow (`write_ahead`)."""
    session.add(Handover(id=handover_id, unit_id=unit_id, by_id=by_id, occurred_on=occurred_on))
    await flush_or_conflict(
        session, "handover_in_progress", "This hand-over is being recorded already."
    )
    if not moves:
        return
    rows = [
        {
            "handover_id": handover_id,
            "pathway_id": m.pathway_id,
            "previous_id": m.previous,
            "holder_id": m.holder,
            "deputy_id": deputy,
        }
        for m in moves
    ]
    await session.execute(
        insert_ignoring(session, HandoverCase, ["handover_id", "pathway_id"]), rows
    )
    now = utcnow()
    await session.execute(
        _MOVE,
        [
            {
                "b_pathway": m.pathway_id,
                "b_previous": m.previous,
                "b_holder": m.holder,
                "b_now": now,
            }
            for m in moves
        ],
    )
    if deputy is not None:
        values = [{"pathway_id": m.pathway_id, "deputy_id": deputy} for m in moves]
        await session.execute(upsert(session, PathwayDeputy, values, ["pathway_id"], ["deputy_id"]))
    await write_ahead(session, moves, deputy, actor, occurred_on, now)


async def write_ahead(
    session: AsyncSession,
    moves: Sequence[CaseMove],
    deputy: uuid.UUID | None,
    actor: str,
    occurred_on: date,
    now: datetime,
) -> None:
    """Each case's `holder_changed` event in the read model from the hand-over's own commit, under
    a negative seq (the workflow's seq is not known yet: -1, -2, ... per pathway). The workflow's
    projection of the same event replaces it (`replace_ahead`), so the timeline keeps one row."""
    ids = [m.pathway_id for m in moves]
    found = await session.execute(
        select(PathwayEvent.pathway_id, func.min(PathwayEvent.seq))
        .where(PathwayEvent.pathway_id.in_(ids), PathwayEvent.seq < 0)
        .group_by(PathwayEvent.pathway_id)
    )
    lowest: dict[uuid.UUID, int] = {pathway_id: seq for pathway_id, seq in found}
    rows = [
        {
            "pathway_id": m.pathway_id,
            "seq": lowest.get(m.pathway_id, 0) - 1,
            "type": HOLDER_CHANGED,
            "occurred_on": occurred_on,
            "actor": actor,
            "recorded_at": now,
            "data": holder_data(str(m.holder), str(m.previous), str(deputy) if deputy else None),
        }
        for m in moves
    ]
    await session.execute(insert(cast(Table, PathwayEvent.__table__)), rows)


async def replace_ahead(
    session: AsyncSession, pathway_id: uuid.UUID, events: Sequence[Event]
) -> None:
    """The workflow projects `holder_changed` events: each one not yet in the read model takes
    the place of the earliest row its hand-over wrote ahead with the same holders. A replayed
    projection finds its rows there and removes nothing."""
    held = [e for e in events if e.type == HOLDER_CHANGED]
    if not held:
        return
    there = set(
        (
            await session.execute(
                select(PathwayEvent.seq).where(
                    PathwayEvent.pathway_id == pathway_id,
                    PathwayEvent.seq.in_([e.seq for e in held]),
                )
            )
        ).scalars()
    )
    for event in held:
        if event.seq in there:
            continue
        ahead = await session.scalar(
            select(func.max(PathwayEvent.seq)).where(
                PathwayEvent.pathway_id == pathway_id,
                PathwayEvent.seq < 0,
                PathwayEvent.type == HOLDER_CHANGED,
                PathwayEvent.data["holder"].as_string() == str(event.data.get("holder")),
                PathwayEvent.data["previous"].as_string() == str(event.data.get("previous")),
            )
        )
        if ahead is not None:
            await session.execute(
                delete(PathwayEvent).where(
                    PathwayEvent.pathway_id == pathway_id, PathwayEvent.seq == ahead
                )
            )


@dataclass(frozen=True)
class Untold:
    """A case of a hand-over whose workflow has not yet confirmed the event."""

    pathway_id: uuid.UUID
    previous: uuid.UUID
    holder: uuid.UUID
    deputy: uuid.UUID | None


async def untold(session: AsyncSession, handover_id: uuid.UUID) -> tuple[date, list[Untold]]:
    """The hand-over's day and its cases not yet told to their workflows."""
    day = (
        await session.execute(select(Handover.occurred_on).where(Handover.id == handover_id))
    ).scalar_one()
    query = select(HandoverCase).where(
        HandoverCase.handover_id == handover_id, HandoverCase.told_at.is_(None)
    )
    rows = (await session.execute(query)).scalars()
    return day, [Untold(r.pathway_id, r.previous_id, r.holder_id, r.deputy_id) for r in rows]


async def mark_told(
    session: AsyncSession, handover_id: uuid.UUID, pathway_ids: Collection[uuid.UUID]
) -> None:
    """These cases' workflows have the event."""
    if pathway_ids:
        await session.execute(
            update(HandoverCase)
            .where(
                HandoverCase.handover_id == handover_id,
                HandoverCase.pathway_id.in_(list(pathway_ids)),
            )
            .values(told_at=utcnow())
        )


async def deputy_of(session: AsyncSession, pathway_id: uuid.UUID) -> uuid.UUID | None:
    """A pathway's deputy, if it has one."""
    return await session.scalar(
        select(PathwayDeputy.deputy_id).where(PathwayDeputy.pathway_id == pathway_id)
    )


async def held_cases(session: AsyncSession, unit_id: uuid.UUID, holder: uuid.UUID) -> list[Any]:
    """The open cases a caseworker holds: pathway, participant's name, stage, next deadline."""
    query = (
        select(
            Pathway.id,
            Pathway.participant_id,
            Participant.first_name,
            Participant.last_name,
            Pathway.programme,
            Pathway.stage,
            Pathway.next_due_kind,
            Pathway.next_due_on,
            PathwayDeputy.deputy_id,
        )
        .join(Participant, Participant.id == Pathway.participant_id)
        .outerjoin(PathwayDeputy, PathwayDeputy.pathway_id == Pathway.id)
        .where(
            Pathway.unit_id == unit_id,
            Pathway.caseworker_id == holder,
            Pathway.closed_at.is_(None),
        )
        .order_by(Participant.last_name, Participant.first_name, Pathway.id)
    )
    return list((await session.execute(query)).all())


async def untold_handovers(session: AsyncSession) -> list[tuple[uuid.UUID, str]]:
    """Hand-overs with a case whose workflow has not confirmed the event, and who made them."""
    query = (
        select(Handover.id, User.username)
        .join(User, User.id == Handover.by_id)
        .where(
            select(HandoverCase.pathway_id)
            .where(HandoverCase.handover_id == Handover.id, HandoverCase.told_at.is_(None))
            .exists()
        )
        .order_by(Handover.created_at)
    )
    return [(row[0], row[1]) for row in await session.execute(query)]
