"""The web's message catalogues: every text the pages use has its Polish, and every code of the
domain's vocabularies has a name in Polish and in English."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from domain.actions import (
    AbsenceKind,
    AttendanceKind,
    ContractType,
    ReferralTarget,
    TerminationGround,
)
from domain.appointments import AppointmentKind
from domain.eligibility import Exclusion
from domain.participants import Category, ParticipantSort
from domain.pathway import DeadlineKind, OutcomeStatus
from domain.roles import Role
from domain.stages import STEPS, Programme, Stage
from web.action_forms import COMMON, INPUTS
from web.i18n import LOCALES

WEB = Path(__file__).resolve().parents[2] / "web"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}

# A vocabulary (the catalogue's context) -> the codes the pages name with it.
VOCABULARIES: dict[str, set[str]] = {
    "stage": {str(s) for s in Stage},
    "action": set(STEPS),
    "deadline": {str(k) for k in DeadlineKind},
    "category": {str(c) for c in Category},
    "exclusion": {str(e) for e in Exclusion},
    "option": {
        str(o)
        for kind in (
            Programme,
            AttendanceKind,
            AbsenceKind,
            TerminationGround,
            ReferralTarget,
            OutcomeStatus,
            ContractType,
        )
        for o in kind
    },
    "appointment kind": {str(k) for k in AppointmentKind},
    "role": {str(r) for r in Role},
    "sort": {str(s) for s in ParticipantSort},
    "field": {i.name for inputs in (*INPUTS.values(), COMMON) for i in inputs},
}


def catalogue(lang: str) -> Catalog:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=lang)


def translated(found: Catalog, message: str, context: str | None) -> bool:
    entry = found.get(message, context=context)
    return entry is not None and bool(entry.string)


def test_every_text_of_the_pages_is_in_the_polish_catalogue() -> None:
    used = set()
    for _, _, message, _, context in extract_from_dir(WEB, METHODS, OPTIONS):
        used.add((context, message if isinstance(message, str) else message[0]))
    assert len(used) > 100  # the extraction found the pages' texts
    polish = catalogue("pl")
    assert sorted(m for m in used if not translated(polish, m[1], m[0])) == []


def test_every_code_of_the_vocabularies_is_named_in_both_languages() -> None:
    for lang in ("pl", "en"):
        found = catalogue(lang)
        missing = [
            (vocabulary, code)
            for vocabulary, codes in VOCABULARIES.items()
            for code in sorted(codes)
            if not translated(found, code, vocabulary)
        ]
        assert missing == [], lang
