"""The `pathways` command: migrations and staff accounts from the shell."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from services.credentials import verify_password
from tests.support import Staff, login
from worker.cli import app


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The CLI, pointed at the test database through its settings."""
    from core.settings import get_settings

    monkeypatch.setenv("PATHWAYS_DATABASE_URL", database_url)
    monkeypatch.setenv("PATHWAYS_ENVIRONMENT", "development")  # unset would mean production
    get_settings.cache_clear()
    return CliRunner()


def test_db_upgrade_is_idempotent(runner: CliRunner) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


async def test_users_create_makes_a_user_who_can_log_in(
    runner: CliRunner, api: httpx.AsyncClient, staff: Staff
) -> None:
    username = f"cli-{uuid.uuid4().hex[:6]}"
    result = await asyncio.to_thread(
        runner.invoke,
        app,
        ["users", "create", username, "supervisor", "--unit", staff.unit_code],
        input="a-long-password\na-long-password\n",
    )
    assert result.exit_code == 0, result.output
    headers = await login(api, username, "a-long-password")
    assert (await api.get("/participants", headers=headers)).status_code == 200


def test_users_create_refuses_an_unknown_unit(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["users", "create", "nobody", "caseworker", "--unit", "NO-SUCH"],
        input="a-long-password\na-long-password\n",
    )
    assert result.exit_code == 1
    assert "There is no unit with code NO-SUCH" in result.output


def test_the_first_admin_is_made_without_a_prompt_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As Compose's migrate service does it: `db upgrade --first-admin` on an empty database."""
    from core.settings import get_settings

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("PATHWAYS_DATABASE_URL", url)
    monkeypatch.setenv("PATHWAYS_ENVIRONMENT", "development")
    monkeypatch.setenv("PATHWAYS_ADMIN_USERNAME", "head-admin")
    monkeypatch.setenv("PATHWAYS_ADMIN_PASSWORD", "first-admin-password")
    get_settings.cache_clear()
    runner = CliRunner()

    first = runner.invoke(app, ["db", "upgrade", "--first-admin"])
    assert first.exit_code == 0, first.output
    assert "administrator head-admin created" in first.output
    # A later deployment with another password changes nothing: the admin keeps theirs.
    monkeypatch.setenv("PATHWAYS_ADMIN_PASSWORD", "another-password-now")
    get_settings.cache_clear()
    again = runner.invoke(app, ["users", "create-first-admin"])
    assert again.exit_code == 0, again.output
    assert "exists already" in again.output

    with sqlite3.connect(tmp_path / "fresh.db") as db:
        rows = db.execute("SELECT username, role, password_hash FROM users").fetchall()
    assert [(name, role) for name, role, _ in rows] == [("head-admin", "admin")]
    assert verify_password("first-admin-password", rows[0][2])
    get_settings.cache_clear()
