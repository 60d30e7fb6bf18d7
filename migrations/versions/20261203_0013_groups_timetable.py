"""groups, memberships, the monthly programme's classes, attendance lists, PSU agreements

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, cascade: bool = False) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE" if cascade else None,
    )


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def upgrade() -> None:
    op.create_table(
        "groups",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("instructor_id", sa.Uuid()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("groups", "unit_id", "units"),
        _fk("groups", "instructor_id", "users"),
        _pk("groups"),
    )
    op.create_index(op.f("ix_groups_unit_id"), "groups", ["unit_id"])
    op.create_table(
        "group_memberships",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date()),
        _fk("group_memberships", "group_id", "groups"),
        _fk("group_memberships", "participant_id", "participants", cascade=True),
        _pk("group_memberships"),
    )
    op.create_index(op.f("ix_group_memberships_group_id"), "group_memberships", ["group_id"])
    op.create_index("ix_group_memberships_participant", "group_memberships", ["participant_id"])
    op.create_table(
        "planned_classes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("staff_id", sa.Uuid()),
        sa.Column("group_id", sa.Uuid()),
        sa.Column("participant_id", sa.Uuid()),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("hours", sa.Numeric(4, 2), nullable=False),
        sa.Column("on", sa.Date()),
        sa.Column("weekday", sa.Integer()),
        sa.Column("first_day", sa.Date()),
        sa.Column("last_day", sa.Date()),
        sa.Column("cancelled_days", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("planned_classes", "unit_id", "units"),
        _fk("planned_classes", "staff_id", "users"),
        _fk("planned_classes", "group_id", "groups"),
        _fk("planned_classes", "participant_id", "participants", cascade=True),
        _pk("planned_classes"),
    )
    op.create_index("ix_planned_classes_unit", "planned_classes", ["unit_id", "first_day", "on"])
    op.create_index(op.f("ix_planned_classes_group_id"), "planned_classes", ["group_id"])
    op.create_table(
        "class_marks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("class_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("correction", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(20), nullable=False),
        sa.Column("hours", sa.Numeric(4, 2)),
        sa.Column("absence", sa.String(20)),
        sa.Column("pathway_id", sa.Uuid()),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _fk("class_marks", "unit_id", "units"),
        _fk("class_marks", "class_id", "planned_classes"),
        _fk("class_marks", "participant_id", "participants", cascade=True),
        _fk("class_marks", "pathway_id", "pathways"),
        _fk("class_marks", "recorded_by", "users"),
        sa.UniqueConstraint(
            "class_id", "day", "participant_id", "correction", name="uq_class_marks_entry"
        ),
        _pk("class_marks"),
    )
    op.create_index("ix_class_marks_unit_day", "class_marks", ["unit_id", "day"])
    op.create_table(
        "psu_agreements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("regime", sa.String(20), nullable=False),
        sa.Column("weekly_hours_max", sa.Integer()),
        sa.Column("monthly_hours_max", sa.Integer()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("psu_agreements", "unit_id", "units"),
        _pk("psu_agreements"),
    )
    op.create_index(op.f("ix_psu_agreements_unit_id"), "psu_agreements", ["unit_id"])
    op.create_table(
        "psu_hours",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(4, 2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("psu_hours", "agreement_id", "psu_agreements"),
        _fk("psu_hours", "participant_id", "participants", cascade=True),
        _pk("psu_hours"),
    )
    op.create_index("ix_psu_hours_participant_day", "psu_hours", ["participant_id", "day"])
    op.create_table(
        "certified_hours",
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("weekly_hours", sa.Numeric(4, 1), nullable=False),
        _fk("certified_hours", "participant_id", "participants", cascade=True),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_certified_hours")),
    )


def downgrade() -> None:
    for table in (
        "certified_hours",
        "psu_hours",
        "psu_agreements",
        "class_marks",
        "planned_classes",
        "group_memberships",
        "groups",
    ):
        op.drop_table(table)
