"""audit log, participant keys, unit policies, erasures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The audit log is append-only: the database itself refuses UPDATE and DELETE.
_PG_FUNCTION = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql
"""
_PG_TRIGGER = """
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
"""
_SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
    """
    for verb in ("UPDATE", "DELETE")
]


def upgrade() -> None:
    op.create_table(
        "unit_policies",
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("caseload_only", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_policies_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_unit_policies")),
    )
    op.create_table(
        "participant_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("master_key_id", sa.String(length=100), nullable=False),
        sa.Column("sealed_key", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_keys_participant_id_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_keys")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_participant_keys_participant_id")),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=True),
        sa.Column("pathway_id", sa.Uuid(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index(op.f("ix_audit_log_unit_id"), "audit_log", ["unit_id"])
    op.create_index(op.f("ix_audit_log_participant_id"), "audit_log", ["participant_id"])
    op.create_table(
        "participant_erasures",
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_by", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_erasures_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["erased_by"], ["users.id"], name=op.f("fk_participant_erasures_erased_by_users")
        ),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_participant_erasures")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(_PG_TRIGGER)
    else:
        for trigger in _SQLITE_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table("participant_erasures")
    op.drop_index(op.f("ix_audit_log_participant_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_unit_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("participant_keys")
    op.drop_table("unit_policies")
