"""caseworker tasks: staff e-mail, digests and escalations

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 12:00:00

Reserved for issue 4's tasks, digest and escalation part; filled in as that work lands.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
