"""What every use case needs, made once per process: the database, Temporal, keys, caches; and
who is calling.

`open_services` makes them (the API's lifespan, the worker's CLI commands, the benchmarks); the
use cases receive the `Services` and open their own units of work, short ones, never held across
a call to Temporal.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from core.cache import LookupCache
from core.codec import EncryptionCodec, MasterKeys
from core.settings import Settings
from core.temporal import connect_temporal
from db.audit import Actor
from db.keys import DatabaseKeyStore
from db.pathways import PathwayOwner
from db.session import create_engine, create_sessionmaker
from domain.roles import Role
from services.denials import DenialLog
from services.login_guard import LoginGuard, LoginThrottle, PasswordHashing, trusted_networks

# The client's type, for the front that hands one over (a test's) without calling it.
TemporalClient = Client


@dataclass(frozen=True)
class Caller:
    """The member of staff asking: who, in which role and unit, and whether the unit limits
    caseworkers to their own caseload."""

    id: uuid.UUID
    username: str
    role: Role
    unit_id: uuid.UUID
    caseload_only: bool = False

    @property
    def caseload_of(self) -> uuid.UUID | None:
        """This caseworker's id when the unit limits caseworkers to their own caseload."""
        return self.id if self.caseload_only and self.role is Role.CASEWORKER else None

    @property
    def actor(self) -> Actor:
        """The caller as the audit log names them."""
        return Actor(self.id, self.username, self.role, self.unit_id)


class Caches:
    """What every request asks, cached: users for `user_seconds` (so deactivation and a unit's
    caseload policy take effect within it); each pathway's unit, caseworker and participant, and
    each unit's code, for as long as memory allows (they never change)."""

    def __init__(self, user_seconds: float) -> None:
        self.users: LookupCache[uuid.UUID, Caller] = LookupCache(10_000, user_seconds)
        self.pathway_owners: LookupCache[uuid.UUID, PathwayOwner] = LookupCache(200_000, None)
        self.unit_codes: LookupCache[uuid.UUID, str] = LookupCache(10_000, None)


@dataclass
class Services:
    """The long-lived resources of one process."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    keys: DatabaseKeyStore
    codec: EncryptionCodec
    caches: Caches
    login_guard: LoginGuard
    denials: DenialLog
    client: Client | None = field(default=None, repr=False)

    @property
    def temporal(self) -> Client:
        """The Temporal client; a process opened without one (a database-only CLI command) has
        none, and a use case needing it is a bug there."""
        if self.client is None:
            raise RuntimeError("this process was opened without a Temporal client")
        return self.client


@asynccontextmanager
async def open_services(
    settings: Settings, temporal: Client | None = None, *, connect: bool = True
) -> AsyncIterator[Services]:
    """Make the process's resources; `temporal` is used as given (tests), else a client is
    connected unless `connect` is false. The database engine is disposed of at the end."""
    engine = create_engine(settings.database_url)
    try:
        sessions = create_sessionmaker(engine)
        master = MasterKeys.from_settings(settings)
        keys = DatabaseKeyStore(sessions, master, settings.key_cache_seconds)
        if temporal is None and connect:
            temporal = await connect_temporal(settings, keys)
        yield Services(
            settings=settings,
            sessions=sessions,
            keys=keys,
            codec=EncryptionCodec(master, keys),
            caches=Caches(settings.auth_cache_seconds),
            login_guard=LoginGuard(
                sessions,
                LoginThrottle(
                    settings.login_attempts, settings.login_window_seconds, settings.login_counters
                ),
                PasswordHashing(settings.password_hash_threads),
                trusted_networks(settings.trusted_proxies),
            ),
            denials=DenialLog(
                sessions, settings.denied_audit_limit, settings.denied_audit_window_seconds
            ),
            client=temporal,
        )
    finally:
        await engine.dispose()
