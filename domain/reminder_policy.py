"""The participants' reminder policy: every number of when reminders go, in one table.

These are the programme's local choices (domain.md §9.8 names the reminders, not their hours);
a centre changing them changes only this table.
"""

from __future__ import annotations

from datetime import time, timedelta

from pydantic import BaseModel, ConfigDict


class ReminderPolicy(BaseModel):
    """When reminders are due and when a message may reach a person at all."""

    model_config = ConfigDict(frozen=True)

    # Messages only between these local times (Europe/Warsaw), never on Sundays or holidays.
    window_opens: time = time(8, 0)
    window_closes: time = time(20, 0)  # exclusive: 19:59 is the last minute
    quiet_weekdays: frozenset[int] = frozenset({6})  # Sunday (Monday is 0)
    # Appointments: the evening before, and by SMS shortly before.
    appointment_eve_at: time = time(18, 0)
    appointment_soon_before: timedelta = timedelta(hours=2)
    # Classes of the timetable (issue 14) become appointments this many days ahead, day by day.
    class_days_ahead: int = 14
    # Dates (reviews, end of participation, check-ins) are reminded of at this local time.
    date_reminder_at: time = time(10, 0)
    trial_review_days_before: int = 3
    contract_review_days_before: int = 3
    participation_end_days_before: int = 30
    check_in_days_after_exit: tuple[int, ...] = (30, 60, 90)
    # Spread of reminders due at the same moment (deterministic per reminder).
    jitter: timedelta = timedelta(minutes=5)
    # A reminder whose due moment passed this long before the fact was recorded is not sent.
    stale_after: timedelta = timedelta(days=2)


POLICY = ReminderPolicy()
