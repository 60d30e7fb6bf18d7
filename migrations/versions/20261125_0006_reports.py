"""read-model tables for supervisors' reports

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 12:00:00

What the KPIs and the annual report count, folded from each pathway's events: one row per
pathway (entries, exits, completions, outcome) and one per pathway, month and programme
(attendance, PSU, bonuses, the CIS benefit). Pathways already projected are folded at their next
projection, or by `db.report_rows.refresh_report_rows`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _money(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.Numeric(12, 2), nullable=False)


def upgrade() -> None:
    op.create_table(
        "pathway_report_rows",
        sa.Column("pathway_id", sa.Uuid(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("kis_entered_on", sa.Date(), nullable=True),
        sa.Column("cis_entered_on", sa.Date(), nullable=True),
        sa.Column("cis_admitted_on", sa.Date(), nullable=True),
        sa.Column("trial_passed_on", sa.Date(), nullable=True),
        sa.Column("extension_months", sa.Integer(), nullable=False),
        sa.Column("contract_fulfilled", sa.Boolean(), nullable=False),
        sa.Column("kis_completed_on", sa.Date(), nullable=True),
        sa.Column("kis_graduate", sa.Boolean(), nullable=False),
        sa.Column("cis_completed_on", sa.Date(), nullable=True),
        sa.Column("job_started_on", sa.Date(), nullable=True),
        sa.Column("job_qualifying", sa.Boolean(), nullable=False),
        sa.Column("exit_kind", sa.String(length=40), nullable=True),
        sa.Column("exit_programme", sa.String(length=10), nullable=True),
        sa.Column("exited_on", sa.Date(), nullable=True),
        sa.Column("referred_to", sa.String(length=40), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("social_progress", sa.Boolean(), nullable=False),
        sa.Column("attendance_days", sa.Integer(), nullable=False),
        sa.Column("absence_days", sa.Integer(), nullable=False),
        sa.Column("bonus_count", sa.Integer(), nullable=False),
        _money("bonus_total"),
        sa.Column("projected_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pathway_id"], ["pathways.id"], name=op.f("fk_pathway_report_rows_pathway_id_pathways")
        ),
        sa.PrimaryKeyConstraint("pathway_id", name=op.f("pk_pathway_report_rows")),
    )
    for column in ("cis_admitted_on", "kis_completed_on", "cis_completed_on", "exited_on"):
        op.create_index(op.f(f"ix_pathway_report_rows_{column}"), "pathway_report_rows", [column])
    op.create_table(
        "pathway_months",
        sa.Column("pathway_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("programme", sa.String(length=10), nullable=False),
        sa.Column("attendance_days", sa.Integer(), nullable=False),
        sa.Column("attendance_hours", sa.Numeric(10, 2), nullable=False),
        sa.Column("excused_days", sa.Integer(), nullable=False),
        sa.Column("sick_days", sa.Integer(), nullable=False),
        sa.Column("unexcused_days", sa.Integer(), nullable=False),
        sa.Column("days_off", sa.Integer(), nullable=False),
        sa.Column("psu_hours", sa.Numeric(10, 2), nullable=False),
        sa.Column("bonus_count", sa.Integer(), nullable=False),
        _money("bonus_amount"),
        _money("benefit_amount"),
        _money("deductions_amount"),
        sa.ForeignKeyConstraint(
            ["pathway_id"], ["pathways.id"], name=op.f("fk_pathway_months_pathway_id_pathways")
        ),
        sa.PrimaryKeyConstraint("pathway_id", "month", "programme", name=op.f("pk_pathway_months")),
    )
    op.create_index("ix_pathway_months_month", "pathway_months", ["month"])
    # GET /participants by name reads a page in order instead of sorting the whole unit.
    op.create_index(
        "ix_participants_unit_name",
        "participants",
        ["unit_id", "last_name", "first_name", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_participants_unit_name", table_name="participants")
    op.drop_index("ix_pathway_months_month", table_name="pathway_months")
    op.drop_table("pathway_months")
    for column in ("cis_admitted_on", "kis_completed_on", "cis_completed_on", "exited_on"):
        op.drop_index(op.f(f"ix_pathway_report_rows_{column}"), table_name="pathway_report_rows")
    op.drop_table("pathway_report_rows")
