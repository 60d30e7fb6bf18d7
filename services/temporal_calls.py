"""Calling Temporal: timeouts, and its failures turned into the domain's errors (or 503)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from domain.errors import DomainError, rebuild
from services.errors import ServiceUnavailable

T = TypeVar("T")

# A reachable server that does not answer within this is given up (the API answers 503).
# (An unreachable one is given up sooner, after the client's `temporal_retry_seconds`.)
CALL_TIMEOUT = timedelta(seconds=5)
# An Update waits for a worker to run it: long enough for the task to leave a dead worker's
# sticky queue (5 s) and for a restarted worker to pick it up.
UPDATE_TIMEOUT = timedelta(seconds=15)


async def call(request: Awaitable[T], missing: DomainError) -> T:
    """Await a Temporal call; an unknown or closed workflow is `missing`, an outage is 503."""
    try:
        return await request
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise missing from None
        # A call that ran out of its rpc_timeout on the client's side is CANCELLED ("Timeout
        # expired"), e.g. a Query while no worker has yet picked the workflow up; a Query while
        # no worker polls at all (one restarting) is FAILED_PRECONDITION, "no poller seen".
        no_poller = err.status == RPCStatusCode.FAILED_PRECONDITION and "poller" in err.message
        if no_poller or err.status in (
            RPCStatusCode.UNAVAILABLE,
            RPCStatusCode.DEADLINE_EXCEEDED,
            RPCStatusCode.CANCELLED,
        ):
            raise ServiceUnavailable(
                "temporal_unavailable",
                "The workflow service is unreachable; nothing was recorded. Try again shortly.",
            ) from err
        raise


async def update(request: Awaitable[T], missing: DomainError, unconfirmed: str) -> T:
    """Await an Update: a validator's refusal is the domain's error; no answer in time is 503."""
    try:
        return await call(request, missing)
    except WorkflowUpdateRPCTimeoutOrCancelledError:
        # The change may still be applied; the caller's message says how to retry safely.
        raise ServiceUnavailable("step_unconfirmed", unconfirmed) from None
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError) and cause.type:
            info = cause.details[0] if cause.details else {}
            raise rebuild(
                cause.type, info.get("code", cause.type), cause.message, info.get("details")
            ) from None
        raise
