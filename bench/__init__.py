"""Benchmarks: the pathway engine measured against bare Temporal, in one run on one machine.

`python -m bench` (or `make bench`) starts a Temporal dev server and a fresh database (PostgreSQL
at 127.0.0.1:5432 when reachable, else a temporary SQLite file) and runs the product as it runs in
production and under `make run`: the API (`pathways api`) and the worker (`pathways worker`) each
in a process of its own, and the bare-Temporal baseline worker in its own too. It prints:

1. pathway starts/s through `POST /api/v1/participants/{id}/pathways` versus bare
   `client.start_workflow` of a trivial one-activity workflow, at the same concurrency
   (target api/bare >= 0.5); beside it, without a target, the bare starts timed until their
   workflows end, and bare starts of a pathway-shaped workflow (the pathway's search attributes,
   one timer) timed until their first tasks have run, as a pathway's first task runs in the API's
   window; and on Linux the CPU a start took in each process, phase by phase (from /proc);
2. p50/p95 latency of a caseworker action (`record_attendance` through
   `POST /api/v1/pathways/{id}/actions`) versus a bare Temporal Update round trip, sequential and
   interleaved one for one so both meet the same conditions (target p95 api/bare <= 2).

Flags:
  --quick            a small run: 50 starts per side, 50 latency samples
  --count N          starts per side (default 300)
  --concurrency C    concurrent clients for the start phase (default 20)
  --samples S        latency samples per side, after a warm-up (default 200)
  --sqlite           use a temporary SQLite file even when PostgreSQL is reachable

A missed target is printed, never turned into a failing exit code; the process fails only when
the set-up or the measured calls themselves fail.
"""
