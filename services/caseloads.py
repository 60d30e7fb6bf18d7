"""Caseloads: a unit's limit of open cases per caseworker, each one's load, their own cases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from db import audit, caseload, leaves
from db.session import unit_of_work
from domain.calendar import local_date
from domain.caseload import (
    Caseload,
    CaseloadPolicy,
    CaseloadPolicyOut,
    DeputyUpdate,
    HeldCase,
    LeaveCreate,
    LeaveList,
    LeaveOut,
    UnitCaseloads,
)
from domain.errors import InvalidInput, NotFound
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


async def record_leave(services: Services, caller: Caller, body: LeaveCreate) -> LeaveOut:
    """A caseworker's leave: on its days their tasks and digest go to the cases' deputies."""
    named = {body.caseworker_id, *([body.cover_id] if body.cover_id else [])}
    async with unit_of_work(services.sessions) as session:
        if len(await caseload.staff_of_unit(session, caller.unit_id, named)) != len(named):
            raise InvalidInput("unknown_caseworker", "A caseworker named is not of the unit.")
        leave = await leaves.record_leave(
            session,
            body.caseworker_id,
            caller.unit_id,
            body.first_day,
            body.last_day,
            body.cover_id,
            caller.id,
        )
        await audit.append(session, caller.actor, "caseload.leave", ["first_day", "last_day"])
    return LeaveOut(id=leave.id, **body.model_dump())


async def unit_leaves(services: Services, caller: Caller) -> LeaveList:
    """The unit's leaves not over yet (Polish date)."""
    today = local_date(datetime.now(UTC))
    async with services.sessions() as session:
        rows = await leaves.leaves_of_unit(session, caller.unit_id, today)
    return LeaveList(
        items=[
            LeaveOut(
                id=r.id,
                caseworker_id=r.user_id,
                first_day=r.first_day,
                last_day=r.last_day,
                cover_id=r.cover_id,
            )
            for r in rows
        ]
    )


async def set_deputy(
    services: Services, caller: Caller, pathway_id: uuid.UUID, body: DeputyUpdate
) -> DeputyUpdate:
    """Name (or clear) an open pathway's deputy, a caseworker of the unit."""
    async with unit_of_work(services.sessions) as session:
        cases = await caseload.cases_to_hand_over(session, caller.unit_id, None, [pathway_id])
        if not cases:
            raise NotFound("pathway_not_found", "No such open pathway in the unit.")
        if body.deputy_id is not None:
            if body.deputy_id == cases[0].holder:
                raise InvalidInput("deputy_is_holder", "The holder cannot be their own deputy.")
            if not await caseload.staff_of_unit(session, caller.unit_id, [body.deputy_id]):
                raise InvalidInput("unknown_caseworker", "The deputy is not of the unit.")
        await leaves.set_deputy(session, pathway_id, body.deputy_id)
        await audit.append(
            session, caller.actor, "caseload.deputy", ["deputy"], pathway_id=pathway_id
        )
    return body
