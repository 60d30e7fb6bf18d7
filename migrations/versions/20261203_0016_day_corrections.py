"""day corrections: the pathway step each class-list mark stands as

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 09:00:00

A correction of a class's list supersedes exactly the step the earlier mark recorded
(`correct_day` with `corrects`); marks written before carry none and correct their whole day.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("class_marks", sa.Column("step_seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("class_marks", "step_seq")
