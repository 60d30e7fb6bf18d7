"""The process's services and the caller, as `Annotated` dependencies of the routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from domain.roles import Role
from services import accounts, pathways
from services.context import Caller, Services

_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(_services)]


async def _caller(
    request: Request, services: ServicesDep, token: Annotated[str | None, Depends(_bearer)]
) -> Caller:
    caller = await accounts.caller_of(services, token)
    request.state.caller = caller  # for the audit of a request it is then denied (api/denials)
    return caller


CallerDep = Annotated[Caller, Depends(_caller)]
BearerToken = Annotated[str | None, Depends(_bearer)]


def require(*roles: Role) -> object:
    """A dependency that lets only these roles through (403 otherwise)."""

    async def check(caller: CallerDep) -> Caller:
        return accounts.permit(caller, *roles)

    return Depends(check)


Casework = Annotated[Caller, require(Role.CASEWORKER, Role.SUPERVISOR)]
Supervision = Annotated[Caller, require(Role.SUPERVISOR, Role.ADMIN)]
Supervisor = Annotated[Caller, require(Role.SUPERVISOR)]
Admin = Annotated[Caller, require(Role.ADMIN)]


async def _own_pathway(pathway_id: uuid.UUID, services: ServicesDep, caller: Casework) -> uuid.UUID:
    await pathways.own_pathway(services, caller, pathway_id)
    return pathway_id


# A pathway id from the path, of the caller's unit; any other is 404, as if it did not exist.
OwnPathway = Annotated[uuid.UUID, Depends(_own_pathway)]
