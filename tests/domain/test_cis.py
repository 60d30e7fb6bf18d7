"""The CIS episode as pure rules (u.z.s. art. 12-16; domain.md §2.2-§2.9, §9.5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.actions import ACTION_ADAPTER
from domain.attendance import weeks_outside_hours
from domain.benefits import benefit_statement
from domain.errors import Conflict, Forbidden, InvalidInput, StepNotAllowed
from domain.pathway import DeadlineKind, PathwayState, StepRequest
from domain.roles import Role
from domain.stages import Programme, Stage
from domain.steps import allowed_actions, start_pathway, take_step

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# The head's acts (domain.md §10; art. 12 ust. 4, 13 ust. 4 and 5a, 15, 15a).
SUPERVISOR_STEPS = {
    "sign_ipzs",
    "pass_trial",
    "complete_cis",
    "extend",
    "grant_day_off",
    "award_bonus",
    "terminate",
}


def step(state: PathwayState, type_: str, on: date, **fields: Any) -> PathwayState:
    role = Role.SUPERVISOR if type_ in SUPERVISOR_STEPS else Role.CASEWORKER
    action = ACTION_ADAPTER.validate_python({"type": type_, "occurred_on": on, **fields})
    return take_step(state, StepRequest(action=action, actor="ewa", role=role), NOW)


def admitted(on: date = date(2025, 1, 15)) -> PathwayState:
    state = start_pathway(
        "pw", "pt", Programme.CIS, date(2025, 1, 2) if on.year > 2022 else on, NOW
    )
    return step(state, "sign_ipzs", on, summary="vocational + social reintegration")


def main_period(on: date = date(2025, 1, 15), passed: date = date(2025, 2, 10)) -> PathwayState:
    return step(admitted(on), "pass_trial", passed)


def due(state: PathwayState) -> dict[DeadlineKind, date]:
    return {d.kind: d.due_on for d in state.deadlines}


def test_the_ipzs_admits_to_a_trial_of_a_month_within_twelve_months() -> None:
    state = admitted()
    assert state.stage is Stage.CIS_TRIAL and state.rulebook_key == "uzs-2022"
    # Art. 112 k.c.: a month from 15 January ends on 15 February (domain.md §10 "periods").
    assert due(state) == {
        DeadlineKind.TRIAL_END: date(2025, 2, 15),
        DeadlineKind.PARTICIPATION_END: date(2026, 1, 15),
        DeadlineKind.EXTENSION_DECISION: date(2025, 12, 16),
    }
    passed = step(state, "pass_trial", date(2025, 2, 10))
    assert passed.stage is Stage.CIS_MAIN and DeadlineKind.TRIAL_END not in due(passed)


def test_the_rules_of_the_day_of_admission_are_recorded_on_admission() -> None:
    referred = start_pathway("pw", "pt", Programme.CIS, date(2022, 2, 1), NOW)
    assert referred.rulebook_key == "uzs-2022-benefit"  # the 120 % benefit since 1 Jan 2022
    assert step(referred, "sign_ipzs", date(2022, 2, 15)).rulebook_key == "uzs-2022"


@pytest.mark.parametrize(
    ("admission", "allowed", "end_after_max"),
    [(date(2025, 1, 15), 12, date(2027, 1, 15)), (date(2021, 6, 1), 6, date(2022, 12, 1))],
)
def test_extensions_stop_at_the_rulebook_cap(
    admission: date, allowed: int, end_after_max: date
) -> None:
    state = step(
        main_period(admission, admission.replace(day=20)),
        "extend",
        admission.replace(month=12 if admission.month < 12 else 11),
        months=allowed,
        justification="job coaching",
    )
    assert state.stage is Stage.CIS_EXTENDED
    assert due(state)[DeadlineKind.PARTICIPATION_END] == end_after_max
    with pytest.raises(Conflict) as refused:
        step(state, "extend", admission.replace(month=12), months=1, justification="more")
    assert refused.value.code == "limit_exceeded"


def test_a_participation_that_has_ended_cannot_be_extended() -> None:
    with pytest.raises(StepNotAllowed) as refused:
        step(main_period(), "extend", date(2026, 1, 16), months=1, justification="late")
    assert refused.value.code == "participation_ended"


@pytest.mark.parametrize(
    ("admission", "days_off"), [(date(2025, 1, 15), 12), (date(2021, 6, 1), 6)]
)
def test_days_off_stop_at_the_rulebook_cap(admission: date, days_off: int) -> None:
    state = main_period(admission, admission.replace(day=20))
    for _ in range(days_off):
        state = step(state, "grant_day_off", admission.replace(month=admission.month + 1))
    with pytest.raises(Conflict) as refused:
        step(state, "grant_day_off", admission.replace(month=admission.month + 1))
    assert refused.value.details == {"used": days_off, "max": days_off}


def test_a_caseworker_cannot_take_the_heads_decisions() -> None:
    state = main_period()
    heads_steps: list[tuple[str, dict[str, Any]]] = [
        ("extend", {"months": 1, "justification": "x" * 3}),
        ("grant_day_off", {}),
        ("award_bonus", {"amount": "10"}),
        ("terminate", {"ground": "breach", "reason": "persistent breach"}),
        ("complete_cis", {}),
    ]
    for type_, fields in heads_steps:
        action = ACTION_ADAPTER.validate_python({"type": type_, **fields})
        with pytest.raises(Forbidden):
            take_step(state, StepRequest(action=action, actor="a", role=Role.CASEWORKER), NOW)
    in_main = SUPERVISOR_STEPS - {"sign_ipzs", "pass_trial"}  # those two are behind
    assert set(allowed_actions(state, Role.SUPERVISOR)) >= in_main
    assert not SUPERVISOR_STEPS & set(allowed_actions(state, Role.CASEWORKER))


def test_no_bonus_in_the_trial_and_at_most_the_rulebook_share_of_the_benefit() -> None:
    with pytest.raises(StepNotAllowed):
        step(admitted(), "award_bonus", date(2025, 2, 1), amount="10")
    # 2025-03: unemployment benefit 1,662.20; 120 % = 1,994.64; cap 100 % of it.
    state = step(main_period(), "award_bonus", date(2025, 3, 3), amount="1994.00")
    state = step(state, "award_bonus", date(2025, 3, 4), amount="0.64")
    with pytest.raises(Conflict):
        step(state, "award_bonus", date(2025, 3, 5), amount="0.01")
    # Before 2022 the cap was 50 % of a benefit of 100 %: 620.40 of 1,240.80 (2021-09).
    old = main_period(date(2021, 6, 1), date(2021, 6, 20))
    step(old, "award_bonus", date(2021, 9, 1), amount="620.40")
    with pytest.raises(Conflict):
        step(old, "award_bonus", date(2021, 9, 1), amount="620.41")


def test_consecutive_unexcused_days_raise_a_review_task_not_an_exit() -> None:
    state = main_period()
    for day in range(1, 10):
        state = step(state, "record_absence", date(2025, 3, day), kind="unexcused")
    assert DeadlineKind.ABANDONMENT_REVIEW not in due(state)
    state = step(state, "record_absence", date(2025, 3, 10), kind="unexcused")
    assert due(state)[DeadlineKind.ABANDONMENT_REVIEW] == date(2025, 3, 10)
    assert state.stage is Stage.CIS_MAIN
    back = step(state, "record_attendance", date(2025, 3, 11), hours="6")
    assert DeadlineKind.ABANDONMENT_REVIEW not in due(back)


def test_a_week_over_forty_hours_is_flagged_not_refused() -> None:
    state = main_period()
    for day in range(3, 7):  # Monday 3 March to Thursday 6 March 2025
        state = step(state, "record_attendance", date(2025, 3, day), hours="10")
    friday = step(state, "record_attendance", date(2025, 3, 7), hours="2")
    assert friday.timeline[-1].data == {
        "hours": "2",
        "kind": "group",
        "week_hours": "42",
        "flag": "week_over_maximum",
    }
    assert "flag" not in state.timeline[-1].data


def test_a_job_start_leads_to_six_months_of_follow_up_then_the_certificate() -> None:
    state = step(main_period(), "record_job_start", date(2025, 5, 20), contract_months=12, fte="1")
    assert state.stage is Stage.CIS_FOLLOW_UP
    assert due(state) == {DeadlineKind.FOLLOW_UP_END: date(2025, 11, 20)}
    done = step(state, "complete_cis", date(2025, 11, 20))
    assert (done.stage, done.graduate) == (Stage.CIS_COMPLETED, True)
    assert due(done) == {DeadlineKind.OUTCOME_WINDOW: date(2026, 2, 18)}


def test_termination_states_its_reasons_and_the_complaint_window_runs_from_delivery() -> None:
    with pytest.raises(InvalidInput) as refused:
        step(main_period(), "terminate", date(2025, 6, 2), ground="abandonment")
    assert refused.value.code == "reasons_required"
    state = step(
        main_period(), "terminate", date(2025, 6, 2), ground="abandonment", reason="10 days away"
    )
    assert state.stage is Stage.TERMINATED and state.exit_kind == "terminated_abandonment"
    assert due(state) == {DeadlineKind.OUTCOME_WINDOW: date(2025, 8, 31)}  # no window yet
    delivered = step(state, "record_decision_delivery", date(2025, 6, 9))
    assert due(delivered) == {
        DeadlineKind.COMPLAINT_WINDOW: date(2025, 7, 9),
        DeadlineKind.OUTCOME_WINDOW: date(2025, 8, 31),
    }
    with pytest.raises(StepNotAllowed):
        step(delivered, "record_decision_delivery", date(2025, 6, 10))


def test_supported_employment_not_before_six_months_of_participation() -> None:
    with pytest.raises(StepNotAllowed) as refused:
        step(main_period(), "refer", date(2025, 7, 14), to="supported_employment")
    assert refused.value.code == "too_early_for_supported_employment"
    state = step(main_period(), "refer", date(2025, 7, 15), to="supported_employment")
    assert state.stage is Stage.SUPPORTED_EMPLOYMENT
    assert due(state) == {DeadlineKind.OUTCOME_WINDOW: date(2025, 10, 13)}
    signed = step(state, "record_employer_agreement", date(2025, 8, 1), employer="Firma")
    assert due(signed)[DeadlineKind.COMMITMENT_END] == date(2026, 2, 1)  # 6 months since 2022
    old = step(
        main_period(date(2021, 3, 1), date(2021, 3, 20)),
        "refer",
        date(2021, 9, 1),
        to="supported_employment",
    )
    old_signed = step(old, "record_employer_agreement", date(2021, 9, 10))
    assert due(old_signed)[DeadlineKind.COMMITMENT_END] == date(2022, 9, 10)  # 12 before 2022


def test_a_kis_participant_is_referred_to_a_cis_and_starts_afresh() -> None:
    kis = start_pathway("pw", "pt", Programme.KIS, date(2025, 1, 2), NOW)
    kis = step(kis, "record_diagnosis", date(2025, 1, 3))
    referred = step(kis, "refer", date(2025, 2, 1), to="cis")
    assert (referred.programme, referred.stage) == (Programme.CIS, Stage.CIS_REFERRED)
    assert referred.deadlines == [] and referred.cis is not None
    with pytest.raises(StepNotAllowed) as refused:
        step(kis, "refer", date(2025, 2, 1), to="cooperative")
    assert refused.value.code == "referral_not_allowed"


def test_the_benefit_is_pro_rata_at_the_rulebooks_rates() -> None:
    state = admitted()  # 15 Jan 2025; 17 of 31 days at 120 % of 1,662.20
    january = benefit_statement(state, 2025, 1)
    assert (january.trial_days, january.main_days, january.benefit) == (17, 0, Decimal("1093.83"))
    assert benefit_statement(state, 2025, 2).total == Decimal("1994.64")
    assert benefit_statement(state, 2025, 6).unemployment_benefit == Decimal("1721.90")
    # Before 2022: 50 % in the trial month, 100 % after (base 1,200.00 until June 2021).
    old = admitted(date(2021, 3, 1))
    assert benefit_statement(old, 2021, 3).total == Decimal("600.00")
    assert benefit_statement(
        main_period(date(2021, 3, 1), date(2021, 3, 25)), 2021, 4
    ).total == Decimal("1200.00")


def test_deductions_follow_the_rulebooks_policy() -> None:
    state = main_period()
    state = step(state, "record_absence", date(2025, 3, 3), kind="unexcused")
    state = step(state, "record_absence", date(2025, 3, 4), kind="unexcused")
    march = benefit_statement(state, 2025, 3)
    assert [(d.reason, d.days, d.amount) for d in march.deductions] == [
        ("unexcused_days", 2, Decimal("199.46"))
    ]
    assert march.total == Decimal("1795.18")
    for day in (5, 6):
        state = step(state, "record_absence", date(2025, 3, day), kind="unexcused")
    assert benefit_statement(state, 2025, 3).total == Decimal("0.00")  # more than 3: no benefit
    sick = step(main_period(), "record_absence", date(2025, 4, 1), kind="sick")
    april = benefit_statement(sick, 2025, 4)
    assert [(d.reason, d.amount) for d in april.deductions] == [
        ("sick_days_reduced", Decimal("49.87"))
    ]


def test_no_benefit_during_follow_up_and_bonuses_are_added() -> None:
    state = step(main_period(), "award_bonus", date(2025, 5, 5), amount="100")
    state = step(state, "record_job_start", date(2025, 5, 21))
    may = benefit_statement(state, 2025, 5)
    assert (may.main_days, may.bonus) == (20, Decimal("100.00"))
    assert may.total == Decimal("1386.86")  # 1,994.64 x 20/31 = 1,286.86, + 100
    assert benefit_statement(state, 2025, 6).total == Decimal("0.00")


def test_whole_weeks_outside_thirty_to_forty_hours_are_flagged_once_over() -> None:
    state = main_period(date(2025, 1, 15), date(2025, 1, 16))  # admitted on a Wednesday
    plan = {
        date(2025, 1, 20): ["8"] * 4,  # W04: 32 h, fine
        date(2025, 1, 27): ["5"] * 5,  # W05: 25 h, short
        date(2025, 2, 3): ["6"] * 3,  # W06: 18 h, but an absence explains it
        date(2025, 2, 10): ["9"] * 5,  # W07: 45 h, over
    }
    for monday, hours in plan.items():
        for offset, h in enumerate(hours, start=1 if monday == date(2025, 2, 3) else 0):
            state = step(state, "record_attendance", monday + timedelta(days=offset), hours=h)
        if monday == date(2025, 2, 3):
            state = step(state, "record_absence", date(2025, 2, 7), kind="excused")
    flags = weeks_outside_hours(state, date(2025, 2, 17))
    assert [(f.week, f.hours, f.flag) for f in flags] == [
        ("2025-W05", Decimal("25"), "week_under_minimum"),
        ("2025-W07", Decimal("45"), "week_over_maximum"),
    ]
    assert weeks_outside_hours(state, date(2025, 2, 16))[-1].week == "2025-W05"  # W07 not over
    old = main_period(date(2021, 3, 1), date(2021, 3, 2))  # no weekly bounds before 2022
    assert weeks_outside_hours(old, date(2021, 6, 1)) == []
