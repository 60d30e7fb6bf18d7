"""Participants' reminders as the HTTP contract shows them: messages and how they went, consent,
a unit's contact, the gateway's replies and the unsubscribe link. Never a text or an address."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NotificationOut(BaseModel):
    """One message to a participant and how it went; never its text or address."""

    id: str
    kind: str
    reminder: str
    due_at: datetime
    scheduled_for: datetime | None
    channel: Literal["sms", "email"] | None
    status: str  # queued, sending, sent, retrying, failed, unconfirmed, suppressed, dropped
    reason: str | None  # why suppressed or dropped: no_consent, no_address, quiet_hours_no_slot...
    attempts: int
    last_error: str | None
    sent_at: datetime | None


class NotificationList(BaseModel):
    """A participant's messages, newest due first, with their consent as it stands."""

    consent_sms: bool
    consent_email: bool
    language: Literal["pl", "en"]
    items: list[NotificationOut]


class FailedNotificationOut(NotificationOut):
    """A message that failed or may not have arrived, with whom it was for."""

    participant_id: str
    pathway_id: str
    participant_name: str


class FailedNotificationList(BaseModel):
    """The unit's messages that need a caseworker's eye, newest first."""

    since: datetime
    items: list[FailedNotificationOut]


class PreferencesIn(_Strict):
    """What the participant told the caseworker: language, and consent per channel."""

    language: Literal["pl", "en"] | None = None
    consent_sms: bool | None = None
    consent_email: bool | None = None


class UnitContactIn(_Strict):
    """The phone number reminders give participants to call."""

    phone: str = Field(min_length=3, max_length=20, pattern=r"^[+0-9 ()-]+$")


class UnitContactOut(BaseModel):
    """A unit's contact details as reminders show them."""

    unit_code: str
    name: str
    phone: str | None


class InboundSms(_Strict):
    """A reply as a generic gateway posts it (JSON)."""

    from_: str = Field(alias="from", min_length=3, max_length=20)
    text: str = Field(max_length=1000)


class InboundAnswer(BaseModel):
    """What a reply changed: how many participants stopped getting SMS."""

    withdrawn: int


class UnsubscribeAnswer(BaseModel):
    """A withdrawn e-mail consent."""

    channel: Literal["email", "sms"]
    withdrawn: bool
    on: date
