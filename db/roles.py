"""The database's roles: an owner that migrates, and the runtime role of the API and workers.

The runtime role reads and writes rows and nothing else: it owns no table, so it can neither
alter one nor drop or disable a trigger (the audit log's append-only trigger among them); on the
audit log it may only add and read entries, and the migrations' record it may only read. The
owner grants this after every migration (`pathways db upgrade` with
`PATHWAYS_DATABASE_RUNTIME_ROLE`), so tables added later are covered. The roles themselves are
made once by `deploy/postgres/` when the database is first initialised.
"""

from __future__ import annotations

from sqlalchemy import create_engine, pool, text

from db.session import sync_url

# Tables whose rows the runtime role may add and read but never change or remove.
APPEND_ONLY = ("audit_log",)
# Tables the runtime role may only read.
READ_ONLY = ("alembic_version",)


def grant_runtime(owner_url: str, role: str) -> bool:
    """As the owner, give `role` what the running product needs; whether there was anything to
    grant (SQLite has no roles)."""
    engine = create_engine(sync_url(owner_url), poolclass=pool.NullPool, hide_parameters=True)
    try:
        with engine.begin() as connection:
            if connection.dialect.name != "postgresql":
                return False
            who = connection.dialect.identifier_preparer.quote(role)
            for statement in (
                f"GRANT USAGE ON SCHEMA public TO {who}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
                *(f"REVOKE UPDATE, DELETE, TRUNCATE ON {t} FROM {who}" for t in APPEND_ONLY),
                *(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {t} FROM {who}" for t in READ_ONLY),
            ):
                connection.execute(text(statement))
        return True
    finally:
        engine.dispose()
