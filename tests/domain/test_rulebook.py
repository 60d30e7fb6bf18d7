"""Effective-dated rulebooks (domain.md §2.13, §9.2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.rulebook import rulebook_by_key, rulebook_for


def test_the_day_before_the_amendment_keeps_the_old_rules() -> None:
    assert rulebook_for(date(2022, 2, 14)).key != "uzs-2022"


def test_the_amendment_applies_from_15_february_2022() -> None:
    assert rulebook_for(date(2022, 2, 15)).key == "uzs-2022"
    assert rulebook_for(date(2030, 1, 1)).key == "uzs-2022"


@given(st.dates(min_value=date(2003, 1, 1), max_value=date(2022, 2, 14)))
def test_every_day_before_the_amendment_gets_the_old_rules(day: date) -> None:
    assert rulebook_for(day).key == rulebook_for(date(2022, 2, 14)).key


@pytest.mark.parametrize(
    ("field", "before", "after"),
    [
        ("cis_extension_max_months", 6, 12),
        ("cis_days_off_max", 6, 12),
        ("cis_sick_reduced_days_max", 14, 21),
        ("cis_bonus_cap_pct", Decimal(50), Decimal(100)),
        ("cis_benefit_pct_trial", Decimal(50), Decimal(120)),
        ("cis_benefit_pct_main", Decimal(100), Decimal(120)),
        ("sw_employer_commitment_months", 12, 6),
        ("cis_daily_hours_min", 6, None),
        ("cis_weekly_hours_min", None, 30),
        ("cis_weekly_hours_max", None, 40),
    ],
)
def test_the_2022_amendment_table(field: str, before: object, after: object) -> None:
    assert getattr(rulebook_for(date(2022, 2, 14)), field) == before
    assert getattr(rulebook_for(date(2022, 2, 15)), field) == after


def test_total_participation_is_18_then_24_months() -> None:
    for day, total in ((date(2022, 2, 14), 18), (date(2022, 2, 15), 24)):
        rules = rulebook_for(day)
        assert rules.cis_base_period_months + rules.cis_extension_max_months == total


@pytest.mark.parametrize("day", [date(2022, 2, 14), date(2022, 2, 15)])
def test_values_unchanged_by_the_amendment(day: date) -> None:
    rules = rulebook_for(day)
    assert rules.kis_graduate_min_months == 6
    assert rules.cis_trial_max_months == 1
    assert rules.cis_base_period_months == 12
    assert rules.outcome_window_days == 90
    assert rules.outcome_min_contract_months == 3
    assert rules.outcome_min_fte == Decimal("0.5")
    assert (rules.annual_report_due_month, rules.annual_report_due_day) == (3, 31)


def test_a_date_before_the_first_rulebook_is_refused() -> None:
    assert rulebook_for(date(2003, 1, 1)).key == "uzs-2003"
    with pytest.raises(InvalidInput) as caught:
        rulebook_for(date(2002, 12, 31))
    assert caught.value.code == "date_before_the_act"
    with pytest.raises(InvalidInput):
        rulebook_for(date(1990, 1, 1))


def test_rulebooks_are_found_again_by_key() -> None:
    for day in (date(2022, 2, 14), date(2022, 2, 15)):
        rules = rulebook_for(day)
        assert rulebook_by_key(rules.key) == rules
