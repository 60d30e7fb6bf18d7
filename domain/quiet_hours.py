"""Quiet hours: when a message may reach a person, and where a reminder due at night goes.

Pure: the holidays are a parameter (the worker passes Poland's, `core/holidays.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Set
from datetime import UTC, date, datetime, time, timedelta

from domain.calendar import WARSAW
from domain.reminder_policy import POLICY, ReminderPolicy

_LAST_MINUTE = timedelta(minutes=1)
_SEARCH_DAYS = 14  # Christmas to Epiphany with Sundays never needs more than a few days


def is_allowed(moment: datetime, holidays: Set[date], policy: ReminderPolicy = POLICY) -> bool:
    """Whether a message may go at this moment: inside the window, not Sunday, not a holiday."""
    local = moment.astimezone(WARSAW)
    return _allowed_day(local.date(), holidays, policy) and (
        policy.window_opens <= local.time().replace(tzinfo=None) < policy.window_closes
    )


def next_allowed(
    moment: datetime, holidays: Set[date], policy: ReminderPolicy = POLICY
) -> datetime:
    """The first allowed moment at or after `moment`."""
    if is_allowed(moment, holidays, policy):
        return moment
    local = moment.astimezone(WARSAW)
    day = local.date()
    if local.time().replace(tzinfo=None) >= policy.window_opens:
        day += timedelta(days=1)
    for _ in range(_SEARCH_DAYS):
        if _allowed_day(day, holidays, policy):
            return _at(day, policy.window_opens)
        day += timedelta(days=1)
    raise ValueError("no allowed day within two weeks")


def previous_allowed(
    moment: datetime, holidays: Set[date], policy: ReminderPolicy = POLICY
) -> datetime:
    """The last allowed minute at or before `moment`."""
    if is_allowed(moment, holidays, policy):
        return moment
    local = moment.astimezone(WARSAW)
    day = local.date()
    if local.time().replace(tzinfo=None) < policy.window_closes:
        day -= timedelta(days=1)
    for _ in range(_SEARCH_DAYS):
        if _allowed_day(day, holidays, policy):
            return _at(day, policy.window_closes) - _LAST_MINUTE
        day -= timedelta(days=1)
    raise ValueError("no allowed day within two weeks")


def send_moment(
    due: datetime,
    before: datetime | None,
    now: datetime,
    holidays: Set[date],
    policy: ReminderPolicy = POLICY,
) -> datetime | None:
    """Where a reminder due at `due` goes: the nearest allowed moment not in the past and still
    before what it reminds of (`before`); None when there is none (it is then dropped)."""
    start = max(due, now)
    if before is not None and start >= before:
        return None
    later = next_allowed(start, holidays, policy)
    candidates = [later] if before is None or later < before else []
    if due > now:  # an earlier moment is possible only when the due moment is still ahead
        earlier = previous_allowed(due, holidays, policy)
        if now <= earlier and (before is None or earlier < before):
            candidates.append(earlier)
    if not candidates:
        return None
    return min(candidates, key=lambda m: (abs(m - due), m))


def jittered(
    moment: datetime,
    key: str,
    before: datetime | None,
    now: datetime,
    holidays: Set[date],
    policy: ReminderPolicy = POLICY,
) -> datetime:
    """Spread reminders due at the same moment: a few minutes later, decided by the key, as long
    as the later moment is still allowed and before what it reminds of (else earlier, else none)."""
    span = int(policy.jitter.total_seconds())
    if span <= 0:
        return moment
    offset = timedelta(seconds=int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % span)
    for candidate in (moment + offset, moment - offset):
        if candidate < now or not is_allowed(candidate, holidays, policy):
            continue
        same_day = candidate.astimezone(WARSAW).date() == moment.astimezone(WARSAW).date()
        if same_day and (before is None or candidate < before):
            return candidate
    return moment


def _allowed_day(day: date, holidays: Set[date], policy: ReminderPolicy) -> bool:
    return day.weekday() not in policy.quiet_weekdays and day not in holidays


def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=WARSAW).astimezone(UTC)
