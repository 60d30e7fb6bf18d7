"""Quiet hours: 08:00-20:00 Europe/Warsaw, never on Sundays or holidays; moves and drops."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.holidays import polish_holidays
from domain.calendar import WARSAW
from domain.quiet_hours import is_allowed, jittered, next_allowed, send_moment

HOLIDAYS = polish_holidays(2025, 2028)
MINUTE = timedelta(minutes=1)


def warsaw(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW).astimezone(UTC)


def test_window_sundays_and_holidays() -> None:
    assert is_allowed(warsaw(2026, 11, 24, 8, 0), HOLIDAYS)  # Tuesday 08:00
    assert not is_allowed(warsaw(2026, 11, 24, 7, 59), HOLIDAYS)
    assert is_allowed(warsaw(2026, 11, 24, 19, 59), HOLIDAYS)
    assert not is_allowed(warsaw(2026, 11, 24, 20, 0), HOLIDAYS)
    assert not is_allowed(warsaw(2026, 11, 29, 12, 0), HOLIDAYS)  # Sunday
    assert not is_allowed(warsaw(2026, 11, 11, 12, 0), HOLIDAYS)  # Independence Day
    assert is_allowed(warsaw(2026, 11, 28, 12, 0), HOLIDAYS)  # Saturday is allowed


def test_a_night_reminder_moves_to_the_morning_and_a_sunday_one_to_monday() -> None:
    session = warsaw(2026, 11, 24, 9, 0)
    assert send_moment(warsaw(2026, 11, 24, 7, 0), session, warsaw(2026, 11, 20), HOLIDAYS) == (
        warsaw(2026, 11, 24, 8, 0)
    )
    monday_session = warsaw(2026, 11, 30, 10, 0)
    sunday_eve = warsaw(2026, 11, 29, 18, 0)
    assert send_moment(sunday_eve, monday_session, warsaw(2026, 11, 20), HOLIDAYS) == (
        warsaw(2026, 11, 30, 8, 0)
    )


def test_when_no_later_slot_remains_it_moves_earlier_or_is_dropped() -> None:
    # A session at 08:00 on Monday: the SMS due at 06:00 cannot go later; Saturday 19:59 is the
    # nearest moment before it.
    session = warsaw(2026, 11, 30, 8, 0)
    due = session - timedelta(hours=2)
    assert send_moment(due, session, warsaw(2026, 11, 20), HOLIDAYS) == warsaw(2026, 11, 28, 19, 59)
    # The same, learned on Sunday: nothing allowed is left before the session.
    assert send_moment(due, session, warsaw(2026, 11, 29, 12, 0), HOLIDAYS) is None


def test_christmas_pushes_past_the_holidays() -> None:
    # 24-26 Dec 2026 are holidays (Christmas Eve since 2025), 27 Dec is a Sunday.
    assert next_allowed(warsaw(2026, 12, 23, 21, 0), HOLIDAYS) == warsaw(2026, 12, 28, 8, 0)


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 20), timezones=st.just(UTC)
)


@settings(max_examples=150, deadline=None)
@given(
    due=moments,
    ahead=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=3)),
    lead=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
    late=st.booleans(),
)
def test_the_moment_is_allowed_not_past_before_the_event_and_nearest(
    due: datetime, ahead: timedelta, lead: timedelta, late: bool
) -> None:
    due = due.replace(second=0, microsecond=0)
    before = due + ahead
    now = due + lead / 4 if late else due - lead
    moment = send_moment(due, before, now, HOLIDAYS)
    first = now.replace(second=0, microsecond=0) + MINUTE
    steps = int((before - first) / MINUTE) + 1
    allowed = [
        m
        for m in (first + MINUTE * i for i in range(steps))
        if m < before and is_allowed(m, HOLIDAYS)
    ]
    if moment is None:
        assert allowed == []
        return
    assert is_allowed(moment, HOLIDAYS)
    assert now <= moment < before
    # No allowed moment in [now, before) is nearer to the due moment (up to the minute grid).
    if allowed:
        assert abs(moment - due) <= min(abs(m - due) for m in allowed) + MINUTE
    start = max(due, now)
    if is_allowed(start, HOLIDAYS):
        assert moment == start


@settings(max_examples=200, deadline=None)
@given(due=moments, key=st.text(min_size=1, max_size=20))
def test_jitter_stays_inside_the_window_and_before_the_event(due: datetime, key: str) -> None:
    now = due - timedelta(days=1)
    before = due + timedelta(hours=1)
    moment = send_moment(due, before, now, HOLIDAYS)
    if moment is None:
        return
    spread = jittered(moment, key, before, now, HOLIDAYS)
    assert is_allowed(spread, HOLIDAYS)
    assert now <= spread < before
    assert abs(spread - moment) < timedelta(minutes=5)
    assert spread == jittered(moment, key, before, now, HOLIDAYS)  # deterministic


def test_jitter_spreads_a_thousand_reminders_due_at_eight() -> None:
    eight = warsaw(2026, 11, 24, 8, 0)
    spread = {
        jittered(eight, f"pathway-{n}", None, eight - timedelta(days=1), HOLIDAYS)
        for n in range(1000)
    }
    assert len({m.replace(microsecond=0) for m in spread}) > 250
    assert all(eight <= m < eight + timedelta(minutes=5) for m in spread)


def test_holidays_are_a_parameter() -> None:
    # A made-up holiday is honoured: the rule itself knows no calendar.
    tuesday = warsaw(2026, 11, 24, 12, 0)
    assert not is_allowed(tuesday, frozenset({date(2026, 11, 24)}))
    assert is_allowed(tuesday, frozenset())
