"""sessions, notification outbox and consent

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:00:00

Participants' reminders (issue 4): sessions projected from the pathway workflow, the
notification outbox (one row per pathway, reminder and due moment), a participant's language and
when their consent last changed, and the phone number of a unit that reminders give.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=2), server_default="pl", nullable=False)
        )
        batch.add_column(sa.Column("consent_changed_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=20)))
    op.create_table(
        "sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pathway_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pathway_id"], ["pathways.id"], name=op.f("fk_sessions_pathway_id_pathways")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_sessions_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_pathway_id"), "sessions", ["pathway_id"])
    op.create_index("ix_sessions_unit_id_starts_at", "sessions", ["unit_id", "starts_at"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pathway_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("reminder", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True)),
        sa.Column("channel", sa.String(length=10)),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=40)),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=100)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.ForeignKeyConstraint(
            ["pathway_id"], ["pathways.id"], name=op.f("fk_notifications_pathway_id_pathways")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_notifications_participant_id_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint(
            "pathway_id", "reminder", "due_at", name="uq_notifications_pathway_reminder_due"
        ),
    )
    op.create_index(op.f("ix_notifications_participant_id"), "notifications", ["participant_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_notifications_participant_id"), table_name="notifications")
    op.drop_table("notifications")
    op.drop_index("ix_sessions_unit_id_starts_at", table_name="sessions")
    op.drop_index(op.f("ix_sessions_pathway_id"), table_name="sessions")
    op.drop_table("sessions")
    with op.batch_alter_table("units") as batch:
        batch.drop_column("phone")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("consent_changed_at")
        batch.drop_column("language")
