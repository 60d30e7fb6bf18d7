"""Auditing from the API: every write, and every read of special-category fields, is appended.

Entries go into the request's unit of work, so a refused request leaves none. An act in another
unit than the actor's (only administrators may) is written into that unit's log, and the acts
`domain.oversight` names are told to its supervisors by e-mail (`StaffNoticeWorkflow`).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Request
from temporalio.client import Client
from temporalio.exceptions import WorkflowAlreadyStartedError

from activities.staff_notices import StaffNoticeInput
from api.deps import CallerDep, Casework, SessionDep, SettingsDep, TemporalDep
from api.temporal_calls import CALL_TIMEOUT, call
from db import audit
from db.audit import Actor
from domain.errors import NotFound
from domain.oversight import supervisors_told
from workflows.staff_notice import StaffNoticeWorkflow, notice_workflow_id

# What a participant's full record shows (GET /participants/{id}); categories are art. 9 data.
PARTICIPANT_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "pesel",
    "phone",
    "email",
    "consent_sms",
    "consent_email",
    "categories",
)
# A pathway's live state: its timeline holds caseworkers' notes and summaries.
PATHWAY_FIELDS = ("stage", "deadlines", "timeline")


class StaffNotices:
    """Starts the e-mail that tells a unit's supervisors of an administrator's act there."""

    def __init__(self, client: TemporalDep, settings: SettingsDep) -> None:
        self._client: Client = client
        self._task_queue = settings.temporal_task_queue

    async def tell(self, audit_entry_id: int) -> None:
        """Start the notice (a start already made for this entry is enough)."""
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await call(
                self._client.start_workflow(
                    StaffNoticeWorkflow.run,
                    StaffNoticeInput(audit_entry_id=audit_entry_id),
                    id=notice_workflow_id(audit_entry_id),
                    task_queue=self._task_queue,
                    rpc_timeout=CALL_TIMEOUT,
                ),
                NotFound("notice_not_started", "The notice could not be started."),
            )


class Auditor:
    """Appends audit entries as the caller, in the request's session."""

    def __init__(
        self,
        session: SessionDep,
        caller: CallerDep,
        notices: Annotated[StaffNotices | None, Depends(StaffNotices)] = None,
    ) -> None:
        self._session = session
        self.actor = Actor(caller.id, caller.username, caller.role, caller.unit_id)
        # The web pages make their Auditor without it: no administrator uses them.
        self._notices = notices

    async def record(
        self,
        action: str,
        fields: Iterable[str],
        participant_id: uuid.UUID | None = None,
        pathway_id: uuid.UUID | None = None,
        unit_id: uuid.UUID | None = None,
    ) -> None:
        """Append one entry, to the log of `unit_id` if the act was in another unit."""
        entry_id = await audit.append(
            self._session,
            self.actor,
            action,
            list(fields),
            participant_id,
            pathway_id,
            unit_id=unit_id,
        )
        unit = unit_id or self.actor.unit_id
        if self._notices and supervisors_told(self.actor.role, action, unit, self.actor.unit_id):
            await self._notices.tell(entry_id)


AuditDep = Annotated[Auditor, Depends()]


async def audit_pathway_access(request: Request, auditor: AuditDep, _: Casework) -> None:
    """For the pathway routes: opening, reading and stepping are all audited, by path."""
    params = request.path_params
    if request.method == "GET":
        pathway_id = _id(params, "pathway_id")
        tail = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        seen = PATHWAY_FIELDS if tail == str(pathway_id) else (tail,)  # e.g. its benefits
        await auditor.record("pathway.read", seen, pathway_id=pathway_id)
        return
    if "participant_id" in params:
        # Opening a pathway commits its registration before the workflow starts, so the route
        # writes its entry in that transaction (a second one would hold a second connection, and
        # on SQLite wait for itself).
        return
    sent = await _body_fields(request)
    await auditor.record("pathway.action", sent, pathway_id=_id(params, "pathway_id"))


def _id(params: dict[str, str], name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(params[name])
    except (KeyError, ValueError):
        return None


async def _body_fields(request: Request) -> list[str]:
    """The names of the fields sent (never their values); a bad body is refused later anyway."""
    try:
        body = await request.json()
    except ValueError:
        return []
    return [str(k) for k in body] if isinstance(body, dict) else []
