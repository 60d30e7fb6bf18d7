"""What supervisors' reports answer: KPIs with their definitions, and the annual report.

The models are the HTTP answers of `GET /reports/kpis` and `GET /reports/annual` (db/reports.py
fills them from the read model). Every KPI carries its definition, so a number is never read
without knowing what it counts. Suppression of small counts (so that nobody can be recognised in
the annual report) is pure and lives here too.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

# --- definitions (domain.md §6.1-§6.5) ---------------------------------------------------------

DEFINITIONS: dict[str, str] = {
    "participants_by_stage": (
        "Pathways open on the 'as of' day, by programme and stage (a KIS participant referred to "
        "a CIS counts under the CIS)."
    ),
    "entries": (
        "Pathways started in the period, by the programme they started in; cis_admissions counts "
        "IPZS signatures (admission to a CIS) in the period, KIS participants referred on included."
    ),
    "exits_by_kind": (
        "Pathways whose last exit (completion, withdrawal, termination, supported employment "
        "before the end) fell in the period. A KIS completion followed by a referral to a CIS is "
        "a completion, not an exit."
    ),
    "completions": (
        "Completions with a certificate in the period: KIS completions and KIS graduates "
        "(absolwent KIS: at least the rulebook's months, certificate, social contract fulfilled, "
        "art. 2 pkt 1b), CIS completions (certificate: absolwent CIS, art. 2 pkt 1a)."
    ),
    "terminations_by_ground": (
        "Programme stopped early in the period (art. 13 ust. 4): persistent breach (pkt 1), "
        "permanent abandonment (pkt 2) - both a CIS head's decision - and the participant's "
        "declared withdrawal (pkt 3)."
    ),
    "attendance": (
        "Days recorded in the months that overlap the period: rate = days present / (days "
        "present + days absent of any kind: excused, sick, unexcused). Days off granted by the "
        "head (art. 15) are leave, not absence, and are left out of the rate."
    ),
    "overdue_tasks": (
        "Open deadlines of open pathways whose day has passed with nobody acting, on the 'as of' "
        "day, by kind."
    ),
    "employment_effectiveness": (
        "EFS definition (domain.md §6.1): persons who took up qualifying work within the "
        "outcome window after ending participation / persons who ended participation. Qualifying "
        "work: self-employment, or a contract of at least the rulebook's months at at least its "
        "FTE (a job started during the CIS follow-up counts when it qualifies). Counted once per "
        "person (by PESEL, else by participant record): a person who left more than once in the "
        "period counts once, employed if any of those exits led to qualifying work, in the cohort "
        "of their last exit. A leaver without qualifying work counts only once the window has "
        "closed (not earlier than the window after exit); until then they are 'pending' and out "
        "of both numbers. Exclusions for school education or start-up funds are not recorded by "
        "the engine and so are not applied."
    ),
    "social_effectiveness": (
        "Persons, counted as for employment effectiveness, whose exit in the period shows "
        "documented progress in social activation / persons who ended participation: a "
        "completion with certificate, a fulfilled social contract, a passed CIS trial, any work "
        "taken up (qualifying or not), or a referral to a social cooperative or supported "
        "employment. The EFS operational definition is [V] "
        "(domain.md §6.2)."
    ),
    "cohort": "The calendar month of the person's last exit in the period (YYYY-MM).",
    "by_category": (
        "Effectiveness of the leavers in each eligibility category (art. 1 ust. 2, domain.md "
        "§6.5); a person with several categories counts in each, so the groups overlap."
    ),
}


# --- KPIs --------------------------------------------------------------------------------------


class StageCount(BaseModel):
    """Open pathways in one programme and stage."""

    programme: str
    stage: str
    count: int


class Rate(BaseModel):
    """A share with what it counts; `rate_pct` is None when nobody is in the denominator."""

    numerator: int
    denominator: int
    rate_pct: Decimal | None
    target_pct: Decimal | None = None  # the rulebook's (statutory or regional criteria)
    unit_target_pct: Decimal | None = None  # the unit's own project's, when one unit is shown


class CohortRates(BaseModel):
    """Employment and social effectiveness of the persons whose (last) exit fell in one month."""

    cohort: str  # YYYY-MM
    leavers: int
    pending: int
    employment: Rate
    social: Rate


class Effectiveness(BaseModel):
    """Employment and social effectiveness over the period, and by cohort (month of exit)."""

    leavers: int  # persons who ended participation in the period
    pending: int  # leavers whose outcome window is still open and who have no qualifying work yet
    employment: Rate
    social: Rate
    by_programme: dict[str, CohortRates]
    by_category: dict[str, CohortRates]  # art. 1 ust. 2; a person with several is in each
    by_cohort: list[CohortRates]


class Attendance(BaseModel):
    """Attendance days in the months overlapping the period."""

    days_present: int
    hours_present: Decimal
    days_excused: int
    days_sick: int
    days_unexcused: int
    days_off: int
    rate: Rate


class WaitingKpis(BaseModel):
    """Waiting lists in the KPIs: those admitted from them in the period (application to
    admission, in days) and those waiting at the report's date."""

    admitted: int
    average_wait_days: float | None
    longest_wait_days: int | None
    waiting_now: int


class KpiReport(BaseModel):
    """`GET /reports/kpis`: where pathways stand and how effective the unit is."""

    units: list[str]
    period_from: date
    period_to: date
    as_of: date
    rulebook: str
    participants_by_stage: list[StageCount]
    entries: dict[str, int]
    exits_by_kind: dict[str, int]
    completions: dict[str, int]
    terminations_by_ground: dict[str, int]
    attendance: Attendance
    overdue_tasks: dict[str, int]
    effectiveness: Effectiveness
    definitions: dict[str, str] = Field(default_factory=lambda: dict(DEFINITIONS))
    # Places' waiting lists (issue 16): admissions from them in the period and the wait.
    waiting_for_places: WaitingKpis | None = None


# --- the annual report to the voivode (domain.md §2.12, §6.3) ----------------------------------


class AnnualLine(BaseModel):
    """One figure of the annual report; a suppressed one has `value` None."""

    key: str
    label: str
    value: Decimal | int | None = None
    suppressed: bool = False
    # Lines of one group add up to the group's total line (so suppression looks at them together).
    group: str | None = None


class AnnualSection(BaseModel):
    """The figures of one programme's report (CIS: art. 5 ust. 4 pkt 2; KIS: art. 18a ust. 6)."""

    programme: str
    title: str
    lines: list[AnnualLine]


class AnnualReport(BaseModel):
    """`GET /reports/annual`: the data of the CIS and KIS reports for one year."""

    year: int
    units: list[str]
    generated_at: datetime
    due_on: date
    min_cell_count: int
    sections: list[AnnualSection]
    notes: list[str]


SUPPRESSION_NOTE = (
    "Counts from 1 to {floor} are suppressed (value null, suppressed true; '<{threshold}' in CSV "
    "and XLSX), and so are sums of money paid to fewer than {threshold} persons. Where a group of "
    "lines adds up to a shown total and exactly one line is suppressed, the smallest other "
    "non-zero line of the group is suppressed too, so that no suppressed figure can be recovered "
    "by subtraction. Zero is shown: it describes nobody. Categories are aggregates only; a "
    "person may have several, so category lines do not add up to the total."
)


def suppress(lines: list[AnnualLine], threshold: int) -> list[AnnualLine]:
    """Primary and secondary suppression of small counts (see SUPPRESSION_NOTE)."""
    out = [_primary(line, threshold) for line in lines]
    groups: dict[str, list[int]] = {}
    for index, line in enumerate(out):
        if line.group is not None and not line.key.endswith(".total"):
            groups.setdefault(line.group, []).append(index)
    for indexes in groups.values():
        hidden = [i for i in indexes if out[i].suppressed]
        if len(hidden) != 1:
            continue
        shown = [i for i in indexes if not out[i].suppressed and out[i].value]
        if shown:
            smallest = min(shown, key=lambda i: Decimal(out[i].value or 0))
            out[smallest] = out[smallest].model_copy(update={"value": None, "suppressed": True})
    return out


def _primary(line: AnnualLine, threshold: int) -> AnnualLine:
    if isinstance(line.value, int) and 0 < line.value < threshold:
        return line.model_copy(update={"value": None, "suppressed": True})
    return line


def rate(
    numerator: int,
    denominator: int,
    target_pct: Decimal | None = None,
    unit_target_pct: Decimal | None = None,
) -> Rate:
    """A share in percent, to one decimal place."""
    pct = (Decimal(100) * numerator / denominator).quantize(Decimal("0.1")) if denominator else None
    return Rate(
        numerator=numerator,
        denominator=denominator,
        rate_pct=pct,
        target_pct=target_pct,
        unit_target_pct=unit_target_pct,
    )
