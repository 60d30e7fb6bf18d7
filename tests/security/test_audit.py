"""The audit log: every write and every read of special-category fields, append-only."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.security.conftest import audit_entries
from tests.support import Staff, person


async def test_writes_and_sensitive_reads_are_audited_without_values(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    body = person(categories=["mental_disorder"])
    created = (await api.post("/participants", json=body, headers=staff.caseworker)).json()
    pid = created["id"]
    await api.get(f"/participants/{pid}", headers=staff.caseworker)
    pathway = (
        await api.post(
            f"/participants/{pid}/pathways",
            json={"programme": "kis", "start_date": "2026-01-05"},
            headers=staff.caseworker,
        )
    ).json()
    step = {"type": "record_diagnosis", "summary": "private words"}
    await api.post(f"/pathways/{pathway['id']}/actions", json=step, headers=staff.caseworker)
    await api.get(f"/pathways/{pathway['id']}", headers=staff.supervisor)
    await api.get(f"/participants/{pid}", headers=staff.stranger)  # 404: leaves nothing

    entries = await audit_entries(api, staff.supervisor, participant_id=pid)
    seen = [(e["action"], e["actor"]) for e in reversed(entries)]
    worker, boss = staff.caseworker_name, staff.caseworker_name.replace("caseworker", "supervisor")
    assert seen == [
        ("participant.create", worker),
        ("participant.read", worker),
        ("pathway.open", worker),
        ("pathway.action", worker),
        ("pathway.read", boss),
    ]
    assert "categories" in entries[-1]["fields"]  # the registration wrote them
    assert {"summary", "type"} <= set(entries[1]["fields"])
    assert all(e["participant_id"] == pid for e in entries)
    text_ = str(entries)
    for value in (body["pesel"], body["last_name"], "mental_disorder", "private words"):
        assert value not in text_


async def test_supervisors_see_their_unit_admins_every_unit_caseworkers_nothing(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    pid = (await api.post("/participants", json=person(), headers=staff.stranger)).json()["id"]
    assert await audit_entries(api, staff.supervisor, participant_id=pid) == []
    assert len(await audit_entries(api, staff.admin, participant_id=pid)) == 1
    assert (await api.get("/audit", headers=staff.caseworker)).status_code == 403


async def test_the_audit_log_pages_newest_first(api: httpx.AsyncClient, staff: Staff) -> None:
    pid = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()["id"]
    for _ in range(3):
        await api.get(f"/participants/{pid}", headers=staff.caseworker)
    first = await api.get(
        "/audit", params={"participant_id": pid, "limit": 2}, headers=staff.supervisor
    )
    cursor = first.json()["next_cursor"]
    rest = await api.get(
        "/audit", params={"participant_id": pid, "cursor": cursor}, headers=staff.supervisor
    )
    ids = [e["id"] for e in first.json()["items"] + rest.json()["items"]]
    assert len(ids) == 4 and ids == sorted(ids, reverse=True)


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
async def test_the_database_refuses_to_change_the_audit_log(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    statement: str,
) -> None:
    await api.post("/participants", json=person(), headers=staff.caseworker)
    async with sessions() as session:
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(text(statement))
        await session.rollback()


async def test_reading_a_list_of_names_is_audited_with_its_filters_and_count(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    body = person()
    await api.post("/participants", json=body, headers=staff.caseworker)
    params = {"q": body["last_name"], "sort": "name"}
    listed = await api.get("/participants", params=params, headers=staff.caseworker)
    assert len(listed.json()["items"]) == 1
    await api.get("/tasks", params={"due": "overdue"}, headers=staff.caseworker)

    log = await api.get("/audit", params={"actor": staff.caseworker_name}, headers=staff.supervisor)
    entries = {entry["action"]: entry for entry in log.json()["items"]}
    seen = entries["participants.list"]
    assert seen["participant_id"] is None
    # The search was used, but what was typed (a name) is not kept.
    assert {"filter:q", "filter:sort=name", "count=1"} <= set(seen["fields"])
    assert not any(body["last_name"] in field for field in seen["fields"])
    assert "filter:due=overdue" in entries["tasks.list"]["fields"]
