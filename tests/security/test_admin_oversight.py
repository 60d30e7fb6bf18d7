"""An administrator's acts in another unit land in that unit's audit log, with who and from
which unit, and its supervisors are told once by e-mail (issue 18)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import units
from db.models import StaffMessage, Unit
from db.session import unit_of_work
from domain.calendar import local_date
from domain.roles import Role
from tests.security.conftest import audit_entries, open_kis_pathway
from tests.support import PASSWORD_HASH, Staff, eventually, login


async def _unit_id(sessions: async_sessionmaker[AsyncSession], code: str) -> uuid.UUID:
    async with sessions() as session:
        found = await session.scalar(select(Unit.id).where(Unit.code == code))
        assert found is not None
        return found


async def _admin_elsewhere(
    api: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], staff: Staff
) -> tuple[str, dict[str, str], uuid.UUID]:
    """An administrator of a unit of their own (as `make run`'s SYSTEM), and two supervisors of
    the staff's unit with e-mail addresses."""
    tag = uuid.uuid4().hex[:8]
    async with unit_of_work(sessions) as session:
        system = await units.create_unit(session, f"SYS-{tag}", "Administracja", "kis")
        await units.create_user(
            session, f"root-{tag}", PASSWORD_HASH, Role.ADMIN, system
        )
        unit = await units.unit_by_code(session, staff.unit_code)
        assert unit is not None
        for name in ("kierownik", "zastepca"):
            await units.create_user(
                session,
                f"{name}-{tag}",
                PASSWORD_HASH,
                Role.SUPERVISOR,
                unit,
                f"{name}-{tag}@ops.example.pl",
            )
    return f"root-{tag}", await login(api, f"root-{tag}"), system.id


async def test_an_account_made_by_an_admin_is_in_the_units_log_and_told_to_its_supervisors(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin, headers, admin_unit = await _admin_elsewhere(api, sessions, staff)
    made = f"wtyczka-{uuid.uuid4().hex[:6]}"
    answer = await api.post(
        "/users",
        json={
            "username": made,
            "password": "a-long-enough-password",
            "role": "caseworker",
            "unit_code": staff.unit_code,
        },
        headers=headers,
    )
    assert answer.status_code == 201, answer.text

    # The unit's supervisor sees it in the unit's own log: who, from which unit, which account.
    [entry] = await audit_entries(api, staff.supervisor, action="user.create", actor=admin)
    assert entry["unit_id"] == str(await _unit_id(sessions, staff.unit_code))
    assert entry["actor_unit_id"] == str(admin_unit) and entry["role"] == "admin"
    assert f"username:{made}" in entry["fields"] and "password" in entry["fields"]
    # What the new account then reads is audited in the unit under its own name, as ever.
    reader = await login(api, made, "a-long-enough-password")
    assert (await api.get("/participants", headers=reader)).status_code == 200

    # Both supervisors with an address get one e-mail about it (the worker's log channel here).
    async def told() -> StaffMessage | None:
        async with sessions() as session:
            row = await session.get(StaffMessage, f"admin-act:{entry['id']}")
            return row if row is not None and row.status == "sent" else None

    message = await eventually(told)
    assert message.kind == "admin_act" and message.recipients == 2


async def test_an_admins_export_of_a_units_figures_is_in_that_units_log(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin, headers, admin_unit = await _admin_elsewhere(api, sessions, staff)
    answer = await api.get(
        "/reports/annual", params={"year": 2025, "unit": staff.unit_code}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    [entry] = await audit_entries(api, staff.supervisor, action="report.annual", actor=admin)
    assert "year:2025" in entry["fields"] and entry["actor_unit_id"] == str(admin_unit)
    # One entry, in the unit the figures are of (an admin reads every unit's log).
    assert await audit_entries(api, headers, action="report.annual", actor=admin) == [entry]


async def test_an_admin_sees_a_units_kpis_with_small_counts_suppressed(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin, headers, _ = await _admin_elsewhere(api, sessions, staff)
    today = local_date(datetime.now(UTC))
    await open_kis_pathway(api, staff.caseworker)
    period = {"from": date(today.year, 1, 1).isoformat(), "to": today.isoformat()}

    async def one_open() -> dict[str, Any] | None:
        answer = await api.get("/reports/kpis", params=period, headers=staff.supervisor)
        report: dict[str, Any] = answer.json()
        counts = [row["count"] for row in report["participants_by_stage"]]
        return report if counts == [1] else None

    await eventually(one_open)  # the unit's supervisor sees the one person
    answer = await api.get(
        "/reports/kpis", params={**period, "unit": staff.unit_code}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["suppressed"] is True and report["min_cell_count"] == 5
    lines = {line["key"]: line for line in report["lines"]}
    stage = lines["participants_by_stage.kis.kis_intake"]
    assert stage["value"] is None and stage["suppressed"] is True
    assert all(
        line["value"] is None or line["value"] == 0 or line["value"] >= 5
        for key, line in lines.items()
        if not key.endswith("rate_pct")
    )
    [entry] = await audit_entries(api, staff.supervisor, action="report.kpis", actor=admin)
    assert staff.unit_code in entry["fields"]
