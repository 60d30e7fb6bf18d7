"""The caseworker's steps on a pathway, as the HTTP contract names them (DESIGN.md §4, Payloads)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator


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


class DayMark(StrEnum):
    """What a CIS or KIS day was, or its PSU hours, as a correction states it anew."""

    PRESENT = "present"
    ABSENT = "absent"
    DAY_OFF = "day_off"
    PSU = "psu"  # a KIS day's hours of socially useful work (record_psu_hours)


class CorrectDay(_Action):
    """A day's mark corrected (issue 14/15): a new event that supersedes the day's earlier mark(s);
    `occurred_on` is the day corrected, `corrects` one mark's seq (else every mark of the day).
    A KIS day is present or absent; `psu` corrects the day's PSU hours (KIS), apart from its
    attendance."""

    type: Literal["correct_day"]
    mark: DayMark
    hours: Hours | None = None
    kind: AttendanceKind | None = None  # the form of activity, when present
    absence: AbsenceKind | None = None
    reason: str = Field(min_length=3, max_length=2000)
    corrects: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _mark_agrees(self) -> Self:
        if self.occurred_on is None:
            raise ValueError("a correction names the day it corrects (occurred_on)")
        if (self.hours is not None) != (self.mark in (DayMark.PRESENT, DayMark.PSU)):
            raise ValueError("hours are given exactly when the day is marked present or psu")
        if self.kind is not None and self.mark is not DayMark.PRESENT:
            raise ValueError("kind is the form of activity of a day marked present")
        if (self.absence is not None) != (self.mark is DayMark.ABSENT):
            raise ValueError("absence is given exactly when the day is marked absent")
        return self


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


class ContractType(StrEnum):
    """What the work rests on (domain.md §10 'outcome'): it decides what counts as employment."""

    EMPLOYMENT = "employment"  # umowa o pracę
    CIVIL_LAW = "civil_law"  # umowa zlecenia / o dzieło
    SELF_EMPLOYMENT = "self_employment"  # działalność gospodarcza


class _Work(_Action):
    """A job's terms: months (or open-ended), the share of full time, the contract's type."""

    contract_months: int | None = Field(default=None, ge=0, le=600)
    open_ended: bool = False  # umowa na czas nieokreślony: no end date is not "no length"
    fte: Decimal | None = Field(default=None, gt=0, le=1, max_digits=4, decimal_places=3)
    self_employed: bool = False
    contract_type: ContractType | None = None

    @model_validator(mode="after")
    def _terms_agree(self) -> Self:
        if self.open_ended and self.contract_months is not None:
            raise ValueError("an open-ended contract has no length in months")
        if self.self_employed and self.contract_type not in (None, ContractType.SELF_EMPLOYMENT):
            raise ValueError("self_employed contradicts contract_type")
        return self

    @property
    def work_type(self) -> ContractType:
        """The contract type, `self_employed` read as self-employment; employment by default."""
        if self.self_employed:
            return ContractType.SELF_EMPLOYMENT
        return self.contract_type or ContractType.EMPLOYMENT


class RecordOutcome(_Work):
    """The participant's situation within the 90-day window after exit (domain.md §6.1)."""

    type: Literal["record_outcome"]
    employed: bool


class SignIpzs(_Action):
    """The individual social-employment programme (IPZS, art. 13) signed: admission to the CIS."""

    type: Literal["sign_ipzs"]
    summary: str | None = Field(default=None, max_length=4000)


class AmendIpzs(_Action):
    """The IPZS amended at either party's request (art. 13 ust. 3)."""

    type: Literal["amend_ipzs"]
    summary: str | None = Field(default=None, max_length=4000)


class PassTrial(_Action):
    """The trial period passed: the main period begins (art. 15)."""

    type: Literal["pass_trial"]


class Extend(_Action):
    """Participation extended in a justified case (art. 15), by the head of the centre."""

    type: Literal["extend"]
    months: int = Field(ge=1, le=24)
    justification: str = Field(min_length=3, max_length=2000)


class GrantDayOff(_Action):
    """A day off with benefit granted at the participant's request."""

    type: Literal["grant_day_off"]


class AwardBonus(_Action):
    """A motivational integration bonus (art. 15a), not in the trial period."""

    type: Literal["award_bonus"]
    amount: Decimal = Field(gt=0, max_digits=9, decimal_places=2)


class TerminationGround(StrEnum):
    """Grounds of the head's decision to stop the programme (art. 13 ust. 4 pkt 1-2)."""

    BREACH = "breach"
    ABANDONMENT = "abandonment"


class Terminate(_Action):
    """The head of the centre's decision ending participation; the participant may complain.

    An administrative decision states its reasons (k.p.a. art. 107): `reason` is required for
    pathways of law version 2 (domain/exits.py); older recorded steps may lack it.
    """

    type: Literal["terminate"]
    ground: TerminationGround
    reason: str | None = Field(default=None, max_length=2000)


class RecordDecisionDelivery(_Action):
    """The termination decision was delivered on `occurred_on`: the complaint window opens."""

    type: Literal["record_decision_delivery"]


class PrepareDecision(_Action):
    """A caseworker prepares one of the head's acts; the head is given a task to decide."""

    type: Literal["prepare_decision"]
    decision: Literal["sign_ipzs", "pass_trial", "complete_cis", "terminate"]


class RecordJobStart(_Work):
    """Work taken up: the programme continues up to 6 months without attendance or benefit."""

    type: Literal["record_job_start"]


class CompleteCis(_Action):
    """Participation completed; the head issues the certificate (art. 13 ust. 5a)."""

    type: Literal["complete_cis"]


class ReferralTarget(StrEnum):
    """Where a participant is referred."""

    CIS = "cis"
    COOPERATIVE = "cooperative"
    SUPPORTED_EMPLOYMENT = "supported_employment"
    EMPLOYMENT = "employment"


class Refer(_Action):
    """A referral onwards: to a CIS, a social cooperative, supported employment or a job."""

    type: Literal["refer"]
    to: ReferralTarget


class RecordEmployerAgreement(_Action):
    """The starosta's agreement with an employer for supported employment (art. 16) signed."""

    type: Literal["record_employer_agreement"]
    employer: str | None = Field(default=None, max_length=200)


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
    | RecordOutcome
    | SignIpzs
    | AmendIpzs
    | PassTrial
    | Extend
    | GrantDayOff
    | AwardBonus
    | Terminate
    | RecordJobStart
    | CompleteCis
    | Refer
    | RecordEmployerAgreement
    | RecordDecisionDelivery
    | PrepareDecision
    | CorrectDay,
    Field(discriminator="type"),
]

ACTION_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)
