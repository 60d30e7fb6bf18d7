"""A participant as the caseworker registers them (DESIGN.md §4, domain.md §1, §7), and as the
lists and the participant's page show them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.eligibility import Exclusion
from domain.errors import InvalidInput
from domain.pathway import Event
from domain.pesel import parse_pesel
from domain.stages import Programme

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
    # The patterns document what the validators below accept (empty is "none").
    phone: str | None = Field(
        default=None, max_length=20, json_schema_extra={"pattern": r"^(\+?[-\s0-9]{9,19})?$"}
    )
    email: str | None = Field(
        default=None,
        max_length=254,
        json_schema_extra={"pattern": r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$"},
    )
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


class NextDeadline(BaseModel):
    """The nearest deadline of a pathway."""

    kind: str
    due_on: date


class PathwaySummary(BaseModel):
    """A pathway as lists show it (from the read model)."""

    id: uuid.UUID
    programme: str
    stage: str
    started_on: date
    graduate: bool
    outcome: str | None
    next_deadline: NextDeadline | None
    closed: bool


class ParticipantListItem(BaseModel):
    """A row of the participants list: no categories, no contact data."""

    id: uuid.UUID
    first_name: str
    last_name: str
    birth_date: date
    pathway: PathwaySummary | None


class ParticipantOut(ParticipantListItem):
    """A participant in full, for the caseworkers of their unit."""

    pesel: str | None
    phone: str | None
    email: str | None
    consent_sms: bool
    consent_email: bool
    categories: list[str]
    # Rights that put the person outside the act (art. 1 ust. 3 u.z.s.).
    exclusions: list[Exclusion] = Field(default_factory=list)
    created_at: datetime


class ParticipantDetail(ParticipantOut):
    """A participant in full; with a closed pathway, its timeline from the read model."""

    timeline: list[Event] | None = None


class ParticipantPage(BaseModel):
    """A page of participants."""

    items: list[ParticipantListItem]
    next_cursor: str | None


class PathwayCreate(BaseModel):
    """Open a pathway; the start date may lie in the past (late-recorded or imported cases)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    programme: Programme
    start_date: date


class ParticipantSort(StrEnum):
    """How the list is ordered (each then by name)."""

    NAME = "name"  # last name, first name
    DUE = "due"  # nearest deadline first (of the kind filtered, if any); none last
    STAGE = "stage"  # by stage code
    STARTED = "started"  # oldest pathway first
    STARTED_DESC = "-started"  # newest pathway first


@dataclass(frozen=True)
class ParticipantFilters:
    """Filters of `GET /participants` (DESIGN.md §4)."""

    stage: str | None = None
    programme: str | None = None
    caseworker: str | None = None
    due_before: date | None = None
    q: str | None = None
    caseload_of: uuid.UUID | None = None  # a caseworker limited to their own caseload
    deadline_kind: str | None = None  # an open deadline of this kind (pathway_deadlines)
    overdue: bool = False  # an open deadline overdue (of `deadline_kind`, if given)
