"""The annual report as files: CSV (one line per figure) and XLSX (a sheet per programme).

A suppressed figure is written as "<N>" (N the threshold), never as its value.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from domain.reports import AnnualLine, AnnualReport

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER = ("section", "key", "label", "value", "suppressed")


def _cell(line: AnnualLine, threshold: int) -> str | int | float:
    if line.suppressed:
        return f"<{threshold}"
    if isinstance(line.value, Decimal):
        return float(line.value)
    return line.value if line.value is not None else ""


def annual_csv(report: AnnualReport) -> str:
    """The report as CSV: a few lines about the report, then one line per figure."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_HEADER)
    for key, value in (
        ("year", report.year),
        ("units", " ".join(report.units)),
        ("generated_at", report.generated_at.isoformat()),
        ("due_on", report.due_on.isoformat()),
        ("min_cell_count", report.min_cell_count),
    ):
        writer.writerow(("report", key, key, value, "false"))
    for section in report.sections:
        for line in section.lines:
            value = (
                f"<{report.min_cell_count}"
                if line.suppressed
                else ("" if line.value is None else str(line.value))
            )
            writer.writerow(
                (section.programme, line.key, line.label, value, str(line.suppressed).lower())
            )
    return out.getvalue()


def annual_xlsx(report: AnnualReport) -> bytes:
    """The report as an XLSX workbook: an 'About' sheet, then a sheet per programme."""
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "About"
    about.append(["Annual report to the voivode", report.year])
    about.append(["Units", " ".join(report.units)])
    about.append(["Generated at", report.generated_at.isoformat()])
    about.append(["Due on", report.due_on.isoformat()])
    about.append([])
    for note in report.notes:
        about.append([note])
    about["A1"].font = Font(bold=True)
    for section in report.sections:
        sheet = book.create_sheet(section.programme.upper())
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(["key", "figure", "value"])
        for line in section.lines:
            sheet.append([line.key, line.label, _cell(line, report.min_cell_count)])
        sheet.column_dimensions["A"].width = 34
        sheet.column_dimensions["B"].width = 70
        sheet.column_dimensions["C"].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
