"""Staff and units: logging in, who is calling, units and users and their policies, seeding.

Roles are checked by the caller's front (the API's and the web's dependencies, with `permit`);
everything here raises the domain's errors.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db import audit, eligibility, tasks, tokens, units
from db.session import unit_of_work
from domain.accounts import (
    Token,
    UnitCreate,
    UnitOut,
    UnitPolicy,
    UnitPolicyOut,
    UnitTargets,
    UnitTargetsOut,
    UserCreate,
    UserOut,
)
from domain.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from domain.notifications import UnitContactIn, UnitContactOut
from domain.roles import Role
from domain.tasks import TaskPolicyOut, TaskPolicyUpdate
from services import oversight
from services.context import Caller, Services
from services.credentials import hash_password, issue_token, read_token

SYSTEM_UNIT = ("SYSTEM", "Administracja systemu", "kis")
DEMO_UNIT = ("KIS-DEMO", "Klub Integracji Społecznej (demo)", "kis")
DEMO_USERS = (("anna.kowalska", Role.CASEWORKER), ("marek.nowak", Role.SUPERVISOR))


async def log_in(
    services: Services, username: str, password: str, peer: str | None, forwarded_for: str | None
) -> Token:
    """A bearer token for a correct password; repeated failures are 429 (per name and address).

    `peer` is the connection's address, `forwarded_for` its X-Forwarded-For header (believed only
    from the trusted proxies)."""
    guard = services.login_guard
    address = guard.address(peer, forwarded_for)
    user_id = await guard.authenticate(username, password, address)
    settings = services.settings
    return Token(access_token=issue_token(user_id, settings.secret_key, settings.token_minutes))


async def caller_of(services: Services, token: str | None) -> Caller:
    """The member of staff a bearer token names (cached for `auth_cache_seconds`)."""
    if not token:
        raise Unauthenticated("not_authenticated", "Log in first: a bearer token is required.")
    claims = read_token(token, services.settings.secret_key)
    user_id = claims.user_id
    # Never cached: a token given back at logout is refused at once, on every replica.
    async with services.sessions() as session:
        if await tokens.is_revoked(session, claims.jti):
            raise Unauthenticated("token_revoked", "This token was given back at logout.")

    async def load() -> Caller:
        async with services.sessions() as session:
            user = await units.user_by_id(session, user_id)
            if user is None:
                raise Unauthenticated("invalid_token", "The token's user no longer exists.")
            caseload_only = await units.caseload_only(session, user.unit_id)
        return Caller(
            id=user.id,
            username=user.username,
            role=Role(user.role),
            unit_id=user.unit_id,
            caseload_only=caseload_only,
        )

    return await services.caches.users.get(user_id, load)


async def log_out(services: Services, token: str | None) -> None:
    """Give a bearer token back: from now on every replica refuses it (until its expiry, after
    which it is refused anyway). Logging out twice is fine; an invalid token is 401."""
    try:
        caller = await caller_of(services, token)
    except Unauthenticated as refused:
        if refused.code == "token_revoked":
            return  # given back already
        raise
    assert token is not None
    claims = read_token(token, services.settings.secret_key)
    async with unit_of_work(services.sessions) as session:
        await tokens.revoke(session, claims.jti, claims.user_id, claims.expires_at)
        await audit.append(session, caller.actor, "auth.logout", [])


def permit(caller: Caller, *roles: Role) -> Caller:
    """The caller, if their role is one of `roles` (403 otherwise)."""
    if caller.role not in roles:
        raise Forbidden("role_not_allowed", f"This needs the role {' or '.join(roles)}.")
    return caller


async def create_unit(services: Services, caller: Caller, body: UnitCreate) -> UnitOut:
    """Register a KIS or CIS."""
    async with unit_of_work(services.sessions) as session:
        unit = await units.create_unit(session, body.code, body.name, body.kind)
        await oversight.record_act(
            services, session, caller, "unit.create", body.model_fields_set, unit.id
        )
    return UnitOut(id=unit.id, code=unit.code, name=unit.name, kind=unit.kind)


async def create_user(services: Services, caller: Caller, body: UserCreate) -> UserOut:
    """Add a member of staff to a unit (in the unit's own log: its supervisors see who made the
    account, and are told if an administrator of another unit did)."""
    password_hash = await services.login_guard.hashing.hash(body.password)
    async with unit_of_work(services.sessions) as session:
        unit = await units.unit_by_code(session, body.unit_code)
        if unit is None:
            raise InvalidInput("unknown_unit", f"There is no unit with code {body.unit_code}.")
        user = await units.create_user(
            session, body.username, password_hash, body.role, unit, body.email
        )
        made = [*body.model_fields_set, f"username:{user.username}", f"role:{body.role}"]
        await oversight.record_act(services, session, caller, "user.create", made, unit.id)
    return UserOut(
        id=user.id, username=user.username, role=body.role, unit_code=unit.code, email=user.email
    )


async def set_unit_policy(
    services: Services, caller: Caller, code: str, body: UnitPolicy
) -> UnitPolicyOut:
    """Limit (or not) the unit's caseworkers to their own caseload; in force within minutes."""
    async with unit_of_work(services.sessions) as session:
        unit_id = await _unit_id(session, code)
        await units.set_caseload_only(session, unit_id, body.caseload_only)
        await oversight.record_act(
            services, session, caller, "unit.policy", body.model_fields_set, unit_id
        )
    return UnitPolicyOut(unit_code=code, caseload_only=body.caseload_only)


async def set_unit_targets(
    services: Services, caller: Caller, code: str, body: UnitTargets
) -> UnitTargetsOut:
    """Set the unit's own targets; the KPIs show them beside the rulebook's (domain.md §6.2)."""
    async with unit_of_work(services.sessions) as session:
        unit_id = await _unit_id(session, code)
        await eligibility.set_unit_targets(
            session, unit_id, body.employment_target_pct, body.social_target_pct
        )
        await oversight.record_act(
            services, session, caller, "unit.targets", body.model_fields_set, unit_id
        )
    return UnitTargetsOut(unit_code=code, **body.model_dump())


async def set_task_policy(
    services: Services, caller: Caller, code: str, body: TaskPolicyUpdate
) -> TaskPolicyOut:
    """After how many working days a task left open goes to the unit's supervisors."""
    async with unit_of_work(services.sessions) as session:
        unit_id = await _unit_id(session, code)
        await tasks.set_task_policy(session, unit_id, body)
        await oversight.record_act(
            services, session, caller, "unit.task_policy", body.model_fields_set, unit_id
        )
    return TaskPolicyOut(unit_code=code, **body.model_dump())


async def set_unit_contact(
    services: Services, caller: Caller, code: str, body: UnitContactIn
) -> UnitContactOut:
    """The phone number every reminder of the unit gives (its name is the unit's name)."""
    async with unit_of_work(services.sessions) as session:
        unit = await units.unit_by_code(session, code)
        if unit is None:
            raise NotFound("unit_not_found", "No such unit.")
        unit.phone = body.phone
        await oversight.record_act(services, session, caller, "unit.contact", ["phone"], unit.id)
    return UnitContactOut(unit_code=unit.code, name=unit.name, phone=unit.phone)


async def unit_id_of(session: AsyncSession, code: str) -> uuid.UUID:
    """A unit's id by its code, or 404."""
    return await _unit_id(session, code)


async def _unit_id(session: AsyncSession, code: str) -> uuid.UUID:
    unit = await units.unit_by_code(session, code)
    if unit is None:
        raise NotFound("unit_not_found", "No such unit.")
    return unit.id


@dataclass(frozen=True)
class Seeded:
    """Who can log in after seeding."""

    admin: str
    demo_users: tuple[tuple[str, Role], ...]
    demo_unit: str | None


async def create_account(
    services: Services, username: str, password: str, role: Role, unit_code: str
) -> None:
    """Create a user in an existing unit (the `pathways users create` command)."""
    async with unit_of_work(services.sessions) as session:
        unit = await units.unit_by_code(session, unit_code)
        if unit is None:
            raise InvalidInput("unknown_unit", f"There is no unit with code {unit_code}.")
        await units.create_user(session, username, hash_password(password), role, unit)


async def create_first_admin(services: Services, username: str, password: str) -> bool:
    """Create the system's first administrator (and the system unit) when there is none yet;
    whether one was made. Safe on every deployment's start: an existing administrator, their
    password and name are never touched."""
    async with unit_of_work(services.sessions) as session:
        if await units.has_admin(session):
            return False
        unit = await units.unit_by_code(session, SYSTEM_UNIT[0])
        if unit is None:
            unit = await units.create_unit(session, *SYSTEM_UNIT)
        password_hash = await services.login_guard.hashing.hash(password)
        await units.create_user(session, username, password_hash, Role.ADMIN, unit)
    return True


async def seed(
    services: Services, admin_username: str, admin_password: str, demo_password: str | None
) -> Seeded:
    """Create, once, the admin (and the demo unit and users); existing ones are left as they are."""
    seeded_units = [SYSTEM_UNIT] + ([DEMO_UNIT] if demo_password else [])
    async with unit_of_work(services.sessions) as session:
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
