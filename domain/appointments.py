"""A pathway's appointments (workshops, individual meetings, reviews) and the workflow's agenda.

The agenda is the part of a pathway's state that reminders need: its appointments, the holidays
fetched for the years it plans in, when each pending reminder goes, and which ones are done.

Appointments were first called sessions. Workflows started then carry that spelling in their
state and in the Updates of their histories, so the models also read it (`AliasChoices`); the
error codes (`session_in_past`, ...) and the reminder kinds are part of the HTTP contract and of
stored keys, so they keep it too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import AliasChoices, AwareDatetime, BaseModel, ConfigDict, Field

from domain.errors import InvalidInput, NotFound, StepNotAllowed

PLACE_MAX = 200
# Appointments this long past are forgotten by the workflow (their rows stay in the read model).
KEEP_PAST_APPOINTMENTS = timedelta(days=7)


class AppointmentKind(StrEnum):
    """What an appointment is; reminders name only this, never why the person attends."""

    WORKSHOP = "workshop"
    INDIVIDUAL = "individual"
    REVIEW = "review"


class Appointment(BaseModel):
    """An appointment in the pathway's state. `place` is free text for the participant (a room)."""

    model_config = ConfigDict(frozen=True)

    id: str
    starts_at: datetime
    kind: AppointmentKind
    place: str
    cancelled: bool = False


class Agenda(BaseModel):
    """Reminder bookkeeping carried in the pathway's state (and across continue-as-new)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    appointments: tuple[Appointment, ...] = Field(
        default=(), validation_alias=AliasChoices("appointments", "sessions")
    )
    appointments_version: int = Field(
        default=0, validation_alias=AliasChoices("appointments_version", "sessions_version")
    )
    projected_appointments_version: int = Field(
        default=0,
        validation_alias=AliasChoices(
            "projected_appointments_version", "projected_sessions_version"
        ),
    )
    # Year -> Poland's public holidays, fetched by an activity so that replays never recompute them.
    holidays: dict[int, tuple[date, ...]] = Field(default_factory=dict)
    # Reminder key -> the moment it goes (fixed when first planned, so waking up never moves it).
    scheduled: dict[str, datetime] = Field(default_factory=dict)
    # Reminder key -> how it ended (sent, suppressed, dropped, failed); never planned again.
    done: dict[str, str] = Field(default_factory=dict)


class AppointmentRequest(BaseModel):
    """A caseworker setting or cancelling an appointment, as it reaches the workflow."""

    model_config = ConfigDict(populate_by_name=True)

    op: Literal["schedule", "cancel"]
    appointment_id: str = Field(validation_alias=AliasChoices("appointment_id", "session_id"))
    starts_at: AwareDatetime | None = None
    kind: AppointmentKind | None = None
    place: str | None = None


class AppointmentIn(BaseModel):
    """An appointment to set, as a caseworker sends it."""

    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime
    kind: AppointmentKind
    place: str = Field(min_length=1, max_length=PLACE_MAX)


class AppointmentOut(BaseModel):
    """An appointment as the pathway holds it (or as the read model lists it)."""

    id: str
    pathway_id: str
    starts_at: datetime
    kind: AppointmentKind
    place: str
    cancelled: bool


class AppointmentReceipt(BaseModel):
    """The appointment as the workflow now holds it."""

    appointment: Appointment = Field(validation_alias=AliasChoices("appointment", "session"))


def apply_appointment(
    agenda: Agenda, request: AppointmentRequest, now: datetime, open_: bool
) -> tuple[Agenda, Appointment]:
    """Set or cancel an appointment; the same request again changes nothing."""
    current = {a.id: a for a in agenda.appointments if a.starts_at > now - KEEP_PAST_APPOINTMENTS}
    existing = current.get(request.appointment_id)
    if request.op == "cancel":
        if existing is None:
            raise NotFound("session_not_found", "No such appointment in this pathway.")
        if existing.cancelled:
            return agenda, existing
        changed = existing.model_copy(update={"cancelled": True})
    else:
        if existing is not None:
            return agenda, existing  # a retried request: the appointment is already there
        if not open_:
            raise StepNotAllowed(
                "pathway_closed", "The pathway has ended; no appointment can be set."
            )
        if request.starts_at is None or request.kind is None or not request.place:
            raise InvalidInput(
                "session_incomplete", "An appointment needs starts_at, kind and place."
            )
        if request.starts_at <= now:
            raise StepNotAllowed("session_in_past", "An appointment must start in the future.")
        if len(request.place) > PLACE_MAX:
            raise InvalidInput("place_too_long", f"The place is at most {PLACE_MAX} characters.")
        changed = Appointment(
            id=request.appointment_id,
            starts_at=request.starts_at.astimezone(UTC),
            kind=request.kind,
            place=request.place,
        )
    current[changed.id] = changed
    appointments = tuple(sorted(current.values(), key=lambda a: (a.starts_at, a.id)))
    updated = agenda.model_copy(
        update={
            "appointments": appointments,
            "appointments_version": agenda.appointments_version + 1,
        }
    )
    return updated, changed
