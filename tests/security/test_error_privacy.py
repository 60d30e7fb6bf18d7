"""Personal data never rides an error: a failed statement's parameters stay out of the logs and
out of Temporal's failures, which are kept in the clear and outlive an erasure (issue 18)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.api.failure.v1 import Failure
from temporalio.client import Client

from db import units
from db.models import Participant
from domain.workflow_ids import workflow_id
from tests.security.conftest import LogLines, codecless, leaked, open_kis_pathway
from tests.support import Staff, eventually, person

ACTIVITY_STARTED = EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
REFUSAL = "refused by the test"


@asynccontextmanager
async def inserts_refused(
    sessions: async_sessionmaker[AsyncSession], table: str, column: str, value: str | uuid.UUID
) -> AsyncIterator[None]:
    """A database trigger that fails inserting the rows of `table` whose `column` is `value`,
    until the block ends."""
    name = f"refuse_{uuid.uuid4().hex[:10]}"
    async with sessions() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        create = [
            f"""CREATE FUNCTION {name}() RETURNS trigger AS $$
            BEGIN
                IF NEW.{column} = '{value}' THEN RAISE EXCEPTION '{REFUSAL}'; END IF;
                RETURN NEW;
            END; $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {name} BEFORE INSERT ON {table}
            FOR EACH ROW EXECUTE FUNCTION {name}()""",
        ]
        drop = [f"DROP TRIGGER {name} ON {table}", f"DROP FUNCTION {name}()"]
    else:
        stored = value.hex if isinstance(value, uuid.UUID) else value  # SQLite: a Uuid in hex
        create = [
            f"""CREATE TRIGGER {name} BEFORE INSERT ON {table}
            WHEN NEW.{column} = '{stored}'
            BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"""
        ]
        drop = [f"DROP TRIGGER {name}"]
    async with sessions() as session:
        for statement in create:
            await session.execute(text(statement))
        await session.commit()
    try:
        yield
    finally:
        async with sessions() as session:
            for statement in drop:
                await session.execute(text(statement))
            await session.commit()


async def test_a_database_error_about_a_pesel_leaves_it_in_no_log_and_no_history(
    api: httpx.AsyncClient,
    staff: Staff,
    temporal_client: Client,
    sessions: async_sessionmaker[AsyncSession],
    log_lines: LogLines,
) -> None:
    body = person()
    pesel = body["pesel"]
    participant_id, pathway_id = await open_kis_pathway(api, staff.caseworker, body)
    handle = (await codecless(temporal_client)).get_workflow_handle(workflow_id(pathway_id))

    async with inserts_refused(sessions, "pathway_events", "pathway_id", uuid.UUID(pathway_id)):
        # A caseworker may type a PESEL into a note; projecting it now fails in the database.
        step = {"type": "record_diagnosis", "summary": f"zaswiadczenie dla PESEL {pesel}"}
        taken = await api.post(
            f"/pathways/{pathway_id}/actions", json=step, headers=staff.caseworker
        )
        assert taken.status_code == 200, taken.text

        async def failed_twice() -> bytes | None:
            described = await handle.describe()
            failing = [
                a
                for a in described.raw_description.pending_activities
                if a.attempt >= 2 and a.HasField("last_failure")
            ]
            return described.raw_description.SerializeToString() if failing else None

        assert leaked((pesel,), await eventually(failed_twice)) == []

    async def projected() -> bool:
        seen = await api.get(f"/participants/{participant_id}", headers=staff.caseworker)
        return bool(seen.json()["pathway"]["stage"] == "kis_diagnosed")

    await eventually(projected)
    history = await handle.fetch_history()
    retried = [
        e.activity_task_started_event_attributes
        for e in history.events
        if e.event_type == ACTIVITY_STARTED
        and e.activity_task_started_event_attributes.HasField("last_failure")
    ]
    assert retried, "the history keeps the projection's last failure"
    raw = b"".join(event.SerializeToString() for event in history.events)
    assert leaked((pesel,), raw) == []
    text_of_logs = "\n".join(log_lines.lines)
    assert REFUSAL in text_of_logs  # the capture did see the failure being logged
    assert leaked((pesel,), text_of_logs.encode()) == []


async def test_a_failed_statements_error_carries_no_parameters_and_seals_its_text(
    staff: Staff, temporal_client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    pesel = person()["pesel"]
    async with sessions() as session:
        unit = await units.unit_by_code(session, staff.unit_code)
        caseworker = await units.user_by_username(session, staff.caseworker_name)
        assert unit is not None and caseworker is not None
    row = {
        "id": uuid.uuid4(),
        "unit_id": unit.id,
        "created_by": caseworker.id,
        "first_name": "Jan",
        "last_name": "Kowalski",
        "pesel": pesel,
        "birth_date": date(1970, 1, 1),
        "consent_sms": False,
        "consent_email": False,
        "created_at": datetime.now(UTC),
    }
    async with inserts_refused(sessions, "participants", "pesel", pesel), sessions() as session:
        with pytest.raises(DBAPIError) as refused:
            await session.execute(insert(Participant).values(row))
    error = refused.value
    assert REFUSAL in str(error) and "parameters hidden" in str(error)
    assert pesel not in str(error)
    # As an activity's failure, its text (and its traceback) go sealed into Temporal.
    failure = Failure()
    await temporal_client.data_converter.encode_failure(error, failure)
    assert failure.message == "Encoded failure" and not failure.stack_trace
    assert REFUSAL.encode() not in failure.SerializeToString()
    opened = await temporal_client.data_converter.decode_failure(failure)
    assert REFUSAL in str(opened)
