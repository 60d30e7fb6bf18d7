"""The FastAPI application: lifespan-made resources, routers under /api/v1, one error mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from temporalio.client import Client

from api.deps import Lookups
from api.errors import install_error_handlers
from api.routes import admin, auth, health, participants, pathways
from core.logging import configure_logging
from core.settings import Settings, get_settings
from core.temporal import connect_temporal
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
        app.state.temporal = temporal or await connect_temporal(settings)
        yield
        await engine.dispose()

    app = FastAPI(
        title="Participant pathway engine",
        version="1.0",
        lifespan=lifespan,
        openapi_url="/openapi.json",
    )
    install_error_handlers(app)
    for router in (health.router, auth.router, admin.router, participants.router, pathways.router):
        app.include_router(router, prefix=API_PREFIX)
    return app


def app_factory() -> FastAPI:
    """Entry point for uvicorn (`--factory`)."""
    settings = get_settings()
    configure_logging(settings.environment)
    return create_app(settings)
