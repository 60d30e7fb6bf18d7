"""Readiness: the database and Temporal both answer."""

from __future__ import annotations

from db.session import ping
from services.context import Services


async def readiness(services: Services) -> dict[str, str]:
    """Each component's state: "ok", or why not (the kind of failure only)."""
    checks: dict[str, str] = {}
    try:
        async with services.sessions() as session:
            await ping(session)
        checks["database"] = "ok"
    except Exception as err:  # any failure means not ready; the kind is reported
        checks["database"] = f"unavailable: {type(err).__name__}"
    try:
        await services.temporal.service_client.check_health()
        checks["temporal"] = "ok"
    except Exception as err:
        checks["temporal"] = f"unavailable: {type(err).__name__}"
    return checks
