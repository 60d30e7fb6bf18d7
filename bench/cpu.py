"""Where a phase's time goes: CPU seconds by process, read from /proc (Linux only).

A start's cost is spread over five processes (the API, the product's worker, the Temporal
server, PostgreSQL and this load generator); their CPU over a timed phase, divided by the
phase's starts, says which of them the ratio is made of. Elsewhere than Linux nothing is read
and nothing is printed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

PROC = Path("/proc")
LOAD_GENERATOR = "load generator"

# A group's processes, looked up at each reading (PostgreSQL starts a process per connection).
Pids = Callable[[], Sequence[int]]
Reading = dict[str, float]


def available() -> bool:
    """Whether CPU by process can be read here."""
    return (PROC / "self" / "stat").exists()


def pids_whose_command(*parts: str) -> Pids:
    """The processes whose command line holds every one of `parts`."""

    def find() -> list[int]:
        found = []
        for entry in PROC.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:  # gone since the listing
                continue
            if all(part in command for part in parts):
                found.append(int(entry.name))
        return found

    return find


def fixed(pid: int) -> Pids:
    """One process known by its id."""
    return lambda: [pid]


def read(groups: Mapping[str, Pids]) -> Reading:
    """CPU seconds used so far by each group, and by this process (the load generator)."""
    reading = {name: sum(_cpu_seconds(pid) for pid in pids()) for name, pids in groups.items()}
    reading[LOAD_GENERATOR] = time.process_time()
    return reading


def per_item(before: Reading, after: Reading, items: int) -> Reading:
    """Milliseconds of CPU per item between two readings, by group."""
    return {name: 1000 * (after[name] - before[name]) / items for name in before}


def _cpu_seconds(pid: int) -> float:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:  # the process has ended: its time is no longer counted
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command's name, which may hold spaces
    user, system = int(fields[11]), int(fields[12])
    return (user + system) / os.sysconf("SC_CLK_TCK")
