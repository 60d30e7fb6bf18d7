"""A unit's caseload policy where a request reaches participants by other roads than their own
record: payloads opened for the Temporal UI, a cooperative's members.

In a unit with `caseload_only`, a caseworker sees only the participants they registered or hold
a pathway of; everything else is as if absent (sealed, unnamed, 404).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db import participants
from domain.cooperative import CooperativeView
from domain.errors import NotFound


class Reach:
    """Whether the caller may see a participant: their unit's, and their caseload's when the unit
    limits caseworkers to it (asked once per participant)."""

    def __init__(
        self, session: AsyncSession, unit_id: uuid.UUID, caseload_of: uuid.UUID | None
    ) -> None:
        self._session, self._unit_id, self._caseload_of = session, unit_id, caseload_of
        self._known: dict[uuid.UUID, bool] = {}

    async def __call__(self, participant_id: uuid.UUID, unit_id: uuid.UUID) -> bool:
        """Whether this participant (of that unit) is within the caller's reach."""
        if unit_id != self._unit_id:
            return False
        if self._caseload_of is None:
            return True
        if participant_id not in self._known:
            mine = await participants.within_caseload(
                self._session, [participant_id], self._caseload_of
            )
            self._known[participant_id] = participant_id in mine
        return self._known[participant_id]


async def members_in_reach(
    session: AsyncSession, view: CooperativeView, caseload_of: uuid.UUID | None
) -> CooperativeView:
    """The cooperative as the caller may see it: a member who is a participant outside the
    caller's caseload keeps their place (the counts stay true) but not their ids."""
    if caseload_of is None:
        return view
    ids = {uuid.UUID(m.participant_id) for m in view.members if m.participant_id}
    mine = {str(p) for p in await participants.within_caseload(session, ids, caseload_of)}
    members = [
        m
        if m.participant_id is None or m.participant_id in mine
        else m.model_copy(update={"participant_id": None, "pathway_id": None})
        for m in view.members
    ]
    return view.model_copy(update={"members": members})


async def check_member(
    session: AsyncSession,
    view: CooperativeView,
    member_id: uuid.UUID,
    caseload_of: uuid.UUID | None,
) -> None:
    """A caseworker limited to a caseload changes (removes, employs) only outside members and
    their own participants; any other member is 404 to them."""
    if caseload_of is None:
        return
    member = next((m for m in view.members if m.member_id == str(member_id)), None)
    if member is None or member.participant_id is None:
        return  # the workflow answers for unknown members
    participant = uuid.UUID(member.participant_id)
    if participant not in await participants.within_caseload(session, [participant], caseload_of):
        raise NotFound("member_not_found", "No such member.")
