"""Seeding the reports' read model directly: units, participants and hundreds of pathways.

The bulk of the reports' test data goes in as rows (the projection from real workflows is proved
by tests/api/test_reports.py); every figure the tests assert follows from the plan below.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import units
from db.models import (
    Participant,
    ParticipantCategory,
    Pathway,
    PathwayDeadline,
    PathwayMonth,
    PathwayReportRow,
    User,
)
from domain.pesel import encode_pesel

_ROW_DEFAULTS: dict[str, Any] = {
    "last_seq": 1,
    "extension_months": 0,
    "contract_fulfilled": False,
    "kis_graduate": False,
    "job_qualifying": False,
    "social_progress": False,
    "attendance_days": 0,
    "absence_days": 0,
    "bonus_count": 0,
    "bonus_total": Decimal(0),
}
_MONTH_DEFAULTS: dict[str, Any] = {
    "attendance_days": 0,
    "attendance_hours": Decimal(0),
    "excused_days": 0,
    "sick_days": 0,
    "unexcused_days": 0,
    "days_off": 0,
    "psu_hours": Decimal(0),
    "bonus_count": 0,
    "bonus_amount": Decimal(0),
    "benefit_amount": Decimal(0),
    "deductions_amount": Decimal(0),
}


@dataclass
class Seeder:
    """Builds one unit's rows in memory, then writes them in a few statements."""

    unit_id: uuid.UUID
    code: str
    caseworker_id: uuid.UUID
    serial: int = 0
    participants: list[dict[str, Any]] = field(default_factory=list)
    categories: list[dict[str, Any]] = field(default_factory=list)
    pathways: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    months: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)

    def person(self, *categories: str, last_name: str | None = None) -> uuid.UUID:
        """A participant with a PESEL unique in the unit."""
        self.serial += 1
        pid = uuid.uuid4()
        # A distinct (birth date, serial) per person: PESELs never repeat within a unit.
        born = date(1950, 1, 1) + timedelta(days=self.serial % 20_000)
        self.participants.append(
            {
                "id": pid,
                "unit_id": self.unit_id,
                "first_name": "Anna",
                "last_name": last_name or f"Seed-{self.code}-{self.serial:05d}",
                "pesel": encode_pesel(born, self.serial // 20_000 + 1000),
                "birth_date": born,
                "consent_sms": False,
                "consent_email": False,
                "created_by": self.caseworker_id,
                "created_at": datetime.now(UTC),
            }
        )
        for category in categories or ("long_term_unemployed",):
            self.categories.append({"participant_id": pid, "category": category})
        return pid

    def pathway(
        self,
        participant: uuid.UUID,
        programme: str,
        stage: str,
        started_on: date,
        closed: bool,
        months: list[dict[str, Any]] | None = None,
        deadlines: list[tuple[str, date, bool]] | None = None,
        **row: Any,
    ) -> uuid.UUID:
        """A pathway with its report row, months and open deadlines."""
        pathway_id = uuid.uuid4()
        now = datetime.now(UTC)
        self.pathways.append(
            {
                "id": pathway_id,
                "participant_id": participant,
                "unit_id": self.unit_id,
                "caseworker_id": self.caseworker_id,
                "programme": programme,
                "started_on": started_on,
                "stage": stage,
                "graduate": bool(row.get("kis_graduate") or row.get("cis_completed_on")),
                "outcome": row.get("outcome"),
                "next_due_kind": deadlines[0][0] if deadlines else None,
                "next_due_on": deadlines[0][1] if deadlines else None,
                "last_seq": 1,
                "created_at": now,
                "updated_at": now,
                "closed_at": now if closed else None,
            }
        )
        self.rows.append(
            {
                "pathway_id": pathway_id,
                "projected_at": now,
                **_ROW_DEFAULTS,
                "kis_entered_on": started_on if programme == "kis" else None,
                "cis_entered_on": started_on if programme == "cis" else None,
                **row,
            }
        )
        for month in months or []:
            self.months.append({"pathway_id": pathway_id, **_MONTH_DEFAULTS, **month})
        for kind, due_on, overdue in deadlines or []:
            self.deadlines.append(
                {"pathway_id": pathway_id, "kind": kind, "due_on": due_on, "overdue": overdue}
            )
        return pathway_id

    async def write(self, session: AsyncSession) -> None:
        """Insert everything built so far."""
        for model, values in (
            (Participant, self.participants),
            (ParticipantCategory, self.categories),
            (Pathway, self.pathways),
            (PathwayReportRow, self.rows),
            (PathwayMonth, self.months),
            (PathwayDeadline, self.deadlines),
        ):
            if values:
                await session.execute(insert(model), values)
        for bucket in (
            self.participants,
            self.categories,
            self.pathways,
            self.rows,
            self.months,
            self.deadlines,
        ):
            bucket.clear()


async def new_unit(session: AsyncSession, kind: str = "cis") -> Seeder:
    """A fresh unit with one caseworker, ready to seed."""
    code = f"R-{uuid.uuid4().hex[:8]}"
    unit = await units.create_unit(session, code, f"Unit {code}", kind)
    user = User(username=f"cw-{code}", password_hash="-", role="caseworker", unit_id=unit.id)
    session.add(user)
    await session.flush()
    return Seeder(unit_id=unit.id, code=code, caseworker_id=user.id)
