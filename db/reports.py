"""The supervisors' queries: KPIs and the annual report, from the read model only.

Callers: `api/routes/reports.py`, the web UI and `make bench`. Every function takes a session and
a `ReportScope` (the units the caller may see) and answers a domain model (domain/reports.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.reports import AnnualReport, KpiReport


@dataclass(frozen=True)
class ReportScope:
    """The units a report covers (today a supervisor's one unit)."""

    unit_ids: tuple[uuid.UUID, ...]
    unit_codes: tuple[str, ...]


async def kpi_report(
    session: AsyncSession, scope: ReportScope, start: date, end: date, today: date | None = None
) -> KpiReport:
    """KPIs for the period [start, end] (both days included); `today` is the 'as of' day."""
    raise NotImplementedError


async def annual_report(
    session: AsyncSession, scope: ReportScope, year: int, now: datetime | None = None
) -> AnnualReport:
    """The data of the CIS and KIS annual reports for `year`, small counts suppressed."""
    raise NotImplementedError
