"""Stages of a pathway and the steps between them, as data (DESIGN.md §4, Stages and actions)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.roles import CASEWORK_ROLES, Role


class Programme(StrEnum):
    """The programme an episode runs under."""

    KIS = "kis"
    CIS = "cis"


class Stage(StrEnum):
    """Where a pathway stands."""

    KIS_INTAKE = "kis_intake"
    KIS_DIAGNOSED = "kis_diagnosed"
    KIS_ACTIVE = "kis_active"
    KIS_COMPLETED = "kis_completed"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"
    CLOSED = "closed"


FIRST_STAGE = {Programme.KIS: Stage.KIS_INTAKE}

KIS_OPEN = frozenset({Stage.KIS_INTAKE, Stage.KIS_DIAGNOSED, Stage.KIS_ACTIVE})
# After an exit the stage stays until the outcome is recorded or its window closes.
EXITED = frozenset({Stage.KIS_COMPLETED, Stage.WITHDRAWN, Stage.TERMINATED})


@dataclass(frozen=True)
class Step:
    """A step a person takes: the stages it is allowed from, who may take it, where it leads."""

    allowed_from: frozenset[Stage]
    roles: frozenset[Role] = CASEWORK_ROLES
    leads_to: Stage | None = None


STEPS: dict[str, Step] = {
    "record_diagnosis": Step(frozenset({Stage.KIS_INTAKE}), leads_to=Stage.KIS_DIAGNOSED),
    "sign_social_contract": Step(frozenset({Stage.KIS_DIAGNOSED}), leads_to=Stage.KIS_ACTIVE),
    "record_attendance": Step(frozenset({Stage.KIS_ACTIVE})),
    "record_absence": Step(frozenset({Stage.KIS_ACTIVE})),
    "record_psu_hours": Step(frozenset({Stage.KIS_ACTIVE})),
    "review_contract": Step(frozenset({Stage.KIS_ACTIVE})),
    "mark_contract_fulfilled": Step(frozenset({Stage.KIS_ACTIVE})),
    "complete_kis": Step(frozenset({Stage.KIS_ACTIVE}), leads_to=Stage.KIS_COMPLETED),
    "withdraw": Step(KIS_OPEN, leads_to=Stage.WITHDRAWN),
    "record_outcome": Step(EXITED),
}
