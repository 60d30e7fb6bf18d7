"""The annual reports' building blocks: episodes overlapping a year, persons counted once,
categories, exits, hours and money, as SQL over the reports' read model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ParticipantCategory, Pathway, PathwayMonth
from db.report_scope import R, ReportScope, person_key, rows_in
from domain.participants import Category
from domain.reports import AnnualLine
from domain.stages import Programme

_FAR = date(9999, 12, 31)


def in_year(start: Any, end: Any, first: date, last: date) -> ColumnElement[bool]:
    return and_(start.is_not(None), start <= last, func.coalesce(end, _FAR) >= first)


def cis_episode(first: date, last: date) -> ColumnElement[bool]:
    end = case((R.exit_programme == Programme.CIS, R.exited_on))
    return in_year(R.cis_admitted_on, end, first, last)


def kis_episode(first: date, last: date) -> ColumnElement[bool]:
    exit_from_kis = case((R.exit_programme == Programme.KIS, R.exited_on))
    end = func.coalesce(R.kis_completed_on, exit_from_kis, R.cis_entered_on)
    return in_year(R.kis_entered_on, end, first, last)


def persons(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(func.distinct(case((condition, person_key()))))


def between(column: Any, first: date, last: date) -> ColumnElement[bool]:
    return and_(column >= first, column <= last)


async def person_counts(
    session: AsyncSession, scope: ReportScope, columns: dict[str, ColumnElement[int]]
) -> dict[str, int]:
    row = (await session.execute(rows_in(scope, persons=True).add_columns(*columns.values()))).one()
    return {k: int(v) for k, v in zip(columns, row, strict=True)}


async def by_category(
    session: AsyncSession, scope: ReportScope, episode: ColumnElement[bool]
) -> dict[str, int]:
    query = (
        rows_in(scope, persons=True)
        .join(ParticipantCategory, ParticipantCategory.participant_id == Pathway.participant_id)
        .add_columns(ParticipantCategory.category, func.count(func.distinct(person_key())))
        .where(episode)
        .group_by(ParticipantCategory.category)
    )
    found = {str(c): int(n) for c, n in await session.execute(query)}
    return {c.value: found.get(c.value, 0) for c in Category}


def category_lines(prefix: str, counts: dict[str, int]) -> list[AnnualLine]:
    return [
        AnnualLine(
            key=f"{prefix}.category.{code}",
            label=f"Participants in category {code} (art. 1 ust. 2)",
            value=n,
            group=f"{prefix}.category",
        )
        for code, n in counts.items()
    ]


def exit_lines(prefix: str, counts: dict[str, int], labels: dict[str, str]) -> list[AnnualLine]:
    group = f"{prefix}.exits"
    lines = [
        AnnualLine(
            key=f"{group}.total",
            label="Exits in the year (sum of the lines below)",
            value=0,
            group=group,
        )
    ]
    for kind, label in labels.items():
        lines.append(
            AnnualLine(key=f"{group}.{kind}", label=label, value=counts[kind], group=group)
        )
    lines[0].value = sum(counts[k] for k in labels)
    return lines


async def kis_hours(
    session: AsyncSession, scope: ReportScope, first: date, last: date
) -> tuple[int, Decimal, Decimal]:
    m = PathwayMonth
    query = (
        rows_in(scope)
        .join(m, m.pathway_id == R.pathway_id)
        .add_columns(
            func.coalesce(func.sum(m.attendance_days), 0),
            func.coalesce(func.sum(m.attendance_hours), 0),
            func.coalesce(func.sum(m.psu_hours), 0),
        )
        .where(m.programme == Programme.KIS, between(m.month, first, last))
    )
    days, hours, psu = (await session.execute(query)).one()
    return int(days), Decimal(hours), Decimal(psu)


async def money_paid(
    session: AsyncSession, scope: ReportScope, first: date, last: date
) -> dict[str, Any]:
    m = PathwayMonth
    query = (
        rows_in(scope, persons=True)
        .join(m, m.pathway_id == R.pathway_id)
        .add_columns(
            func.coalesce(func.sum(m.benefit_amount), 0),
            persons(m.benefit_amount > 0),
            func.coalesce(func.sum(m.bonus_count), 0),
            func.coalesce(func.sum(m.bonus_amount), 0),
            persons(m.bonus_count > 0),
            func.coalesce(func.sum(m.attendance_days), 0),
            func.coalesce(func.sum(m.attendance_hours), 0),
        )
        .where(m.programme == Programme.CIS, between(m.month, first, last))
    )
    row = (await session.execute(query)).one()
    keys = ("benefits", "benefit_persons", "bonuses", "bonus_amount", "bonus_persons")
    out: dict[str, Any] = dict(zip(keys, row[:5], strict=True))
    out["attendance_days"], out["attendance_hours"] = int(row[5]), Decimal(row[6])
    return out


def money_lines(p: str, money: dict[str, Any], floor: int) -> list[AnnualLine]:
    def amount(value: Any, persons: int) -> tuple[Decimal | None, bool]:
        hidden = 0 < persons < floor
        return (None, True) if hidden else (Decimal(value).quantize(Decimal("0.01")), False)

    benefits, benefits_hidden = amount(money["benefits"], int(money["benefit_persons"]))
    bonus, bonus_hidden = amount(money["bonus_amount"], int(money["bonus_persons"]))
    return [
        AnnualLine(
            key=f"{p}.benefits.persons",
            label="Persons paid the integration benefit",
            value=int(money["benefit_persons"]),
        ),
        AnnualLine(
            key=f"{p}.benefits.amount",
            label="Integration benefits paid, PLN (art. 15)",
            value=benefits,
            suppressed=benefits_hidden,
        ),
        AnnualLine(
            key=f"{p}.bonuses.persons",
            label="Persons awarded a motivational bonus",
            value=int(money["bonus_persons"]),
        ),
        AnnualLine(
            key=f"{p}.bonuses.count",
            label="Motivational bonuses awarded",
            value=int(money["bonuses"]),
        ),
        AnnualLine(
            key=f"{p}.bonuses.amount",
            label="Motivational bonuses paid, PLN (art. 15a)",
            value=bonus,
            suppressed=bonus_hidden,
        ),
        AnnualLine(
            key=f"{p}.attendance_days", label="Days attended", value=money["attendance_days"]
        ),
        AnnualLine(
            key=f"{p}.attendance_hours", label="Hours attended", value=money["attendance_hours"]
        ),
    ]
