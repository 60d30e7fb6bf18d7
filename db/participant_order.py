"""Orders of `GET /participants` and their keyset cursors, correct under every sort.

Each order ends with the participant's name and id, so it is total; a pathway-less participant
(or one without a deadline) sorts last on the pathway key. A page ends with the keys of its last
row that are not personal: the sort's leading value (a stage code or a date) and the participant's
id, whose name is looked up again for the next page. The API signs them into a cursor
(core/cursors.py), bound to the sort.
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
    exists,
    func,
    literal,
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

    def after(self, keys: list[Any]) -> ColumnElement[bool]:
        """Rows after the row these keys (from `keys`) end a page with, in this order."""
        values = self._decode(keys)
        here = tuple_(*self.columns())
        there = tuple_(*values)
        return here < there if self.descending else here > there

    def order_by(self) -> list[ColumnElement[Any]]:
        """ORDER BY clauses."""
        return [c.desc() if self.descending else c.asc() for c in self.columns()]

    def keys(self, person: Any, key: Any) -> list[Any]:
        """What continues after this row (anything with the participant's `id`): the leading
        value (never a name) and the id."""
        lead = [key.isoformat() if isinstance(key, date) else key] if self.key is not None else []
        return [*lead, str(person.id)]

    def _decode(self, keys: list[Any]) -> list[Any]:
        try:
            pid = uuid.UUID(str(keys[-1]))
            lead: list[Any] = []
            if self.key is not None:
                value = keys[0]
                if self.sort is ParticipantSort.STAGE:
                    lead = [literal(str(value), String)]
                else:
                    lead = [literal(date.fromisoformat(value), Date)]
            elif len(keys) != 1:
                raise ValueError("a name sort continues after an id alone")
        except (ValueError, TypeError, IndexError) as err:
            raise InvalidInput(
                "invalid_cursor", "The cursor is not one this API gave out for this sort."
            ) from err
        # The name of the page's last row, read again (it may have changed since, or been
        # erased: the list then goes on from where that name now sorts).
        named = aliased(Participant)
        last, first = (
            select(column).where(named.id == pid).scalar_subquery()
            for column in (named.last_name, named.first_name)
        )
        return [*lead, last, first, literal(pid, Uuid)]


def order_for(sort: ParticipantSort, deadline_kind: str | None, overdue: bool) -> Order:
    """The order for a sort; `due` follows the deadlines the list is filtered by."""
    if sort is ParticipantSort.NAME:
        return Order(sort, None, False)
    if sort is ParticipantSort.STAGE:
        return Order(sort, func.coalesce(Pathway.stage, ""), False)
    if sort is ParticipantSort.DUE:
        return Order(sort, func.coalesce(_due(deadline_kind, overdue), _LAST_DAY), False)
    if sort is ParticipantSort.STARTED:
        return Order(sort, func.coalesce(Pathway.started_on, _LAST_DAY), False)
    return Order(sort, func.coalesce(Pathway.started_on, _FIRST_DAY), True)


def _due(deadline_kind: str | None, overdue: bool) -> Any:
    if deadline_kind is None and not overdue:
        return Pathway.next_due_on
    query = select(func.min(PathwayDeadline.due_on)).where(PathwayDeadline.pathway_id == Pathway.id)
    if deadline_kind is not None:
        query = query.where(PathwayDeadline.kind == deadline_kind)
    if overdue:
        query = query.where(PathwayDeadline.overdue.is_(True))
    return query.correlate(Pathway).scalar_subquery()


def deadline_filter(deadline_kind: str | None, overdue: bool) -> ColumnElement[bool] | None:
    """Pathways with an open deadline of this kind, and overdue if asked (None: no filter)."""
    if deadline_kind is None and not overdue:
        return None
    conditions: list[ColumnElement[bool]] = []
    if deadline_kind is not None:
        conditions.append(PathwayDeadline.kind == deadline_kind)
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
