"""The read model's one road in: a pathway's snapshot applied idempotently.

Events insert once (pathway id + seq; a hand-over's event written ahead under a negative seq
gives way to the workflow's own, db/caseload.replace_ahead), the pathway's columns and deadlines
only move forward, appointments are written as the workflow holds them (by id); the reports'
rows follow in the same transaction (db/report_rows.py).
"""

from __future__ import annotations

import json
import uuid
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, Uuid, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import report_rows
from db.appointments import project_appointments
from db.caseload import replace_ahead
from db.models import Pathway, PathwayDeadline, PathwayEvent, utcnow
from db.upsert import dialect_insert
from domain.pathway import Deadline, Event, PathwaySnapshot


class PathwayNotRegistered(Exception):
    """A workflow runs for a pathway the API never registered (its start was rolled back)."""


async def project_with_reports(session: AsyncSession, snap: PathwaySnapshot) -> int:
    """The snapshot, then the reports' rows of its pathway: what one projection writes, whether
    the workflow's activity sends it or a registration writes a new pathway's first."""
    events = _as_stored(snap.events)
    moved = await _project(session, snap, events)
    # A snapshot that moved the pathway forward holds every event after the reports' row (unless
    # that row is further behind): they are folded as written, not read back.
    await report_rows.project_report_rows(
        session, uuid.UUID(snap.pathway_id), newest=events if moved else None
    )
    return moved


async def project_new_pathway(session: AsyncSession, snap: PathwaySnapshot) -> None:
    """A new pathway's first snapshot and reports' rows, in its registration's transaction: the
    same rows as `project_with_reports`, without looking up or replacing anything (the pathway's
    row was inserted a moment ago; it has no events, deadlines or report rows yet)."""
    pathway_id = uuid.UUID(snap.pathway_id)
    events = _as_stored(snap.events)
    if events:
        await _insert_events(session, pathway_id, events)
    await session.execute(_MOVE_FORWARD, _columns(pathway_id, snap))
    if snap.deadlines and not snap.closed:
        await _insert_deadlines(session, pathway_id, snap.deadlines)
    if snap.appointments:
        await project_appointments(session, pathway_id, snap.appointments)
    await report_rows.project_report_rows(session, pathway_id, events)


async def project_pathway(session: AsyncSession, snap: PathwaySnapshot) -> int:
    """Apply a snapshot idempotently: events insert once, columns move only forward."""
    return await _project(session, snap, _as_stored(snap.events))


async def _project(session: AsyncSession, snap: PathwaySnapshot, events: list[Event]) -> int:
    pathway_id = uuid.UUID(snap.pathway_id)
    # Columns first: a snapshot that moves them proves the pathway registered (no lookup);
    # one that does not is either stale (a replay) or an orphan's.
    result = await session.execute(_MOVE_FORWARD, _columns(pathway_id, snap))
    moved = int(getattr(result, "rowcount", 0) or 0)
    if not moved:
        registered = await session.execute(_REGISTERED, {"pathway_id": pathway_id})
        if registered.scalar_one_or_none() is None:
            raise PathwayNotRegistered(snap.pathway_id)
    if events:
        await replace_ahead(session, pathway_id, events)
        await _insert_events(session, pathway_id, events)
    if moved:
        await _replace_deadlines(session, pathway_id, [] if snap.closed else snap.deadlines)
    if snap.appointments is not None:
        await project_appointments(session, pathway_id, snap.appointments)
    return moved


def _as_stored(events: list[Event]) -> list[Event]:
    """The events as the read model stores and reads them back (their data through JSON)."""
    return [e.model_copy(update={"data": _jsonable(e.data)}) for e in events]


async def _insert_events(session: AsyncSession, pathway_id: uuid.UUID, events: list[Event]) -> None:
    rows = [dict(pathway_id=pathway_id, **e.model_dump()) for e in events]
    await session.execute(_new_events(session.get_bind().dialect.name), rows)


def _columns(pathway_id: uuid.UUID, snap: PathwaySnapshot) -> dict[str, Any]:
    now = utcnow()
    return {
        "pathway_id": pathway_id,
        "programme": snap.programme,
        "stage": snap.stage,
        "graduate": snap.graduate,
        "outcome": snap.outcome,
        "next_due_kind": snap.next_due_kind,
        "next_due_on": snap.next_due_on,
        "last_seq": snap.last_seq,
        "updated_at": now,
        "closed_at": now if snap.closed else None,
    }


async def _replace_deadlines(
    session: AsyncSession, pathway_id: uuid.UUID, deadlines: list[Deadline]
) -> None:
    # Only a snapshot that moved the pathway forward gets here, so a replayed older one can never
    # bring back a deadline that has since been met.
    await session.execute(delete(PathwayDeadline).where(PathwayDeadline.pathway_id == pathway_id))
    if deadlines:
        await _insert_deadlines(session, pathway_id, deadlines)


async def _insert_deadlines(
    session: AsyncSession, pathway_id: uuid.UUID, deadlines: list[Deadline]
) -> None:
    await session.execute(
        insert(PathwayDeadline),
        [
            {"pathway_id": pathway_id, "kind": d.kind, "due_on": d.due_on, "overdue": d.overdue}
            for d in deadlines
        ],
    )


# Every projection sends these: built once, their values parameters (the table, not the mapped
# class, so that a list of rows is one executemany rather than an ORM bulk insert).
_PATHWAYS = cast(Table, Pathway.__table__)
_REGISTERED = select(_PATHWAYS.c.id).where(_PATHWAYS.c.id == bindparam("pathway_id", type_=Uuid))
_MOVE_FORWARD = (
    update(_PATHWAYS)
    .where(
        _PATHWAYS.c.id == bindparam("pathway_id", type_=Uuid),
        _PATHWAYS.c.last_seq < bindparam("last_seq", type_=_PATHWAYS.c.last_seq.type),
    )
    .values(
        {
            column: bindparam(column, type_=_PATHWAYS.c[column].type)
            for column in (
                "programme",
                "stage",
                "graduate",
                "outcome",
                "next_due_kind",
                "next_due_on",
                "last_seq",
                "updated_at",
                "closed_at",
            )
        }
    )
)


@cache
def _new_events(dialect: str) -> Any:
    """Events insert once (pathway id + seq): a replayed snapshot's are left as they are."""
    table = cast(Table, PathwayEvent.__table__)
    return dialect_insert(dialect, table).on_conflict_do_nothing(
        index_elements=["pathway_id", "seq"]
    )


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(json.dumps(data, default=str)))
