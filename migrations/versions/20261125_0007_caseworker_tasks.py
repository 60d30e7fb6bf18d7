"""caseworker tasks: staff e-mail, digests and escalations

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 12:00:00

Staff get an e-mail address (for the daily digest); each unit may set when a late task goes to
its supervisors; every staff e-mail is claimed once by its key; every escalation is recorded once.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("email", sa.String(length=254), nullable=True))
    op.create_table(
        "task_policies",
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("escalate_after_working_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_task_policies_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_task_policies")),
    )
    op.create_table(
        "staff_messages",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_staff_messages_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_staff_messages")),
    )
    op.create_index(op.f("ix_staff_messages_day"), "staff_messages", ["day"], unique=False)
    op.create_table(
        "task_escalations",
        sa.Column("pathway_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("escalated_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pathway_id"], ["pathways.id"], name=op.f("fk_task_escalations_pathway_id_pathways")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_task_escalations_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("pathway_id", "kind", "due_on", name=op.f("pk_task_escalations")),
    )
    op.create_index(
        op.f("ix_task_escalations_unit_id"), "task_escalations", ["unit_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_task_escalations_unit_id"), table_name="task_escalations")
    op.drop_table("task_escalations")
    op.drop_index(op.f("ix_staff_messages_day"), table_name="staff_messages")
    op.drop_table("staff_messages")
    op.drop_table("task_policies")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
