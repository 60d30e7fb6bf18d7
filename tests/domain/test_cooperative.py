"""Founding a social cooperative (u.s.s., domain.md §4): founders, share, steps, deadlines."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import add_months, start_of_local_day
from domain.cooperative import (
    CooperativeInput,
    CooperativeState,
    FoundingStep,
    MemberAddition,
    MemberEmployment,
    MemberRemoval,
    PersonKind,
    RiskKind,
    StepRecording,
)
from domain.cooperative_rules import COOPERATIVES_FROM_2018, cooperative_rules_for
from domain.errors import Conflict, DomainError, InvalidInput, NotFound, StepNotAllowed
from domain.founding import (
    add_member,
    check_referred,
    employ_member,
    new_cooperative,
    reach_deadlines,
    record_step,
    remove_member,
    view,
)

NOW = datetime(2026, 6, 15, 10, tzinfo=UTC)
TODAY = date(2026, 6, 15)
_ids = itertools.count(1)


def founding(by: PersonKind = PersonKind.NATURAL) -> CooperativeState:
    return new_cooperative(
        CooperativeInput(cooperative_id="c", founded_by=by, created_on=TODAY), NOW
    )


def join(
    state: CooperativeState,
    excluded: bool = True,
    kind: PersonKind = PersonKind.NATURAL,
    pathway: str | None = None,
    now: datetime = NOW,
) -> CooperativeState:
    member = MemberAddition(
        member_id=f"m{next(_ids)}",
        kind=kind,
        from_excluded_group=excluded,
        participant_id=f"p-{pathway}" if pathway else None,
        pathway_id=pathway,
    )
    return add_member(state, member, now)


def founders(n: int, by: PersonKind = PersonKind.NATURAL) -> CooperativeState:
    state = founding(by)
    for _ in range(n):
        state = join(state, kind=by)
    return state


def steps(state: CooperativeState, *days: date, now: datetime = NOW) -> CooperativeState:
    for step, on in zip(FoundingStep, days, strict=False):
        state = record_step(state, StepRecording(type=step, occurred_on=on), now)
    return state


def registered(n: int, on: date = date(2026, 6, 1)) -> CooperativeState:
    return steps(founders(n), on, on, on)


def test_the_2018_amendment_numbers_come_from_the_rulebook() -> None:
    rules = cooperative_rules_for(TODAY)
    assert rules is COOPERATIVES_FROM_2018
    assert (rules.min_founders_natural, rules.min_founders_legal) == (3, 2)
    assert (rules.min_members_natural, rules.extra_members_deadline_months) == (5, 12)
    assert (rules.outside_share_max_pct, rules.below_minimum_grace_months) == (Decimal(50), 3)
    with pytest.raises(InvalidInput):
        cooperative_rules_for(date(2017, 1, 1))


@pytest.mark.parametrize(("by", "enough"), [(PersonKind.NATURAL, 3), (PersonKind.LEGAL, 2)])
def test_a_founding_meeting_needs_three_natural_or_two_legal_persons(
    by: PersonKind, enough: int
) -> None:
    with pytest.raises(StepNotAllowed) as refused:
        steps(founders(enough - 1, by), TODAY)
    assert refused.value.code == "too_few_founders"
    assert steps(founders(enough, by), TODAY).steps[0].type is FoundingStep.FOUNDING_MEETING_HELD


def test_founders_are_of_the_founding_kind_later_members_of_any() -> None:
    with pytest.raises(StepNotAllowed) as refused:
        join(founding(PersonKind.LEGAL))
    assert refused.value.code == "founder_kind_mismatch"
    after_meeting = steps(founders(2, PersonKind.LEGAL), TODAY)
    assert not join(after_meeting).members[-1].founder


@given(excluded=st.integers(0, 12), outside=st.integers(0, 12))
def test_at_most_half_of_the_natural_members_come_from_outside_the_groups(
    excluded: int, outside: int
) -> None:
    state = founding()
    for _ in range(excluded):
        state = join(state)
    for _ in range(min(outside, excluded)):  # up to half: always accepted
        state = join(state, excluded=False)
    members = len(state.members)
    now_outside = min(outside, excluded)
    if 2 * (now_outside + 1) <= members + 1:
        assert view(join(state, excluded=False)).outside_share_pct <= 50
    else:
        with pytest.raises(Conflict) as refused:
            join(state, excluded=False)
        assert refused.value.code == "outside_share_exceeded"


def test_removing_an_excluded_member_may_not_push_the_outside_share_over_half() -> None:
    state = join(founders(1), excluded=False)
    with pytest.raises(Conflict) as refused:
        remove_member(state, MemberRemoval(member_id=state.members[0].member_id), NOW)
    assert refused.value.code == "outside_share_exceeded"


def test_duplicates_and_unknown_members_are_refused() -> None:
    state = join(founding(), pathway="pw-1")
    with pytest.raises(Conflict) as duplicate:
        join(state, pathway="pw-1")
    assert duplicate.value.code == "duplicate_member"
    with pytest.raises(NotFound):
        remove_member(state, MemberRemoval(member_id="nobody"), NOW)


def test_steps_go_in_order_on_dates_neither_future_nor_before_the_previous() -> None:
    state = founders(3)
    with pytest.raises(StepNotAllowed) as out_of_order:
        record_step(state, StepRecording(type=FoundingStep.REGISTERED), NOW)
    assert out_of_order.value.code == "step_not_allowed"
    with pytest.raises(InvalidInput) as future:
        steps(state, TODAY + timedelta(days=1))
    assert future.value.code == "date_in_future"
    with pytest.raises(InvalidInput) as backwards:
        steps(state, TODAY, TODAY - timedelta(days=1))
    assert backwards.value.code == "date_before_previous_step"
    done = steps(state, TODAY - timedelta(days=40), TODAY - timedelta(days=30), TODAY)
    assert view(done).stage == "registered"
    with pytest.raises(StepNotAllowed):
        record_step(done, StepRecording(type=FoundingStep.REGISTERED), NOW)


def test_three_founders_have_twelve_months_from_registration_to_reach_five() -> None:
    state = registered(3)
    assert [(d.kind, d.due_on) for d in state.deadlines] == [("members_deadline", date(2027, 6, 1))]
    on_the_day = reach_deadlines(state, start_of_local_day(date(2027, 6, 1)))
    assert on_the_day.risks == []
    missed = reach_deadlines(state, start_of_local_day(date(2027, 6, 2)))
    assert [(r.kind, r.since) for r in missed.risks] == [
        ("members_deadline_missed", date(2027, 6, 1))
    ]
    assert missed.steps == state.steps  # a flag for the caseworker, not a liquidation
    grace = [d for d in missed.deadlines if d.kind == "below_minimum_grace"]
    assert [d.due_on for d in grace] == [add_months(date(2027, 6, 1), 3)]


def test_two_members_from_the_groups_admitted_and_employed_meet_the_duty() -> None:
    """§10: a cooperative of three natural persons admits *and employs* two persons from the
    excluded groups within 12 months of its KRS entry; outside members do not count."""
    assert registered(5).deadlines == []  # five founders owe nothing
    state = join(join(join(registered(3)), excluded=False), excluded=False)
    [duty] = view(state).duties
    assert (duty.due_on, duty.required, duty.counted, duty.met) == (date(2027, 6, 1), 2, 0, False)
    newcomers = [m for m in state.members if not m.founder]
    outside = [m for m in newcomers if not m.from_excluded_group]
    from_groups = [m for m in newcomers if m.from_excluded_group]
    for member in outside:
        state = employ_member(state, MemberEmployment(member_id=member.member_id), NOW)
    assert view(state).duties[0].counted == 0 and state.deadlines  # they do not count
    state = join(state)  # a second person from the groups joins, not yet employed
    state = employ_member(state, MemberEmployment(member_id=from_groups[0].member_id), NOW)
    assert view(state).duties[0].counted == 1 and state.deadlines
    second = next(m for m in state.members if not m.founder and m.employed_since is None
                  and m.from_excluded_group)  # fmt: skip
    done = employ_member(state, MemberEmployment(member_id=second.member_id), NOW)
    assert done.deadlines == [] and view(done).duties == []
    with pytest.raises(StepNotAllowed) as again:
        employ_member(done, MemberEmployment(member_id=second.member_id), NOW)
    assert again.value.code == "already_recorded"


def test_the_duty_met_late_clears_its_flag() -> None:
    state = join(join(registered(3)))
    missed = reach_deadlines(state, start_of_local_day(date(2027, 6, 2)))
    assert [r.kind for r in missed.risks] == ["members_deadline_missed"]
    later = datetime(2027, 7, 1, 10, tzinfo=UTC)
    for member in [m for m in missed.members if not m.founder]:
        missed = employ_member(
            missed, MemberEmployment(member_id=member.member_id, started_on=date(2027, 6, 20)),
            later,
        )  # fmt: skip
    assert all(r.kind != "members_deadline_missed" for r in missed.risks)


def test_cooperatives_of_the_first_version_met_the_duty_with_five_members() -> None:
    old = registered(3).model_copy(update={"law_version": 1})
    assert join(join(old)).deadlines == []


def test_below_the_minimum_for_three_months_is_a_liquidation_risk() -> None:
    state = registered(5)
    left = remove_member(state, MemberRemoval(member_id=state.members[0].member_id), NOW)
    assert left.below_minimum_since == TODAY
    later = reach_deadlines(left, start_of_local_day(add_months(TODAY, 3) + timedelta(days=1)))
    assert [r.kind for r in later.risks] == [RiskKind.LIQUIDATION_RISK]
    back = join(later, now=NOW)
    assert back.risks == [] and back.below_minimum_since is None


def test_members_pathways_are_told_of_each_step() -> None:
    state = join(join(join(founding(), pathway="a"), pathway="b"), excluded=True)
    assert [(n.pathway_id, n.news.step) for n in state.outbox] == [
        ("a", "founder_added"),
        ("b", "founder_added"),
    ]
    met = steps(state.model_copy(update={"outbox": []}), TODAY)
    assert [(n.pathway_id, n.news.step) for n in met.outbox] == [
        ("a", "founding_meeting_held"),
        ("b", "founding_meeting_held"),
    ]


def test_only_a_referred_participant_may_join() -> None:
    check_referred(True)
    with pytest.raises(DomainError) as refused:
        check_referred(False)
    assert refused.value.code == "not_referred_to_cooperative"
