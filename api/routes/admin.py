"""Units and users, managed by admins."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, ConfigDict, Field

from api.audit import AuditDep
from api.deps import Admin, SessionDep
from api.login_guard import LoginGuard
from api.schemas import UnitCreate, UnitOut, UnitPolicy, UnitPolicyOut, UserCreate, UserOut
from db import eligibility, queries
from domain.errors import InvalidInput, NotFound

router = APIRouter(tags=["admin"])


@router.post("/units", status_code=status.HTTP_201_CREATED)
async def create_unit(body: UnitCreate, session: SessionDep, _: Admin, audit: AuditDep) -> UnitOut:
    """Register a KIS or CIS."""
    unit = await queries.create_unit(session, body.code, body.name, body.kind)
    await audit.record("unit.create", body.model_fields_set, unit_id=unit.id)
    return UnitOut(id=unit.id, code=unit.code, name=unit.name, kind=unit.kind)


@router.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user(
    body: UserCreate, request: Request, session: SessionDep, _: Admin, audit: AuditDep
) -> UserOut:
    """Add a member of staff to a unit."""
    unit = await queries.unit_by_code(session, body.unit_code)
    if unit is None:
        raise InvalidInput("unknown_unit", f"There is no unit with code {body.unit_code}.")
    guard: LoginGuard = request.app.state.login_guard
    password_hash = await guard.hashing.hash(body.password)
    user = await queries.create_user(
        session, body.username, password_hash, body.role, unit, body.email
    )
    # In the unit's own log (its supervisors see who made the account, and are told).
    made = [f"username:{user.username}", f"role:{body.role}"]
    await audit.record("user.create", [*body.model_fields_set, *made], unit_id=unit.id)
    return UserOut(
        id=user.id, username=user.username, role=body.role, unit_code=unit.code, email=user.email
    )


@router.put("/units/{code}/policy")
async def set_unit_policy(
    code: str, body: UnitPolicy, session: SessionDep, _: Admin, audit: AuditDep
) -> UnitPolicyOut:
    """Limit (or not) the unit's caseworkers to their own caseload; in force within minutes."""
    unit = await queries.unit_by_code(session, code)
    if unit is None:
        raise NotFound("unit_not_found", "No such unit.")
    await queries.set_caseload_only(session, unit.id, body.caseload_only)
    await audit.record("unit.policy", body.model_fields_set, unit_id=unit.id)
    return UnitPolicyOut(unit_code=unit.code, caseload_only=body.caseload_only)


class UnitTargets(BaseModel):
    """A unit's own effectiveness targets (its project's), in percent; null drops one."""

    model_config = ConfigDict(extra="forbid")
    employment_target_pct: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=2)
    social_target_pct: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=2)


class UnitTargetsOut(UnitTargets):
    """A unit's own targets, with its unit."""

    unit_code: str


@router.put("/units/{code}/targets")
async def set_unit_targets(
    code: str, body: UnitTargets, session: SessionDep, _: Admin, audit: AuditDep
) -> UnitTargetsOut:
    """Set the unit's own targets; the KPIs show them beside the rulebook's (domain.md §6.2)."""
    unit = await queries.unit_by_code(session, code)
    if unit is None:
        raise NotFound("unit_not_found", "No such unit.")
    await eligibility.set_unit_targets(
        session, unit.id, body.employment_target_pct, body.social_target_pct
    )
    await audit.record("unit.targets", body.model_fields_set, unit_id=unit.id)
    return UnitTargetsOut(unit_code=unit.code, **body.model_dump())
