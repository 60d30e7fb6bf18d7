"""The printouts of a centre's week that people sign: a group's monthly attendance list and a
participant's monthly timesheet (issue 14). Built from plain facts; never reads the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from documents.pdf import Document, Signatures, Table

BASIS = "art. 14 ustawy z dnia 13 czerwca 2003 r. o zatrudnieniu socjalnym"
MONTHS = ("styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień",
          "wrzesień", "październik", "listopad", "grudzień")  # fmt: skip
# The marks on a list, as Polish centres write them.
ABSENCE_SIGNS = {"excused": "U", "unexcused": "N", "sick": "C"}
DAY_OFF_SIGN = "W"
DASH = "\u2013"  # the en dash Polish documents use
LEGEND = (
    f"Oznaczenia: liczba {DASH} godziny obecności; U {DASH} nieobecność usprawiedliwiona; "
    f"N {DASH} nieobecność nieusprawiedliwiona; C {DASH} choroba; W {DASH} dzień wolny."
)


SIGNING = ("uczestnik", "instruktor", "kierownik Centrum")


@dataclass(frozen=True)
class DayMark:
    """A person's standing mark on one day (the latest correction): hours, or a sign."""

    day: date
    mark: str  # present | absent | day_off
    hours: Decimal | None = None
    absence: str | None = None
    title: str = ""

    @property
    def sign(self) -> str:
        """What the list shows in the day's box."""
        if self.mark == "present" and self.hours is not None:
            return _hours(self.hours)
        if self.mark == "absent" and self.absence:
            return ABSENCE_SIGNS[self.absence]
        return DAY_OFF_SIGN


def _hours(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return [first + timedelta(days=n) for n in range((nxt - first).days)]


def group_month_list(
    centre: str,
    group: str,
    year: int,
    month: int,
    people: Sequence[tuple[str, str]],  # (participant id, name) in the list's order
    marks: Mapping[str, Sequence[DayMark]],
    issued_on: date,
    place: str = "",
) -> Document:
    """A group's monthly attendance list: a row per person, a column per day, hours in all."""
    days = _days(year, month)
    rows = []
    for number, (pid, name) in enumerate(people, start=1):
        by_day: dict[date, list[str]] = {}
        total = Decimal(0)
        for m in marks.get(pid, ()):
            by_day.setdefault(m.day, []).append(m.sign)
            if m.mark == "present" and m.hours is not None:
                total += m.hours
        cells = ["/".join(by_day.get(d, [])) for d in days]
        rows.append([str(number), name, *cells, _hours(total)])
    header = ["Lp.", "Imię i nazwisko", *[str(d.day) for d in days], "Razem"]
    table = Table(header=header, rows=rows, widths=[1.2, 7, *[1.0] * len(days), 1.8],
                  align_right=frozenset({len(header) - 1}))  # fmt: skip
    return Document(
        centre=centre,
        title=f"Lista obecności {DASH} {group} {DASH} {MONTHS[month - 1]} {year}",
        issued_on=issued_on, place=place, basis=BASIS, landscape=True,
        blocks=(table, LEGEND, Signatures(("instruktor", "kierownik Centrum"))),
    )  # fmt: skip


def timesheet(
    centre: str,
    name: str,
    year: int,
    month: int,
    marks: Sequence[DayMark],
    issued_on: date,
    place: str = "",
) -> Document:
    """A participant's monthly timesheet: each day's classes, marks and hours, and the totals."""
    rows = []
    total = Decimal(0)
    for m in sorted(marks, key=lambda m: (m.day, m.title)):
        hours = m.hours if m.mark == "present" and m.hours is not None else Decimal(0)
        total += hours
        rows.append([m.day.strftime("%d.%m.%Y"), m.title, m.sign, _hours(hours)])
    table = Table(header=["Dzień", "Zajęcia", "Obecność", "Godziny"], rows=rows,
                  widths=[2, 6, 2, 1.5], align_right=frozenset({3}))  # fmt: skip
    counts = {sign: sum(1 for m in marks if m.sign == sign) for sign in ("U", "N", "C", "W")}
    summary = (
        f"Uczestnik: {name}. Godziny obecności w miesiącu: {_hours(total)}. "
        f"Nieobecności usprawiedliwione: {counts['U']}, nieusprawiedliwione: {counts['N']}, "
        f"choroba: {counts['C']}, dni wolne: {counts['W']}."
    )
    return Document(
        centre=centre,
        title=f"Karta czasu udziału w zajęciach {DASH} {MONTHS[month - 1]} {year}",
        issued_on=issued_on, place=place, basis=BASIS,
        blocks=(summary, table, LEGEND, Signatures(SIGNING)),
    )  # fmt: skip
