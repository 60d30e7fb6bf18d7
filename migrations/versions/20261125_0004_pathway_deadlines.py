"""the pathway's open deadlines in the read model

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:00:00

Deadlines, one row each, projected from the workflow (tasks and filters read them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pathway_deadlines",
        sa.Column("pathway_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pathway_id"], ["pathways.id"], name=op.f("fk_pathway_deadlines_pathway_id_pathways")
        ),
        sa.PrimaryKeyConstraint("pathway_id", "kind", name=op.f("pk_pathway_deadlines")),
    )
    op.create_index(
        "ix_pathway_deadlines_due_on_overdue", "pathway_deadlines", ["due_on", "overdue"]
    )
    # Pathways already projected get their deadlines at their next step or timer; until then the
    # head deadline the pathway row already holds is the best there is.
    op.execute(
        "INSERT INTO pathway_deadlines (pathway_id, kind, due_on, overdue) "
        "SELECT id, next_due_kind, next_due_on, false FROM pathways "
        "WHERE closed_at IS NULL AND next_due_kind IS NOT NULL AND next_due_on IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_pathway_deadlines_due_on_overdue", table_name="pathway_deadlines")
    op.drop_table("pathway_deadlines")
