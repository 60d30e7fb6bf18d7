"""The rulebook as a table of parameters, each with its versions and transitional rule
(domain/law_parameters.py; domain.md §2.13, §9.2, §10)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.law_parameters import AMENDMENT_2022, BENEFIT_RISE, PARAMETERS, DecidingDay
from domain.rulebook import REGIMES, Rulebook, rulebook_by_key, rules_on

BEFORE = AMENDMENT_2022 - timedelta(days=1)


def test_every_number_of_the_rulebook_has_exactly_one_row_with_a_basis() -> None:
    names = [p.name for p in PARAMETERS]
    assert sorted(names) == sorted(set(Rulebook.model_fields) - {"key", "effective_from", "source"})
    for parameter in PARAMETERS:
        assert parameter.basis.strip() and parameter.decided_by in DecidingDay
        days = [since for since, _ in parameter.versions]
        assert days == sorted(days) and len(set(days)) == len(days)


def test_each_version_date_is_a_regime_so_no_change_of_law_goes_unrecorded() -> None:
    version_days = {since for p in PARAMETERS for since, _ in p.versions}
    assert version_days == {since for since, _, _ in REGIMES}


@pytest.mark.parametrize(
    ("field", "before", "after", "since"),
    [
        ("cis_extension_max_months", 6, 12, AMENDMENT_2022),
        ("cis_days_off_max", 6, 12, AMENDMENT_2022),
        ("cis_sick_reduced_days_max", 14, 21, AMENDMENT_2022),
        ("cis_bonus_cap_pct", Decimal(50), Decimal(100), AMENDMENT_2022),
        ("cis_benefit_pct_trial", Decimal(50), Decimal(120), BENEFIT_RISE),
        ("cis_benefit_pct_main", Decimal(100), Decimal(120), BENEFIT_RISE),
        ("sw_employer_commitment_months", 12, 6, AMENDMENT_2022),
        ("cis_daily_hours_min", 6, None, AMENDMENT_2022),
        ("cis_weekly_hours_min", None, 30, AMENDMENT_2022),
        ("cis_weekly_hours_max", None, 40, AMENDMENT_2022),
    ],
)
def test_the_2022_amendment_table(field: str, before: object, after: object, since: date) -> None:
    assert getattr(rules_on(since - timedelta(days=1)), field) == before
    assert getattr(rules_on(since), field) == after


@pytest.mark.parametrize(
    ("field", "decided_by"),
    [
        ("cis_benefit_pct_main", DecidingDay.MONTH_PAID),  # §10: the month paid for
        ("cis_sick_reduced_days_max", DecidingDay.FACT_DAY),  # art. 10 of the amending act
        ("cis_extension_max_months", DecidingDay.DECISION_DAY),
        ("cis_days_off_max", DecidingDay.DECISION_DAY),
        ("sw_employer_commitment_months", DecidingDay.AGREEMENT_DAY),
        ("cis_complaint_window_days", DecidingDay.DELIVERY_DAY),
    ],
)
def test_the_day_that_decides_each_changed_number(field: str, decided_by: DecidingDay) -> None:
    assert next(p for p in PARAMETERS if p.name == field).decided_by is decided_by


def test_rules_the_amending_act_leaves_open_are_marked_uncertain() -> None:
    uncertain = {p.name for p in PARAMETERS if p.uncertain}
    assert {"cis_extension_max_months", "cis_days_off_max", "cis_bonus_cap_pct"} <= uncertain
    assert "cis_sick_reduced_days_max" not in uncertain  # art. 10 decides it


@given(st.dates(min_value=date(2003, 1, 1), max_value=date(2040, 12, 31)))
def test_every_day_gets_the_latest_version_of_every_number(day: date) -> None:
    rules = rules_on(day)
    for parameter in PARAMETERS:
        latest = [value for since, value in parameter.versions if since <= day][-1]
        assert getattr(rules, parameter.name) == latest


def test_total_participation_is_18_then_24_months() -> None:
    for day, total in ((BEFORE, 18), (AMENDMENT_2022, 24)):
        rules = rules_on(day)
        assert rules.cis_base_period_months + rules.cis_extension_max_months == total


@pytest.mark.parametrize("day", [BEFORE, AMENDMENT_2022])
def test_values_unchanged_by_the_amendment(day: date) -> None:
    rules = rules_on(day)
    assert rules.kis_graduate_min_months == 6
    assert rules.cis_trial_max_months == 1
    assert rules.cis_base_period_months == 12
    assert rules.outcome_window_days == 90
    assert rules.outcome_min_contract_months == 3
    assert rules.outcome_min_fte == Decimal("0.5")
    assert (rules.annual_report_due_month, rules.annual_report_due_day) == (3, 31)


def test_a_date_before_the_act_is_refused() -> None:
    assert rules_on(date(2003, 1, 1)).key == "uzs-2003"
    with pytest.raises(InvalidInput) as caught:
        rules_on(date(2002, 12, 31))
    assert caught.value.code == "date_before_the_act"


def test_regimes_are_found_again_by_key() -> None:
    for since, key, _ in REGIMES:
        assert rules_on(since).key == key
        assert rulebook_by_key(key) == rules_on(since)
        assert rules_on(since).effective_from == since


def test_the_readme_lists_every_parameter_with_its_rule() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The law in the engine") :]
    section = section[: section.index("\n## ", 5)]
    for parameter in PARAMETERS:
        row = next(line for line in section.splitlines() if f"`{parameter.name}`" in line)
        assert parameter.decided_by.value in row, parameter.name
        assert ("[V]" in row) == parameter.uncertain, parameter.name
