"""Data subjects' requests, answered by supervisors: export (art. 15) and erasure (art. 17)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from api.deps import ServicesDep, Supervisor
from domain.data_subjects import ErasureOut, ParticipantExport
from services import data_subjects

router = APIRouter(tags=["data subjects"])


@router.get("/participants/{participant_id}/export")
async def export_participant(
    participant_id: uuid.UUID, services: ServicesDep, caller: Supervisor
) -> ParticipantExport:
    """Everything held on the participant, as JSON (GDPR art. 15)."""
    return await data_subjects.export(services, caller, participant_id)


@router.post("/participants/{participant_id}/erasure")
async def erase_participant(
    participant_id: uuid.UUID, services: ServicesDep, caller: Supervisor
) -> ErasureOut:
    """Erase the participant's personal data once the retention period has passed (art. 17).

    Refused while a pathway is open or the retention period runs; the participant's data key is
    destroyed, so the encrypted Temporal history becomes unreadable."""
    return await data_subjects.erase(services, caller, participant_id)
