"""Folding a pathway's events into what the reports count, and suppressing small counts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from domain.pathway import Event
from domain.report_rows import ReportRow, benefit_months, employed_after_exit, fold
from domain.reports import AnnualLine, suppress

AT = datetime(2025, 1, 1, tzinfo=UTC)


def _events(*steps: tuple[str, date, dict[str, Any]]) -> list[Event]:
    return [
        Event(seq=n, type=t, occurred_on=on, actor="cw", recorded_at=AT, data=data)
        for n, (t, on, data) in enumerate(steps, start=1)
    ]


KIS_THEN_CIS = _events(
    ("pathway_started", date(2024, 1, 2), {"programme": "kis"}),
    ("record_attendance", date(2024, 1, 3), {"hours": "4", "kind": "group"}),
    ("mark_contract_fulfilled", date(2024, 7, 1), {}),
    ("complete_kis", date(2024, 7, 10), {"graduate": True}),
    ("refer", date(2024, 7, 11), {"to": "cis", "from_stage": "kis_completed"}),
    ("sign_ipzs", date(2024, 7, 15), {"rulebook": "uzs-2022"}),
    ("pass_trial", date(2024, 8, 10), {}),
    ("record_attendance", date(2024, 8, 12), {"hours": "7", "kind": "group"}),
    ("record_absence", date(2024, 8, 13), {"kind": "unexcused"}),
    ("award_bonus", date(2024, 8, 20), {"amount": "300.00"}),
    ("record_job_start", date(2024, 9, 2), {"contract_months": 2, "fte": "1.0"}),
    ("complete_cis", date(2024, 10, 1), {"certificate_issued": True, "graduate": True}),
    ("record_outcome", date(2024, 10, 20), {"classified_as": "employed_not_qualifying"}),
    ("outcome_window_closed", date(2024, 12, 30), {"outcome": "employed_not_qualifying"}),
)


def test_a_kis_graduate_referred_to_a_cis_keeps_the_completion_but_exits_from_the_cis() -> None:
    row, months = fold(ReportRow(), KIS_THEN_CIS)
    assert row.kis_completed_on == date(2024, 7, 10) and row.kis_graduate
    assert row.cis_entered_on == date(2024, 7, 11) and row.cis_admitted_on == date(2024, 7, 15)
    assert (row.exit_kind, row.exit_programme) == ("cis_completed", "cis")
    assert row.exited_on == date(2024, 10, 1)
    # A 2-month contract is work (social progress) but not employment in the §6.1 sense.
    assert not row.job_qualifying and not employed_after_exit(row)
    assert row.social_progress
    assert months[(date(2024, 1, 1), "kis")].attendance_days == 1
    august = months[(date(2024, 8, 1), "cis")]
    assert (august.attendance_hours, august.unexcused_days) == (Decimal(7), 1)
    assert (august.bonus_count, august.bonus_amount) == (1, Decimal("300.00"))


def test_folding_the_same_events_again_changes_nothing() -> None:
    once, _ = fold(ReportRow(), KIS_THEN_CIS)
    twice, months = fold(once, KIS_THEN_CIS)
    assert twice == once
    assert months == {}


def test_folding_in_batches_equals_folding_at_once() -> None:
    whole, _ = fold(ReportRow(), KIS_THEN_CIS)
    first, _ = fold(ReportRow(), KIS_THEN_CIS[:5])
    rest, _ = fold(first, KIS_THEN_CIS)
    assert rest == whole


def test_a_qualifying_job_or_self_employment_counts_as_employment() -> None:
    started = ("pathway_started", date(2024, 1, 2), {"programme": "cis"})
    for job in ({"contract_months": 3, "fte": "0.5"}, {"self_employed": True}):
        row, _ = fold(ReportRow(), _events(started, ("record_job_start", date(2024, 3, 1), job)))
        assert row.job_qualifying and employed_after_exit(row), job
    row, _ = fold(
        ReportRow(),
        _events(
            started, ("record_job_start", date(2024, 3, 1), {"contract_months": 6, "fte": "0.4"})
        ),
    )
    assert not row.job_qualifying


def test_the_cis_benefit_is_computed_for_each_month_in_the_centre() -> None:
    row, _ = fold(ReportRow(), KIS_THEN_CIS)
    months = benefit_months(row, "p", KIS_THEN_CIS, until=date(2024, 12, 31))
    # Admitted 15 July; benefit stops the day before the job (2 September).
    assert [m.month for m in months] == [date(2024, 7, 1), date(2024, 8, 1), date(2024, 9, 1)]
    assert months[1].deductions > 0  # the unexcused day in August
    assert all(m.benefit >= 0 for m in months)


counts = st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=8)


@given(counts)
def test_no_suppressed_count_can_be_recovered_from_the_total(values: list[int]) -> None:
    lines = [AnnualLine(key="g.total", label="t", value=sum(values), group="g")] + [
        AnnualLine(key=f"g.{n}", label=str(n), value=v, group="g") for n, v in enumerate(values)
    ]
    out = suppress(lines, 5)
    parts = out[1:]
    for line, value in zip(parts, values, strict=True):
        if 0 < value < 5:
            assert line.suppressed and line.value is None
    if not out[0].suppressed:
        # Never exactly one hidden cell under a shown total: it would be the difference.
        assert sum(1 for p in parts if p.suppressed) != 1


def test_supported_employment_agreed_inside_the_window_counts_as_employment() -> None:
    row, _ = fold(
        ReportRow(),
        _events(
            ("pathway_started", date(2025, 1, 2), {"programme": "cis"}),
            ("complete_cis", date(2025, 12, 1), {"graduate": True}),
            ("refer", date(2025, 12, 2), {"to": "supported_employment"}),
            ("record_employer_agreement", date(2026, 1, 15), {"classified_as": "employed"}),
            ("outcome_window_closed", date(2026, 3, 1), {"outcome": "employed"}),
        ),
    )
    assert row.outcome == "employed" and employed_after_exit(row)
    late, _ = fold(
        ReportRow(),
        _events(
            ("pathway_started", date(2025, 1, 2), {"programme": "cis"}),
            ("complete_cis", date(2025, 12, 1), {"graduate": True}),
            ("record_employer_agreement", date(2026, 4, 1), {"employer": "x"}),  # after it
        ),
    )
    assert not employed_after_exit(late)


def test_an_open_ended_job_start_qualifies() -> None:
    started = ("pathway_started", date(2024, 1, 2), {"programme": "cis"})
    job = {"contract_type": "employment", "open_ended": True, "fte": "1"}
    row, _ = fold(ReportRow(), _events(started, ("record_job_start", date(2024, 3, 1), job)))
    assert row.job_qualifying
