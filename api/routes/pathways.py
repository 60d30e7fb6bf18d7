"""Pathways: open one, look at it, take a step (an Update the workflow validates)."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Response, status

from api import casework, pathway_gateway
from api.audit import AuditDep
from api.deps import (
    Casework,
    KeysDep,
    OwnPathway,
    SessionDep,
    SessionsDep,
    SettingsDep,
    TemporalDep,
)
from api.schemas import PathwayCreate
from db import idempotency
from domain.actions import Action
from domain.benefits import BenefitStatement
from domain.errors import InvalidInput
from domain.pathway import PathwayView, StepRequest
from domain.steps import check_role
from domain.views import view

router = APIRouter(tags=["pathways"])


@router.post("/participants/{participant_id}/pathways", status_code=status.HTTP_201_CREATED)
async def open_pathway(
    participant_id: uuid.UUID,
    body: PathwayCreate,
    caller: Casework,
    sessions: SessionsDep,
    client: TemporalDep,
    settings: SettingsDep,
    keys: KeysDep,
    auditor: AuditDep,
) -> PathwayView:
    """Open the participant's pathway; one open pathway per participant (api/casework.py)."""
    first = await casework.open_pathway(
        sessions,
        client,
        settings.temporal_task_queue,
        keys,
        auditor.actor,
        participant_id,
        body.programme,
        body.start_date,
        caller.caseload_of,
    )
    return view(first, caller.role)


@router.get("/pathways/{pathway_id}")
async def get_pathway(pathway_id: OwnPathway, caller: Casework, client: TemporalDep) -> PathwayView:
    """The pathway's live state: stage, deadlines, allowed actions, timeline."""
    return await pathway_gateway.look(client, pathway_id, caller.role)


@router.get("/pathways/{pathway_id}/benefits")
async def get_benefits(
    pathway_id: OwnPathway,
    caller: Casework,
    client: TemporalDep,
    month: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-03"])],
) -> BenefitStatement:
    """The month's CIS integration benefit: pro rata days, rates, deductions, bonus, total."""
    year, number = (int(part) for part in month.split("-"))
    return await pathway_gateway.benefits(client, pathway_id, year, number)


@router.post("/pathways/{pathway_id}/actions", response_model=PathwayView)
async def take_action(
    pathway_id: OwnPathway,
    action: Annotated[Action, Body()],
    session: SessionDep,
    caller: Casework,
    client: TemporalDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> Any:
    """Record a step; with an `Idempotency-Key` a retry gets the first answer, recording nothing."""
    check_role(action.type, caller.role)
    request_hash = _hash(pathway_id, action)
    if idempotency_key:
        earlier = await idempotency.idempotent_answer(session, caller.id, idempotency_key)
        if earlier is not None:
            if earlier.request_hash != request_hash:
                raise InvalidInput(
                    "idempotency_key_reused",
                    "This Idempotency-Key was used for a different request.",
                )
            response.headers["Idempotent-Replayed"] = "true"
            return earlier.body
    request_id = f"{caller.id}:{idempotency_key}" if idempotency_key else None
    update_id = (
        f"step-{hashlib.sha256(request_id.encode()).hexdigest()[:32]}" if request_id else None
    )
    view = await pathway_gateway.step(
        client,
        pathway_id,
        StepRequest(action=action, actor=caller.username, role=caller.role, request_id=request_id),
        update_id,
    )
    if idempotency_key:
        await idempotency.remember_answer(
            session, caller.id, idempotency_key, request_hash, 200, view.model_dump(mode="json")
        )
    return view


def _hash(pathway_id: uuid.UUID, action: Action) -> str:
    canonical = json.dumps([str(pathway_id), action.model_dump(mode="json")], sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
