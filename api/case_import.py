"""`pathways import FILE.csv`: existing cases registered, opened and stepped as caseworkers would.

Every write goes through the API's own functions (`api/casework.py` registers the participant
and opens the pathway, `api/pathway_gateway.py` sends each step as the validated Update), with
the row's caseworker as the actor, so an imported case is audited, keyed, encrypted and
projected like any other. Nothing is written until the whole file has been checked; rows with
problems are reported by row and column and left out; the rest are imported. A re-run finds each
case in `case_imports` and changes nothing; one interrupted half-way resumes where it stopped
(steps carry deterministic request ids, so a step Temporal accepted is never recorded twice).
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import hmac
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from api import casework, pathway_gateway
from db import audit, case_imports, queries
from db.audit import Actor
from db.keys import DatabaseKeyStore
from db.models import CaseImport
from db.session import unit_of_work
from domain.calendar import local_date
from domain.case_import import (
    COLUMNS,
    ImportedCase,
    Problem,
    RowProblems,
    missing_columns,
    parse_case,
    rehearse,
)
from domain.errors import DomainError
from domain.pathway import StepRequest
from domain.roles import Role

# Pathway ids of imported cases are derived from the unit and the case id (uuid5), so a run
# interrupted between opening a pathway and noting it finds the pathway again.
_PATHWAY_NAMESPACE = uuid.UUID("5f0c2b9e-4a53-4d3e-9d7b-6c1f0e2a7b11")
_STAFF_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)


@dataclass(frozen=True)
class PlannedCase:
    """A row that passed every check, with what it will be written as."""

    case: ImportedCase
    actor: Actor
    earlier: CaseImport | None

    @property
    def unchanged(self) -> bool:
        """Imported in full by an earlier run: nothing to do."""
        e = self.earlier
        return e is not None and e.pathway_id is not None and e.steps_sent == e.steps_total


@dataclass
class ImportReport:
    """What a run found and did."""

    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    planned: list[PlannedCase] = field(default_factory=list)
    imported: int = 0
    unchanged: int = 0
    steps_sent: int = 0
    failed: list[Problem] = field(default_factory=list)

    @property
    def to_import(self) -> int:
        """Cases the run writes (or would write, in a dry run)."""
        return sum(1 for p in self.planned if not p.unchanged)


class CaseImporter:
    """Checks a file against the database, then imports its good rows."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        client: Client,
        task_queue: str,
        keys: DatabaseKeyStore,
        id_secret: str,
        concurrency: int = 4,
    ) -> None:
        self._sessions = sessions
        self._client = client
        self._task_queue = task_queue
        self._keys = keys
        self._id_secret = id_secret
        self._concurrency = concurrency

    async def check(self, path: Path) -> ImportReport:
        """Read and check every row; writes nothing (this alone is the dry run)."""
        report = ImportReport()
        now = datetime.now(UTC)
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            report.problems += _header_problems(header)
            if report.problems:
                return report
            cases: list[ImportedCase] = []
            for row, raw in enumerate(reader, start=2):
                report.rows += 1
                try:
                    cases.append(parse_case(row, raw, local_date(now)))
                except RowProblems as err:
                    report.problems += err.problems
        async with self._sessions() as session:
            checker = _DatabaseChecks(session)
            for case in _without_twins(cases, report.problems):
                try:
                    report.planned.append(await checker.plan(case, now))
                except RowProblems as err:
                    report.problems += err.problems
        report.problems.sort(key=lambda p: (p.row, p.column))
        report.unchanged = sum(1 for p in report.planned if p.unchanged)
        return report

    async def run(self, report: ImportReport, advance: Callable[[], None]) -> ImportReport:
        """Import the planned cases, a few at a time; `advance` is called after each."""
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
        record = plan.earlier
        if record is None:
            async with unit_of_work(self._sessions) as session:
                person = await casework.register_participant(
                    session, self._keys, actor, case.participant
                )
                record = await case_imports.record_case(
                    session,
                    actor.unit_id,
                    case.external_id,
                    person.id,
                    case.fingerprint,
                    len(case.steps),
                )
        pathway_id = record.pathway_id or imported_pathway_id(
            self._id_secret, actor.unit_id, case.external_id
        )
        async with self._sessions() as session:
            opened = await case_imports.pathway_registered(session, pathway_id)
        if opened and not await pathway_gateway.started(self._client, pathway_id):
            # An earlier run stopped between the pathway's registration and its workflow's start.
            async with unit_of_work(self._sessions) as session:
                await queries.forget_pathway(session, pathway_id)
            opened = False
        if not opened:
            await casework.open_pathway(
                self._sessions,
                self._client,
                self._task_queue,
                self._keys,
                actor,
                record.participant_id,
                case.programme,
                case.start_date,
                pathway_id=pathway_id,
            )
        sent = record.steps_sent
        for number in range(sent + 1, len(case.steps) + 1):
            action = case.steps[number - 1].action
            request_id = f"import:{pathway_id}:{number}"
            request = StepRequest(
                action=action, actor=actor.username, role=Role(actor.role), request_id=request_id
            )
            await pathway_gateway.step(
                self._client, pathway_id, request, f"import-{pathway_id}-{number}"
            )
        async with unit_of_work(self._sessions) as session:
            await case_imports.note_progress(
                session, actor.unit_id, case.external_id, pathway_id, len(case.steps)
            )
            for step in case.steps[sent:]:
                fields = sorted(step.action.model_fields_set)
                await audit.append(session, actor, "pathway.action", fields, None, pathway_id)
        return len(case.steps) - sent


def imported_pathway_id(secret: str, unit_id: uuid.UUID, external_id: str) -> uuid.UUID:
    """The id an imported case's pathway gets: derived, so that a resumed run finds it, and keyed
    with the secret, so that nobody holding the old system's case ids can match them to
    pathways (an erased participant's pathway stays, anonymous)."""
    mac = hmac.new(secret.encode(), f"{unit_id}/{external_id}".encode(), hashlib.sha256)
    return uuid.uuid5(_PATHWAY_NAMESPACE, mac.hexdigest())


class _DatabaseChecks:
    """The checks that read the database (read only): units, staff, earlier imports, PESELs."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._units: dict[str, uuid.UUID | None] = {}
        self._staff: dict[str, Actor | None] = {}

    async def plan(self, case: ImportedCase, now: datetime) -> PlannedCase:
        unit_id = await self._unit(case.unit_code)
        if unit_id is None:
            raise _problem(case, "unit_code", f"no unit has the code {case.unit_code}")
        actor = await self._actor(case.caseworker)
        if actor is None or actor.unit_id != unit_id:
            message = f"{case.caseworker} is not a caseworker or supervisor of {case.unit_code}"
            raise _problem(case, "caseworker", message)
        earlier = await case_imports.imported_case(self._session, unit_id, case.external_id)
        if earlier is not None and earlier.fingerprint != case.fingerprint:
            message = "this case was imported with other programme, start date or steps"
            raise _problem(case, "external_id", message + "; an imported case is never changed")
        pesel = case.participant.pesel
        if earlier is None and pesel:
            holder = await case_imports.participant_with_pesel(self._session, unit_id, pesel)
            if holder is not None:
                raise _problem(case, "pesel", "a participant with this PESEL is already registered")
        rehearse(case, Role(actor.role), actor.username, now)
        return PlannedCase(case=case, actor=actor, earlier=earlier)

    async def _unit(self, code: str) -> uuid.UUID | None:
        if code not in self._units:
            unit = await queries.unit_by_code(self._session, code)
            self._units[code] = unit.id if unit else None
        return self._units[code]

    async def _actor(self, username: str) -> Actor | None:
        if username not in self._staff:
            user = await queries.user_by_username(self._session, username)
            ok = user is not None and Role(user.role) in _STAFF_ROLES
            self._staff[username] = (
                Actor(user.id, user.username, user.role, user.unit_id) if user and ok else None
            )
        return self._staff[username]


def _header_problems(header: list[str]) -> list[Problem]:
    problems = [
        Problem(row=1, column=c, message="column is missing") for c in missing_columns(header)
    ]
    problems += [
        Problem(row=1, column=c, message="unknown column") for c in header if c not in COLUMNS
    ]
    return problems


def _without_twins(cases: list[ImportedCase], problems: list[Problem]) -> list[ImportedCase]:
    """A case id or a PESEL twice in one unit: the later rows are reported, the first kept."""
    seen: dict[tuple[str, str, str], int] = {}
    kept: list[ImportedCase] = []
    for case in cases:
        keys = [("external_id", case.unit_code, case.external_id)]
        if case.participant.pesel:
            keys.append(("pesel", case.unit_code, case.participant.pesel))
        twin = next((k for k in keys if k in seen), None)
        if twin is not None:
            message = f"the same as in row {seen[twin]}"
            problems.append(Problem(row=case.row, column=twin[0], message=message))
            continue
        seen.update({k: case.row for k in keys})
        kept.append(case)
    return kept


def _problem(case: ImportedCase, column: str, message: str) -> RowProblems:
    return RowProblems([Problem(row=case.row, column=column, message=message)])


def _why(err: Exception) -> str:
    # A database error's text can quote the row (a PESEL in a key): only domain messages are shown.
    message = err.message if isinstance(err, DomainError) else type(err).__name__
    return f"not imported: {message}; running the file again resumes this case"
