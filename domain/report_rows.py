"""What the reports count of one pathway, folded from its events (db/report_rows.py stores it).

A row keeps a pathway's entries, admission, completions, last exit and outcome; month figures keep
attendance, PSU hours, bonuses and the CIS benefit per calendar month. Folding the same events
twice is prevented by `last_seq` (the caller folds only events after it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from domain import actions as a
from domain.benefits import benefit_statement, participation_days
from domain.errors import DomainError
from domain.exits import classify_outcome
from domain.pathway import CisEpisode, Event, OutcomeStatus, PathwayState
from domain.rulebook import rules_on
from domain.stages import Programme, Stage

# The outcome of an exit that shows work taken up, qualifying or not (social effectiveness).
_SOME_WORK = frozenset({OutcomeStatus.EMPLOYED, OutcomeStatus.EMPLOYED_NOT_QUALIFYING})
# Referrals after an exit that count as progress in social activation.
_PROGRESS_REFERRALS = frozenset({"cooperative", "supported_employment", "employment"})


class ReportRow(BaseModel):
    """One pathway as the reports count it."""

    last_seq: int = 0
    kis_entered_on: date | None = None
    cis_entered_on: date | None = None
    cis_admitted_on: date | None = None
    trial_passed_on: date | None = None
    extension_months: int = 0
    contract_fulfilled: bool = False
    kis_completed_on: date | None = None
    kis_graduate: bool = False
    cis_completed_on: date | None = None
    job_started_on: date | None = None
    job_qualifying: bool = False
    exit_kind: str | None = None
    exit_programme: str | None = None
    exited_on: date | None = None
    referred_to: str | None = None
    outcome: str | None = None
    outcome_on: date | None = None
    social_progress: bool = False
    attendance_days: int = 0
    absence_days: int = 0
    bonus_count: int = 0
    bonus_total: Decimal = Decimal(0)

    @property
    def programme(self) -> Programme:
        """The programme the pathway runs under now."""
        return Programme.CIS if self.cis_entered_on else Programme.KIS


class MonthFigures(BaseModel):
    """Additions to one month's figures from a batch of events."""

    attendance_days: int = 0
    attendance_hours: Decimal = Decimal(0)
    excused_days: int = 0
    sick_days: int = 0
    unexcused_days: int = 0
    days_off: int = 0
    psu_hours: Decimal = Decimal(0)
    bonus_count: int = 0
    bonus_amount: Decimal = Decimal(0)


class MonthBenefit(BaseModel):
    """The CIS benefit of one month, as the benefit rules compute it."""

    month: date
    benefit: Decimal
    deductions: Decimal


MonthKey = tuple[date, str]  # the month's first day, the programme


def fold(row: ReportRow, events: Iterable[Event]) -> tuple[ReportRow, dict[MonthKey, MonthFigures]]:
    """The row after `events` (those after `row.last_seq`, in order), and the months' additions."""
    new = row.model_copy()
    months: dict[MonthKey, MonthFigures] = {}
    for event in events:
        if event.seq <= new.last_seq:
            continue
        _apply(new, event, months)
        new.last_seq = event.seq
    new.social_progress = _progress(new)
    return new, months


def _apply(row: ReportRow, event: Event, months: dict[MonthKey, MonthFigures]) -> None:
    on, data = event.occurred_on, event.data
    month = months.setdefault((on.replace(day=1), _programme_on(row, on)), MonthFigures())
    match event.type:
        case "pathway_started":
            if data.get("programme") == Programme.CIS:
                row.cis_entered_on = on
            else:
                row.kis_entered_on = on
        case "refer":
            _refer(row, str(data.get("to")), on)
        case "sign_ipzs":
            row.cis_admitted_on = on
        case "pass_trial":
            row.trial_passed_on = on
        case "extend":
            row.extension_months += int(data.get("months", 0))
        case "mark_contract_fulfilled":
            row.contract_fulfilled = True
        case "complete_kis":
            row.kis_completed_on = on
            row.kis_graduate = bool(data.get("graduate"))
            _exit(row, "kis_completed", on)
        case "complete_cis":
            row.cis_completed_on = on
            _exit(row, "cis_completed", on)
        case "withdraw":
            _exit(row, "withdrawn", on)
        case "terminate":
            _exit(row, f"terminated_{data.get('ground')}", on)
        case "record_job_start":
            row.job_started_on = on
            row.job_qualifying = _qualifies(data, on)
        case "record_outcome":
            row.outcome = str(data.get("classified_as"))
            row.outcome_on = on
        case "record_employer_agreement" if data.get("classified_as"):
            # Supported employment agreed inside the window counts as employment (§10).
            row.outcome = str(data["classified_as"])
            row.outcome_on = on
        case "outcome_window_closed":
            row.outcome = str(data.get("outcome"))
            row.outcome_on = row.outcome_on or on
        case "record_attendance" | "record_absence" | "grant_day_off":
            _day_mark(row, month, event.type, data, 1)
        case "correct_day":
            # The day's superseded marks leave its figures; the correction's mark enters them.
            for was in data.get("replaced", []):
                _day_mark(row, month, was["type"], was, -1)
            _day_mark(row, month, str(data.get("as")), data, 1)
        case "record_psu_hours":
            month.psu_hours += Decimal(str(data.get("hours", 0)))
        case "award_bonus":
            amount = Decimal(str(data.get("amount", 0)))
            row.bonus_count += 1
            row.bonus_total += amount
            month.bonus_count += 1
            month.bonus_amount += amount


def _day_mark(
    row: ReportRow, month: MonthFigures, step: str, data: dict[str, Any], sign: int
) -> None:
    """A day's mark counted in (`sign` 1) or out (-1) of the row and its month's figures."""
    if step == "record_attendance":
        row.attendance_days += sign
        month.attendance_days += sign
        month.attendance_hours += sign * Decimal(str(data.get("hours", 0)))
    elif step == "record_absence":
        row.absence_days += sign
        kind = data.get("kind")
        if kind == a.AbsenceKind.SICK:
            month.sick_days += sign
        elif kind == a.AbsenceKind.UNEXCUSED:
            month.unexcused_days += sign
        else:
            month.excused_days += sign
    elif step == "grant_day_off":
        month.days_off += sign
    elif step == "record_psu_hours":  # a correction of a KIS day's PSU hours
        month.psu_hours += sign * Decimal(str(data.get("hours", 0)))


def _programme_on(row: ReportRow, on: date) -> Programme:
    """The programme whose month a day's figures go to: a day of the KIS a pathway had before
    its CIS (up to the KIS's completion, or before the referral) stays the KIS's, so a day
    corrected after the referral is filed where the day was (domain/corrections.last_kis_day)."""
    if row.kis_entered_on is not None and row.cis_entered_on is not None:
        completed = row.kis_completed_on
        if on < row.cis_entered_on or (completed is not None and on <= completed):
            return Programme.KIS
    return row.programme


def _refer(row: ReportRow, to: str, on: date) -> None:
    if to == "cis":
        # A new episode in the same pathway: the KIS completion stays, its exit does not.
        row.cis_entered_on = on
        row.exit_kind = row.exit_programme = row.exited_on = None
        row.outcome = row.outcome_on = row.referred_to = None
        return
    row.referred_to = to
    if to == "supported_employment" and row.exited_on is None:
        _exit(row, "referred_supported_employment", on)


def _exit(row: ReportRow, kind: str, on: date) -> None:
    row.exit_kind = kind
    row.exit_programme = row.programme
    row.exited_on = on


def _qualifies(data: dict[str, object], on: date) -> bool:
    fte = data.get("fte")
    job = a.RecordOutcome(
        type="record_outcome",
        employed=True,
        contract_months=data.get("contract_months"),
        fte=Decimal(str(fte)) if fte is not None else None,
        self_employed=bool(data.get("self_employed")),
        contract_type=data.get("contract_type"),
        open_ended=bool(data.get("open_ended")),
    )
    return classify_outcome(job, rules_on(on)) is OutcomeStatus.EMPLOYED


def _progress(row: ReportRow) -> bool:
    """Documented progress in social activation (see domain.reports DEFINITIONS)."""
    return bool(
        row.kis_completed_on
        or row.cis_completed_on
        or row.contract_fulfilled
        or row.trial_passed_on
        or row.job_started_on
        or row.outcome in _SOME_WORK
        or row.referred_to in _PROGRESS_REFERRALS
    )


def employed_after_exit(row: ReportRow) -> bool:
    """Qualifying work within the outcome window (domain.md §6.1), or a qualifying job started."""
    return row.outcome == OutcomeStatus.EMPLOYED or row.job_qualifying


def benefit_months(
    row: ReportRow, pathway_id: str, events: list[Event], until: date
) -> list[MonthBenefit]:
    """The CIS benefit (less deductions) of each month of participation up to `until`'s month.

    `events` are the pathway's absences and bonuses (the rest of the state is in the row).
    """
    if row.cis_admitted_on is None or row.cis_entered_on is None:
        return []
    state = PathwayState(
        pathway_id=pathway_id,
        participant_id="-",
        programme=Programme.CIS,
        rulebook_key=rules_on(row.cis_admitted_on).key,  # as the IPZS signature recorded it
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
        timeline=[e for e in events if e.occurred_on >= row.cis_admitted_on],
    )
    first, last = participation_days(state)
    last = min(last, until)
    out: list[MonthBenefit] = []
    month = first.replace(day=1)
    while month <= last:
        try:
            statement = benefit_statement(state, month.year, month.month)
        except DomainError:
            break  # e.g. a month before any known unemployment-benefit amount
        deductions = sum((d.amount for d in statement.deductions), Decimal(0))
        out.append(
            MonthBenefit(
                month=month, benefit=statement.total - statement.bonus, deductions=deductions
            )
        )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return out
