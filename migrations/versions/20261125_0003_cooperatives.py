"""cooperatives and their outside members' names

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cooperatives",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_cooperatives_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperatives")),
    )
    op.create_index(op.f("ix_cooperatives_unit_id"), "cooperatives", ["unit_id"], unique=False)
    op.create_table(
        "cooperative_members",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperatives.id"],
            name=op.f("fk_cooperative_members_cooperative_id_cooperatives"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperative_members")),
    )
    op.create_index(
        op.f("ix_cooperative_members_cooperative_id"),
        "cooperative_members",
        ["cooperative_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_cooperative_members_cooperative_id"), table_name="cooperative_members")
    op.drop_table("cooperative_members")
    op.drop_index(op.f("ix_cooperatives_unit_id"), table_name="cooperatives")
    op.drop_table("cooperatives")
