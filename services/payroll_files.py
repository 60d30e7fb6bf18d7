"""The payroll as files for the accounting system: CSV and XLSX, one line per participant,
then one per adjustment, then the totals. Amounts are decimal strings in CSV, numbers in XLSX."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from domain.payroll import Payroll

HEADER = (
    "kind",
    "for_month",
    "pathway_id",
    "participant",
    "trial_days",
    "main_days",
    "attendance_days",
    "attendance_hours",
    "days_off",
    "sick_days",
    "unexcused_days",
    "benefit",
    "deductions",
    "bonus",
    "amount",
    "reasons",
)


Cell = str | int | Decimal


def _row(kind: str, **cells: Cell) -> tuple[Cell, ...]:
    return tuple([kind, *(cells.get(name, "") for name in HEADER[1:])])


def rows(found: Payroll) -> list[tuple[Cell, ...]]:
    """The payroll's lines as rows of `HEADER`, the totals last."""
    out: list[tuple[Cell, ...]] = []
    for line in found.lines:
        s, d = line.statement, line.days
        out.append(
            _row(
                "statement",
                for_month=s.month,
                pathway_id=line.pathway_id,
                participant=line.name or "",
                trial_days=s.trial_days,
                main_days=s.main_days,
                attendance_days=d.attendance_days,
                attendance_hours=d.attendance_hours,
                days_off=d.days_off,
                sick_days=d.sick_days,
                unexcused_days=d.unexcused_days,
                benefit=s.benefit,
                deductions=sum((x.amount for x in s.deductions), Decimal(0)),
                bonus=s.bonus,
                amount=s.total,
                reasons="; ".join(f"{x.reason} x{x.days}" for x in s.deductions),
            )
        )
    for a in found.adjustments:
        out.append(
            _row(
                "adjustment",
                for_month=a.for_month,
                pathway_id=a.pathway_id,
                participant=a.name or "",
                amount=a.amount,
                reasons="; ".join(a.reasons),
            )
        )
    t = found.totals
    out.append(
        _row(
            "total",
            for_month=found.month,
            benefit=t.benefit,
            deductions=t.deductions,
            bonus=t.bonus,
            amount=t.total,
        )
    )
    return out


def payroll_csv(found: Payroll) -> str:
    """The payroll as CSV (a title line naming the unit, month and status, then the rows)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("payroll", found.unit_code, found.month, found.status))
    writer.writerow(HEADER)
    for row in rows(found):
        writer.writerow([str(v) for v in row])
    return out.getvalue()


def payroll_xlsx(found: Payroll) -> bytes:
    """The payroll as an XLSX workbook of one sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"Payroll {found.month}"
    sheet.append(["Payroll", found.unit_code, found.month, found.status])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADER))
    for row in rows(found):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for column, width in (("C", 38), ("D", 30), ("P", 60)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
