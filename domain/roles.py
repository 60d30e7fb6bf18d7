"""Who uses the product: roles, and which roles may take which kind of step."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's role; every user belongs to one unit."""

    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# A supervisor (kierownik KIS/CIS) may also take every caseworker's step; an admin runs the
# system and never sees participants.
CASEWORK_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
SUPERVISOR_ONLY = frozenset({Role.SUPERVISOR})
