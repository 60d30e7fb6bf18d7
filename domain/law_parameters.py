"""Every number of the social-employment act, with its versions and its transitional rule.

One row a parameter (domain.md §9.2, §2.13; §10 stands over the rest): the values in force from
each date, which day's law decides it for a participant (`DecidingDay`), and the provision that
says so. The amending act of 13 January 2022 (Dz.U. 2022 poz. 218, in force 15 February 2022)
changed most of them; where it has a transitional rule the row cites it, and where it is silent
the general rule applies (new law for relationships still running: the day the fact happens, or
the day of the decision) and the row is marked uncertain ([V] in domain.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

ACT_IN_FORCE = date(2003, 1, 1)  # u.z.s. of 13 June 2003 [V]: no episode here predates it
BENEFIT_RISE = date(2022, 1, 1)  # 120 % with effect from 1 January 2022 (§10)
AMENDMENT_2022 = date(2022, 2, 15)  # Dz.U. 2022 poz. 218 in force
URPSZ_IN_FORCE = date(2025, 6, 1)  # u.r.p.s.z. (Dz.U. 2025 poz. 620) replaces art. 73a (§3)


class DecidingDay(StrEnum):
    """Which day's law decides a parameter for a participant."""

    EPISODE_START = "the day the episode started"
    ADMISSION = "the day of admission (IPZS signed)"
    MONTH_PAID = "the month the benefit is paid for"
    FACT_DAY = "the day the fact happens"
    DECISION_DAY = "the day of the head's decision"
    DELIVERY_DAY = "the day the decision was delivered"
    AGREEMENT_DAY = "the day of the starosta's agreement with the employer"
    EXIT_DAY = "the day participation ended"
    REPORT_PERIOD = "the period reported on"
    PSU_AGREEMENT = "the day the PSU agreement was signed"


Value = int | Decimal | str | bool | None


@dataclass(frozen=True)
class Parameter:
    """One legal number: its versions, the day that decides it, and its basis."""

    name: str
    versions: tuple[tuple[date, Value], ...]  # (in force from, value), oldest first
    decided_by: DecidingDay
    basis: str
    uncertain: bool = False  # [V]: the wording or the transitional rule is not verified

    def on(self, day: date) -> Value:
        """The value in force on `day` (the first version for days before it)."""
        value = self.versions[0][1]
        for since, version in self.versions:
            if since <= day:
                value = version
        return value


def _always(value: Value) -> tuple[tuple[date, Value], ...]:
    return ((ACT_IN_FORCE, value),)


def _amended(
    before: Value, after: Value, since: date = AMENDMENT_2022
) -> tuple[tuple[date, Value], ...]:
    return ((ACT_IN_FORCE, before), (since, after))


D = DecidingDay
_NO_TRANSITION = "; the amending act has no transitional rule: the general rule (§10)"

PARAMETERS: tuple[Parameter, ...] = (
    # KIS
    Parameter("kis_graduate_min_months", _always(6), D.EPISODE_START,
              "art. 2 pkt 1b u.z.s. (absolwent KIS: at least 6 months, certificate, contract "
              "fulfilled)", uncertain=True),
    # CIS periods (art. 15; domain.md §2.5, §10 "periods")
    Parameter("cis_trial_max_months", _always(1), D.ADMISSION, "art. 15 u.z.s. (§2.5)"),
    Parameter("cis_base_period_months", _always(12), D.ADMISSION,
              "art. 15 u.z.s.: 12 months including the trial (§2.5)"),
    Parameter("cis_extension_max_months", _amended(6, 12), D.DECISION_DAY,
              "art. 15 u.z.s. as amended by Dz.U. 2022 poz. 218 (§2.13)" + _NO_TRANSITION,
              uncertain=True),
    Parameter("cis_extension_decision_days_before_end", _always(30), D.ADMISSION,
              "practice: the head decides before the end (§9.7)"),
    # Time in the centre (art. 14)
    Parameter("cis_weekly_hours_min", _amended(None, 30), D.FACT_DAY,
              "art. 14 u.z.s. as amended: 30-40 hours a week (§10)"),
    Parameter("cis_weekly_hours_max", _amended(None, 40), D.FACT_DAY,
              "art. 14 u.z.s. as amended: 30-40 hours a week (§10)"),
    Parameter("cis_daily_hours_min", _amended(6, None), D.FACT_DAY,
              "art. 14 u.z.s. before 2022: at least 6 hours a day (§2.13)"),
    # Days off, sickness, unexcused absence (art. 15)
    Parameter("cis_days_off_max", _amended(6, 12), D.DECISION_DAY,
              "art. 15 ust. 3 u.z.s., in the main period only (§10 'days off')" + _NO_TRANSITION,
              uncertain=True),
    Parameter("cis_sick_reduced_days_max", _amended(14, 21), D.FACT_DAY,
              "art. 15 ust. 7a u.z.s.; art. 10 of Dz.U. 2022 poz. 218: the 21-day rule for "
              "everyone still taking part on 15 Feb 2022 (§10 'transitional sick pay')"),
    Parameter("cis_sick_cap_unit", _always("spell"), D.FACT_DAY,
              "art. 15 ust. 7a u.z.s.: the reduced rate 'for up to 21 days' of a documented "
              "incapacity, read as each spell of incapacity (one medical certificate and its "
              "continuation); 'per participation' is the other reading (§2.6, §9.2)",
              uncertain=True),
    Parameter("cis_abandonment_threshold_days", _always(10), D.FACT_DAY,
              "art. 13 ust. 4 pkt 2 u.z.s. names no number: local policy (§9.2)"),
    Parameter("cis_deduction_policy", _always("cis-practice-v1"), D.MONTH_PAID,
              "statutory deduction rule not seen: practice of CIS Ostrzyce (§2.6)",
              uncertain=True),
    Parameter("cis_unexcused_day_fraction", _always(Decimal("0.05")), D.MONTH_PAID,
              "practice: 1/20 of the month's benefit per unexcused day (§2.6)", uncertain=True),
    Parameter("cis_unexcused_days_forfeiting_month", _always(3), D.MONTH_PAID,
              "practice: more than 3 unexcused days, no benefit that month (§2.6)",
              uncertain=True),
    Parameter("cis_sick_day_fraction", _always(Decimal("0.025")), D.MONTH_PAID,
              "practice: 1/40 of the benefit per reduced-rate sick day (§2.6)", uncertain=True),
    # Money (art. 15, 15a)
    Parameter("cis_benefit_pct_trial", _amended(Decimal(50), Decimal(120), BENEFIT_RISE),
              D.MONTH_PAID,
              "art. 15 u.z.s. as amended; 120 % from 1 Jan 2022 for everyone still taking part, "
              "whenever admitted (§10 'benefit rate in time')"),
    Parameter("cis_benefit_pct_main", _amended(Decimal(100), Decimal(120), BENEFIT_RISE),
              D.MONTH_PAID, "art. 15 u.z.s. as amended (§10 'benefit rate in time')"),
    Parameter("cis_bonus_cap_pct", _amended(Decimal(50), Decimal(100)), D.DECISION_DAY,
              "art. 15a u.z.s.: main period only, 100 % of the month's benefit (50 % before)"
              + _NO_TRANSITION, uncertain=True),
    # Termination (art. 13 ust. 4-4b)
    Parameter("cis_complaint_window_days", _always(30), D.DELIVERY_DAY,
              "p.p.s.a. art. 53 § 1: 30 days from delivery of the decision (NSA I OSK 1455/18)",
              uncertain=True),
    # After the centre (art. 13 ust. 5, art. 16)
    Parameter("ipzs_follow_up_max_months", _always(6), D.FACT_DAY, "art. 13 ust. 5 u.z.s."),
    Parameter("sw_earliest_months", _always(6), D.FACT_DAY,
              "art. 16 u.z.s.: not before 6 months of participation, or a graduate (§10)"),
    Parameter("sw_employer_commitment_months", _amended(12, 6), D.AGREEMENT_DAY,
              "art. 16 u.z.s.: from the agreement's date, 6 months since 2022, 12 before (§10)"),
    # Outcomes and KPIs (domain.md §6)
    Parameter("outcome_window_days", _always(90), D.EXIT_DAY, "EFS definition (§6.1)"),
    Parameter("outcome_min_contract_months", _always(3), D.EXIT_DAY,
              "EFS: an employment contract of at least 3 months (§6.1); open-ended qualifies"),
    Parameter("outcome_min_fte", _always(Decimal("0.5")), D.EXIT_DAY,
              "EFS: at least half-time (§6.1)"),
    Parameter("outcome_civil_law_qualifies", _always(True), D.EXIT_DAY,
              "EFS: a civil-law contract counts 'with value conditions' not verified (§6.1)",
              uncertain=True),
    Parameter("outcome_evidence_grace_days", _always(90), D.EXIT_DAY,
              "local policy: how long after the window closed evidence of work dated inside it "
              "is still taken (§6.1 counts work taken up within the window, whenever learnt)"),
    Parameter("kpi_employment_target_pct", _always(Decimal(22)), D.REPORT_PERIOD,
              "2014-2020 regional criteria; programme-specific (§6.2)"),
    Parameter("kpi_social_target_pct", _always(Decimal(34)), D.REPORT_PERIOD,
              "2014-2020 regional criteria; programme-specific (§6.2)"),
    Parameter("report_min_cell_count", _always(5), D.REPORT_PERIOD,
              "policy: counts below 5 suppressed so nobody is recognised (§7.2)"),
    Parameter("annual_report_due_month", _always(3), D.REPORT_PERIOD,
              "art. 5 ust. 4, art. 18a ust. 6 u.z.s.: by 31 March"),
    Parameter("annual_report_due_day", _always(31), D.REPORT_PERIOD,
              "art. 5 ust. 4, art. 18a ust. 6 u.z.s.: by 31 March"),
    # Refund claims of the month's end (issue 15)
    Parameter("refund_benefit_pup_pct", _always(Decimal(100)), D.MONTH_PAID,
              "§2.1, §2.6: the integration benefit paid by the CIS is refunded from the Labour "
              "Fund via the PUP; no municipal share of the benefit is sourced (the rest, if a "
              "lower share is set, falls to the municipality)", uncertain=True),
    Parameter("refund_bonus_pup_pct", _always(Decimal(0)), D.MONTH_PAID,
              "art. 15a: no source says the motivational bonus is refunded: the centre's own "
              "funds", uncertain=True),
    Parameter("sw_refund_tiers", _amended("1-3:100,4-6:80,7-12:60", "1-6:100"),
              D.AGREEMENT_DAY,
              "art. 16 u.z.s.: the employer's refund, % of the unemployment benefit by month of "
              "employment: 100/80/60 before 2022; 'up to 100 %' for the 6 months since (§2.9, "
              "§10; whether the tiers remain is not verified)", uncertain=True),
)  # fmt: skip


# Socially useful work (PSU, domain.md §3) is not a number of u.z.s.: an agreement keeps the
# regime of the act it was signed under (art. 73a of the 2004 act, or u.r.p.s.z. from 1 June
# 2025: agreements signed before continue under the old act), so these rows are decided by the
# agreement's day and read by `domain/psu.py`, not by the rulebook's regimes.
PSU_PARAMETERS: tuple[Parameter, ...] = (
    Parameter("psu_weekly_hours_max", _always(10), D.PSU_AGREEMENT,
              "art. 73a of the 2004 employment-promotion act: at most 10 hours a week (§3); "
              "u.r.p.s.z.'s own cap not in the sources at hand, the old one kept",
              uncertain=True),
    Parameter("psu_monthly_hours_max", _amended(40, None, URPSZ_IN_FORCE), D.PSU_AGREEMENT,
              "art. 73a of the 2004 act: at most 40 hours a month (§3); u.r.p.s.z. changed the "
              "caps, its monthly figure not in the sources at hand", uncertain=True),
)  # fmt: skip
