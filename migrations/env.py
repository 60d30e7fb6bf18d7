"""Alembic environment: the URL comes from settings (or the caller), through a sync driver."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from core.settings import get_settings
from db.models import Base
from db.session import sync_url

config = context.config
url = config.attributes.get("database_url") or get_settings().database_url


def run_migrations() -> None:
    """Run against a live connection; batch mode lets SQLite alter tables."""
    engine = create_engine(sync_url(url), poolclass=pool.NullPool, hide_parameters=True)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
