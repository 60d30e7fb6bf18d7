"""`python -m bench.reminders`: 10,000 reminders due at the same minute, through the real path.

In one process: an in-process aiosmtpd server counts what it receives (and each Message-ID), a
fresh database (PostgreSQL when reachable, else SQLite) holds 10,000 participants with e-mail
consent, each with a pathway. Then, with the same concurrency on both sides:
- raw: `aiosmtplib.send` of 10,000 ready-made messages (one connection each, as the library's
  one-call API does), and, harsher, the same over a pool of persistent connections;
- product: `NotificationActivities.send_reminder` for 10,000 reminders due at the same moment:
  outbox claim, consent and contact from the database, rendering, the pooled SMTP channel, the
  row marked sent (two transactions per message);
- again: every one of the 10,000 activities run a second time, as Temporal would retry them;
  nothing may reach the server twice.
Figures are printed, never asserted: the target (ratio >= 0.5, duplicates = 0) is for people.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from email.message import EmailMessage
from time import perf_counter, process_time

import aiosmtplib
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.channels import Channels, LogChannel, SmtpChannel
from activities.notifications import LinkSettings, NotificationActivities, SendReminderInput
from bench.database import fresh_database
from bench.processes import free_port
from bench.stack import quiet_logs
from core.temporal import exit_past_the_runtime
from db.migrate import upgrade_database
from db.models import Participant, Pathway, Unit, User
from db.session import create_engine, create_sessionmaker
from domain.appointments import AppointmentKind
from domain.reminders import ReminderKind

TARGET = 0.5
SENDER = "przypomnienia@bench.example"
DUE = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # 08:00 in Warsaw: everyone's reminder at once


class Counting:
    """An SMTP handler that only counts: messages and how often each Message-ID came."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        head = content.split(b"\r\n\r\n", 1)[0]
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.ids[line.split(b":", 1)[1].strip().decode()] += 1
        return "250 OK"

    @property
    def received(self) -> int:
        """Messages accepted."""
        return sum(self.ids.values())

    @property
    def duplicates(self) -> int:
        """Messages beyond the first with the same Message-ID."""
        return sum(n - 1 for n in self.ids.values() if n > 1)


async def seed(sessions: async_sessionmaker[AsyncSession], count: int) -> list[SendReminderInput]:
    """A unit, a user, and `count` participants with a pathway each; their reminders."""
    unit_id, user_id = uuid.uuid4(), uuid.uuid4()
    people = [uuid.uuid4() for _ in range(count)]
    pathways = [uuid.uuid4() for _ in range(count)]
    async with sessions.begin() as session:
        await session.execute(
            insert(Unit).values(
                id=unit_id,
                code="BENCH",
                name="Centrum Aktywności Lokalnej",
                kind="cis",
                phone="+48 12 345 67 89",
                created_at=DUE,
            )
        )
        await session.execute(
            insert(User).values(
                id=user_id,
                username="bench",
                password_hash="x",
                role="caseworker",
                unit_id=unit_id,
                active=True,
                created_at=DUE,
            )
        )
        for start in range(0, count, 1000):
            chunk = range(start, min(start + 1000, count))
            await session.execute(
                insert(Participant),
                [
                    {
                        "id": people[i],
                        "unit_id": unit_id,
                        "first_name": "Jan",
                        "last_name": f"Bench{i}",
                        "birth_date": date(1980, 1, 1),
                        "email": f"p{i}@bench.example",
                        "consent_sms": False,
                        "consent_email": True,
                        "language": "pl",
                        "created_by": user_id,
                        "created_at": DUE,
                    }
                    for i in chunk
                ],
            )
            await session.execute(
                insert(Pathway),
                [
                    {
                        "id": pathways[i],
                        "participant_id": people[i],
                        "unit_id": unit_id,
                        "caseworker_id": user_id,
                        "programme": "cis",
                        "started_on": date(2026, 11, 2),
                        "stage": "cis_main",
                        "graduate": False,
                        "last_seq": 0,
                        "created_at": DUE,
                        "updated_at": DUE,
                    }
                    for i in chunk
                ],
            )
    return [
        SendReminderInput(
            pathway_id=str(pathways[i]),
            participant_id=str(people[i]),
            reminder=f"session_eve:{uuid.uuid4()}",
            kind=ReminderKind.APPOINTMENT_EVE,
            due_at=DUE,
            scheduled_for=DUE,
            starts_at=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
            appointment_kind=AppointmentKind.WORKSHOP,
            place="sala 12",
        )
        for i in range(count)
    ]


def ready_made(count: int) -> list[EmailMessage]:
    """Messages of the product's size, built before the clock starts."""
    out = []
    for i in range(count):
        message = EmailMessage()
        message["From"], message["To"] = SENDER, f"p{i}@bench.example"
        message["Subject"] = "Przypomnienie o jutrzejszym spotkaniu - Centrum Aktywności Lokalnej"
        message["Message-ID"] = f"<raw-{i}-{uuid.uuid4().hex}@bench.example>"
        message.set_content("Jutro, 02.12.2026, o 10:00: zajęcia warsztatowe, sala 12.\n")
        out.append(message)
    return out


CPU: dict[str, float] = {}


async def in_parallel(
    count: int, concurrency: int, send: Callable[[int], Awaitable[None]], name: str
) -> float:
    """Run `send(i)` for every i with at most `concurrency` at once; seconds taken. The process's
    CPU seconds go to CPU[name] (the SMTP server's thread included, on both sides alike)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with gate:
            await send(i)

    began, cpu = perf_counter(), process_time()
    await asyncio.gather(*(one(i) for i in range(count)))
    CPU[name] = process_time() - cpu
    return perf_counter() - began


async def measure(count: int, concurrency: int) -> None:
    """Run the three passes and print the figures."""
    counting = Counting()
    port = free_port()
    controller = Controller(counting, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        async with fresh_database(try_postgres=True) as database:
            await asyncio.to_thread(upgrade_database, database.url)
            engine = create_engine(database.url)
            try:
                sessions = create_sessionmaker(engine)
                jobs = await seed(sessions, count)
                await report(counting, port, sessions, jobs, concurrency, database.kind)
            finally:
                await engine.dispose()
    finally:
        controller.stop()


async def report(
    counting: Counting,
    port: int,
    sessions: async_sessionmaker[AsyncSession],
    jobs: list[SendReminderInput],
    concurrency: int,
    database: str,
) -> None:
    """The measurements, in order, on one SMTP server."""
    count = len(jobs)
    messages = ready_made(count)

    async def raw(i: int) -> None:
        await aiosmtplib.send(messages[i], hostname="127.0.0.1", port=port)

    raw_seconds = await in_parallel(count, concurrency, raw, "raw")
    raw_received = counting.received

    pooled = SmtpChannel(host="127.0.0.1", port=port, sender=SENDER, pool_size=concurrency)
    clients = [aiosmtplib.SMTP(hostname="127.0.0.1", port=port) for _ in range(concurrency)]
    for client in clients:
        await client.connect()
    idle = asyncio.Queue[aiosmtplib.SMTP]()
    for client in clients:
        idle.put_nowait(client)

    async def raw_pooled(i: int) -> None:
        client = await idle.get()
        try:
            await client.send_message(messages[i])
        finally:
            idle.put_nowait(client)

    pooled_seconds = await in_parallel(count, concurrency, raw_pooled, "pooled")
    for client in clients:
        await client.quit()

    counting.ids.clear()  # from here on, only the product's messages
    links = LinkSettings("bench-secret-key-bench-secret-key-00", "https://bench/api/v1", SENDER)
    activities = NotificationActivities(sessions, Channels(email=pooled, sms=LogChannel()), links)
    statuses: Counter[str] = Counter()

    async def product(i: int) -> None:
        statuses[(await activities.send_reminder(jobs[i])).status] += 1

    product_seconds = await in_parallel(count, concurrency, product, "product")
    delivered = counting.received
    first_statuses = dict(statuses)
    statuses.clear()
    again_seconds = await in_parallel(count, concurrency, product, "again")
    after_again = counting.received
    await pooled.close()

    raw_rate, pooled_rate = count / raw_seconds, count / pooled_seconds
    product_rate = count / product_seconds
    print(f"reminders: {count} due at the same minute, concurrency {concurrency}, {database}")
    print(
        f"  raw aiosmtplib.send (a connection each): {raw_rate:8.0f} msg/s "
        f"({raw_received} received)"
    )
    print(f"  raw aiosmtplib over {concurrency} open connections: {pooled_rate:8.0f} msg/s")
    print(
        f"  product (outbox + send_reminder + SMTP channel): {product_rate:8.0f} msg/s "
        f"({delivered} delivered; {first_statuses})"
    )
    print(
        f"  every activity run again (a retry of all {count}): {count / again_seconds:8.0f} "
        f"calls/s, {after_again - delivered} more messages reached the server; {dict(statuses)}"
    )
    verdict = "met" if product_rate / raw_rate >= TARGET else "MISSED"
    print(
        f"  ratio product / raw send: {product_rate / raw_rate:.2f} (target >= {TARGET}: "
        f"{verdict}); product / raw over open connections: {product_rate / pooled_rate:.2f}"
    )
    print(f"  duplicates at the SMTP server (same Message-ID twice): {counting.duplicates}")
    per = {name: seconds / count * 1000 for name, seconds in CPU.items()}
    print(
        f"  this process's CPU per message, ms: raw {per['raw']:.2f}, over open connections "
        f"{per['pooled']:.2f}, product {per['product']:.2f}, run again {per['again']:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    """Parse, run, print."""
    parser = argparse.ArgumentParser(prog="python -m bench.reminders")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--quick", action="store_true", help="1,000 reminders")
    args = parser.parse_args(argv)
    quiet_logs()
    asyncio.run(measure(1_000 if args.quick else args.count, args.concurrency))
    return 0


if __name__ == "__main__":
    exit_past_the_runtime(main())
