"""KPIs and the annual report on the real database, over hundreds of seeded pathways.

The plan (unit U, period 2025-01-01..2025-06-30):
- 120 CIS leavers (one person each), 20 a month Jan-Jun, all closed: i%4==0 outcome employed;
  i%4==1 a 2-month contract (employed_not_qualifying); i%4==2 no work, exits split withdrawn /
  breach / abandonment, no social progress; i%4==3 a qualifying job started in the follow-up.
- one re-entrant: withdrew from a KIS in February, came back, completed a second KIS in May as a
  graduate with qualifying work: one person, employed.
- 10 KIS leavers who withdrew on 2025-06-25 and whose pathways are still open (window running).
- 3 CIS leavers to supported employment in May (a 3-person cell, suppressed).
- 150 open pathways: 50 kis_active (20 contract reviews overdue), 50 cis_trial (10 trials
  overdue), 50 cis_main of which 40 started directly in February 2025 with 22 recorded days in
  March each (18 present, 1 excused, 1 sick, 2 unexcused) plus a day off, a benefit, and 4 bonuses.
- 3 of the 120 CIS leavers also are refugees (a 3-person category, suppressed).
- unit V: 50 leavers, all employed, which unit U must never see.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.annual_report import annual_report
from db.report_scope import ReportScope
from db.reports import kpi_report
from db.session import unit_of_work
from domain.reports import AnnualLine, AnnualReport
from tests.db.report_seed import Seeder, new_unit

START, END = date(2025, 1, 1), date(2025, 6, 30)
LATE = date(2025, 12, 31)  # every outcome window of the period has closed
BENEFIT = Decimal("2066.28")


@dataclass(frozen=True)
class Units:
    mine: ReportScope
    other: ReportScope


def _scope(seeder: Seeder) -> ReportScope:
    return ReportScope(unit_ids=(seeder.unit_id,), unit_codes=(seeder.code,))


def _cis_leavers(u: Seeder) -> None:
    for i in range(120):
        exited = date(2025, 1 + i // 20, 1 + i % 20)
        categories = ("long_term_unemployed", "refugee") if i < 3 else ("long_term_unemployed",)
        person = u.person(*categories)
        row: dict[str, Any] = {
            "cis_admitted_on": date(2024, 1, 5),
            "trial_passed_on": None,
            "exit_programme": "cis",
            "exited_on": exited,
        }
        kind = i % 4
        if kind == 0:
            row |= {"exit_kind": "cis_completed", "cis_completed_on": exited, "outcome": "employed"}
        elif kind == 1:  # a 2-month contract: work, but not employment in the §6.1 sense
            row |= {
                "exit_kind": "cis_completed",
                "cis_completed_on": exited,
                "outcome": "employed_not_qualifying",
            }
        elif kind == 2:
            ground = ("withdrawn", "terminated_breach", "terminated_abandonment")[(i // 4) % 3]
            row |= {"exit_kind": ground, "outcome": "not_reported"}
        else:
            row |= {
                "exit_kind": "cis_completed",
                "cis_completed_on": exited,
                "job_started_on": exited - timedelta(days=60),
                "job_qualifying": True,
                "outcome": "not_reported",
            }
        row["social_progress"] = kind != 2
        u.pathway(person, "cis", "closed", date(2024, 1, 1), closed=True, **row)


def _kis_people(u: Seeder) -> None:
    again = u.person(last_name="Powrot")
    u.pathway(
        again,
        "kis",
        "closed",
        date(2024, 11, 1),
        closed=True,
        exit_kind="withdrawn",
        exit_programme="kis",
        exited_on=date(2025, 2, 10),
        outcome="not_reported",
    )
    u.pathway(
        again,
        "kis",
        "closed",
        date(2025, 3, 1),
        closed=True,
        exit_kind="kis_completed",
        exit_programme="kis",
        exited_on=date(2025, 5, 20),
        kis_completed_on=date(2025, 5, 20),
        kis_graduate=True,
        contract_fulfilled=True,
        outcome="employed",
        social_progress=True,
    )
    for _ in range(10):
        u.pathway(
            u.person(),
            "kis",
            "withdrawn",
            date(2025, 1, 10),
            closed=False,
            exit_kind="withdrawn",
            exit_programme="kis",
            exited_on=date(2025, 6, 25),
            deadlines=[("outcome_window", date(2025, 9, 23), False)],
        )
    for _ in range(3):
        u.pathway(
            u.person(),
            "cis",
            "closed",
            date(2024, 3, 1),
            closed=True,
            cis_admitted_on=date(2024, 3, 4),
            exit_kind="referred_supported_employment",
            exit_programme="cis",
            exited_on=date(2025, 5, 12),
            referred_to="supported_employment",
            outcome="not_reported",
            social_progress=True,
        )


def _open_pathways(u: Seeder) -> None:
    for i in range(50):
        overdue = [("contract_review", date(2025, 6, 1), True)] if i < 20 else []
        u.pathway(u.person(), "kis", "kis_active", date(2024, 10, 1), False, deadlines=overdue)
    for i in range(50):
        deadlines = [("trial_end", date(2024, 11, 4), i < 10)]
        u.pathway(
            u.person(),
            "cis",
            "cis_trial",
            date(2024, 10, 1),
            False,
            deadlines=deadlines,
            cis_admitted_on=date(2024, 10, 5),
        )
    for i in range(50):
        direct = i < 40
        march = {
            "month": date(2025, 3, 1),
            "programme": "cis",
            "attendance_days": 18,
            "attendance_hours": Decimal(18 * 7),
            "excused_days": 1,
            "sick_days": 1,
            "unexcused_days": 2,
            "days_off": 1,
            "benefit_amount": BENEFIT,
            "bonus_count": 1 if i < 4 else 0,
            "bonus_amount": Decimal(500) if i < 4 else Decimal(0),
        }
        u.pathway(
            u.person("homeless"),
            "cis",
            "cis_main",
            date(2025, 2, 1) if direct else date(2024, 10, 1),
            False,
            months=[march] if direct else [],
            cis_admitted_on=date(2025, 2, 5) if direct else date(2024, 10, 5),
            trial_passed_on=date(2025, 3, 1) if direct else date(2024, 11, 1),
        )


@pytest.fixture(scope="module")
async def units(sessions: async_sessionmaker[AsyncSession]) -> Units:
    async with unit_of_work(sessions) as session:
        mine = await new_unit(session)
        _cis_leavers(mine)
        _kis_people(mine)
        _open_pathways(mine)
        await mine.write(session)
        other = await new_unit(session)
        for i in range(50):
            other.pathway(
                other.person(),
                "cis",
                "closed",
                date(2024, 1, 1),
                True,
                cis_admitted_on=date(2024, 1, 5),
                exit_kind="cis_completed",
                exit_programme="cis",
                exited_on=date(2025, 3, 1 + i % 28),
                cis_completed_on=date(2025, 3, 1 + i % 28),
                outcome="employed",
                social_progress=True,
            )
        await other.write(session)
    return Units(mine=_scope(mine), other=_scope(other))


async def test_a_re_entrant_counts_once_and_a_two_month_contract_is_not_employment(
    units: Units, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:
        report = await kpi_report(session, units.mine, START, END, today=LATE)
    effect = report.effectiveness
    # 120 CIS + 1 re-entrant (two exits) + 10 KIS + 3 to supported employment: 134 persons.
    assert effect.leavers == 134
    assert effect.pending == 0
    # 30 outcomes employed + 30 qualifying jobs + the re-entrant; the 30 two-month contracts not.
    assert (effect.employment.numerator, effect.employment.denominator) == (61, 134)
    assert effect.employment.rate_pct == Decimal("45.5")
    assert effect.employment.target_pct == Decimal("22")
    assert (effect.social.numerator, effect.social.denominator) == (94, 134)
    assert report.definitions["employment_effectiveness"].startswith("EFS definition")


async def test_leavers_whose_window_still_runs_are_pending_not_failures(
    units: Units, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:
        report = await kpi_report(session, units.mine, START, END, today=date(2025, 7, 15))
    assert report.effectiveness.pending == 10
    assert report.effectiveness.employment.denominator == 124
    assert report.effectiveness.employment.rate_pct == Decimal("49.2")


async def test_cohorts_are_months_of_exit_and_programmes_split_the_leavers(
    units: Units, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:
        report = await kpi_report(session, units.mine, START, END, today=LATE)
    cohorts = {c.cohort: c for c in report.effectiveness.by_cohort}
    assert sorted(cohorts) == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    # January: 20 CIS leavers, 10 of them in qualifying work (i%4 in {0, 3}).
    assert (cohorts["2025-01"].leavers, cohorts["2025-01"].employment.numerator) == (20, 10)
    # The re-entrant's last exit is in May: counted there, not in February.
    assert cohorts["2025-02"].leavers == 20
    assert cohorts["2025-05"].leavers == 20 + 1 + 3
    assert cohorts["2025-06"].leavers == 20 + 10
    by_programme = report.effectiveness.by_programme
    assert (by_programme["cis"].leavers, by_programme["kis"].leavers) == (123, 11)
    refugees = report.effectiveness.by_category["refugee"]  # leavers i = 0, 1, 2
    assert (refugees.leavers, refugees.employment.numerator) == (3, 1)
    assert report.effectiveness.by_category["long_term_unemployed"].leavers == 134


async def test_the_period_figures_a_supervisor_checks(
    units: Units, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:
        report = await kpi_report(session, units.mine, START, END, today=LATE)
    assert report.exits_by_kind == {
        "cis_completed": 90,
        "withdrawn": 10 + 1 + 10,
        "terminated_breach": 10,
        "terminated_abandonment": 10,
        "kis_completed": 1,
        "referred_supported_employment": 3,
    }
    assert report.terminations_by_ground == {"breach": 10, "abandonment": 10, "withdrawal": 21}
    assert report.completions == {
        "kis_completed": 1,
        "kis_graduates": 1,
        "cis_completed": 90,
        "cis_graduates": 90,
    }
    assert report.entries == {
        "kis": 11,
        "cis": 40,
        "cis_referrals_from_kis": 0,
        "cis_admissions": 40,
    }
    stages = {(s.programme, s.stage): s.count for s in report.participants_by_stage}
    assert stages == {
        ("kis", "kis_active"): 50,
        ("kis", "withdrawn"): 10,
        ("cis", "cis_trial"): 50,
        ("cis", "cis_main"): 50,
    }
    assert report.overdue_tasks == {"contract_review": 20, "trial_end": 10}
    attendance = report.attendance
    assert (attendance.days_present, attendance.days_unexcused, attendance.days_off) == (
        720,
        80,
        40,
    )
    assert attendance.rate.rate_pct == Decimal("81.8")  # 720 / (720 + 40 + 40 + 80)


async def test_another_unit_sees_nothing_of_ours(
    units: Units, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:
        theirs = await kpi_report(session, units.other, START, END, today=LATE)
    assert theirs.effectiveness.leavers == 50
    assert theirs.effectiveness.employment.rate_pct == Decimal("100.0")
    assert theirs.overdue_tasks == {}
    assert theirs.participants_by_stage == []


def _lines(report: AnnualReport, programme: str) -> dict[str, AnnualLine]:
    section = next(s for s in report.sections if s.programme == programme)
    return {line.key: line for line in section.lines}


async def test_the_annual_report_suppresses_small_cells_and_what_would_reveal_them(
    units: Units, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:
        report = await annual_report(session, units.mine, 2025)
    cis = _lines(report, "cis")
    # 120 CIS leavers + 3 to supported employment + 150 open of which 100 CIS.
    assert cis["cis.participants.total"].value == 223
    assert cis["cis.participants.admitted"].value == 40
    assert cis["cis.category.long_term_unemployed"].value == 120 + 3 + 50  # the trial group too
    refugees = cis["cis.category.refugee"]
    assert refugees.suppressed and refugees.value is None  # 3 persons
    # Most people have one category, so the smallest other category goes too (secondary).
    assert cis["cis.category.homeless"].suppressed
    assert cis["cis.category.disabled"].value == 0  # zero describes nobody
    # Exits: 3 to supported employment are suppressed, and so is the next smallest line, so
    # that the total minus the shown lines cannot give the 3 back.
    exits = {k: v for k, v in cis.items() if k.startswith("cis.exits.")}
    assert exits["cis.exits.total"].value == 90 + 10 + 10 + 10 + 3
    assert exits["cis.exits.referred_supported_employment"].suppressed
    hidden = [k for k, v in exits.items() if v.suppressed]
    assert len(hidden) == 2
    shown = sum(
        int(v.value or 0) for k, v in exits.items() if not v.suppressed and "total" not in k
    )
    assert exits["cis.exits.total"].value - shown >= 5  # nothing below 5 can be recovered
    # Money: 40 persons' benefits are shown; the bonuses of 4 persons are not.
    assert cis["cis.benefits.amount"].value == BENEFIT * 40
    assert cis["cis.bonuses.amount"].suppressed and cis["cis.bonuses.amount"].value is None
    assert cis["cis.bonuses.persons"].suppressed
    # Economically independent: 60 in qualifying work + 3 in supported employment.
    assert cis["cis.economically_independent"].value == 63
    kis = _lines(report, "kis")
    assert kis["kis.participants.total"].value == 50 + 1 + 10
    assert kis["kis.graduates"].suppressed  # one graduate
    assert report.due_on == date(2026, 3, 31)


async def test_an_empty_year_is_all_zero_and_nothing_is_suppressed(
    units: Units, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:
        report = await annual_report(session, units.mine, 2019)
    for section in report.sections:
        for line in section.lines:
            assert not line.suppressed and line.value in (0, Decimal(0)), line


async def test_reports_keep_their_numbers_when_another_unit_grows(
    units: Units, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with unit_of_work(sessions) as session:
        more = await new_unit(session)
        for _ in range(5):
            more.pathway(more.person(), "kis", "kis_active", date(2025, 2, 1), False)
        await more.write(session)
        mine = await kpi_report(session, units.mine, START, END, today=LATE)
    assert mine.entries["kis"] == 11
    assert uuid.UUID(str(units.mine.unit_ids[0])) != more.unit_id
