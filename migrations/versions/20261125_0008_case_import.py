"""import of existing cases

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 12:00:00

Which participant and pathway each imported case became, keyed by the unit and the case's id
in the old system, and how many of its steps were sent: a re-run of `pathways import` finds
them here and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_imports",
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("pathway_id", sa.Uuid(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("steps_total", sa.Integer(), nullable=False),
        sa.Column("steps_sent", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_case_imports_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_case_imports_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["pathway_id"], ["pathways.id"], name=op.f("fk_case_imports_pathway_id_pathways")
        ),
        sa.PrimaryKeyConstraint("unit_id", "external_id", name=op.f("pk_case_imports")),
    )


def downgrade() -> None:
    op.drop_table("case_imports")
