"""The rulebook: every number from the law, by the date it took effect (domain.md §9.2, §2.13).

An episode is governed by the rulebook in force on the day it started. Values tagged [V] in
domain.md are uncertain; they live here, with their tag, and nowhere else.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from domain.errors import InvalidInput


class Rulebook(BaseModel):
    """One effective-dated set of legal parameters."""

    model_config = ConfigDict(frozen=True)

    key: str
    effective_from: date
    source: str

    # KIS (art. 2 pkt 1b u.z.s.): a graduate took part for at least this many calendar months.
    kis_graduate_min_months: int
    # CIS (art. 15): trial, base period including the trial, further extension, total cap.
    cis_trial_max_months: int
    cis_base_period_months: int
    cis_extension_max_months: int
    cis_extension_decision_days_before_end: int
    cis_weekly_hours_min: int | None
    cis_weekly_hours_max: int | None
    cis_daily_hours_min: int | None
    cis_days_off_max: int
    cis_sick_reduced_days_max: int  # [V] unit: per spell
    cis_benefit_pct_trial: Decimal
    cis_benefit_pct_main: Decimal
    cis_bonus_cap_pct: Decimal
    cis_abandonment_threshold_days: int  # local policy, no statutory number (art. 13 ust. 4 pkt 2)
    cis_complaint_window_days: int  # [V] p.p.s.a. art. 53 § 1
    # Benefit deductions (domain.md §2.6): a pluggable policy, since the statutory rule is [V].
    cis_deduction_policy: str
    cis_unexcused_day_fraction: Decimal  # [P, V] 1/20 of the month's benefit per day
    cis_unexcused_days_forfeiting_month: int  # [P, V] more than this many: no benefit that month
    cis_sick_day_fraction: Decimal  # [P, V] 1/40 per reduced-rate sick day
    ipzs_follow_up_max_months: int  # art. 13 ust. 5
    sw_earliest_months: int  # art. 16: supported employment not before this much CIS participation
    sw_employer_commitment_months: int  # [V]
    # KPIs (domain.md §6.1): window after exit, and what counts as employment.
    outcome_window_days: int
    outcome_min_contract_months: int
    outcome_min_fte: Decimal
    # KPI targets (domain.md §6.2): programme-specific [S]; the 2014-2020 regional criteria for
    # people at risk of exclusion. Reports show them beside the rates, nothing depends on them.
    kpi_employment_target_pct: Decimal
    kpi_social_target_pct: Decimal
    # Annual report: counts below this are suppressed so that nobody can be recognised (policy).
    report_min_cell_count: int
    # Annual report to the voivode (art. 5 ust. 4, art. 18a ust. 6): month and day.
    annual_report_due_month: int
    annual_report_due_day: int


_COMMON: dict[str, Any] = dict(
    kis_graduate_min_months=6,
    cis_trial_max_months=1,
    cis_base_period_months=12,
    cis_extension_decision_days_before_end=30,
    cis_abandonment_threshold_days=10,
    cis_complaint_window_days=30,
    cis_deduction_policy="cis-practice-v1",
    cis_unexcused_day_fraction=Decimal("0.05"),
    cis_unexcused_days_forfeiting_month=3,
    cis_sick_day_fraction=Decimal("0.025"),
    ipzs_follow_up_max_months=6,
    sw_earliest_months=6,
    outcome_window_days=90,
    outcome_min_contract_months=3,
    outcome_min_fte=Decimal("0.5"),
    kpi_employment_target_pct=Decimal("22"),
    kpi_social_target_pct=Decimal("34"),
    report_min_cell_count=5,
    annual_report_due_month=3,
    annual_report_due_day=31,
)

BEFORE_2022 = Rulebook(
    key="uzs-2003",
    # u.z.s. of 13 June 2003 [V] exact day of entry into force; no episode predates it here.
    effective_from=date(2003, 1, 1),
    source="u.z.s. before the amendment Dz.U. 2022 poz. 218 (domain.md §2.13)",
    cis_extension_max_months=6,
    cis_weekly_hours_min=None,
    cis_weekly_hours_max=None,
    cis_daily_hours_min=6,
    cis_days_off_max=6,
    cis_sick_reduced_days_max=14,
    cis_benefit_pct_trial=Decimal("50"),
    cis_benefit_pct_main=Decimal("100"),
    cis_bonus_cap_pct=Decimal("50"),
    sw_employer_commitment_months=12,
    **_COMMON,
)

FROM_2022 = Rulebook(
    key="uzs-2022",
    effective_from=date(2022, 2, 15),
    source="u.z.s. as amended by Dz.U. 2022 poz. 218, in force 15 Feb 2022 (domain.md §0, §2.13)",
    cis_extension_max_months=12,
    cis_weekly_hours_min=30,
    cis_weekly_hours_max=40,
    cis_daily_hours_min=None,
    cis_days_off_max=12,
    cis_sick_reduced_days_max=21,
    cis_benefit_pct_trial=Decimal("120"),
    cis_benefit_pct_main=Decimal("120"),
    cis_bonus_cap_pct=Decimal("100"),
    sw_employer_commitment_months=6,
    **_COMMON,
)

RULEBOOKS: tuple[Rulebook, ...] = (BEFORE_2022, FROM_2022)
_BY_KEY = {r.key: r for r in RULEBOOKS}


def rulebook_for(day: date) -> Rulebook:
    """The rulebook in force on `day` (the day an episode started)."""
    in_force = [r for r in RULEBOOKS if r.effective_from <= day]
    if not in_force:
        raise InvalidInput(
            "date_before_the_act",
            f"No rules of the social-employment act apply before {RULEBOOKS[0].effective_from}.",
        )
    return max(in_force, key=lambda r: r.effective_from)


def rulebook_by_key(key: str) -> Rulebook:
    """The rulebook an episode recorded when it started."""
    return _BY_KEY[key]


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


class CooperativeRules(BaseModel):
    """One effective-dated set of the social-cooperative act's numbers (u.s.s., domain.md §4).

    A cooperative is governed by the set in force on the day its founding initiative began.
    """

    model_config = ConfigDict(frozen=True)

    key: str
    effective_from: date
    source: str

    # Founders: natural persons, or legal persons (art. 4 u.s.s.).
    min_founders_natural: int
    min_founders_legal: int
    # Members a cooperative must keep; the natural-person minimum is owed within a deadline.
    min_members_natural: int
    min_members_legal: int
    max_members_natural: int  # [S] "at most 50" (WUP Kielce), except converted cooperatives
    extra_members_deadline_months: int  # from the court-register (KRS) entry
    # Members from outside the excluded groups: at most this share of the natural persons.
    outside_share_max_pct: Decimal
    # Below the minimum for longer than this: a ground for liquidation.
    below_minimum_grace_months: int


COOPERATIVES_FROM_2018 = CooperativeRules(
    key="uss-2018",
    effective_from=date(2018, 3, 31),
    source="u.s.s. as amended by Dz.U. 2017 poz. 2494, in force 31 Mar 2018 (domain.md §4)",
    min_founders_natural=3,
    min_founders_legal=2,
    min_members_natural=5,
    min_members_legal=2,
    max_members_natural=50,
    extra_members_deadline_months=12,
    outside_share_max_pct=Decimal("50"),
    below_minimum_grace_months=3,
)

COOPERATIVE_RULEBOOKS: tuple[CooperativeRules, ...] = (COOPERATIVES_FROM_2018,)
_COOPERATIVES_BY_KEY = {r.key: r for r in COOPERATIVE_RULEBOOKS}


def cooperative_rules_for(day: date) -> CooperativeRules:
    """The cooperative rules in force on `day` (the day the founding initiative began)."""
    in_force = [r for r in COOPERATIVE_RULEBOOKS if r.effective_from <= day]
    if not in_force:
        raise InvalidInput(
            "date_before_the_act",
            f"No cooperative rules are known before {COOPERATIVE_RULEBOOKS[0].effective_from}.",
        )
    return max(in_force, key=lambda r: r.effective_from)


def cooperative_rules_by_key(key: str) -> CooperativeRules:
    """The cooperative rules a founding recorded when it began."""
    return _COOPERATIVES_BY_KEY[key]
