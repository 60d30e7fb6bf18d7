"""The morning run's catch-up activities (issue 16), beside the digests: tell the workflows of
hand-overs and the senders of referral decisions that were not told (the API died after its
commit, Temporal was away), and move the class reminders' window on a day (before: only
`pathways timetable remind` by hand). Each is safe to repeat: a workflow records a hand-over or
a decision once per key, an appointment's id comes from its class, day and person.
"""

from __future__ import annotations

from temporalio import activity

from activities.digest import DigestDay
from activities.morning import FOLLOW_TIMETABLES, TELL_UNTOLD, TimetablesFollowed, Untold
from services import class_reminders, handovers, referrals
from services.context import Services


class MorningActivities:
    """The use cases the morning run calls, with the worker's own services."""

    def __init__(self, services: Services) -> None:
        self._services = services

    @activity.defn(name=TELL_UNTOLD)
    async def tell_untold(self, request: DigestDay) -> Untold:
        """Hand-overs and referral decisions not yet told, told again; what is left untold."""
        return Untold(
            handover_cases=await handovers.tell_untold(self._services),
            referral_decisions=await referrals.tell_untold(self._services),
        )

    @activity.defn(name=FOLLOW_TIMETABLES)
    async def follow_timetables(self, request: DigestDay) -> TimetablesFollowed:
        """Every unit's class days of the next days as its participants' appointments."""
        done = await class_reminders.follow_all(self._services)
        return TimetablesFollowed.model_validate(done.model_dump())
