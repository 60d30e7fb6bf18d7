"""Social cooperatives: found one, add and remove founders or members, record founding steps."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from api.deps import Casework, ServicesDep
from domain.cooperative_views import (
    CooperativeCreate,
    CooperativeOut,
    EmploymentCreate,
    MemberCreate,
    StepCreate,
)
from services import cooperatives

router = APIRouter(tags=["cooperatives"])


async def _own_cooperative(
    cooperative_id: uuid.UUID, services: ServicesDep, caller: Casework
) -> uuid.UUID:
    await cooperatives.own_cooperative(services, caller, cooperative_id)
    return cooperative_id


# A cooperative from the path, of the caller's unit; any other is 404, as if it did not exist.
OwnCooperative = Annotated[uuid.UUID, Depends(_own_cooperative)]


@router.post("/cooperatives", status_code=status.HTTP_201_CREATED)
async def create_cooperative(
    body: CooperativeCreate, services: ServicesDep, caller: Casework
) -> CooperativeOut:
    """Start a founding initiative in the caller's unit."""
    return await cooperatives.create(services, caller, body)


@router.get("/cooperatives/{cooperative_id}")
async def get_cooperative(
    cooperative_id: OwnCooperative, services: ServicesDep, caller: Casework
) -> CooperativeOut:
    """The cooperative's live state: members, steps, deadlines, risks."""
    return await cooperatives.look(services, caller, cooperative_id)


@router.post("/cooperatives/{cooperative_id}/members")
async def add_member(
    cooperative_id: OwnCooperative, body: MemberCreate, services: ServicesDep, caller: Casework
) -> CooperativeOut:
    """Add a founder or member: a participant referred to a cooperative, or an outside person."""
    return await cooperatives.add_member(services, caller, cooperative_id, body)


@router.delete("/cooperatives/{cooperative_id}/members/{member_id}")
async def remove_member(
    cooperative_id: OwnCooperative,
    member_id: uuid.UUID,
    services: ServicesDep,
    caller: Casework,
    occurred_on: Annotated[date | None, Query()] = None,
) -> CooperativeOut:
    """A founder or member leaves; their name, if we held it, is forgotten."""
    return await cooperatives.remove_member(
        services, caller, cooperative_id, member_id, occurred_on
    )


@router.post("/cooperatives/{cooperative_id}/members/{member_id}/employment")
async def employ_member(
    cooperative_id: OwnCooperative,
    member_id: uuid.UUID,
    body: EmploymentCreate,
    services: ServicesDep,
    caller: Casework,
) -> CooperativeOut:
    """Record that the cooperative employs a member: two from the groups, admitted and employed
    within 12 months of registration, meet a three-founder cooperative's duty (§10)."""
    return await cooperatives.employ_member(services, caller, cooperative_id, member_id, body)


@router.post("/cooperatives/{cooperative_id}/steps")
async def record_step(
    cooperative_id: OwnCooperative, body: StepCreate, services: ServicesDep, caller: Casework
) -> CooperativeOut:
    """Record the next founding step: founding meeting, court filing, registration."""
    return await cooperatives.record_step(services, caller, cooperative_id, body)
