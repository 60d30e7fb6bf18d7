"""Participants: registration, the unit's list, one participant with their current pathway."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.cursors import open_cursor, seal_cursor
from db import audit, eligibility, participant_list, participants, pathways, report_scope
from db.audit import Actor
from db.keys import DatabaseKeyStore
from db.models import Participant, Pathway
from db.session import unit_of_work
from domain.calendar import local_date
from domain.eligibility import Exclusion, ExclusionsUpdate
from domain.errors import InvalidInput
from domain.participants import (
    ParticipantCreate,
    ParticipantDetail,
    ParticipantFilters,
    ParticipantOut,
    ParticipantPage,
    ParticipantSort,
    identity,
)
from domain.pathway import EligibilityChange
from services import audit_log, pathway_calls
from services.context import Caller, Services

# What a participant's full record shows; categories are art. 9 data.
PARTICIPANT_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "pesel",
    "phone",
    "email",
    "consent_sms",
    "consent_email",
    "categories",
)


async def register(services: Services, caller: Caller, body: ParticipantCreate) -> ParticipantOut:
    """Register a participant in the caller's unit, with their data key, audited."""
    async with unit_of_work(services.sessions) as session:
        person = await register_in(session, services.keys, caller.actor, body, caller.caseload_of)
    return full_record(person, list(body.categories), None, body.exclusions)


async def register_in(
    session: AsyncSession,
    keys: DatabaseKeyStore,
    actor: Actor,
    body: ParticipantCreate,
    caseload_of: uuid.UUID | None = None,
) -> Participant:
    """Registration inside the caller's unit of work (an import registers a case with more); a
    duplicate names the registered participant only to whom may open them (`caseload_of`)."""
    pesel, born = identity(body, local_date(datetime.now(UTC)))
    person = await participants.create_participant(
        session, actor.unit_id, actor.id, body, pesel, born, caseload_of
    )
    await keys.provide(session, person.id)
    await audit.append(
        session, actor, "participant.create", sorted(body.model_fields_set), person.id
    )
    return person


async def list_page(
    services: Services,
    caller: Caller,
    filters: ParticipantFilters,
    cursor: str | None = None,
    limit: int = 50,
    sort: ParticipantSort = ParticipantSort.NAME,
    unit: str | None = None,
) -> ParticipantPage:
    """The unit's participants with their current pathway, sorted; follow `next_cursor`.

    `unit` names a unit the caller may see (today only their own: any other is 404); a
    caseworker limited to their caseload sees only it, whatever the filters say.
    """
    scoped = replace(filters, caseload_of=caller.caseload_of)
    async with unit_of_work(services.sessions) as session:
        unit_id = caller.unit_id
        if unit is not None:
            scope = await report_scope.scope_of(session, caller.unit_id, unit, any_unit=False)
            unit_id = scope.unit_ids[0]
        purpose = f"participants:{sort.value}"
        secret = services.settings.secret_key
        after = open_cursor(secret, purpose, cursor) if cursor else None
        items, next_keys = await participant_list.list_participants(
            session, unit_id, scoped, after, limit, sort
        )
        shown = {**asdict(filters), "unit": unit, "sort": sort.value, "page": cursor and "next"}
        await audit_log.record_list_read(session, caller, "participants", shown, len(items))
    next_cursor = seal_cursor(secret, purpose, next_keys) if next_keys else None
    return ParticipantPage.model_construct(items=items, next_cursor=next_cursor)


async def detail(
    services: Services, caller: Caller, participant_id: uuid.UUID
) -> ParticipantDetail:
    """One participant of the caller's unit (or caseload) with their current pathway, audited;
    a closed pathway's timeline comes from the read model (its workflow is done)."""
    async with unit_of_work(services.sessions) as session:
        person = await participants.participant_in_unit(
            session, caller.unit_id, participant_id, caller.caseload_of
        )
        categories = await participants.categories_of(session, person.id)
        pathway = await participants.current_pathway(session, person.id)
        closed = pathway is not None and pathway.closed_at is not None
        seen = (*PARTICIPANT_FIELDS, "timeline") if closed else PARTICIPANT_FIELDS
        await audit.append(session, caller.actor, "participant.read", seen, person.id)
        timeline = (
            await pathways.pathway_timeline(session, pathway.id) if pathway and closed else None
        )
        exclusions = await eligibility.exclusions_of(session, person.id)
    return ParticipantDetail(
        **full_record(person, categories, pathway, exclusions).model_dump(), timeline=timeline
    )


async def record_exclusions(
    services: Services, caller: Caller, participant_id: uuid.UUID, body: ExclusionsUpdate
) -> ParticipantOut:
    """Record the person's exclusions anew; an open pathway is told (a Signal: a fact, not a
    step), and its head gets a task when they now bar the programme (never an automatic exit)."""
    today = local_date(datetime.now(UTC))
    on = body.occurred_on or today
    if on > today:
        raise InvalidInput("occurred_on_in_future", "The date may not be in the future.")
    exclusions = sorted(set(body.exclusions))
    async with unit_of_work(services.sessions) as session:
        person = await participants.participant_in_unit(
            session, caller.unit_id, participant_id, caller.caseload_of
        )
        await eligibility.record_exclusions(session, person.id, exclusions)
        await audit.append(
            session, caller.actor, "participant.exclusions", ["exclusions"], person.id
        )
        pathway = await participants.current_pathway(session, person.id)
        categories = await participants.categories_of(session, person.id)
    if pathway is not None and pathway.closed_at is None:
        change = EligibilityChange(exclusions=exclusions, occurred_on=on)
        await pathway_calls.tell_eligibility(services.temporal, pathway.id, change)
    return full_record(person, categories, pathway, exclusions)


def full_record(
    person: Participant,
    categories: list[str],
    pathway: Pathway | None,
    exclusions: list[Exclusion] | None = None,
) -> ParticipantOut:
    """A participant in full (categories, exclusions, current pathway), for their unit."""
    return ParticipantOut(
        id=person.id,
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=person.birth_date,
        pathway=participants.pathway_summary(pathway) if pathway else None,
        pesel=person.pesel,
        phone=person.phone,
        email=person.email,
        consent_sms=person.consent_sms,
        consent_email=person.consent_email,
        categories=categories,
        exclusions=exclusions or [],
        created_at=person.created_at,
    )
