"""The pathway's steps as HTML forms: which fields each step asks for, and form -> action body.

The body is then validated by the domain's own `Action` models (domain/actions.py), exactly as
the JSON API validates it; this module only describes inputs and reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData

from domain.actions import (
    AbsenceKind,
    AttendanceKind,
    ContractType,
    DayMark,
    ReferralTarget,
    TerminationGround,
)

HEAD_DECISIONS = ("sign_ipzs", "pass_trial", "complete_cis", "terminate")


@dataclass(frozen=True)
class Input:
    """One input of a step's form."""

    name: str
    kind: str  # date | number | integer | text | textarea | select | checkbox
    required: bool = False
    options: tuple[str, ...] = ()


_HOURS = Input("hours", "number", required=True)
_SUMMARY = Input("summary", "textarea")
_JOB = (
    Input("contract_type", "select", options=tuple(ContractType)),
    Input("contract_months", "integer"),
    Input("open_ended", "checkbox"),
    Input("fte", "number"),
)

# Inputs beyond the date, which every step has (DESIGN.md §4, Payloads).
INPUTS: dict[str, tuple[Input, ...]] = {
    "record_diagnosis": (_SUMMARY,),
    "sign_social_contract": (Input("review_on", "date"),),
    "record_attendance": (
        _HOURS,
        Input("kind", "select", options=tuple(AttendanceKind)),
    ),
    "record_absence": (Input("kind", "select", required=True, options=tuple(AbsenceKind)),),
    "record_psu_hours": (_HOURS,),
    "review_contract": (Input("next_review_on", "date"),),
    "sign_ipzs": (_SUMMARY,),
    "amend_ipzs": (_SUMMARY,),
    "extend": (
        Input("months", "integer", required=True),
        Input("justification", "textarea", required=True),
    ),
    "award_bonus": (Input("amount", "number", required=True),),
    "terminate": (
        Input("ground", "select", required=True, options=tuple(TerminationGround)),
        Input("reason", "textarea", required=True),  # a decision states its reasons
    ),
    "prepare_decision": (Input("decision", "select", required=True, options=HEAD_DECISIONS),),
    "withdraw": (Input("reason", "textarea"),),
    "record_job_start": _JOB,
    "refer": (Input("to", "select", required=True, options=tuple(ReferralTarget)),),
    "record_employer_agreement": (Input("employer", "text"),),
    "record_outcome": (Input("employed", "checkbox"), *_JOB),
    # A day's mark corrected: the date is the day corrected (domain/corrections.py).
    "correct_day": (
        Input("mark", "select", required=True, options=tuple(DayMark)),
        Input("hours", "number"),
        Input("kind", "select", options=tuple(AttendanceKind)),
        Input("absence", "select", options=tuple(AbsenceKind)),
        Input("reason", "textarea", required=True),
        Input("corrects", "integer"),
    ),
}
# The contract's free `note` is accepted by the API but not kept on the timeline by the domain,
# so the forms do not offer it (a caseworker's text must not vanish); `summary` and the like are.
COMMON = (Input("occurred_on", "date"),)


def inputs_of(action_type: str) -> tuple[Input, ...]:
    """Every input of the step's form, the common ones last."""
    return (*INPUTS.get(action_type, ()), *COMMON)


def typed_values(form: FormData) -> dict[str, str]:
    """What the person typed, as typed (to show it again when the step is refused)."""
    return {key: value for key, value in form.items() if isinstance(value, str)}


def action_body(form: FormData) -> dict[str, object]:
    """The action's JSON-like body from the submitted form; empty inputs are left out."""
    action_type = str(form.get("type", ""))
    body: dict[str, object] = {"type": action_type}
    for spec in inputs_of(action_type):
        if spec.kind == "checkbox":
            body[spec.name] = spec.name in form
            continue
        raw = form.get(spec.name)
        value = raw.strip() if isinstance(raw, str) else ""
        if not value:
            continue
        # A Polish keyboard writes 4,5 for 4.5.
        body[spec.name] = value.replace(",", ".") if spec.kind == "number" else value
    return body
