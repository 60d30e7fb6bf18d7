"""What a pathway's documents print beyond its steps: the centre's name and the person."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Participant, ParticipantErasure, Pathway, Unit
from domain.errors import NotFound


@dataclass(frozen=True)
class DocumentHeading:
    """The centre and the person a pathway's document names."""

    centre: str
    participant_id: uuid.UUID
    first_name: str
    last_name: str
    pesel: str | None
    birth_date: date
    erased: bool


async def heading_of(session: AsyncSession, pathway_id: uuid.UUID) -> DocumentHeading:
    """The pathway's centre and participant, or 404."""
    query = (
        select(Unit.name, Participant, ParticipantErasure.participant_id)
        .select_from(Pathway)
        .join(Unit, Unit.id == Pathway.unit_id)
        .join(Participant, Participant.id == Pathway.participant_id)
        .outerjoin(ParticipantErasure, ParticipantErasure.participant_id == Participant.id)
        .where(Pathway.id == pathway_id)
    )
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise NotFound("pathway_not_found", "No such pathway.")
    centre, person, erased = row
    return DocumentHeading(
        centre=centre,
        participant_id=person.id,
        first_name=person.first_name,
        last_name=person.last_name,
        pesel=person.pesel,
        birth_date=person.birth_date,
        erased=erased is not None,
    )
