"""Fault tests run the product as production does: the API and the worker as processes to kill,
PostgreSQL behind a proxy to cut, a Temporal dev server of their own to stop."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.engine import make_url
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from tests.resilience.proxy import TcpProxy, tcp_proxy


@pytest.fixture
def temporal_address(dev_server: WorkflowEnvironment) -> str:
    """The test's Temporal: the session's dev server, unless a module brings its own."""
    return str(dev_server.client.service_client.config.target_host)


@pytest.fixture
def settings(settings: Settings, temporal_address: str) -> Settings:
    """The test's settings, pointing at the test's Temporal."""
    return settings.model_copy(update={"temporal_address": temporal_address})


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API in this process, connecting to Temporal by itself as in production; no worker."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test/api/v1", timeout=60
        ) as client:
            yield client


@pytest.fixture
async def temporal(temporal_address: str) -> Client:
    """A plain client on the test's Temporal, to look at executions (never at payloads)."""
    return await Client.connect(temporal_address)


@pytest.fixture
async def db_proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    """A proxy in front of the test's PostgreSQL, which the test can make refuse or stall."""
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql"):
        pytest.skip("a database outage needs a networked database (PostgreSQL)")
    async with tcp_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy


@pytest.fixture
def proxied_settings(settings: Settings, database_url: str, db_proxy: TcpProxy) -> Settings:
    """The test's settings with the database reached through the proxy."""
    url = make_url(database_url).set(host="127.0.0.1", port=db_proxy.port)
    return settings.model_copy(update={"database_url": url.render_as_string(hide_password=False)})
