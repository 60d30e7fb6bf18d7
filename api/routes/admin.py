"""Units and users, and units' policies and targets, managed by admins."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import Admin, ServicesDep
from domain.accounts import (
    UnitCreate,
    UnitOut,
    UnitPolicy,
    UnitPolicyOut,
    UnitTargets,
    UnitTargetsOut,
    UserCreate,
    UserOut,
)
from services import accounts

router = APIRouter(tags=["admin"])


@router.post("/units", status_code=status.HTTP_201_CREATED)
async def create_unit(body: UnitCreate, services: ServicesDep, caller: Admin) -> UnitOut:
    """Register a KIS or CIS."""
    return await accounts.create_unit(services, caller, body)


@router.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user(body: UserCreate, services: ServicesDep, caller: Admin) -> UserOut:
    """Add a member of staff to a unit."""
    return await accounts.create_user(services, caller, body)


@router.put("/units/{code}/policy")
async def set_unit_policy(
    code: str, body: UnitPolicy, services: ServicesDep, caller: Admin
) -> UnitPolicyOut:
    """Limit (or not) the unit's caseworkers to their own caseload; in force within minutes."""
    return await accounts.set_unit_policy(services, caller, code, body)


@router.put("/units/{code}/targets")
async def set_unit_targets(
    code: str, body: UnitTargets, services: ServicesDep, caller: Admin
) -> UnitTargetsOut:
    """Set the unit's own targets; the KPIs show them beside the rulebook's (domain.md §6.2)."""
    return await accounts.set_unit_targets(services, caller, code, body)
