"""The KPIs as administrators see them: small counts and the rates built on them hidden."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.kpi_suppression import suppressed_kpis
from domain.reports import KpiReport, rate


def _cohort(leavers: int, employed: int) -> dict[str, Any]:
    return {
        "cohort": "2026-03",
        "leavers": leavers,
        "pending": 0,
        "employment": rate(employed, leavers).model_dump(),
        "social": rate(leavers, leavers).model_dump(),
    }


def _report() -> KpiReport:
    return KpiReport.model_validate(
        {
            "units": ["KIS-1"],
            "period_from": date(2026, 1, 1),
            "period_to": date(2026, 6, 30),
            "as_of": date(2026, 6, 30),
            "rulebook": "uzs-2022",
            "participants_by_stage": [
                {"programme": "kis", "stage": "kis_active", "count": 12},
                {"programme": "kis", "stage": "kis_intake", "count": 2},
                {"programme": "kis", "stage": "kis_diagnosed", "count": 7},
            ],
            "entries": {"kis": 9},
            "exits_by_kind": {"completed": 6, "withdrawn": 0},
            "completions": {"kis": 6},
            "terminations_by_ground": {},
            "attendance": {
                "days_present": 300,
                "hours_present": "1200.0",
                "days_excused": 3,
                "days_sick": 10,
                "days_unexcused": 0,
                "days_off": 0,
                "rate": rate(300, 313).model_dump(),
            },
            "overdue_tasks": {"trial_end": 1},
            "effectiveness": {
                "leavers": 6,
                "pending": 0,
                "employment": rate(3, 6).model_dump(),
                "social": rate(6, 6).model_dump(),
                "by_programme": {"kis": _cohort(6, 3)},
                "by_category": {"homeless": _cohort(2, 1)},
                "by_cohort": [_cohort(6, 3)],
            },
        }
    )


def test_counts_below_the_threshold_and_their_rates_are_hidden_zero_is_shown() -> None:
    lines = {line.key: line for line in suppressed_kpis(_report(), 5).lines}
    assert lines["participants_by_stage.kis.kis_active"].value == 12
    assert lines["participants_by_stage.kis.kis_intake"].suppressed
    # One stage hidden: the next smallest of the group goes too, so none is recovered.
    assert lines["participants_by_stage.kis.kis_diagnosed"].suppressed
    assert lines["overdue_tasks.trial_end"].suppressed
    assert lines["exits_by_kind.withdrawn"].value == 0
    assert lines["effectiveness.by_category.homeless.leavers"].suppressed
    assert lines["effectiveness.by_category.homeless.employment.rate_pct"].suppressed
    # 3 employed of 6: the numerator is small, so the rate would tell it.
    assert lines["effectiveness.employment.numerator"].suppressed
    assert lines["effectiveness.employment.rate_pct"].value is None
    assert lines["attendance.rate_pct"].value == Decimal("95.8")
    assert all(
        line.value is None or line.value == 0 or line.value >= 5
        for key, line in lines.items()
        if not key.endswith("rate_pct")
    )
