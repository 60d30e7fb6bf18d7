"""What every report query starts from: the units a report covers, its rows, and who a person
is for counting (by PESEL, else by participant record, so a re-entrant counts once)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Participant, Pathway, PathwayReportRow, Unit
from domain.errors import NotFound
from domain.pathway import OutcomeStatus

R = PathwayReportRow


@dataclass(frozen=True)
class ReportScope:
    """The units a report covers (today a supervisor's one unit)."""

    unit_ids: tuple[uuid.UUID, ...]
    unit_codes: tuple[str, ...]


async def scope_of(
    session: AsyncSession, own_unit_id: uuid.UUID, unit_code: str | None, any_unit: bool
) -> ReportScope:
    """The caller's own unit, or the unit named by `unit_code` if the caller may see it (else 404).

    Every user belongs to one unit today; only admins (`any_unit`) may name another.
    """
    query = select(Unit.id, Unit.code)
    if unit_code is None:
        query = query.where(Unit.id == own_unit_id)
    else:
        query = query.where(Unit.code == unit_code)
        if not any_unit:
            query = query.where(Unit.id == own_unit_id)
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise NotFound("unit_not_found", "No such unit.")
    return ReportScope(unit_ids=(row[0],), unit_codes=(row[1],))


def person_key() -> ColumnElement[str]:
    """Who a person is for counting: their PESEL, else their participant record."""
    return func.coalesce(Participant.pesel, cast(Participant.id, String))


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def rows_in(scope: ReportScope, persons: bool = False) -> Any:
    """Report rows of the scope's pathways (with their participant, to count persons)."""
    query = select().select_from(R).join(Pathway, Pathway.id == R.pathway_id)
    if persons:
        query = query.join(Participant, Participant.id == Pathway.participant_id)
    return query.where(Pathway.unit_id.in_(scope.unit_ids))


def employed_after_exit() -> ColumnElement[bool]:
    """Qualifying work (domain.md §6.1): the recorded outcome, or a qualifying job started."""
    return or_(R.outcome == OutcomeStatus.EMPLOYED, R.job_qualifying.is_(True))
