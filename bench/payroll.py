"""`python -m bench.payroll`: the month's end, measured (issue 15).

1. The payroll of a CIS month with 200 participants (`services.payroll.month_payroll`, as
   `GET /payroll/{month}` calls it: the statements, what is missing, the adjustments, the names,
   its audit entry) against a hand-written SQL query of the same rows plus the pure benefit
   function over them (`domain.benefits.benefit_statement`), alternately; target p95 <= 2x.
2. A certificate PDF (`documents.pathway_documents.build` + `documents.pdf.render`): p50/p95
   one by one, and 200 in a batch on one core and on two (a process per core).

A fresh database (PostgreSQL at 127.0.0.1:5432 when reachable, else SQLite) is migrated and
filled directly. `--quick` is a smaller run for checking. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import secrets
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from time import perf_counter
from typing import Any

from sqlalchemy import JSON, Date, Uuid, bindparam, insert, text

from bench.database import fresh_database
from bench.stack import quiet_logs
from bench.timing import Latency, paired_latency
from core.settings import Settings
from core.temporal import exit_past_the_runtime
from db.migrate import upgrade_database
from db.models import Participant, Pathway, PathwayEvent, PathwayReportRow, Unit, User
from domain.benefits import benefit_statement
from domain.pathway import Event
from domain.payroll import cis_state
from domain.public_holidays import is_day_off
from domain.report_rows import ReportRow
from domain.roles import Role
from services import payroll
from services.context import Caller, Services, open_services
from services.documents import step_document

MONTH = date(2026, 10, 1)
TARGET = 2.0
_RAW = text(
    """
    SELECT pw.id, pw.participant_id, r.cis_entered_on, r.cis_admitted_on, r.trial_passed_on,
           r.extension_months, r.job_started_on, r.exited_on, r.exit_programme,
           e.seq, e.type, e.occurred_on, e.actor, e.recorded_at, e.data
    FROM pathways pw
    JOIN pathway_report_rows r ON r.pathway_id = pw.id
    LEFT JOIN pathway_events e ON e.pathway_id = pw.id
         AND e.type IN ('record_attendance', 'record_absence', 'grant_day_off', 'award_bonus')
         AND e.occurred_on BETWEEN :since AND :last
    WHERE pw.unit_id = :unit AND r.cis_admitted_on <= :last
    ORDER BY pw.id, e.seq
    """
).bindparams(
    bindparam("unit", type_=Uuid),
    bindparam("since", type_=Date),
    bindparam("last", type_=Date),
).columns(data=JSON)  # typed, so that SQLite answers as PostgreSQL does


async def seed(services: Services, count: int) -> Caller:
    """A CIS with `count` participants in their main period, October fully recorded."""
    unit_id, user_id = uuid.uuid4(), uuid.uuid4()
    now = datetime(2026, 11, 2, 9, tzinfo=UTC)
    days = [MONTH + timedelta(days=n) for n in range(31)]
    working = [d for d in days if not is_day_off(d)]
    people, ways, rows, events = [], [], [], []
    for n in range(count):
        person, pathway = uuid.uuid4(), uuid.uuid4()
        people.append({"id": person, "unit_id": unit_id, "first_name": "Jan",
                       "last_name": f"Kowalski-{n:04d}", "birth_date": date(1980, 1, 1),
                       "created_by": user_id, "created_at": now})  # fmt: skip
        ways.append({"id": pathway, "participant_id": person, "unit_id": unit_id,
                     "caseworker_id": user_id, "programme": "cis",
                     "started_on": date(2026, 3, 2), "stage": "cis_main", "last_seq": 0,
                     "created_at": now, "updated_at": now})  # fmt: skip
        rows.append({"pathway_id": pathway, "cis_entered_on": date(2026, 3, 2),
                     "cis_admitted_on": date(2026, 3, 2), "trial_passed_on": date(2026, 3, 27),
                     "projected_at": now})  # fmt: skip
        for seq, day in enumerate(working, 1):
            kind, data = "record_attendance", {"hours": "7", "kind": "group"}
            if n % 5 == 0 and seq in (3, 4):
                kind, data = "record_absence", {"kind": "sick"}
            elif n % 7 == 0 and seq == 9:
                kind, data = "record_absence", {"kind": "unexcused"}
            events.append({"pathway_id": pathway, "seq": seq, "type": kind, "occurred_on": day,
                           "actor": "bench", "recorded_at": now, "data": data})  # fmt: skip
        if n % 3 == 0:
            events.append({"pathway_id": pathway, "seq": len(working) + 1, "type": "award_bonus",
                           "occurred_on": working[-1], "actor": "bench", "recorded_at": now,
                           "data": {"amount": "150.00"}})  # fmt: skip
    async with services.sessions() as session:
        unit = {"id": unit_id, "code": "CIS-BENCH", "name": "CIS Bench", "kind": "cis",
                "created_at": now}  # fmt: skip
        user = {"id": user_id, "username": "bench", "password_hash": "-", "role": "supervisor",
                "unit_id": unit_id, "active": True, "created_at": now}  # fmt: skip
        await session.execute(insert(Unit), [unit])
        await session.execute(insert(User), [user])
        for model, values in ((Participant, people), (Pathway, ways), (PathwayReportRow, rows),
                              (PathwayEvent, events)):  # fmt: skip
            await session.execute(insert(model), values)
        await session.commit()
    return Caller(user_id, "bench", Role.SUPERVISOR, unit_id)


async def raw_payroll(services: Services, caller: Caller) -> Decimal:
    """The same rows by one hand-written query, and the pure benefit function over them."""
    last = date(2026, 10, 31)
    params = {"unit": caller.unit_id, "since": MONTH - timedelta(days=92), "last": last}
    async with services.sessions() as session:
        result = (await session.execute(_RAW, params)).all()
    by_pathway: dict[Any, tuple[ReportRow, str, list[Event]]] = {}
    for r in result:
        if r[0] not in by_pathway:
            row = ReportRow(cis_entered_on=r[2], cis_admitted_on=r[3], trial_passed_on=r[4],
                            extension_months=r[5], job_started_on=r[6], exited_on=r[7],
                            exit_programme=r[8])  # fmt: skip
            by_pathway[r[0]] = (row, str(r[1]), [])
        if r[9] is not None:
            event = Event(seq=r[9], type=r[10], occurred_on=r[11], actor=r[12],
                          recorded_at=r[13], data=r[14])  # fmt: skip
            by_pathway[r[0]][2].append(event)
    total = Decimal(0)
    for pathway_id, (row, participant, events) in by_pathway.items():
        state = cis_state(row, str(pathway_id), participant, events)
        total += benefit_statement(state, MONTH.year, MONTH.month).total
    return total


def certificate(n: int) -> bytes:
    """One CIS certificate, as the documents service renders it."""
    at = datetime(2026, 10, 1, tzinfo=UTC)
    timeline = [
        Event(seq=1, type="sign_ipzs", occurred_on=date(2026, 3, 2), actor="b", recorded_at=at),
        *(Event(seq=k, type="record_attendance", occurred_on=date(2026, 4, 1) + timedelta(days=k),
                actor="b", recorded_at=at, data={"hours": "7", "kind": "workshop"})
          for k in range(2, 120)),
        Event(seq=120, type="complete_cis", occurred_on=date(2026, 9, 30), actor="b",
              recorded_at=at),
    ]  # fmt: skip
    return step_document("Centrum Integracji Społecznej w Łodzi", f"Żaneta Łęcka-{n}",
                         "85010112345", date(1985, 1, 1), timeline, timeline[-1])  # fmt: skip


def _batch(count: int) -> int:
    return sum(len(certificate(n)) for n in range(count))


def pdf_figures(samples: int, batch: int) -> list[str]:
    """p50/p95 of one certificate; a batch on one core and on two."""
    certificate(0)  # fonts loaded once per process
    times = []
    for n in range(samples):
        began = perf_counter()
        certificate(n)
        times.append(perf_counter() - began)
    one = Latency(tuple(times), 0, None)
    began = perf_counter()
    _batch(batch)
    single = perf_counter() - began
    began = perf_counter()
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_batch, [batch // 2, batch - batch // 2]))
    double = perf_counter() - began
    return [
        f"certificate PDF: p50 {one.percentile(50) * 1000:.1f} ms, "
        f"p95 {one.percentile(95) * 1000:.1f} ms ({samples} one by one)",
        f"{batch} certificates: {single:.2f} s on one core, {double:.2f} s on two processes "
        f"({single / double:.2f}x)",
    ]


async def run(count: int, samples: int, batch: int, try_postgres: bool) -> str:
    """Create, fill, measure."""
    async with fresh_database(try_postgres) as database:
        await asyncio.to_thread(upgrade_database, database.url)
        quiet_logs()
        async with open_services(_settings(database.url), connect=False) as services:
            caller = await seed(services, count)
            found = await payroll.month_payroll(services, caller, "2026-10")
            raw_total = await raw_payroll(services, caller)
            assert found.totals.statements == raw_total, (found.totals.statements, raw_total)

            async def product(_: int) -> object:
                return await payroll.month_payroll(services, caller, "2026-10")

            async def raw(_: int) -> object:
                return await raw_payroll(services, caller)

            mine, theirs = await paired_latency(samples, 3, product, raw, 300)
        ratio = mine.percentile(95) / theirs.percentile(95)
        verdict = "met" if ratio <= TARGET else "**missed**"
        lines = [
            f"database: {database.kind}; {len(found.lines)} participants, total "
            f"{found.totals.total} PLN (raw: {raw_total})",
            "| payroll of a month (ms) | p50 | p95 |",
            "|---|---|---|",
            f"| product (month_payroll) | {mine.percentile(50) * 1000:.1f} | "
            f"{mine.percentile(95) * 1000:.1f} |",
            f"| raw SQL + benefit_statement | {theirs.percentile(50) * 1000:.1f} | "
            f"{theirs.percentile(95) * 1000:.1f} |",
            f"p95 ratio {ratio:.2f} (target <= {TARGET:g}: {verdict})",
        ]
    return "\n".join([*lines, *await asyncio.to_thread(pdf_figures, max(20, samples), batch)])


def _settings(url: str) -> Settings:
    return Settings(
        database_url=url,
        environment="test",
        secret_key=secrets.token_urlsafe(32),
        admin_password=secrets.token_urlsafe(16),
        payload_keys={"bench": base64.b64encode(secrets.token_bytes(32)).decode()},
        payload_key_id="bench",
    )


def main(argv: list[str] | None = None) -> int:
    """Run and print."""
    parser = argparse.ArgumentParser(prog="python -m bench.payroll")
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--batch", type=int, default=200, help="certificates in a batch")
    parser.add_argument("--quick", action="store_true", help="10 samples, a batch of 40")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args(argv)
    samples, batch = (10, 40) if args.quick else (args.samples, args.batch)
    began = perf_counter()
    print(f"bench.payroll: a CIS month of {args.participants} participants", flush=True)
    print(asyncio.run(run(args.participants, samples, batch, not args.sqlite)), flush=True)
    print(f"\n(bench.payroll took {perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    exit_past_the_runtime(main())
