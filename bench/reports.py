"""`python -m bench.reports`: supervisors' queries on 100,000 participants, and import throughput.

A fresh PostgreSQL database (`bench_reports_<pid>`, dropped at the end) is migrated and filled
inside PostgreSQL (bench/report_data.py). Then, in this one process and on one engine:
- the participants list page, `services.participants.list_page` as `GET /participants` and the
  web's list call it, under the contract's filters, against a hand-written SQL query of the same
  shape (the same join, filters, order and limit), run alternately;
- the KPIs, `services.reports.kpis`, against the very statements it sends, replayed as raw SQL
  (so the ratio is what the product adds around its SQL: building, hydrating, computing);
- `pathways import` throughput against bare pathway workflow starts on a Temporal dev server
  (bench/import_throughput.py).
Figures are printed, never asserted: targets are for people to read.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from time import perf_counter
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.import_throughput import ImportFigures, measure_import
from bench.report_data import Seeded, seed
from bench.stack import quiet_logs
from bench.timing import Latency, paired_latency
from core.settings import Settings
from core.temporal import exit_past_the_runtime
from db.migrate import upgrade_database
from domain.participants import ParticipantFilters
from domain.roles import Role
from services import participants, reports
from services.context import Caller, Services, open_services

SERVER = os.environ.get("PATHWAYS_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
TARGET = 2.0
PAGE = 50

_LIST_SQL = """
SELECT p.*, pw.*
FROM participants p
LEFT OUTER JOIN pathways pw ON pw.id = (
    SELECT x.id FROM pathways x WHERE x.participant_id = p.id
    ORDER BY x.closed_at IS NOT NULL, x.created_at DESC LIMIT 1)
WHERE p.unit_id = %(unit)s {where}
ORDER BY p.last_name, p.first_name, p.id
LIMIT {limit}
"""


@dataclass(frozen=True)
class ListCase:
    """One filter of the list page, as the API's filters and as raw SQL."""

    label: str
    filters: ParticipantFilters
    where: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Figure:
    """A product-vs-raw pair of latencies."""

    label: str
    product: Latency
    raw: Latency

    @property
    def ratio(self) -> float:
        """Product p95 over raw p95."""
        return self.product.percentile(95) / self.raw.percentile(95)


def list_cases(seeded: Seeded) -> list[ListCase]:
    """The contract's filters on one unit: none, stage, programme + due date, name, caseworker."""
    caseworker = seeded.caseworkers[0]
    f = ParticipantFilters
    return [
        ListCase("first page, no filter", f(), "", {}),
        ListCase("stage=cis_main", f(stage="cis_main"), "AND pw.stage = %(stage)s",
                 {"stage": "cis_main"}),
        ListCase("programme=kis, due_before", f(programme="kis", due_before=date(2026, 9, 1)),
                 "AND pw.programme = %(programme)s AND pw.next_due_on < %(due)s",
                 {"programme": "kis", "due": date(2026, 9, 1)}),
        ListCase("q=nowak (name search)", f(q="nowak"),
                 "AND (lower(p.last_name) LIKE %(like)s OR lower(p.first_name) LIKE %(like)s "
                 "OR p.pesel LIKE %(prefix)s)", {"like": "%nowak%", "prefix": "nowak%"}),
        ListCase(f"caseworker={caseworker}", f(caseworker=caseworker),
                 "AND pw.caseworker_id IN (SELECT id FROM users WHERE username = %(who)s)",
                 {"who": caseworker}),
    ]  # fmt: skip


def supervisor_of(seeded: Seeded) -> Caller:
    """Who asks: a supervisor of the first unit (sees the whole unit)."""
    return Caller(uuid.uuid4(), "bench-supervisor", Role.SUPERVISOR, uuid.UUID(seeded.unit_ids[0]))


async def measure_list(services: Services, seeded: Seeded, samples: int) -> list[Figure]:
    """Each filter: the product's function and the raw query, alternately."""
    caller = supervisor_of(seeded)
    figures = []
    for case in list_cases(seeded):
        statement = _LIST_SQL.format(where=case.where, limit=PAGE + 1)
        params = {"unit": caller.unit_id, **case.params}

        async def product(_: int, case: ListCase = case) -> object:
            return await participants.list_page(services, caller, case.filters, None, PAGE)

        async def raw(
            _: int, statement: str = statement, params: dict[str, Any] = params
        ) -> object:
            async with services.sessions() as session:
                connection = await session.connection()
                return (await connection.exec_driver_sql(statement, params)).all()

        mine, theirs = await paired_latency(samples, 5, product, raw, 300)
        figures.append(Figure(case.label, mine, theirs))
    return figures


async def measure_kpis(services: Services, seeded: Seeded, samples: int) -> Figure:
    """The KPI report against its own statements replayed raw."""
    caller = supervisor_of(seeded)
    period = (date(2026, 1, 1), date(2026, 10, 31))

    async def product(_: int) -> object:
        return await reports.kpis(services, caller, *period)

    engine: AsyncEngine = services.sessions.kw["bind"]
    with _statements_of(engine) as sent:
        await product(0)
    recorded = list(sent)

    async def raw(_: int) -> object:
        async with services.sessions() as session:
            connection = await session.connection()
            return [(await connection.exec_driver_sql(s, p)).all() for s, p in recorded]

    mine, theirs = await paired_latency(samples, 3, product, raw, 300)
    return Figure(f"KPI report ({len(recorded)} statements)", mine, theirs)


@contextmanager
def _statements_of(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement (and its driver parameters) the engine sends inside the block."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if not statement.lstrip().upper().startswith("SELECT 1"):  # the pool's pre-ping
            sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def render(figures: list[Figure], kpi: Figure, imports: ImportFigures | str) -> str:
    """The table people read."""
    header = "| query (p95, ms) | product | raw SQL | ratio | target |"
    lines = ["", header, "|---|---|---|---|---|"]
    for figure in [*figures, kpi]:
        p, r = figure.product.percentile(95) * 1000, figure.raw.percentile(95) * 1000
        verdict = "met" if figure.ratio <= TARGET else "**missed**"
        ratio = f"{figure.ratio:.2f} | ≤ {TARGET:g} {verdict}"
        lines.append(f"| {figure.label} | {p:.2f} | {r:.2f} | {ratio} |")
    lines.append("")
    lines.append(imports if isinstance(imports, str) else imports.render())
    return "\n".join(lines)


async def run(count: int, samples: int, import_cases: int) -> str:
    """Create, fill, measure, drop."""
    name = f"bench_reports_{os.getpid()}"
    url = f"{SERVER}/{name}"
    await asyncio.to_thread(_admin, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        began = perf_counter()
        await asyncio.to_thread(upgrade_database, url)
        quiet_logs()
        seeded = await asyncio.to_thread(seed, url, count)
        print(f"seeded {seeded.participants:,} participants, {seeded.pathways:,} pathways "
              f"in {perf_counter() - began:.0f} s; measuring...", flush=True)  # fmt: skip
        async with open_services(_settings(url), connect=False) as services:
            figures = await measure_list(services, seeded, samples)
            kpi = await measure_kpis(services, seeded, max(10, samples // 5))
            imports = await measure_import(url, services.sessions, import_cases)
        return render(figures, kpi, imports)
    finally:
        await asyncio.to_thread(
            _admin, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _settings(url: str) -> Settings:
    return Settings(
        database_url=url,
        environment="test",
        secret_key=secrets.token_urlsafe(32),
        admin_password=secrets.token_urlsafe(16),
        payload_keys={"bench": base64.b64encode(secrets.token_bytes(32)).decode()},
        payload_key_id="bench",
    )


def _admin(statement: sql.Composed) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=10) as conn:
        conn.execute(statement)


def main(argv: list[str] | None = None) -> int:
    """Run and print."""
    parser = argparse.ArgumentParser(prog="python -m bench.reports")
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=100, help="list-page samples per filter")
    parser.add_argument("--import-cases", type=int, default=200)
    args = parser.parse_args(argv)
    began = perf_counter()
    print(f"bench.reports: {args.participants:,} participants in a fresh PostgreSQL database",
          flush=True)  # fmt: skip
    print(asyncio.run(run(args.participants, args.samples, args.import_cases)), flush=True)
    print(f"\n(bench.reports took {perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    exit_past_the_runtime(main())
