"""The product's processes as production runs them, which a test can kill: worker, API, Temporal.

Every process is stopped on the way out, even when the test fails: SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from temporalio.client import Client

from core.settings import Settings
from worker.search_attributes import dev_server_flags

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
STOP_SECONDS = 25  # longer than the worker's graceful shutdown (worker/main.py: 20 s)
START_SECONDS = 30
START_ATTEMPTS = 4  # a free port may be taken by another process before the server binds it


def free_port() -> int:
    """A port nobody listens on right now, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment_of(settings: Settings) -> dict[str, str]:
    """This process's environment with `settings` as the `PATHWAYS_*` variables a child reads."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATHWAYS_")}
    for name, value in settings.model_dump(mode="json").items():
        if value is not None:
            env[f"PATHWAYS_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
    return env


class Child:
    """A `python -m worker.cli …` process whose output goes to a log file."""

    def __init__(self, command: str, settings: Settings, log: Path) -> None:
        self.command = command
        self.settings = settings
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start (or start again) the process."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "worker.cli", self.command],
                env=environment_of(self.settings),
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def running(self) -> bool:
        """The process is alive."""
        return self.process is not None and self.process.poll() is None

    async def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        assert self.process is not None
        self.process.kill()
        await asyncio.to_thread(self.process.wait, STOP_SECONDS)

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        """Ask the process to stop and wait; SIGKILL if it takes longer than `STOP_SECONDS`."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                await asyncio.to_thread(self.process.wait, STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                await asyncio.to_thread(self.process.wait, 5)
        return self.process.returncode

    def output(self) -> str:
        """The end of what the process printed, for failure messages."""
        return self.log.read_text(errors="replace")[-4000:]

    async def wait_for_line(self, event: str, seen_before: int = 0) -> None:
        """Until the log holds `event` more than `seen_before` times; fail if the process exits
        or takes longer than `START_SECONDS`."""
        async with asyncio.timeout(START_SECONDS):
            while self.log.read_text(errors="replace").count(event) <= seen_before:
                assert self.running(), f"{self.command} exited while starting:\n{self.output()}"
                await asyncio.sleep(0.1)


@asynccontextmanager
async def child(command: str, settings: Settings, log: Path) -> AsyncIterator[Child]:
    """A started `pathways COMMAND` process, stopped on the way out.

    A worker is yielded once it polls its task queue: a test's first step must not race the
    process's start (on a loaded machine that takes longer than an Update's wait). A restart
    within the test does not wait, as requests do not wait for a supervisor's restart.
    """
    proc = Child(command, settings, log)
    proc.start()
    try:
        if command == "worker":
            await proc.wait_for_line("worker_started")
        yield proc
    finally:
        if proc.running():
            await proc.stop()


async def wait_for_api(base_url: str, proc: Child) -> None:
    """Until the API answers `/health`; fail if it exits or takes longer than `START_SECONDS`."""
    async with asyncio.timeout(START_SECONDS), httpx.AsyncClient(base_url=base_url) as http:
        while True:
            assert proc.running(), f"the API exited while starting:\n{proc.output()}"
            try:
                if (await http.get("/api/v1/health", timeout=2)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)


class TemporalDevServer:
    """`temporal server start-dev` on a persistent file, which a test can stop and start again."""

    def __init__(self, db_file: Path, log: Path) -> None:
        self.db_file = db_file
        self.log = log
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.started_once = False

    async def start(self) -> None:
        """Start on the same file and port, and wait until it answers.

        A free port found a moment ago may be taken by another process before the server binds
        it: the first start then moves to another port; a restart (which must keep its address)
        waits for the port to be released and tries again.
        """
        for attempt in range(START_ATTEMPTS):
            if await self._start_once():
                self.started_once = True
                return
            if attempt + 1 == START_ATTEMPTS or "address already in use" not in self._log_tail():
                break
            if not self.started_once:
                self.port = free_port()
                self.address = f"127.0.0.1:{self.port}"
            await asyncio.sleep(0.5)
        raise AssertionError(self._log_tail())

    async def _start_once(self) -> bool:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(BIN / "temporal"), "server", "start-dev", "--headless",
                 "--db-filename", str(self.db_file), "--ip", "127.0.0.1",
                 "--port", str(self.port), "--ui-port", str(free_port()),
                 "--http-port", str(free_port()), "--metrics-port", str(free_port()),
                 "--log-level", "error", *dev_server_flags()],
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        async with asyncio.timeout(START_SECONDS):
            while True:
                if self.process.poll() is not None:
                    return False
                try:
                    client = await Client.connect(self.address)
                    await client.service_client.check_health()
                    return True
                except Exception:  # not up yet
                    await asyncio.sleep(0.1)

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    async def stop(self) -> None:
        """Stop the server (SIGTERM; SIGKILL if it lingers); its file keeps the histories."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                await asyncio.to_thread(self.process.wait, STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                await asyncio.to_thread(self.process.wait, 5)


@asynccontextmanager
async def temporal_dev_server(directory: Path) -> AsyncIterator[TemporalDevServer]:
    """A dev server of the test's own, persisted in `directory`, stopped on the way out."""
    server = TemporalDevServer(directory / "temporal.db", directory / "temporal.log")
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
