"""The caseworker's steps on a pathway, as the HTTP contract names them (DESIGN.md §4, Payloads)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class AbsenceKind(StrEnum):
    """Why a participant was absent."""

    EXCUSED = "excused"
    UNEXCUSED = "unexcused"
    SICK = "sick"


class AttendanceKind(StrEnum):
    """The form of a KIS/CIS activity (art. 18 ust. 2; group or individual)."""

    GROUP = "group"
    INDIVIDUAL = "individual"
    WORKSHOP = "workshop"


# A day's record: hours of presence on one day cannot exceed the day's working limit.
Hours = Annotated[Decimal, Field(gt=0, le=12, max_digits=4, decimal_places=2)]


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    occurred_on: date | None = None
    note: str | None = Field(default=None, max_length=2000)


class RecordDiagnosis(_Action):
    """Diagnosis of needs and predispositions recorded."""

    type: Literal["record_diagnosis"]
    summary: str | None = Field(default=None, max_length=4000)


class SignSocialContract(_Action):
    """Social contract (kontrakt socjalny, u.p.s. art. 108) signed: the condition of KIS."""

    type: Literal["sign_social_contract"]
    review_on: date | None = None


class RecordAttendance(_Action):
    """Presence at an activity for some hours."""

    type: Literal["record_attendance"]
    hours: Hours
    kind: AttendanceKind = AttendanceKind.GROUP


class RecordAbsence(_Action):
    """A day of absence and its kind."""

    type: Literal["record_absence"]
    kind: AbsenceKind


class RecordPsuHours(_Action):
    """Hours of socially useful work (PSU) done on a day."""

    type: Literal["record_psu_hours"]
    hours: Hours


class ReviewContract(_Action):
    """The social contract reviewed with the participant; the next review may be set."""

    type: Literal["review_contract"]
    next_review_on: date | None = None


class MarkContractFulfilled(_Action):
    """The social contract was fulfilled (part of KIS graduate status, art. 2 pkt 1b)."""

    type: Literal["mark_contract_fulfilled"]


class CompleteKis(_Action):
    """KIS participation completed; the certificate is issued promptly (art. 18 ust. 5a)."""

    type: Literal["complete_kis"]


class Withdraw(_Action):
    """The participant declares withdrawal."""

    type: Literal["withdraw"]
    reason: str | None = Field(default=None, max_length=2000)


class RecordOutcome(_Action):
    """The participant's situation within the 90-day window after exit (domain.md §6.1)."""

    type: Literal["record_outcome"]
    employed: bool
    contract_months: int | None = Field(default=None, ge=0, le=600)
    fte: Decimal | None = Field(default=None, gt=0, le=1, max_digits=4, decimal_places=3)
    self_employed: bool = False


Action = Annotated[
    RecordDiagnosis
    | SignSocialContract
    | RecordAttendance
    | RecordAbsence
    | RecordPsuHours
    | ReviewContract
    | MarkContractFulfilled
    | CompleteKis
    | Withdraw
    | RecordOutcome,
    Field(discriminator="type"),
]

ACTION_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)
