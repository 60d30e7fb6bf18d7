"""Changes to what a running workflow does, asked without a marker where the start says.

`workflow.patched(name)` writes a marker into a new run's history, and Temporal upserts the
`TemporalChangeVersion` search attribute with it: for every patch, on every new pathway, two
events and a visibility write, though a new pathway always takes the new code. So the starter
names the changes a new pathway is born with (`PathwayInput.born_with`, every name in
`NEW_PATHWAYS`), and the workflow asks Temporal only for the others: runs started before keep
their markers and replay as they ran; a run born with a change never calls `patched` for it, on
its first execution or on any replay.
"""

from __future__ import annotations

from collections.abc import Iterable

from temporalio import workflow

# Every change this code takes, by its `workflow.patched` name: a pathway started now (or
# continued as new) is born with all of them.
NEW_PATHWAYS = (
    "deadlines-run-to-end-of-day",
    "law-right-to-the-day",
    "reminders",
    "search-attributes",
    "step-answers-view",
    "holidays-of-every-year",
    "holder-changes",
    "referral-decisions",
    "cancellation-notices",
    "day-corrections",
    "kis-psu-corrections",
    "one-alarm-per-wake",
)


class Patches:
    """Whether this run has a change: born with it, or as Temporal's marker says."""

    def __init__(self, born_with: Iterable[str]) -> None:
        self._born_with = frozenset(born_with)

    def __call__(self, name: str) -> bool:
        """`workflow.patched(name)`, without a marker for a change the run was born with."""
        return name in self._born_with or workflow.patched(name)
