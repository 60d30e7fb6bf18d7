"""Long-lived objects made in the lifespan, and the caller, as `Annotated` dependencies."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from api.security import read_token
from core.cache import LookupCache
from core.settings import Settings
from db import queries
from db.keys import DatabaseKeyStore
from db.session import unit_of_work
from domain.errors import Forbidden, NotFound, Unauthenticated
from domain.roles import Role

_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@dataclass(frozen=True)
class Caller:
    """The authenticated user making the request."""

    id: uuid.UUID
    username: str
    role: Role
    unit_id: uuid.UUID
    caseload_only: bool = False

    @property
    def caseload_of(self) -> uuid.UUID | None:
        """This caseworker's id when the unit limits caseworkers to their own caseload."""
        return self.id if self.caseload_only and self.role is Role.CASEWORKER else None


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    return sessions


class Lookups:
    """What every request asks, cached: users for `user_seconds` (so deactivation and a unit's
    caseload policy take effect within it) and each pathway's unit and caseworker for as long as
    memory allows (they never change)."""

    def __init__(self, user_seconds: float) -> None:
        self.users: LookupCache[uuid.UUID, Caller] = LookupCache(10_000, user_seconds)
        self.pathway_owners: LookupCache[uuid.UUID, queries.PathwayOwner] = LookupCache(
            200_000, None
        )


def _lookups(request: Request) -> Lookups:
    lookups: Lookups = request.app.state.lookups
    return lookups


def _temporal(request: Request) -> Client:
    client: Client = request.app.state.temporal
    return client


SettingsDep = Annotated[Settings, Depends(_settings)]
TemporalDep = Annotated[Client, Depends(_temporal)]


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with unit_of_work(_sessions(request)) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(_session)]


async def _caller(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(_bearer)]
) -> Caller:
    if not token:
        raise Unauthenticated("not_authenticated", "Log in first: a bearer token is required.")
    user_id = read_token(token, _settings(request).secret_key)

    async def load() -> Caller:
        user = await queries.user_by_id(session, user_id)
        if user is None:
            raise Unauthenticated("invalid_token", "The token's user no longer exists.")
        return Caller(
            id=user.id,
            username=user.username,
            role=Role(user.role),
            unit_id=user.unit_id,
            caseload_only=await queries.caseload_only(session, user.unit_id),
        )

    caller = await _lookups(request).users.get(user_id, load)
    request.state.caller = caller  # for the audit of a request it is then denied (api/denials)
    return caller


CallerDep = Annotated[Caller, Depends(_caller)]


def require(*roles: Role) -> object:
    """A dependency that lets only these roles through (403 otherwise)."""

    async def check(caller: CallerDep) -> Caller:
        if caller.role not in roles:
            raise Forbidden("role_not_allowed", f"This needs the role {' or '.join(roles)}.")
        return caller

    return Depends(check)


Casework = Annotated[Caller, require(Role.CASEWORKER, Role.SUPERVISOR)]
Admin = Annotated[Caller, require(Role.ADMIN)]


SessionsDep = Annotated[async_sessionmaker[AsyncSession], Depends(_sessions)]


async def _own_pathway(
    pathway_id: uuid.UUID, request: Request, session: SessionDep, caller: Casework
) -> uuid.UUID:
    owner = await _lookups(request).pathway_owners.get(
        pathway_id, lambda: queries.owner_of_pathway(session, pathway_id)
    )
    foreign = caller.caseload_of not in (None, owner.caseworker_id)
    if owner.unit_id != caller.unit_id or foreign:
        raise NotFound("pathway_not_found", "No such pathway.")
    return pathway_id


# A pathway id from the path, of the caller's unit; any other is 404, as if it did not exist.
OwnPathway = Annotated[uuid.UUID, Depends(_own_pathway)]


def _keys(request: Request) -> DatabaseKeyStore:
    keys: DatabaseKeyStore = request.app.state.keys
    return keys


KeysDep = Annotated[DatabaseKeyStore, Depends(_keys)]
