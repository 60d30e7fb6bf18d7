"""`GET /participants` in SQL: a page of a unit's participants with their current pathway.

The list is the page caseworkers open most, so it costs little more than its query: one
statement per shape of request (the sort, and which filters are given) is built once, its
values bound as parameters, and executed again; its rows are read as plain columns and become
the answer's models in one validation, not an ORM object (or three models) per row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Date, Integer, Select, String, Uuid, bindparam, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Participant, Pathway, User
from db.participant_order import Order, current_pathway_join, deadline_filter, order_for
from db.participants import in_caseload
from domain.participants import ParticipantFilters, ParticipantListItem, ParticipantSort

_ESCAPE = "/"


@dataclass(frozen=True)
class _Shape:
    """What decides the statement: the sort, and which filters are given (not their values)."""

    sort: ParticipantSort
    caseload: bool
    stage: bool
    programme: bool
    caseworker: bool
    due_before: bool
    deadline_kind: bool
    overdue: bool
    search: bool
    after: bool


async def list_participants(
    session: AsyncSession,
    unit_id: uuid.UUID,
    filters: ParticipantFilters,
    after: list[Any] | None,
    limit: int,
    sort: ParticipantSort = ParticipantSort.NAME,
) -> tuple[list[ParticipantListItem], list[Any] | None]:
    """A page of the unit's participants with their current pathway, sorted; the keys the next
    page starts after (None on the last page), which the caller signs into a cursor."""
    shape = _Shape(
        sort=sort,
        caseload=filters.caseload_of is not None,
        stage=bool(filters.stage),
        programme=bool(filters.programme),
        caseworker=bool(filters.caseworker),
        due_before=filters.due_before is not None,
        deadline_kind=filters.deadline_kind is not None,
        overdue=filters.overdue,
        search=bool(filters.q and filters.q.strip()),
        after=bool(after),
    )
    order, statement = _statement(shape)
    values = _values(unit_id, filters, limit)
    if after:
        values.update(order.after_values(after))
    rows = (await session.execute(statement, values)).all()
    page = _ITEMS.validate_python([_item(row) for row in rows[:limit]])
    last = rows[limit - 1] if len(rows) > limit else None
    return page, order.keys(last, last.sort_key) if last is not None else None


_ITEMS = TypeAdapter(list[ParticipantListItem])
_STATEMENTS: dict[_Shape, tuple[Order, Select[*tuple[Any, ...]]]] = {}

# A list row shows names, birth date and the pathway's summary: only those columns are read.
_LIST_COLUMNS = (
    Participant.id,
    Participant.first_name,
    Participant.last_name,
    Participant.birth_date,
    Pathway.id.label("pathway_id"),
    Pathway.programme,
    Pathway.stage,
    Pathway.started_on,
    Pathway.graduate,
    Pathway.outcome,
    Pathway.next_due_kind,
    Pathway.next_due_on,
    Pathway.closed_at,
)


def _statement(shape: _Shape) -> tuple[Order, Select[*tuple[Any, ...]]]:
    """The statement of a shape, built on first use (there are a few hundred shapes at most)."""
    known = _STATEMENTS.get(shape)
    if known is not None:
        return known
    order = order_for(shape.sort, shape.deadline_kind, shape.overdue)
    key = order.key if order.key is not None else literal(None)
    query: Select[*tuple[Any, ...]] = (
        select(*_LIST_COLUMNS, key.label("sort_key"))
        .outerjoin(Pathway, current_pathway_join())
        .where(Participant.unit_id == bindparam("unit_id", type_=Uuid))
    )
    for condition in _conditions(shape):
        query = query.where(condition)
    if shape.after:
        query = query.where(order.after())
    query = query.order_by(*order.order_by()).limit(bindparam("limit", type_=Integer))
    _STATEMENTS[shape] = (order, query)
    return order, query


def _conditions(shape: _Shape) -> list[Any]:
    """The filters' conditions, each value a parameter named as in `_values`."""
    conditions: list[Any] = []
    if shape.caseload:
        conditions.append(in_caseload(bindparam("caseload_of", type_=Uuid)))
    if shape.stage:
        conditions.append(Pathway.stage == bindparam("stage", type_=String))
    if shape.programme:
        conditions.append(Pathway.programme == bindparam("programme", type_=String))
    if shape.caseworker:
        named = select(User.id).where(User.username == bindparam("caseworker", type_=String))
        conditions.append(Pathway.caseworker_id.in_(named))
    if shape.due_before:
        conditions.append(Pathway.next_due_on < bindparam("due_before", type_=Date))
    with_deadline = deadline_filter(shape.deadline_kind, shape.overdue)
    if with_deadline is not None:
        conditions.append(with_deadline)
    if shape.search:
        inside = bindparam("name_pattern", type_=String)
        conditions.append(
            or_(
                func.lower(Participant.last_name).like(inside, escape=_ESCAPE),
                func.lower(Participant.first_name).like(inside, escape=_ESCAPE),
                Participant.pesel.like(bindparam("pesel_pattern", type_=String), escape=_ESCAPE),
            )
        )
    return conditions


def _values(unit_id: uuid.UUID, filters: ParticipantFilters, limit: int) -> dict[str, Any]:
    """The parameters of a request: only those its shape's statement names."""
    values: dict[str, Any] = {"unit_id": unit_id, "limit": limit + 1}
    if filters.caseload_of is not None:
        values["caseload_of"] = filters.caseload_of
    if filters.stage:
        values["stage"] = filters.stage
    if filters.programme:
        values["programme"] = filters.programme
    if filters.caseworker:
        values["caseworker"] = filters.caseworker
    if filters.due_before is not None:
        values["due_before"] = filters.due_before
    if filters.deadline_kind is not None:
        values["deadline_kind"] = filters.deadline_kind
    term = (filters.q or "").strip().lower()
    if term:
        escaped = "".join(_ESCAPE + c if c in "%_" + _ESCAPE else c for c in term)
        values["name_pattern"] = f"%{escaped}%"
        values["pesel_pattern"] = f"{escaped}%"
    return values


def _item(row: Any) -> dict[str, Any]:
    """A row as the answer's fields (validated all at once)."""
    pathway = None
    if row.pathway_id is not None:
        due = (
            {"kind": row.next_due_kind, "due_on": row.next_due_on}
            if row.next_due_kind and row.next_due_on
            else None
        )
        pathway = {
            "id": row.pathway_id,
            "programme": row.programme,
            "stage": row.stage,
            "started_on": row.started_on,
            "graduate": row.graduate,
            "outcome": row.outcome,
            "next_deadline": due,
            "closed": row.closed_at is not None,
        }
    return {
        "id": row.id,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "birth_date": row.birth_date,
        "pathway": pathway,
    }
