"""Social cooperatives: their registration in a unit, outside members' names, referrals."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Cooperative, CooperativeMember, Pathway, PathwayEvent
from domain.errors import NotFound


async def register_cooperative(
    session: AsyncSession, cooperative_id: uuid.UUID, unit_id: uuid.UUID, name: str
) -> None:
    """Record a founding initiative in the caller's unit (its state lives in the workflow)."""
    session.add(Cooperative(id=cooperative_id, unit_id=unit_id, name=name))
    await session.flush()


async def cooperative_in_unit(
    session: AsyncSession, unit_id: uuid.UUID, cooperative_id: uuid.UUID
) -> Cooperative:
    """A cooperative of the caller's unit, or 404 (existence elsewhere is not revealed)."""
    query = select(Cooperative).where(
        Cooperative.id == cooperative_id, Cooperative.unit_id == unit_id
    )
    found = (await session.execute(query)).scalar_one_or_none()
    if found is None:
        raise NotFound("cooperative_not_found", "No such cooperative.")
    return found


async def cooperative_referral(
    session: AsyncSession, participant_id: uuid.UUID
) -> uuid.UUID | None:
    """The participant's pathway that referred them to a cooperative (open ones first), if any."""
    referred = exists().where(
        PathwayEvent.pathway_id == Pathway.id,
        PathwayEvent.type == "refer",
        PathwayEvent.data["to"].as_string() == "cooperative",
    )
    query = (
        select(Pathway.id)
        .where(Pathway.participant_id == participant_id, referred)
        .order_by(Pathway.closed_at.is_not(None), Pathway.created_at.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def name_cooperative_member(
    session: AsyncSession, member_id: uuid.UUID, cooperative_id: uuid.UUID, name: str
) -> None:
    """Keep an outside member's name here, out of Temporal."""
    session.add(CooperativeMember(id=member_id, cooperative_id=cooperative_id, name=name))
    await session.flush()


async def forget_cooperative_member(session: AsyncSession, member_id: uuid.UUID) -> None:
    """A member who left: their name is no longer needed."""
    await session.execute(delete(CooperativeMember).where(CooperativeMember.id == member_id))


async def cooperative_member_names(
    session: AsyncSession, cooperative_id: uuid.UUID
) -> dict[str, str]:
    """Outside members' names by member id."""
    query = select(CooperativeMember.id, CooperativeMember.name).where(
        CooperativeMember.cooperative_id == cooperative_id
    )
    return {str(member_id): name for member_id, name in await session.execute(query)}


async def forget_cooperative(session: AsyncSession, cooperative_id: uuid.UUID) -> None:
    """Undo a registration whose founding workflow never started."""
    await session.execute(delete(Cooperative).where(Cooperative.id == cooperative_id))
