"""The printed result: a short table and one verdict line per ratio."""

from __future__ import annotations

from bench.comparison import Results
from bench.cpu import Reading
from bench.timing import Latency, Throughput

START_TARGET = 0.5  # api starts/s over bare starts/s, at least
P95_TARGET = 2.0  # api action p95 over bare Update p95, at most (issue 13)


def render(results: Results, total_seconds: float) -> str:
    """The table and verdicts as text."""
    plan = results.plan
    starts = results.starts
    start_ratio = _ratio(starts.api.per_second, starts.bare.per_second)
    p95_ratio = _ratio(results.api_actions.percentile(95), results.bare_updates.percentile(95))
    rows: list[tuple[str, ...]] = [
        ("", "API", "bare Temporal", "api/bare"),
        (f"starts/s ({plan.concurrency} concurrent, N={plan.count})",
         f"{starts.api.per_second:.1f}", f"{starts.bare.per_second:.1f}",
         f"{start_ratio:.2f}"),
        ("start failures", _failures(starts.api), _failures(starts.bare), ""),
        ("bare starts/s run to their end (no target)", "",
         f"{starts.bare_run_through.per_second:.1f}",
         f"{_ratio(starts.api.per_second, starts.bare_run_through.per_second):.2f}"),
        ("bare pathway-shaped starts/s through their first task (no target)", "",
         f"{starts.bare_first_tasks.per_second:.1f}",
         f"{_ratio(starts.api.per_second, starts.bare_first_tasks.per_second):.2f}"),
        ("pathway-shaped failures (no first task run)", "",
         _failures(starts.bare_first_tasks), ""),
        (f"action p50 ms (sequential, n={plan.samples})", _ms(results.api_actions, 50),
         _ms(results.bare_updates, 50),
         f"{_ratio(results.api_actions.percentile(50), results.bare_updates.percentile(50)):.2f}"),
        ("action p95 ms", _ms(results.api_actions, 95), _ms(results.bare_updates, 95),
         f"{p95_ratio:.2f}"),
        ("action failures", _failures(results.api_actions), _failures(results.bare_updates), ""),
    ]
    lines = [f"Pathway engine vs bare Temporal - database {results.database_kind}, "
             f"one machine, one run ({total_seconds:.0f} s)"]
    lines += _aligned(rows)
    lines += [f"  first error: {e}" for e in _errors(results) if e]
    lines += _cpu_table(starts.cpu_ms)
    lines.append(_verdict("starts ratio api/bare", start_ratio, f">= {START_TARGET}",
                          start_ratio >= START_TARGET))
    lines.append(_verdict("action p95 ratio api/bare", p95_ratio, f"<= {P95_TARGET:g}",
                          p95_ratio <= P95_TARGET))
    return "\n".join(lines)


def _cpu_table(phases: dict[str, Reading]) -> list[str]:
    """Milliseconds of CPU a start, by phase and process (nothing where /proc is missing)."""
    if not phases:
        return []
    names = list(next(iter(phases.values())))
    rows: list[tuple[str, ...]] = [("CPU ms a start", *names)]
    rows += [(phase, *(f"{used[name]:.1f}" for name in names)) for phase, used in phases.items()]
    return _aligned(rows)


def _aligned(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as lines: the first column to the left, the others to the right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in
                                                   zip(row[1:], widths[1:], strict=True)])
            for row in rows]


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("nan")


def _ms(measured: Latency, p: int) -> str:
    return f"{measured.percentile(p) * 1000:.1f}"


def _failures(measured: Throughput | Latency) -> str:
    total = measured.done if isinstance(measured, Throughput) else len(measured.samples)
    return f"{measured.failed}/{total + measured.failed}"


def _errors(results: Results) -> list[str | None]:
    starts = results.starts
    return [starts.api.first_error, starts.bare.first_error,
            starts.bare_first_tasks.first_error,
            results.api_actions.first_error, results.bare_updates.first_error]


def _verdict(name: str, value: float, target: str, met: bool) -> str:
    return f"{name} = {value:.2f} (target {target}): {'MET' if met else 'NOT MET'}"
