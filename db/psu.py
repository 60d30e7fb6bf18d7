"""PSU agreements and the hours placed under them (issue 14, domain.md §3)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.group_tables import PsuAgreementRow, PsuHours
from domain.errors import NotFound


async def agreement_in_unit(
    session: AsyncSession, unit_id: uuid.UUID, agreement_id: uuid.UUID
) -> PsuAgreementRow:
    """An agreement of the unit, or 404 as if unknown."""
    query = select(PsuAgreementRow).where(
        PsuAgreementRow.id == agreement_id, PsuAgreementRow.unit_id == unit_id
    )
    found = (await session.execute(query)).scalar_one_or_none()
    if found is None:
        raise NotFound("psu_agreement_not_found", "No such PSU agreement.")
    return found


async def agreements_of_unit(session: AsyncSession, unit_id: uuid.UUID) -> list[PsuAgreementRow]:
    """The unit's agreements, newest first."""
    query = select(PsuAgreementRow).where(PsuAgreementRow.unit_id == unit_id)
    order = (PsuAgreementRow.valid_from.desc(), PsuAgreementRow.id)
    return list((await session.execute(query.order_by(*order))).scalars())


async def hours_of(
    session: AsyncSession, participant_id: uuid.UUID, regime: str, first: date, last: date
) -> list[tuple[date, Decimal]]:
    """A person's PSU hours under agreements of one regime in a stretch, (day, hours) each."""
    query = (
        select(PsuHours.day, PsuHours.hours)
        .join(PsuAgreementRow, PsuAgreementRow.id == PsuHours.agreement_id)
        .where(
            PsuHours.participant_id == participant_id,
            PsuAgreementRow.regime == regime,
            PsuHours.day >= first,
            PsuHours.day <= last,
        )
        .with_for_update()
    )
    return [(row[0], row[1]) for row in await session.execute(query)]
