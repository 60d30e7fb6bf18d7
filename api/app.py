"""The HTTP process: the API under /api/v1 and the web pages under /web, on one set of services.

This module is the process's composition root: the only place in api/ that knows web/, which it
mounts beside the API; routes and pages never call each other, only services.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from api.conformance import conforming_request
from api.denials import install_denial_audit
from api.errors import ERROR_RESPONSES, install_error_handlers
from api.hardening import install_hardening
from api.metrics import install_metrics
from api.openapi import install_openapi
from api.routes import (
    admin,
    appointments,
    audit,
    auth,
    caseload,
    codec,
    cooperatives,
    data_subject,
    documents,
    eligibility,
    group_attendance,
    groups,
    health,
    notifications,
    participants,
    pathways,
    payroll,
    places,
    referrals,
    reports,
    scans,
    tasks,
)
from core.logging import configure_logging
from core.settings import Settings, get_settings
from services.context import TemporalClient, open_services
from web import install_web

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, temporal: TemporalClient | None = None) -> FastAPI:
    """The app; tests pass their own settings and Temporal client."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_services(settings, temporal) as services:
            app.state.services = services
            yield

    app = FastAPI(
        title="Participant pathway engine",
        version="1.0",
        lifespan=lifespan,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    install_error_handlers(app)
    if settings.api_metrics:
        install_metrics(app)
    install_hardening(app, settings)
    # Every request is held to the OpenAPI document (api/conformance.py).
    conformance = [Depends(conforming_request(app, API_PREFIX))]
    for router in (
        health.router,
        auth.router,
        admin.router,
        participants.router,
        eligibility.router,
        pathways.router,
        appointments.router,
        audit.router,
        codec.router,
        data_subject.router,
        cooperatives.router,
        tasks.router,
        notifications.router,
        reports.router,
        payroll.router,
        documents.router,
        scans.router,
        groups.router,
        group_attendance.router,
        caseload.router,
        places.router,
        referrals.router,
    ):
        app.include_router(
            router, prefix=API_PREFIX, responses=ERROR_RESPONSES, dependencies=conformance
        )
    # The web interface (/web): its pages call the same services; errors as pages.
    install_web(app)
    # Last, so that it wraps the API's and the web's answers alike.
    install_denial_audit(app)
    install_openapi(app)
    return app


def app_factory() -> FastAPI:
    """Entry point for uvicorn (`--factory`)."""
    settings = get_settings()
    configure_logging(settings.environment)
    return create_app(settings)
