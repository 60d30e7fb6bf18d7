"""What blocks closing a month: working days without a record, and the days of an open spell."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.pathway import Event
from domain.payroll import MissingReason, missing_days

RECORDED = datetime(2026, 11, 2, tzinfo=UTC)


def _event(seq: int, type_: str, on: date, **data: Any) -> Event:
    return Event(seq=seq, type=type_, occurred_on=on, actor="cw", recorded_at=RECORDED, data=data)


def test_weekends_and_holidays_are_never_missing() -> None:
    # 30 Oct 2026 is a Friday; 1 Nov a Sunday (All Saints); 2 Nov a Monday.
    timeline = [_event(1, "record_attendance", date(2026, 10, 30), hours="7")]
    assert missing_days(timeline, date(2026, 10, 30), date(2026, 11, 1)) == []
    [gap] = missing_days(timeline, date(2026, 10, 30), date(2026, 11, 2))
    assert (gap.day, gap.reason) == (date(2026, 11, 2), MissingReason.NO_RECORD)


def test_days_after_a_sick_day_are_an_open_spell_even_across_months() -> None:
    timeline = [
        _event(1, "record_absence", date(2026, 10, 30), kind="sick"),
        _event(2, "record_attendance", date(2026, 11, 4), hours="7"),
    ]
    found = missing_days(timeline, date(2026, 11, 1), date(2026, 11, 5))
    assert [(m.day.day, m.reason) for m in found] == [
        (2, MissingReason.SICK_SPELL_OPEN),
        (3, MissingReason.SICK_SPELL_OPEN),
        (5, MissingReason.NO_RECORD),
    ]
