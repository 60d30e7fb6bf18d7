"""PSU agreements keep their act's caps; hours over a cap are refused with the numbers (§3)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Conflict, InvalidInput
from domain.law_parameters import PSU_PARAMETERS, URPSZ_IN_FORCE
from domain.psu import PsuAgreement, PsuRegime, caps_on, check_hours

OLD = caps_on(date(2025, 5, 31))
NEW = caps_on(URPSZ_IN_FORCE)


def test_an_agreement_keeps_the_regime_of_the_day_it_was_signed() -> None:
    assert (OLD.regime, OLD.weekly_hours_max, OLD.monthly_hours_max) == (
        PsuRegime.PSU_2004_ART73A,
        10,
        40,
    )
    assert (NEW.regime, NEW.weekly_hours_max, NEW.monthly_hours_max) == (
        PsuRegime.URPSZ_2025,
        10,
        None,
    )
    assert all(p.uncertain for p in PSU_PARAMETERS)  # [V] in domain.md §3


def test_the_eleventh_hour_of_a_week_is_refused_with_the_numbers() -> None:
    monday = date(2027, 2, 1)
    logged = [(monday, Decimal(4)), (monday + timedelta(days=2), Decimal(4))]
    check_hours(OLD, logged, monday + timedelta(days=4), Decimal(2))
    with pytest.raises(Conflict) as caught:
        check_hours(OLD, logged, monday + timedelta(days=4), Decimal(3))
    assert caught.value.code == "psu_weekly_cap_exceeded"
    assert caught.value.details == {
        "period": "week",
        "already": "8",
        "requested": "3",
        "cap": "10",
        "regime": "PSU_2004_ART73A",
    }


def test_the_old_monthly_cap() -> None:
    weeks = [(date(2027, 2, 1) + timedelta(weeks=w), Decimal(10)) for w in range(4)]
    with pytest.raises(Conflict) as caught:
        check_hours(OLD, weeks[:4], date(2027, 2, 26), Decimal(1))
    assert caught.value.code in ("psu_weekly_cap_exceeded", "psu_monthly_cap_exceeded")
    with pytest.raises(Conflict) as monthly:
        check_hours(
            OLD,
            [(date(2027, 3, 1) + timedelta(weeks=w), Decimal(10)) for w in range(4)],
            date(2027, 3, 29),
            Decimal(1),
        )
    assert monthly.value.code == "psu_monthly_cap_exceeded"
    assert monthly.value.details["cap"] == "40"
    check_hours(
        NEW,
        [(date(2027, 3, 1) + timedelta(weeks=w), Decimal(10)) for w in range(4)],
        date(2027, 3, 29),
        Decimal(1),
    )


@given(st.lists(st.integers(min_value=1, max_value=4), max_size=40))
def test_whatever_is_accepted_stays_under_both_caps(requests: list[int]) -> None:
    logged: list[tuple[date, Decimal]] = []
    for i, hours in enumerate(requests):
        day = date(2027, 3, 1) + timedelta(days=i % 31)
        try:
            check_hours(OLD, logged, day, Decimal(hours))
        except Conflict:
            continue
        logged.append((day, Decimal(hours)))
    assert sum(h for _, h in logged) <= 40
    for monday in {d - timedelta(days=d.weekday()) for d, _ in logged}:
        assert sum(h for d, h in logged if d - timedelta(days=d.weekday()) == monday) <= 10


def test_agreement_dates() -> None:
    ok = PsuAgreement(
        id="a",
        host="Dom Pomocy Społecznej",
        signed_on=date(2027, 1, 2),
        valid_from=date(2027, 1, 2),
        valid_until=date(2027, 12, 31),
    )
    ok.check()
    with pytest.raises(InvalidInput):
        ok.model_copy(update={"valid_until": date(2028, 1, 2)}).check()
