"""Who uses the product: roles, and which roles may take which kind of step."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's role; every user belongs to one unit."""

    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    # A workshop instructor or a specialist (issue 14): sees only their groups' and classes'
    # people, by name, and sends their attendance lists.
    INSTRUCTOR = "instructor"


# A supervisor (kierownik KIS/CIS) may also take every caseworker's step; an admin runs the
# system and never sees participants.
CASEWORK_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
SUPERVISOR_ONLY = frozenset({Role.SUPERVISOR})
# The steps an attendance list takes: an instructor sends them too.
ATTENDANCE_ROLES = CASEWORK_ROLES | {Role.INSTRUCTOR}
# Who reaches a centre's week: its groups, timetable and lists (each instructor only their own).
TEACHING_ROLES = ATTENDANCE_ROLES
