"""The codec endpoint the Temporal UI calls to show payloads to the staff they belong to.

Configure the UI's codec server as `<api>/api/v1/codec` with "pass access token", and list
the UI's origin in `PATHWAYS_CORS_ORIGINS`. A payload is opened only for caseworkers and
supervisors of the participant's unit (and, in a unit that limits caseworkers to their own
caseload, to the caseworker whose caseload holds the participant); every other payload comes
back still sealed.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from google.protobuf.json_format import MessageToDict, ParseDict
from pydantic import BaseModel, ConfigDict, Field
from temporalio.api.common.v1 import Payload, Payloads

from api.audit import AuditDep
from api.caseload import Reach
from api.deps import Casework, SessionDep
from core.codec import DATA_PREFIX, ENCODING, KEY_ID, EncryptionCodec, KeyUnavailable
from db import keys
from domain.errors import InvalidInput

router = APIRouter(tags=["codec"])


class PayloadsBody(BaseModel):
    """Payloads in Temporal's JSON form: `{"payloads": [{"metadata": {..}, "data": ".."}]}`."""

    model_config = ConfigDict(extra="forbid")
    payloads: list[dict[str, Any]] = Field(max_length=1000)


@router.post("/codec/decode")
async def decode(
    body: PayloadsBody, request: Request, session: SessionDep, caller: Casework, audit: AuditDep
) -> PayloadsBody:
    """Open the payloads of the caller's unit's participants; leave the rest sealed."""
    try:
        sealed = ParseDict({"payloads": body.payloads}, Payloads()).payloads
    except Exception as err:  # protobuf raises ParseError and friends for any malformed input
        raise InvalidInput("invalid_payloads", "The payloads are not Temporal payloads.") from err
    codec: EncryptionCodec = request.app.state.codec
    opened: list[Payload] = []
    seen: set[uuid.UUID] = set()
    reachable = Reach(session, caller.unit_id, caller.caseload_of)
    for payload in sealed:
        owner = await _owner(session, payload)
        if owner is None or not await reachable(*owner):
            opened.append(payload)
            continue
        try:
            opened.append(await codec.open(payload))
        except KeyUnavailable:
            opened.append(payload)
            continue
        seen.add(owner[0])
    for participant_id in sorted(seen):
        await audit.record("temporal.decode", ["temporal_payloads"], participant_id=participant_id)
    answer = MessageToDict(Payloads(payloads=opened))
    return PayloadsBody(payloads=answer.get("payloads", []))


async def _owner(session: SessionDep, payload: Payload) -> tuple[uuid.UUID, uuid.UUID] | None:
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
