"""The law, scenario by scenario, through the HTTP API on the real servers.

Each row cites its rule in domain.md. Dates are counted from the pathway's start (`on` days or
`on_m` months later), so every scenario can be played back-dated on the real dev server; the
pre-2022 rows start in 2021 so that the old rulebook applies. The other rows start so long
before today, read from the clock as each is played: tests/domain/test_legal_scenarios_any_day.py
plays those on the domain alone as if today were each of the calendar's awkward days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest

from domain.calendar import add_days, add_months
from tests.support import Staff, eventually, local_today, person


@dataclass(frozen=True)
class Ago:
    """A start so long before today (the servers' today: the machine's clock)."""

    months: int
    days: int

    def before(self, today: date) -> date:
        """The start date, were today `today`."""
        return add_days(add_months(today, -self.months), -self.days)


def ago(months: int = 0, days: int = 0) -> Ago:
    """A start in the past, relative to the day the scenario is played."""
    return Ago(months, days)


@dataclass(frozen=True)
class Scenario:
    """Steps from a start date; every step but the last must succeed; the last is checked."""

    id: str
    rule: str
    programme: str
    start: date | Ago
    steps: list[tuple[str, dict[str, Any]]]
    status: int = 200
    code: str | None = None
    state: dict[str, Any] = field(default_factory=dict)


CW, SV = "caseworker", "supervisor"
KIS_ACTIVE = [
    (CW, {"type": "record_diagnosis", "on": 1}),
    (CW, {"type": "sign_social_contract", "on": 2}),
]
# Admission, the trial's end, the certificate and termination are the head's acts (§10).
ADMITTED = [(SV, {"type": "sign_ipzs", "on": 0, "summary": "IPZS"})]
MAIN = [*ADMITTED, (SV, {"type": "pass_trial", "on": 20})]
OLD = date(2021, 3, 1)  # admitted under the rules before 15 Feb 2022

SCENARIOS = [
    # --- KIS (art. 18, art. 2 pkt 1b; u.p.s. art. 108) ---
    Scenario(
        "kis-graduate",
        "§2.10 absolwent KIS: 6 months, certificate, contract",
        "kis",
        ago(7),
        [
            *KIS_ACTIVE,
            (CW, {"type": "mark_contract_fulfilled", "on": 190}),
            (CW, {"type": "complete_kis", "on": 200}),
        ],
        state={"stage": "kis_completed", "graduate": True},
    ),
    Scenario(
        "kis-short",
        "§2.10 fewer than 6 months: no graduate status",
        "kis",
        ago(4),
        [
            *KIS_ACTIVE,
            (CW, {"type": "mark_contract_fulfilled", "on": 60}),
            (CW, {"type": "complete_kis", "on": 90}),
        ],
        state={"graduate": False},
    ),
    Scenario(
        "kis-contract-unfulfilled",
        "art. 2 pkt 1b: contract not fulfilled",
        "kis",
        ago(8),
        [*KIS_ACTIVE, (CW, {"type": "complete_kis", "on": 200})],
        state={"graduate": False},
    ),
    Scenario(
        "kis-no-contract-no-activity",
        "art. 18 ust. 4: the contract is the condition",
        "kis",
        ago(1),
        [
            (CW, {"type": "record_diagnosis", "on": 1}),
            (CW, {"type": "record_attendance", "hours": 3}),
        ],
        status=409,
        code="step_not_allowed",
    ),
    Scenario(
        "kis-psu-needs-contract",
        "art. 18 ust. 2 pkt 2 with ust. 4",
        "kis",
        ago(1),
        [(CW, {"type": "record_psu_hours", "hours": 4})],
        status=409,
        code="step_not_allowed",
    ),
    Scenario(
        "kis-fulfilled-once",
        "§5: a contract is fulfilled once",
        "kis",
        ago(2),
        [
            *KIS_ACTIVE,
            (CW, {"type": "mark_contract_fulfilled"}),
            (CW, {"type": "mark_contract_fulfilled"}),
        ],
        status=409,
        code="already_recorded",
    ),
    Scenario(
        "kis-review-after-step",
        "§5: review dates follow the contract",
        "kis",
        ago(1),
        [
            (CW, {"type": "record_diagnosis", "on": 1}),
            (CW, {"type": "sign_social_contract", "on": 2, "review_on": "on:2"}),
        ],
        status=422,
        code="review_date_not_after_step",
    ),
    Scenario(
        "kis-withdraw",
        "art. 18 ust. 3: participation is voluntary; §6.1 window",
        "kis",
        ago(2),
        [*KIS_ACTIVE, (CW, {"type": "withdraw", "on": 30})],
        state={"stage": "withdrawn", "deadline:outcome_window": "on:120"},
    ),
    Scenario(
        "kis-to-cis",
        "art. 12 ust. 1: a KIS may apply for CIS",
        "kis",
        ago(3),
        [*KIS_ACTIVE, (CW, {"type": "refer", "to": "cis", "on": 40})],
        state={"stage": "cis_referred", "programme": "cis"},
    ),
    Scenario(
        "kis-cooperative-after-completion",
        "§2.10, §4: graduates found cooperatives",
        "kis",
        ago(8),
        [
            *KIS_ACTIVE,
            (CW, {"type": "complete_kis", "on": 200}),
            (CW, {"type": "refer", "to": "cooperative", "on": 201}),
        ],
        state={"stage": "kis_completed"},
    ),
    Scenario(
        "kis-cooperative-too-early",
        "DESIGN §4: referrals onwards after completion",
        "kis",
        ago(2),
        [*KIS_ACTIVE, (CW, {"type": "refer", "to": "cooperative"})],
        status=409,
        code="referral_not_allowed",
    ),
    Scenario(
        "kis-supported-employment",
        "§2.9: since 2022 for KIS graduates too",
        "kis",
        ago(8),
        [
            *KIS_ACTIVE,
            (CW, {"type": "complete_kis", "on": 200}),
            (CW, {"type": "refer", "to": "supported_employment", "on": 202}),
        ],
        state={"stage": "supported_employment"},
    ),
    Scenario(
        "kis-outcome-qualifying",
        "§6.1: ≥ 3 months at ≥ ½ FTE closes the window",
        "kis",
        ago(3),
        [
            *KIS_ACTIVE,
            (CW, {"type": "complete_kis", "on": 60}),
            (
                CW,
                {
                    "type": "record_outcome",
                    "employed": True,
                    "contract_months": 3,
                    "fte": "0.5",
                    "on": 70,
                },
            ),
        ],
        state={"stage": "closed", "outcome": "employed"},
    ),
    Scenario(
        "kis-outcome-not-qualifying",
        "§6.1: short or small jobs do not count",
        "kis",
        ago(3),
        [
            *KIS_ACTIVE,
            (CW, {"type": "complete_kis", "on": 60}),
            (
                CW,
                {
                    "type": "record_outcome",
                    "employed": True,
                    "contract_months": 2,
                    "fte": "1",
                    "on": 70,
                },
            ),
        ],
        state={"stage": "kis_completed", "outcome": "employed_not_qualifying"},
    ),
    Scenario(
        "kis-outcome-self-employed",
        "§6.1: self-employment counts",
        "kis",
        ago(3),
        [
            *KIS_ACTIVE,
            (CW, {"type": "complete_kis", "on": 60}),
            (CW, {"type": "record_outcome", "employed": True, "self_employed": True}),
        ],
        state={"stage": "closed", "outcome": "employed"},
    ),
    Scenario(
        "kis-window-closes-itself",
        "§6.1: no report in 90 days closes the window",
        "kis",
        ago(12),
        [*KIS_ACTIVE, (CW, {"type": "complete_kis", "on": 200}), ("settled", {"stage": "closed"})],
        state={"stage": "closed", "outcome": "not_reported"},
    ),
    # --- CIS: admission, trial, main period (art. 12-15) ---
    Scenario(
        "cis-admission",
        "art. 12 ust. 4, art. 15: IPZS admits; trial ≤ 1 month",
        "cis",
        ago(1),
        ADMITTED,
        state={
            "stage": "cis_trial",
            "deadline:trial_end": "m:1",  # art. 112 k.c.: 1 Jan + 1 month ends on 1 Feb
            "deadline:participation_end": "m:12",
        },
    ),
    Scenario(
        "cis-nothing-before-ipzs",
        "art. 12 ust. 4: admission follows the IPZS",
        "cis",
        ago(1),
        [(CW, {"type": "record_attendance", "hours": 6})],
        status=409,
        code="step_not_allowed",
    ),
    Scenario(
        "cis-trial-passed",
        "art. 15: the main period follows the trial",
        "cis",
        ago(2),
        MAIN,
        state={"stage": "cis_main", "no-deadline": "trial_end"},
    ),
    Scenario(
        "cis-complete-in-trial",
        "art. 15: no certificate in the trial",
        "cis",
        ago(1),
        [*ADMITTED, (SV, {"type": "complete_cis"})],
        status=409,
        code="step_not_allowed",
    ),
    Scenario(
        "cis-ipzs-amended",
        "art. 13 ust. 3: the IPZS may be amended",
        "cis",
        ago(2),
        [*MAIN, (CW, {"type": "amend_ipzs", "summary": "new workshop", "on": 30})],
        state={"stage": "cis_main"},
    ),
    Scenario(
        "cis-week-over-40h",
        "art. 14: 30-40 h a week; over is flagged, not refused",
        "cis",
        date(2025, 3, 3),
        [*ADMITTED, *[(CW, {"type": "record_attendance", "hours": 9, "on": d}) for d in range(5)]],
        state={"last_flag": "week_over_maximum"},
    ),
    Scenario(
        "cis-abandonment-task",
        "art. 13 ust. 4 pkt 2: a task for the head, not an exit",
        "cis",
        ago(3),
        [
            *MAIN,
            *[
                (CW, {"type": "record_absence", "kind": "unexcused", "on": 30 + d})
                for d in range(10)
            ],
        ],
        state={"stage": "cis_main", "deadline:abandonment_review": "on:39"},
    ),
    # --- CIS: the head's decisions (art. 13 ust. 4, 15, 15a) ---
    Scenario(
        "cis-bonus-in-trial",
        "art. 15a: no bonus in the trial",
        "cis",
        ago(1),
        [*ADMITTED, (SV, {"type": "award_bonus", "amount": "10"})],
        status=409,
        code="step_not_allowed",
    ),
    Scenario(
        "cis-bonus-by-caseworker",
        "art. 15a: the head grants the bonus",
        "cis",
        ago(2),
        [*MAIN, (CW, {"type": "award_bonus", "amount": "10"})],
        status=403,
        code="role_not_allowed",
    ),
    Scenario(
        "cis-bonus-over-cap",
        "art. 15a: at most 100 % of the benefit (2025: 1,994.64)",
        "cis",
        date(2025, 1, 15),
        [*MAIN, (SV, {"type": "award_bonus", "amount": "1994.65", "on": 60})],
        status=409,
        code="limit_exceeded",
    ),
    Scenario(
        "cis-bonus-at-cap",
        "art. 15a: 100 % of the benefit is allowed",
        "cis",
        date(2025, 1, 15),
        [*MAIN, (SV, {"type": "award_bonus", "amount": "1994.64", "on": 60})],
        state={"stage": "cis_main"},
    ),
    Scenario(
        "cis-bonus-old-cap",
        "§2.13: before 2022 the cap was 50 %",
        "cis",
        OLD,
        [*MAIN, (SV, {"type": "award_bonus", "amount": "600.01", "on": 40})],
        status=409,
        code="limit_exceeded",
    ),
    Scenario(
        "cis-extend-12",
        "art. 15 (2022): up to 12 more months, 24 in all",
        "cis",
        ago(11),
        [*MAIN, (SV, {"type": "extend", "months": 12, "justification": "coaching", "on": 300})],
        state={"stage": "cis_extended", "deadline:participation_end": "m:24"},
    ),
    Scenario(
        "cis-extend-13",
        "art. 15 (2022): a 13th month is over the cap",
        "cis",
        ago(11),
        [*MAIN, (SV, {"type": "extend", "months": 13, "justification": "more", "on": 300})],
        status=409,
        code="limit_exceeded",
    ),
    Scenario(
        "cis-extend-old-7",
        "§2.13: before 2022 at most 6 more (18 in all)",
        "cis",
        OLD,
        [*MAIN, (SV, {"type": "extend", "months": 7, "justification": "x" * 5, "on": 300})],
        status=409,
        code="limit_exceeded",
    ),
    Scenario(
        "cis-extend-old-6",
        "§2.13: before 2022, 6 more months",
        "cis",
        OLD,
        [*MAIN, (SV, {"type": "extend", "months": 6, "justification": "x" * 5, "on": 300})],
        state={"deadline:participation_end": "m:18"},
    ),
    Scenario(
        "cis-extend-by-caseworker",
        "art. 15: the head decides",
        "cis",
        ago(11),
        [*MAIN, (CW, {"type": "extend", "months": 1, "justification": "x" * 5})],
        status=403,
        code="role_not_allowed",
    ),
    Scenario(
        "cis-extend-after-end",
        "art. 15: an ended participation is not extended",
        "cis",
        ago(14),
        [*MAIN, (SV, {"type": "extend", "months": 1, "justification": "late"})],
        status=409,
        code="participation_ended",
    ),
    Scenario(
        "cis-13th-day-off",
        "§2.6: 12 days off a participation (2022)",
        "cis",
        ago(6),
        [*MAIN, *[(SV, {"type": "grant_day_off", "on": 30 + d}) for d in range(13)]],
        status=409,
        code="limit_exceeded",
    ),
    Scenario(
        "cis-7th-day-off-old",
        "§2.13: 6 days off before 2022",
        "cis",
        OLD,
        [*MAIN, *[(SV, {"type": "grant_day_off", "on": 30 + d}) for d in range(7)]],
        status=409,
        code="limit_exceeded",
    ),
    Scenario(
        "cis-terminate-breach",
        "art. 13 ust. 4 pkt 1, 4a; §10: the window runs from delivery",
        "cis",
        ago(2),
        [
            *MAIN,
            (SV, {"type": "terminate", "ground": "breach", "reason": "persistent", "on": 40}),
            (CW, {"type": "record_decision_delivery", "on": 44}),
        ],
        state={"stage": "terminated", "deadline:complaint_window": "on:74"},
    ),
    Scenario(
        "cis-terminate-no-window-before-delivery",
        "§10: no complaint window until the decision is delivered",
        "cis",
        ago(2),
        [*MAIN, (SV, {"type": "terminate", "ground": "breach", "reason": "persistent", "on": 40})],
        state={"stage": "terminated", "no-deadline": "complaint_window"},
    ),
    Scenario(
        "cis-terminate-needs-reasons",
        "k.p.a. art. 107: a decision states its reasons",
        "cis",
        ago(2),
        [*MAIN, (SV, {"type": "terminate", "ground": "abandonment", "on": 40})],
        status=422,
        code="reasons_required",
    ),
    Scenario(
        "cis-terminate-by-caseworker",
        "art. 13 ust. 4: only the head decides",
        "cis",
        ago(3),
        [*MAIN, (CW, {"type": "terminate", "ground": "breach", "reason": "x"})],
        status=403,
        code="role_not_allowed",
    ),
    Scenario(
        "cis-withdraw",
        "art. 13 ust. 4 pkt 3: the participant's declaration",
        "cis",
        ago(3),
        [*MAIN, (CW, {"type": "withdraw", "on": 50})],
        state={"stage": "withdrawn"},
    ),
    # --- CIS: the end (art. 13 ust. 5-5a, art. 16) ---
    Scenario(
        "cis-job-follow-up",
        "art. 13 ust. 5: up to 6 months after a job starts",
        "cis",
        ago(6),
        [*MAIN, (CW, {"type": "record_job_start", "contract_months": 12, "fte": "1", "on": 100})],
        state={"stage": "cis_follow_up", "deadline:follow_up_end": "on:100+m:6"},
    ),
    Scenario(
        "cis-no-attendance-in-follow-up",
        "art. 13 ust. 5: without attendance",
        "cis",
        ago(6),
        [
            *MAIN,
            (CW, {"type": "record_job_start", "on": 100}),
            (CW, {"type": "record_attendance", "hours": 5}),
        ],
        status=409,
        code="step_not_allowed",
    ),
    Scenario(
        "cis-certificate",
        "art. 13 ust. 5a, art. 2 pkt 1a: absolwent CIS",
        "cis",
        ago(13),
        [*MAIN, (SV, {"type": "complete_cis", "on": 364})],
        state={"stage": "cis_completed", "graduate": True},
    ),
    Scenario(
        "cis-sw-too-early",
        "art. 16: not before 6 months of participation",
        "cis",
        ago(7),
        [*MAIN, (CW, {"type": "refer", "to": "supported_employment", "on": 150})],
        status=409,
        code="too_early_for_supported_employment",
    ),
    Scenario(
        "cis-sw-after-6-months",
        "art. 16: from the main period after 6 months",
        "cis",
        ago(8),
        [*MAIN, (CW, {"type": "refer", "to": "supported_employment", "on": "m:6"})],
        state={"stage": "supported_employment"},
    ),
    Scenario(
        "cis-sw-commitment-2022",
        "§2.9 (2022): the employer commits for 6 months",
        "cis",
        ago(13),
        [
            *MAIN,
            (SV, {"type": "complete_cis", "on": 364}),
            (CW, {"type": "refer", "to": "supported_employment", "on": 365}),
            (CW, {"type": "record_employer_agreement", "on": 366}),
        ],
        # Agreed inside the window: employment in the KPIs; the commitment outlives the window.
        state={
            "deadline:commitment_end": "on:366+m:6",
            "no-deadline": "outcome_window",
            "outcome": "employed",
            "stage": "supported_employment",
        },
    ),
    Scenario(
        "benefit-old-main",
        "§2.13: 100 % after the trial before 2022 (base 1,200.00)",
        "cis",
        OLD,
        [*MAIN, ("benefits", {"month": "2021-04"})],
        state={"total": "1200.00"},
    ),
    Scenario(
        "cis-no-second-cis",
        "art. 12: a CIS participant is not referred to a CIS",
        "cis",
        ago(3),
        [*MAIN, (CW, {"type": "refer", "to": "cis"})],
        status=409,
        code="referral_not_allowed",
    ),
    Scenario(
        "cis-no-outcome-before-exit",
        "§6.1: the outcome follows an exit",
        "cis",
        ago(2),
        [*MAIN, (CW, {"type": "record_outcome", "employed": True})],
        status=409,
        code="step_not_allowed",
    ),
    # --- the head's acts, prepared by caseworkers (§10) ---
    Scenario(
        "cis-admission-by-caseworker",
        "art. 12 ust. 4: the head admits",
        "cis",
        ago(1),
        [(CW, {"type": "sign_ipzs"})],
        status=403,
        code="role_not_allowed",
    ),
    Scenario(
        "cis-caseworker-prepares-admission",
        "§10: a caseworker prepares, the head decides",
        "cis",
        ago(1),
        [(CW, {"type": "prepare_decision", "decision": "sign_ipzs", "on": 3})],
        state={"stage": "cis_referred", "deadline:head_decision": "on:3"},
    ),
    Scenario(
        "cis-trial-passed-by-caseworker",
        "art. 15: the head ends the trial",
        "cis",
        ago(2),
        [*ADMITTED, (CW, {"type": "pass_trial", "on": 20})],
        status=403,
        code="role_not_allowed",
    ),
    Scenario(
        "cis-day-off-in-trial",
        "art. 15 ust. 3 (§10): days off in the main period only",
        "cis",
        ago(1),
        [*ADMITTED, (SV, {"type": "grant_day_off", "on": 5})],
        status=409,
        code="step_not_allowed",
    ),
    Scenario(
        "cis-extension-after-amendment-for-2021-admission",
        "§10: the decision's day decides the cap (12 more since 15 Feb 2022)",
        "cis",
        date(2021, 10, 1),
        [*MAIN, (SV, {"type": "extend", "months": 12, "justification": "coach", "on": 335})],
        state={"deadline:participation_end": "m:24"},
    ),
    # --- supported employment from a KIS (art. 16, 2022 wording) ---
    Scenario(
        "kis-sw-three-month-non-graduate",
        "art. 16: not to a three-month non-graduate",
        "kis",
        ago(5),
        [
            *KIS_ACTIVE,
            (CW, {"type": "complete_kis", "on": 90}),
            (CW, {"type": "refer", "to": "supported_employment", "on": 91}),
        ],
        status=409,
        code="too_early_for_supported_employment",
    ),
    Scenario(
        "kis-sw-participant-after-6-months",
        "art. 16: a KIS participant after six months",
        "kis",
        ago(8),
        [*KIS_ACTIVE, (CW, {"type": "refer", "to": "supported_employment", "on": "m:6"})],
        state={"stage": "supported_employment", "deadline:outcome_window": "m:6+on:90"},
    ),
    # --- outcomes (§6.1, §10) ---
    Scenario(
        "kis-outcome-open-ended",
        "§10: an open-ended contract is at least 3 months",
        "kis",
        ago(3),
        [
            *KIS_ACTIVE,
            (CW, {"type": "complete_kis", "on": 60}),
            (
                CW,
                {
                    "type": "record_outcome",
                    "employed": True,
                    "contract_type": "employment",
                    "open_ended": True,
                    "fte": "0.5",
                    "on": 70,
                },
            ),
        ],
        state={"stage": "closed", "outcome": "employed"},
    ),
    Scenario(
        "kis-outcome-civil-law",
        "§6.1: a civil-law contract of 3 months counts [V: value conditions]",
        "kis",
        ago(3),
        [
            *KIS_ACTIVE,
            (CW, {"type": "complete_kis", "on": 60}),
            (
                CW,
                {
                    "type": "record_outcome",
                    "employed": True,
                    "contract_type": "civil_law",
                    "contract_months": 3,
                    "on": 70,
                },
            ),
        ],
        state={"stage": "closed", "outcome": "employed"},
    ),
    Scenario(
        "kis-outcome-late-evidence",
        "§10: evidence dated inside the window, recorded after it closed",
        "kis",
        ago(12),
        [
            *KIS_ACTIVE,
            (CW, {"type": "complete_kis", "on": 200}),
            ("settled", {"stage": "closed"}),
            (
                CW,
                {
                    "type": "record_outcome",
                    "employed": True,
                    "self_employed": True,
                    "on": 250,
                },
            ),
        ],
        state={"stage": "closed", "outcome": "employed"},
    ),
    # --- benefits (art. 15; §2.6, §2.13) ---
    Scenario(
        "benefit-2021-admission-paid-120-in-2022",
        "§10: 120 % for the month paid for, whenever admitted (1,240.80 x 1.2)",
        "cis",
        date(2021, 11, 15),
        [*MAIN, ("benefits", {"month": "2022-01"})],
        state={"total": "1488.96", "main_rate_pct": "120"},
    ),
    Scenario(
        "benefit-sick-spell-over-a-weekend",
        "§2.6, art. 15 ust. 7a: Friday to Monday is one spell of four days",
        "cis",
        date(2025, 1, 2),
        [
            *MAIN,
            (CW, {"type": "record_absence", "kind": "sick", "on": 64}),  # Fri 7 Mar 2025
            (CW, {"type": "record_absence", "kind": "sick", "on": 67}),  # Mon 10 Mar 2025
            ("benefits", {"month": "2025-03"}),
        ],
        state={"total": "1795.18"},  # 1,994.64 less 4 x 1/40
    ),
    Scenario(
        "benefit-2022-trial",
        "§2.6: 120 % from the first day (2025: 1,994.64)",
        "cis",
        date(2025, 1, 15),
        [*ADMITTED, ("benefits", {"month": "2025-02"})],
        state={"total": "1994.64"},
    ),
    Scenario(
        "benefit-old-trial",
        "§2.13: 50 % in the trial month before 2022",
        "cis",
        OLD,
        [*ADMITTED, ("benefits", {"month": "2021-03"})],
        state={"total": "600.00"},
    ),
    Scenario(
        "supervisor-does-casework",
        "DESIGN §1: the head may record any step",
        "kis",
        ago(1),
        [(SV, {"type": "record_diagnosis"})],
        state={"stage": "kis_diagnosed"},
    ),
]


def start_of(scenario: Scenario, today: date) -> date:
    """The scenario's start date, were today `today`."""
    return scenario.start.before(today) if isinstance(scenario.start, Ago) else scenario.start


def _date(spec: Any, start: date) -> str:
    """`on:N` days after the start, `m:N` N months after it (`m:N-1` less a day), `on:A+m:B`."""
    if isinstance(spec, int):
        return add_days(start, spec).isoformat()
    day = start
    for part in str(spec).split("+"):
        kind, _, amount = part.partition(":")
        if kind == "on":
            day = add_days(day, int(amount))
        else:
            months, _, minus = amount.partition("-")
            day = add_days(add_months(day, int(months)), -int(minus or 0))
    return day.isoformat()


def _body(raw: dict[str, Any], start: date) -> dict[str, Any]:
    body = {k: v for k, v in raw.items() if k != "on"}
    if "on" in raw:
        body["occurred_on"] = _date(raw["on"], start)
    if "review_on" in body:
        body["review_on"] = _date(body["review_on"], start)
    return body


async def _play(
    api: httpx.AsyncClient, staff: Staff, scenario: Scenario, start: date
) -> httpx.Response:
    headers = {CW: staff.caseworker, SV: staff.supervisor}
    participant = await api.post("/participants", json=person(), headers=staff.caseworker)
    opened = await api.post(
        f"/participants/{participant.json()['id']}/pathways",
        headers=staff.caseworker,
        json={"programme": scenario.programme, "start_date": start.isoformat()},
    )
    assert opened.status_code == 201, opened.text
    url = f"/pathways/{opened.json()['id']}"
    answer = opened
    for index, (who, raw) in enumerate(scenario.steps):
        if index:
            assert answer.status_code in (200, 201), (scenario.steps[index - 1], answer.text)
        if who == "settled":  # timers act just after a step's answer; read once they have
            answer = await _settled(api, staff, url, raw["stage"])
        elif who == "benefits":
            answer = await api.get(f"{url}/benefits", params=raw, headers=staff.caseworker)
        else:
            answer = await api.post(f"{url}/actions", json=_body(raw, start), headers=headers[who])
    return answer


async def _settled(api: httpx.AsyncClient, staff: Staff, url: str, stage: str) -> httpx.Response:
    async def reached() -> httpx.Response | None:
        answer = await api.get(url, headers=staff.caseworker)
        return answer if answer.json()["stage"] == stage else None

    return await eventually(reached)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
async def test_legal_scenario(api: httpx.AsyncClient, staff: Staff, scenario: Scenario) -> None:
    start = start_of(scenario, local_today())
    answer = await _play(api, staff, scenario, start)
    assert answer.status_code == scenario.status, (scenario.rule, answer.text)
    body = answer.json()
    if scenario.code:
        assert body["error"]["code"] == scenario.code, scenario.rule
    deadlines = {d["kind"]: d["due_on"] for d in body.get("deadlines", [])}
    for key, expected in scenario.state.items():
        if key.startswith("deadline:"):
            assert deadlines.get(key[9:]) == _date(expected, start), (key, scenario.rule)
        elif key == "no-deadline":
            assert expected not in deadlines, scenario.rule
        elif key == "last_flag":
            assert body["timeline"][-1]["data"].get("flag") == expected, scenario.rule
        else:
            assert body[key] == expected, (key, scenario.rule)


def test_the_table_is_long_enough_and_every_row_cites_its_rule() -> None:
    assert len(SCENARIOS) >= 40
    assert all(s.rule and s.id for s in SCENARIOS)
    assert len({s.id for s in SCENARIOS}) == len(SCENARIOS)
