"""Caseloads: a unit's limit of open cases per caseworker, each one's load, their own cases."""

from __future__ import annotations

import uuid

from db import audit, caseload
from db.session import unit_of_work
from domain.caseload import (
    Caseload,
    CaseloadPolicy,
    CaseloadPolicyOut,
    HeldCase,
    UnitCaseloads,
)
from domain.errors import NotFound
from domain.roles import Role
from services import oversight
from services.accounts import unit_id_of
from services.context import Caller, Services


async def set_policy(
    services: Services, caller: Caller, code: str, body: CaseloadPolicy
) -> CaseloadPolicyOut:
    """How many open cases a caseworker of the unit may hold (none: no limit)."""
    async with unit_of_work(services.sessions) as session:
        unit_id = await unit_id_of(session, code)
        await caseload.set_policy(session, unit_id, body)
        await oversight.record_act(
            services, session, caller, "unit.caseload_policy", ["max_open_cases"], unit_id
        )
    return CaseloadPolicyOut(unit_code=code, max_open_cases=body.max_open_cases)


async def unit_caseloads(services: Services, caller: Caller) -> UnitCaseloads:
    """Every holder of the caller's unit, with open cases against capacity."""
    async with services.sessions() as session:
        return UnitCaseloads(loads=await caseload.loads(session, caller.unit_id))


async def caseload_of(
    services: Services, caller: Caller, caseworker_id: uuid.UUID | None = None
) -> Caseload:
    """A caseworker's open cases (the caller's own; a supervisor may name a colleague)."""
    holder = caseworker_id or caller.id
    if holder != caller.id and caller.role is not Role.SUPERVISOR:
        raise NotFound("caseworker_not_found", "No such caseworker.")
    async with unit_of_work(services.sessions) as session:
        loads = await caseload.loads(session, caller.unit_id, [holder])
        if not loads:
            raise NotFound("caseworker_not_found", "No such caseworker.")
        rows = await caseload.held_cases(session, caller.unit_id, holder)
        await audit.append(session, caller.actor, "caseload.read", ["name", "stage"])
    cases = [
        HeldCase(
            pathway_id=r.id,
            participant_id=r.participant_id,
            participant_name=f"{r.first_name} {r.last_name}".strip(),
            programme=r.programme,
            stage=r.stage,
            next_due_kind=r.next_due_kind,
            next_due_on=r.next_due_on,
            deputy_id=r.deputy_id,
        )
        for r in rows
    ]
    return Caseload(load=loads[0], cases=cases)
