"""The caseworker's "Today" page: overdue tasks, today's appointments, failed reminders (httpx on
the real app)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import notifications as outbox
from db.models import Appointment, Pathway
from db.session import unit_of_work
from domain.calendar import WARSAW, add_months, local_date
from tests.support import Staff, eventually, person
from tests.web.conftest import People
from tests.web.test_session import signed_in


async def test_today_lists_overdue_work_and_todays_appointments(
    web: httpx.AsyncClient,
    api: httpx.AsyncClient,
    staff: Staff,
    people: People,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    today = local_date(datetime.now(UTC))
    start = add_months(today, -3)
    body = person()
    participant = (await api.post("/participants", json=body, headers=staff.caseworker)).json()
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "kis", "start_date": start.isoformat()},
        headers=staff.caseworker,
    )
    pathway = opened.json()["id"]
    for step in (
        {"type": "record_diagnosis", "occurred_on": (start + timedelta(days=1)).isoformat()},
        {
            "type": "sign_social_contract",
            "occurred_on": (start + timedelta(days=2)).isoformat(),
            "review_on": (start + timedelta(days=30)).isoformat(),
        },
    ):
        taken = await api.post(f"/pathways/{pathway}/actions", json=step, headers=staff.caseworker)
        assert taken.status_code == 200, taken.text
    # A workshop at 10:00 Warsaw time today, as the reminders' projection writes it.
    async with unit_of_work(sessions) as db:
        unit_id = (await db.get_one(Pathway, uuid.UUID(pathway))).unit_id
        db.add(
            Appointment(
                id=uuid.uuid4(),
                pathway_id=uuid.UUID(pathway),
                unit_id=unit_id,
                starts_at=datetime.combine(today, time(10, 0), tzinfo=WARSAW).astimezone(UTC),
                kind="workshop",
                place="Sala 2",
            )
        )
        # And an SMS for this morning that the gateway refused for good.
        due = datetime.now(UTC).replace(microsecond=0)
        key = outbox.OutboxKey(uuid.UUID(pathway), f"session_soon:{uuid.uuid4()}", due)
        await outbox.claim(
            db, key, uuid.UUID(participant["id"]), "session_soon", due, outbox.FAILED, None, "sms"
        )
    cookie, _ = await signed_in(web, people.caseworker, people.password)

    async def page_with_the_task() -> str | None:
        answer = await web.get("/web/", headers={"cookie": cookie})
        assert answer.status_code == 200
        return answer.text if body["last_name"] in answer.text else None

    text = await eventually(page_with_the_task)
    assert "przegląd kontraktu socjalnego" in text
    assert "dni roboczych po terminie" in text
    assert "10:00" in text and "warsztat" in text and "Sala 2" in text
    assert f'href="/web/pathways/{pathway}"' in text
    failed = text[text.index('id="failed"') :]
    assert "tuż przed zajęciami" in failed and body["last_name"] in failed
    # The list's "overdue only" filter and order (GET /participants' overdue=true, sort=due).
    listed = await web.get(
        "/web/participants",
        params={"q": body["last_name"], "overdue": "on", "sort": "due"},
        headers={"cookie": cookie},
    )
    assert body["last_name"] in listed.text
    assert 'id="overdue" name="overdue" type="checkbox" value="on" checked' in listed.text
    followed = await web.get(f"/web/pathways/{pathway}", headers={"cookie": cookie})
    assert followed.status_code == 303
    assert followed.headers["location"] == f"/web/participants/{participant['id']}#pathway"
