"""Import throughput against bare pathway starts, on a Temporal dev server with the real worker.

The import side is `pathways import`'s own code (services/case_import.py: check, then register
each case and start its workflow with the case's history) with the worker in a process of its
own; the bare side is `client.start_workflow` of the same pathway workflow with the same
concurrency, to a queue no worker polls: nothing but the start.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import csv
import json
import secrets
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from time import perf_counter

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from bench.database import fresh_database
from bench.processes import child, settings_env
from bench.stack import quiet_logs
from bench.timing import throughput
from core.settings import Settings
from core.temporal import data_converter, exit_past_the_runtime
from db import units
from db.migrate import upgrade_database
from db.session import create_engine, create_sessionmaker, unit_of_work
from domain.calendar import local_date
from domain.case_import import COLUMNS
from domain.pathway import PathwayInput
from domain.pesel import encode_pesel
from domain.roles import Role
from domain.stages import Programme
from domain.workflow_ids import workflow_id
from services.case_import import CaseImporter
from services.context import open_services
from services.credentials import hash_password
from workflows import search_attributes
from workflows.patches import NEW_PATHWAYS
from workflows.pathway import ParticipantPathwayWorkflow

CONCURRENCY = 4  # the importer's default


@dataclass(frozen=True)
class ImportFigures:
    """Cases per second, imported and bare."""

    cases: int
    bare_per_second: float
    without_steps: float
    with_steps: float
    steps_per_case: int

    def render(self) -> str:
        """Lines people read."""
        b = self.bare_per_second
        return "\n".join([
            f"| import ({self.cases} cases each, concurrency {CONCURRENCY}) | per second | "
            "ratio to bare starts |",
            "|---|---|---|",
            f"| bare pathway workflow starts | {b:.1f} | 1 |",
            f"| import, cases without steps | {self.without_steps:.1f} | "
            f"{self.without_steps / b:.2f} |",
            f"| import, cases with {self.steps_per_case} back-dated steps | "
            f"{self.with_steps:.1f} | {self.with_steps / b:.2f} |",
        ])  # fmt: skip


async def measure_import(
    url: str, sessions: async_sessionmaker[AsyncSession], cases: int
) -> ImportFigures:
    """Start a dev server and the worker; time bare starts, then two imports of `cases` cases."""
    settings = Settings(
        database_url=url,
        environment="test",
        secret_key=secrets.token_urlsafe(32),
        admin_password=secrets.token_urlsafe(16),
        payload_keys={"bench": base64.b64encode(secrets.token_bytes(32)).decode()},
        payload_key_id="bench",
        temporal_task_queue=f"bench-import-{uuid.uuid4().hex[:8]}",
    )
    env = await WorkflowEnvironment.start_local(
        data_converter=data_converter(settings, None),
        dev_server_existing_path=str(Path(sys.executable).parent / "temporal"),
        dev_server_log_level="error",
        search_attributes=search_attributes.ALL,
    )
    try:
        queue = settings.temporal_task_queue
        # The worker in a process of its own, as in production (and as `make bench` runs it).
        address = env.client.service_client.config.target_host
        # As `pathways import` runs: its own client, with the codec and the participants' keys.
        importing = settings.model_copy(update={"temporal_address": address})
        async with (
            child(["-m", "worker.cli", "worker"], _worker_env(settings, env)),
            open_services(importing) as services,
        ):
            unit_code, username = await _unit_with_caseworker(sessions)
            importer = CaseImporter(services, CONCURRENCY)
            with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
                warm = _csv(Path(folder) / "warm.csv", unit_code, username, 1, 10 * cases, True)
                await _timed_import(importer, warm, 1)  # waits for the worker to be polling
                # Bare starts go to a queue no worker polls: the start alone, as Temporal takes it.
                bare = await _bare_starts(env, f"{queue}-bare", cases)
                plain = _csv(Path(folder) / "plain.csv", unit_code, username, cases, 0, False)
                stepped = _csv(Path(folder) / "steps.csv", unit_code, username, cases, cases, True)
                without = await _timed_import(importer, plain, cases)
                with_steps = await _timed_import(importer, stepped, cases)
        return ImportFigures(cases, bare, without, with_steps, 2)
    finally:
        await env.shutdown()


def _worker_env(settings: Settings, env: WorkflowEnvironment) -> dict[str, str]:
    return settings_env(
        {
            "database_url": settings.database_url,
            "environment": "test",
            "secret_key": settings.secret_key,
            "admin_password": settings.admin_password,
            "payload_keys": json.dumps(settings.payload_keys),
            "payload_key_id": settings.payload_key_id,
            "temporal_address": env.client.service_client.config.target_host,
            "temporal_task_queue": settings.temporal_task_queue,
        }
    )


async def _bare_starts(env: WorkflowEnvironment, queue: str, count: int) -> float:
    today = local_date(datetime.now(UTC))

    async def start(_: int) -> None:
        pathway_id = str(uuid.uuid4())
        await env.client.start_workflow(
            ParticipantPathwayWorkflow.run,
            PathwayInput(
                pathway_id=pathway_id,
                participant_id=str(uuid.uuid4()),
                programme=Programme.CIS,
                started_on=today - timedelta(days=40),
                born_with=list(NEW_PATHWAYS),  # as the product starts them: no patch markers
            ),
            id=workflow_id(pathway_id),
            task_queue=queue,
        )

    result = await throughput(count, CONCURRENCY, start, 300)
    if result.failed:
        raise RuntimeError(f"bare starts failed: {result.first_error}")
    return result.per_second


async def _timed_import(importer: CaseImporter, path: Path, cases: int) -> float:
    began = perf_counter()
    report = await importer.run(await importer.check(path), lambda: None)
    elapsed = perf_counter() - began
    if report.problems or report.failed or report.imported != cases:
        problems = [*report.problems, *report.failed][:3]
        raise RuntimeError(f"the import did not import every case: {problems}")
    return cases / elapsed


async def _unit_with_caseworker(sessions: async_sessionmaker[AsyncSession]) -> tuple[str, str]:
    code, username = f"IMPORT-{uuid.uuid4().hex[:6]}", f"importer-{uuid.uuid4().hex[:6]}"
    async with unit_of_work(sessions) as session:
        unit = await units.create_unit(session, code, "Import benchmark", "cis")
        await units.create_user(
            session, username, hash_password(secrets.token_urlsafe(12)), Role.SUPERVISOR, unit
        )
    return code, username


def _csv(path: Path, unit: str, username: str, count: int, offset: int, with_steps: bool) -> Path:
    today = local_date(datetime.now(UTC))
    start = today - timedelta(days=40)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        for i in range(offset, offset + count):
            born = date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
            writer.writerow({
                **dict.fromkeys(COLUMNS, ""),
                "external_id": f"BENCH/{i}", "unit_code": unit, "caseworker": username,
                "first_name": "Jan", "last_name": f"Importowany-{i}",
                "pesel": encode_pesel(born, i % 10000), "consent_sms": "no",
                "categories": "long_term_unemployed", "programme": "cis",
                "start_date": start.isoformat(),
                "steps": f"sign_ipzs@{start + timedelta(days=1)}; "
                f"pass_trial@{start + timedelta(days=25)}" if with_steps else "",
            })  # fmt: skip
    return path


async def _alone(cases: int) -> ImportFigures:
    async with fresh_database(True) as database:
        await asyncio.to_thread(upgrade_database, database.url)
        quiet_logs()
        engine = create_engine(database.url)
        try:
            return await measure_import(database.url, create_sessionmaker(engine), cases)
        finally:
            await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.import_throughput`: this measurement alone, on a fresh database."""
    parser = argparse.ArgumentParser(prog="python -m bench.import_throughput")
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args(argv)
    quiet_logs()
    print(asyncio.run(_alone(args.cases)).render(), flush=True)
    return 0


if __name__ == "__main__":
    exit_past_the_runtime(main())
