"""The rulebook: the legal numbers in force on a given day (domain.md §9.2, §2.13, §10).

A participant's fact is judged by the law of the day that decides it, parameter by parameter
(`domain/law_parameters.py` says which day for which number, with the provision): the benefit by
the month it is paid for, a day off or an extension by the day of the head's decision, a sick day
by its own date, the employer's commitment by the agreement's date. `rules_on(day)` gives every
number in force on one day; callers pick the day the table names. Values tagged [V] in domain.md
live here, with their tag, and nowhere else.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from pydantic import BaseModel, ConfigDict

from domain.errors import InvalidInput
from domain.law_parameters import (
    ACT_IN_FORCE,
    AMENDMENT_2022,
    BENEFIT_RISE,
    PARAMETERS,
)


class Rulebook(BaseModel):
    """Every legal number in force on one day (the versions of `law_parameters.PARAMETERS`)."""

    model_config = ConfigDict(frozen=True)

    key: str
    effective_from: date
    source: str

    kis_graduate_min_months: int
    cis_trial_max_months: int
    cis_base_period_months: int
    cis_extension_max_months: int
    cis_extension_decision_days_before_end: int
    cis_weekly_hours_min: int | None
    cis_weekly_hours_max: int | None
    cis_daily_hours_min: int | None
    cis_days_off_max: int
    cis_sick_reduced_days_max: int
    cis_sick_cap_unit: str  # "spell" | "participation" [V]
    cis_abandonment_threshold_days: int
    cis_deduction_policy: str
    cis_unexcused_day_fraction: Decimal
    cis_unexcused_days_forfeiting_month: int
    cis_sick_day_fraction: Decimal
    cis_benefit_pct_trial: Decimal
    cis_benefit_pct_main: Decimal
    cis_bonus_cap_pct: Decimal
    cis_complaint_window_days: int
    ipzs_follow_up_max_months: int
    sw_earliest_months: int
    sw_employer_commitment_months: int
    outcome_window_days: int
    outcome_min_contract_months: int
    outcome_min_fte: Decimal
    outcome_civil_law_qualifies: bool
    outcome_evidence_grace_days: int
    kpi_employment_target_pct: Decimal
    kpi_social_target_pct: Decimal
    report_min_cell_count: int
    annual_report_due_month: int
    annual_report_due_day: int
    refund_benefit_pup_pct: Decimal
    refund_bonus_pup_pct: Decimal
    sw_refund_tiers: str  # "from-to:pct,..." months of employment since the agreement [V]


# The days on which some number changed, each a regime with a key that events and views record.
REGIMES: tuple[tuple[date, str, str], ...] = (
    (ACT_IN_FORCE, "uzs-2003", "u.z.s. of 13 June 2003 before the 2022 amendment"),
    (
        BENEFIT_RISE,
        "uzs-2022-benefit",
        "u.z.s.: the integration benefit at 120 % from 1 Jan 2022 (Dz.U. 2022 poz. 218)",
    ),
    (
        AMENDMENT_2022,
        "uzs-2022",
        "u.z.s. as amended by Dz.U. 2022 poz. 218, in force 15 Feb 2022",
    ),
)
_BY_KEY = {key: since for since, key, _ in REGIMES}


def rules_on(day: date) -> Rulebook:
    """Every number in force on `day`."""
    if day < ACT_IN_FORCE:
        raise InvalidInput(
            "date_before_the_act",
            f"No rules of the social-employment act apply before {ACT_IN_FORCE}.",
        )
    since = max(s for s, _, _ in REGIMES if s <= day)
    return _regime(since)


def rulebook_for(day: date) -> Rulebook:
    """The rules in force on `day` (the name older callers use for `rules_on`)."""
    return rules_on(day)


def rulebook_by_key(key: str) -> Rulebook:
    """The rules of a regime an event or an older pathway recorded by its key."""
    return _regime(_BY_KEY[key])


@cache
def _regime(since: date) -> Rulebook:
    key, source = next((k, s) for d, k, s in REGIMES if d == since)
    values = {p.name: p.on(since) for p in PARAMETERS}
    return Rulebook.model_validate(
        {"key": key, "effective_from": since, "source": source, **values}
    )


# The unemployment benefit (first 90 days), re-indexed every 1 June; the CIS integration benefit
# is a percentage of it (art. 15). [V] Only 2025 is in domain.md (PLN 1,721.90, §2.6) and the 2022
# figure is implied by its PLN 1,489 = 120 %; the other years are the published amounts, to be
# checked against the minister's announcements before go-live.
UNEMPLOYMENT_BENEFIT: tuple[tuple[date, Decimal], ...] = (
    (date(2020, 9, 1), Decimal("1200.00")),
    (date(2021, 6, 1), Decimal("1240.80")),
    (date(2022, 6, 1), Decimal("1304.10")),
    (date(2023, 6, 1), Decimal("1586.10")),
    (date(2024, 6, 1), Decimal("1662.20")),
    (date(2025, 6, 1), Decimal("1721.90")),
)


def unemployment_benefit_on(day: date) -> Decimal:
    """The monthly unemployment benefit in force on `day` (the base of the CIS benefit)."""
    in_force = [amount for since, amount in UNEMPLOYMENT_BENEFIT if since <= day]
    if not in_force:
        raise InvalidInput(
            "benefit_base_unknown", f"No unemployment-benefit amount is known for {day}."
        )
    return in_force[-1]
