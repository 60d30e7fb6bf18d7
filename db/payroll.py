"""The payroll's queries: who was in a unit's CIS in a month, their facts, closed months."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Participant,
    ParticipantErasure,
    Pathway,
    PathwayEvent,
    PathwayReportRow,
)
from db.month_end_models import PayrollClosure
from db.session import flush_or_conflict
from domain.pathway import Event
from domain.report_rows import ReportRow

_ROW_FIELDS = tuple(ReportRow.model_fields)
# A sick spell's place in its cap is counted from its first day: read this far back.
LOOK_BACK = timedelta(days=92)


@dataclass(frozen=True)
class Subject:
    """A pathway with a CIS episode, its participant, and its report row."""

    pathway_id: uuid.UUID
    participant_id: uuid.UUID
    row: ReportRow
    erased: bool


async def cis_subjects(
    session: AsyncSession,
    unit_id: uuid.UUID,
    first: date,
    last: date,
    caseload_of: uuid.UUID | None = None,
    pathway_ids: Sequence[uuid.UUID] | None = None,
) -> list[Subject]:
    """Pathways of the unit admitted to a CIS by `last` and not gone before `first`."""
    r = PathwayReportRow
    query = (
        select(Pathway.id, Pathway.participant_id, ParticipantErasure.participant_id, r)
        .join(r, r.pathway_id == Pathway.id)
        .outerjoin(ParticipantErasure, ParticipantErasure.participant_id == Pathway.participant_id)
        .where(Pathway.unit_id == unit_id, r.cis_admitted_on <= last)
        .where(or_(r.exited_on.is_(None), r.exited_on >= first, r.exit_programme != "cis"))
    )
    if caseload_of is not None:
        query = query.where(Pathway.caseworker_id == caseload_of)
    if pathway_ids is not None:
        query = query.where(Pathway.id.in_(pathway_ids))
    out = []
    for pathway_id, participant_id, erased, stored in await session.execute(query):
        row = ReportRow.model_validate({f: getattr(stored, f) for f in _ROW_FIELDS})
        out.append(Subject(pathway_id, participant_id, row, erased is not None))
    return out


async def events_of(
    session: AsyncSession,
    pathway_ids: Sequence[uuid.UUID],
    types: Sequence[str],
    first: date,
    last: date,
) -> dict[uuid.UUID, list[Event]]:
    """The pathways' events of `types` that happened from `LOOK_BACK` before `first` to `last`."""
    e = PathwayEvent
    found: dict[uuid.UUID, list[Event]] = {p: [] for p in pathway_ids}
    if not pathway_ids:
        return found
    query = (
        select(e.pathway_id, e.seq, e.type, e.occurred_on, e.actor, e.recorded_at, e.data)
        .where(e.pathway_id.in_(pathway_ids), e.type.in_(types))
        .where(e.occurred_on >= first - LOOK_BACK, e.occurred_on <= last)
        .order_by(e.pathway_id, e.seq)
    )
    for pathway_id, seq, type_, on, actor, recorded_at, data in await session.execute(query):
        found[pathway_id].append(
            Event(
                seq=seq,
                type=type_,
                occurred_on=on,
                actor=actor,
                recorded_at=recorded_at,
                data=data or {},
            )
        )
    return found


async def late_events(
    session: AsyncSession, unit_id: uuid.UUID, first: date, last: date, closed_at: datetime
) -> dict[uuid.UUID, list[Event]]:
    """Events of the unit's pathways that happened in `first`-`last`, recorded after closing."""
    e = PathwayEvent
    query = (
        select(e.pathway_id, e.seq, e.type, e.occurred_on, e.actor, e.recorded_at, e.data)
        .join(Pathway, Pathway.id == e.pathway_id)
        .where(Pathway.unit_id == unit_id)
        .where(and_(e.occurred_on >= first, e.occurred_on <= last, e.recorded_at > closed_at))
        .order_by(e.pathway_id, e.seq)
    )
    found: dict[uuid.UUID, list[Event]] = {}
    for pathway_id, seq, type_, on, actor, recorded_at, data in await session.execute(query):
        found.setdefault(pathway_id, []).append(
            Event(
                seq=seq,
                type=type_,
                occurred_on=on,
                actor=actor,
                recorded_at=recorded_at,
                data=data or {},
            )
        )
    return found


async def names_of(session: AsyncSession, participant_ids: Sequence[uuid.UUID]) -> dict[str, str]:
    """Participants' names as the payroll shows them (an erased person's are gone)."""
    if not participant_ids:
        return {}
    query = select(Participant.id, Participant.first_name, Participant.last_name).where(
        Participant.id.in_(participant_ids)
    )
    return {str(i): f"{first} {last}" for i, first, last in await session.execute(query)}


async def closure(session: AsyncSession, unit_id: uuid.UUID, month: date) -> PayrollClosure | None:
    """The unit's closed month, if it is closed."""
    return await session.get(PayrollClosure, (unit_id, month))


async def closures_before(
    session: AsyncSession, unit_id: uuid.UUID, month: date
) -> list[PayrollClosure]:
    """The unit's months closed before `month`, oldest first."""
    query = (
        select(PayrollClosure)
        .where(PayrollClosure.unit_id == unit_id, PayrollClosure.month < month)
        .order_by(PayrollClosure.month)
    )
    return list((await session.execute(query)).scalars())


async def close(
    session: AsyncSession,
    unit_id: uuid.UUID,
    month: date,
    closed_by: uuid.UUID,
    closed_by_name: str,
    total: Decimal,
    snapshot: dict[str, Any],
) -> PayrollClosure:
    """Freeze the month; a month already closed is a conflict."""
    closed = PayrollClosure(
        unit_id=unit_id,
        month=month,
        closed_by=closed_by,
        closed_by_name=closed_by_name,
        total=total,
        snapshot=snapshot,
    )
    session.add(closed)
    await flush_or_conflict(session, "payroll_closed", "The month is already closed.")
    return closed


async def employer_agreements(
    session: AsyncSession, unit_id: uuid.UUID, last: date
) -> list[tuple[uuid.UUID, uuid.UUID, date]]:
    """The unit's supported-employment agreements signed by `last`: pathway, participant, day."""
    e = PathwayEvent
    query = (
        select(e.pathway_id, Pathway.participant_id, e.occurred_on)
        .join(Pathway, Pathway.id == e.pathway_id)
        .where(Pathway.unit_id == unit_id, e.type == "record_employer_agreement")
        .where(e.occurred_on <= last)
        .order_by(e.occurred_on, e.pathway_id)
    )
    return [(p, who, on) for p, who, on in await session.execute(query)]


async def event_counts(
    session: AsyncSession, unit_id: uuid.UUID, first: date, last: date
) -> dict[str, int]:
    """How many projected events of each of the unit's pathways happened in `first`-`last`."""
    e = PathwayEvent
    query = (
        select(e.pathway_id, func.count())
        .join(Pathway, Pathway.id == e.pathway_id)
        .where(Pathway.unit_id == unit_id, e.occurred_on >= first, e.occurred_on <= last)
        .group_by(e.pathway_id)
    )
    return {str(p): int(n) for p, n in await session.execute(query)}


async def forget_reasons(session: AsyncSession, pathway_ids: Sequence[uuid.UUID]) -> None:
    """Erasure: closed months keep the pathways' adjustments (amounts, ids) but not their
    reasons, which quote what was typed about the person (a correction's reason)."""
    ids = {str(p) for p in pathway_ids}
    if not ids:
        return
    for closed in (await session.execute(select(PayrollClosure))).scalars():
        adjustments = closed.snapshot.get("adjustments", [])
        if any(a.get("pathway_id") in ids for a in adjustments):
            closed.snapshot = {
                **closed.snapshot,
                "adjustments": [
                    {**a, "reasons": ["erased"]} if a.get("pathway_id") in ids else a
                    for a in adjustments
                ],
            }
