"""The process's services and the signed-in member of staff, as the pages' dependencies.

The caller comes from the login cookie (or a bearer header, as the API takes it); roles and
pathways are checked by the same service functions as the API's.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from domain.roles import Role
from services import accounts, pathways
from services.context import Caller, Services
from web.login import SESSION_COOKIE, cookie_name


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(_services)]


async def _caller(request: Request, services: ServicesDep) -> Caller:
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    cookie = request.cookies.get(cookie_name(SESSION_COOKIE, services.settings))
    token = bearer if scheme.lower() == "bearer" and bearer else cookie
    caller = await accounts.caller_of(services, token)
    request.state.caller = caller  # for the audit of a request it is then denied (api/denials)
    return caller


CallerDep = Annotated[Caller, Depends(_caller)]


def _role(*roles: Role) -> object:
    async def check(caller: CallerDep) -> Caller:
        return accounts.permit(caller, *roles)

    return Depends(check)


Casework = Annotated[Caller, _role(Role.CASEWORKER, Role.SUPERVISOR)]
Supervisor = Annotated[Caller, _role(Role.SUPERVISOR)]


async def _own_pathway(pathway_id: uuid.UUID, services: ServicesDep, caller: Casework) -> uuid.UUID:
    await pathways.own_pathway(services, caller, pathway_id)
    return pathway_id


# A pathway of the caller's unit; any other is 404, as if it did not exist.
OwnPathway = Annotated[uuid.UUID, Depends(_own_pathway)]
