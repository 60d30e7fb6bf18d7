"""referrals told: when the sending pathway's workflow confirmed the receiving unit's decision

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-03 11:00:00

A decision whose Signal did not reach the sending pathway stays `told_at IS NULL`, and the
morning run tells it again (the workflow records it once per referral). Referrals decided
before have none: the first morning tells them (once; a closed pathway has nothing to be told).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("referrals", sa.Column("told_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("referrals", "told_at")
