"""Tables. Each subject's live in a module of their own, all on one `Base` (db/base.py); this
module imports them all, so one metadata holds every table, and re-exports them."""

from __future__ import annotations

from db.audit_models import (
    AuditEntry,
    IdempotencyRecord,
    ParticipantErasure,
    ParticipantKey,
)
from db.base import NAMING_CONVENTION, Base, utcnow
from db.case_import_models import CaseImport
from db.cooperative_models import Cooperative, CooperativeMember
from db.pathway_models import (
    Pathway,
    PathwayDeadline,
    PathwayEvent,
    PathwayMonth,
    PathwayReportRow,
)
from db.people_models import (
    Participant,
    ParticipantCategory,
    ParticipantExclusion,
    RevokedToken,
    Unit,
    UnitPolicy,
    User,
)
from db.reminder_models import (
    Appointment,
    Notification,
    StaffMessage,
    TaskEscalation,
    TaskPolicy,
)

__all__ = [
    "NAMING_CONVENTION",
    "Appointment",
    "AuditEntry",
    "Base",
    "CaseImport",
    "Cooperative",
    "CooperativeMember",
    "IdempotencyRecord",
    "Notification",
    "Participant",
    "ParticipantCategory",
    "ParticipantErasure",
    "ParticipantExclusion",
    "ParticipantKey",
    "Pathway",
    "PathwayDeadline",
    "PathwayEvent",
    "PathwayMonth",
    "PathwayReportRow",
    "RevokedToken",
    "StaffMessage",
    "TaskEscalation",
    "TaskPolicy",
    "Unit",
    "UnitPolicy",
    "User",
    "utcnow",
]

# --- tables whose modules import `Base` from here, so they come last ----------------------------

from db import caseload_models as caseload_models  # who holds each case, issue 16
from db import group_tables as group_tables  # a centre's week, issue 14
from db import month_end_models as month_end_models  # the month's end, issue 15
