"""Places and the waiting list (issue 16): a unit's places by programme (e.g. a CIS of 40), an
admission beyond them refused with the numbers, a waiting list in order of application with
priority by the unit's rule (art. 12: residents of the centre's gmina first, domain.md §2.2).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.errors import Conflict
from domain.stages import CIS_IN_CENTRE, KIS_OPEN, Programme, Stage

# Who takes a place: a KIS participant until the episode ends; a CIS participant from the
# referral through the trial and the main period (not in follow-up: they have left for work).
OCCUPYING: dict[Programme, frozenset[Stage]] = {
    Programme.KIS: KIS_OPEN,
    Programme.CIS: CIS_IN_CENTRE | {Stage.CIS_REFERRED},
}


class WaitingRule(StrEnum):
    """How a unit orders its waiting list."""

    # Those with priority (e.g. residents of the gmina) first, each group by application date.
    PRIORITY_FIRST = "priority_first"
    # By application date only.
    APPLICATION_ORDER = "application_order"


class PlacesSet(BaseModel):
    """A unit's places in a programme and its waiting list's rule."""

    model_config = ConfigDict(extra="forbid")

    programme: Programme
    places: int = Field(ge=0, le=10_000)
    rule: WaitingRule = WaitingRule.PRIORITY_FIRST


class PlacesOut(PlacesSet):
    """A unit's places as set."""

    unit_code: str


class WaitingCreate(BaseModel):
    """A participant of the unit put on its waiting list for a programme."""

    model_config = ConfigDict(extra="forbid")

    participant_id: uuid.UUID
    programme: Programme
    applied_on: date
    priority: bool = False


class WaitingEntry(BaseModel):
    """One place in the queue (names for staff eyes only)."""

    id: uuid.UUID
    position: int
    participant_id: uuid.UUID
    participant_name: str
    programme: Programme
    applied_on: date
    priority: bool
    waiting_days: int


class WaitingList(BaseModel):
    """A programme's waiting list with its places: taken, free, and the waiting times of those
    admitted from it in the last year."""

    programme: Programme
    places: int | None
    occupied: int
    free: int | None
    rule: WaitingRule
    entries: list[WaitingEntry]
    admitted_last_year: int
    average_wait_days: float | None


def check_place(programme: Programme, places: int | None, occupied: int, waiting: int) -> None:
    """Refuse an admission beyond the unit's places, with the numbers."""
    if places is not None and occupied >= places:
        raise Conflict(
            "no_place",
            f"All {places} places of the {programme.upper()} are taken; "
            f"{waiting} people are on the waiting list.",
            {
                "programme": str(programme),
                "places": places,
                "occupied": occupied,
                "waiting": waiting,
            },
        )


def queue_key(
    rule: WaitingRule, priority: bool, applied_on: date, entered: datetime
) -> tuple[int, date, datetime]:
    """A waiting entry's place in the queue under the unit's rule (`entered`: when it was put
    on the list, for applications of the same day)."""
    first = 0 if priority and rule is WaitingRule.PRIORITY_FIRST else 1
    return (first, applied_on, entered)
