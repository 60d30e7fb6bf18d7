"""The product as it runs in production: the API and the workers in processes of their own."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx


def free_port() -> int:
    """A port nobody listens on right now, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings_env(values: Mapping[str, str]) -> dict[str, str]:
    """This process's environment plus `PATHWAYS_*` settings for a child."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATHWAYS_")}
    env.update({f"PATHWAYS_{k.upper()}": v for k, v in values.items()})
    return env


@asynccontextmanager
async def child(args: list[str], env: Mapping[str, str]) -> AsyncIterator[subprocess.Popen[bytes]]:
    """Run `python ARGS` quietly; stop it with SIGINT (then SIGKILL after 20 s) on the way out."""
    process = subprocess.Popen([sys.executable, *args], env=dict(env),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.to_thread(process.wait, 20)
            except subprocess.TimeoutExpired:
                process.kill()
                await asyncio.to_thread(process.wait, 5)


async def wait_until_ready(base_url: str, process: subprocess.Popen[bytes],
                           seconds: float = 60) -> None:
    """Poll `/ready` until the API answers 200, or fail if it exits or takes too long."""
    async with asyncio.timeout(seconds), httpx.AsyncClient(base_url=base_url, timeout=2) as http:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the API exited with {process.returncode} while starting")
            try:
                if (await http.get("/api/v1/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
