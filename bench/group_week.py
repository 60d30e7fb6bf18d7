"""`python -m bench.group_week [--quick] [--sqlite]`: the numbers of issue 14, in one run.

1. A 60-person centre's month (about 1,200 classes held): the programme planned into days and
   checked (every CIS person's weeks against 30-40 h, every clash) by the domain; target < 1 s.
2. One class's attendance list for a group of 60 through `POST /api/v1/classes/{id}/attendance`
   (the API and the worker in their own processes, as `python -m bench` runs them) against 60 bare
   Temporal Updates sent concurrently to 60 trivial workflows on the same server, alternately;
   target p95 list / p95 bare <= 2, with the absolute times.
3. "Who was here this month" for a unit of 500 (`services.group_attendance.who_was_here`)
   against the raw SQL of the same shape, alternately; target p95 ratio <= 2.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import uuid
from datetime import UTC, date, datetime, timedelta
from time import perf_counter
from typing import Any

import httpx
from sqlalchemy import text

from bench.baseline import BareTemporal
from bench.group_week_data import month_programme, seed_attendance
from bench.plan import Plan
from bench.stack import Stack, quiet_logs, running_stack
from bench.timing import Latency, paired_latency
from core.temporal import exit_past_the_runtime
from domain.month_check import check_month
from domain.roles import Role
from domain.timetable import class_days, month_bounds
from services import group_attendance
from services.context import Caller, open_services

API = "/api/v1"
GROUP_SIZE = 60
WHO_WAS_HERE_PEOPLE = 500
MONTH = (2026, 11)

_WHO_SQL = """
SELECT m.* FROM class_marks m
JOIN (SELECT class_id, day, participant_id, max(correction) AS correction FROM class_marks
      WHERE unit_id = :unit AND day >= :first AND day <= :last
      GROUP BY class_id, day, participant_id) newest
  ON m.class_id = newest.class_id AND m.day = newest.day
 AND m.participant_id = newest.participant_id AND m.correction = newest.correction
ORDER BY m.day, m.participant_id, m.class_id
"""


def plan_and_check(runs: int) -> tuple[int, list[float]]:
    """Classes held in the month, and the seconds each planning and check took."""
    classes, members, people = month_programme(*MONTH)
    times, held = [], 0
    for _ in range(runs):
        began = perf_counter()
        held = len(class_days(classes, *month_bounds(*MONTH)))
        check_month(classes, members, people, *MONTH)
        times.append(perf_counter() - began)
    return held, times


async def who_was_here(stack: Stack, samples: int) -> tuple[int, Latency, Latency]:
    """The service against the raw SQL, alternately, on a seeded unit of 500."""
    async with open_services(stack.settings, connect=False) as services:
        unit_id, rows = await seed_attendance(services, WHO_WAS_HERE_PEOPLE, *MONTH)
        caller = Caller(uuid.uuid4(), "bench", Role.SUPERVISOR, unit_id)
        first, last = month_bounds(*MONTH)

        async def product(_: int) -> object:
            return await group_attendance.who_was_here(services, caller, *MONTH)

        async def raw(_: int) -> object:
            async with services.sessions() as session:
                params = {"unit": unit_id, "first": first, "last": last}
                return (await session.execute(text(_WHO_SQL), params)).all()

        mine, bare = await paired_latency(samples, 3, product, raw, 600)
    return rows, mine, bare


async def _call(http: httpx.AsyncClient, method: str, path: str, **kw: Any) -> Any:
    answer = await http.request(method, API + path, **kw)
    if answer.status_code >= 300:
        raise RuntimeError(f"{method} {path} -> {answer.status_code}: {answer.text[:300]}")
    return answer.json()


async def _login(http: httpx.AsyncClient, user: str, password: str) -> dict[str, str]:
    token = await _call(http, "POST", "/auth/token", data={"username": user, "password": password})
    return {"Authorization": f"Bearer {token['access_token']}"}


async def lists_against_bare(stack: Stack, samples: int) -> tuple[Latency, Latency]:
    """A group of 60 in a CIS's main period; each sample a new day's list against 60 bumps."""
    today = datetime.now(UTC).date()
    admitted = today - timedelta(days=100)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=120) as http:
        cw = await _login(http, "anna.kowalska", stack.settings.demo_password)
        head = await _login(http, "marek.nowak", stack.settings.demo_password)
        gate = asyncio.Semaphore(10)

        async def admit(n: int) -> str:
            async with gate:
                body = {"first_name": "Bench", "last_name": f"Member{n}",
                        "birth_date": "1980-01-01", "categories": ["long_term_unemployed"]}
                pid = (await _call(http, "POST", "/participants", json=body, headers=cw))["id"]
                start = {"programme": "cis", "start_date": admitted.isoformat()}
                way = await _call(http, "POST", f"/participants/{pid}/pathways", json=start,
                                  headers=cw)
                for step, on in (("sign_ipzs", admitted), ("pass_trial", admitted + timedelta(30))):
                    await _call(http, "POST", f"/pathways/{way['id']}/actions", headers=head,
                                json={"type": step, "occurred_on": on.isoformat()})
                return str(pid)

        members = await asyncio.gather(*(admit(n) for n in range(GROUP_SIZE)))
        group = (await _call(http, "POST", "/groups", json={"name": "Bench"}, headers=cw))["id"]
        for pid in members:
            await _call(http, "POST", f"/groups/{group}/members", headers=cw,
                        json={"participant_id": pid, "on": admitted.isoformat()})
        classes = {}
        for weekday in range(5):
            body = {"kind": "workshop", "title": "Warsztat", "place": "Sala 1",
                    "group_id": group, "starts_at": "08:00", "hours": "6", "weekday": weekday,
                    "first_day": admitted.isoformat(), "last_day": today.isoformat()}
            classes[weekday] = (await _call(http, "POST", "/classes", json=body, headers=cw))["id"]
        days = [d for d in (admitted + timedelta(days=31 + n) for n in range(69))
                if d.weekday() < 5 and d < today]
        bare = BareTemporal(stack.client, stack.baseline_queue)
        counters = [await bare.open_counter() for _ in range(GROUP_SIZE)]

        async def one_list(index: int) -> object:
            day = days[index % len(days)]
            marks = [{"participant_id": p, "mark": "present", "hours": "6"} for p in members]
            answer = await _call(http, "POST", f"/classes/{classes[day.weekday()]}/attendance",
                                 json={"day": day.isoformat(), "marks": marks}, headers=cw)
            if answer["not_recorded"]:
                raise RuntimeError(f"not recorded: {answer['not_recorded'][:2]}")
            return answer

        async def sixty_bumps(_: int) -> object:
            return await asyncio.gather(*(bare.bump(c) for c in counters))

        try:
            return await paired_latency(min(samples, len(days) - 2), 2, one_list, sixty_bumps,
                                        900)
        finally:
            await asyncio.gather(*(bare.close_counter(c, 30) for c in counters))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _pair(label: str, mine: Latency, bare: Latency) -> str:
    ratio = mine.percentile(95) / bare.percentile(95)
    error = f"; {mine.first_error}" if mine.first_error else ""
    return (f"{label}: p50 {_ms(mine.percentile(50))} vs {_ms(bare.percentile(50))}, "
            f"p95 {_ms(mine.percentile(95))} vs {_ms(bare.percentile(95))}, "
            f"ratio p95 {ratio:.2f} (target <= 2; {len(mine.samples)} samples, "
            f"failed {mine.failed}/{bare.failed}{error})")


async def run(quick: bool, postgres: bool) -> None:
    """Everything in one event loop; the stack torn down at the end."""
    held, times = plan_and_check(3 if quick else 10)
    print(f"1. month's programme: {held} classes held for 60 people, planned and checked in "
          f"median {_ms(statistics.median(times))}, worst {_ms(max(times))} (target < 1 s)",
          flush=True)
    plan = Plan(use_postgres=postgres)
    async with running_stack(plan) as stack:
        print(f"   (database: {stack.database_kind})", flush=True)
        mine, bare = await lists_against_bare(stack, 5 if quick else 20)
        print("2. " + _pair("attendance list of 60 vs 60 concurrent bare Updates", mine, bare),
              flush=True)
        rows, mine, bare = await who_was_here(stack, 10 if quick else 50)
        print("3. " + _pair(f"who was here, unit of 500 ({rows} marks) vs raw SQL", mine, bare),
              flush=True)


def main(argv: list[str] | None = None) -> int:
    """Parse the flags, run, print."""
    parser = argparse.ArgumentParser(prog="python -m bench.group_week")
    parser.add_argument("--quick", action="store_true", help="a few samples only")
    parser.add_argument("--sqlite", action="store_true", help="never use PostgreSQL")
    args = parser.parse_args(argv)
    quiet_logs()
    print(f"bench.group_week ({date.today()}): starting...", flush=True)
    asyncio.run(run(args.quick, not args.sqlite))
    return 0


if __name__ == "__main__":
    exit_past_the_runtime(main())
