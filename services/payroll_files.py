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
    "benefit",
    "deductions",
    "bonus",
    "amount",
    "reasons",
)


def rows(found: Payroll) -> list[tuple[str | int | Decimal, ...]]:
    """The payroll's lines as rows of `HEADER`, the totals last."""
    out: list[tuple[str | int | Decimal, ...]] = []
    for line in found.lines:
        s = line.statement
        deductions = sum((d.amount for d in s.deductions), Decimal(0))
        out.append(
            (
                "statement",
                s.month,
                line.pathway_id,
                line.name or "",
                s.trial_days,
                s.main_days,
                s.benefit,
                deductions,
                s.bonus,
                s.total,
                "; ".join(f"{d.reason} x{d.days}" for d in s.deductions),
            )
        )
    for a in found.adjustments:
        out.append(
            (
                "adjustment",
                a.for_month,
                a.pathway_id,
                a.name or "",
                "",
                "",
                "",
                "",
                "",
                a.amount,
                "; ".join(a.reasons),
            )
        )
    t = found.totals
    out.append(
        ("total", found.month, "", "", "", "", t.benefit, t.deductions, t.bonus, t.total, "")
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
    for column, width in (("C", 38), ("D", 30), ("K", 60)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
