"""The KPIs as an administrator sees them: every figure a line, small counts suppressed.

Supervisors see their own unit's participants one by one, so their KPI answer keeps every count.
An administrator sees no participant and may name any unit: for them the KPIs are suppressed by
the annual report's rule (domain/reports.py `suppress`), and a rate is shown only where both of
its counts are.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from domain.reports import (
    DEFINITIONS,
    SUPPRESSION_NOTE,
    AnnualLine,
    CohortRates,
    KpiReport,
    Rate,
    suppress,
)

ADMIN_NOTE = (
    "Administrators see the KPIs with small counts suppressed, as in the annual report; the "
    "unit's supervisors see every count."
)


class SuppressedKpiReport(BaseModel):
    """`GET /reports/kpis` for an administrator: the KPIs as lines, small counts suppressed."""

    units: list[str]
    period_from: date
    period_to: date
    as_of: date
    rulebook: str
    suppressed: bool = True
    min_cell_count: int
    lines: list[AnnualLine]
    notes: list[str]
    definitions: dict[str, str] = Field(default_factory=lambda: dict(DEFINITIONS))


def suppressed_kpis(report: KpiReport, threshold: int) -> SuppressedKpiReport:
    """The report's figures as lines, counts from 1 to `threshold` - 1 hidden (and, where a
    group adds up, the next smallest too), rates hidden with either of their counts."""
    counts, rates = _lines(report)
    shown = suppress(counts, threshold)
    hidden = {line.key for line in shown if line.suppressed}
    rate_lines = [
        AnnualLine(key=f"{key}.rate_pct", label=f"{key}.rate_pct", value=None, suppressed=True)
        if f"{key}.numerator" in hidden or f"{key}.denominator" in hidden
        else AnnualLine(key=f"{key}.rate_pct", label=f"{key}.rate_pct", value=value)
        for key, value in rates
    ]
    return SuppressedKpiReport(
        units=report.units,
        period_from=report.period_from,
        period_to=report.period_to,
        as_of=report.as_of,
        rulebook=report.rulebook,
        min_cell_count=threshold,
        lines=shown + rate_lines,
        notes=[
            SUPPRESSION_NOTE.format(floor=threshold - 1, threshold=threshold),
            ADMIN_NOTE,
        ],
        definitions=report.definitions,
    )


def _lines(report: KpiReport) -> tuple[list[AnnualLine], list[tuple[str, Decimal | None]]]:
    counts: list[AnnualLine] = []
    rates: list[tuple[str, Decimal | None]] = []

    def count(key: str, value: int, group: str | None = None) -> None:
        counts.append(AnnualLine(key=key, label=key, value=value, group=group))

    def share(key: str, figure: Rate) -> None:
        count(f"{key}.numerator", figure.numerator)
        count(f"{key}.denominator", figure.denominator)
        rates.append((key, figure.rate_pct))

    def cohort(key: str, figures: CohortRates) -> None:
        count(f"{key}.leavers", figures.leavers)
        count(f"{key}.pending", figures.pending)
        share(f"{key}.employment", figures.employment)
        share(f"{key}.social", figures.social)

    for row in report.participants_by_stage:
        count(f"participants_by_stage.{row.programme}.{row.stage}", row.count, "by_stage")
    for name, group in (
        ("entries", None),
        ("exits_by_kind", "exits_by_kind"),
        ("completions", None),
        ("terminations_by_ground", "terminations_by_ground"),
        ("overdue_tasks", "overdue_tasks"),
    ):
        for kind, value in getattr(report, name).items():
            count(f"{name}.{kind}", value, group)
    attendance = report.attendance
    for field in ("days_present", "days_excused", "days_sick", "days_unexcused", "days_off"):
        count(f"attendance.{field}", getattr(attendance, field))
    share("attendance", attendance.rate)
    effect = report.effectiveness
    count("effectiveness.leavers", effect.leavers)
    count("effectiveness.pending", effect.pending)
    share("effectiveness.employment", effect.employment)
    share("effectiveness.social", effect.social)
    for programme, figures in effect.by_programme.items():
        cohort(f"effectiveness.by_programme.{programme}", figures)
    for category, figures in effect.by_category.items():
        cohort(f"effectiveness.by_category.{category}", figures)
    for figures in effect.by_cohort:
        cohort(f"effectiveness.by_cohort.{figures.cohort}", figures)
    return counts, rates
