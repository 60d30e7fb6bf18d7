"""Referrals between units (issue 16): a KIS refers a participant to a CIS of another unit.

The receiving unit sees only what it needs (name, PESEL, the referral's date and reason), the
categories only when the participant consented; its head accepts (a new episode in its unit) or
declines with a reason (the sender sees it; the participant stays with the sender). The
participant's consent to the transfer of their data is required and recorded.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.stages import Programme


class ReferralStatus(StrEnum):
    """Where a referral stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ReferralCreate(BaseModel):
    """A referral of a participant of the caller's unit to another unit."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    participant_id: uuid.UUID
    to_unit: str = Field(min_length=1, max_length=50)
    programme: Programme = Programme.CIS
    referred_on: date
    reason: str = Field(min_length=1, max_length=500)
    # The participant agreed to their data going to the receiving unit (required).
    consent_transfer: bool
    # ... and to their eligibility categories (art. 9 data) going with it.
    consent_categories: bool = False


class OutgoingReferral(BaseModel):
    """A referral as its sender sees it."""

    id: uuid.UUID
    participant_id: uuid.UUID
    to_unit: str
    programme: Programme
    referred_on: date
    status: ReferralStatus
    decline_reason: str | None


class IncomingReferral(BaseModel):
    """A referral as the receiving unit sees it: no contact, no history, categories only with
    consent."""

    id: uuid.UUID
    first_name: str
    last_name: str
    pesel: str | None
    referred_on: date
    reason: str
    programme: Programme
    from_unit: str
    status: ReferralStatus
    categories: list[str] | None
    decline_reason: str | None
    participant_id: uuid.UUID | None  # the receiving unit's record, once accepted
    pathway_id: uuid.UUID | None


class ExternalOutcome(StrEnum):
    """What the institution outside the system answered."""

    ACCEPTED = "accepted"
    DECLINED = "declined"


class ExternalReferralCreate(BaseModel):
    """A participant of the caller's unit referred to supported employment at an institution
    outside the system (a labour office), by its name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    participant_id: uuid.UUID
    institution: str = Field(min_length=1, max_length=200)
    referred_on: date
    reason: str = Field(min_length=1, max_length=500)
    # The participant agreed to their data going to the institution (required).
    consent_transfer: bool


class ExternalOutcomeRecord(BaseModel):
    """The institution's answer, as the unit learnt it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    outcome: ExternalOutcome
    outcome_on: date
    note: str | None = Field(default=None, max_length=500)


class ExternalReferralOut(BaseModel):
    """A referral outside the system, as its unit sees it."""

    id: uuid.UUID
    participant_id: uuid.UUID
    institution: str
    programme: str
    referred_on: date
    reason: str
    outcome: ExternalOutcome | None
    outcome_on: date | None
    note: str | None


SUPPORTED_EMPLOYMENT = "supported_employment"


class ReferralList(BaseModel, frozen=True):
    """Referrals, newest first."""

    incoming: list[IncomingReferral] = Field(default_factory=list)
    outgoing: list[OutgoingReferral] = Field(default_factory=list)
    # Sent to institutions outside the system (supported employment at a labour office).
    external: list[ExternalReferralOut] = Field(default_factory=list)


class ReferralAccept(BaseModel):
    """The head admits: the new episode's start."""

    model_config = ConfigDict(extra="forbid")

    start_date: date


class ReferralDecline(BaseModel):
    """The head declines, with a reason the sender sees."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=500)


class ReferralNoticeInput(BaseModel):
    """A declined referral to tell its sending unit's staff of (its id only: the activity reads
    the rest, so no name or address travels through Temporal)."""

    referral_id: str


def referral_notice_id(referral_id: uuid.UUID | str) -> str:
    """The decline notice's workflow id: the referral's id, nothing personal."""
    return f"referral-declined-{referral_id}"
