"""Issue 12, "the law, right to the day and to the grosz", as pure rules (domain.md §10)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.actions import ACTION_ADAPTER
from domain.benefits import benefit_statement, sick_spells
from domain.calendar import period_end
from domain.deadlines import reach_deadlines
from domain.eligibility import Exclusion
from domain.errors import Forbidden, StepNotAllowed
from domain.pathway import DeadlineKind, EligibilityChange, PathwayState, StepRequest
from domain.public_holidays import is_day_off
from domain.roles import Role
from domain.stages import Programme, Stage
from domain.steps import note_eligibility, start_pathway, take_step

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PENSION = Exclusion.INCAPACITY_PENSION
HEAD = {"sign_ipzs", "pass_trial", "complete_cis", "terminate", "grant_day_off", "extend"}


def step(
    state: PathwayState, type_: str, on: date, role: Role | None = None, **fields: Any
) -> PathwayState:
    who = role or (Role.SUPERVISOR if type_ in HEAD else Role.CASEWORKER)
    action = ACTION_ADAPTER.validate_python({"type": type_, "occurred_on": on, **fields})
    return take_step(state, StepRequest(action=action, actor="ewa", role=who), NOW)


def cis(admitted: date, passed: date | None = None) -> PathwayState:
    state = start_pathway("pw", "pt", Programme.CIS, admitted, NOW)
    state = step(state, "sign_ipzs", admitted)
    return step(state, "pass_trial", passed) if passed else state


def due(state: PathwayState) -> dict[DeadlineKind, date]:
    return {d.kind: d.due_on for d in state.deadlines}


def reduced_and_beyond(statement: Any) -> tuple[int, int]:
    days = {d.reason: d.days for d in statement.deductions}
    return days.get("sick_days_reduced", 0), days.get("sick_days_beyond_cap", 0)


# --- periods (art. 112 k.c.) --------------------------------------------------------------------


def every_day(year: int) -> list[date]:
    return [date(year, 1, 1) + timedelta(days=n) for n in range(366 if year % 4 == 0 else 365)]


@pytest.mark.parametrize("year", [2023, 2024])  # a common and a leap year, every day of each
def test_a_period_of_months_ends_on_the_matching_day_or_the_last_day_of_the_month(
    year: int,
) -> None:
    for start in every_day(year):
        for months in (1, 6, 11, 12, 18, 24):
            end = period_end(start, months)
            year_index, month_index = divmod(start.year * 12 + start.month - 1 + months, 12)
            assert (end.year, end.month) == (year_index, month_index + 1)
            last_day = calendar.monthrange(end.year, end.month)[1]
            assert end.day == min(start.day, last_day)  # never a day lost, never the 27th


@pytest.mark.parametrize("year", [2023, 2024])
def test_kis_and_cis_count_their_periods_alike(year: int) -> None:
    for start in every_day(year):
        kis = start_pathway("k", "p", Programme.KIS, start, NOW)
        admitted = cis(start)
        assert due(kis)[DeadlineKind.KIS_SIX_MONTHS] == period_end(start, 6)
        assert due(admitted)[DeadlineKind.TRIAL_END] == period_end(start, 1)
        assert due(admitted)[DeadlineKind.PARTICIPATION_END] == period_end(start, 12)


def test_the_ministry_reading_and_the_missing_day() -> None:
    assert due(cis(date(2025, 1, 1)))[DeadlineKind.TRIAL_END] == date(2025, 2, 1)
    assert due(cis(date(2024, 1, 31)))[DeadlineKind.TRIAL_END] == date(2024, 2, 29)
    assert due(cis(date(2023, 1, 31)))[DeadlineKind.TRIAL_END] == date(2023, 2, 28)


@given(st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 6, 30)))
def test_follow_up_and_commitment_use_the_same_period(job_on: date) -> None:
    state = cis(job_on - timedelta(days=60), job_on - timedelta(days=40))
    follow = step(state, "record_job_start", job_on)
    assert due(follow)[DeadlineKind.FOLLOW_UP_END] == period_end(job_on, 6)


# --- rules in force on the day they apply to -----------------------------------------------------


def test_a_participant_admitted_in_2021_is_paid_120_percent_from_january_2022() -> None:
    state = cis(date(2021, 11, 15), date(2021, 12, 1))
    december = benefit_statement(state, 2021, 12)
    january = benefit_statement(state, 2022, 1)
    assert (december.main_rate_pct, december.total) == (Decimal(100), Decimal("1240.80"))
    # 120 % of PLN 1,240.80 = PLN 1,488.96: the "PLN 1,489" of 2022 (domain.md §2.6).
    assert (january.main_rate_pct, january.total) == (Decimal(120), Decimal("1488.96"))
    assert january.rulebook == "uzs-2022-benefit"


def sick_run(state: PathwayState, first: date, days: int) -> PathwayState:
    for n in range(days):
        state = step(state, "record_absence", first + timedelta(days=n), kind="sick")
    return state


def test_the_21_day_sick_rule_reaches_those_admitted_before_the_amendment() -> None:
    # Art. 10 of the amending act: everyone still taking part on 15 Feb 2022.
    admitted_2021 = cis(date(2021, 9, 1), date(2021, 9, 20))
    march_2022 = benefit_statement(sick_run(admitted_2021, date(2022, 3, 1), 18), 2022, 3)
    assert reduced_and_beyond(march_2022) == (18, 0)
    november_2021 = benefit_statement(sick_run(admitted_2021, date(2021, 11, 1), 18), 2021, 11)
    assert reduced_and_beyond(november_2021) == (14, 4)


def test_an_extension_decided_after_the_amendment_may_reach_24_months() -> None:
    state = cis(date(2021, 10, 1), date(2021, 10, 20))
    extended = step(state, "extend", date(2022, 9, 1), months=12, justification="job coaching")
    assert due(extended)[DeadlineKind.PARTICIPATION_END] == date(2023, 10, 1)


# --- CIS ---------------------------------------------------------------------------------------


def test_days_off_only_in_the_main_period() -> None:
    trial = cis(date(2025, 3, 3))
    with pytest.raises(StepNotAllowed):
        step(trial, "grant_day_off", date(2025, 3, 10))
    main = step(trial, "pass_trial", date(2025, 3, 31))
    assert step(main, "grant_day_off", date(2025, 4, 1)).cis is not None


def test_a_weekend_inside_a_sick_leave_does_not_start_a_new_spell() -> None:
    friday, monday = date(2025, 3, 7), date(2025, 3, 10)
    assert sick_spells([friday, monday]) == [[friday + timedelta(days=n) for n in range(4)]]
    # A holiday between: Wednesday 30 April, 1 May (holiday), Friday 2 May 2025.
    assert len(sick_spells([date(2025, 4, 30), date(2025, 5, 2)])[0]) == 3
    # A working day with nothing recorded between: two spells.
    assert len(sick_spells([date(2025, 3, 3), date(2025, 3, 5)])) == 2


def test_the_cap_counts_calendar_days_of_one_spell() -> None:
    state = cis(date(2025, 1, 2), date(2025, 1, 20))
    # Sick on every working day of five weeks from Monday 3 March: 33 calendar days, one spell.
    day = date(2025, 3, 3)
    while day <= date(2025, 4, 4):
        if day.weekday() < 5:
            state = step(state, "record_absence", day, kind="sick")
        day += timedelta(days=1)
    march, april = benefit_statement(state, 2025, 3), benefit_statement(state, 2025, 4)
    assert reduced_and_beyond(march) == (21, 8)  # 3-23 March reduced, 24-31 beyond
    assert reduced_and_beyond(april) == (0, 4)


def test_the_heads_acts_are_prepared_by_a_caseworker_and_taken_by_the_head() -> None:
    referred = start_pathway("pw", "pt", Programme.CIS, date(2025, 3, 3), NOW)
    with pytest.raises(Forbidden):
        step(referred, "sign_ipzs", date(2025, 3, 3), role=Role.CASEWORKER)
    with pytest.raises(StepNotAllowed):
        step(referred, "prepare_decision", date(2025, 3, 3), decision="pass_trial")
    prepared = step(referred, "prepare_decision", date(2025, 3, 3), decision="sign_ipzs")
    assert due(prepared)[DeadlineKind.HEAD_DECISION] == date(2025, 3, 3)
    admitted = step(prepared, "sign_ipzs", date(2025, 3, 4))
    assert DeadlineKind.HEAD_DECISION not in due(admitted)
    for act in ("pass_trial", "complete_cis"):
        with pytest.raises(Forbidden):
            step(admitted, act, date(2025, 3, 20), role=Role.CASEWORKER)


# --- supported employment and outcomes ----------------------------------------------------------


def kis(start: date, completed: date | None = None, fulfilled: bool = False) -> PathwayState:
    state = start_pathway("pw", "pt", Programme.KIS, start, NOW)
    state = step(state, "record_diagnosis", start)
    state = step(state, "sign_social_contract", start)
    if fulfilled:
        state = step(state, "mark_contract_fulfilled", start)
    return step(state, "complete_kis", completed) if completed else state


def test_supported_employment_from_a_kis_after_six_months_or_to_a_graduate() -> None:
    start = date(2025, 1, 10)
    with pytest.raises(StepNotAllowed) as refused:  # three months, no graduate
        step(kis(start, date(2025, 4, 10)), "refer", date(2025, 4, 11), to="supported_employment")
    assert refused.value.code == "too_early_for_supported_employment"
    with pytest.raises(StepNotAllowed):
        step(kis(start), "refer", date(2025, 7, 9), to="supported_employment")
    active = step(kis(start), "refer", date(2025, 7, 10), to="supported_employment")
    assert active.stage is Stage.SUPPORTED_EMPLOYMENT
    assert DeadlineKind.OUTCOME_WINDOW in due(active)  # leaving the KIS is an exit
    graduate = kis(start, date(2025, 7, 10), fulfilled=True)
    assert graduate.graduate
    assert step(graduate, "refer", date(2025, 7, 11), to="supported_employment").stage is (
        Stage.SUPPORTED_EMPLOYMENT
    )


def test_supported_employment_counts_as_employment_and_outlives_the_window() -> None:
    state = cis(date(2025, 1, 2), date(2025, 1, 20))
    state = step(state, "complete_cis", date(2025, 12, 1))
    state = step(state, "refer", date(2025, 12, 2), to="supported_employment")
    signed = step(state, "record_employer_agreement", date(2026, 1, 15), employer="Piekarnia")
    assert signed.outcome == "employed"
    assert due(signed) == {DeadlineKind.COMMITMENT_END: date(2026, 7, 15)}
    after_window = reach_deadlines(signed, datetime(2026, 4, 1, tzinfo=UTC))
    assert after_window.stage is Stage.SUPPORTED_EMPLOYMENT
    ended = reach_deadlines(signed, datetime(2026, 7, 16, tzinfo=UTC))
    assert ended.stage is Stage.CLOSED and ended.deadlines == []


@pytest.mark.parametrize(
    ("work", "classified"),
    [
        ({"contract_type": "employment", "open_ended": True, "fte": "0.5"}, "employed"),
        ({"contract_type": "employment", "contract_months": 2, "fte": "1"},
         "employed_not_qualifying"),
        ({"contract_type": "civil_law", "contract_months": 3}, "employed"),
        ({"contract_type": "self_employment"}, "employed"),
        ({"open_ended": True, "fte": "0.25"}, "employed_not_qualifying"),
    ],
)  # fmt: skip
def test_an_open_ended_contract_is_not_no_length(work: dict[str, Any], classified: str) -> None:
    left = step(kis(date(2025, 1, 10)), "withdraw", date(2025, 3, 1))
    recorded = step(left, "record_outcome", date(2025, 4, 1), employed=True, **work)
    assert recorded.timeline[-1].data["classified_as"] == classified
    assert recorded.timeline[-1].data["contract_type"] == work.get("contract_type", "employment")


# --- eligibility (art. 1 ust. 3, 3a) ------------------------------------------------------------


def test_exclusions_bar_a_cis_and_all_but_the_incapacity_pension_bar_a_kis() -> None:
    with pytest.raises(StepNotAllowed) as refused:
        start_pathway("p", "q", Programme.CIS, date(2025, 3, 3), NOW, [PENSION])
    assert refused.value.code == "excluded_from_cis"
    assert "art. 1 ust. 3 pkt 6" in refused.value.message
    with pytest.raises(StepNotAllowed) as barred:
        start_pathway("p", "q", Programme.KIS, date(2025, 3, 3), NOW, [Exclusion.OLD_AGE_PENSION])
    assert barred.value.code == "excluded_from_kis"
    kis_ok = start_pathway("p", "q", Programme.KIS, date(2025, 3, 3), NOW, [PENSION])
    assert kis_ok.exclusions == [PENSION]  # art. 1 ust. 3a
    diagnosed = step(kis_ok, "record_diagnosis", date(2025, 3, 4))
    with pytest.raises(StepNotAllowed) as to_cis:
        step(diagnosed, "refer", date(2025, 3, 5), to="cis")
    assert to_cis.value.code == "excluded_from_cis"


def test_a_right_arising_during_participation_is_a_task_never_an_exit() -> None:
    state = cis(date(2025, 3, 3), date(2025, 3, 31))
    change = EligibilityChange(
        exclusions=[Exclusion.UNEMPLOYMENT_BENEFIT], occurred_on=date(2025, 5, 5)
    )
    changed = note_eligibility(state, change, NOW)
    assert changed.stage is Stage.CIS_MAIN
    assert due(changed)[DeadlineKind.ELIGIBILITY_REVIEW] == date(2025, 5, 5)
    assert changed.timeline[-1].type == "eligibility_changed"
    cleared = note_eligibility(
        changed, EligibilityChange(exclusions=[], occurred_on=date(2025, 5, 9)), NOW
    )
    assert DeadlineKind.ELIGIBILITY_REVIEW not in due(cleared)
    referred = start_pathway("pw", "pt", Programme.CIS, date(2025, 3, 3), NOW)
    barred = note_eligibility(referred, change, NOW)
    with pytest.raises(StepNotAllowed) as refused:
        step(barred, "sign_ipzs", date(2025, 5, 6))
    assert refused.value.code == "excluded_from_cis"


def test_pathways_started_before_keep_the_first_version_of_the_rules() -> None:
    """Law version 1 (workflows started before these rules, `workflow.patched`) replays as it
    was recorded: periods a day shorter, the head's acts open to caseworkers, the complaint
    window from the decision."""
    referred = start_pathway("pw", "pt", Programme.CIS, date(2025, 1, 31), NOW)
    old = referred.model_copy(update={"law_version": 1})
    admitted = step(old, "sign_ipzs", date(2025, 1, 31), role=Role.CASEWORKER)
    assert due(admitted)[DeadlineKind.TRIAL_END] == date(2025, 2, 27)
    trial_day_off = step(admitted, "grant_day_off", date(2025, 2, 3))
    passed = step(trial_day_off, "pass_trial", date(2025, 2, 20), role=Role.CASEWORKER)
    ended = step(passed, "terminate", date(2025, 3, 3), ground="breach")
    assert due(ended)[DeadlineKind.COMPLAINT_WINDOW] == date(2025, 4, 2)


@given(st.sets(st.dates(min_value=date(2024, 12, 1), max_value=date(2025, 2, 28)), max_size=40))
def test_sick_spells_partition_the_days_and_bridge_only_days_off(sick: set[date]) -> None:
    spells = sick_spells(list(sick))
    covered = [day for spell in spells for day in spell]
    assert sick <= set(covered) and len(covered) == len(set(covered))
    for spell in spells:
        assert spell == [spell[0] + timedelta(days=n) for n in range(len(spell))]  # calendar days
        assert spell[0] in sick and spell[-1] in sick
        assert all(day in sick or is_day_off(day) for day in spell)  # only days off bridged
    for earlier, later in pairwise(spells):
        gap = [earlier[-1] + timedelta(days=n) for n in range(1, (later[0] - earlier[-1]).days)]
        assert any(not is_day_off(day) for day in gap)  # a working day with nothing recorded
