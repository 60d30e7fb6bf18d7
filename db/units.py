"""Units, staff accounts and units' access policies."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Unit, UnitPolicy, User
from db.session import flush_or_conflict


async def create_unit(session: AsyncSession, code: str, name: str, kind: str) -> Unit:
    """A new unit; its code is unique."""
    unit = Unit(code=code, name=name, kind=kind)
    session.add(unit)
    await flush_or_conflict(session, "duplicate_unit", f"A unit with code {code} already exists.")
    return unit


async def unit_by_code(session: AsyncSession, code: str) -> Unit | None:
    """The unit with this code, if any."""
    return (await session.execute(select(Unit).where(Unit.code == code))).scalar_one_or_none()


async def unit_code(session: AsyncSession, unit_id: uuid.UUID) -> str:
    """A unit's code (it is public: Temporal's search attributes carry it)."""
    return (await session.execute(select(Unit.code).where(Unit.id == unit_id))).scalar_one()


async def create_user(
    session: AsyncSession,
    username: str,
    password_hash: str,
    role: str,
    unit: Unit,
    email: str | None = None,
) -> User:
    """A new member of staff; usernames are unique."""
    user = User(
        username=username, password_hash=password_hash, role=role, unit_id=unit.id, email=email
    )
    session.add(user)
    await flush_or_conflict(session, "duplicate_username", f"The username {username} is taken.")
    return user


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    """An active user by login name."""
    query = select(User).where(User.username == username, User.active.is_(True))
    return (await session.execute(query)).scalar_one_or_none()


async def has_admin(session: AsyncSession) -> bool:
    """Whether any active administrator exists."""
    query = select(User.id).where(User.role == "admin", User.active.is_(True)).limit(1)
    return (await session.scalar(query)) is not None


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """An active user by id."""
    query = select(User).where(User.id == user_id, User.active.is_(True))
    return (await session.execute(query)).scalar_one_or_none()


async def caseload_only(session: AsyncSession, unit_id: uuid.UUID) -> bool:
    """Whether the unit limits its caseworkers to their own caseload."""
    policy = await session.get(UnitPolicy, unit_id)
    return bool(policy and policy.caseload_only)


async def set_caseload_only(session: AsyncSession, unit_id: uuid.UUID, value: bool) -> None:
    """Set the unit's caseload policy."""
    policy = await session.get(UnitPolicy, unit_id)
    if policy is None:
        session.add(UnitPolicy(unit_id=unit_id, caseload_only=value))
    else:
        policy.caseload_only = value
