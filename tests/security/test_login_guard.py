"""Logging in (issue 18): nobody locks an account out from elsewhere, hashing never stalls the
API, the counters forget their oldest first, and addresses are read through trusted proxies."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from argon2 import PasswordHasher

import services.credentials
from core.settings import Settings
from domain.errors import TooManyAttempts
from services.login_guard import LoginThrottle, client_address, trusted_networks
from tests.support import PASSWORD, Staff, eventually, settings_for_tests

ATTACKER, OFFICE, COLLEAGUE = "203.0.113.7", "198.51.100.9", "198.51.100.10"


@pytest.fixture
def settings(database_url: str, task_queue: str) -> Settings:
    """The API behind a reverse proxy on this host (httpx's ASGI transport calls from 127.0.0.1)."""
    return settings_for_tests(
        database_url=database_url, temporal_task_queue=task_queue, trusted_proxies=["127.0.0.1"]
    )


async def _login(
    api: httpx.AsyncClient, username: str, password: str, address: str
) -> httpx.Response:
    return await api.post(
        "/auth/token",
        data={"username": username, "password": password},
        headers={"X-Forwarded-For": address},
    )


async def test_failures_from_one_address_never_lock_the_account_out_of_another(
    api: httpx.AsyncClient, staff: Staff, settings: Settings
) -> None:
    admin = staff.caseworker_name.replace("caseworker", "admin")
    for _ in range(settings.login_attempts):
        assert (await _login(api, admin, "guess", ATTACKER)).status_code == 401
    assert (await _login(api, admin, PASSWORD, ATTACKER)).status_code == 429
    # The admin, at the office, logs in as ever.
    assert (await _login(api, admin, PASSWORD, OFFICE)).status_code == 200


async def test_an_address_trying_many_usernames_is_stopped_and_its_neighbours_are_not(
    api: httpx.AsyncClient, staff: Staff, settings: Settings
) -> None:
    limit = settings.login_attempts * LoginThrottle.ADDRESS_FACTOR
    guesses = [_login(api, f"nobody-{n}", "guess", ATTACKER) for n in range(limit)]
    assert {a.status_code for a in await asyncio.gather(*guesses)} == {401}
    assert (await _login(api, staff.caseworker_name, PASSWORD, ATTACKER)).status_code == 429
    # Behind the same proxy, another client's address is its own.
    assert (await _login(api, staff.caseworker_name, PASSWORD, COLLEAGUE)).status_code == 200


async def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy() -> None:
    trusted = trusted_networks(["10.89.0.10", "fd00::/64"])
    assert client_address("10.89.0.10", f"1.2.3.4, {ATTACKER}", trusted) == ATTACKER
    assert client_address("fd00::5", OFFICE, trusted) == OFFICE
    # A client cannot choose its address by writing the header itself...
    assert client_address(ATTACKER, OFFICE, trusted) == ATTACKER
    # ...nor by putting a trusted address last: the proxy appends the one it saw.
    assert client_address("10.89.0.10", f"{OFFICE}, 10.89.0.10", trusted) == OFFICE
    assert client_address("10.89.0.10", None, trusted) == "10.89.0.10"
    with pytest.raises(ValueError):
        settings_for_tests(trusted_proxies=["not-an-address"])


def test_past_the_limit_the_oldest_counters_go_and_recent_offenders_stay_blocked() -> None:
    throttle = LoginThrottle(attempts=1, window_seconds=300)  # 100,000 counters by default
    # Each failure here counts against a new (username, address) and a new address: two
    # counters. The last ones reach past the limit.
    failures = 50_002
    for n in range(failures):
        throttle.failed(f"user-{n}", f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}")
    for n in range(failures - 100, failures):
        with pytest.raises(TooManyAttempts):
            throttle.check(f"user-{n}", f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}")
    throttle.check("user-0", "10.0.0.0")  # the oldest were forgotten first


class GatedHasher:
    """argon2 that, off the event loop, waits for the test to open its gate: the test can then
    look at the API while hashes are in progress. On the event loop thread it never waits (so
    hashing there shows as `on_loop`, and the test fails instead of freezing)."""

    def __init__(self, loop_thread: int) -> None:
        self.real = PasswordHasher()
        self.gate = threading.Event()
        self.loop_thread = loop_thread
        self.lock = threading.Lock()
        self.inside = self.most = self.on_loop = 0

    def hash(self, password: str) -> str:
        return self.real.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        if threading.get_ident() == self.loop_thread:
            self.on_loop += 1
            return self.real.verify(password_hash, password)
        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        try:
            self.gate.wait(timeout=60)
            return self.real.verify(password_hash, password)
        finally:
            with self.lock:
                self.inside -= 1


@pytest.fixture
def gated_hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[GatedHasher]:
    """The API's password hasher, gated (the gate opens at the end whatever happens)."""
    gated = GatedHasher(threading.get_ident())
    monkeypatch.setattr(services.credentials, "_hasher", gated)
    yield gated
    gated.gate.set()


@pytest.fixture
async def pending_logins(
    api: httpx.AsyncClient, staff: Staff
) -> AsyncIterator[list[asyncio.Task[httpx.Response]]]:
    """Fifty logins sent at once (awaited, whatever the test does, before the API closes)."""
    tasks = [
        asyncio.create_task(_login(api, staff.caseworker_name, PASSWORD, f"192.0.2.{n}"))
        for n in range(50)
    ]
    yield tasks
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_the_api_answers_while_fifty_logins_hash(
    api: httpx.AsyncClient,
    staff: Staff,  # made (and logged in) before the hasher is gated
    settings: Settings,
    gated_hasher: GatedHasher,
    pending_logins: list[asyncio.Task[httpx.Response]],
) -> None:
    threads = settings.password_hash_threads

    async def hashing_at_full_width() -> bool:
        return gated_hasher.inside == threads

    await eventually(hashing_at_full_width, timeout=20)
    loop = asyncio.get_running_loop()
    asked = loop.time()
    health = await api.get("/health")
    waited = loop.time() - asked
    # Answered while every hashing slot was still busy and the other logins queued behind them.
    assert health.status_code == 200
    assert gated_hasher.inside == threads and not any(t.done() for t in pending_logins)
    gated_hasher.gate.set()
    answers = await asyncio.gather(*pending_logins)
    assert [a.status_code for a in answers] == [200] * 50
    assert gated_hasher.most == threads and gated_hasher.on_loop == 0
    # The gate held every hash, so nothing else competed for the loop: a second is generous
    # on any machine (it takes milliseconds), and the ordering above is the real proof.
    assert waited < 1.0
