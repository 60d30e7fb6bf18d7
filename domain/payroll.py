"""The month's integration-benefit payroll of a CIS (art. 15, 15a; domain.md §2.6, §9.7).

Every participant in the centre that month gets the statement `domain.benefits` computes (the
same function the pathway's Query answers with), rebuilt from the read model's facts. A working
day of participation without a record (attendance, absence, day off) is missing, and so is the
time after a sick day with nothing recorded since (an open sick spell): either blocks closing.
A closed month is frozen; a later change to it is paid as an adjustment in the next open month,
with the late records that caused it as its reasons.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from domain.benefits import BenefitStatement, benefit_statement, participation_days
from domain.calendar import add_months
from domain.day_marks import standing_marks
from domain.errors import DomainError, InvalidInput
from domain.pathway import CisEpisode, Event, PathwayState
from domain.public_holidays import is_day_off
from domain.report_rows import ReportRow
from domain.rulebook import rules_on
from domain.stages import Programme, Stage

# The events a month's payroll reads: the benefit's (absences, bonuses) and the day records.
DAY_RECORDS = ("record_attendance", "record_absence", "grant_day_off")
# A correction of a day (domain/corrections.py) supersedes a record; the payroll reads it too.
PAYROLL_EVENTS = (*DAY_RECORDS, "award_bonus", "correct_day")


class MissingReason(StrEnum):
    """Why a day blocks closing the month."""

    NO_RECORD = "no_record"
    SICK_SPELL_OPEN = "sick_spell_open"


class MissingDay(BaseModel):
    """A working day of participation the payroll cannot judge yet."""

    day: date
    reason: MissingReason


class DayCounts(BaseModel):
    """The month's day records of a participant, as the accounting system asks for them."""

    attendance_days: int = 0
    attendance_hours: Decimal = Decimal(0)
    days_off: int = 0
    excused_days: int = 0
    sick_days: int = 0
    unexcused_days: int = 0


class PayrollLine(BaseModel):
    """One participant's month: the statement, the day records, and what is still missing."""

    pathway_id: str
    participant_id: str
    name: str | None = None  # filled from the register when shown, never stored with the month
    statement: BenefitStatement
    days: DayCounts = Field(default_factory=DayCounts)
    missing: list[MissingDay] = Field(default_factory=list)


class Adjustment(BaseModel):
    """A change to a closed month's benefit, paid (or recovered) in a later month."""

    pathway_id: str
    participant_id: str
    name: str | None = None
    for_month: str
    paid_then: Decimal
    due_now: Decimal
    amount: Decimal
    bonus_change: Decimal = Decimal(0)  # the part of `amount` that is the bonus (art. 15a)
    reasons: list[str]


class PayrollTotals(BaseModel):
    """The month's sums, in PLN to the grosz."""

    participants: int
    benefit: Decimal
    deductions: Decimal
    bonus: Decimal
    statements: Decimal
    adjustments: Decimal
    total: Decimal


class Payroll(BaseModel):
    """A unit's payroll of one month: open (computed now) or closed (as frozen)."""

    unit_code: str
    month: str
    status: str  # "open" | "closed"
    closed_at: datetime | None = None
    closed_by: str | None = None
    lines: list[PayrollLine]
    adjustments: list[Adjustment]
    totals: PayrollTotals
    missing_days: int
    can_close: bool


def parse_month(text: str) -> date:
    """A month named `YYYY-MM`, as its first day."""
    try:
        year, number = (int(part) for part in text.split("-"))
        return date(year, number, 1)
    except ValueError as err:
        raise InvalidInput("invalid_month", "A month is written YYYY-MM.") from err


def month_last_day(first: date) -> date:
    """The last day of the month starting on `first`."""
    return add_months(first, 1) - timedelta(days=1)


def month_name(first: date) -> str:
    """`YYYY-MM`."""
    return f"{first.year:04d}-{first.month:02d}"


def cis_state(
    row: ReportRow, pathway_id: str, participant_id: str, events: list[Event]
) -> PathwayState:
    """The pathway's CIS facts as the benefit rules read them, from its report row and events."""
    assert row.cis_admitted_on is not None and row.cis_entered_on is not None
    return PathwayState(
        pathway_id=pathway_id,
        participant_id=participant_id,
        programme=Programme.CIS,
        rulebook_key=rules_on(row.cis_admitted_on).key,
        started_on=row.cis_entered_on,
        stage=Stage.CIS_MAIN,
        exited_on=row.exited_on if row.exit_programme == Programme.CIS else None,
        cis=CisEpisode(
            referred_on=row.cis_entered_on,
            admitted_on=row.cis_admitted_on,
            trial_passed_on=row.trial_passed_on,
            extension_months=row.extension_months,
            job_started_on=row.job_started_on,
        ),
        timeline=[e for e in events if e.occurred_on >= row.cis_admitted_on and e.data],
    )


def payroll_line(state: PathwayState, first: date, today: date) -> PayrollLine | None:
    """The participant's line for the month starting `first`, or None if not in the CIS then."""
    start, end = participation_days(state)
    last = month_last_day(first)
    if start > last or end < first:
        return None
    try:
        statement = benefit_statement(state, first.year, first.month)
    except DomainError:
        return None  # no benefit known for that month (before any unemployment-benefit amount)
    if statement.trial_days + statement.main_days == 0:
        return None
    days = (max(start, first), min(end, last, today))
    return PayrollLine(
        pathway_id=state.pathway_id,
        participant_id=state.participant_id,
        statement=statement,
        days=day_counts(state.timeline, first, last),
        missing=missing_days(state.timeline, *days),
    )


def day_counts(timeline: Iterable[Event], first: date, last: date) -> DayCounts:
    """Attendance, days off and absences by kind recorded in `first`-`last`."""
    counts = DayCounts()
    for e in standing_marks(timeline):
        if not first <= e.occurred_on <= last:
            continue
        if e.type == "record_attendance":
            counts.attendance_days += 1
            counts.attendance_hours += Decimal(str(e.data.get("hours", 0)))
        elif e.type == "grant_day_off":
            counts.days_off += 1
        elif e.type == "record_absence":
            kind = e.data.get("kind")
            if kind == "sick":
                counts.sick_days += 1
            elif kind == "unexcused":
                counts.unexcused_days += 1
            else:
                counts.excused_days += 1
    return counts


def missing_days(timeline: Iterable[Event], first: date, last: date) -> list[MissingDay]:
    """Working days in `first`-`last` without a record; those after a sick day are an open spell."""
    records = {e.occurred_on: e for e in standing_marks(timeline) if e.type in DAY_RECORDS}
    missing: list[MissingDay] = []
    sick_before = False
    day = first
    # A spell open since the month before still counts: look back at the last record.
    earlier = [d for d in records if d < first]
    if earlier:
        sick_before = _is_sick(records[max(earlier)])
    while day <= last:
        record = records.get(day)
        if record is not None:
            sick_before = _is_sick(record)
        elif not is_day_off(day):
            reason = MissingReason.SICK_SPELL_OPEN if sick_before else MissingReason.NO_RECORD
            missing.append(MissingDay(day=day, reason=reason))
        day += timedelta(days=1)
    return missing


def _is_sick(record: Event) -> bool:
    return record.type == "record_absence" and record.data.get("kind") == "sick"


def adjustment(
    line_now: PayrollLine | None,
    paid_then: tuple[Decimal, Decimal],
    pathway_id: str,
    participant_id: str,
    for_month: str,
    reasons: list[str],
) -> Adjustment | None:
    """What a closed month owes now beyond what was paid (and carried) for it, if anything;
    `paid_then` is the total and the bonus paid."""
    due_now = line_now.statement.total if line_now is not None else Decimal(0)
    bonus_now = line_now.statement.bonus if line_now is not None else Decimal(0)
    amount = due_now - paid_then[0]
    if amount == 0:
        return None
    return Adjustment(
        pathway_id=pathway_id,
        participant_id=participant_id,
        for_month=for_month,
        paid_then=paid_then[0],
        due_now=due_now,
        amount=amount,
        bonus_change=bonus_now - paid_then[1],
        reasons=reasons or ["a record of the month reached the payroll after it was closed"],
    )


def late_reason(event: Event) -> str:
    """A late record as an adjustment's reason (the step's type, kind, dates and author)."""
    kind = f" ({event.data['kind']})" if "kind" in event.data else ""
    amount = f" {event.data['amount']} PLN" if "amount" in event.data else ""
    # A correction: its own words, and what it replaced (erasure empties the data).
    if event.type == "correct_day" and "mark" in event.data:
        was = ", ".join(
            f"{r['type']}" + (f" ({r['kind']})" if "kind" in r else "")
            for r in event.data.get("replaced", [])
        )
        was = was or "unmarked"
        kind = f" to {event.data['mark']}{kind} (was {was}): {event.data.get('reason', '')}"
    return (
        f"{event.type}{kind}{amount} on {event.occurred_on.isoformat()}, "
        f"recorded {event.recorded_at.date().isoformat()} by {event.actor}"
    )


def totals(lines: list[PayrollLine], adjustments: list[Adjustment]) -> PayrollTotals:
    """The month's sums; the total is the statements' totals plus the adjustments."""
    zero = Decimal("0.00")
    benefit = sum((line.statement.benefit for line in lines), zero)
    deductions = sum((d.amount for line in lines for d in line.statement.deductions), zero)
    bonus = sum((line.statement.bonus for line in lines), zero)
    statements = sum((line.statement.total for line in lines), zero)
    carried = sum((a.amount for a in adjustments), zero)
    return PayrollTotals(
        participants=len(lines),
        benefit=benefit,
        deductions=deductions,
        bonus=bonus,
        statements=statements,
        adjustments=carried,
        total=statements + carried,
    )
