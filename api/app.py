"""The FastAPI application: lifespan-made resources, routers under /api/v1, one error mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from temporalio.client import Client

from api.audit import audit_pathway_access
from api.denials import DenialLog, install_denial_audit
from api.deps import Lookups
from api.errors import ERROR_RESPONSES, install_error_handlers
from api.hardening import install_hardening
from api.login_guard import LoginGuard, LoginThrottle, PasswordHashing, trusted_networks
from api.metrics import install_metrics
from api.routes import (
    admin,
    audit,
    auth,
    codec,
    cooperatives,
    data_subject,
    eligibility,
    health,
    notifications,
    participants,
    pathways,
    reports,
    tasks,
)
from api.web import install_web
from core.codec import EncryptionCodec, MasterKeys
from core.logging import configure_logging
from core.settings import Settings, get_settings
from core.temporal import connect_temporal
from db.keys import DatabaseKeyStore
from db.session import create_engine, create_sessionmaker

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, temporal: Client | None = None) -> FastAPI:
    """The app; tests pass their own settings and Temporal client."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        app.state.settings = settings
        app.state.sessions = create_sessionmaker(engine)
        app.state.lookups = Lookups(settings.auth_cache_seconds)
        master = MasterKeys.from_settings(settings)
        app.state.keys = DatabaseKeyStore(app.state.sessions, master, settings.key_cache_seconds)
        app.state.codec = EncryptionCodec(master, app.state.keys)
        app.state.login_guard = LoginGuard(
            app.state.sessions,
            LoginThrottle(
                settings.login_attempts, settings.login_window_seconds, settings.login_counters
            ),
            PasswordHashing(settings.password_hash_threads),
            trusted_networks(settings.trusted_proxies),
        )
        app.state.denials = DenialLog(
            app.state.sessions,
            settings.denied_audit_limit,
            settings.denied_audit_window_seconds,
        )
        app.state.temporal = temporal or await connect_temporal(settings, app.state.keys)
        yield
        await engine.dispose()

    app = FastAPI(
        title="Participant pathway engine",
        version="1.0",
        lifespan=lifespan,
        openapi_url="/openapi.json",
    )
    install_error_handlers(app)
    if settings.api_metrics:
        install_metrics(app)
    install_hardening(app, settings)
    for router in (
        health.router,
        auth.router,
        admin.router,
        participants.router,
        eligibility.router,
        audit.router,
        codec.router,
        data_subject.router,
        cooperatives.router,
        tasks.router,
        notifications.router,
        reports.router,
    ):
        app.include_router(router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    # Opening, reading and stepping pathways are audited by path (api/audit.py).
    app.include_router(
        pathways.router,
        prefix=API_PREFIX,
        responses=ERROR_RESPONSES,
        dependencies=[Depends(audit_pathway_access)],
    )
    # The web interface (/web): pages through the same route functions, errors as pages.
    install_web(app, settings)
    # Last, so that it wraps the API's and the web's answers alike.
    install_denial_audit(app)
    return app


def app_factory() -> FastAPI:
    """Entry point for uvicorn (`--factory`)."""
    settings = get_settings()
    configure_logging(settings.environment)
    return create_app(settings)
