"""Places and the waiting list (issue 16): a unit's places by programme, who waits for one."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from api.deps import Admin, Casework, ServicesDep
from domain.places import PlacesOut, PlacesSet, WaitingCreate, WaitingEntry, WaitingList
from domain.stages import Programme
from services import places

router = APIRouter(tags=["places"])


@router.put("/units/{code}/places")
async def set_places(code: str, body: PlacesSet, services: ServicesDep, caller: Admin) -> PlacesOut:
    """The unit's places in a programme (e.g. a CIS of 40) and its waiting list's rule; an
    admission beyond them is 409 `no_place` with the numbers."""
    return await places.set_places(services, caller, code, body)


@router.get("/waiting-list")
async def waiting_list(
    programme: Programme, services: ServicesDep, caller: Casework
) -> WaitingList:
    """Who waits for a place, in the unit's order; the places taken and free; waiting times."""
    return await places.waiting_list(services, caller, programme)


@router.post("/waiting-list", status_code=status.HTTP_201_CREATED)
async def put_on_list(body: WaitingCreate, services: ServicesDep, caller: Casework) -> WaitingEntry:
    """Put a participant on the waiting list (opening their pathway later ends their wait)."""
    return await places.put_on_list(services, caller, body)


@router.delete("/waiting-list/{entry_id}", status_code=status.HTTP_204_NO_CONTENT)
async def take_off_list(entry_id: uuid.UUID, services: ServicesDep, caller: Casework) -> None:
    """Take someone off the waiting list."""
    await places.take_off_list(services, caller, entry_id)
