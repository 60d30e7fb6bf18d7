"""`pathways import FILE.csv`: existing cases registered and opened as caseworkers would, each
pathway's workflow started once with the case's back-dated steps as its history.

The row's caseworker is the actor, so an imported case is audited, keyed, encrypted and
projected like any other; its history is taken by the workflow's own domain functions (checked
beforehand by the same ones, `domain/case_import.rehearse`), one start per case instead of an
Update per step. Nothing is written until the whole file has been checked; rows with problems
are reported by row and column and left out; the rest are imported.

New cases go in batches: a batch's participants, keys, bookkeeping, pathways and audit entries
in one transaction, its workflows started a few at a time, its progress noted in one more. A
batch that cannot be registered together (a PESEL registered meanwhile) is imported case by
case, each failure reported alone. A re-run finds each case in `case_imports` and changes
nothing; one interrupted half-way resumes where it stopped (services/imported_case.py).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from db import audit, case_imports
from db.eligibility import exclusion_rows
from db.participants import categories_of_new, new_participant
from db.pathways import new_registration
from db.session import unit_of_work
from domain.calendar import local_date
from domain.case_import import Problem
from domain.errors import DomainError
from domain.participants import identity
from domain.steps import first_state
from domain.workflow_ids import workflow_id
from services.case_checks import ImportReport, PlannedCase, check_file
from services.context import Services
from services.imported_case import import_one, imported_pathway_id, start_of
from services.pathways import Registration, launch

BATCH = 25  # new cases registered in one transaction
BATCHES_AT_ONCE = 2  # one batch registers while another's workflows start


class CaseImporter:
    """Checks a file against the database, then imports its good rows."""

    def __init__(self, services: Services, concurrency: int = 4) -> None:
        self._services = services
        self._concurrency = concurrency

    async def check(self, path: Path) -> ImportReport:
        """Read and check every row; writes nothing (this alone is the dry run)."""
        return await check_file(self._services, path)

    async def run(self, report: ImportReport, advance: Callable[[], None]) -> ImportReport:
        """Import the planned cases; `advance` is called after each. At most `concurrency`
        workflows start at once."""
        starts = asyncio.Semaphore(self._concurrency)
        batches = asyncio.Semaphore(BATCHES_AT_ONCE)
        fresh = [p for p in report.planned if p.earlier is None]
        earlier = [p for p in report.planned if p.earlier is not None]

        def done(plan: PlannedCase, steps: int) -> None:
            report.imported += 1
            report.steps_sent += steps
            advance()

        def failed(plan: PlannedCase, err: Exception) -> None:
            report.failed.append(
                Problem(row=plan.case.row, column="external_id", message=_why(err))
            )
            advance()

        async def one(plan: PlannedCase) -> None:
            if plan.unchanged:
                advance()
                return
            async with starts:
                try:
                    sent = await import_one(self._services, plan)
                except Exception as err:  # one case's failure must not stop the others
                    failed(plan, err)
                    return
            done(plan, sent)

        async def batch(plans: list[PlannedCase]) -> None:
            async with batches:
                try:
                    registered = await self._register(plans)
                except Exception:  # e.g. a PESEL registered meanwhile: each case on its own
                    await asyncio.gather(*(one(plan) for plan in plans))
                    return
                started = await asyncio.gather(
                    *(
                        self._start(starts, plan, r, failed)
                        for plan, r in zip(plans, registered, strict=True)
                    )
                )
                begun = [(p, r) for p, r, ok in zip(plans, registered, started, strict=True) if ok]
                try:
                    await self._note(begun)
                except Exception as err:
                    for plan, _ in begun:
                        failed(plan, err)
                    return
                for plan, _ in begun:
                    done(plan, len(plan.case.steps))

        chunks = [fresh[i : i + BATCH] for i in range(0, len(fresh), BATCH)]
        await asyncio.gather(*(batch(c) for c in chunks), *(one(p) for p in earlier))
        report.failed.sort(key=lambda p: p.row)
        return report

    async def _register(self, plans: list[PlannedCase]) -> list[Registration]:
        """Every new case of the batch registered in one transaction: the participant with their
        categories, exclusions and data key, the bookkeeping row, the pathway and the audit
        entries, as registration and opening make them one by one."""
        now = datetime.now(UTC)
        registrations: list[Registration] = []
        remembered: list[tuple[str, str, bytes]] = []
        people: list[object] = []  # inserted first: the rest refers to them
        theirs: list[object] = []
        for plan in plans:
            case, actor = plan.case, plan.actor
            pesel, born = identity(case.participant, local_date(now))
            person = new_participant(actor.unit_id, actor.id, case.participant, pesel, born)
            key_row, key_id, key = self._services.keys.new_key(person.id)
            pathway_id = imported_pathway_id(
                self._services.settings.secret_key, actor.unit_id, case.external_id
            )
            exclusions = sorted(set(case.participant.exclusions))
            start = start_of(plan, pathway_id, person.id).model_copy(
                update={"exclusions": exclusions}
            )
            first = first_state(start, now)
            fields = sorted(case.participant.model_fields_set)
            people.append(person)
            theirs += [
                *categories_of_new(person.id, case.participant),
                *exclusion_rows(person.id, exclusions),
                key_row,
                case_imports.new_case_record(
                    actor.unit_id, case.external_id, person.id, case.fingerprint, len(case.steps)
                ),
                new_registration(
                    pathway_id,
                    actor.unit_id,
                    person.id,
                    actor.id,
                    case.programme,
                    case.start_date,
                    first.stage,
                ),
                audit.new_entry(actor.actor, "participant.create", fields, person.id),
                audit.new_entry(
                    actor.actor, "pathway.open", ["programme", "start_date"], person.id
                ),
            ]
            registrations.append(Registration(start, first, case.unit_code))
            remembered.append((workflow_id(start.pathway_id), key_id, key))
        async with unit_of_work(self._services.sessions) as session:
            # Rows of a table go in one statement; tables without relationships are not
            # ordered by the unit of work, so the people go first.
            session.add_all(people)
            await session.flush()
            session.add_all(theirs)
        for key_of_workflow in remembered:  # no start has to look its key up
            self._services.keys.remember(*key_of_workflow)
        return registrations

    async def _start(
        self,
        starts: asyncio.Semaphore,
        plan: PlannedCase,
        registered: Registration,
        failed: Callable[[PlannedCase, Exception], None],
    ) -> bool:
        async with starts:
            try:
                await launch(self._services, registered)
            except Exception as err:
                failed(plan, err)
                return False
        return True

    async def _note(self, begun: list[tuple[PlannedCase, Registration]]) -> None:
        """The batch's started cases noted in one transaction, with their steps' audit entries."""
        async with unit_of_work(self._services.sessions) as session:
            await _note_in(session, begun)


async def _note_in(session: AsyncSession, begun: list[tuple[PlannedCase, Registration]]) -> None:
    progress: list[tuple[uuid.UUID, str, uuid.UUID, int]] = []
    for plan, registered in begun:
        case, actor = plan.case, plan.actor
        pathway_id = uuid.UUID(registered.start.pathway_id)
        participant_id = uuid.UUID(registered.start.participant_id)
        progress.append((actor.unit_id, case.external_id, pathway_id, len(case.steps)))
        session.add_all(
            audit.new_entry(
                actor.actor,
                "pathway.action",
                sorted(step.action.model_fields_set),
                participant_id,
                pathway_id,
            )
            for step in case.steps
        )
    await case_imports.note_all_progress(session, progress)


def _why(err: Exception) -> str:
    # A database error's text can quote the row (a PESEL in a key): only domain messages are shown.
    message = err.message if isinstance(err, DomainError) else type(err).__name__
    return f"not imported: {message}; running the file again resumes this case"
