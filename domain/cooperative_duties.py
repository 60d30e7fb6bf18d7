"""A social cooperative's duty to employ (u.s.s. after Dz.U. 2017 poz. 2494; domain.md §10).

A cooperative founded by three natural persons must, within 12 months of its court-register
entry, admit and employ at least two persons from the excluded groups; members from outside the
groups do not count. The duty is flagged (a deadline, then a risk) until it is met; meeting it is
a fact the caseworker records: who was employed, on what contract, from when.
"""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import local_date
from domain.cooperative import (
    CooperativeDeadlineKind,
    CooperativeState,
    Duty,
    MemberEmployment,
    PersonKind,
)
from domain.errors import InvalidInput, NotFound, StepNotAllowed

EMPLOY_MEMBERS = "employ_members_from_the_groups"


def record_employment(
    state: CooperativeState, employment: MemberEmployment, now: datetime
) -> CooperativeState:
    """The cooperative employs one of its members from a date."""
    on = employment.started_on or local_date(now)
    if on > local_date(now):
        raise InvalidInput("date_in_future", "The date may not be in the future.")
    member = next((m for m in state.members if m.member_id == employment.member_id), None)
    if member is None:
        raise NotFound("member_not_found", "No such member of this cooperative.")
    if member.kind is not PersonKind.NATURAL:
        raise StepNotAllowed("not_a_person", "Only a natural person is employed.")
    if on < member.joined_on:
        raise InvalidInput("date_before_joining", f"The member joined on {member.joined_on}.")
    if member.employed_since is not None:
        raise StepNotAllowed(
            "already_recorded", f"The member is employed since {member.employed_since}."
        )
    employed = member.model_copy(
        update={"employed_since": on, "contract_type": employment.contract_type}
    )
    members = [employed if m.member_id == member.member_id else m for m in state.members]
    return state.model_copy(update={"members": members})


def employed_from_the_groups(state: CooperativeState, by: date | None = None) -> int:
    """Members admitted after the founders, from the excluded groups, employed (by `by`)."""
    return sum(
        1
        for m in state.members
        if not m.founder
        and m.kind is PersonKind.NATURAL
        and m.from_excluded_group
        and m.employed_since is not None
        and (by is None or m.employed_since <= by)
    )


def duty_met(state: CooperativeState) -> bool:
    """Whether the 12-month duty of a three-founder cooperative is met."""
    return employed_from_the_groups(state) >= state.rules.extra_members_employed


def duties(state: CooperativeState) -> list[Duty]:
    """The duty while its deadline runs or after it was missed, with what counts so far."""
    deadline = next(
        (d for d in state.deadlines if d.kind is CooperativeDeadlineKind.MEMBERS_DEADLINE), None
    )
    missed = next((r for r in state.risks if r.kind == "members_deadline_missed"), None)
    if state.law_version < 2 or (deadline is None and missed is None):
        return []
    due_on: date = deadline.due_on if deadline else missed.since  # type: ignore[union-attr]
    required = state.rules.extra_members_employed
    counted = employed_from_the_groups(state)
    return [
        Duty(
            kind=EMPLOY_MEMBERS,
            due_on=due_on,
            required=required,
            counted=counted,
            met=counted >= required,
        )
    ]
