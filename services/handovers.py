"""Hand-overs: a supervisor gives some cases, or a caseworker's whole caseload, to colleagues.

One action, one transaction: the new holders (`pathways.caseworker_id`, which tasks, digests
and escalations read), one `handover_cases` row and one audit entry per case, and the answer of
its Idempotency-Key. Then each case's workflow is told by a Signal (an event on its timeline,
recorded once per hand-over even when told twice); a case whose workflow did not confirm stays
untold and a retry with the same key tells it again. Nothing else is recorded twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from datetime import UTC, datetime

from db import audit, caseload, idempotency
from db.pathways import PathwayOwner
from db.session import unit_of_work
from domain.calendar import local_date
from domain.caseload import (
    HandoverRequest,
    HandoverResult,
    HolderChange,
    plan_handover,
)
from domain.errors import DomainError, InvalidInput, NotFound
from services import pathway_calls
from services.context import Caller, Services
from services.errors import ServiceUnavailable

# Signals in flight at once for one hand-over.
_TELLING = 64
_NAMESPACE = uuid.UUID("6f1d7a52-6c1e-4a7e-9d47-2f0b1c8d9e16")


async def hand_over(
    services: Services, caller: Caller, body: HandoverRequest, key: str | None = None
) -> tuple[HandoverResult, bool]:
    """Hand the cases over; the result, and whether it is the first answer given again."""
    request_hash = hashlib.sha256(
        json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()
    if key:
        async with services.sessions() as session:
            earlier = await idempotency.idempotent_answer(session, caller.id, key)
        if earlier is not None:
            if earlier.request_hash != request_hash:
                raise InvalidInput(
                    "idempotency_key_reused",
                    "This Idempotency-Key was used for a different request.",
                )
            result = HandoverResult.model_validate(earlier.body)
            await tell(services, caller, result.handover_id)
            return result, True
    handover_id = uuid.uuid5(_NAMESPACE, f"{caller.id}:{key}") if key else uuid.uuid4()
    today = local_date(datetime.now(UTC))
    async with unit_of_work(services.sessions) as session:
        targets = await caseload.loads(session, caller.unit_id, body.to, lock=True)
        if len(targets) != len(body.to):
            raise InvalidInput("unknown_caseworker", "A colleague named is not of the unit.")
        named = [i for i in (body.from_caseworker, body.deputy) if i is not None]
        if len(await caseload.staff_of_unit(session, caller.unit_id, named)) != len(set(named)):
            raise InvalidInput("unknown_caseworker", "A caseworker named is not of the unit.")
        cases = await caseload.cases_to_hand_over(
            session, caller.unit_id, body.from_caseworker, body.pathway_ids
        )
        if body.pathway_ids and len(cases) != len(set(body.pathway_ids)):
            raise NotFound("pathway_not_found", "No such open pathway in the unit.")
        moves, left = plan_handover(cases, targets, body.partial)
        await caseload.record_handover(
            session,
            handover_id,
            caller.unit_id,
            caller.id,
            today,
            moves,
            body.deputy,
            caller.username,
        )
        fields = ["holder", "deputy"] if body.deputy else ["holder"]
        for move in moves:
            await audit.append(
                session, caller.actor, "caseload.handover", fields, pathway_id=move.pathway_id
            )
        shown = [*body.to, *([body.from_caseworker] if body.from_caseworker else [])]
        result = HandoverResult(
            handover_id=handover_id,
            moved=moves,
            left=left,
            loads=await caseload.loads(session, caller.unit_id, shown),
        )
        if key:
            answer = result.model_dump(mode="json")
            await idempotency.remember_answer(session, caller.id, key, request_hash, 200, answer)
    for move in moves:  # this process's cache of owners; others re-read (own_pathway)
        owner = services.caches.pathway_owners.peek(move.pathway_id)
        if owner is not None:
            services.caches.pathway_owners.put(
                move.pathway_id, PathwayOwner(owner.unit_id, move.holder, owner.participant_id)
            )
    await tell(services, caller, handover_id)
    return result, False


async def tell_untold(services: Services) -> int:
    """Tell every case whose workflow has not confirmed its hand-over (the API died after the
    commit and nobody retried); how many are still untold after. `pathways caseload tell`."""
    async with services.sessions() as session:
        pending = await caseload.untold_handovers(session)
    left = 0
    for handover_id, username in pending:
        left += await _tell(services, username, handover_id)
    return left


async def tell(services: Services, caller: Caller, handover_id: uuid.UUID) -> int:
    """Tell each case of the hand-over not yet told; how many are still untold after."""
    return await _tell(services, caller.username, handover_id)


async def _tell(services: Services, actor: str, handover_id: uuid.UUID) -> int:
    async with services.sessions() as session:
        day, cases = await caseload.untold(session, handover_id)
    if not cases:
        return 0
    gate = asyncio.Semaphore(_TELLING)

    async def one(case: caseload.Untold) -> uuid.UUID | None:
        change = HolderChange(
            key=f"handover:{handover_id}",
            holder=str(case.holder),
            previous=str(case.previous),
            deputy=str(case.deputy) if case.deputy else None,
            actor=actor,
            occurred_on=day,
        )
        async with gate:
            try:
                await pathway_calls.tell_holder(services.temporal, case.pathway_id, change)
            except DomainError:  # closed since: nothing to tell
                return case.pathway_id
            except ServiceUnavailable:
                return None
        return case.pathway_id

    told = [p for p in await asyncio.gather(*(one(c) for c in cases)) if p is not None]
    async with unit_of_work(services.sessions) as session:
        await caseload.mark_told(session, handover_id, told)
    return len(cases) - len(told)
