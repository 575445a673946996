"""Finance: the cost ledger (cost_entries), project budget settings and the overspend level
last announced per line and per project

Revision ID: 742a00f89909
Revises: 75dac034707a
Create Date: 2026-11-30 22:02:57.799880+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mems.core.models

revision: str = "742a00f89909"
down_revision: str | None = "75dac034707a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_budgets",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("warn_percent", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("critical_percent", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("alert_level", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "critical_percent IS NULL OR critical_percent > 0",
            name=op.f("ck_project_budgets_critical_percent_positive"),
        ),
        sa.CheckConstraint(
            "warn_percent IS NULL OR warn_percent > 0",
            name=op.f("ck_project_budgets_warn_percent_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id"],
            ["projects.org_id", "projects.id"],
            name=op.f("fk_project_budgets_org_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_project_budgets_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_budgets")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_project_budgets_org_id_id")),
        sa.UniqueConstraint("project_id", name=op.f("uq_project_budgets_project_id")),
    )
    with op.batch_alter_table("project_budgets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_budgets_org_id"), ["org_id"], unique=False)

    op.create_table(
        "cost_entries",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("line_id", sa.Uuid(), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
                "venue",
                "travel",
                "materials",
                "ad_spend",
                "vendors",
                "labour",
                "other",
                name="budgetcategory",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("phase_id", sa.Uuid(), nullable=True),
        sa.Column("vendor", sa.String(length=200), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("committed", "actual", name="costkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("amount", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("amount_project", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("incurred_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "source",
            sa.Enum("manual", "import", name="costsource", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("recorded_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("verified_at", mems.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("verified_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_cost_entries_amount_positive")),
        sa.CheckConstraint(
            "amount_project > 0", name=op.f("ck_cost_entries_amount_project_positive")
        ),
        sa.CheckConstraint("rate > 0", name=op.f("ck_cost_entries_rate_positive")),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["budget_lines.id"],
            name=op.f("fk_cost_entries_line_id_budget_lines"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id"],
            ["projects.org_id", "projects.id"],
            name=op.f("fk_cost_entries_org_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_cost_entries_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["phases.id"],
            name=op.f("fk_cost_entries_phase_id_phases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_member_id"],
            ["memberships.id"],
            name=op.f("fk_cost_entries_recorded_by_member_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_member_id"],
            ["memberships.id"],
            name=op.f("fk_cost_entries_verified_by_member_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_entries")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_cost_entries_org_id_id")),
    )
    with op.batch_alter_table("cost_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cost_entries_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            "ix_cost_entries_project_incurred", ["project_id", "incurred_on"], unique=False
        )
        batch_op.create_index(
            "ix_cost_entries_project_line", ["project_id", "line_id"], unique=False
        )

    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("alert_level", sa.SmallInteger(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.drop_column("alert_level")

    with op.batch_alter_table("cost_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_cost_entries_project_line")
        batch_op.drop_index("ix_cost_entries_project_incurred")
        batch_op.drop_index(batch_op.f("ix_cost_entries_org_id"))

    op.drop_table("cost_entries")
    with op.batch_alter_table("project_budgets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_budgets_org_id"))

    op.drop_table("project_budgets")
