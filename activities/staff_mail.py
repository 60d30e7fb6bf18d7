"""The text of staff e-mails (daily digest, escalation), in Polish, from `staff_templates/`.

Participants appear by initials and pathway id only, never by full name. A staff e-mail leaves
the product: it crosses mail relays and stays in inboxes and backups for years, outside the
audit log and outside erasure. Beside a deadline kind ("koniec okresu próbnego" says the person
is in a CIS) a full name would tell any reader who is in the programme. Initials and the id let the
caseworker recognise the case and open it after logging in, which is where the name belongs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from domain.calendar import WARSAW
from domain.pathway import DeadlineKind
from domain.tasks import KIND_LABELS_PL, Task, initials

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "staff_templates"),
    autoescape=False,  # plain text e-mail
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=False,
)


@dataclass(frozen=True)
class StaffMail:
    """A rendered staff e-mail."""

    subject: str
    body: str


@dataclass(frozen=True)
class AdminActNotice:
    """An administrator's act in a unit, as its supervisors' e-mail tells it."""

    entry_id: int
    actor: str
    actor_unit: str
    unit: str
    action_code: str
    action: str
    at: datetime
    details: tuple[str, ...]  # what the entry names: fields, a year, the account made


@dataclass(frozen=True)
class TaskLine:
    """One task as a staff e-mail shows it."""

    label: str
    due_on: str
    lateness: str
    escalated: bool
    initials: str
    pathway_id: uuid.UUID
    link: str


def working_days_pl(count: int) -> str:
    """ "1 dzień roboczy", "3 dni robocze", "5 dni roboczych" (Polish plural forms)."""
    if count == 1:
        return "1 dzień roboczy"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} dni robocze"
    return f"{count} dni roboczych"


def _day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def task_line(task: Task, links: str) -> TaskLine:
    """A task for a staff e-mail: its label, dates and the participant's initials only."""
    return TaskLine(
        label=KIND_LABELS_PL.get(DeadlineKind(task.kind), task.kind),
        due_on=_day(task.due_on),
        lateness=working_days_pl(task.working_days_overdue),
        escalated=task.escalated,
        initials=initials(task.participant_name),
        pathway_id=task.pathway_id,
        link=f"{links}/pathways/{task.pathway_id}",
    )


def render_digest(
    day: date, today: list[TaskLine], overdue: list[TaskLine], links: str
) -> StaffMail:
    """A caseworker's morning digest."""
    subject = f"Zadania na {_day(day)}: na dziś {len(today)}, po terminie {len(overdue)}"
    body = _TEMPLATES.get_template("digest.pl.txt").render(
        day=_day(day), today=today, overdue=overdue, tasks_link=f"{links}/tasks?due=overdue"
    )
    return StaffMail(subject=subject, body=body)


def render_escalation(task: TaskLine, caseworker: str, threshold: int) -> StaffMail:
    """A late task handed to the unit's supervisors."""
    subject = f"Zadanie po terminie ({task.lateness}): {task.label}"
    body = _TEMPLATES.get_template("escalation.pl.txt").render(
        task=task, caseworker=caseworker, threshold=working_days_pl(threshold)
    )
    return StaffMail(subject=subject, body=body)


def render_admin_act(notice: AdminActNotice, links: str) -> StaffMail:
    """An administrator's act in the unit, for its supervisors."""
    subject = f"Działanie administratora w jednostce {notice.unit}: {notice.action}"
    body = _TEMPLATES.get_template("admin_act.pl.txt").render(
        actor=notice.actor,
        actor_unit=notice.actor_unit,
        unit=notice.unit,
        action=notice.action,
        at=notice.at.astimezone(WARSAW).strftime("%d.%m.%Y %H:%M"),
        details=", ".join(notice.details),
        entry_id=notice.entry_id,
        link=f"{links}/audit?action={notice.action_code}",
    )
    return StaffMail(subject=subject, body=body)


def render_referral_declined(
    to_unit: str, referred_on: date, decided_on: date, links: str
) -> StaffMail:
    """A referral the receiving unit declined, for the sending unit's staff: no name, no
    categories, no reason (the outgoing list shows them after logging in)."""
    subject = f"Skierowanie odrzucone przez jednostkę {to_unit}"
    body = _TEMPLATES.get_template("referral_declined.pl.txt").render(
        to_unit=to_unit,
        referred_on=referred_on.strftime("%d.%m.%Y"),
        decided_on=decided_on.strftime("%d.%m.%Y"),
        link=f"{links}/referrals",
    )
    return StaffMail(subject=subject, body=body)
