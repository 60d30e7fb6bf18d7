"""A participant as the caseworker registers them (DESIGN.md §4, domain.md §1, §7)."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.eligibility import Exclusion
from domain.errors import InvalidInput
from domain.pesel import parse_pesel

_PHONE = re.compile(r"^\+?[0-9]{9,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Category(StrEnum):
    """Eligibility categories, u.z.s. art. 1 ust. 2 pkt 1-8: special-category data, never logged."""

    HOMELESS = "homeless"
    ADDICTED_ALCOHOL = "addicted_alcohol"
    ADDICTED_DRUGS = "addicted_drugs"
    MENTAL_DISORDER = "mental_disorder"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"
    RELEASED_FROM_PRISON = "released_from_prison"
    REFUGEE = "refugee"
    DISABLED = "disabled"


class ParticipantCreate(BaseModel):
    """What a caseworker records at registration: a PESEL, or a birth date for those without."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    pesel: str | None = None
    birth_date: date | None = None
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=254)
    consent_sms: bool = False
    consent_email: bool = False
    categories: list[Category] = Field(default_factory=list)
    # Rights that put the person outside the act (art. 1 ust. 3): no CIS, KIS only with an
    # incapacity pension (ust. 3a).
    exclusions: list[Exclusion] = Field(default_factory=list)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        compact = re.sub(r"[\s-]", "", value)
        if not _PHONE.match(compact):
            raise ValueError("phone must be 9 to 15 digits, optionally starting with +")
        return compact

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not _EMAIL.match(value):
            raise ValueError("email is not a valid address")
        return value

    @field_validator("categories")
    @classmethod
    def _unique_categories(cls, value: list[Category]) -> list[Category]:
        return sorted(set(value))

    @field_validator("exclusions")
    @classmethod
    def _unique_exclusions(cls, value: list[Exclusion]) -> list[Exclusion]:
        return sorted(set(value))

    @model_validator(mode="after")
    def _identity(self) -> Self:
        if not self.pesel and self.birth_date is None:
            raise ValueError("either pesel or birth_date is required")
        if self.consent_sms and not self.phone:
            raise ValueError("consent_sms needs a phone number")
        if self.consent_email and not self.email:
            raise ValueError("consent_email needs an e-mail address")
        return self


def identity(data: ParticipantCreate, today: date) -> tuple[str | None, date]:
    """The PESEL (validated) and the birth date a participant is registered with."""
    if not data.pesel:
        assert data.birth_date is not None
        born = data.birth_date
    else:
        pesel = parse_pesel(data.pesel)
        if data.birth_date is not None and data.birth_date != pesel.birth_date:
            raise InvalidInput(
                "birth_date_mismatch",
                "The birth date does not match the one encoded in the PESEL.",
                {"pesel_birth_date": pesel.birth_date.isoformat()},
            )
        born = pesel.birth_date
    if born > today:
        raise InvalidInput("birth_date_in_future", "The birth date is in the future.")
    return (data.pesel or None), born
