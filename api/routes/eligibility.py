"""Eligibility: the rights that put a person outside the act (art. 1 ust. 3 u.z.s.)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from api.deps import Casework, ServicesDep
from domain.eligibility import ExclusionsUpdate
from domain.participants import ParticipantOut
from services import participants

router = APIRouter(tags=["participants"])


@router.put("/participants/{participant_id}/exclusions")
async def record_exclusions(
    participant_id: uuid.UUID, body: ExclusionsUpdate, services: ServicesDep, caller: Casework
) -> ParticipantOut:
    """Record the exclusions anew; an open pathway is told, and its head gets a task when they
    now bar the programme (never an automatic exit)."""
    return await participants.record_exclusions(services, caller, participant_id, body)
