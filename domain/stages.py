"""Stages of a pathway and the steps between them, as data (DESIGN.md §4, Stages and actions)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.roles import ATTENDANCE_ROLES, CASEWORK_ROLES, SUPERVISOR_ONLY, Role


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
    CIS_REFERRED = "cis_referred"
    CIS_TRIAL = "cis_trial"
    CIS_MAIN = "cis_main"
    CIS_EXTENDED = "cis_extended"
    CIS_FOLLOW_UP = "cis_follow_up"
    CIS_COMPLETED = "cis_completed"
    SUPPORTED_EMPLOYMENT = "supported_employment"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"
    CLOSED = "closed"


FIRST_STAGE = {Programme.KIS: Stage.KIS_INTAKE, Programme.CIS: Stage.CIS_REFERRED}

KIS_OPEN = frozenset({Stage.KIS_INTAKE, Stage.KIS_DIAGNOSED, Stage.KIS_ACTIVE})
# In the centre: attendance, benefit, days off (art. 14, 15).
CIS_IN_CENTRE = frozenset({Stage.CIS_TRIAL, Stage.CIS_MAIN, Stage.CIS_EXTENDED})
CIS_AFTER_TRIAL = frozenset({Stage.CIS_MAIN, Stage.CIS_EXTENDED})
CIS_OPEN = CIS_IN_CENTRE | {Stage.CIS_REFERRED, Stage.CIS_FOLLOW_UP}
# After an exit the stage stays until the outcome is recorded or its window closes.
EXITED = frozenset(
    {
        Stage.KIS_COMPLETED,
        Stage.CIS_COMPLETED,
        Stage.WITHDRAWN,
        Stage.TERMINATED,
        Stage.SUPPORTED_EMPLOYMENT,
    }
)
COMPLETED = frozenset({Stage.KIS_COMPLETED, Stage.CIS_COMPLETED})


@dataclass(frozen=True)
class Step:
    """A step a person takes: the stages it is allowed from, who may take it, where it leads."""

    allowed_from: frozenset[Stage]
    roles: frozenset[Role] = CASEWORK_ROLES
    leads_to: Stage | None = None


# The head's (kierownik's) acts: admission (art. 12 ust. 4), the end of the trial (art. 15), the
# certificate (art. 13 ust. 5a) and the decision ending participation (art. 13 ust. 4). A
# caseworker prepares them with `prepare_decision`; the head decides.
HEAD_ACTS = frozenset({"sign_ipzs", "pass_trial", "complete_cis", "terminate"})

STEPS: dict[str, Step] = {
    "record_diagnosis": Step(frozenset({Stage.KIS_INTAKE}), leads_to=Stage.KIS_DIAGNOSED),
    "sign_social_contract": Step(frozenset({Stage.KIS_DIAGNOSED}), leads_to=Stage.KIS_ACTIVE),
    "record_attendance": Step(CIS_IN_CENTRE | {Stage.KIS_ACTIVE}, ATTENDANCE_ROLES),
    "record_absence": Step(CIS_IN_CENTRE | {Stage.KIS_ACTIVE}, ATTENDANCE_ROLES),
    "record_psu_hours": Step(frozenset({Stage.KIS_ACTIVE}), ATTENDANCE_ROLES),
    # A CIS or KIS day's mark (or a KIS day's PSU hours) corrected, in the programme or after
    # it (a closed payroll month's day too); the new and superseded marks' own steps say who
    # may (domain/corrections.py).
    "correct_day": Step(
        CIS_IN_CENTRE
        | {Stage.CIS_FOLLOW_UP, Stage.CIS_COMPLETED, Stage.TERMINATED, Stage.WITHDRAWN}
        | {Stage.KIS_ACTIVE, Stage.KIS_COMPLETED},
        ATTENDANCE_ROLES,
    ),
    "review_contract": Step(frozenset({Stage.KIS_ACTIVE})),
    "mark_contract_fulfilled": Step(frozenset({Stage.KIS_ACTIVE})),
    "complete_kis": Step(frozenset({Stage.KIS_ACTIVE}), leads_to=Stage.KIS_COMPLETED),
    "sign_ipzs": Step(frozenset({Stage.CIS_REFERRED}), SUPERVISOR_ONLY, leads_to=Stage.CIS_TRIAL),
    "amend_ipzs": Step(CIS_IN_CENTRE),
    "pass_trial": Step(frozenset({Stage.CIS_TRIAL}), SUPERVISOR_ONLY, leads_to=Stage.CIS_MAIN),
    "extend": Step(CIS_AFTER_TRIAL, SUPERVISOR_ONLY, leads_to=Stage.CIS_EXTENDED),
    # Days off are granted in the participation period proper, never in the trial (§10).
    "grant_day_off": Step(CIS_AFTER_TRIAL, SUPERVISOR_ONLY),
    "award_bonus": Step(CIS_AFTER_TRIAL, SUPERVISOR_ONLY),
    "record_job_start": Step(CIS_IN_CENTRE, leads_to=Stage.CIS_FOLLOW_UP),
    "complete_cis": Step(
        CIS_AFTER_TRIAL | {Stage.CIS_FOLLOW_UP}, SUPERVISOR_ONLY, leads_to=Stage.CIS_COMPLETED
    ),
    "terminate": Step(CIS_IN_CENTRE, SUPERVISOR_ONLY, leads_to=Stage.TERMINATED),
    "prepare_decision": Step(CIS_OPEN),
    # The 30-day complaint window runs from delivery of the termination decision (§10).
    "record_decision_delivery": Step(frozenset({Stage.TERMINATED, Stage.CLOSED})),
    "withdraw": Step(KIS_OPEN | CIS_OPEN, leads_to=Stage.WITHDRAWN),
    # Where a referral leads depends on its target; the rules are in domain/exits.py.
    "refer": Step(KIS_OPEN | CIS_AFTER_TRIAL | COMPLETED),
    "record_employer_agreement": Step(frozenset({Stage.SUPPORTED_EMPLOYMENT})),
    # After the window closed, evidence dated inside it may still come (EVIDENCE_END).
    "record_outcome": Step(EXITED | {Stage.CLOSED}),
}

# How law version 1 (pathways started before issue 12) differs: caseworkers took the head's
# acts, days off were granted in the trial too, nothing was recorded after closing.
_VERSION_1: dict[str, Step] = {
    "sign_ipzs": Step(frozenset({Stage.CIS_REFERRED}), leads_to=Stage.CIS_TRIAL),
    "pass_trial": Step(frozenset({Stage.CIS_TRIAL}), leads_to=Stage.CIS_MAIN),
    "grant_day_off": Step(CIS_IN_CENTRE, SUPERVISOR_ONLY),
    "complete_cis": Step(CIS_AFTER_TRIAL | {Stage.CIS_FOLLOW_UP}, leads_to=Stage.CIS_COMPLETED),
    "record_outcome": Step(EXITED),
}
_NEW_IN_VERSION_2 = frozenset({"prepare_decision", "record_decision_delivery"})


def step_rule(action_type: str, law_version: int) -> Step | None:
    """Where a step is allowed from and who may take it, under the pathway's law version."""
    if law_version < 2:
        if action_type in _NEW_IN_VERSION_2:
            return None
        return _VERSION_1.get(action_type, STEPS.get(action_type))
    return STEPS.get(action_type)
