"""The codec endpoint the Temporal UI calls to show payloads to the staff they belong to.

Configure the UI's codec server as `<api>/api/v1/codec` with "pass access token", and list
the UI's origin in `PATHWAYS_CORS_ORIGINS`. A payload is opened only for caseworkers and
supervisors of the participant's unit (and, in a unit that limits caseworkers to their own
caseload, to the caseworker whose caseload holds the participant); every other payload comes
back still sealed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Casework, ServicesDep
from services import codec

router = APIRouter(tags=["codec"])


class PayloadsBody(BaseModel):
    """Payloads in Temporal's JSON form: `{"payloads": [{"metadata": {..}, "data": ".."}]}`."""

    model_config = ConfigDict(extra="forbid")
    payloads: list[dict[str, Any]] = Field(max_length=1000)


@router.post("/codec/decode")
async def decode(body: PayloadsBody, services: ServicesDep, caller: Casework) -> PayloadsBody:
    """Open the payloads of the caller's unit's participants; leave the rest sealed."""
    return PayloadsBody(payloads=await codec.decode(services, caller, body.payloads))
