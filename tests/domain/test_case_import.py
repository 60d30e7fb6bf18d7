"""Rows of an import file, checked without a database: each problem named by row and column."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.case_import import COLUMNS, RowProblems, parse_case, rehearse, step_requests
from domain.pathway import PathwayInput
from domain.pesel import encode_pesel
from domain.roles import Role
from domain.stages import Stage
from domain.steps import first_state

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
PESEL = encode_pesel(date(1980, 5, 14), 1234)


def row(**cells: str) -> dict[str, str]:
    """A good KIS row; `cells` override."""
    base = {c: "" for c in COLUMNS}
    base.update(
        external_id="OPS/2026/17",
        unit_code="KIS-A",
        caseworker="anna",
        first_name="Jan",
        last_name="Kowalski",
        pesel=PESEL,
        phone="600 100 200",
        consent_sms="tak",
        categories="homeless; long_term_unemployed",
        programme="kis",
        start_date="2026-04-01",
        steps="record_diagnosis@2026-04-02|summary=needs; sign_social_contract@2026-04-03",
    )
    base.update(cells)
    return base


def problems(cells: dict[str, str]) -> list[str]:
    with pytest.raises(RowProblems) as caught:
        parse_case(17, cells, TODAY)
    return [str(p) for p in caught.value.problems]


def test_a_good_row_becomes_a_case_with_its_steps_and_participant() -> None:
    case = parse_case(2, row(), TODAY)
    assert case.participant.pesel == PESEL and case.participant.consent_sms
    assert [c.value for c in case.participant.categories] == ["homeless", "long_term_unemployed"]
    assert [(s.action.type, s.action.occurred_on) for s in case.steps] == [
        ("record_diagnosis", date(2026, 4, 2)),
        ("sign_social_contract", date(2026, 4, 3)),
    ]


def test_a_bad_pesel_is_reported_with_its_row_and_column() -> None:
    bad = PESEL[:10] + str((int(PESEL[10]) + 1) % 10)
    assert problems(row(pesel=bad)) == ["row 17, column pesel: PESEL check digit does not match."]


def test_every_bad_column_of_a_row_is_reported_at_once() -> None:
    found = problems(
        row(
            first_name="",
            consent_email="maybe",
            programme="club",
            start_date="1.04.2026",
            steps="record_diagnosis@2026-04-02; fly@2026-04-03; record_attendance@2026-04-04",
        )
    )
    assert [p for p in found if "first_name" in p] == ["row 17, column first_name: is required"]
    assert "row 17, column consent_email: is not yes or no" in found
    assert any(p.startswith("row 17, column programme: is not one of") for p in found)
    assert "row 17, column start_date: is not a date YYYY-MM-DD" in found
    assert any(p.startswith("row 17, column steps: step 2 (fly):") for p in found)
    assert any(
        p.startswith("row 17, column steps: step 3 (record_attendance): hours") for p in found
    )


def test_a_step_without_its_date_or_with_a_bad_field_is_reported() -> None:
    assert problems(row(steps="record_diagnosis")) == [
        "row 17, column steps: step 1 (record_diagnosis): the date is missing (type@YYYY-MM-DD)"
    ]
    found = problems(row(steps="record_attendance@2026-04-04|hours"))
    assert found[0] == "row 17, column steps: step 1 (record_attendance): 'hours' is not name=value"


def test_a_consent_without_its_contact_names_the_consent() -> None:
    assert problems(row(consent_email="yes")) == [
        "row 17, column consent_email: consent_email needs an e-mail address"
    ]


def test_the_rehearsal_refuses_a_step_the_law_would_refuse_naming_the_step() -> None:
    early = parse_case(17, row(steps="complete_kis@2026-04-05"), TODAY)
    with pytest.raises(RowProblems) as caught:
        rehearse(early, Role.CASEWORKER, "anna", NOW)
    assert str(caught.value.problems[0]).startswith("row 17, column steps: step 1 (complete_kis):")

    backwards = parse_case(
        17, row(steps="record_diagnosis@2026-04-10; sign_social_contract@2026-04-03"), TODAY
    )
    with pytest.raises(RowProblems) as caught:
        rehearse(backwards, Role.CASEWORKER, "anna", NOW)
    assert "step 2 (sign_social_contract)" in str(caught.value.problems[0])

    supervisor_only = parse_case(
        17,
        row(
            programme="cis",
            steps="sign_ipzs@2026-04-02; pass_trial@2026-04-30; grant_day_off@2026-05-11",
        ),
        TODAY,
    )
    with pytest.raises(RowProblems):
        rehearse(supervisor_only, Role.CASEWORKER, "anna", NOW)
    assert rehearse(supervisor_only, Role.SUPERVISOR, "marek", NOW).stage is Stage.CIS_MAIN


def test_a_kis_case_started_seven_months_ago_is_already_past_six_months() -> None:
    start = TODAY - timedelta(days=214)
    steps = "; ".join(
        [
            f"record_diagnosis@{start + timedelta(days=1)}",
            f"sign_social_contract@{start + timedelta(days=2)}",
            f"mark_contract_fulfilled@{start + timedelta(days=150)}",
            f"complete_kis@{TODAY - timedelta(days=1)}",
        ]
    )
    case = parse_case(2, row(start_date=start.isoformat(), steps=steps), TODAY)
    state = rehearse(case, Role.CASEWORKER, "anna", NOW)
    assert state.stage is Stage.KIS_COMPLETED and state.graduate
    reached = [e for e in state.timeline if e.type == "deadline_reached"]
    assert [e.data["kind"] for e in reached] == ["kis_six_months"]


def test_the_workflow_starts_an_imported_case_where_the_rehearsal_ends() -> None:
    start = TODAY - timedelta(days=214)
    steps = (
        f"record_diagnosis@{start + timedelta(days=1)}; "
        f"sign_social_contract@{start + timedelta(days=2)}"
    )
    case = parse_case(2, row(start_date=start.isoformat(), steps=steps), TODAY)
    rehearsed = rehearse(case, Role.CASEWORKER, "anna", NOW, pathway_id="p-1")
    imported = PathwayInput(
        pathway_id="p-1",
        participant_id="p-1",
        programme=case.programme,
        started_on=case.start_date,
        requested_at=NOW,
        history=step_requests(case, "anna", Role.CASEWORKER, "p-1"),
    )
    # One start with the steps as its history: the same state as the check played step by step
    # (the clock first, as for any step recorded today: the six months have passed).
    assert first_state(imported, NOW) == rehearsed
    assert [e.type for e in rehearsed.timeline][-3:] == [
        "deadline_reached",
        "record_diagnosis",
        "sign_social_contract",
    ]
