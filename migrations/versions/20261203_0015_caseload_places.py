"""caseload and places: who holds each case (deputies, hand-overs, capacity, leave); places
and waiting lists

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 08:00:00

The holder of a pathway stays `pathways.caseworker_id`: existing pathways keep the caseworker
who registered them as their holder; a hand-over changes it. New tables: the unit's caseload
policy, pathways' deputies, hand-overs (one row per case: the key that makes it once) and
caseworkers' leave; a unit's places by programme and its waiting list; referrals between
units.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "caseload_policies",
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("max_open_cases", sa.Integer()),
        _fk("caseload_policies", "unit_id", "units"),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_caseload_policies")),
    )
    op.create_table(
        "pathway_deputies",
        sa.Column("pathway_id", sa.Uuid(), nullable=False),
        sa.Column("deputy_id", sa.Uuid(), nullable=False),
        _fk("pathway_deputies", "pathway_id", "pathways"),
        _fk("pathway_deputies", "deputy_id", "users"),
        sa.PrimaryKeyConstraint("pathway_id", name=op.f("pk_pathway_deputies")),
    )
    op.create_index(op.f("ix_pathway_deputies_deputy_id"), "pathway_deputies", ["deputy_id"])
    op.create_table(
        "handovers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("by_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("handovers", "unit_id", "units"),
        _fk("handovers", "by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    op.create_index(op.f("ix_handovers_unit_id"), "handovers", ["unit_id"])
    op.create_table(
        "handover_cases",
        sa.Column("handover_id", sa.Uuid(), nullable=False),
        sa.Column("pathway_id", sa.Uuid(), nullable=False),
        sa.Column("previous_id", sa.Uuid(), nullable=False),
        sa.Column("holder_id", sa.Uuid(), nullable=False),
        sa.Column("deputy_id", sa.Uuid()),
        sa.Column("told_at", sa.DateTime(timezone=True)),
        _fk("handover_cases", "handover_id", "handovers"),
        _fk("handover_cases", "pathway_id", "pathways"),
        _fk("handover_cases", "previous_id", "users"),
        _fk("handover_cases", "holder_id", "users"),
        _fk("handover_cases", "deputy_id", "users"),
        sa.PrimaryKeyConstraint("handover_id", "pathway_id", name=op.f("pk_handover_cases")),
    )
    op.create_table(
        "staff_leaves",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("cover_id", sa.Uuid()),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("staff_leaves", "user_id", "users"),
        _fk("staff_leaves", "unit_id", "units"),
        _fk("staff_leaves", "cover_id", "users"),
        _fk("staff_leaves", "created_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_leaves")),
    )
    op.create_index(
        "ix_staff_leaves_user_days", "staff_leaves", ["user_id", "first_day", "last_day"]
    )
    op.create_table(
        "unit_places",
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("programme", sa.String(length=10), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        _fk("unit_places", "unit_id", "units"),
        sa.PrimaryKeyConstraint("unit_id", "programme", name=op.f("pk_unit_places")),
    )
    op.create_table(
        "waiting_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("programme", sa.String(length=10), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("admitted_on", sa.Date()),
        sa.Column("removed_at", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("waiting_entries", "unit_id", "units"),
        _fk("waiting_entries", "participant_id", "participants"),
        _fk("waiting_entries", "created_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waiting_entries")),
    )
    op.create_index(
        "ix_waiting_entries_unit_programme", "waiting_entries", ["unit_id", "programme"]
    )
    op.create_index(
        op.f("ix_waiting_entries_participant_id"), "waiting_entries", ["participant_id"]
    )
    op.create_table(
        "referrals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("from_unit_id", sa.Uuid(), nullable=False),
        sa.Column("to_unit_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("from_pathway_id", sa.Uuid()),
        sa.Column("programme", sa.String(length=10), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("consent_transfer_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_categories", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Uuid()),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decline_reason", sa.String(length=500)),
        sa.Column("new_participant_id", sa.Uuid()),
        sa.Column("new_pathway_id", sa.Uuid()),
        _fk("referrals", "from_unit_id", "units"),
        _fk("referrals", "to_unit_id", "units"),
        _fk("referrals", "participant_id", "participants"),
        _fk("referrals", "from_pathway_id", "pathways"),
        _fk("referrals", "created_by", "users"),
        _fk("referrals", "decided_by", "users"),
        _fk("referrals", "new_participant_id", "participants"),
        _fk("referrals", "new_pathway_id", "pathways"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    op.create_index(op.f("ix_referrals_from_unit_id"), "referrals", ["from_unit_id"])
    op.create_index(op.f("ix_referrals_participant_id"), "referrals", ["participant_id"])
    op.create_index("ix_referrals_to_unit_status", "referrals", ["to_unit_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_referrals_to_unit_status", table_name="referrals")
    op.drop_index(op.f("ix_referrals_participant_id"), table_name="referrals")
    op.drop_index(op.f("ix_referrals_from_unit_id"), table_name="referrals")
    op.drop_table("referrals")
    op.drop_index(op.f("ix_waiting_entries_participant_id"), table_name="waiting_entries")
    op.drop_index("ix_waiting_entries_unit_programme", table_name="waiting_entries")
    op.drop_table("waiting_entries")
    op.drop_table("unit_places")
    op.drop_index("ix_staff_leaves_user_days", table_name="staff_leaves")
    op.drop_table("staff_leaves")
    op.drop_table("handover_cases")
    op.drop_index(op.f("ix_handovers_unit_id"), table_name="handovers")
    op.drop_table("handovers")
    op.drop_index(op.f("ix_pathway_deputies_deputy_id"), table_name="pathway_deputies")
    op.drop_table("pathway_deputies")
    op.drop_table("caseload_policies")
