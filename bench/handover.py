"""`python -m bench.handover [--quick]`: a caseload of 300 open pathways handed over (issue 16)
against 300 bare Temporal Signals sent concurrently to 300 workflows on the same server.

The stack is `python -m bench`'s: a Temporal dev server, a fresh database, the API and the
worker as processes, the bare-Temporal worker beside them.
- product: one `POST /caseload/handovers` of a caseworker's N open pathways to three colleagues
  (the holders are in the read model when the POST answers). Two per-case times: until its
  workflow took the hand-over (the event's `recorded_at`, the workflow task's time), until
  the read model shows that event (its `pathway_events` row, polled every 20 ms: the hand-over's
  commit writes it ahead under a negative seq, the workflow's projection replaces it), and the
  later of the two per case (end to end: the workflow knows and the read model shows).
- bare: N counter workflows started beforehand, then N `signal(close)` sent at once; a case is
  done when its workflow has taken the signal and finished (`result()` returns).
Both sides' per-case times are from the same kind of moment (the request sent) to that case
done; the figures are printed, never asserted (target: p95 within 2x of bare).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import uuid
from datetime import UTC, date, datetime, timedelta
from time import perf_counter

import httpx
from sqlalchemy import select
from temporalio.client import WorkflowHandle

from bench.plan import Plan
from bench.stack import Stack, quiet_logs, running_stack
from bench.trivial import BumpResult, CounterInput, CounterWorkflow
from core.temporal import exit_past_the_runtime
from db.models import PathwayEvent
from db.session import create_engine, create_sessionmaker
from services.accounts import DEMO_USERS

POLL_SECONDS = 0.02


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def _token(http: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    answer = await http.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def _open_cases(http: httpx.AsyncClient, headers: dict[str, str], count: int) -> list[str]:
    gate = asyncio.Semaphore(20)

    async def one(i: int) -> str:
        async with gate:
            born = date(1970, 1, 1) + timedelta(days=i)
            person = {"first_name": "Jan", "last_name": f"Bench{i}", "birth_date": born.isoformat()}
            made = await http.post("/api/v1/participants", json=person, headers=headers)
            made.raise_for_status()
            opened = await http.post(
                f"/api/v1/participants/{made.json()['id']}/pathways",
                json={"programme": "kis", "start_date": "2026-11-02"},
                headers=headers,
            )
            opened.raise_for_status()
            return str(opened.json()["id"])

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def product(
    stack: Stack, count: int
) -> tuple[list[float], list[float], list[float], float]:
    """Per-case seconds until the workflow took the hand-over (its event's `recorded_at`, the
    workflow's clock), until the read model shows that event (written ahead by the hand-over's
    commit, or the workflow's own), and until both; the POST's own seconds."""
    settings = stack.settings
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=120) as http:
        admin = await _token(http, settings.admin_username, settings.admin_password)
        (caseworker, _), (supervisor, _) = DEMO_USERS
        mine = await _token(http, caseworker, settings.demo_password)
        head = await _token(http, supervisor, settings.demo_password)
        colleagues = []
        for _ in range(3):
            body = {
                "username": f"bench-{uuid.uuid4().hex[:8]}",
                "password": settings.demo_password,
                "role": "caseworker",
                "unit_code": "KIS-DEMO",
            }
            made = await http.post("/api/v1/users", json=body, headers=admin)
            made.raise_for_status()
            colleagues.append(made.json()["id"])
        cases = await _open_cases(http, mine, count)
        leaving = (await http.get("/api/v1/caseload", headers=mine)).json()["load"]
        await asyncio.sleep(2)  # the starts' projections settle
        engine = create_engine(settings.database_url)
        sessions = create_sessionmaker(engine)
        wanted = {uuid.UUID(c) for c in cases}
        seen: dict[uuid.UUID, float] = {}
        body = {"from_caseworker": leaving["caseworker_id"], "to": colleagues}
        headers = {**head, "Idempotency-Key": str(uuid.uuid4())}
        began, wall = perf_counter(), datetime.now(UTC)
        post = asyncio.create_task(
            http.post("/api/v1/caseload/handovers", json=body, headers=headers)
        )
        post_seconds = 0.0
        knew: dict[uuid.UUID, float] = {}
        try:
            async with asyncio.timeout(300):
                while len(knew) < count:
                    if post.done() and not post_seconds:
                        post.result().raise_for_status()
                        post_seconds = perf_counter() - began
                    async with sessions() as session:
                        query = select(
                            PathwayEvent.pathway_id, PathwayEvent.seq, PathwayEvent.recorded_at
                        ).where(
                            PathwayEvent.type == "holder_changed",
                            PathwayEvent.pathway_id.in_(wanted),
                        )
                        now = perf_counter() - began
                        for pathway_id, seq, recorded_at in await session.execute(query):
                            seen.setdefault(pathway_id, now)
                            if seq > 0:  # the workflow's own event (ahead: negative)
                                knew[pathway_id] = (recorded_at - wall).total_seconds()
                    await asyncio.sleep(POLL_SECONDS)
            answer = await post
            answer.raise_for_status()
            post_seconds = post_seconds or perf_counter() - began
            assert len(answer.json()["moved"]) == count, answer.text
        finally:
            await engine.dispose()
    both = [max(knew[p], seen[p]) for p in wanted]
    return list(knew.values()), list(seen.values()), both, post_seconds


async def bare(stack: Stack, count: int) -> list[float]:
    """Per-workflow seconds from the signals sent until each workflow took its signal."""
    handles = [
        await stack.client.start_workflow(
            CounterWorkflow.run,
            CounterInput(),
            id=f"bench-holder-{uuid.uuid4()}",
            task_queue=stack.baseline_queue,
            execution_timeout=timedelta(minutes=10),
        )
        for _ in range(count)
    ]
    await asyncio.sleep(2)  # their first tasks done
    began = perf_counter()

    async def one(handle: WorkflowHandle[CounterWorkflow, BumpResult]) -> float:
        await handle.signal(CounterWorkflow.close)
        await handle.result()
        return perf_counter() - began

    return list(await asyncio.gather(*(one(h) for h in handles)))


async def run(count: int, use_postgres: bool) -> None:
    """Both sides on one stack; print the figures."""
    began = perf_counter()
    async with running_stack(Plan(count=count, use_postgres=use_postgres)) as stack:
        bare_times = await bare(stack, count)
        knew, shown, both, post_seconds = await product(stack, count)
    bare_p95 = _p95(bare_times)

    def line(name: str, times: list[float]) -> str:
        return (
            f"  {name:<34} p50 {statistics.median(times):6.3f} s  p95 {_p95(times):6.3f} s  "
            f"all {max(times):6.3f} s  p95 ratio {_p95(times) / bare_p95:.2f}"
        )

    print(
        f"hand-over of {count} open pathways ({stack.database_kind}), run took "
        f"{perf_counter() - began:.0f} s; the POST answered after {post_seconds:.3f} s "
        f"(holders in the read model)\n"
        f"{line('bare: signal taken, workflow done', bare_times)}\n"
        f"{line('hand-over: every workflow knows', knew)}\n"
        f"{line('hand-over: read model shows event', shown)}\n"
        f"{line('hand-over: both (end to end)', both)}\n"
        f"  target: p95 ratio <= 2",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    """Parse the flags, run, print."""
    parser = argparse.ArgumentParser(prog="python -m bench.handover")
    parser.add_argument("--quick", action="store_true", help="50 cases instead of 300")
    parser.add_argument("--count", type=int, help="cases per side")
    parser.add_argument("--sqlite", action="store_true", help="never use PostgreSQL")
    args = parser.parse_args(argv)
    quiet_logs()
    count = args.count or (50 if args.quick else 300)
    asyncio.run(run(count, not args.sqlite))
    return 0


if __name__ == "__main__":
    exit_past_the_runtime(main())
