"""A participant's exclusions (art. 1 ust. 3 u.z.s.) in the database, and units' own targets."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import Uuid, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ParticipantExclusion, Unit
from domain.eligibility import Exclusion


async def exclusions_of(session: AsyncSession, participant_id: uuid.UUID) -> list[Exclusion]:
    """The rights recorded as putting the person outside the act."""
    rows = await session.execute(_EXCLUSIONS_OF, {"participant_id": participant_id})
    return [Exclusion(value) for value in rows.scalars()]


# Built once, its participant a parameter: every pathway start reads the person's exclusions.
_EXCLUSIONS_OF = (
    select(ParticipantExclusion.exclusion)
    .where(ParticipantExclusion.participant_id == bindparam("participant_id", type_=Uuid))
    .order_by(ParticipantExclusion.exclusion)
)


async def record_exclusions(
    session: AsyncSession, participant_id: uuid.UUID, exclusions: list[Exclusion]
) -> None:
    """Replace the recorded exclusions (the audit log keeps who changed them, and when)."""
    await session.execute(
        delete(ParticipantExclusion).where(ParticipantExclusion.participant_id == participant_id)
    )
    session.add_all(exclusion_rows(participant_id, exclusions))


def exclusion_rows(
    participant_id: uuid.UUID, exclusions: list[Exclusion]
) -> list[ParticipantExclusion]:
    """The rows of a person's exclusions (a new participant's are only added)."""
    return [
        ParticipantExclusion(participant_id=participant_id, exclusion=str(e))
        for e in sorted(set(exclusions))
    ]


async def set_unit_targets(
    session: AsyncSession, unit_id: uuid.UUID, employment: Decimal | None, social: Decimal | None
) -> None:
    """A unit's own effectiveness targets (None: only the rulebook's)."""
    await session.execute(
        update(Unit)
        .where(Unit.id == unit_id)
        .values(employment_target_pct=employment, social_target_pct=social)
    )


async def unit_targets(
    session: AsyncSession, unit_ids: list[uuid.UUID]
) -> tuple[Decimal | None, Decimal | None]:
    """The unit's own targets when the scope is one unit; none for several."""
    if len(unit_ids) != 1:
        return None, None
    row = (
        await session.execute(
            select(Unit.employment_target_pct, Unit.social_target_pct).where(Unit.id == unit_ids[0])
        )
    ).one_or_none()
    return (row[0], row[1]) if row else (None, None)
