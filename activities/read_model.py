"""Projection of pathway events into the SQL read model that supervisors and lists query."""

from __future__ import annotations

import structlog
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from db import projection
from db.models import utcnow
from db.session import unit_of_work
from domain.pathway import PathwaySnapshot

log = structlog.get_logger(__name__)


class ProjectionResult(BaseModel):
    """How far the read model now goes."""

    last_seq: int
    events_written: int


class ReadModelActivities:
    """Activities that write the read model; each call is idempotent (pathway id + seq)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @activity.defn
    async def project_pathway(self, snap: PathwaySnapshot) -> ProjectionResult:
        """Write the snapshot's events and current columns; replays change nothing."""
        try:
            async with unit_of_work(self._sessions) as session:
                await projection.project_with_reports(session, snap)
        except projection.PathwayNotRegistered:
            # An orphan: its start timed out and the API rolled the registration back. Retrying
            # cannot help; failing ends the orphan workflow.
            raise ApplicationError(
                "The pathway was never registered; this workflow is an orphan.",
                type="pathway_not_registered",
                non_retryable=True,
            ) from None
        # From the step's moment in the workflow to its rows committed (issue 5: the lag).
        lag_ms = _lag_ms(snap)
        if lag_ms is not None:
            activity.metric_meter().create_histogram(
                "pathway_projection_lag",
                "From a step's recording in the workflow to its read-model rows committed",
                "ms",
            ).record(max(lag_ms, 0))
        log.info(
            "pathway_projected",
            pathway_id=snap.pathway_id,
            last_seq=snap.last_seq,
            events=len(snap.events),
            stage=snap.stage,
            lag_ms=lag_ms,
        )
        return ProjectionResult(last_seq=snap.last_seq, events_written=len(snap.events))


def _lag_ms(snap: PathwaySnapshot) -> int | None:
    """Milliseconds from the newest projected event's recording to now (None without events)."""
    if not snap.events:
        return None
    return int((utcnow() - snap.events[-1].recorded_at).total_seconds() * 1000)
