"""How big a run is: counts, concurrency and time limits, read from the command line."""

from __future__ import annotations

import argparse
from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """The sizes and limits of one benchmark run."""

    count: int = 300
    concurrency: int = 20
    samples: int = 200
    warmup: int = 20
    active_pathways: int = 20
    use_postgres: bool = True
    phase_seconds: float = 300.0
    request_seconds: float = 30.0


def plan_from_args(argv: list[str] | None = None) -> Plan:
    """The plan the flags ask for (see the package docstring)."""
    parser = argparse.ArgumentParser(prog="python -m bench",
                                     description="Pathway engine vs bare Temporal.")
    parser.add_argument("--quick", action="store_true", help="small run (N=50, 50 samples)")
    parser.add_argument("--count", type=_positive, help="starts per side")
    parser.add_argument("--concurrency", type=_positive, help="concurrent clients for starts")
    parser.add_argument("--samples", type=_positive, help="latency samples per side")
    parser.add_argument("--sqlite", action="store_true", help="never use PostgreSQL")
    args = parser.parse_args(argv)
    base = Plan(count=50, samples=50, warmup=10, active_pathways=10,
                phase_seconds=120.0) if args.quick else Plan()
    return Plan(
        count=args.count or base.count,
        concurrency=args.concurrency or base.concurrency,
        samples=args.samples or base.samples,
        warmup=base.warmup,
        active_pathways=base.active_pathways,
        use_postgres=not args.sqlite,
        phase_seconds=base.phase_seconds,
        request_seconds=base.request_seconds,
    )


def _positive(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError("must be between 1 and 100000")
    return value
