"""What Temporal's visibility may know of a pathway: its stage, programme, unit and next deadline.

These are the only custom search attributes; none is personal data (no name, PESEL, contact or
category), so `temporal workflow list --query "PathwayStage='cis_trial'"` can answer anyone with
access to the cluster. Every Temporal server the product runs on registers them first
(`worker/search_attributes.py`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from temporalio.common import (
    SearchAttributeKey,
    SearchAttributePair,
    SearchAttributeUpdate,
    TypedSearchAttributes,
)

from domain.pathway import PathwayState, by_due_date

STAGE = SearchAttributeKey.for_keyword("PathwayStage")
PROGRAMME = SearchAttributeKey.for_keyword("PathwayProgramme")
UNIT = SearchAttributeKey.for_keyword("PathwayUnit")
# The business date of the earliest open deadline, at 00:00 UTC; absent when nothing is due.
NEXT_DEADLINE = SearchAttributeKey.for_datetime("PathwayNextDeadline")

ALL: tuple[SearchAttributeKey[str] | SearchAttributeKey[datetime], ...] = (
    STAGE,
    PROGRAMME,
    UNIT,
    NEXT_DEADLINE,
)

# What the workflow keeps current (the unit never changes after the start).
Published = tuple[str, str, datetime | None]


def as_instant(day: date) -> datetime:
    """A business date as the Datetime attribute holds it."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def published(state: PathwayState) -> Published:
    """The changing attributes' values for this state."""
    head = min(state.deadlines, key=by_due_date, default=None)
    return (
        state.stage.value,
        state.programme.value,
        as_instant(head.due_on) if head else None,
    )


def already_published(attributes: TypedSearchAttributes) -> Published | None:
    """The values a run started with (set by its starter, or carried over a continue-as-new)."""
    stage = attributes.get(STAGE)
    programme = attributes.get(PROGRAMME)
    if stage is None or programme is None:
        return None
    due = attributes.get(NEXT_DEADLINE)
    return stage, programme, due.astimezone(UTC) if due else None


def updates(values: Published) -> list[SearchAttributeUpdate[Any]]:
    """The upsert that makes visibility show these values."""
    stage, programme, due = values
    return [
        STAGE.value_set(stage),
        PROGRAMME.value_set(programme),
        NEXT_DEADLINE.value_set(due) if due else NEXT_DEADLINE.value_unset(),
    ]


def at_start(state: PathwayState, unit_code: str) -> TypedSearchAttributes:
    """The attributes a pathway's workflow starts with."""
    stage, programme, due = published(state)
    pairs: list[SearchAttributePair[str] | SearchAttributePair[datetime]] = [
        SearchAttributePair(STAGE, stage),
        SearchAttributePair(PROGRAMME, programme),
        SearchAttributePair(UNIT, unit_code),
    ]
    if due is not None:
        pairs.append(SearchAttributePair(NEXT_DEADLINE, due))
    return TypedSearchAttributes(pairs)
