"""The reports' read model: fold a pathway's projected events into its report row and months.

Called in the projection's unit of work right after `db.projection.project_pathway`, so the
events are already in `pathway_events`. Idempotent: only events after the row's `last_seq` are
folded, in the same transaction that moves `last_seq`; a pathway projected before this table
existed is folded from its first event at its next projection (or by `refresh_report_rows`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import PathwayEvent, PathwayMonth, PathwayReportRow, utcnow
from db.upsert import dialect_insert, upsert
from domain.pathway import Event
from domain.report_rows import MonthFigures, MonthKey, ReportRow, benefit_months, fold
from domain.stages import Programme

_ROW_FIELDS = tuple(ReportRow.model_fields)
_MONTH_FIELDS = tuple(MonthFigures.model_fields)
# Events the CIS benefit depends on beyond the row's dates (domain/benefits.py).
_BENEFIT_EVENTS = ("record_absence", "award_bonus", "correct_day")
# Steps that change some month's benefit; attendance alone does not (a new month aside).
_BENEFIT_CHANGES = frozenset(
    {
        *_BENEFIT_EVENTS,
        "sign_ipzs",
        "pass_trial",
        "extend",
        "record_job_start",
        "withdraw",
        "terminate",
        "complete_cis",
        "refer",
    }
)


async def project_report_rows(
    session: AsyncSession,
    pathway_id: uuid.UUID,
    first_events: list[Event] | None = None,
    newest: list[Event] | None = None,
) -> int:
    """Fold the pathway's events not yet folded; answers how many were folded.

    `first_events`: a new pathway's events, just written in this transaction, so that nothing
    of it is read back (it has no row yet). `newest`: the events a projection that moved the
    pathway forward has just written, the newest there are; read back only when the row lags
    behind their first."""
    stored = (
        None
        if first_events is not None
        else await session.get(PathwayReportRow, pathway_id, with_for_update=True)
    )
    row = (
        ReportRow.model_validate({f: getattr(stored, f) for f in _ROW_FIELDS})
        if stored
        else ReportRow()
    )
    if first_events is not None:
        events = first_events
    elif newest and newest[0].seq <= row.last_seq + 1:
        events = [e for e in newest if e.seq > row.last_seq]
    else:
        events = await _events(session, pathway_id, after_seq=row.last_seq)
    if not events:
        return 0
    new, months = fold(row, events)
    values = new.model_dump()
    if stored is None:
        session.add(PathwayReportRow(pathway_id=pathway_id, projected_at=utcnow(), **values))
    else:
        for field, value in values.items():
            setattr(stored, field, value)
        stored.projected_at = utcnow()
    benefits = await _add_months(session, pathway_id, months)
    latest = max(e.occurred_on for e in events)
    if new.cis_admitted_on is not None and (
        any(e.type in _BENEFIT_CHANGES for e in events)
        or not await _benefit_known(session, pathway_id, latest, benefits)
    ):
        await _store_benefits(session, pathway_id, new, latest)
    await session.flush()
    return len(events)


async def refresh_report_rows(
    session: AsyncSession, pathway_ids: Sequence[uuid.UUID] | None = None
) -> int:
    """Fold every (or these) pathway's events not yet folded: a backfill after the migration."""
    query = select(PathwayEvent.pathway_id).distinct()
    if pathway_ids is not None:
        query = query.where(PathwayEvent.pathway_id.in_(pathway_ids))
    folded = 0
    for pathway_id in (await session.execute(query)).scalars():
        folded += await project_report_rows(session, pathway_id)
    return folded


async def _events(
    session: AsyncSession,
    pathway_id: uuid.UUID,
    after_seq: int = 0,
    types: Sequence[str] | None = None,
) -> list[Event]:
    query = select(PathwayEvent).where(
        PathwayEvent.pathway_id == pathway_id, PathwayEvent.seq > after_seq
    )
    if types is not None:
        query = query.where(PathwayEvent.type.in_(types))
    rows = (await session.execute(query.order_by(PathwayEvent.seq))).scalars()
    return [
        Event(
            seq=r.seq,
            type=r.type,
            occurred_on=r.occurred_on,
            actor=r.actor,
            recorded_at=r.recorded_at,
            data=r.data or {},
        )
        for r in rows
    ]


@cache
def _months_upsert(dialect: str) -> Any:
    """A month's figures added to those it has (a new month inserted), answering each month's
    benefit as it stands: built once, its rows parameters."""
    table = cast(Table, PathwayMonth.__table__)
    statement = dialect_insert(dialect, table)
    return statement.on_conflict_do_update(
        index_elements=["pathway_id", "month", "programme"],
        set_={f: table.c[f] + statement.excluded[f] for f in _MONTH_FIELDS},
    ).returning(table.c.month, table.c.programme, table.c.benefit_amount)


async def _add_months(
    session: AsyncSession, pathway_id: uuid.UUID, months: dict[MonthKey, MonthFigures]
) -> dict[MonthKey, bool]:
    """Add the events' figures to their months; whether each month's benefit is computed."""
    changed = {m: f for m, f in months.items() if f != MonthFigures()}
    if not changed:
        return {}
    rows = [
        {
            "pathway_id": pathway_id,
            "month": month,
            "programme": programme,
            **figures.model_dump(),
            "benefit_amount": 0,
            "deductions_amount": 0,
        }
        for (month, programme), figures in changed.items()
    ]
    result = await session.execute(_months_upsert(session.get_bind().dialect.name), rows)
    return {(month, Programme(programme)): amount > 0 for month, programme, amount in result}


async def _benefit_known(
    session: AsyncSession, pathway_id: uuid.UUID, day: date, months: dict[MonthKey, bool]
) -> bool:
    """Whether the benefit of `day`'s month is already computed (its steps since changed none):
    as the months just written answered, or else as stored."""
    key = (day.replace(day=1), Programme.CIS)
    if key in months:
        return months[key]
    query = select(PathwayMonth.month).where(
        PathwayMonth.pathway_id == pathway_id,
        PathwayMonth.programme == Programme.CIS,
        PathwayMonth.month == key[0],
        PathwayMonth.benefit_amount > 0,
    )
    return (await session.execute(query)).first() is not None


async def _store_benefits(
    session: AsyncSession, pathway_id: uuid.UUID, row: ReportRow, until: date
) -> None:
    events = await _events(session, pathway_id, types=_BENEFIT_EVENTS)
    benefits = benefit_months(row, str(pathway_id), events, until)
    # Months no longer in participation (an exit recorded late) keep no benefit.
    await session.execute(
        update(PathwayMonth)
        .where(PathwayMonth.pathway_id == pathway_id)
        .values(benefit_amount=0, deductions_amount=0)
    )
    if not benefits:
        return
    rows = [
        {
            "pathway_id": pathway_id,
            "month": b.month,
            "programme": Programme.CIS,
            **MonthFigures().model_dump(),
            "benefit_amount": b.benefit,
            "deductions_amount": b.deductions,
        }
        for b in benefits
    ]
    keys = ["pathway_id", "month", "programme"]
    replace = ["benefit_amount", "deductions_amount"]
    await session.execute(upsert(session, PathwayMonth, rows, keys, replace))


async def forget_report_rows(session: AsyncSession, pathway_id: uuid.UUID) -> None:
    """Drop a pathway's report rows (its registration was undone)."""
    await session.execute(delete(PathwayMonth).where(PathwayMonth.pathway_id == pathway_id))
    await session.execute(delete(PathwayReportRow).where(PathwayReportRow.pathway_id == pathway_id))
