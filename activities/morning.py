"""The morning run's catch-up (issue 16): what its activities take and answer.

The activities themselves are the worker's (worker/morning.py): they call the use cases of
services/ (telling workflows, moving the class reminders' window), which this layer may not.
The digest workflow schedules them by these names.
"""

from __future__ import annotations

from pydantic import BaseModel

TELL_UNTOLD = "tell_untold"
FOLLOW_TIMETABLES = "follow_timetables"


class Untold(BaseModel):
    """What is still untold after the run told it again."""

    handover_cases: int = 0
    referral_decisions: int = 0


class TimetablesFollowed(BaseModel):
    """The class reminders' window moved on a day: appointments set and cancelled, refusals,
    and those that could not be sent (Temporal away)."""

    scheduled: int = 0
    cancelled: int = 0
    refused: int = 0
    unsent: int = 0
