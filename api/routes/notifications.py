"""Participants' reminders over HTTP: messages and how they went, consent, a unit's phone, the
gateway's STOP replies and the unsubscribe link."""

from __future__ import annotations

import hmac
import json
import uuid
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import Admin, Casework, ServicesDep
from api.errors import ErrorBody
from domain.errors import Gone, InvalidInput, Unauthenticated
from domain.notifications import (
    FailedNotificationList,
    InboundAnswer,
    InboundSms,
    NotificationList,
    PreferencesIn,
    UnitContactIn,
    UnitContactOut,
    UnsubscribeAnswer,
)
from services import accounts, reminders

router = APIRouter(tags=["reminders"])


@router.get("/participants/{participant_id}/notifications")
async def participant_notifications(
    participant_id: uuid.UUID, services: ServicesDep, caller: Casework
) -> NotificationList:
    """Every message to the participant and how it went (sent, suppressed or dropped, and why)."""
    return await reminders.messages_of(services, caller, participant_id)


@router.get("/notifications/failed")
async def failed_notifications(
    services: ServicesDep,
    caller: Casework,
    days: Annotated[int, Query(ge=1, le=90)] = 7,
) -> FailedNotificationList:
    """Reminders of the unit (or of the caller's caseload) that failed or may not have arrived in
    the last `days` days: someone should ring the participant instead."""
    return await reminders.failed_messages(services, caller, days)


@router.put("/participants/{participant_id}/notification-preferences")
async def set_preferences(
    participant_id: uuid.UUID, body: PreferencesIn, services: ServicesDep, caller: Casework
) -> NotificationList:
    """Record the participant's language and consent per channel (given or withdrawn)."""
    return await reminders.set_preferences(services, caller, participant_id, body)


@router.put("/units/{code}/contact")
async def set_unit_contact(
    code: str, body: UnitContactIn, services: ServicesDep, caller: Admin
) -> UnitContactOut:
    """The phone number every reminder of the unit gives (its name is the unit's name)."""
    return await accounts.set_unit_contact(services, caller, code, body)


@router.post("/notifications/sms-inbound")
async def sms_inbound(
    request: Request,
    services: ServicesDep,
    x_gateway_secret: Annotated[str | None, Header()] = None,
) -> InboundAnswer:
    """The SMS gateway's webhook for replies: `STOP` withdraws SMS consent for that number.

    Authenticated by the shared secret `PATHWAYS_SMS_INBOUND_SECRET`, in the header
    `X-Gateway-Secret` only: a secret in the query string (which proxies and servers log) is
    refused. Takes SMSAPI's form fields (`sms_from`, `sms_text`) or JSON `{"from", "text"}`.
    """
    if "secret" in request.query_params:
        raise Unauthenticated(
            "gateway_secret_in_query",
            "Send the gateway's secret in the X-Gateway-Secret header, never in the address.",
        )
    given = x_gateway_secret or ""
    expected = services.settings.sms_inbound_secret
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthenticated("gateway_not_authenticated", "The gateway's secret is missing.")
    sender, text = _reply(await request.body(), request.headers.get("content-type", ""))
    return InboundAnswer(withdrawn=await reminders.stop_replied(services, sender, text))


_EXPIRED_LINK: dict[int | str, dict[str, Any]] = {
    410: {"model": ErrorBody, "description": "The link has expired"}
}


@router.get(
    "/notifications/unsubscribe/{token}", response_class=HTMLResponse, responses=_EXPIRED_LINK
)
async def unsubscribe_page(token: str, services: ServicesDep) -> HTMLResponse:
    """The page an e-mail's link opens: one button; nothing changes until it is pressed.

    An expired link says so, and offers nothing."""
    try:
        reminders.opened_link(services, token)
    except Gone:
        return HTMLResponse(_PAGE.format(body=_EXPIRED), 410)
    return HTMLResponse(_PAGE.format(body=_FORM))


@router.post(
    "/notifications/unsubscribe/{token}",
    response_model=UnsubscribeAnswer,
    responses=_EXPIRED_LINK,
)
async def unsubscribe(
    token: str, request: Request, services: ServicesDep
) -> UnsubscribeAnswer | HTMLResponse:
    """Withdraw consent to e-mail, no login needed (also RFC 8058 one-click from mail clients).

    A browser (the page's button) gets a page; anything else gets JSON. An expired link is 410.
    """
    answer = await reminders.unsubscribe(services, token)
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(_PAGE.format(body=_DONE))
    return answer


def _reply(body: bytes, content_type: str) -> tuple[str, str]:
    if content_type.startswith("application/json"):
        try:
            reply = InboundSms.model_validate(json.loads(body or b"{}"))
        except ValueError:
            raise InvalidInput("invalid_input", 'Expected {"from", "text"}.') from None
        return reply.from_, reply.text
    form = {k: v[0] for k, v in parse_qs(body.decode(errors="replace")).items()}
    return form.get("sms_from", ""), form.get("sms_text", "")


_FORM = (
    '<form method="post"><p>Czy chcesz przestać otrzymywać wiadomości e-mail?<br>'
    "Do you want to stop receiving e-mails?</p>"
    '<button type="submit">Tak, wypisz mnie / Yes, unsubscribe me</button></form>'
)
_DONE = "<p>Nie będziesz już otrzymywać wiadomości e-mail. / You will get no more e-mails.</p>"
_EXPIRED = (
    "<p>Ten link wygasł. Aby zrezygnować z wiadomości, powiedz o tym w swoim centrum (jego "
    "numer telefonu jest w każdej wiadomości).<br>This link has expired. To stop the messages, "
    "tell your centre (its phone number is in every message).</p>"
)
_PAGE = (
    '<!doctype html><html lang="pl"><head><meta charset="utf-8">'
    "<title>Rezygnacja z wiadomości</title></head><body><main><h1>Rezygnacja z wiadomości</h1>"
    "{body}</main></body></html>"
)
