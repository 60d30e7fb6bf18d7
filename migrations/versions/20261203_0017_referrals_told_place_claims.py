"""referrals told, place claims, external referrals: when the sender was told of the receiving
unit's decision; a place taken by a step before the read model shows it; a referral to an
institution outside the system

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 11:00:00

A decision whose Signal did not reach the sending pathway stays `told_at IS NULL`, and the
morning run tells it again (the workflow records it once per referral). Referrals decided
before have none: the first morning tells them (once; a closed pathway has nothing to be told).
`place_claims`: a `refer {to: "cis"}` takes its place under the unit's places row lock before the
step, so two admissions to the last place cannot both pass. `external_referrals`: supported
employment at a labour office outside the system, by name, its outcome recorded later.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("referrals", sa.Column("told_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "place_claims",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("programme", sa.String(10), nullable=False),
        sa.Column("pathway_id", sa.Uuid(), sa.ForeignKey("pathways.id"), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_place_claims_unit_programme", "place_claims", ["unit_id", "programme"])
    op.create_table(
        "external_referrals",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("participant_id", sa.Uuid(), sa.ForeignKey("participants.id"), nullable=False),
        sa.Column("institution", sa.String(200), nullable=False),
        sa.Column("programme", sa.String(30), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("consent_transfer_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome_note", sa.String(500), nullable=True),
        sa.Column("outcome_by", sa.Uuid(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_index("ix_external_referrals_unit_id", "external_referrals", ["unit_id"])
    op.create_index(
        "ix_external_referrals_participant_id", "external_referrals", ["participant_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_external_referrals_participant_id", table_name="external_referrals")
    op.drop_index("ix_external_referrals_unit_id", table_name="external_referrals")
    op.drop_table("external_referrals")
    op.drop_index("ix_place_claims_unit_programme", table_name="place_claims")
    op.drop_table("place_claims")
    op.drop_column("referrals", "told_at")
