"""Sessions of a pathway (workshops, individual meetings, reviews) and the workflow's agenda.

The agenda is the part of a pathway's state that reminders need: its sessions, the holidays
fetched for the years it plans in, when each pending reminder goes, and which ones are done.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain.errors import InvalidInput, NotFound, StepNotAllowed

PLACE_MAX = 200
# Sessions this long past are forgotten by the workflow (their rows stay in the read model).
KEEP_PAST_SESSIONS = timedelta(days=7)


class SessionKind(StrEnum):
    """What a session is; reminders name only this, never why the person attends."""

    WORKSHOP = "workshop"
    INDIVIDUAL = "individual"
    REVIEW = "review"


class PathwaySession(BaseModel):
    """A session in the pathway's state. `place` is free text for the participant (a room)."""

    model_config = ConfigDict(frozen=True)

    id: str
    starts_at: datetime
    kind: SessionKind
    place: str
    cancelled: bool = False


class Agenda(BaseModel):
    """Reminder bookkeeping carried in the pathway's state (and across continue-as-new)."""

    model_config = ConfigDict(frozen=True)

    sessions: tuple[PathwaySession, ...] = ()
    sessions_version: int = 0
    projected_sessions_version: int = 0
    # Year -> Poland's public holidays, fetched by an activity so that replays never recompute them.
    holidays: dict[int, tuple[date, ...]] = Field(default_factory=dict)
    # Reminder key -> the moment it goes (fixed when first planned, so waking up never moves it).
    scheduled: dict[str, datetime] = Field(default_factory=dict)
    # Reminder key -> how it ended (sent, suppressed, dropped, failed); never planned again.
    done: dict[str, str] = Field(default_factory=dict)


class SessionRequest(BaseModel):
    """A caseworker scheduling or cancelling a session, as it reaches the workflow."""

    op: Literal["schedule", "cancel"]
    session_id: str
    starts_at: AwareDatetime | None = None
    kind: SessionKind | None = None
    place: str | None = None


class SessionReceipt(BaseModel):
    """The session as the workflow now holds it."""

    session: PathwaySession


def apply_session(
    agenda: Agenda, request: SessionRequest, now: datetime, open_: bool
) -> tuple[Agenda, PathwaySession]:
    """Schedule or cancel a session; the same request again changes nothing."""
    current = {s.id: s for s in agenda.sessions if s.starts_at > now - KEEP_PAST_SESSIONS}
    existing = current.get(request.session_id)
    if request.op == "cancel":
        if existing is None:
            raise NotFound("session_not_found", "No such session in this pathway.")
        if existing.cancelled:
            return agenda, existing
        changed = existing.model_copy(update={"cancelled": True})
    else:
        if existing is not None:
            return agenda, existing  # a retried request: the session is already there
        if not open_:
            raise StepNotAllowed("pathway_closed", "The pathway has ended; no session can be set.")
        if request.starts_at is None or request.kind is None or not request.place:
            raise InvalidInput("session_incomplete", "A session needs starts_at, kind and place.")
        if request.starts_at <= now:
            raise StepNotAllowed("session_in_past", "A session must start in the future.")
        if len(request.place) > PLACE_MAX:
            raise InvalidInput("place_too_long", f"The place is at most {PLACE_MAX} characters.")
        changed = PathwaySession(
            id=request.session_id,
            starts_at=request.starts_at.astimezone(UTC),
            kind=request.kind,
            place=request.place,
        )
    current[changed.id] = changed
    sessions = tuple(sorted(current.values(), key=lambda s: (s.starts_at, s.id)))
    updated = agenda.model_copy(
        update={"sessions": sessions, "sessions_version": agenda.sessions_version + 1}
    )
    return updated, changed
