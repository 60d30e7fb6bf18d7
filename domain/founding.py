"""Founding a social cooperative and keeping its membership (u.s.s., domain.md §4, §9.6): the rules.

Every function is pure: the founding workflow calls them from its Update validators (to refuse)
and handlers (to apply), and they are tested without Temporal. The state and messages are in
`cooperative.py`.
"""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import add_days, add_months, local_date, start_of_local_day
from domain.cooperative import (
    STEP_ORDER,
    CooperativeDeadline,
    CooperativeDeadlineKind,
    CooperativeInput,
    CooperativeState,
    CooperativeView,
    FoundingStep,
    Member,
    MemberAddition,
    MemberEmployment,
    MemberRemoval,
    PendingNews,
    PersonKind,
    Risk,
    RiskKind,
    StepRecording,
    StepTaken,
)
from domain.cooperative_duties import duties, duty_met, record_employment
from domain.cooperative_rules import cooperative_rules_for
from domain.errors import Conflict, InvalidInput, NotFound, StepNotAllowed
from domain.pathway import CooperativeNews


def new_cooperative(start: CooperativeInput, now: datetime) -> CooperativeState:
    """A founding initiative with no founders yet, under the rules in force on its first day."""
    _not_in_future(start.created_on, now)
    rules = cooperative_rules_for(start.created_on)
    return CooperativeState(
        cooperative_id=start.cooperative_id,
        founded_by=start.founded_by,
        rules_key=rules.key,
        created_on=start.created_on,
    )


def check_referred(referred: bool) -> None:
    """Only a participant referred to a cooperative after their KIS/CIS may found or join one."""
    if not referred:
        raise StepNotAllowed(
            "not_referred_to_cooperative",
            "The participant has not been referred to a social cooperative.",
        )


def add_member(
    state: CooperativeState, addition: MemberAddition, now: datetime
) -> CooperativeState:
    """A founder (before the founding meeting) or a member joining later."""
    on = addition.occurred_on or local_date(now)
    _not_in_future(on, now)
    if any(
        m.member_id == addition.member_id
        or (addition.participant_id and m.participant_id == addition.participant_id)
        for m in state.members
    ):
        raise Conflict("duplicate_member", "This person is already a member.")
    founder = not state.steps
    if founder and addition.kind is not state.founded_by:
        raise StepNotAllowed(
            "founder_kind_mismatch",
            f"This cooperative is founded by {state.founded_by} persons.",
            {"founded_by": state.founded_by},
        )
    member = Member(**addition.model_dump(exclude={"occurred_on"}), joined_on=on, founder=founder)
    new = state.model_copy(update={"members": [*state.members, member]})
    rules = state.rules
    if (
        addition.kind is PersonKind.NATURAL
        and _count(new, PersonKind.NATURAL) > rules.max_members_natural
    ):
        raise Conflict(
            "member_limit_reached",
            f"A social cooperative has at most {rules.max_members_natural} members.",
        )
    _check_outside_share(new)
    if addition.pathway_id:
        step = "founder_added" if founder else "member_joined"
        _tell(new, [member], step, on)
    return _track_minimum(_drop_met_members_deadline(new), on)


def remove_member(
    state: CooperativeState, removal: MemberRemoval, now: datetime
) -> CooperativeState:
    """A founder or member leaves; the remaining share and minimum are checked."""
    on = removal.occurred_on or local_date(now)
    _not_in_future(on, now)
    leaving = next((m for m in state.members if m.member_id == removal.member_id), None)
    if leaving is None:
        raise NotFound("member_not_found", "No such member of this cooperative.")
    if on < leaving.joined_on:
        raise InvalidInput("date_before_joining", f"The member joined on {leaving.joined_on}.")
    new = state.model_copy(
        update={"members": [m for m in state.members if m.member_id != removal.member_id]}
    )
    _check_outside_share(new)
    if leaving.pathway_id:
        _tell(new, [leaving], "member_removed", on)
    return _track_minimum(new, on)


def record_step(state: CooperativeState, step: StepRecording, now: datetime) -> CooperativeState:
    """The next founding step, on a business date not in the future nor before the previous."""
    on = step.occurred_on or local_date(now)
    expected = next_step(state)
    if step.type is not expected:
        raise StepNotAllowed(
            "step_not_allowed",
            f"The next founding step is {expected}."
            if expected
            else "The cooperative is registered.",
            {"next_step": expected},
        )
    _not_in_future(on, now)
    if state.steps and on < state.steps[-1].occurred_on:
        previous = state.steps[-1]
        raise InvalidInput(
            "date_before_previous_step",
            f"{step.type} cannot precede {previous.type} of {previous.occurred_on}.",
        )
    _check_founders(state)
    _check_outside_share(state)
    new = state.model_copy(
        update={"steps": [*state.steps, StepTaken(type=step.type, occurred_on=on)]}
    )
    _tell(new, new.members, step.type, on)
    if step.type is FoundingStep.REGISTERED:
        new = _open_members_deadline(new, on)
    return _track_minimum(new, on)


def next_step(state: CooperativeState) -> FoundingStep | None:
    """The founding step that may come next; None once registered."""
    return STEP_ORDER[len(state.steps)] if len(state.steps) < len(STEP_ORDER) else None


def reach_deadlines(state: CooperativeState, now: datetime) -> CooperativeState:
    """Deadlines whose day has ended become risks for the caseworker (never a liquidation)."""
    due = sorted((d for d in state.deadlines if reached_at(d) <= now), key=lambda d: d.due_on)
    new = state
    for deadline in due:
        kept = [d for d in new.deadlines if d.kind is not deadline.kind]
        new = new.model_copy(update={"deadlines": kept})
        if deadline.kind is CooperativeDeadlineKind.MEMBERS_DEADLINE:
            new = _flag(new, RiskKind.MEMBERS_DEADLINE_MISSED, deadline.due_on)
            new = _track_minimum(new, deadline.due_on)
        else:
            new = _flag(new, RiskKind.LIQUIDATION_RISK, deadline.due_on)
    return new


def reached_at(deadline: CooperativeDeadline) -> datetime:
    """A deadline passes when its day ends: the members may still join on the day itself."""
    return start_of_local_day(add_days(deadline.due_on, 1))


def next_wakeup(state: CooperativeState) -> datetime | None:
    """When the workflow must wake up by itself: the earliest deadline."""
    return min((reached_at(d) for d in state.deadlines), default=None)


def view(state: CooperativeState) -> CooperativeView:
    """What the API shows."""
    natural = _count(state, PersonKind.NATURAL)
    outside = _outside(state)
    return CooperativeView(
        id=state.cooperative_id,
        founded_by=state.founded_by,
        rules=state.rules_key,
        created_on=state.created_on,
        stage=state.steps[-1].type if state.steps else "founding_group",
        next_step=next_step(state),
        members=state.members,
        steps=state.steps,
        deadlines=sorted(state.deadlines, key=lambda d: d.due_on),
        risks=state.risks,
        outside_share_pct=round(100 * outside / natural, 2) if natural else 0.0,
        duties=duties(state),
    )


def _count(state: CooperativeState, kind: PersonKind) -> int:
    return sum(1 for m in state.members if m.kind is kind)


def _outside(state: CooperativeState) -> int:
    return sum(
        1 for m in state.members if m.kind is PersonKind.NATURAL and not m.from_excluded_group
    )


def _check_outside_share(state: CooperativeState) -> None:
    natural, outside = _count(state, PersonKind.NATURAL), _outside(state)
    cap = state.rules.outside_share_max_pct
    if 100 * outside > cap * natural:
        raise Conflict(
            "outside_share_exceeded",
            f"At most {cap}% of the members may come from outside the excluded groups.",
            {"outside": outside, "natural_members": natural},
        )


def _check_founders(state: CooperativeState) -> None:
    needed = _minimum_founders(state)
    have = _count(state, state.founded_by)
    if have < needed:
        raise StepNotAllowed(
            "too_few_founders",
            f"A cooperative of {state.founded_by} persons needs at least {needed} founders.",
            {"founders": have, "needed": needed},
        )


def _minimum_founders(state: CooperativeState) -> int:
    rules = state.rules
    if state.founded_by is PersonKind.LEGAL:
        return rules.min_founders_legal
    return rules.min_founders_natural


def _minimum_members(state: CooperativeState) -> int:
    # While the members deadline runs, the founders' minimum is enough.
    if state.founded_by is PersonKind.LEGAL:
        return state.rules.min_members_legal
    if any(d.kind is CooperativeDeadlineKind.MEMBERS_DEADLINE for d in state.deadlines):
        return state.rules.min_founders_natural
    return state.rules.min_members_natural


def _open_members_deadline(state: CooperativeState, registered_on: date) -> CooperativeState:
    rules = state.rules
    if (
        state.founded_by is PersonKind.LEGAL
        or _count(state, PersonKind.NATURAL) >= rules.min_members_natural
    ):
        return state
    due = add_months(registered_on, rules.extra_members_deadline_months)
    deadline = CooperativeDeadline(kind=CooperativeDeadlineKind.MEMBERS_DEADLINE, due_on=due)
    return state.model_copy(update={"deadlines": [*state.deadlines, deadline]})


def _drop_met_members_deadline(state: CooperativeState) -> CooperativeState:
    if state.law_version >= 2:
        if not duty_met(state):
            return state
    elif _count(state, PersonKind.NATURAL) < state.rules.min_members_natural:
        return state
    kept = [d for d in state.deadlines if d.kind is not CooperativeDeadlineKind.MEMBERS_DEADLINE]
    risks = state.risks
    if state.law_version >= 2:  # met late: no longer a risk
        risks = [r for r in risks if r.kind is not RiskKind.MEMBERS_DEADLINE_MISSED]
    return state.model_copy(update={"deadlines": kept, "risks": risks})


def employ_member(
    state: CooperativeState, employment: MemberEmployment, now: datetime
) -> CooperativeState:
    """A member employed by the cooperative; the 12-month duty may be met by it (§10)."""
    return _drop_met_members_deadline(record_employment(state, employment, now))


def _track_minimum(state: CooperativeState, on: date) -> CooperativeState:
    """After registration, membership below the minimum starts the grace; back at it, ends it."""
    if not state.registered:
        return state
    counted = _count(state, state.founded_by)
    grace = CooperativeDeadlineKind.BELOW_MINIMUM_GRACE
    if counted >= _minimum_members(state):
        # Back at the minimum: no liquidation risk; the duty to employ stays flagged until met.
        owed = state.law_version >= 2 and not duty_met(state)
        return state.model_copy(
            update={
                "below_minimum_since": None,
                "deadlines": [d for d in state.deadlines if d.kind is not grace],
                "risks": [
                    r for r in state.risks if owed and r.kind is not RiskKind.LIQUIDATION_RISK
                ],
            }
        )
    if state.below_minimum_since is not None:
        return state
    due = add_months(on, state.rules.below_minimum_grace_months)
    return state.model_copy(
        update={
            "below_minimum_since": on,
            "deadlines": [*state.deadlines, CooperativeDeadline(kind=grace, due_on=due)],
        }
    )


def _flag(state: CooperativeState, kind: RiskKind, since: date) -> CooperativeState:
    if any(r.kind is kind for r in state.risks):
        return state
    return state.model_copy(update={"risks": [*state.risks, Risk(kind=kind, since=since)]})


def _tell(state: CooperativeState, members: list[Member], step: str, on: date) -> None:
    """Queue the news for each participant member's pathway (the workflow sends it)."""
    news = CooperativeNews(cooperative_id=state.cooperative_id, step=step, occurred_on=on)
    state.outbox = [
        *state.outbox,
        *(PendingNews(pathway_id=m.pathway_id, news=news) for m in members if m.pathway_id),
    ]


def _not_in_future(on: date, now: datetime) -> None:
    if on > local_date(now):
        raise InvalidInput("date_in_future", "The date may not be in the future.")
