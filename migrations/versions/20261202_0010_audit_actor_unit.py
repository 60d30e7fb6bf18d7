"""audit entries name the actor's own unit

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 12:00:00

An administrator's act in another unit (an account made there, its report exported) is written
into that unit's audit log, where its supervisors see it; `actor_unit_id` keeps the unit the
actor belongs to. Entries written before this migration have none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("actor_unit_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("actor_unit_id")
