"""Schemathesis' own runner (`st run`) against the product served on a local port.

The app runs in the test's event loop (its database engine and Temporal client live there);
`st` runs in a subprocess, so the whole engine takes part: examples, coverage (undeclared
methods, missing headers, negative data), fuzzing, and the stateful phase on OpenAPI links.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI

ST = Path(sys.executable).parent / "st"
# Every check but positive_data_acceptance: a valid body can still be a business refusal (a
# date in the future, a step not allowed now), which the contract answers with a documented 422.
CHECKS = ["--checks", "all", "--exclude-checks", "positive_data_acceptance"]


@dataclass(frozen=True)
class Outcome:
    """What `st run` said."""

    returncode: int
    output: str

    def tail(self, lines: int = 120) -> str:
        return "\n".join(self.output.splitlines()[-lines:])


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """The app (lifespan run) on 127.0.0.1 and a free port; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


async def st_run(
    base_url: str, headers: dict[str, str], max_time: int, *extra: str, seed: int = 1
) -> Outcome:
    """One `st run` on the served schema, bounded in time; never waits on a prompt."""
    args = [
        str(ST),
        "run",
        f"{base_url}/openapi.json",
        *CHECKS,
        "--max-time",
        str(max_time),
        "--seed",
        str(seed),
        "--workers",
        "1",
        "--no-color",
        "--generation-database",
        "none",
        *[arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")],
        # Logging out revokes the very token the run goes on using (tests/security/test_logout.py).
        "--exclude-path",
        "/api/v1/auth/logout",
        *extra,
    ]
    # In a directory of its own: st keeps a cache of crashes it found (replayed first next time)
    # in the working directory; each run starts clean and leaves nothing in the repository.
    with tempfile.TemporaryDirectory(prefix="st-run-") as workdir:
        process = await asyncio.create_subprocess_exec(
            *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=workdir
        )
        stdout, _ = await asyncio.wait_for(process.communicate(), timeout=max_time + 120)
    return Outcome(process.returncode or 0, stdout.decode(errors="replace"))
