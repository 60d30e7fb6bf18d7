"""`GET /participants`: deadline filters, sorts, and a cursor that stays correct under each sort."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import units
from db.session import unit_of_work
from tests.db.report_seed import Seeder
from tests.support import Staff

BASE = date(2025, 3, 1)
STAGES = ("kis_active", "cis_main", "cis_trial")


async def _seed(sessions: async_sessionmaker[AsyncSession], staff: Staff) -> Seeder:
    """30 pathways: 10 with an overdue review, 10 with a trial ending, 10 without deadlines."""
    async with unit_of_work(sessions) as session:
        unit = await units.unit_by_code(session, staff.unit_code)
        user = await units.user_by_username(session, staff.caseworker_name)
        assert unit is not None and user is not None
        seeder = Seeder(unit_id=unit.id, code=staff.unit_code, caseworker_id=user.id)
        for i in range(30):
            deadlines: list[tuple[str, date, bool]] = []
            if i % 3 == 0:
                deadlines = [("contract_review", BASE + timedelta(days=(i * 7) % 30), True)]
            elif i % 3 == 1:
                deadlines = [("trial_end", BASE + timedelta(days=i), False)]
            seeder.pathway(
                seeder.person(last_name=f"Lista-{(i * 11) % 30:02d}"),
                "kis",
                STAGES[i % 3],
                BASE - timedelta(days=(i * 13) % 40),
                closed=False,
                deadlines=deadlines,
            )
        await seeder.write(session)
    return seeder


async def _all_pages(
    api: httpx.AsyncClient, staff: Staff, params: dict[str, Any], limit: int
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        answer = await api.get("/participants", params=query, headers=staff.supervisor)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def _due(item: dict[str, Any]) -> str:
    deadline = item["pathway"]["next_deadline"]
    return str(deadline["due_on"]) if deadline else "9999-12-31"


@pytest.mark.parametrize(
    ("sort", "key", "descending"),
    [
        ("name", lambda i: (i["last_name"],), False),
        ("due", lambda i: (_due(i), i["last_name"]), False),
        ("stage", lambda i: (i["pathway"]["stage"], i["last_name"]), False),
        ("started", lambda i: (i["pathway"]["started_on"], i["last_name"]), False),
        ("-started", lambda i: (i["pathway"]["started_on"], i["last_name"]), True),
    ],
)
async def test_every_sort_pages_through_everyone_once_in_order(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    sort: str,
    key: Any,
    descending: bool,
) -> None:
    await _seed(sessions, staff)
    items = await _all_pages(api, staff, {"sort": sort}, limit=7)
    assert len(items) == 30
    assert len({i["id"] for i in items}) == 30
    keys = [key(i) for i in items]
    assert keys == sorted(keys, reverse=descending)


async def test_overdue_and_deadline_kind_filter_and_due_sorts_by_that_deadline(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(sessions, staff)
    overdue = await _all_pages(api, staff, {"overdue": "true", "sort": "due"}, limit=3)
    assert len(overdue) == 10
    assert all(i["pathway"]["next_deadline"]["kind"] == "contract_review" for i in overdue)
    dues = [_due(i) for i in overdue]
    assert dues == sorted(dues)
    trials = await _all_pages(api, staff, {"deadline_kind": "trial_end"}, limit=4)
    assert len(trials) == 10
    assert {i["pathway"]["stage"] for i in trials} == {"cis_main"}
    none = await _all_pages(api, staff, {"deadline_kind": "trial_end", "overdue": "true"}, limit=4)
    assert none == []


async def test_a_cursor_of_another_sort_and_another_unit_are_refused(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(sessions, staff)
    first = await api.get(
        "/participants", params={"sort": "due", "limit": 5}, headers=staff.supervisor
    )
    cursor = first.json()["next_cursor"]
    mixed = await api.get(
        "/participants", params={"sort": "name", "cursor": cursor}, headers=staff.supervisor
    )
    assert mixed.status_code == 422
    assert mixed.json()["error"]["code"] == "invalid_cursor"
    own = await api.get(
        "/participants", params={"unit": staff.unit_code, "limit": 200}, headers=staff.supervisor
    )
    assert len(own.json()["items"]) == 30
    foreign = await api.get(
        "/participants", params={"unit": "NO-SUCH-UNIT"}, headers=staff.supervisor
    )
    assert foreign.status_code == 404
    stranger = await api.get(
        "/participants", params={"unit": staff.unit_code}, headers=staff.stranger
    )
    assert stranger.status_code == 404


async def test_a_participant_with_several_pathways_is_listed_once_with_the_current_one(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with unit_of_work(sessions) as session:
        unit = await units.unit_by_code(session, staff.unit_code)
        user = await units.user_by_username(session, staff.caseworker_name)
        assert unit is not None and user is not None
        seeder = Seeder(unit_id=unit.id, code=staff.unit_code, caseworker_id=user.id)
        twice = seeder.person(last_name="Dwa-Razy")
        thrice = seeder.person(last_name="Trzy-Razy")
        for _ in range(2):  # two closed pathways recorded at the same moment (an import)
            seeder.pathway(twice, "kis", "closed", BASE, closed=True)
        seeder.pathways[-1]["created_at"] = seeder.pathways[-2]["created_at"]
        seeder.pathway(thrice, "kis", "closed", BASE, closed=True)
        seeder.pathway(thrice, "cis", "cis_main", BASE, closed=False)
        seeder.pathway(thrice, "kis", "closed", BASE, closed=True)  # later, but closed
        await seeder.write(session)
    for sort in ("name", "stage", "due"):
        items = await _all_pages(api, staff, {"sort": sort, "q": "razy"}, limit=1)
        assert sorted(i["last_name"] for i in items) == ["Dwa-Razy", "Trzy-Razy"], sort
        current = {i["last_name"]: i["pathway"] for i in items}
        assert current["Trzy-Razy"]["stage"] == "cis_main"  # the open one
        detail = await api.get(f"/participants/{twice}", headers=staff.supervisor)
        assert detail.json()["pathway"]["id"] == current["Dwa-Razy"]["id"]


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.mark.parametrize("sort", ["name", "stage", "-started"])
async def test_a_cursor_names_nobody_and_an_edited_one_is_refused(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession], sort: str
) -> None:
    await _seed(sessions, staff)
    params: dict[str, str | int] = {"sort": sort, "q": "lista", "limit": 2}
    first = await api.get("/participants", params=params, headers=staff.supervisor)
    cursor = first.json()["next_cursor"]
    opened = "".join(_unb64(part).decode(errors="replace") for part in cursor.split("."))
    # Every seeded participant is "Anna Lista-NN"; the cursor holds a code or date and an id.
    assert "Lista" not in opened and "Anna" not in opened
    # The next page is reached with it; the same keys with another participant's id are not.
    following = {**params, "cursor": cursor}
    assert (await api.get("/participants", params=following, headers=staff.supervisor)).is_success
    body, _, mac = cursor.partition(".")
    keys = json.loads(_unb64(body))
    keys[-1] = first.json()["items"][0]["id"]  # not the row the page ended with
    edited = base64.urlsafe_b64encode(json.dumps(keys, separators=(",", ":")).encode()).decode()
    forged = await api.get(
        "/participants",
        params={**params, "cursor": f"{edited.rstrip('=')}.{mac}"},
        headers=staff.supervisor,
    )
    assert forged.status_code == 422
    assert forged.json()["error"]["code"] == "invalid_cursor"
