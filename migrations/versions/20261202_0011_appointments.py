"""appointments: the participant's meetings are no longer called sessions

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 12:00:00

The table `sessions` (migration 0005) becomes `appointments`, with its keys and indexes named
after it. SQLite keeps constraint names inside the table's definition, so the table is made
anew and its rows copied, the same on both databases.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = "id, pathway_id, unit_id, starts_at, kind, place, cancelled_at, updated_at"


def _create(name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pathway_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pathway_id"], ["pathways.id"], name=op.f(f"fk_{name}_pathway_id_pathways")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f(f"fk_{name}_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_pathway_id"), name, ["pathway_id"])
    op.create_index(f"ix_{name}_unit_id_starts_at", name, ["unit_id", "starts_at"])


def _move(source: str, target: str) -> None:
    _create(target)
    op.execute(f"INSERT INTO {target} ({_COLUMNS}) SELECT {_COLUMNS} FROM {source}")
    op.drop_index(f"ix_{source}_unit_id_starts_at", table_name=source)
    op.drop_index(op.f(f"ix_{source}_pathway_id"), table_name=source)
    op.drop_table(source)


def upgrade() -> None:
    _move("sessions", "appointments")


def downgrade() -> None:
    _move("appointments", "sessions")
