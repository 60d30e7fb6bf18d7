"""Pathways: open one, look at it, take a step (an Update the workflow validates)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Header, Query, Response, status

from api.deps import Casework, OwnPathway, ServicesDep
from domain.actions import Action
from domain.benefits import BenefitStatement
from domain.participants import PathwayCreate
from domain.views import PathwayView, StepView
from services import pathways

router = APIRouter(tags=["pathways"])


@router.post("/participants/{participant_id}/pathways", status_code=status.HTTP_201_CREATED)
async def open_pathway(
    participant_id: uuid.UUID, body: PathwayCreate, services: ServicesDep, caller: Casework
) -> PathwayView:
    """Open the participant's pathway; one open pathway per participant."""
    return await pathways.open_pathway(
        services, caller, participant_id, body.programme, body.start_date
    )


@router.get("/pathways/{pathway_id}")
async def get_pathway(
    pathway_id: OwnPathway, services: ServicesDep, caller: Casework
) -> PathwayView:
    """The pathway's live state: stage, deadlines, allowed actions, timeline, appointments."""
    return await pathways.look(services, caller, pathway_id)


@router.get("/pathways/{pathway_id}/benefits")
async def get_benefits(
    pathway_id: OwnPathway,
    services: ServicesDep,
    caller: Casework,
    month: Annotated[str, Query(pattern=r"^2\d{3}-(0[1-9]|1[0-2])$", examples=["2026-03"])],
) -> BenefitStatement:
    """The month's CIS integration benefit: pro rata days, rates, deductions, bonus, total."""
    year, number = (int(part) for part in month.split("-"))
    return await pathways.benefits(services, caller, pathway_id, year, number)


@router.post("/pathways/{pathway_id}/actions")
async def take_action(
    pathway_id: OwnPathway,
    action: Annotated[Action, Body()],
    services: ServicesDep,
    caller: Casework,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> StepView:
    """Record a step; answers the pathway's new state (`timeline`: the events the step recorded;
    `GET /pathways/{id}` has them all). With an `Idempotency-Key` a retry gets the first answer
    and records nothing."""
    answer, replayed = await pathways.take_step(
        services, caller, pathway_id, action, idempotency_key
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return answer
