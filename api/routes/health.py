"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import ServicesDep
from services import health as checks

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready")
async def ready(services: ServicesDep) -> JSONResponse:
    """The database and Temporal both answer."""
    found = await checks.readiness(services)
    ok = all(v == "ok" for v in found.values())
    return JSONResponse(
        {"status": "ready" if ok else "not_ready", "checks": found}, 200 if ok else 503
    )
