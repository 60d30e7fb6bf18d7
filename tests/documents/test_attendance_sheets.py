"""The printouts of a centre's week read back with pypdf: names, marks, totals, signatures."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from documents.attendance_sheets import DayMark, group_month_list, timesheet
from documents.pdf import render

CENTRE = "Centrum Integracji Społecznej w Łodzi"


def text_of(pdf: bytes) -> str:
    # Justified lines extract with wider spaces: words are compared, not spacing.
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_group_s_monthly_list() -> None:
    marks = {
        "a": [DayMark(date(2026, 11, 2), "present", Decimal(6)),
              DayMark(date(2026, 11, 3), "present", Decimal("5.5"))],
        "b": [DayMark(date(2026, 11, 2), "absent", absence="sick"),
              DayMark(date(2026, 11, 3), "day_off")],
    }  # fmt: skip
    people = [("a", "Żaneta Łęcka"), ("b", "Jan Ćwik")]
    doc = group_month_list(CENTRE, "Warsztat gastronomiczny", 2026, 11, people, marks,
                           date(2026, 12, 1), "Łódź")  # fmt: skip
    text = text_of(render(doc))
    for expected in (CENTRE, "Lista obecności \u2013 Warsztat gastronomiczny \u2013 listopad 2026",
                     "Żaneta Łęcka", "Jan Ćwik", "11,5", "instruktor", "kierownik Centrum",
                     "C \u2013 choroba", "Łódź, 01.12.2026"):  # fmt: skip
        assert expected in text, expected


def test_a_participant_s_timesheet() -> None:
    marks = [DayMark(date(2026, 11, 2), "present", Decimal(6), title="Gastronomia"),
             DayMark(date(2026, 11, 3), "absent", absence="unexcused", title="Gastronomia"),
             DayMark(date(2026, 11, 4), "present", Decimal(2), title="Psycholog")]  # fmt: skip
    text = text_of(render(timesheet(CENTRE, "Żaneta Łęcka", 2026, 11, marks, date(2026, 12, 1))))
    for expected in ("Karta czasu udziału w zajęciach", "Żaneta Łęcka",
                     "Godziny obecności w miesiącu: 8", "nieusprawiedliwione: 1",
                     "02.11.2026", "Psycholog", "uczestnik"):  # fmt: skip
        assert expected in text, expected
