"""Eligibility: the rights that put a person outside the act (art. 1 ust. 3 u.z.s.)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api import pathway_gateway
from api.audit import AuditDep
from api.deps import Casework, SessionDep, TemporalDep
from api.schemas import ParticipantOut
from db import eligibility, queries
from domain.calendar import local_date
from domain.eligibility import Exclusion
from domain.errors import InvalidInput
from domain.pathway import EligibilityChange

router = APIRouter(tags=["participants"])


class ExclusionsUpdate(BaseModel):
    """The person's exclusions as they are now, and since when (default today)."""

    model_config = ConfigDict(extra="forbid")
    exclusions: list[Exclusion] = Field(max_length=len(Exclusion))
    occurred_on: date | None = None


@router.put("/participants/{participant_id}/exclusions")
async def record_exclusions(
    participant_id: uuid.UUID,
    body: ExclusionsUpdate,
    session: SessionDep,
    caller: Casework,
    audit: AuditDep,
    client: TemporalDep,
) -> ParticipantOut:
    """Record the exclusions anew; an open pathway is told, and its head gets a task when they
    now bar the programme (never an automatic exit)."""
    today = local_date(datetime.now(UTC))
    on = body.occurred_on or today
    if on > today:
        raise InvalidInput("occurred_on_in_future", "The date may not be in the future.")
    person = await queries.participant_in_unit(
        session, caller.unit_id, participant_id, caller.caseload_of
    )
    exclusions = sorted(set(body.exclusions))
    await eligibility.record_exclusions(session, person.id, exclusions)
    await audit.record("participant.exclusions", ["exclusions"], participant_id=person.id)
    pathway = await queries.current_pathway(session, person.id)
    if pathway is not None and pathway.closed_at is None:
        change = EligibilityChange(exclusions=exclusions, occurred_on=on)
        await pathway_gateway.tell_eligibility(client, pathway.id, change)
    categories = await queries.categories_of(session, person.id)
    return ParticipantOut.full(person, categories, pathway, exclusions)
