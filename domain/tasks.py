"""Caseworker tasks: every open deadline of a pathway is a task; late ones escalate.

A task is due on its deadline's day and overdue from the next day until someone acts (the
deadline leaves the read model then). Lateness is counted in working days (domain/working_days.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Set
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.pathway import DeadlineKind
from domain.working_days import add_working_days, working_days_after


class TaskDue(StrEnum):
    """Which tasks a list shows."""

    TODAY = "today"
    OVERDUE = "overdue"


class TaskPolicy(BaseModel):
    """A unit's rules for late tasks (the `task_policies` table; these are the defaults)."""

    model_config = ConfigDict(frozen=True)

    # domain.md §9.7: "escalate if missing after 3 working days".
    escalate_after_working_days: int = Field(default=3, ge=1, le=60)


DEFAULT_TASK_POLICY = TaskPolicy()


class Task(BaseModel):
    """A task as a caseworker or supervisor sees it (names are for staff eyes only)."""

    pathway_id: uuid.UUID
    participant_id: uuid.UUID
    participant_name: str
    kind: DeadlineKind
    due_on: date
    working_days_overdue: int
    escalated: bool
    caseworker_id: uuid.UUID
    caseworker: str


def is_escalation_due(
    due_on: date, today: date, policy: TaskPolicy, holidays: Set[date]
) -> bool:
    """Whether a task due on `due_on` and still open on `today` goes to the supervisors."""
    return working_days_after(due_on, today, holidays) >= policy.escalate_after_working_days


def escalation_day(due_on: date, policy: TaskPolicy, holidays: Set[date]) -> date:
    """The first day on which a task left open escalates."""
    return add_working_days(due_on, policy.escalate_after_working_days, holidays)


def initials(name: str) -> str:
    """Initials of a name's first and last word ("J.K."): enough to recognise, little to leak."""
    words = name.split()
    if not words:
        return "?"  # an erased participant has no name left
    return "".join(f"{word[0].upper()}." for word in (words[0], words[-1])[: len(words)])


# How staff e-mails name a deadline. Deadline kinds say what is due, never why someone is in the
# programme, so they may appear in staff mail.
KIND_LABELS_PL: dict[DeadlineKind, str] = {
    DeadlineKind.CONTRACT_REVIEW: "przegląd kontraktu socjalnego",
    DeadlineKind.KIS_SIX_MONTHS: "sześć miesięcy w KIS",
    DeadlineKind.TRIAL_END: "koniec okresu próbnego",
    DeadlineKind.PARTICIPATION_END: "koniec uczestnictwa",
    DeadlineKind.EXTENSION_DECISION: "decyzja o przedłużeniu uczestnictwa",
    DeadlineKind.ABANDONMENT_REVIEW: "przegląd nieobecności",
    DeadlineKind.FOLLOW_UP_END: "koniec okresu po podjęciu pracy",
    DeadlineKind.COMPLAINT_WINDOW: "termin na skargę",
    DeadlineKind.COMMITMENT_END: "koniec zobowiązania pracodawcy",
    DeadlineKind.OUTCOME_WINDOW: "ocena efektu po 90 dniach",
    DeadlineKind.HEAD_DECISION: "decyzja kierownika do podjęcia",
    DeadlineKind.ELIGIBILITY_REVIEW: "weryfikacja uprawnień uczestnika",
    DeadlineKind.EVIDENCE_END: "koniec przyjmowania informacji o pracy",
}


class TaskList(BaseModel):
    """The tasks due on a day, or overdue on it."""

    today: date
    due: TaskDue
    items: list[Task]
    next_cursor: str | None = None


class TaskPolicyUpdate(TaskPolicy):
    """A unit's new rule for late tasks."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class TaskPolicyOut(TaskPolicy):
    """A unit's rule for late tasks, with its unit."""

    unit_code: str
