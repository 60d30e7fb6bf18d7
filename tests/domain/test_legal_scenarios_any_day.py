"""The law's scenarios that start so long before today (tests/api/test_legal_scenarios.py plays
them on the real servers, whose today is the machine's), played on the domain alone as if today
were each of the calendar's awkward days: every one still says what the law says.

The workflow takes a step as `next_step` on its state and answers `step_view` of it, so that is
what is played here; rows that wait for timers or read benefits need the servers and are left to
the HTTP test (those that count days of the week start on fixed dates there anyway).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from domain.actions import ACTION_ADAPTER
from domain.calendar import WARSAW
from domain.deadlines import reach_deadlines
from domain.errors import Conflict, DomainError, Forbidden, InvalidInput, StepNotAllowed
from domain.pathway import PathwayInput, PathwayState, StepRequest
from domain.roles import Role
from domain.steps import first_state, next_step
from domain.views import step_view
from tests.api.test_legal_scenarios import SCENARIOS, Ago, Scenario, _body, _date, start_of
from tests.support import CALENDAR_BOUNDARIES

ROLES = {"caseworker": Role.CASEWORKER, "supervisor": Role.SUPERVISOR}
STATUS: dict[type[DomainError], int] = {
    InvalidInput: 422,
    StepNotAllowed: 409,
    Conflict: 409,
    Forbidden: 403,
}
RELATIVE = [
    s
    for s in SCENARIOS
    if isinstance(s.start, Ago) and not {who for who, _ in s.steps} & {"settled", "benefits"}
]


def _play(scenario: Scenario, start: date, now: datetime) -> tuple[int, str | None, Any]:
    """The status, error code and last answer (or final state) of the scenario's steps."""
    state: PathwayState = first_state(
        PathwayInput(
            pathway_id="pw", participant_id="pt", programme=scenario.programme, started_on=start
        ),
        now,
    )
    role = Role.CASEWORKER
    for who, raw in scenario.steps:
        role = ROLES[who]
        action = ACTION_ADAPTER.validate_python(_body(raw, start))
        try:
            state = next_step(state, StepRequest(action=action, actor="anna", role=role), now)
        except DomainError as refused:
            status = next(code for kind, code in STATUS.items() if isinstance(refused, kind))
            return status, refused.code, None
    state = reach_deadlines(state, now)
    last = len(state.timeline)
    return 200, None, (step_view(state, role, last, last).model_dump(mode="json"), state)


def test_most_rows_start_relative_to_today_and_are_played_here() -> None:
    assert len(RELATIVE) >= 40


@pytest.mark.parametrize("today", CALENDAR_BOUNDARIES, ids=str)
def test_every_relative_scenario_holds_as_if_today_were(today: date) -> None:
    now = datetime.combine(today, time(12), tzinfo=WARSAW).astimezone(UTC)
    for scenario in RELATIVE:
        start = start_of(scenario, today)
        status, code, answer = _play(scenario, start, now)
        assert (status, code) == (scenario.status, scenario.code or code), scenario.id
        if answer is None:
            continue
        body, state = answer
        deadlines = {d["kind"]: d["due_on"] for d in body["deadlines"]}
        for key, expected in scenario.state.items():
            if key.startswith("deadline:"):
                assert deadlines.get(key[9:]) == _date(expected, start), (scenario.id, key)
            elif key == "no-deadline":
                assert expected not in deadlines, scenario.id
            elif key == "last_flag":
                assert state.timeline[-1].data.get("flag") == expected, scenario.id
            else:
                assert body[key] == expected, (scenario.id, key)
