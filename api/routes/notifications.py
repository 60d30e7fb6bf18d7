"""Participants' reminders over HTTP: sessions, delivery status, consent, STOP and unsubscribe."""

from __future__ import annotations

import hmac
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, overload
from urllib.parse import parse_qs

from fastapi import APIRouter, Header, Query, Request, status
from fastapi.responses import HTMLResponse

from api import session_gateway
from api.audit import AuditDep
from api.deps import Admin, Casework, OwnPathway, SessionDep, SettingsDep, TemporalDep
from api.errors import ErrorBody
from api.notifications_schemas import (
    FailedNotificationList,
    FailedNotificationOut,
    InboundAnswer,
    InboundSms,
    NotificationList,
    NotificationOut,
    PreferencesIn,
    SessionIn,
    SessionOut,
    UnitContactIn,
    UnitContactOut,
    UnsubscribeAnswer,
)
from core.settings import Settings
from core.signed_links import open_unsubscribe_token
from db import notifications as outbox
from db import queries
from db.models import Notification, Session
from domain.calendar import local_date
from domain.errors import Gone, InvalidInput, NotFound, Unauthenticated
from domain.sessions import PathwaySession, SessionKind, SessionRequest

router = APIRouter(tags=["reminders"])

# A reply whose first word is one of these withdraws SMS consent (Polish and English).
STOP_WORDS = frozenset({"STOP", "NIE", "REZYGNUJE", "REZYGNUJĘ", "REZYGNACJA", "UNSUBSCRIBE"})
_SESSION_IDS = uuid.UUID("5b0f7e6e-8f43-4c36-9a1e-3f1f0c7a4a11")


@router.get("/participants/{participant_id}/notifications")
async def participant_notifications(
    participant_id: uuid.UUID, caller: Casework, session: SessionDep, audit: AuditDep
) -> NotificationList:
    """Every message to the participant and how it went (sent, suppressed or dropped, and why)."""
    person = await queries.participant_in_unit(
        session, caller.unit_id, participant_id, caller.caseload_of
    )
    rows = await outbox.notifications_of(session, participant_id)
    await audit.record("participant.notifications", ["notifications"], participant_id)
    return NotificationList(
        consent_sms=person.consent_sms,
        consent_email=person.consent_email,
        language="en" if person.language == "en" else "pl",
        items=[_notification(row) for row in rows],
    )


@router.get("/notifications/failed")
async def failed_notifications(
    caller: Casework,
    session: SessionDep,
    days: Annotated[int, Query(ge=1, le=90)] = 7,
) -> FailedNotificationList:
    """Reminders of the unit (or of the caller's caseload) that failed or may not have arrived in
    the last `days` days: someone should ring the participant instead."""
    since = datetime.now(UTC) - timedelta(days=days)
    rows = await outbox.failed_in_unit(session, caller.unit_id, since, caller.caseload_of)
    return FailedNotificationList(
        since=since,
        items=[
            FailedNotificationOut(
                **_notification(row).model_dump(),
                participant_id=str(person.id),
                pathway_id=str(row.pathway_id),
                participant_name=f"{person.first_name} {person.last_name}",
            )
            for row, person in rows
        ],
    )


@router.put("/participants/{participant_id}/notification-preferences")
async def set_preferences(
    participant_id: uuid.UUID,
    body: PreferencesIn,
    caller: Casework,
    session: SessionDep,
    audit: AuditDep,
) -> NotificationList:
    """Record the participant's language and consent per channel (given or withdrawn)."""
    await queries.participant_in_unit(session, caller.unit_id, participant_id, caller.caseload_of)
    values = body.model_dump(exclude_none=True)
    await outbox.set_preferences(session, participant_id, values)
    await audit.record("participant.preferences", sorted(values), participant_id)
    await session.flush()
    session.expire_all()
    return await participant_notifications(participant_id, caller, session, audit)


@router.post("/pathways/{pathway_id}/sessions", status_code=status.HTTP_201_CREATED)
async def schedule_session(
    pathway_id: OwnPathway,
    body: SessionIn,
    caller: Casework,
    client: TemporalDep,
    audit: AuditDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> SessionOut:
    """Schedule a workshop, an individual meeting or a review; reminders follow (the evening
    before at 18:00, and by SMS two hours before). The same Idempotency-Key makes one session."""
    session_id = (
        uuid.uuid5(_SESSION_IDS, f"{caller.id}:{pathway_id}:{idempotency_key}")
        if idempotency_key
        else uuid.uuid4()
    )
    request = SessionRequest(
        op="schedule",
        session_id=str(session_id),
        starts_at=body.starts_at,
        kind=body.kind,
        place=body.place,
    )
    scheduled = await session_gateway.change(client, pathway_id, request)
    await audit.record("pathway.session", ["sessions"], pathway_id=pathway_id)
    return _session(pathway_id, scheduled)


@router.post("/pathways/{pathway_id}/sessions/{session_id}/cancel")
async def cancel_session(
    pathway_id: OwnPathway,
    session_id: uuid.UUID,
    caller: Casework,
    client: TemporalDep,
    audit: AuditDep,
) -> SessionOut:
    """Cancel a session: its reminders not yet sent are not sent."""
    request = SessionRequest(op="cancel", session_id=str(session_id))
    cancelled = await session_gateway.change(client, pathway_id, request)
    await audit.record("pathway.session", ["sessions"], pathway_id=pathway_id)
    return _session(pathway_id, cancelled)


@router.get("/pathways/{pathway_id}/sessions")
async def pathway_sessions(
    pathway_id: OwnPathway, caller: Casework, session: SessionDep
) -> list[SessionOut]:
    """The pathway's sessions from the read model (a moment behind the workflow)."""
    return [_listed(row) for row in await outbox.sessions_of_pathway(session, pathway_id)]


@router.put("/units/{code}/contact")
async def set_unit_contact(
    code: str, body: UnitContactIn, session: SessionDep, _: Admin, audit: AuditDep
) -> UnitContactOut:
    """The phone number every reminder of the unit gives (its name is the unit's name)."""
    unit = await queries.unit_by_code(session, code)
    if unit is None:
        raise NotFound("unit_not_found", "No such unit.")
    unit.phone = body.phone
    await audit.record("unit.contact", ["phone"], unit_id=unit.id)
    return UnitContactOut(unit_code=unit.code, name=unit.name, phone=unit.phone)


@router.post("/notifications/sms-inbound")
async def sms_inbound(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
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
    expected = settings.sms_inbound_secret
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthenticated("gateway_not_authenticated", "The gateway's secret is missing.")
    sender, text = _reply(await request.body(), request.headers.get("content-type", ""))
    words = text.strip().upper().split()
    if not words or words[0].strip(".!") not in STOP_WORDS:
        return InboundAnswer(withdrawn=0)
    return InboundAnswer(withdrawn=await outbox.withdraw_sms_consent_by_phone(session, sender))


_EXPIRED_LINK: dict[int | str, dict[str, Any]] = {
    410: {"model": ErrorBody, "description": "The link has expired"}
}


@router.get(
    "/notifications/unsubscribe/{token}", response_class=HTMLResponse, responses=_EXPIRED_LINK
)
async def unsubscribe_page(token: str, settings: SettingsDep) -> HTMLResponse:
    """The page an e-mail's link opens: one button; nothing changes until it is pressed.

    An expired link says so, and offers nothing."""
    try:
        _opened(settings, token)
    except Gone:
        return HTMLResponse(_PAGE.format(body=_EXPIRED), 410)
    return HTMLResponse(_PAGE.format(body=_FORM))


@router.post(
    "/notifications/unsubscribe/{token}",
    response_model=UnsubscribeAnswer,
    responses=_EXPIRED_LINK,
)
async def unsubscribe(
    token: str, request: Request, session: SessionDep, settings: SettingsDep
) -> UnsubscribeAnswer | HTMLResponse:
    """Withdraw consent to e-mail, no login needed (also RFC 8058 one-click from mail clients).

    A browser (the page's button) gets a page; anything else gets JSON. An expired link is 410.
    """
    participant_id, channel = _opened(settings, token)
    await outbox.set_consent(session, participant_id, channel, False)
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(_PAGE.format(body=_DONE))
    return UnsubscribeAnswer(
        channel="sms" if channel == "sms" else "email", withdrawn=True, on=date.today()
    )


def _opened(settings: Settings, token: str) -> tuple[uuid.UUID, str]:
    opened = open_unsubscribe_token(settings.secret_key, token)
    if opened is None:
        raise NotFound("link_not_found", "This link is not valid.")
    if opened.expired(local_date(datetime.now(UTC)), settings.unsubscribe_link_days):
        raise Gone(
            "link_expired",
            "This link has expired. To stop the messages, tell your centre (its phone number "
            "is in every message).",
        )
    return opened.participant_id, opened.channel


def _reply(body: bytes, content_type: str) -> tuple[list[str], str]:
    if content_type.startswith("application/json"):
        try:
            reply = InboundSms.model_validate(json.loads(body or b"{}"))
        except ValueError:
            raise InvalidInput("invalid_input", 'Expected {"from", "text"}.') from None
        sender, text = reply.from_, reply.text
    else:
        form = {k: v[0] for k, v in parse_qs(body.decode(errors="replace")).items()}
        sender, text = form.get("sms_from", ""), form.get("sms_text", "")
    return _phone_variants(sender), text


def _phone_variants(raw: str) -> list[str]:
    """The ways a number may have been typed at registration (+48 600..., 48600..., 600...)."""
    digits = "".join(c for c in raw if c.isdigit())
    if len(digits) < 9:
        return []
    local = digits[-9:]
    return sorted({raw, digits, "+" + digits, local, "48" + local, "+48" + local})


@overload
def _utc(moment: datetime) -> datetime: ...
@overload
def _utc(moment: None) -> None: ...
def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC; the answer always says UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _notification(row: Notification) -> NotificationOut:
    return NotificationOut(
        id=str(row.id),
        kind=row.kind,
        reminder=row.reminder,
        due_at=_utc(row.due_at),
        scheduled_for=_utc(row.scheduled_for),
        channel="sms" if row.channel == "sms" else "email" if row.channel == "email" else None,
        status=row.status,
        reason=row.reason,
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=_utc(row.sent_at),
    )


def _session(pathway_id: uuid.UUID, item: PathwaySession) -> SessionOut:
    return SessionOut(
        id=item.id,
        pathway_id=str(pathway_id),
        starts_at=item.starts_at,
        kind=item.kind,
        place=item.place,
        cancelled=item.cancelled,
    )


def _listed(row: Session) -> SessionOut:
    return SessionOut(
        id=str(row.id),
        pathway_id=str(row.pathway_id),
        starts_at=_utc(row.starts_at),
        kind=SessionKind(row.kind),
        place=row.place,
        cancelled=row.cancelled_at is not None,
    )


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
