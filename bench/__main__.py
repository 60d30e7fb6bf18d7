"""`python -m bench`: start the stack, run both comparisons, print the table."""

from __future__ import annotations

import asyncio
from time import perf_counter

from bench.comparison import Results, compare
from bench.plan import Plan, plan_from_args
from bench.report import render
from bench.stack import quiet_logs, running_stack
from core.temporal import exit_past_the_runtime


async def run(plan: Plan) -> Results:
    """Everything inside one event loop, torn down before returning."""
    async with running_stack(plan) as stack:
        return await compare(stack, plan)


def main(argv: list[str] | None = None) -> int:
    """Run and print; a missed target is reported, not an error."""
    plan = plan_from_args(argv)
    quiet_logs()
    began = perf_counter()
    print(f"bench: N={plan.count} per side, concurrency {plan.concurrency}, "
          f"{plan.samples} latency samples; starting the stack...", flush=True)
    results = asyncio.run(run(plan))
    print(render(results, perf_counter() - began), flush=True)
    return 0


if __name__ == "__main__":
    exit_past_the_runtime(main())
