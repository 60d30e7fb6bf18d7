"""Refund claims: each line splits to the grosz; the employer's tiers by the agreement's day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.refunds import employer_refund, split, tier_pct

AMOUNTS = st.decimals(min_value=-5000, max_value=5000, places=2, allow_nan=False)


@given(AMOUNTS, AMOUNTS, st.sampled_from(["2021-12", "2022-01", "2026-10"]))
def test_a_line_splits_into_parts_that_add_up_to_it(
    amount: Decimal, bonus: Decimal, month: str
) -> None:
    pup, municipality, centre = split(amount, bonus, month)
    assert pup + municipality + centre == amount
    assert all(part == part.quantize(Decimal("0.01")) for part in (pup, municipality, centre))
    assert centre == bonus  # the rulebook refunds no bonus [V]


def test_tiers_before_2022_are_100_80_60_and_after_100_for_six_months() -> None:
    old = "1-3:100,4-6:80,7-12:60"
    assert [tier_pct(old, n) for n in (1, 3, 4, 6, 7, 12, 13)] == [
        Decimal(x) for x in (100, 100, 80, 80, 60, 60, 0)
    ]
    first = employer_refund("p", None, date(2021, 5, 10), date(2021, 9, 1))
    assert first is not None and (first.month_of_employment, first.tier_pct) == (5, Decimal(80))
    assert first.max_refund == Decimal("992.64")  # 80 % of 1,240.80
    now = employer_refund("p", None, date(2026, 6, 15), date(2026, 11, 1))
    assert now is not None and (now.month_of_employment, now.tier_pct) == (6, Decimal(100))
    assert now.max_refund == Decimal("1721.90")
    assert employer_refund("p", None, date(2026, 6, 15), date(2026, 12, 1)) is None
    assert employer_refund("p", None, date(2026, 6, 15), date(2026, 5, 1)) is None
