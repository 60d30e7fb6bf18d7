"""Existing cases from a spreadsheet: the columns, and every check that needs no database.

One row is one case: the participant, their programme and start date, and the steps already
taken, each with its business date. A row is checked in full before anything is written: the
participant's fields as at registration, the steps' syntax, and then the whole pathway rehearsed
with the same pure functions the workflow runs, so a step the law would refuse is reported with
its row and column instead of failing half-way through an import.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from domain.actions import ACTION_ADAPTER, Action
from domain.deadlines import reach_deadlines
from domain.errors import DomainError
from domain.participants import ParticipantCreate, identity
from domain.pathway import PathwayInput, PathwayState, StepRequest
from domain.roles import Role
from domain.stages import Programme
from domain.steps import first_state, next_step

# The columns of the file, in the order of the README's table; the header names them.
CASE_COLUMNS = ("external_id", "unit_code", "caseworker", "programme", "start_date", "steps")
PARTICIPANT_COLUMNS = (
    "first_name",
    "last_name",
    "pesel",
    "birth_date",
    "phone",
    "email",
    "consent_sms",
    "consent_email",
    "categories",
)
COLUMNS = CASE_COLUMNS[:3] + PARTICIPANT_COLUMNS + CASE_COLUMNS[3:]
REQUIRED = ("external_id", "unit_code", "caseworker", "first_name", "last_name", "programme",
            "start_date")  # fmt: skip

STEP_SEPARATOR = ";"
FIELD_SEPARATOR = "|"
_YES = {"yes", "y", "true", "1", "tak", "t"}
_NO = {"no", "n", "false", "0", "nie", ""}


class Problem(BaseModel):
    """Why a row cannot be imported: its row (the header is row 1) and column."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class ImportedStep(BaseModel):
    """A step already taken, as the workflow will receive it."""

    action: Action


class ImportedCase(BaseModel):
    """A row that passed every check that needs no database."""

    model_config = ConfigDict(frozen=True)

    row: int
    external_id: str = Field(min_length=1, max_length=100)
    unit_code: str
    caseworker: str
    participant: ParticipantCreate
    programme: Programme
    start_date: date
    steps: list[ImportedStep]
    # Of the case's columns: a re-run whose row says otherwise for an imported case is refused.
    fingerprint: str


class RowProblems(Exception):
    """A row's problems, all of them at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def missing_columns(header: list[str]) -> list[str]:
    """Columns the header lacks (unknown extra columns are refused too, by the caller)."""
    return [c for c in COLUMNS if c not in header]


def parse_case(row: int, raw: dict[str, str], today: date) -> ImportedCase:
    """Read one row, or raise `RowProblems` naming every bad column."""
    cells = {k: (v or "").strip() for k, v in raw.items() if k is not None}
    problems = [Problem(row=row, column=c, message="is required") for c in REQUIRED if not cells[c]]
    participant = _participant(row, cells, today, problems)
    programme = _programme(row, cells["programme"], problems)
    start = _date(row, "start_date", cells["start_date"], problems)
    steps = _steps(row, cells["steps"], problems)
    if problems:
        raise RowProblems(problems)
    assert participant is not None and programme is not None and start is not None
    return ImportedCase(
        row=row,
        external_id=cells["external_id"],
        unit_code=cells["unit_code"],
        caseworker=cells["caseworker"],
        participant=participant,
        programme=programme,
        start_date=start,
        steps=steps,
        fingerprint=_fingerprint(cells),
    )


def rehearse(
    case: ImportedCase, role: Role, actor: str, now: datetime, pathway_id: str = "rehearsal"
) -> PathwayState:
    """Play the case's pathway as the workflow will start it (`first_state` with the history of
    `step_requests`), or raise `RowProblems` at the first step the law refuses."""
    start = PathwayInput(
        pathway_id=pathway_id,
        participant_id=pathway_id,
        programme=case.programme,
        started_on=case.start_date,
        requested_at=now,
    )
    try:
        state = first_state(start, now)
    except DomainError as err:
        raise RowProblems(
            [Problem(row=case.row, column="start_date", message=err.message)]
        ) from None
    for number, request in enumerate(step_requests(case, actor, role, pathway_id), start=1):
        try:
            state = next_step(state, request, now)
        except DomainError as err:
            message = f"step {number} ({request.action.type}): {err.message}"
            raise RowProblems([Problem(row=case.row, column="steps", message=message)]) from None
    return reach_deadlines(state, now)


def step_requests(case: ImportedCase, actor: str, role: Role, pathway_id: str) -> list[StepRequest]:
    """The case's steps as the workflow takes them, each with a request id made from the pathway
    and the step's number: a step never counts twice, however often an import is resumed."""
    return [
        StepRequest(
            action=step.action, actor=actor, role=role, request_id=f"import:{pathway_id}:{number}"
        )
        for number, step in enumerate(case.steps, start=1)
    ]


def _participant(
    row: int, cells: dict[str, str], today: date, problems: list[Problem]
) -> ParticipantCreate | None:
    body: dict[str, Any] = {c: cells[c] or None for c in PARTICIPANT_COLUMNS}
    for column in ("consent_sms", "consent_email"):
        flag = (cells[column] or "").lower()
        if flag not in _YES | _NO:
            problems.append(Problem(row=row, column=column, message="is not yes or no"))
        body[column] = flag in _YES
    categories = cells["categories"]
    body["categories"] = [c.strip() for c in categories.split(STEP_SEPARATOR) if c.strip()]
    reported = {p.column for p in problems}  # "is required" says enough
    try:
        participant = ParticipantCreate.model_validate(body)
    except ValidationError as err:
        for error in err.errors():
            column = str(error["loc"][0]) if error["loc"] else _column_of(error["msg"])
            if column not in reported:
                problems.append(Problem(row=row, column=column, message=_plain(error["msg"])))
        return None
    try:
        identity(participant, today)
    except DomainError as err:
        column = "birth_date" if err.code.startswith("birth_date") else "pesel"
        problems.append(Problem(row=row, column=column, message=err.message))
        return None
    return participant


def _programme(row: int, value: str, problems: list[Problem]) -> Programme | None:
    try:
        return Programme(value)
    except ValueError:
        if value:
            choices = ", ".join(p.value for p in Programme)
            problems.append(
                Problem(row=row, column="programme", message=f"is not one of {choices}")
            )
        return None


def _date(row: int, column: str, value: str, problems: list[Problem]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        if value:
            problems.append(Problem(row=row, column=column, message="is not a date YYYY-MM-DD"))
        return None


def _steps(row: int, value: str, problems: list[Problem]) -> list[ImportedStep]:
    steps: list[ImportedStep] = []
    items = [item.strip() for item in value.split(STEP_SEPARATOR) if item.strip()]
    for number, item in enumerate(items, start=1):
        head, *fields = [part.strip() for part in item.split(FIELD_SEPARATOR)]
        type_, _, on = head.partition("@")
        body: dict[str, Any] = {"type": type_.strip(), "occurred_on": on.strip() or None}
        for field in fields:
            name, equals, field_value = field.partition("=")
            if not equals:
                message = f"step {number} ({type_}): '{field}' is not name=value"
                problems.append(Problem(row=row, column="steps", message=message))
                continue
            body[name.strip()] = field_value.strip()
        if body["occurred_on"] is None:
            message = f"step {number} ({type_}): the date is missing (type@YYYY-MM-DD)"
            problems.append(Problem(row=row, column="steps", message=message))
            continue
        try:
            steps.append(ImportedStep(action=ACTION_ADAPTER.validate_python(body)))
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"][1:]) or "type"
            message = f"step {number} ({type_}): {where} {_plain(first['msg'])}"
            problems.append(Problem(row=row, column="steps", message=message))
    return steps


def _column_of(message: str) -> str:
    """The column a whole-record rule is about (a consent needs its contact; an identity)."""
    return next((c for c in ("consent_sms", "consent_email") if c in message), "pesel")


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ")


def _fingerprint(cells: dict[str, str]) -> str:
    # The case's columns only: no hash of a name or a PESEL outlives an erasure.
    canonical = json.dumps({c: cells.get(c, "") for c in CASE_COLUMNS}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
