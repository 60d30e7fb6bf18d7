"""Opening Temporal payloads for the Temporal UI's codec server, for the staff they belong to.

A payload is opened only for caseworkers and supervisors of the participant's unit (and, in a
unit that limits caseworkers to their own caseload, to the caseworker whose caseload holds the
participant); every other payload comes back still sealed. Every participant whose payloads
were opened is audited.
"""

from __future__ import annotations

import uuid
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.api.common.v1 import Payload, Payloads

from core.codec import DATA_PREFIX, ENCODING, KEY_ID, KeyUnavailable
from db import audit, keys
from db.session import unit_of_work
from domain.errors import InvalidInput
from services.caseload import Reach
from services.context import Caller, Services


async def decode(
    services: Services, caller: Caller, payloads: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Payloads in Temporal's JSON form, those of the caller's unit's participants opened."""
    try:
        sealed = ParseDict({"payloads": payloads}, Payloads()).payloads
    except Exception as err:  # protobuf raises ParseError and friends for any malformed input
        raise InvalidInput("invalid_payloads", "The payloads are not Temporal payloads.") from err
    opened: list[Payload] = []
    seen: set[uuid.UUID] = set()
    async with unit_of_work(services.sessions) as session:
        reachable = Reach(session, caller.unit_id, caller.caseload_of)
        for payload in sealed:
            owner = await _owner(session, payload)
            if owner is None or not await reachable(*owner):
                opened.append(payload)
                continue
            try:
                opened.append(await services.codec.open(payload))
            except KeyUnavailable:
                opened.append(payload)
                continue
            seen.add(owner[0])
        for participant_id in sorted(seen):
            await audit.append(
                session, caller.actor, "temporal.decode", ["temporal_payloads"], participant_id
            )
    answer = MessageToDict(Payloads(payloads=opened))
    return list(answer.get("payloads", []))


async def _owner(session: AsyncSession, payload: Payload) -> tuple[uuid.UUID, uuid.UUID] | None:
    if payload.metadata.get("encoding") != ENCODING:
        return None
    key_id = payload.metadata.get(KEY_ID, b"").decode(errors="replace")
    if not key_id.startswith(DATA_PREFIX):
        return None
    try:
        ident = uuid.UUID(key_id.removeprefix(DATA_PREFIX))
    except ValueError:
        return None
    return await keys.owner_of_key(session, ident)
