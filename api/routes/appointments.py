"""A pathway's appointments: set, cancel, list.

Appointments were first at `/pathways/{id}/sessions`; those paths stay, deprecated, for the
clients written against them.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, status

from api.deps import Casework, OwnPathway, ServicesDep
from domain.appointments import AppointmentIn, AppointmentOut
from services import reminders

router = APIRouter(tags=["reminders"])

_DEPRECATED = "Deprecated: the same as {path} (appointments were first called sessions)."


@router.post(
    "/pathways/{pathway_id}/sessions",
    status_code=status.HTTP_201_CREATED,
    deprecated=True,
    description=_DEPRECATED.format(path="POST /pathways/{pathway_id}/appointments"),
)
@router.post("/pathways/{pathway_id}/appointments", status_code=status.HTTP_201_CREATED)
async def set_appointment(
    pathway_id: OwnPathway,
    body: AppointmentIn,
    services: ServicesDep,
    caller: Casework,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> AppointmentOut:
    """Set a workshop, an individual meeting or a review; reminders follow (the evening before at
    18:00, and by SMS two hours before). The same Idempotency-Key makes one appointment."""
    return await reminders.set_appointment(services, caller, pathway_id, body, idempotency_key)


@router.post(
    "/pathways/{pathway_id}/sessions/{appointment_id}/cancel",
    deprecated=True,
    description=_DEPRECATED.format(
        path="POST /pathways/{pathway_id}/appointments/{appointment_id}/cancel"
    ),
)
@router.post("/pathways/{pathway_id}/appointments/{appointment_id}/cancel")
async def cancel_appointment(
    pathway_id: OwnPathway, appointment_id: uuid.UUID, services: ServicesDep, caller: Casework
) -> AppointmentOut:
    """Cancel an appointment: its reminders not yet sent are not sent."""
    return await reminders.cancel_appointment(services, caller, pathway_id, appointment_id)


@router.get(
    "/pathways/{pathway_id}/sessions",
    deprecated=True,
    description=_DEPRECATED.format(path="GET /pathways/{pathway_id}/appointments"),
)
@router.get("/pathways/{pathway_id}/appointments")
async def pathway_appointments(
    pathway_id: OwnPathway, services: ServicesDep, caller: Casework
) -> list[AppointmentOut]:
    """The pathway's appointments from the read model (a moment behind the workflow)."""
    return await reminders.appointments_of(services, caller, pathway_id)
