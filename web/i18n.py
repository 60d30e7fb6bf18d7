"""Languages of the web interface: Polish by default, English on request (kept in a cookie).

Every word is in the message catalogues, `web/locale/<lang>/LC_MESSAGES/messages.po` (gettext,
kept with Babel: `pybabel extract -F babel.cfg`), read once and compiled in memory. The
interface's own texts have their English as the message id (templates: `_()` of Jinja2's i18n
extension). The domain's vocabularies (stages, steps, deadline kinds, categories, options,
fields, roles) are keyed by their stable codes under a context (`pgettext("stage", code)`), in
both languages; so are the reasons of refusals (context "error", Polish only: the domain's own
message is English). Polish falls back to English, and a code nobody named yet shows itself.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from fastapi import Request
from pydantic import ValidationError

from domain.calendar import WARSAW
from domain.errors import DomainError

LANGUAGES = ("pl", "en")
DEFAULT_LANGUAGE = "pl"
LANG_COOKIE = "pathways_lang"
FORM_LEVEL = "__form__"  # the key of errors that belong to no single field
LOCALES = Path(__file__).parent / "locale"


def N_(message: str) -> str:
    """Marks a text for the catalogue (Babel extracts it); it is translated where it is shown."""
    return message


_REQUIRED = N_("This field is required.")
_INVALID = N_("Invalid value.")
_NUMBER = N_("Enter a number.")
_DATE = N_("Enter a date as YYYY-MM-DD.")
_PLACES = N_("Too many digits or decimal places.")
_CHOICE = N_("Choose one of the options.")
# Pydantic's error types -> what the person is told.
_TYPES = {
    "missing": _REQUIRED,
    "string_too_short": N_("This field may not be empty."),
    "string_too_long": N_("The text is too long."),
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "float_parsing": _NUMBER,
    "int_parsing": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_type": _DATE,
    "decimal_max_digits": _PLACES,
    "decimal_max_places": _PLACES,
    "decimal_whole_digits": _PLACES,
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "bool_parsing": _CHOICE,
}
_LIMITS = {
    "greater_than": ("gt", N_("The value must be greater than %(limit)s.")),
    "greater_than_equal": ("ge", N_("The value must be at least %(limit)s.")),
    "less_than_equal": ("le", N_("The value may not exceed %(limit)s.")),
}
# The domain's own validators (domain/participants.py) say why in English; known by their text.
_VALUE_ERRORS = {
    "phone must be": N_("Phone: 9 to 15 digits, optionally starting with +."),
    "email is not": N_("This is not a valid e-mail address."),
    "either pesel or birth_date": N_("Give a PESEL or a date of birth."),
    "consent_sms needs": N_("SMS consent needs a phone number."),
    "consent_email needs": N_("E-mail consent needs an e-mail address."),
}
# Details of a refusal that are the domain's words, named in the person's language first.
_DETAIL_TERMS = {"stage": "stage", "action": "action", "to": "option"}
# `limit_exceeded` says which limit by its details.
_LIMIT_KINDS = (("granted_months", "extension"), ("used", "days_off"), ("cap", "bonus"))
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def translations(lang: str) -> Translations:
    """A language's catalogue, compiled from its .po the first time it is needed; Polish falls
    back to English for a word it lacks."""
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    found = Translations(compiled, domain="messages")
    if lang != "en":
        found.add_fallback(translations("en"))
    return found


def language(request: Request) -> str:
    """The language the browser chose, Polish unless it chose English."""
    chosen = request.cookies.get(LANG_COOKIE, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


class Translator:
    """Words of one language for the code and the templates (which also have `_()`):
    `t.gettext(text)`, `t.term("stage", code)`, `t.error(err)`, dates and numbers."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._catalogue = translations(lang)

    def gettext(self, message: str, **values: Any) -> str:
        """The interface's text (its English is the message id), filled with `values`."""
        return str(self._catalogue.gettext(message)) % values

    def term(self, vocabulary: str, code: object) -> str:
        """A code of one of the domain's vocabularies, named; an unnamed code shows itself."""
        name = str(code)
        text = self._in(vocabulary, name)
        return name.replace("_", " ") if text == name else text

    def _in(self, context: str, message: str) -> str:
        return str(self._catalogue.pgettext(context, message))

    def stage(self, code: object) -> str:
        """A stage's name."""
        return self.term("stage", code)

    def action(self, code: object) -> str:
        """A step's (or timeline event's) name."""
        return self.term("action", code)

    def deadline(self, code: object) -> str:
        """A deadline kind's name."""
        return self.term("deadline", code)

    def category(self, code: object) -> str:
        """An eligibility category's name."""
        return self.term("category", code)

    def option(self, code: object) -> str:
        """A choice of a form field (programme, absence kind, referral target...)."""
        return self.term("option", code)

    def role(self, code: object) -> str:
        """A role's name."""
        return self.term("role", code)

    def error(self, err: DomainError) -> str:
        """Why the domain said no, in this language; the domain's own (English) message when
        the catalogue has no words for the reason yet."""
        if err.code == "invalid_pesel":
            return self._in("PESEL", err.message)
        key = err.code
        if key == "limit_exceeded":
            key = next((f"{key}:{k}" for d, k in _LIMIT_KINDS if d in err.details), key)
        template = self._in("error", key)
        if template == key:
            return err.message
        words = {name: self._detail(name, value) for name, value in err.details.items()}
        try:
            return template % words
        except (KeyError, ValueError, TypeError):
            return err.message

    def _detail(self, name: str, value: Any) -> Any:
        if name in _DETAIL_TERMS:
            return self.term(_DETAIL_TERMS[name], value)
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            return self.date(date.fromisoformat(value))
        return value

    def date(self, day: date | None) -> str:
        """A date as people here write it."""
        if day is None:
            return "—"
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
            return self.gettext(_REQUIRED)
        if kind in _LIMITS:
            bound, message = _LIMITS[kind]
            return self.gettext(message, limit=item.get("ctx", {}).get(bound, ""))
        if kind == "value_error":
            said = str(item.get("msg", ""))
            for start, message in _VALUE_ERRORS.items():
                if start in said:
                    return self.gettext(message)
            return said.removeprefix("Value error, ")
        return self.gettext(_TYPES.get(kind, _INVALID))
