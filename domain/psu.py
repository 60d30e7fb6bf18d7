"""Socially useful work (PSU, domain.md §3): agreements, placements and the hour caps.

The municipality signs a PSU agreement with a host institution for a year; participants are
placed under it. Each agreement keeps the legal regime of the day it was signed (art. 73a of the
2004 act before 1 June 2025, u.r.p.s.z. since) and with it its caps: 10 hours a week and, under
the old act, 40 hours a month (`law_parameters.PSU_PARAMETERS`). Hours over a cap are refused
with the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from domain.calendar import add_months
from domain.errors import Conflict, InvalidInput
from domain.law_parameters import PSU_PARAMETERS, URPSZ_IN_FORCE

HOST_NAME_MAX = 200
# The days an agreement may cover (the timetable's range).
EARLIEST = date(2003, 1, 1)
LATEST = date(2099, 12, 31)


class PsuRegime(StrEnum):
    """The act an agreement was signed under; it keeps it for its whole life."""

    PSU_2004_ART73A = "PSU_2004_ART73A"
    URPSZ_2025 = "URPSZ_2025"


def regime_on(signed_on: date) -> PsuRegime:
    """The regime of an agreement signed on `signed_on`."""
    return PsuRegime.URPSZ_2025 if signed_on >= URPSZ_IN_FORCE else PsuRegime.PSU_2004_ART73A


class PsuCaps(BaseModel):
    """An agreement's hour caps (None: the regime sets none known here)."""

    model_config = ConfigDict(frozen=True)

    regime: PsuRegime
    weekly_hours_max: int | None
    monthly_hours_max: int | None


def caps_on(signed_on: date) -> PsuCaps:
    """The caps of an agreement signed on `signed_on`, from the law's table."""
    values = {p.name: p.on(signed_on) for p in PSU_PARAMETERS}
    weekly, monthly = values["psu_weekly_hours_max"], values["psu_monthly_hours_max"]
    assert weekly is None or isinstance(weekly, int)
    assert monthly is None or isinstance(monthly, int)
    return PsuCaps(regime=regime_on(signed_on), weekly_hours_max=weekly, monthly_hours_max=monthly)


class PsuAgreement(BaseModel):
    """The municipality's annual agreement with a host institution."""

    model_config = ConfigDict(frozen=True)

    id: str
    host: str
    signed_on: date
    valid_from: date
    valid_until: date  # the last day it covers

    def check(self) -> None:
        """Refuse an agreement whose dates do not make a period."""
        if not self.host.strip() or len(self.host) > HOST_NAME_MAX:
            raise InvalidInput("invalid_host", "The host institution needs a name.")
        if self.valid_until < self.valid_from:
            raise InvalidInput("invalid_period", "The agreement ends before it starts.")
        if not EARLIEST <= self.valid_from <= self.valid_until <= LATEST:
            raise InvalidInput("invalid_period", f"Dates between {EARLIEST} and {LATEST}.")
        if add_months(self.valid_from, 12) <= self.valid_until:
            raise InvalidInput("agreement_over_a_year", "A PSU agreement covers one year at most.")


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def check_hours(
    caps: PsuCaps, logged: Iterable[tuple[date, Decimal]], day: date, hours: Decimal
) -> None:
    """Refuse `hours` of PSU on `day` when they would pass the week's or the month's cap.

    `logged` is the person's PSU hours already planned or worked under agreements of the same
    regime, (day, hours) each.
    """
    if hours <= 0:
        raise InvalidInput("invalid_hours", "PSU hours must be more than zero.")
    week = month = Decimal(0)
    for when, amount in logged:
        if _monday(when) == _monday(day):
            week += amount
        if (when.year, when.month) == (day.year, day.month):
            month += amount
    if caps.weekly_hours_max is not None and week + hours > caps.weekly_hours_max:
        raise Conflict(
            "psu_weekly_cap_exceeded",
            f"PSU: {week} h already in this week, {hours} h more would pass the cap of "
            f"{caps.weekly_hours_max} h a week.",
            _numbers(caps, "week", week, hours, caps.weekly_hours_max),
        )
    if caps.monthly_hours_max is not None and month + hours > caps.monthly_hours_max:
        raise Conflict(
            "psu_monthly_cap_exceeded",
            f"PSU: {month} h already in this month, {hours} h more would pass the cap of "
            f"{caps.monthly_hours_max} h a month.",
            _numbers(caps, "month", month, hours, caps.monthly_hours_max),
        )


def _numbers(
    caps: PsuCaps, period: str, already: Decimal, hours: Decimal, cap: int
) -> dict[str, str]:
    return {
        "period": period,
        "already": str(already),
        "requested": str(hours),
        "cap": str(cap),
        "regime": caps.regime.value,
    }
