"""The data of the CIS and KIS annual reports to the voivode (domain.md §2.12, §6.3).

CIS: art. 5 ust. 4 pkt 2 (participants by category, economically independent participants,
reintegration, benefits and bonuses paid); KIS: art. 18a ust. 6 (participants by category, those
with reintegration effects, incl. employment after completing the KIS). Persons are counted once
(by PESEL, else by participant record); categories only as aggregates; small counts suppressed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from db.annual_figures import (
    between,
    by_category,
    category_lines,
    cis_episode,
    exit_lines,
    kis_episode,
    kis_hours,
    money_lines,
    money_paid,
    person_counts,
    persons,
)
from db.report_scope import R, ReportScope, employed_after_exit
from domain.reports import SUPPRESSION_NOTE, AnnualLine, AnnualReport, AnnualSection, suppress
from domain.rulebook import Rulebook, rulebook_for
from domain.stages import Programme


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


async def _cis_lines(
    session: AsyncSession, scope: ReportScope, first: date, last: date, floor: int
) -> list[AnnualLine]:
    episode = cis_episode(first, last)
    exited = and_(R.exit_programme == Programme.CIS, between(R.exited_on, first, last))
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
    counts = await person_counts(
        session,
        scope,
        {
            "participants": persons(episode),
            "admitted": persons(between(R.cis_admitted_on, first, last)),
            "trial_passed": persons(between(R.trial_passed_on, first, last)),
            "extended": persons(and_(episode, R.extension_months > 0)),
            "job_started": persons(between(R.job_started_on, first, last)),
            "independent": persons(and_(exited, independent)),
            "employed": persons(and_(exited, employed_after_exit())),
            **{k: persons(and_(exited, R.exit_kind == k)) for k in exit_kinds},
        },
    )
    money = await money_paid(session, scope, first, last)
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
        *category_lines(p, await by_category(session, scope, episode)),
        line("trial_passed", "Trial period passed in the year"),
        line("extended", "Participation extended (art. 15)"),
        line("job_started", "Took up work during the programme"),
        *exit_lines(p, counts, exit_kinds),
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
        *money_lines(p, money, floor),
    ]


async def _kis_lines(
    session: AsyncSession, scope: ReportScope, first: date, last: date
) -> list[AnnualLine]:
    episode = kis_episode(first, last)
    completed = between(R.kis_completed_on, first, last)
    exited = and_(R.exit_programme == Programme.KIS, between(R.exited_on, first, last))
    referred_on = and_(R.kis_entered_on.is_not(None), between(R.cis_entered_on, first, last))
    exit_kinds = {
        "kis_completed": "Completed the KIS (certificate)",
        "withdrawn": "Withdrew",
        "referred_cis": "Referred on to a CIS",
    }
    counts = await person_counts(
        session,
        scope,
        {
            "participants": persons(episode),
            "entered": persons(between(R.kis_entered_on, first, last)),
            "contract_fulfilled": persons(and_(episode, R.contract_fulfilled.is_(True))),
            "graduates": persons(and_(completed, R.kis_graduate.is_(True))),
            "effects": persons(
                and_(or_(exited, referred_on, completed), R.social_progress.is_(True))
            ),
            "employed": persons(and_(completed, employed_after_exit())),
            "kis_completed": persons(completed),
            "withdrawn": persons(and_(exited, R.exit_kind == "withdrawn")),
            "referred_cis": persons(referred_on),
        },
    )
    hours = await kis_hours(session, scope, first, last)
    p = "kis"
    return [
        AnnualLine(
            key=f"{p}.participants.total", label="Participants", value=counts["participants"]
        ),
        AnnualLine(
            key=f"{p}.participants.entered", label="Entered in the year", value=counts["entered"]
        ),
        *category_lines(p, await by_category(session, scope, episode)),
        AnnualLine(
            key=f"{p}.contract_fulfilled",
            label="Social contract fulfilled",
            value=counts["contract_fulfilled"],
        ),
        *exit_lines(p, counts, exit_kinds),
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
