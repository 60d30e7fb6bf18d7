"""The CIS integration benefit for a month (art. 15, 15a; domain.md §2.6), in grosze-exact Decimal.

The benefit is a percentage of the unemployment benefit, paid pro rata for the days of
participation in the month (the trial at its own rate), less the deductions of the rulebook's
policy, plus motivational bonuses. The rates are those in force for the month the benefit is for
(§10: 120 % from January 2022 for everyone still taking part, whenever admitted); a sick day is
judged by the law of its own day (art. 10 of the amending act). The statutory deduction rule is
[V], so deductions are a pluggable policy named by the rulebook.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel

from domain.calendar import add_days
from domain.day_marks import standing_marks
from domain.errors import DomainError, StepNotAllowed
from domain.pathway import BenefitsRequest, Event, PathwayState, Refusal
from domain.public_holidays import is_day_off
from domain.rulebook import Rulebook, rules_on, unemployment_benefit_on

GROSZ = Decimal("0.01")


class Deduction(BaseModel):
    """One reason the month's benefit is lower."""

    reason: str
    days: int
    amount: Decimal


class BenefitStatement(BaseModel):
    """What the centre pays a participant for a month, and why."""

    month: str
    rulebook: str
    policy: str
    unemployment_benefit: Decimal
    trial_rate_pct: Decimal
    main_rate_pct: Decimal
    days_in_month: int
    trial_days: int
    main_days: int
    benefit: Decimal
    deductions: list[Deduction]
    bonus: Decimal
    total: Decimal


class BenefitAnswer(BaseModel):
    """A statement, or why there is none."""

    statement: BenefitStatement | None = None
    refusal: Refusal | None = None


def answer_benefits(state: PathwayState, request: BenefitsRequest) -> BenefitAnswer:
    """The statement for the month, or the domain's refusal, for a Query to return."""
    try:
        return BenefitAnswer(statement=benefit_statement(state, request.year, request.month))
    except DomainError as err:
        return BenefitAnswer(refusal=Refusal(kind=err.kind, code=err.code, message=err.message))


def monthly_amount(rules: Rulebook, day: date, in_trial: bool) -> Decimal:
    """The full monthly benefit at the rate of the trial or of the main period, on `day`."""
    pct = rules.cis_benefit_pct_trial if in_trial else rules.cis_benefit_pct_main
    return unemployment_benefit_on(day) * pct / 100


def participation_days(state: PathwayState) -> tuple[date, date]:
    """The first and last day with benefit: from admission to the end, a job start or an exit."""
    cis = state.cis
    if cis is None or cis.admitted_on is None:
        raise StepNotAllowed("not_admitted", "The participant has not been admitted to a CIS.")
    months = state.rules(cis.admitted_on).cis_base_period_months + cis.extension_months
    last = state.period_end(cis.admitted_on, months)
    if cis.job_started_on is not None:  # follow-up runs without benefit (art. 13 ust. 5)
        last = min(last, add_days(cis.job_started_on, -1))
    if state.exited_on is not None:
        last = min(last, state.exited_on)
    return cis.admitted_on, last


def trial_ends_on(state: PathwayState) -> date:
    """The first day after the trial: when it was passed, else when its longest length ends."""
    assert state.cis is not None and state.cis.admitted_on is not None
    admitted = state.cis.admitted_on
    trial = state.rules(admitted).cis_trial_max_months
    longest = add_days(state.period_end(admitted, trial), 1)
    passed = state.cis.trial_passed_on
    return min(passed, longest) if passed else longest


def benefit_statement(state: PathwayState, year: int, month: int) -> BenefitStatement:
    """The month's benefit, deductions, bonus and total, by the law in force for that month."""
    rules = rules_on(date(year, month, 1))
    first, last = participation_days(state)
    month_start = date(year, month, 1)
    days_in_month = calendar.monthrange(year, month)[1]
    month_end = date(year, month, days_in_month)
    days = _days(max(first, month_start), min(last, month_end))
    trial_end = trial_ends_on(state)
    trial_days = sum(1 for d in days if d < trial_end)
    main_days = len(days) - trial_days
    trial_full = monthly_amount(rules, month_start, in_trial=True)
    main_full = monthly_amount(rules, month_start, in_trial=False)
    benefit = (trial_full * trial_days + main_full * main_days) / days_in_month
    deductions = DEDUCTION_POLICIES[rules.cis_deduction_policy](
        state, rules, set(days), trial_end, (trial_full, main_full)
    )
    bonus = sum(
        (
            Decimal(e.data["amount"])
            for e in state.timeline
            if e.type == "award_bonus" and month_start <= e.occurred_on <= month_end
        ),
        Decimal(0),
    )
    owed = max(Decimal(0), benefit - sum((d.amount for d in deductions), Decimal(0)))
    return BenefitStatement(
        month=f"{year:04d}-{month:02d}",
        rulebook=rules.key,
        policy=rules.cis_deduction_policy,
        unemployment_benefit=unemployment_benefit_on(month_start),
        trial_rate_pct=rules.cis_benefit_pct_trial,
        main_rate_pct=rules.cis_benefit_pct_main,
        days_in_month=days_in_month,
        trial_days=trial_days,
        main_days=main_days,
        benefit=_grosze(benefit),
        deductions=[d.model_copy(update={"amount": _grosze(d.amount)}) for d in deductions],
        bonus=_grosze(bonus),
        total=_grosze(owed + bonus),
    )


Policy = Callable[
    [PathwayState, Rulebook, set[date], date, tuple[Decimal, Decimal]], list[Deduction]
]


def practice_v1(
    state: PathwayState,
    rules: Rulebook,
    days: set[date],
    trial_end: date,
    full_rates: tuple[Decimal, Decimal],
) -> list[Deduction]:
    """Deductions as practised before 2022 (domain.md §2.6 [P, V]), with the month's numbers.

    Each unexcused day costs a fraction of the month's benefit, and more than a threshold of them
    cost the whole month; each day of a sick spell within the cap costs a smaller fraction, and
    days beyond the cap cost as much as an unexcused day.
    """
    trial_full, main_full = full_rates
    # Each day's standing mark: a corrected day counts as corrected (domain/day_marks.py).
    absences = [e for e in standing_marks(state.timeline) if e.type == "record_absence"]
    unexcused = sorted(e.occurred_on for e in absences if e.data["kind"] == "unexcused")
    in_month = [d for d in unexcused if d in days]

    def full(day: date) -> Decimal:
        return trial_full if day < trial_end else main_full

    if len(in_month) > rules.cis_unexcused_days_forfeiting_month:
        month_total = sum((full(d) for d in days), Decimal(0)) / _month_length(min(days))
        return [
            Deduction(reason="unexcused_days_forfeit_month", days=len(in_month), amount=month_total)
        ]
    result = []
    if in_month:
        amount = sum((full(d) * rules.cis_unexcused_day_fraction for d in in_month), Decimal(0))
        result.append(Deduction(reason="unexcused_days", days=len(in_month), amount=amount))
    reduced, beyond = sick_days(absences)
    reduced_here = [d for d in reduced if d in days]
    beyond_here = [d for d in beyond if d in days]
    if reduced_here:
        amount = sum((full(d) * rules.cis_sick_day_fraction for d in reduced_here), Decimal(0))
        result.append(Deduction(reason="sick_days_reduced", days=len(reduced_here), amount=amount))
    if beyond_here:
        amount = sum((full(d) * rules.cis_unexcused_day_fraction for d in beyond_here), Decimal(0))
        result.append(
            Deduction(reason="sick_days_beyond_cap", days=len(beyond_here), amount=amount)
        )
    return result


DEDUCTION_POLICIES: dict[str, Policy] = {"cis-practice-v1": practice_v1}


def sick_spells(sick: list[date]) -> list[list[date]]:
    """Spells of incapacity, as calendar days: recorded sick days joined across the weekends and
    public holidays between them (a Friday and the next Monday are one spell of four days)."""
    spells: list[list[date]] = []
    for day in sorted(set(sick)):
        if spells and _only_days_off_between(spells[-1][-1], day):
            last = spells[-1][-1]
            spells[-1].extend(add_days(last, n) for n in range(1, (day - last).days + 1))
        else:
            spells.append([day])
    return spells


def sick_days(absences: list[Event]) -> tuple[list[date], list[date]]:
    """The days of sick spells at the reduced rate, and those beyond the cap.

    The cap (`cis_sick_reduced_days_max`, 21 since 15 Feb 2022 for everyone then taking part,
    art. 10 of the amending act) is that of each day's own law; it counts days of one spell, or
    of the whole participation where the rulebook's `cis_sick_cap_unit` says so ([V]).
    """
    sick = [e.occurred_on for e in absences if e.data["kind"] == "sick"]
    within: list[date] = []
    beyond: list[date] = []
    counted = 0
    for spell in sick_spells(sick):
        for day in spell:
            rules = rules_on(day)
            counted = counted + 1 if rules.cis_sick_cap_unit == "participation" else 0
            position = counted if counted else spell.index(day) + 1
            (within if position <= rules.cis_sick_reduced_days_max else beyond).append(day)
    return within, beyond


def _only_days_off_between(earlier: date, later: date) -> bool:
    gap = (later - earlier).days
    return all(is_day_off(add_days(earlier, n)) for n in range(1, gap))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _month_length(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def _grosze(amount: Decimal) -> Decimal:
    return amount.quantize(GROSZ, rounding=ROUND_HALF_UP)
