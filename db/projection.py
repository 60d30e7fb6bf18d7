"""The read model's one road in: a pathway's snapshot applied idempotently.

Events insert once (pathway id + seq), the pathway's columns and deadlines only move forward,
appointments are written as the workflow holds them (by id); the reports' rows follow in the same
transaction (db/report_rows.py).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.appointments import project_appointments
from db.models import Pathway, PathwayDeadline, PathwayEvent, utcnow
from db.upsert import insert_ignoring
from domain.pathway import Deadline, PathwaySnapshot


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
    if snap.appointments is not None:
        await project_appointments(session, pathway_id, snap.appointments)
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
    statement = insert_ignoring(session, PathwayEvent, ["pathway_id", "seq"]).values(rows)
    await session.execute(statement)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(json.dumps(data, default=str)))
