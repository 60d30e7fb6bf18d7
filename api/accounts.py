"""Accounts made outside the API: the first admin, demo data for `make run`, CLI-made users."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.security import hash_password
from db import units
from db.session import unit_of_work
from domain.errors import InvalidInput
from domain.roles import Role

SYSTEM_UNIT = ("SYSTEM", "Administracja systemu", "kis")
DEMO_UNIT = ("KIS-DEMO", "Klub Integracji Społecznej (demo)", "kis")
DEMO_USERS = (("anna.kowalska", Role.CASEWORKER), ("marek.nowak", Role.SUPERVISOR))


@dataclass(frozen=True)
class Seeded:
    """Who can log in after seeding."""

    admin: str
    demo_users: tuple[tuple[str, Role], ...]
    demo_unit: str | None


async def create_account(
    sessions: async_sessionmaker[AsyncSession],
    username: str,
    password: str,
    role: Role,
    unit_code: str,
) -> None:
    """Create a user in an existing unit."""
    async with unit_of_work(sessions) as session:
        unit = await units.unit_by_code(session, unit_code)
        if unit is None:
            raise InvalidInput("unknown_unit", f"There is no unit with code {unit_code}.")
        await units.create_user(session, username, hash_password(password), role, unit)


async def seed(
    sessions: async_sessionmaker[AsyncSession],
    admin_username: str,
    admin_password: str,
    demo_password: str | None,
) -> Seeded:
    """Create, once, the admin (and the demo unit and users); existing ones are left as they are."""
    seeded_units = [SYSTEM_UNIT] + ([DEMO_UNIT] if demo_password else [])
    async with unit_of_work(sessions) as session:
        for code, name, kind in seeded_units:
            if await units.unit_by_code(session, code) is None:
                await units.create_unit(session, code, name, kind)
        wanted = [(admin_username, admin_password, Role.ADMIN, SYSTEM_UNIT[0])]
        if demo_password:
            wanted += [(name, demo_password, role, DEMO_UNIT[0]) for name, role in DEMO_USERS]
        for username, password, role, unit_code in wanted:
            if await units.user_by_username(session, username) is None:
                unit = await units.unit_by_code(session, unit_code)
                assert unit is not None
                await units.create_user(session, username, hash_password(password), role, unit)
    return Seeded(
        admin=admin_username,
        demo_users=DEMO_USERS if demo_password else (),
        demo_unit=DEMO_UNIT[0] if demo_password else None,
    )
