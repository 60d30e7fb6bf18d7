"""The social-cooperative act's numbers (u.s.s., domain.md §4, §10), by their effective date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from domain.errors import InvalidInput


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
    # A cooperative of three natural persons admits and employs this many more persons from
    # the excluded groups within that deadline; outside members do not count (§10).
    extra_members_employed: int
    # Members from outside the excluded groups: at most this share of the natural persons.
    outside_share_max_pct: Decimal
    # Below the minimum for longer than this: a ground for liquidation.
    below_minimum_grace_months: int


COOPERATIVES_FROM_2018 = CooperativeRules(
    key="uss-2018",
    effective_from=date(2018, 3, 31),
    source=(
        "u.s.s. as amended by Dz.U. 2017 poz. 2494, in force 31 Mar 2018 (domain.md §4, §10: "
        "within 12 months of the KRS entry, admit and employ two persons from the groups)"
    ),
    min_founders_natural=3,
    min_founders_legal=2,
    min_members_natural=5,
    min_members_legal=2,
    max_members_natural=50,
    extra_members_deadline_months=12,
    extra_members_employed=2,
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
