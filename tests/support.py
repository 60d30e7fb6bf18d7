"""Helpers the tests share: logging in, registration bodies, waiting on eventual facts, and the
days a test against the real servers may use whatever day of the year it runs on."""

from __future__ import annotations

import asyncio
import base64
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import count
from random import Random
from typing import Any, TypeVar

import httpx
from argon2 import PasswordHasher
from temporalio.client import Client

from api.app import create_app
from core.holidays import polish_holidays
from core.settings import Settings
from domain.calendar import local_date
from domain.pesel import encode_pesel
from domain.working_days import working_days_after

PASSWORD = "correct-horse-battery"
# Test users are written with this hash: argon2 at its lightest, made once. A login verifies with
# the parameters stored in the hash, so each test's logins cost milliseconds instead of the
# product's half a second of hashing per user (the product's own parameters are untouched).
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
T = TypeVar("T")
_random = Random()


@dataclass(frozen=True)
class Staff:
    """A unit with its people, and bearer headers for each."""

    unit_code: str
    caseworker: dict[str, str]
    supervisor: dict[str, str]
    admin: dict[str, str]
    stranger: dict[str, str]  # a caseworker of another unit
    caseworker_name: str
    supervisor_name: str = ""


async def login(api: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Bearer headers for a user."""
    answer = await api.post("/auth/token", data={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def eventually(check: Callable[[], Awaitable[T | None]], timeout: float = 30.0) -> T:
    """Wait for an eventually consistent fact (e.g. the read model) until it holds, or fail."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.05)


# The calendar's awkward days, to play a rule counted from "today" as if today were each of them:
# Christmas (Eve a holiday since 2025), the year's end, Epiphany, Easter Monday, the ends of
# February (and a leap day), other months' ends, weekends.
CALENDAR_BOUNDARIES = [
    date(2026, 12, 23),  # Wednesday before Christmas Eve (a holiday since 2025)
    date(2026, 12, 24),
    date(2026, 12, 25),
    date(2026, 12, 26),  # Saturday and St Stephen's
    date(2026, 12, 27),  # Sunday
    date(2026, 12, 28),  # the first working day after Christmas
    date(2026, 12, 31),
    date(2027, 1, 1),  # New Year's Day
    date(2027, 1, 4),
    date(2027, 1, 6),  # Epiphany
    date(2027, 1, 7),
    date(2027, 2, 28),  # Sunday, the last day of a common year's February
    date(2027, 3, 1),
    date(2027, 3, 29),  # Easter Monday
    date(2027, 3, 30),
    date(2028, 2, 28),
    date(2028, 2, 29),  # leap day
    date(2028, 3, 1),
    date(2026, 4, 30),  # a month's end before the May holidays
    date(2026, 5, 4),
    date(2026, 11, 30),
    date(2026, 12, 3),
]


async def take_step(
    api: httpx.AsyncClient, headers: dict[str, str], pathway: str, step: dict[str, Any]
) -> dict[str, Any]:
    """A pathway's step through the API, which must be recorded (200); the state it answers."""
    answer = await api.post(f"/pathways/{pathway}/actions", json=step, headers=headers)
    assert answer.status_code == 200, (step, answer.text)
    result: dict[str, Any] = answer.json()
    return result


def local_today() -> date:
    """Today in Poland by the machine's clock: the day the API and the Temporal dev server see."""
    return local_date(datetime.now(UTC))


def working_days_ago(count: int, today: date) -> date:
    """The latest day that `today` lies exactly `count` (≥ 1) working days past, by Poland's
    holidays: a task due then is `count` working days overdue on `today`, on a Monday after
    Christmas as on a Wednesday in June."""
    if count < 1:
        raise ValueError("count must be at least 1")
    holidays = polish_holidays(today.year - 1, today.year)
    day = today - timedelta(days=1)
    while working_days_after(day, today, holidays) < count:
        day -= timedelta(days=1)
    return day


# Each PESEL `person` makes is new in this process by construction: the n-th is the n-th
# (birth date, serial) pair from a random start, birth dates from 1960 to 2000.
_PESELS = count(_random.randrange(10_000_000))


def _new_pesel() -> str:
    n = next(_PESELS)
    born = date(1960, 1, 1) + timedelta(days=(n // 10_000) % 14_600)
    return encode_pesel(born, n % 10_000)


def person(**overrides: Any) -> dict[str, Any]:
    """A participant registration body with a valid PESEL this test process has not used."""
    body: dict[str, Any] = {
        "first_name": "Jan",
        "last_name": f"Testowy-{uuid.uuid4().hex[:6]}",
        "pesel": _new_pesel(),
        "phone": "+48600100200",
        "consent_sms": True,
        "categories": ["long_term_unemployed"],
    }
    body.update(overrides)
    return body


# Two master keys, as after a rotation: "test" seals, both open.
PAYLOAD_KEYS = {k: base64.b64encode(os.urandom(32)).decode() for k in ("test-old", "test")}


def settings_for_tests(**values: Any) -> Settings:
    """Settings of a test environment: real secrets and the session's payload keys."""
    base: dict[str, Any] = {
        "environment": "test",
        "secret_key": "test-secret-key-long-enough-for-hs256",
        "admin_password": "test-admin-password",
        "payload_keys": PAYLOAD_KEYS,
        "payload_key_id": "test",
    }
    return Settings.model_validate({**base, **values})


@asynccontextmanager
async def api_process(
    settings: Settings, temporal: Client | None, base_url: str = "http://test/api/v1"
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on a new app with its lifespan run: one API process (a replica has its own
    caches and connections); `temporal` None connects its own client from the settings."""
    app = create_app(settings, temporal=temporal)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client
