"""`pathways import FILE.csv`: existing cases registered and opened as caseworkers would, each
pathway's workflow started once with the case's back-dated steps as its history.

The row's caseworker is the actor, so an imported case is audited, keyed, encrypted and
projected like any other; its history is taken by the workflow's own domain functions (checked
beforehand by the same ones, `domain/case_import.rehearse`), one start per case instead of an
Update per step. Nothing is written until the whole file has been checked; rows with problems
are reported by row and column and left out; the rest are imported. A re-run finds each case in
`case_imports` and changes nothing; one interrupted half-way resumes where it stopped (each step
carries a request id made from its pathway and number, so none is ever recorded twice).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from temporalio.client import WorkflowExecutionStatus

from db import audit, case_imports, pathways
from db.models import CaseImport
from db.session import unit_of_work
from domain.case_import import Problem, step_requests
from domain.errors import DomainError
from domain.pathway import PathwayInput
from services import pathway_calls
from services.case_checks import ImportReport, PlannedCase, check_file
from services.context import Services
from services.participants import register_in
from services.pathways import launch
from services.pathways import register_in as register_pathway_in

# Pathway ids of imported cases are derived from the unit and the case id (uuid5), so a run
# interrupted between opening a pathway and noting it finds the pathway again.
_PATHWAY_NAMESPACE = uuid.UUID("5f0c2b9e-4a53-4d3e-9d7b-6c1f0e2a7b11")


def imported_pathway_id(unit_id: uuid.UUID, external_id: str) -> uuid.UUID:
    """The id an imported case's pathway gets: derived, so that a resumed run finds it."""
    return uuid.uuid5(_PATHWAY_NAMESPACE, f"{unit_id}/{external_id}")


class CaseImporter:
    """Checks a file against the database, then imports its good rows, a few at a time."""

    def __init__(self, services: Services, concurrency: int = 4) -> None:
        self._services = services
        self._concurrency = concurrency

    async def check(self, path: Path) -> ImportReport:
        """Read and check every row; writes nothing (this alone is the dry run)."""
        return await check_file(self._services, path)

    async def run(self, report: ImportReport, advance: Callable[[], None]) -> ImportReport:
        """Import the planned cases; `advance` is called after each."""
        gate = asyncio.Semaphore(self._concurrency)

        async def one(plan: PlannedCase) -> None:
            async with gate:
                try:
                    if not plan.unchanged:
                        sent = await self._import(plan)  # before `+=`, which reads first
                        report.steps_sent += sent
                        report.imported += 1
                except Exception as err:  # one case's failure must not stop the others
                    report.failed.append(
                        Problem(row=plan.case.row, column="external_id", message=_why(err))
                    )
                advance()

        await asyncio.gather(*(one(plan) for plan in report.planned))
        report.failed.sort(key=lambda p: p.row)
        return report

    async def _import(self, plan: PlannedCase) -> int:
        case, actor = plan.case, plan.actor
        pathway_id = imported_pathway_id(actor.unit_id, case.external_id)
        record = plan.earlier
        if record is None:
            await self._open(plan, pathway_id)
        else:
            pathway_id = record.pathway_id or pathway_id
            await self._resume(plan, record, pathway_id)
        sent = record.steps_sent if record is not None else 0
        async with unit_of_work(self._services.sessions) as session:
            await case_imports.note_progress(
                session, actor.unit_id, case.external_id, pathway_id, len(case.steps)
            )
            for step in case.steps[sent:]:
                fields = sorted(step.action.model_fields_set)
                await audit.append(session, actor.actor, "pathway.action", fields, None, pathway_id)
        return len(case.steps) - sent

    async def _open(self, plan: PlannedCase, pathway_id: uuid.UUID) -> None:
        """A new case: participant, bookkeeping and pathway registered in one transaction, then
        the workflow started with the case's history."""
        case, actor = plan.case, plan.actor
        async with unit_of_work(self._services.sessions) as session:
            person = await register_in(session, self._services.keys, actor.actor, case.participant)
            await case_imports.record_case(
                session,
                actor.unit_id,
                case.external_id,
                person.id,
                case.fingerprint,
                len(case.steps),
            )
            start = self._start(plan, pathway_id, person.id)
            registered = await register_pathway_in(session, self._services, actor, start)
        await launch(self._services, registered)

    async def _resume(self, plan: PlannedCase, record: CaseImport, pathway_id: uuid.UUID) -> None:
        """A case an earlier run left unfinished: open what it did not, send what it did not."""
        client = self._services.temporal
        async with self._services.sessions() as session:
            registered = await case_imports.pathway_registered(session, pathway_id)
        status = await pathway_calls.status(client, pathway_id) if registered else None
        if registered and status is None:
            # That run stopped between the pathway's registration and its workflow's start.
            async with unit_of_work(self._services.sessions) as session:
                await pathways.forget_pathway(session, pathway_id)
            registered = False
        if not registered:
            start = self._start(plan, pathway_id, record.participant_id)
            async with unit_of_work(self._services.sessions) as session:
                again = await register_pathway_in(session, self._services, plan.actor, start)
            await launch(self._services, again)
            return
        if status is not WorkflowExecutionStatus.RUNNING:
            return  # its history closed it: every step is in
        # Started by a run from before issue 13, which sent the steps one by one; a step the
        # workflow already holds is recognised by its request id and not recorded again.
        actor = plan.actor
        requests = step_requests(plan.case, actor.username, actor.role, str(pathway_id))
        for number, request in enumerate(requests, start=1):
            if number > record.steps_sent:
                await pathway_calls.step(
                    client, pathway_id, request, f"import-{pathway_id}-{number}"
                )

    def _start(
        self, plan: PlannedCase, pathway_id: uuid.UUID, participant_id: uuid.UUID
    ) -> PathwayInput:
        case, actor = plan.case, plan.actor
        return PathwayInput(
            pathway_id=str(pathway_id),
            participant_id=str(participant_id),
            programme=case.programme,
            started_on=case.start_date,
            requested_at=datetime.now(UTC),
            reminders=True,
            history=step_requests(case, actor.username, actor.role, str(pathway_id)),
        )


def _why(err: Exception) -> str:
    # A database error's text can quote the row (a PESEL in a key): only domain messages are shown.
    message = err.message if isinstance(err, DomainError) else type(err).__name__
    return f"not imported: {message}; running the file again resumes this case"
