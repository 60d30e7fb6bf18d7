"""The morning reminder to a unit's supervisors that a place is free while people wait
(issue 16): one e-mail per unit, programme and day, claimed by its key like every staff e-mail."""

from __future__ import annotations

from datetime import date

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.staff_mail import StaffMail
from activities.staff_sending import SendStatus, StaffMailer
from db import places, staff_messages
from db.session import unit_of_work

log = structlog.get_logger(__name__)


def render_free_place(free: places.FreePlace, links: str) -> StaffMail:
    """The reminder: how many places are free, how many wait, since when (no names)."""
    programme = free.programme.upper()
    subject = f"Wolne miejsca w {programme}: {free.free}, oczekujących: {free.waiting}"
    body = (
        f"W {programme} są wolne miejsca: {free.free}.\n"
        f"Na liście oczekujących jest {free.waiting} osób; najdłużej czeka osoba, "
        f"której wniosek wpłynął {free.first_applied_on.strftime('%d.%m.%Y')}.\n\n"
        f"Lista oczekujących: {links}/waiting-list?programme={free.programme}\n"
    )
    return StaffMail(subject=subject, body=body)


async def remind_free_places(
    sessions: async_sessionmaker[AsyncSession], mailer: StaffMailer, day: date, links: str
) -> int:
    """Tell each unit with a place free and people waiting, once a day; how many were sent."""
    async with unit_of_work(sessions) as session:
        found = await places.free_places_with_waiting(session)
        addresses = {
            f.unit_id: await staff_messages.supervisor_addresses(session, f.unit_id) for f in found
        }
    sent = 0
    for free in found:
        key = f"place:{free.unit_id}:{free.programme}:{day.isoformat()}"
        message = staff_messages.StaffMessageKey(key, "place_free", free.unit_id, day)
        status = await mailer.send_once(
            message, addresses[free.unit_id], render_free_place(free, links)
        )
        sent += status is SendStatus.SENT
        log.info(
            "free_place_reminder",
            unit_id=str(free.unit_id),
            programme=str(free.programme),
            free=free.free,
            waiting=free.waiting,
            status=status,
        )
    return sent
