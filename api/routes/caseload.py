"""Who holds each case (issue 16): caseloads against capacity, hand-overs, the unit's limit."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Response, status

from api.deps import Admin, Casework, ServicesDep, Supervisor
from domain.caseload import (
    Caseload,
    CaseloadPolicy,
    CaseloadPolicyOut,
    DeputyUpdate,
    HandoverRequest,
    HandoverResult,
    LeaveCreate,
    LeaveList,
    LeaveOut,
    UnitCaseloads,
)
from services import caseloads, handovers

router = APIRouter(tags=["caseload"])


@router.get("/caseload")
async def my_caseload(
    services: ServicesDep, caller: Casework, caseworker_id: uuid.UUID | None = None
) -> Caseload:
    """The caller's open cases against their capacity (a supervisor may name a colleague)."""
    return await caseloads.caseload_of(services, caller, caseworker_id)


@router.get("/caseloads")
async def unit_caseloads(services: ServicesDep, caller: Supervisor) -> UnitCaseloads:
    """Every holder of the unit: open cases against capacity."""
    return await caseloads.unit_caseloads(services, caller)


@router.post("/caseload/handovers")
async def hand_over(
    body: HandoverRequest,
    services: ServicesDep,
    caller: Supervisor,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> HandoverResult:
    """Hand some cases, or a caseworker's whole caseload, to colleagues balanced by load; one
    event per case on its timeline. Over capacity: 409 `capacity_exceeded` with the numbers,
    or with `partial` the cases that do not fit stay and are listed in `left`."""
    result, replayed = await handovers.hand_over(services, caller, body, idempotency_key)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return result


@router.put("/units/{code}/caseload-policy")
async def set_caseload_policy(
    code: str, body: CaseloadPolicy, services: ServicesDep, caller: Admin
) -> CaseloadPolicyOut:
    """How many open cases a caseworker of the unit may hold (null: no limit)."""
    return await caseloads.set_policy(services, caller, code, body)


@router.put("/pathways/{pathway_id}/deputy")
async def set_deputy(
    pathway_id: uuid.UUID, body: DeputyUpdate, services: ServicesDep, caller: Supervisor
) -> DeputyUpdate:
    """Name (or clear) an open pathway's deputy: they answer for it while its holder is away."""
    return await caseloads.set_deputy(services, caller, pathway_id, body)


@router.post("/caseload/leaves", status_code=status.HTTP_201_CREATED)
async def record_leave(body: LeaveCreate, services: ServicesDep, caller: Supervisor) -> LeaveOut:
    """A caseworker's leave: on its days their tasks and digest go to each case's deputy (else
    to `cover_id`); the cases stay theirs."""
    return await caseloads.record_leave(services, caller, body)


@router.get("/caseload/leaves")
async def unit_leaves(services: ServicesDep, caller: Casework) -> LeaveList:
    """The unit's leaves not over yet."""
    return await caseloads.unit_leaves(services, caller)
