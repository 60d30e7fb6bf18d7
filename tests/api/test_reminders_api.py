"""Participants' reminders over HTTP, on the real dev server, worker and database: appointments,
delivery status, consent by the caseworker, STOP from the gateway and the unsubscribe link."""

from __future__ import annotations

import base64
import random
import uuid
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.settings import Settings
from core.signed_links import unsubscribe_token
from db import notifications as outbox
from db.session import unit_of_work
from domain.calendar import local_date
from domain.reminders import ReminderKind
from tests.support import Staff, eventually, local_today, person, settings_for_tests

GATEWAY_SECRET = "gateway-shared-secret"


@pytest.fixture
def settings(database_url: str, task_queue: str) -> Settings:
    """The API's settings, with the SMS gateway's shared secret for replies."""
    return settings_for_tests(
        database_url=database_url,
        temporal_task_queue=task_queue,
        sms_inbound_secret=GATEWAY_SECRET,
    )


# Numbers no other participant has (by construction: a counter; person()'s default is
# +48 600 100 200, and these start at +48 610 ...).
_NUMBERS = count(random.randrange(10_000_000, 80_000_000))


def phone() -> str:
    n = next(_NUMBERS)
    return f"+48 6{n // 1_000_000:02d} {n // 1000 % 1000:03d} {n % 1000:03d}"


async def participant(api: httpx.AsyncClient, staff: Staff, **fields: Any) -> str:
    answer = await api.post("/participants", json=person(**fields), headers=staff.caseworker)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def pathway(api: httpx.AsyncClient, staff: Staff, who: str, days_ago: int = 0) -> str:
    started = local_date(datetime.now(UTC)) - timedelta(days=days_ago)
    answer = await api.post(
        f"/participants/{who}/pathways",
        json={"programme": "kis", "start_date": started.isoformat()},
        headers=staff.caseworker,
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


# Appointments were first at `/sessions`: those paths stay, deprecated, and answer the same.
@pytest.mark.parametrize("collection", ["appointments", "sessions"])
async def test_appointments_are_set_once_listed_and_cancelled(
    api: httpx.AsyncClient, staff: Staff, collection: str
) -> None:
    who = await participant(api, staff)
    path = await pathway(api, staff, who)
    starts = (datetime.now(UTC) + timedelta(days=5)).replace(microsecond=0)
    body = {"starts_at": starts.isoformat(), "kind": "individual", "place": "pokój 3"}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await api.post(
        f"/pathways/{path}/{collection}", json=body, headers={**staff.caseworker, **key}
    )
    again = await api.post(
        f"/pathways/{path}/{collection}", json=body, headers={**staff.caseworker, **key}
    )
    assert first.status_code == again.status_code == 201, first.text
    assert first.json() == again.json()
    appointment_id = first.json()["id"]

    async def listed() -> list[dict[str, Any]]:
        answer = await api.get(f"/pathways/{path}/{collection}", headers=staff.supervisor)
        return list(answer.json())

    appointments = await eventually(listed)
    assert [(a["id"], a["kind"], a["place"], a["cancelled"]) for a in appointments] == [
        (appointment_id, "individual", "pokój 3", False)
    ]
    cancelled = await api.post(
        f"/pathways/{path}/{collection}/{appointment_id}/cancel", headers=staff.caseworker
    )
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True

    async def cancelled_in_list() -> bool:
        return bool((await listed())[0]["cancelled"])

    await eventually(cancelled_in_list)
    unknown = await api.post(
        f"/pathways/{path}/{collection}/{uuid.uuid4()}/cancel", headers=staff.caseworker
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "session_not_found"
    past = {**body, "starts_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()}
    refused = await api.post(f"/pathways/{path}/{collection}", json=past, headers=staff.caseworker)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "session_in_past"
    naive = {**body, "starts_at": "2030-01-01T10:00:00"}
    invalid = await api.post(f"/pathways/{path}/{collection}", json=naive, headers=staff.caseworker)
    assert invalid.status_code == 422


async def test_a_reminder_recorded_too_late_is_shown_dropped_with_its_reason(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    who = await participant(api, staff, phone=phone())
    path = await pathway(api, staff, who, days_ago=60)
    left = local_date(datetime.now(UTC)) - timedelta(days=40)
    step = await api.post(
        f"/pathways/{path}/actions",
        json={"type": "withdraw", "occurred_on": left.isoformat()},
        headers=staff.caseworker,
    )
    assert step.status_code == 200, step.text

    async def dropped() -> list[dict[str, Any]]:
        answer = await api.get(f"/participants/{who}/notifications", headers=staff.caseworker)
        assert answer.status_code == 200, answer.text
        return [i for i in answer.json()["items"] if i["status"] == "dropped"]

    (item,) = await eventually(dropped)
    assert (item["kind"], item["reason"], item["channel"], item["attempts"]) == (
        "check_in",
        "recorded_too_late",
        None,
        0,
    )
    assert item["reminder"].startswith("check_in_30:")
    stranger = await api.get(f"/participants/{who}/notifications", headers=staff.stranger)
    assert stranger.status_code == 404


async def test_the_caseworker_records_language_and_consent(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    who = await participant(api, staff, email="osoba@example.org", consent_email=False)
    answer = await api.put(
        f"/participants/{who}/notification-preferences",
        json={"language": "en", "consent_email": True, "consent_sms": False},
        headers=staff.caseworker,
    )
    assert answer.status_code == 200, answer.text
    assert {k: answer.json()[k] for k in ("language", "consent_sms", "consent_email")} == {
        "language": "en",
        "consent_sms": False,
        "consent_email": True,
    }
    unknown_field = await api.put(
        f"/participants/{who}/notification-preferences",
        json={"language": "de"},
        headers=staff.caseworker,
    )
    assert unknown_field.status_code == 422


async def test_stop_from_the_gateway_withdraws_sms_consent_for_that_number(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    number = phone()
    who = await participant(api, staff, phone=number, consent_sms=True)
    digits = "".join(c for c in number if c.isdigit())
    wrong = await api.post(
        "/notifications/sms-inbound",
        content=f"sms_from={digits}&sms_text=STOP",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Gateway-Secret": "nope"},
    )
    assert wrong.status_code == 401
    # The right secret in the address is refused: addresses end up in logs.
    in_the_address = await api.post(
        f"/notifications/sms-inbound?secret={GATEWAY_SECRET}",
        content=f"sms_from={digits}&sms_text=STOP",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert in_the_address.status_code == 401
    assert in_the_address.json()["error"]["code"] == "gateway_secret_in_query"
    hello = await api.post(
        "/notifications/sms-inbound",
        json={"from": digits, "text": "Dzień dobry"},
        headers={"X-Gateway-Secret": GATEWAY_SECRET},
    )
    assert hello.json() == {"withdrawn": 0}
    # SMSAPI posts a form with the number as 48XXXXXXXXX; it was registered as "+48 6.. ... ...".
    stop = await api.post(
        "/notifications/sms-inbound",
        content=f"sms_from={digits}&sms_text=stop",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Gateway-Secret": GATEWAY_SECRET,
        },
    )
    assert stop.status_code == 200, stop.text
    assert stop.json() == {"withdrawn": 1}
    status = await api.get(f"/participants/{who}/notifications", headers=staff.caseworker)
    assert status.json()["consent_sms"] is False


async def test_the_unsubscribe_link_withdraws_email_consent_without_a_login(
    api: httpx.AsyncClient, staff: Staff, settings: Settings
) -> None:
    who = await participant(api, staff, email="osoba@example.org", consent_email=True)
    token = unsubscribe_token(settings.secret_key, uuid.UUID(who), "email", local_today())
    page = await api.get(f"/notifications/unsubscribe/{token}")
    assert page.status_code == 200 and "<form" in page.text
    still = await api.get(f"/participants/{who}/notifications", headers=staff.caseworker)
    assert still.json()["consent_email"] is True  # opening the link changes nothing
    done = await api.post(f"/notifications/unsubscribe/{token}", headers={"Accept": "text/html"})
    assert done.status_code == 200 and "no more e-mails" in done.text
    after = await api.get(f"/participants/{who}/notifications", headers=staff.caseworker)
    assert after.json()["consent_email"] is False
    forged = await api.post(f"/notifications/unsubscribe/{forge(token)}")
    assert forged.status_code == 404


def forge(token: str) -> str:
    """The token with one bit of its signature flipped: never valid, whatever the token.

    (Overwriting the last characters left it valid whenever they already were those, or when
    they only carried base64's padding bits.)"""
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[-1] ^= 0x01
    forged = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    assert forged != token
    return forged


async def test_an_unsubscribe_link_expires_and_then_says_so_and_offers_nothing(
    api: httpx.AsyncClient, staff: Staff, settings: Settings
) -> None:
    who = await participant(api, staff, email="osoba@example.org", consent_email=True)
    days = settings.unsubscribe_link_days
    old = unsubscribe_token(
        settings.secret_key, uuid.UUID(who), "email", local_today() - timedelta(days=days + 1)
    )
    page = await api.get(f"/notifications/unsubscribe/{old}")
    assert page.status_code == 410
    assert "expired" in page.text and "<form" not in page.text
    pressed = await api.post(f"/notifications/unsubscribe/{old}")
    assert pressed.status_code == 410
    assert pressed.json()["error"]["code"] == "link_expired"
    still = await api.get(f"/participants/{who}/notifications", headers=staff.caseworker)
    assert still.json()["consent_email"] is True
    last_day = unsubscribe_token(
        settings.secret_key, uuid.UUID(who), "email", local_today() - timedelta(days=days)
    )
    assert (await api.get(f"/notifications/unsubscribe/{last_day}")).status_code == 200


async def test_failed_reminders_of_the_unit_are_listed_for_a_call_instead(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    who = await participant(api, staff, first_name="Marianna")
    path = await pathway(api, staff, who)
    due = datetime.now(UTC).replace(microsecond=0)
    async with unit_of_work(sessions) as session:
        for reminder, status in (("a", outbox.FAILED), ("b", outbox.UNCONFIRMED), ("c", "sent")):
            claimed = await outbox.claim(
                session,
                outbox.OutboxKey(uuid.UUID(path), f"session:{reminder}", due),
                uuid.UUID(who),
                ReminderKind.APPOINTMENT_EVE,
                due,
                status,
                channel="sms",
            )
            assert claimed.fresh

    answer = await api.get("/notifications/failed", headers=staff.caseworker)
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert sorted(i["status"] for i in items) == ["failed", "unconfirmed"]
    assert {(i["pathway_id"], i["participant_name"].split()[0]) for i in items} == {
        (path, "Marianna")
    }
    other_unit = await api.get("/notifications/failed", headers=staff.stranger)
    assert other_unit.json()["items"] == []
    too_far = await api.get("/notifications/failed?days=400", headers=staff.caseworker)
    assert too_far.status_code == 422
