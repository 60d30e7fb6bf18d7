"""Which acts of an administrator a unit's supervisors are told of.

An administrator belongs to one unit and may act in any: make an account there (which could
then read its participants), change its access policy, export its figures. Such an act is
written into the audit log of the unit it touched, and that unit's supervisors get an e-mail.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from domain.roles import Role

# Action codes of the audit log, with what the supervisors' e-mail calls them (Polish).
OVERSEEN_ACTIONS: dict[str, str] = {
    "user.create": "utworzenie konta pracownika",
    "unit.policy": "zmiana zasad dostępu do spraw (tylko własne sprawy)",
    "unit.task_policy": "zmiana terminu przekazywania zadań kierownikowi",
    "unit.contact": "zmiana telefonu jednostki w przypomnieniach",
    "unit.targets": "zmiana celów efektywności jednostki",
    "unit.caseload_policy": "zmiana limitu spraw na pracownika",
    "unit.places": "zmiana liczby miejsc jednostki",
    "report.annual": "pobranie danych sprawozdania rocznego",
}


def supervisors_told(
    role: str, action: str, unit_id: uuid.UUID, actor_unit_id: uuid.UUID | None
) -> bool:
    """Whether an audited act is an administrator's act in a unit not their own that its
    supervisors are told of."""
    return (
        role == Role.ADMIN
        and action in OVERSEEN_ACTIONS
        and actor_unit_id is not None
        and actor_unit_id != unit_id
    )


class StaffNoticeInput(BaseModel):
    """The audit entry of an administrator's act in a unit not their own (all the notice's
    workflow carries: the activity reads who did what from the entry)."""

    audit_entry_id: int
