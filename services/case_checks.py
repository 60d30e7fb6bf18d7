"""The import's checks: the file read and every row checked, against the database too, before
anything is written (this alone is the dry run)."""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from db import case_imports, units
from db.models import CaseImport
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
from domain.roles import Role
from services.context import Caller, Services

_STAFF_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)


@dataclass(frozen=True)
class PlannedCase:
    """A row that passed every check, with who imports it and what an earlier run made of it."""

    case: ImportedCase
    actor: Caller
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


async def check_file(services: Services, path: Path) -> ImportReport:
    """Read and check every row; writes nothing."""
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
    async with services.sessions() as session:
        checker = _DatabaseChecks(session)
        kept = _without_twins(cases, report.problems)
        await checker.prefetch(kept)
        for case in kept:
            try:
                report.planned.append(await checker.plan(case, now))
            except RowProblems as err:
                report.problems += err.problems
    report.problems.sort(key=lambda p: (p.row, p.column))
    report.unchanged = sum(1 for p in report.planned if p.unchanged)
    return report


class _DatabaseChecks:
    """The checks that read the database (read only): units, staff, earlier imports, PESELs."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._units: dict[str, uuid.UUID | None] = {}
        self._staff: dict[str, Caller | None] = {}
        self._earlier: dict[tuple[uuid.UUID, str], CaseImport] = {}
        self._pesels: set[tuple[uuid.UUID, str]] = set()

    async def prefetch(self, cases: list[ImportedCase]) -> None:
        """Earlier imports and registered PESELs of every unit in the file, a query each."""
        by_unit: dict[str, list[ImportedCase]] = {}
        for case in cases:
            by_unit.setdefault(case.unit_code, []).append(case)
        for code, mine in by_unit.items():
            unit_id = await self._unit(code)
            if unit_id is None:
                continue
            ids = [c.external_id for c in mine]
            earlier = await case_imports.earlier_imports(self._session, unit_id, ids)
            self._earlier |= {(unit_id, i): row for i, row in earlier.items()}
            pesels = [c.participant.pesel for c in mine if c.participant.pesel]
            held = await case_imports.registered_pesels(self._session, unit_id, pesels)
            self._pesels |= {(unit_id, pesel) for pesel in held}

    async def plan(self, case: ImportedCase, now: datetime) -> PlannedCase:
        unit_id = await self._unit(case.unit_code)
        if unit_id is None:
            raise _problem(case, "unit_code", f"no unit has the code {case.unit_code}")
        actor = await self._actor(case.caseworker)
        if actor is None or actor.unit_id != unit_id:
            message = f"{case.caseworker} is not a caseworker or supervisor of {case.unit_code}"
            raise _problem(case, "caseworker", message)
        earlier = self._earlier.get((unit_id, case.external_id))
        if earlier is not None and earlier.fingerprint != case.fingerprint:
            message = "this case was imported with other programme, start date or steps"
            raise _problem(case, "external_id", message + "; an imported case is never changed")
        pesel = case.participant.pesel
        if earlier is None and pesel and (unit_id, pesel) in self._pesels:
            raise _problem(case, "pesel", "a participant with this PESEL is already registered")
        rehearse(case, actor.role, actor.username, now)
        return PlannedCase(case=case, actor=actor, earlier=earlier)

    async def _unit(self, code: str) -> uuid.UUID | None:
        if code not in self._units:
            unit = await units.unit_by_code(self._session, code)
            self._units[code] = unit.id if unit else None
        return self._units[code]

    async def _actor(self, username: str) -> Caller | None:
        if username not in self._staff:
            user = await units.user_by_username(self._session, username)
            ok = user is not None and Role(user.role) in _STAFF_ROLES
            self._staff[username] = (
                Caller(user.id, user.username, Role(user.role), user.unit_id)
                if user and ok
                else None
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
