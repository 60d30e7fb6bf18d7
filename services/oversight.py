"""Acts in a unit, written into that unit's audit log; an administrator's act in a unit not their
own (an account made there, its rules changed, its figures taken: `domain.oversight`) is told to
its supervisors by e-mail (`StaffNoticeWorkflow`).

The notice is started inside the act's own transaction, before it commits: an act that commits
has its notice under way (a start Temporal refuses fails the act), and a notice whose act rolled
back finds no entry and gives up. This is the one place a transaction waits for Temporal: an
administrator's rare act, never a caseworker's step.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.exceptions import WorkflowAlreadyStartedError

from db import audit
from domain.errors import NotFound
from domain.oversight import StaffNoticeInput, supervisors_told
from services.context import Caller, Services
from services.temporal_calls import CALL_TIMEOUT, call
from workflows.staff_notice import StaffNoticeWorkflow, notice_workflow_id


async def record_act(
    services: Services,
    session: AsyncSession,
    caller: Caller,
    action: str,
    fields: Iterable[str],
    unit_id: uuid.UUID,
) -> None:
    """Append the act to the log of the unit it touched, and tell that unit's supervisors if
    the act is one they are told of."""
    entry_id = await audit.append(session, caller.actor, action, list(fields), unit_id=unit_id)
    if supervisors_told(caller.role, action, unit_id, caller.unit_id):
        await _tell(services, entry_id)


async def _tell(services: Services, entry_id: int) -> None:
    """Start the notice (a start already made for this entry is enough)."""
    with contextlib.suppress(WorkflowAlreadyStartedError):
        await call(
            services.temporal.start_workflow(
                StaffNoticeWorkflow.run,
                StaffNoticeInput(audit_entry_id=entry_id),
                id=notice_workflow_id(entry_id),
                task_queue=services.settings.temporal_task_queue,
                rpc_timeout=CALL_TIMEOUT,
            ),
            NotFound("notice_not_started", "The notice could not be started."),
        )
