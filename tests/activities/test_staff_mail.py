"""Staff e-mails: Polish, content-neutral, participants by initials only."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from activities.staff_mail import render_digest, render_escalation, task_line, working_days_pl
from domain.participants import Category
from domain.pathway import DeadlineKind
from domain.tasks import Task

LINKS = "https://pathways.example/api/v1"
# Words that would tell a reader why someone is in the programme (Polish stems and the codes).
FORBIDDEN = (
    "bezdomn",
    "uzależni",
    "alkohol",
    "narkot",
    "psychi",
    "zaburzen",
    "więzie",
    "karn",
    "skazan",
    "niepełnospr",
    "uchodź",
    "bezrobot",
    "diagnoz",
    "zdrow",
    "chor",
    "terapi",
    "leczen",
    *(c.value for c in Category),
)


def _task(kind: DeadlineKind, late: int, escalated: bool = False) -> Task:
    return Task(
        pathway_id=uuid.uuid4(),
        participant_id=uuid.uuid4(),
        participant_name="Zdzisław Chorąży-Alkowski",
        kind=kind,
        due_on=date(2026, 11, 19),
        working_days_overdue=late,
        escalated=escalated,
        caseworker_id=uuid.uuid4(),
        caseworker="anna.kowalska",
    )


def _rendered() -> list[str]:
    kinds = enumerate(DeadlineKind)
    lines = [task_line(_task(kind, n % 7, n % 2 == 0), LINKS) for n, kind in kinds]
    mails = [render_digest(date(2026, 11, 25), lines[:3], lines[3:], LINKS)]
    mails += [render_escalation(line, "anna.kowalska", 3) for line in lines]
    mails += [render_digest(date(2026, 11, 25), [], [], LINKS)]
    return [f"{m.subject}\n{m.body}" for m in mails]


@pytest.mark.parametrize("text", _rendered())
def test_no_word_says_why_someone_is_in_the_programme(text: str) -> None:
    lowered = text.lower()
    assert [word for word in FORBIDDEN if word in lowered] == []


@pytest.mark.parametrize("text", _rendered())
def test_participants_appear_by_initials_and_pathway_only(text: str) -> None:
    # The name was chosen to contain forbidden stems: the test above also proves it is absent.
    assert "Zdzisław" not in text and "Alkowski" not in text
    if "uczestnik" in text:
        assert "uczestnik Z.C." in text and f"{LINKS}/pathways/" in text


def test_every_deadline_kind_has_a_polish_label() -> None:
    for kind in DeadlineKind:
        line = task_line(_task(kind, 1), LINKS)
        assert line.label != kind.value


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "0 dni roboczych"),
        (1, "1 dzień roboczy"),
        (2, "2 dni robocze"),
        (4, "4 dni robocze"),
        (5, "5 dni roboczych"),
        (12, "12 dni roboczych"),
        (22, "22 dni robocze"),
        (114, "114 dni roboczych"),
    ],
)
def test_working_days_in_polish_plural_forms(count: int, text: str) -> None:
    assert working_days_pl(count) == text
