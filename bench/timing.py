"""Measuring: bounded concurrent throughput and sequential latency percentiles."""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from time import perf_counter

Operation = Callable[[int], Awaitable[object]]


@dataclass(frozen=True)
class Throughput:
    """How many calls succeeded in how long."""

    done: int
    failed: int
    seconds: float
    first_error: str | None

    @property
    def per_second(self) -> float:
        """Successful calls per second of wall time."""
        return self.done / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class Latency:
    """Sequential round-trip times in seconds."""

    samples: tuple[float, ...]
    failed: int
    first_error: str | None

    def percentile(self, p: int) -> float:
        """The p-th percentile (1..99) in seconds."""
        if len(self.samples) < 2:
            return self.samples[0] if self.samples else float("nan")
        return statistics.quantiles(self.samples, n=100, method="inclusive")[p - 1]


async def throughput(count: int, concurrency: int, operation: Operation,
                     seconds: float) -> Throughput:
    """Run `operation(0..count-1)` from `concurrency` lanes; time until the last one returns."""
    indexes = iter(range(count))
    errors: list[BaseException] = []

    async def lane() -> None:
        for index in indexes:  # one shared iterator: each index is taken by exactly one lane
            try:
                await operation(index)
            except Exception as err:
                errors.append(err)

    began = perf_counter()
    async with asyncio.timeout(seconds):
        await asyncio.gather(*(lane() for _ in range(min(concurrency, count))))
    elapsed = perf_counter() - began
    return Throughput(done=count - len(errors), failed=len(errors), seconds=elapsed,
                      first_error=_describe(errors))


async def paired_latency(samples: int, warmup: int, first: Operation, second: Operation,
                         seconds: float) -> tuple[Latency, Latency]:
    """Time `first` and `second` alternately, so both meet the same background conditions."""
    times: tuple[list[float], list[float]] = ([], [])
    errors: tuple[list[BaseException], list[BaseException]] = ([], [])
    async with asyncio.timeout(seconds):
        for index in range(warmup + samples):
            for side, operation in enumerate((first, second)):
                began = perf_counter()
                try:
                    await operation(index)
                except Exception as err:
                    errors[side].append(err)
                    continue
                if index >= warmup:
                    times[side].append(perf_counter() - began)
    first_latency, second_latency = (
        Latency(samples=tuple(times[i]), failed=len(errors[i]), first_error=_describe(errors[i]))
        for i in (0, 1))
    return first_latency, second_latency


def _describe(errors: list[BaseException]) -> str | None:
    return f"{type(errors[0]).__name__}: {errors[0]}"[:300] if errors else None
