"""Pages from Jinja2 templates, in the browser's language, with a strict content policy."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from core.settings import Settings
from domain.pathway_documents import MADE_BY
from domain.roles import Role
from services.context import Caller
from web.i18n import Translator, language, translations
from web.login import session_csrf

_TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment(lang: str) -> Environment:
    """The templates in one language: Jinja2's i18n extension with that language's catalogue
    (`_()`, `pgettext()` in the templates)."""
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    # The steps that make a document (issue 15): the timeline links to it.
    env.globals["document_steps"] = frozenset(MADE_BY)
    return env


# Scripts and styles come from /web/static only: no inline script, no inline style, no eval.
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def page(
    request: Request,
    template: str,
    caller: Caller | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a template (a whole page, or a fragment for HTMX) for this caller."""
    settings: Settings = request.app.state.settings
    lang = language(request)
    html = (
        _environment(lang)
        .get_template(template)
        .render(
            t=Translator(lang),
            lang=lang,
            caller=caller,
            is_supervisor=caller is not None and caller.role is Role.SUPERVISOR,
            csrf=session_csrf(request, settings),
            path=request.url.path,
            query=request.url.query,
            **context,
        )
    )
    return HTMLResponse(
        html,
        status,
        headers={"content-security-policy": _CSP, "content-language": lang, "vary": "Cookie"},
    )


def is_htmx(request: Request) -> bool:
    """Whether HTMX asked (it then wants a fragment, not a whole page)."""
    return request.headers.get("hx-request") == "true"
