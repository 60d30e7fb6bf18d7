"""Orders of `GET /participants` and their keyset cursors, correct under every sort.

Each order ends with the participant's name and id, so it is total; a pathway-less participant
(or one without a deadline) sorts last on the pathway key. A page ends with the keys of its last
row that are not personal: the sort's leading value (a stage code or a date) and the participant's
id, whose name is looked up again for the next page. The services sign them into a cursor
(core/cursors.py), bound to the sort.

Every value the list is asked with is a bound parameter, so that one statement per shape of
request (sort, which filters) is built once and executed again (db/participant_list.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    String,
    Uuid,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import aliased

from db.models import Participant, Pathway, PathwayDeadline
from domain.errors import InvalidInput
from domain.participants import ParticipantSort

_LAST_DAY = date(9999, 12, 31)
_FIRST_DAY = date(1, 1, 1)


@dataclass(frozen=True)
class Order:
    """The sort's leading key (None for name), and whether it runs downwards."""

    sort: ParticipantSort
    key: ColumnElement[Any] | None
    descending: bool

    def columns(self) -> list[Any]:
        """The full ordering, ending with the name and the id."""
        tail: list[Any] = [
            Participant.last_name,
            Participant.first_name,
            Participant.id,
        ]
        return ([self.key] if self.key is not None else []) + tail

    def after(self) -> ColumnElement[bool]:
        """Rows after the row a page ended with, in this order: its values are the parameters
        `after_lead` and `after_id` (`after_values`), its name read again by the id (it may
        have changed since, or been erased: the list then goes on from where it now sorts)."""
        named = aliased(Participant)
        last, first = (
            select(column).where(named.id == bindparam("after_id", type_=Uuid)).scalar_subquery()
            for column in (named.last_name, named.first_name)
        )
        lead_type = String if self.sort is ParticipantSort.STAGE else Date
        lead = [bindparam("after_lead", type_=lead_type)] if self.key is not None else []
        here = tuple_(*self.columns())
        there = tuple_(*lead, last, first, bindparam("after_id", type_=Uuid))
        return here < there if self.descending else here > there

    def after_values(self, keys: list[Any]) -> dict[str, Any]:
        """The parameters of `after` for the keys a page ended with (from `keys`); keys this
        order never gives out are 422."""
        try:
            values: dict[str, Any] = {"after_id": uuid.UUID(str(keys[-1]))}
            if self.key is not None:
                lead = keys[0]
                stage = self.sort is ParticipantSort.STAGE
                values["after_lead"] = str(lead) if stage else date.fromisoformat(lead)
            elif len(keys) != 1:
                raise ValueError("a name sort continues after an id alone")
        except (ValueError, TypeError, IndexError) as err:
            raise InvalidInput(
                "invalid_cursor", "The cursor is not one this API gave out for this sort."
            ) from err
        return values

    def order_by(self) -> list[ColumnElement[Any]]:
        """ORDER BY clauses."""
        return [c.desc() if self.descending else c.asc() for c in self.columns()]

    def keys(self, person: Any, key: Any) -> list[Any]:
        """What continues after this row (anything with the participant's `id`): the leading
        value (never a name) and the id."""
        lead = [key.isoformat() if isinstance(key, date) else key] if self.key is not None else []
        return [*lead, str(person.id)]


def order_for(sort: ParticipantSort, by_kind: bool, overdue: bool) -> Order:
    """The order for a sort; `due` follows the deadlines the list is filtered by (of the kind
    in the parameter `deadline_kind` when `by_kind`)."""
    if sort is ParticipantSort.NAME:
        return Order(sort, None, False)
    if sort is ParticipantSort.STAGE:
        return Order(sort, func.coalesce(Pathway.stage, ""), False)
    if sort is ParticipantSort.DUE:
        return Order(sort, func.coalesce(_due(by_kind, overdue), _LAST_DAY), False)
    if sort is ParticipantSort.STARTED:
        return Order(sort, func.coalesce(Pathway.started_on, _LAST_DAY), False)
    return Order(sort, func.coalesce(Pathway.started_on, _FIRST_DAY), True)


def _due(by_kind: bool, overdue: bool) -> Any:
    if not by_kind and not overdue:
        return Pathway.next_due_on
    query = select(func.min(PathwayDeadline.due_on)).where(PathwayDeadline.pathway_id == Pathway.id)
    if by_kind:
        query = query.where(PathwayDeadline.kind == bindparam("deadline_kind", type_=String))
    if overdue:
        query = query.where(PathwayDeadline.overdue.is_(True))
    return query.correlate(Pathway).scalar_subquery()


def deadline_filter(by_kind: bool, overdue: bool) -> ColumnElement[bool] | None:
    """Pathways with an open deadline of the kind in the parameter `deadline_kind` (when
    `by_kind`), and overdue if asked (None: no filter)."""
    if not by_kind and not overdue:
        return None
    conditions: list[ColumnElement[bool]] = []
    if by_kind:
        conditions.append(PathwayDeadline.kind == bindparam("deadline_kind", type_=String))
    if overdue:
        conditions.append(PathwayDeadline.overdue.is_(True))
    current = (
        select(PathwayDeadline.pathway_id)
        .where(PathwayDeadline.pathway_id == Pathway.id, *conditions)
        .correlate(Pathway)
        .exists()
    )
    # Implied by `current`, but lets the database narrow the participants before it finds
    # each one's current pathway (few have such a deadline).
    candidates = Participant.id.in_(
        select(Pathway.participant_id)
        .join(PathwayDeadline, PathwayDeadline.pathway_id == Pathway.id)
        .where(*conditions)
        .correlate_except(Pathway, PathwayDeadline)
    )
    return and_(candidates, current)


def current_pathway_join() -> ColumnElement[bool]:
    """Join condition: the participant's open pathway, else their latest one (ties by id).

    The same pathway as `db.participants.current_pathway`, found for a whole list at once (an
    anti-join) instead of once per participant: sorting 100,000 participants by a pathway's key
    is then a hash join rather than 100,000 lookups.
    """
    other = aliased(Pathway)
    both_open = and_(other.closed_at.is_(None), Pathway.closed_at.is_(None))
    both_closed = and_(other.closed_at.is_not(None), Pathway.closed_at.is_not(None))
    later = or_(
        other.created_at > Pathway.created_at,
        and_(other.created_at == Pathway.created_at, other.id > Pathway.id),
    )
    better = or_(
        and_(other.closed_at.is_(None), Pathway.closed_at.is_not(None)),
        and_(or_(both_open, both_closed), later),
    )
    beaten = exists().where(other.participant_id == Pathway.participant_id, better)
    return and_(Pathway.participant_id == Participant.id, ~beaten)
