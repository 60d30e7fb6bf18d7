"""The printed result: a short table and one verdict line per ratio."""

from __future__ import annotations

from bench.comparison import Results
from bench.timing import Latency, Throughput

START_TARGET = 0.5  # api starts/s over bare starts/s, at least
P95_TARGET = 2.0  # api action p95 over bare Update p95, at most (issue 13)


def render(results: Results, total_seconds: float) -> str:
    """The table and verdicts as text."""
    plan = results.plan
    start_ratio = _ratio(results.api_starts.per_second, results.bare_starts.per_second)
    p95_ratio = _ratio(results.api_actions.percentile(95), results.bare_updates.percentile(95))
    rows = [
        ("", "API", "bare Temporal", "api/bare"),
        (f"starts/s ({plan.concurrency} concurrent, N={plan.count})",
         f"{results.api_starts.per_second:.1f}", f"{results.bare_starts.per_second:.1f}",
         f"{start_ratio:.2f}"),
        ("start failures", _failures(results.api_starts), _failures(results.bare_starts), ""),
        ("bare starts/s run to their end (no target)", "",
         f"{results.bare_run_through.per_second:.1f}",
         f"{_ratio(results.api_starts.per_second, results.bare_run_through.per_second):.2f}"),
        ("bare pathway-shaped starts/s through their first task (no target)", "",
         f"{results.bare_first_tasks.per_second:.1f}",
         f"{_ratio(results.api_starts.per_second, results.bare_first_tasks.per_second):.2f}"),
        ("pathway-shaped failures (no first task run)", "",
         _failures(results.bare_first_tasks), ""),
        (f"action p50 ms (sequential, n={plan.samples})", _ms(results.api_actions, 50),
         _ms(results.bare_updates, 50),
         f"{_ratio(results.api_actions.percentile(50), results.bare_updates.percentile(50)):.2f}"),
        ("action p95 ms", _ms(results.api_actions, 95), _ms(results.bare_updates, 95),
         f"{p95_ratio:.2f}"),
        ("action failures", _failures(results.api_actions), _failures(results.bare_updates), ""),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [f"Pathway engine vs bare Temporal - database {results.database_kind}, "
             f"one machine, one run ({total_seconds:.0f} s)"]
    lines += ["  ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in
                                                     zip(row[1:], widths[1:], strict=True)])
              for row in rows]
    lines += [f"  first error: {e}" for e in _errors(results) if e]
    lines.append(_verdict("starts ratio api/bare", start_ratio, f">= {START_TARGET}",
                          start_ratio >= START_TARGET))
    lines.append(_verdict("action p95 ratio api/bare", p95_ratio, f"<= {P95_TARGET:g}",
                          p95_ratio <= P95_TARGET))
    return "\n".join(lines)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("nan")


def _ms(measured: Latency, p: int) -> str:
    return f"{measured.percentile(p) * 1000:.1f}"


def _failures(measured: Throughput | Latency) -> str:
    total = measured.done if isinstance(measured, Throughput) else len(measured.samples)
    return f"{measured.failed}/{total + measured.failed}"


def _errors(results: Results) -> list[str | None]:
    return [results.api_starts.first_error, results.bare_starts.first_error,
            results.bare_first_tasks.first_error,
            results.api_actions.first_error, results.bare_updates.first_error]


def _verdict(name: str, value: float, target: str, met: bool) -> str:
    return f"{name} = {value:.2f} (target {target}): {'MET' if met else 'NOT MET'}"
