"""Many pathways' steps in one go (a class's attendance list): each exactly as `take_step` takes
it, with the same Idempotency-Key semantics, Update ids and request ids, so a list retried one
step at a time through the API, or a step retried through a list, records nothing twice; but
the stored answers are looked up in one query, and the audit entries and the answers written in
one transaction by two statements executed for all the steps, instead of two round trips per
step (which took a fifth of a list of 60 on a loaded machine)."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db import audit, idempotency
from db.models import IdempotencyRecord
from db.session import unit_of_work
from domain.actions import Action
from domain.errors import DomainError, InvalidInput
from domain.pathway import StepRequest
from domain.steps import check_role
from domain.views import StepView
from services import pathway_calls, pathways
from services.context import Caller, Services
from services.errors import ServiceUnavailable


@dataclass(frozen=True)
class Step:
    """One pathway's step and its key."""

    pathway_id: uuid.UUID
    action: Action
    key: str


Outcome = StepView | DomainError | ServiceUnavailable


async def take_steps(
    services: Services, caller: Caller, steps: list[Step], concurrency: int = 64
) -> list[Outcome]:
    """Each step's new state, or why it was not recorded, in the order given."""
    hashes = [pathways._hash(s.pathway_id, s.action) for s in steps]
    async with services.sessions() as session:
        query = select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == caller.id,
            IdempotencyRecord.key.in_([s.key for s in steps]),
        )
        earlier = {r.key: r for r in (await session.execute(query)).scalars()}
    gate = asyncio.Semaphore(concurrency)

    async def one(step: Step, request_hash: str) -> tuple[Outcome, bool]:
        try:
            check_role(step.action.type, caller.role)
            await pathways.own_pathway(services, caller, step.pathway_id)
            stored = earlier.get(step.key)
            if stored is not None:
                if stored.request_hash != request_hash:
                    raise InvalidInput(
                        "idempotency_key_reused",
                        "This Idempotency-Key was used for a different request.",
                    )
                return StepView.model_validate(stored.body), False
            request_id = f"{caller.id}:{step.key}"
            update_id = f"step-{hashlib.sha256(request_id.encode()).hexdigest()[:32]}"
            request = StepRequest(
                action=step.action, actor=caller.username, role=caller.role, request_id=request_id
            )
            async with gate:
                receipt = await pathway_calls.step(
                    services.temporal, step.pathway_id, request, update_id
                )
            if receipt.view is None:  # a worker from before issue 13
                raise ServiceUnavailable(
                    "step_recorded_state_unavailable",
                    "The step was recorded; send the list again to see it.",
                )
            return receipt.view, True
        except (DomainError, ServiceUnavailable) as err:
            return err, False

    done = await asyncio.gather(*(one(s, h) for s, h in zip(steps, hashes, strict=True)))
    accessed: list[tuple[list[str], uuid.UUID]] = []
    answers: list[tuple[str, str, int, dict[str, Any]]] = []
    for step, request_hash, (outcome, fresh) in zip(steps, hashes, done, strict=True):
        if not isinstance(outcome, StepView):
            continue
        accessed.append((sorted(step.action.model_fields_set | {"type"}), step.pathway_id))
        if fresh:
            answers.append((step.key, request_hash, 200, outcome.model_dump(mode="json")))
    # Each kind of row in one statement executed for all (one round trip each, not one a row).
    async with unit_of_work(services.sessions) as session:
        await audit.append_many(session, caller.actor, "pathway.action", accessed)
        await idempotency.remember_answers(session, caller.id, answers)
    return [outcome for outcome, _ in done]
