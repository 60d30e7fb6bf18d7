"""A centre's groups and their members over time (art. 14: the monthly programme of activities).

A group is a workshop group or a cohort of a programme. A membership runs from the day the
person joins to the day they leave (`left_on` is the first day they are no longer a member), so
a move is a leave and a join on the same day and nobody is in two places of the same group at
once. Memberships are never rewritten: leaving closes the open one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from domain.errors import Conflict, InvalidInput

GROUP_NAME_MAX = 120


class ActivityKind(StrEnum):
    """What a class is (art. 14, art. 18 ust. 2): reminders and lists name only this."""

    WORKSHOP = "workshop"
    GROUP_CLASS = "group_class"
    CONSULTATION = "consultation"  # individual, with a specialist (psychologist, lawyer, ...)
    TRAINING = "training"
    PSU = "psu"  # socially useful work with a host institution (domain.md §3)


class Membership(BaseModel):
    """One stretch of a person's membership of a group: [joined_on, left_on)."""

    model_config = ConfigDict(frozen=True)

    group_id: str
    participant_id: str
    joined_on: date
    left_on: date | None = None

    def covers(self, day: date) -> bool:
        """Whether the person is a member on `day`."""
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


def open_membership(
    memberships: Sequence[Membership], group_id: str, participant_id: str
) -> Membership | None:
    """The person's membership of the group that has not ended, if any."""
    return next(
        (
            m
            for m in memberships
            if m.group_id == group_id and m.participant_id == participant_id and m.left_on is None
        ),
        None,
    )


def join(
    memberships: Sequence[Membership], group_id: str, participant_id: str, on: date
) -> Membership:
    """A new membership from `on`; refused while one is open or when it would overlap one."""
    if open_membership(memberships, group_id, participant_id) is not None:
        raise Conflict("already_member", "The person is already a member of this group.")
    for m in memberships:
        if m.group_id == group_id and m.participant_id == participant_id and m.covers(on):
            raise Conflict("already_member", "The person was a member of this group that day.")
        if (
            m.group_id == group_id
            and m.participant_id == participant_id
            and m.left_on is not None
            and on < m.left_on
        ):
            raise InvalidInput(
                "membership_out_of_order",
                f"The person's earlier membership of this group ended on {m.left_on}.",
                {"left_on": m.left_on.isoformat()},
            )
    return Membership(group_id=group_id, participant_id=participant_id, joined_on=on)


def leave(
    memberships: Sequence[Membership], group_id: str, participant_id: str, on: date
) -> Membership:
    """The open membership closed on `on` (the first day outside the group)."""
    current = open_membership(memberships, group_id, participant_id)
    if current is None:
        raise Conflict("not_a_member", "The person is not a member of this group.")
    if on <= current.joined_on:
        raise InvalidInput(
            "leave_before_join",
            f"The person joined on {current.joined_on}: they can leave from the next day.",
            {"joined_on": current.joined_on.isoformat()},
        )
    return current.model_copy(update={"left_on": on})


def move(
    memberships: Sequence[Membership],
    participant_id: str,
    from_group: str,
    to_group: str,
    on: date,
) -> tuple[Membership, Membership]:
    """Leave one group and join another on the same day: (the closed one, the new one)."""
    if from_group == to_group:
        raise InvalidInput("same_group", "A move needs two different groups.")
    closed = leave(memberships, from_group, participant_id, on)
    return closed, join(memberships, to_group, participant_id, on)


def members_on(memberships: Iterable[Membership], group_id: str, day: date) -> list[str]:
    """The group's members on `day`, in a stable order."""
    return sorted(
        {m.participant_id for m in memberships if m.group_id == group_id and m.covers(day)}
    )


def groups_of_on(memberships: Iterable[Membership], participant_id: str, day: date) -> set[str]:
    """The groups a person belongs to on `day`."""
    return {m.group_id for m in memberships if m.participant_id == participant_id and m.covers(day)}
