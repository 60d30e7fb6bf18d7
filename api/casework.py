"""A caseworker's writes that start something: registering a participant, opening a pathway.

The HTTP routes and the import of existing cases (`api/case_import.py`) both come through here,
so an imported case is registered, keyed, audited and started exactly as one typed in.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from api import pathway_gateway
from core.temporal import workflow_id
from db import audit, eligibility, queries
from db.audit import Actor
from db.keys import DatabaseKeyStore
from db.models import Participant
from db.session import unit_of_work
from domain.calendar import local_date
from domain.participants import ParticipantCreate, identity
from domain.pathway import PathwayInput, PathwayState
from domain.stages import Programme
from domain.steps import first_state
from workflows import search_attributes


async def register_participant(
    session: AsyncSession,
    keys: DatabaseKeyStore,
    actor: Actor,
    body: ParticipantCreate,
    caseload_of: uuid.UUID | None = None,
) -> Participant:
    """Register a participant in the actor's unit, with their data key, audited."""
    pesel, born = identity(body, local_date(datetime.now(UTC)))
    person = await queries.create_participant(
        session, actor.unit_id, actor.id, body, pesel, born, caseload_of
    )
    await keys.provide(session, person.id)
    await audit.append(
        session, actor, "participant.create", sorted(body.model_fields_set), person.id
    )
    return person


async def open_pathway(
    sessions: async_sessionmaker[AsyncSession],
    client: Client,
    task_queue: str,
    keys: DatabaseKeyStore,
    actor: Actor,
    participant_id: uuid.UUID,
    programme: Programme,
    start_date: date,
    caseload_of: uuid.UUID | None = None,
    pathway_id: uuid.UUID | None = None,
) -> PathwayState:
    """Register the participant's one open pathway, then start its workflow; its first state.

    The first state is a pure function of the input, so it is computed here by the same domain
    function the workflow runs, and a bad start never reaches Temporal. A start that fails
    removes the registration.
    """
    start = PathwayInput(
        pathway_id=str(pathway_id or uuid.uuid4()),
        participant_id=str(participant_id),
        programme=programme,
        started_on=start_date,
        requested_at=datetime.now(UTC),
        reminders=True,
    )
    registered = uuid.UUID(start.pathway_id)
    async with unit_of_work(sessions) as session:
        # The person's exclusions (art. 1 ust. 3) decide whether the programme may take them.
        exclusions = await eligibility.exclusions_of(session, participant_id)
        start = start.model_copy(update={"exclusions": exclusions})
        first = first_state(start, datetime.now(UTC))
        await queries.register_pathway(
            session,
            registered,
            actor.unit_id,
            participant_id,
            actor.id,
            programme,
            start_date,
            first.stage,
            caseload_of,
        )
        unit_code = await queries.unit_code(session, actor.unit_id)
        await keys.prime(session, workflow_id(start.pathway_id), participant_id)
        await audit.append(
            session, actor, "pathway.open", ["programme", "start_date"], participant_id
        )
    try:
        await pathway_gateway.start(
            client, task_queue, start, search_attributes.at_start(first, unit_code)
        )
    except BaseException:
        async with unit_of_work(sessions) as session:
            await queries.forget_pathway(session, registered)
        raise
    return first
