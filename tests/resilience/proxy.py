"""A TCP proxy in front of PostgreSQL that a test can make refuse or stall connections."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

CHUNK = 64 * 1024


class TcpProxy:
    """Forwards 127.0.0.1:`port` to a target; `refuse()` makes it look like the server is down."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.Task[None]] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self.port = 0

    async def open(self) -> None:
        """Listen (again) on the proxy's port, forwarding every connection."""
        self._server = await asyncio.start_server(self._link, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def refuse(self) -> None:
        """Stop listening and cut every live connection: new ones are refused, as by a dead host."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for link in list(self._links):
            link.cancel()
        await asyncio.gather(*self._links, return_exceptions=True)

    def stall(self) -> None:
        """Keep connections open but pass no bytes: queries hang, as on a frozen server."""
        self._flowing.clear()

    def resume(self) -> None:
        """Pass bytes again after `stall()`."""
        self._flowing.set()

    async def _link(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._links.add(task)
        server_w: asyncio.StreamWriter | None = None
        try:
            server_r, server_w = await asyncio.open_connection(*self._target)
            await asyncio.gather(self._pump(client_r, server_w), self._pump(server_r, client_w))
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            self._links.discard(task)
            for writer in (client_w, server_w):
                if writer is not None:
                    writer.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(CHUNK):
            await self._flowing.wait()
            writer.write(data)
            await writer.drain()
        writer.transport.abort()


@asynccontextmanager
async def tcp_proxy(target_host: str, target_port: int) -> AsyncIterator[TcpProxy]:
    """A running proxy, closed with all its connections on the way out."""
    proxy = TcpProxy(target_host, target_port)
    await proxy.open()
    try:
        yield proxy
    finally:
        proxy.resume()
        with contextlib.suppress(Exception):
            await proxy.refuse()
