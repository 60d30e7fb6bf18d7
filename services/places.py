"""Places and the waiting list: a unit's places by programme, who waits, in which order."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from db import audit, participants, places
from db.session import unit_of_work
from domain.calendar import local_date
from domain.errors import Conflict, NotFound
from domain.places import (
    PlacesOut,
    PlacesSet,
    WaitingCreate,
    WaitingEntry,
    WaitingList,
    queue_key,
)
from domain.stages import Programme
from services import oversight
from services.accounts import unit_id_of
from services.context import Caller, Services


async def set_places(services: Services, caller: Caller, code: str, body: PlacesSet) -> PlacesOut:
    """The unit's places in a programme and its waiting list's rule."""
    async with unit_of_work(services.sessions) as session:
        unit_id = await unit_id_of(session, code)
        await places.set_places(session, unit_id, body.programme, body.places, body.rule)
        await oversight.record_act(
            services, session, caller, "unit.places", ["programme", "places", "rule"], unit_id
        )
    return PlacesOut(unit_code=code, **body.model_dump())


async def put_on_list(services: Services, caller: Caller, body: WaitingCreate) -> WaitingEntry:
    """Put a participant of the caller's unit (and caseload) on the waiting list."""
    async with unit_of_work(services.sessions) as session:
        person = await participants.participant_in_unit(
            session, caller.unit_id, body.participant_id, caller.caseload_of
        )
        row = await places.add_waiting(
            session,
            caller.unit_id,
            body.programme,
            person.id,
            body.applied_on,
            body.priority,
            caller.id,
        )
        if row is None:
            raise Conflict("already_waiting", "The participant is on this waiting list already.")
        await audit.append(
            session, caller.actor, "waiting.add", ["applied_on", "priority"], person.id
        )
        entry_id = row.id
    listed = await waiting_list(services, caller, body.programme)
    return next(e for e in listed.entries if e.id == entry_id)


async def take_off_list(services: Services, caller: Caller, entry_id: uuid.UUID) -> None:
    """Take someone off the waiting list (they withdrew, went elsewhere)."""
    async with unit_of_work(services.sessions) as session:
        if not await places.remove_waiting(session, caller.unit_id, entry_id):
            raise NotFound("waiting_entry_not_found", "No such waiting entry.")
        await audit.append(session, caller.actor, "waiting.remove", ["removed_at"])


async def waiting_list(services: Services, caller: Caller, programme: Programme) -> WaitingList:
    """The programme's waiting list in the unit's order, with its places and waiting times."""
    today = local_date(datetime.now(UTC))
    async with unit_of_work(services.sessions) as session:
        rule = await places.places_of(session, caller.unit_id, programme)
        taken = await places.occupied(session, caller.unit_id, programme)
        rows = await places.waiting_rows(session, caller.unit_id, programme)
        waits = await places.admitted_waits(
            session, caller.unit_id, programme, places.a_year_before(today)
        )
        await audit.append(session, caller.actor, "waiting.read", ["name", "applied_on"])
    rows.sort(key=lambda r: queue_key(rule.rule, r.priority, r.applied_on, r.created_at))
    entries = [
        WaitingEntry(
            id=r.id,
            position=position,
            participant_id=r.participant_id,
            participant_name=f"{r.first_name} {r.last_name}".strip(),
            programme=programme,
            applied_on=r.applied_on,
            priority=r.priority,
            waiting_days=max((today - r.applied_on).days, 0),
        )
        for position, r in enumerate(rows, start=1)
    ]
    return WaitingList(
        programme=programme,
        places=rule.places,
        occupied=taken,
        free=None if rule.places is None else max(rule.places - taken, 0),
        rule=rule.rule,
        entries=entries,
        admitted_last_year=len(waits),
        average_wait_days=round(sum(waits) / len(waits), 1) if waits else None,
    )
