"""Logging in without handing anyone a lever: failed logins counted per username *and* address,
password hashes off the event loop, and the client's address as trusted proxies report it.

A username's failures from one address never lock it out from another, so nobody can lock the
admin out by guessing from elsewhere; an address gets ten times a username's attempts over all
usernames (a whole centre may share one). Counters live in memory, per API process; the oldest
are forgotten first when there are too many.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import units
from db.session import unit_of_work
from domain.errors import TooManyAttempts, Unauthenticated
from services.credentials import hash_password, verify_password

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class LoginThrottle:
    """Failed logins in a sliding window, per (username, address) and per address."""

    ADDRESS_FACTOR = 10

    def __init__(self, attempts: int, window_seconds: float, max_counters: int = 100_000) -> None:
        self._attempts = attempts
        self._window = window_seconds
        self._max = max_counters
        # Least recently failed first, so the oldest counters are the ones forgotten.
        self._failures: OrderedDict[tuple[str, ...], deque[float]] = OrderedDict()

    def check(self, username: str, address: str) -> None:
        """Refuse (429) when this username from this address, or this address, has used up its
        attempts."""
        now = time.monotonic()
        limits = (
            (_pair(username, address), self._attempts),
            (("addr", address), self._attempts * self.ADDRESS_FACTOR),
        )
        for key, limit in limits:
            recent = self._recent(key, now)
            if len(recent) >= limit:
                wait = math.ceil(recent[0] + self._window - now)
                raise TooManyAttempts(
                    "too_many_attempts",
                    "Too many failed logins; try again later.",
                    {"retry_after_seconds": max(wait, 1)},
                )

    def failed(self, username: str, address: str) -> None:
        """Count a failed login against the username from this address, and the address."""
        now = time.monotonic()
        for key in (_pair(username, address), ("addr", address)):
            recent = self._recent(key, now)
            recent.append(now)
            self._failures[key] = recent
            self._failures.move_to_end(key)
        while len(self._failures) > self._max:
            self._failures.popitem(last=False)

    def succeeded(self, username: str, address: str) -> None:
        """A correct password clears the username's failures from this address."""
        self._failures.pop(_pair(username, address), None)

    def _recent(self, key: tuple[str, ...], now: float) -> deque[float]:
        recent = self._failures.get(key, deque())
        while recent and recent[0] <= now - self._window:
            recent.popleft()
        return recent


def _pair(username: str, address: str) -> tuple[str, ...]:
    return ("pair", username.lower(), address)


class PasswordHashing:
    """Argon2 in worker threads, at most `threads` at once, so the event loop keeps answering
    while logins queue (argon2 releases the GIL while it hashes)."""

    def __init__(self, threads: int) -> None:
        self._slots = asyncio.Semaphore(threads)

    async def verify(self, password: str, password_hash: str | None) -> bool:
        """Whether the password matches (a missing user costs the same time)."""
        async with self._slots:
            return await asyncio.to_thread(verify_password, password, password_hash)

    async def hash(self, password: str) -> str:
        """An argon2 hash of the password."""
        async with self._slots:
            return await asyncio.to_thread(hash_password, password)


def trusted_networks(proxies: Sequence[str]) -> tuple[Network, ...]:
    """The settings' trusted proxies as networks (a bare address is a network of one)."""
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The address a request came from: the peer, unless the peer is a trusted proxy, in which
    case the nearest address in `X-Forwarded-For` that is not one (proxies append, so anything a
    client wrote itself stands further left and is never reached)."""
    if peer is None:
        return "unknown"
    if not forwarded_for or not _within(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _within(hop, trusted):
            return hop
    return hops[0] if hops else peer


def _within(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class LoginGuard:
    """The whole check of a login: throttle, the user's hash read in a short transaction of its
    own (no connection is held while hashing), the hash in a thread, the counters."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        throttle: LoginThrottle,
        hashing: PasswordHashing,
        trusted: Sequence[Network],
    ) -> None:
        self._sessions = sessions
        self.throttle = throttle
        self.hashing = hashing
        self._trusted = tuple(trusted)

    def address(self, peer: str | None, forwarded_for: str | None) -> str:
        """The client's address (see `client_address`)."""
        return client_address(peer, forwarded_for, self._trusted)

    async def authenticate(self, username: str, password: str, address: str) -> uuid.UUID:
        """The user's id for a correct password; 401 otherwise, 429 when throttled."""
        self.throttle.check(username, address)
        async with unit_of_work(self._sessions) as session:
            user = await units.user_by_username(session, username)
            user_id, stored = (user.id, user.password_hash) if user else (None, None)
        if not await self.hashing.verify(password, stored) or user_id is None:
            self.throttle.failed(username, address)
            raise Unauthenticated("invalid_credentials", "Wrong username or password.")
        self.throttle.succeeded(username, address)
        return user_id
