"""Units and staff accounts as the HTTP contract shows them (DESIGN.md §4)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.roles import Role

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Token(BaseModel):
    """A bearer token."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"


class UnitCreate(BaseModel):
    """A new KIS or CIS."""

    model_config = _STRICT
    code: str = Field(min_length=2, max_length=50, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["kis", "cis"]


class UnitOut(BaseModel):
    """A unit."""

    id: uuid.UUID
    code: str
    name: str
    kind: str


class UnitPolicy(BaseModel):
    """A unit's access policy."""

    model_config = _STRICT
    caseload_only: bool


class UnitPolicyOut(UnitPolicy):
    """A unit's access policy, with its unit."""

    unit_code: str


class UserCreate(BaseModel):
    """A new member of staff."""

    model_config = _STRICT
    username: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=10, max_length=200)
    role: Role
    unit_code: str
    # Where the daily digest of tasks (caseworkers) and escalations (supervisors) go.
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UserOut(BaseModel):
    """A member of staff (never the password)."""

    id: uuid.UUID
    username: str
    role: Role
    unit_code: str
    email: str | None = None


class UnitTargets(BaseModel):
    """A unit's own effectiveness targets (its project's), in percent; null drops one."""

    model_config = ConfigDict(extra="forbid")
    employment_target_pct: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=2)
    social_target_pct: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=2)


class UnitTargetsOut(UnitTargets):
    """A unit's own targets, with its unit."""

    unit_code: str
