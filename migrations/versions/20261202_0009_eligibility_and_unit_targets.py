"""eligibility exclusions and units' own targets

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 18:00:00

Art. 1 ust. 3 u.z.s.: the rights that put a person outside the act (unemployment benefit,
pensions...), recorded at registration or later, apart from the participant's row like the
categories. A unit's own employment and social-effectiveness targets (its project's), shown in
the KPIs beside the rulebook's.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "participant_exclusions",
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("exclusion", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_exclusions_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participant_id", "exclusion", name=op.f("pk_participant_exclusions")
        ),
    )
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("employment_target_pct", sa.Numeric(5, 2), nullable=True))
        batch.add_column(sa.Column("social_target_pct", sa.Numeric(5, 2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_column("social_target_pct")
        batch.drop_column("employment_target_pct")
    op.drop_table("participant_exclusions")
