"""Orders of `GET /participants` and their keyset cursors, correct under every sort.

Each order ends with the participant's name and id, so it is total; a pathway-less participant
(or one without a deadline) sorts last on the pathway key. A cursor carries its sort and the last
row's keys, and is refused under another sort.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, String, and_, exists, func, literal, or_, select, tuple_
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

    def after(self, cursor: str) -> ColumnElement[bool]:
        """Rows after the cursor's row in this order."""
        values = self._decode(cursor)
        here = tuple_(*self.columns())
        there = tuple_(*values)
        return here < there if self.descending else here > there

    def order_by(self) -> list[ColumnElement[Any]]:
        """ORDER BY clauses."""
        return [c.desc() if self.descending else c.asc() for c in self.columns()]

    def cursor(self, person: Any, key: Any) -> str:
        """The cursor that continues after this row (anything with the participant's `id`,
        `last_name` and `first_name`)."""
        lead = [key.isoformat() if isinstance(key, date) else key] if self.key is not None else []
        raw = json.dumps(
            {
                "s": self.sort.value,
                "k": [*lead, person.last_name, person.first_name, str(person.id)],
            }
        )
        return base64.urlsafe_b64encode(raw.encode()).decode()

    def _decode(self, cursor: str) -> list[Any]:
        try:
            raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
            if raw["s"] != self.sort.value:
                raise ValueError("another sort")
            keys = list(raw["k"])
            last, first, pid = keys[-3:]
            lead: list[Any] = []
            if self.key is not None:
                value = keys[0]
                if self.sort is ParticipantSort.STAGE:
                    lead = [literal(str(value), String)]
                else:
                    lead = [literal(date.fromisoformat(value), Date)]
            return [*lead, str(last), str(first), uuid.UUID(pid)]
        except (ValueError, TypeError, KeyError, IndexError) as err:
            raise InvalidInput(
                "invalid_cursor", "The cursor is not one this API gave out for this sort."
            ) from err


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
