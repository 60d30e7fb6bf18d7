"""The data of the CIS and KIS annual reports to the voivode (domain.md §2.12, §6.3).

CIS: art. 5 ust. 4 pkt 2 (participants by category, economically independent participants,
reintegration, benefits and bonuses paid); KIS: art. 18a ust. 6 (participants by category, those
with reintegration effects, incl. employment after completing the KIS). Persons are counted once
(by PESEL, else by participant record); categories only as aggregates; small counts suppressed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ParticipantCategory, Pathway, PathwayMonth
from db.reports import R, ReportScope, employed_after_exit, person_key, rows_in
from domain.participants import Category
from domain.reports import SUPPRESSION_NOTE, AnnualLine, AnnualReport, AnnualSection, suppress
from domain.rulebook import Rulebook, rulebook_for
from domain.stages import Programme

_FAR = date(9999, 12, 31)


async def annual_report(
    session: AsyncSession, scope: ReportScope, year: int, now: datetime | None = None
) -> AnnualReport:
    """The data of the CIS and KIS annual reports for `year`, small counts suppressed."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    rules = rulebook_for(last)
    floor = rules.report_min_cell_count
    cis = await _cis_lines(session, scope, first, last, floor)
    kis = await _kis_lines(session, scope, first, last)
    return AnnualReport(
        year=year,
        units=list(scope.unit_codes),
        generated_at=now or datetime.now(UTC),
        due_on=date(year + 1, rules.annual_report_due_month, rules.annual_report_due_day),
        min_cell_count=floor,
        sections=[
            AnnualSection(
                programme=Programme.CIS,
                title="CIS: effects of social and vocational reintegration (art. 5 ust. 4 pkt 2)",
                lines=suppress(cis, floor),
            ),
            AnnualSection(
                programme=Programme.KIS,
                title="KIS: participants and reintegration effects (art. 18a ust. 6)",
                lines=suppress(kis, floor),
            ),
        ],
        notes=_notes(rules),
    )


def _notes(rules: Rulebook) -> list[str]:
    floor = rules.report_min_cell_count
    return [
        SUPPRESSION_NOTE.format(floor=floor - 1, threshold=floor),
        "Persons are counted once per programme (by PESEL, else by participant record).",
        "A CIS participant is one admitted (IPZS signed) whose participation overlaps the year; "
        "a KIS participant is one whose KIS episode overlaps the year.",
        "Benefits: the integration benefit less deductions as the engine computes it (art. 15, "
        "domain.md §2.6) for each month of participation up to the latest recorded step; "
        "bonuses: motivational bonuses awarded (art. 15a).",
        "Economically independent (CIS): persons whose CIS exit in the year led to qualifying "
        "work or self-employment (domain.md §6.1), a social cooperative or supported employment.",
        "Staff numbers and the financial plan are not kept by the engine.",
    ]


def _in_year(start: Any, end: Any, first: date, last: date) -> ColumnElement[bool]:
    return and_(start.is_not(None), start <= last, func.coalesce(end, _FAR) >= first)


def _cis_episode(first: date, last: date) -> ColumnElement[bool]:
    end = case((R.exit_programme == Programme.CIS, R.exited_on))
    return _in_year(R.cis_admitted_on, end, first, last)


def _kis_episode(first: date, last: date) -> ColumnElement[bool]:
    exit_from_kis = case((R.exit_programme == Programme.KIS, R.exited_on))
    end = func.coalesce(R.kis_completed_on, exit_from_kis, R.cis_entered_on)
    return _in_year(R.kis_entered_on, end, first, last)


def _persons(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(func.distinct(case((condition, person_key()))))


def _between(column: Any, first: date, last: date) -> ColumnElement[bool]:
    return and_(column >= first, column <= last)


async def _counts(
    session: AsyncSession, scope: ReportScope, columns: dict[str, ColumnElement[int]]
) -> dict[str, int]:
    row = (await session.execute(rows_in(scope, persons=True).add_columns(*columns.values()))).one()
    return {k: int(v) for k, v in zip(columns, row, strict=True)}


async def _by_category(
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


def _category_lines(prefix: str, counts: dict[str, int]) -> list[AnnualLine]:
    return [
        AnnualLine(
            key=f"{prefix}.category.{code}",
            label=f"Participants in category {code} (art. 1 ust. 2)",
            value=n,
            group=f"{prefix}.category",
        )
        for code, n in counts.items()
    ]


def _exit_lines(prefix: str, counts: dict[str, int], labels: dict[str, str]) -> list[AnnualLine]:
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


async def _cis_lines(
    session: AsyncSession, scope: ReportScope, first: date, last: date, floor: int
) -> list[AnnualLine]:
    episode = _cis_episode(first, last)
    exited = and_(R.exit_programme == Programme.CIS, _between(R.exited_on, first, last))
    independent = or_(
        employed_after_exit(),
        R.referred_to.in_(("cooperative", "supported_employment")),
        R.exit_kind == "referred_supported_employment",
    )
    exit_kinds = {
        "cis_completed": "Completed with certificate (absolwent CIS)",
        "withdrawn": "Withdrew (art. 13 ust. 4 pkt 3)",
        "terminated_breach": "Stopped: persistent breach (art. 13 ust. 4 pkt 1)",
        "terminated_abandonment": "Stopped: permanent abandonment (art. 13 ust. 4 pkt 2)",
        "referred_supported_employment": "Left for supported employment (art. 16)",
    }
    counts = await _counts(
        session,
        scope,
        {
            "participants": _persons(episode),
            "admitted": _persons(_between(R.cis_admitted_on, first, last)),
            "trial_passed": _persons(_between(R.trial_passed_on, first, last)),
            "extended": _persons(and_(episode, R.extension_months > 0)),
            "job_started": _persons(_between(R.job_started_on, first, last)),
            "independent": _persons(and_(exited, independent)),
            "employed": _persons(and_(exited, employed_after_exit())),
            **{k: _persons(and_(exited, R.exit_kind == k)) for k in exit_kinds},
        },
    )
    money = await _money(session, scope, first, last)
    p = "cis"

    def line(key: str, label: str) -> AnnualLine:
        return AnnualLine(key=f"{p}.{key}", label=label, value=counts[key])

    return [
        AnnualLine(
            key=f"{p}.participants.total",
            label="Participants (persons)",
            value=counts["participants"],
        ),
        AnnualLine(
            key=f"{p}.participants.admitted",
            label="Admitted in the year (IPZS signed)",
            value=counts["admitted"],
        ),
        *_category_lines(p, await _by_category(session, scope, episode)),
        line("trial_passed", "Trial period passed in the year"),
        line("extended", "Participation extended (art. 15)"),
        line("job_started", "Took up work during the programme"),
        *_exit_lines(p, counts, exit_kinds),
        AnnualLine(
            key=f"{p}.economically_independent",
            label="Became economically independent (usamodzielnieni ekonomicznie)",
            value=counts["independent"],
        ),
        AnnualLine(
            key=f"{p}.employed_after_exit",
            label="In qualifying work after exit (§6.1)",
            value=counts["employed"],
        ),
        *_money_lines(p, money, floor),
    ]


async def _kis_lines(
    session: AsyncSession, scope: ReportScope, first: date, last: date
) -> list[AnnualLine]:
    episode = _kis_episode(first, last)
    completed = _between(R.kis_completed_on, first, last)
    exited = and_(R.exit_programme == Programme.KIS, _between(R.exited_on, first, last))
    referred_on = and_(R.kis_entered_on.is_not(None), _between(R.cis_entered_on, first, last))
    exit_kinds = {
        "kis_completed": "Completed the KIS (certificate)",
        "withdrawn": "Withdrew",
        "referred_cis": "Referred on to a CIS",
    }
    counts = await _counts(
        session,
        scope,
        {
            "participants": _persons(episode),
            "entered": _persons(_between(R.kis_entered_on, first, last)),
            "contract_fulfilled": _persons(and_(episode, R.contract_fulfilled.is_(True))),
            "graduates": _persons(and_(completed, R.kis_graduate.is_(True))),
            "effects": _persons(
                and_(or_(exited, referred_on, completed), R.social_progress.is_(True))
            ),
            "employed": _persons(and_(completed, employed_after_exit())),
            "kis_completed": _persons(completed),
            "withdrawn": _persons(and_(exited, R.exit_kind == "withdrawn")),
            "referred_cis": _persons(referred_on),
        },
    )
    hours = await _kis_hours(session, scope, first, last)
    p = "kis"
    return [
        AnnualLine(
            key=f"{p}.participants.total", label="Participants", value=counts["participants"]
        ),
        AnnualLine(
            key=f"{p}.participants.entered", label="Entered in the year", value=counts["entered"]
        ),
        *_category_lines(p, await _by_category(session, scope, episode)),
        AnnualLine(
            key=f"{p}.contract_fulfilled",
            label="Social contract fulfilled",
            value=counts["contract_fulfilled"],
        ),
        *_exit_lines(p, counts, exit_kinds),
        AnnualLine(
            key=f"{p}.graduates", label="Graduates (absolwent KIS)", value=counts["graduates"]
        ),
        AnnualLine(
            key=f"{p}.reintegration_effects",
            label="Achieved reintegration effects",
            value=counts["effects"],
        ),
        AnnualLine(
            key=f"{p}.employed_after_completion",
            label="Of whom employed after completing the KIS",
            value=counts["employed"],
        ),
        AnnualLine(key=f"{p}.attendance_days", label="Activity days attended", value=hours[0]),
        AnnualLine(key=f"{p}.attendance_hours", label="Activity hours attended", value=hours[1]),
        AnnualLine(key=f"{p}.psu_hours", label="Socially useful work hours (PSU)", value=hours[2]),
    ]


async def _kis_hours(
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
        .where(m.programme == Programme.KIS, _between(m.month, first, last))
    )
    days, hours, psu = (await session.execute(query)).one()
    return int(days), Decimal(hours), Decimal(psu)


async def _money(
    session: AsyncSession, scope: ReportScope, first: date, last: date
) -> dict[str, Any]:
    m = PathwayMonth
    query = (
        rows_in(scope, persons=True)
        .join(m, m.pathway_id == R.pathway_id)
        .add_columns(
            func.coalesce(func.sum(m.benefit_amount), 0),
            _persons(m.benefit_amount > 0),
            func.coalesce(func.sum(m.bonus_count), 0),
            func.coalesce(func.sum(m.bonus_amount), 0),
            _persons(m.bonus_count > 0),
            func.coalesce(func.sum(m.attendance_days), 0),
            func.coalesce(func.sum(m.attendance_hours), 0),
        )
        .where(m.programme == Programme.CIS, _between(m.month, first, last))
    )
    row = (await session.execute(query)).one()
    keys = ("benefits", "benefit_persons", "bonuses", "bonus_amount", "bonus_persons")
    out: dict[str, Any] = dict(zip(keys, row[:5], strict=True))
    out["attendance_days"], out["attendance_hours"] = int(row[5]), Decimal(row[6])
    return out


def _money_lines(p: str, money: dict[str, Any], floor: int) -> list[AnnualLine]:
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
