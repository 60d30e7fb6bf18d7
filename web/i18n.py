"""Languages of the web interface: Polish by default, English on request (kept in a cookie)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from domain.calendar import WARSAW
from domain.errors import DomainError
from web.catalogue import UI
from web.domain_terms import ACTIONS, CATEGORIES, DEADLINES, OPTIONS, STAGES, error_text

LANGUAGES = ("pl", "en")
DEFAULT_LANGUAGE = "pl"
LANG_COOKIE = "pathways_lang"
FORM_LEVEL = "__form__"  # the key of errors that belong to no single field

_TYPES = {
    "missing": "validation.missing",
    "string_too_short": "validation.short",
    "string_too_long": "validation.long",
    "decimal_parsing": "validation.number",
    "decimal_type": "validation.number",
    "float_parsing": "validation.number",
    "int_parsing": "validation.integer",
    "int_from_float": "validation.integer",
    "date_parsing": "validation.date",
    "date_from_datetime_parsing": "validation.date",
    "date_type": "validation.date",
    "decimal_max_digits": "validation.places",
    "decimal_max_places": "validation.places",
    "decimal_whole_digits": "validation.places",
    "enum": "validation.choice",
    "literal_error": "validation.choice",
    "bool_parsing": "validation.choice",
}
_LIMITS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than_equal": "le"}
# The domain's own validators (domain/participants.py) say why in English; keyed by their text.
_VALUE_ERRORS = {
    "phone must be": "validation.phone",
    "email is not": "validation.email",
    "either pesel or birth_date": "validation.identity",
    "consent_sms needs": "validation.consent_sms",
    "consent_email needs": "validation.consent_email",
}


def language(request: Request) -> str:
    """The language the browser chose, Polish unless it chose English."""
    chosen = request.cookies.get(LANG_COOKIE, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


class Translator:
    """Words of one language for the templates: `t("key")`, `t.stage(code)`, `t.error(err)`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: Any) -> str:
        text = UI[self.lang].get(key) or UI[DEFAULT_LANGUAGE].get(key) or key
        return text.format(**values) if values else text

    def _term(self, terms: dict[str, dict[str, str]], code: object) -> str:
        name = str(code)
        return terms[self.lang].get(name) or terms["en"].get(name) or name.replace("_", " ")

    def stage(self, code: object) -> str:
        """A stage's name."""
        return self._term(STAGES, code)

    def action(self, code: object) -> str:
        """A step's (or timeline event's) name."""
        return self._term(ACTIONS, code)

    def deadline(self, code: object) -> str:
        """A deadline kind's name."""
        return self._term(DEADLINES, code)

    def category(self, code: object) -> str:
        """An eligibility category's name."""
        return self._term(CATEGORIES, code)

    def option(self, code: object) -> str:
        """A choice of a form field (programme, absence kind, referral target...)."""
        return self._term(OPTIONS, code)

    def role(self, code: object) -> str:
        """A role's name."""
        return self(f"role.{code}")

    def error(self, err: DomainError) -> str:
        """Why the domain said no, in this language."""
        return error_text(self.lang, err.code, err.message, err.details)

    def date(self, day: date | None) -> str:
        """A date as people here write it."""
        if day is None:
            return self("none")
        return day.strftime("%d.%m.%Y") if self.lang == "pl" else day.isoformat()

    def decimal(self, value: Decimal) -> str:
        """A decimal number as people here write it (a comma in Polish)."""
        return str(value).replace(".", ",") if self.lang == "pl" else str(value)

    def moment(self, at: datetime, with_day: bool = True) -> str:
        """A moment in Warsaw time; a naive one is UTC (SQLite keeps no offset)."""
        local = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(WARSAW)
        if not with_day:
            return local.strftime("%H:%M")
        return local.strftime("%d.%m.%Y %H:%M" if self.lang == "pl" else "%Y-%m-%d %H:%M")

    def validation(self, err: ValidationError) -> dict[str, str]:
        """Field name (or FORM_LEVEL) -> what is wrong with it, first problem per field."""
        problems: dict[str, str] = {}
        for item in err.errors():
            names = [part for part in item["loc"] if isinstance(part, str)]
            field = names[-1] if names else FORM_LEVEL
            problems.setdefault(field, self._problem(item))
            if item["type"] == "value_error" and field == FORM_LEVEL:
                problems[FORM_LEVEL] = self._problem(item)
        return problems

    def _problem(self, item: Any) -> str:
        kind = item["type"]
        if kind.endswith("_type") and item.get("input") is None:  # an empty field sent as None
            return self("validation.missing")
        if kind in _LIMITS:
            limit = item.get("ctx", {}).get(_LIMITS[kind], "")
            return self(f"validation.{_LIMITS[kind]}", limit=limit)
        if kind == "value_error":
            message = str(item.get("msg", ""))
            for start, key in _VALUE_ERRORS.items():
                if start in message:
                    return self(key)
            return message.removeprefix("Value error, ")
        return self(_TYPES.get(kind, "validation.invalid"))
