"""PSU: the municipality's agreements with host institutions, and placing hours under them."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from db import audit, participants, psu
from db.group_tables import PsuAgreementRow, PsuHours
from db.session import unit_of_work
from domain.centre_views import PsuAgreementIn, PsuAgreementOut, PsuHoursIn
from domain.errors import InvalidInput
from domain.psu import PsuAgreement, PsuCaps, PsuRegime, caps_on, check_hours
from domain.timetable import month_bounds
from services.context import Caller, Services


def _out(row: PsuAgreementRow) -> PsuAgreementOut:
    return PsuAgreementOut(
        id=row.id, host=row.host, signed_on=row.signed_on, valid_from=row.valid_from,
        valid_until=row.valid_until, regime=PsuRegime(row.regime),
        weekly_hours_max=row.weekly_hours_max, monthly_hours_max=row.monthly_hours_max,
    )  # fmt: skip


async def sign_agreement(
    services: Services, caller: Caller, body: PsuAgreementIn
) -> PsuAgreementOut:
    """Record an agreement; it keeps the regime and the caps of the day it was signed."""
    PsuAgreement(id="new", **body.model_dump()).check()
    caps = caps_on(body.signed_on)
    row = PsuAgreementRow(
        id=uuid.uuid4(), unit_id=caller.unit_id, regime=caps.regime.value,
        weekly_hours_max=caps.weekly_hours_max, monthly_hours_max=caps.monthly_hours_max,
        **body.model_dump(),
    )  # fmt: skip
    async with unit_of_work(services.sessions) as session:
        session.add(row)
        await session.flush()
        await audit.append(session, caller.actor, "psu.agreement", sorted(body.model_fields_set))
    return _out(row)


async def agreements(services: Services, caller: Caller) -> list[PsuAgreementOut]:
    """The unit's agreements."""
    async with services.sessions() as session:
        return [_out(r) for r in await psu.agreements_of_unit(session, caller.unit_id)]


async def place_hours(
    services: Services, caller: Caller, agreement_id: uuid.UUID, body: PsuHoursIn
) -> PsuAgreementOut:
    """Place a person's PSU hours on a day under the agreement; over a cap is 409 with the
    numbers (the week's and, under the old act, the month's)."""
    async with unit_of_work(services.sessions) as session:
        row = await psu.agreement_in_unit(session, caller.unit_id, agreement_id)
        if not row.valid_from <= body.day <= row.valid_until:
            raise InvalidInput("outside_agreement", "The day is outside the agreement's period.")
        await participants.participant_in_unit(
            session, caller.unit_id, body.participant_id, caller.caseload_of
        )
        first, last = month_bounds(body.day.year, body.day.month)
        week = timedelta(days=6)  # the day's week may reach into the neighbouring months
        since, until = min(first, body.day - week), max(last, body.day + week)
        logged = await psu.hours_of(session, body.participant_id, row.regime, since, until)
        caps = PsuCaps(
            regime=PsuRegime(row.regime),
            weekly_hours_max=row.weekly_hours_max,
            monthly_hours_max=row.monthly_hours_max,
        )
        check_hours(caps, logged, body.day, Decimal(body.hours))
        session.add(
            PsuHours(agreement_id=agreement_id, participant_id=body.participant_id,
                     day=body.day, hours=body.hours)
        )  # fmt: skip
        await audit.append(
            session, caller.actor, "psu.hours", ["day", "hours"], body.participant_id
        )
    return _out(row)
