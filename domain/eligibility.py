"""Who the act does not apply to (art. 1 ust. 3 u.z.s.) and the KIS exception (ust. 3a).

A person with a *right to* one of these benefits is outside the act: no CIS. Those with a right
to an incapacity-for-work pension may still take part in a KIS (ust. 3a, domain.md §1.3: the
statute says KIS, not CIS). A right that arises during participation is a task for the head,
never an automatic exit (the right may be contested, waived or short-lived).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.errors import StepNotAllowed


class Exclusion(StrEnum):
    """A right that puts the person outside the act (art. 1 ust. 3 pkt 1-3, 5-8)."""

    UNEMPLOYMENT_BENEFIT = "unemployment_benefit"  # pkt 1, zasiłek dla bezrobotnych
    PRE_RETIREMENT_ALLOWANCE = "pre_retirement_allowance"  # pkt 2, zasiłek przedemerytalny
    PRE_RETIREMENT_BENEFIT = "pre_retirement_benefit"  # pkt 3, świadczenie przedemerytalne
    STRUCTURAL_PENSION = "structural_pension"  # pkt 5, renta strukturalna
    INCAPACITY_PENSION = "incapacity_pension"  # pkt 6, renta z tytułu niezdolności do pracy
    OLD_AGE_PENSION = "old_age_pension"  # pkt 7, emerytura
    TEACHER_COMPENSATION = "teacher_compensation"  # pkt 8, nauczycielskie św. kompensacyjne


PROVISION: dict[Exclusion, str] = {
    Exclusion.UNEMPLOYMENT_BENEFIT: "art. 1 ust. 3 pkt 1 u.z.s.",
    Exclusion.PRE_RETIREMENT_ALLOWANCE: "art. 1 ust. 3 pkt 2 u.z.s.",
    Exclusion.PRE_RETIREMENT_BENEFIT: "art. 1 ust. 3 pkt 3 u.z.s.",
    Exclusion.STRUCTURAL_PENSION: "art. 1 ust. 3 pkt 5 u.z.s.",
    Exclusion.INCAPACITY_PENSION: "art. 1 ust. 3 pkt 6 u.z.s.",
    Exclusion.OLD_AGE_PENSION: "art. 1 ust. 3 pkt 7 u.z.s.",
    Exclusion.TEACHER_COMPENSATION: "art. 1 ust. 3 pkt 8 u.z.s.",
}

# Art. 1 ust. 3a: these may take part in a KIS on its rules.
ADMITTED_TO_KIS = frozenset({Exclusion.INCAPACITY_PENSION})


def barring_cis(exclusions: Iterable[Exclusion]) -> list[Exclusion]:
    """The exclusions that bar a CIS: every one of them."""
    return sorted(set(exclusions))


def barring_kis(exclusions: Iterable[Exclusion]) -> list[Exclusion]:
    """The exclusions that bar a KIS: all but those ust. 3a admits."""
    return sorted(set(exclusions) - ADMITTED_TO_KIS)


def check_cis_entry(exclusions: Iterable[Exclusion]) -> None:
    """Refuse a CIS referral or admission of a person the act does not apply to."""
    _refuse(barring_cis(exclusions), "excluded_from_cis", "a CIS may not admit them", "")


def check_kis_entry(exclusions: Iterable[Exclusion]) -> None:
    """Refuse a KIS pathway of a person the act does not apply to (ust. 3a aside)."""
    _refuse(
        barring_kis(exclusions),
        "excluded_from_kis",
        "a KIS may not enrol them",
        "; only an incapacity pension allows a KIS, ust. 3a",
    )


def _refuse(barred: list[Exclusion], code: str, consequence: str, note: str) -> None:
    if barred:
        raise StepNotAllowed(
            code,
            f"The person has a right that puts them outside the act, so {consequence} "
            f"({_provisions(barred)}{note}).",
            {"exclusions": [str(e) for e in barred], "basis": _provisions(barred)},
        )


def _provisions(exclusions: list[Exclusion]) -> str:
    return ", ".join(PROVISION[e] for e in exclusions)


class ExclusionsUpdate(BaseModel):
    """The person's exclusions as they are now, and since when (default today)."""

    model_config = ConfigDict(extra="forbid")
    exclusions: list[Exclusion] = Field(max_length=len(Exclusion))
    occurred_on: date | None = None
