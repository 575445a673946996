"""strategy periods, goals, KPIs and check-ins

Revision ID: c5308d2070af
Revises: 188d2ce6c3bf
Create Date: 2026-11-27 14:05:36.457972+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mems.core.models

revision: str = "c5308d2070af"
down_revision: str | None = "188d2ce6c3bf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "strategy_periods",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("year", "quarter", name="periodkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_strategy_periods_dates_in_order")),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_strategy_periods_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["strategy_periods.id"],
            name=op.f("fk_strategy_periods_parent_id_strategy_periods"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy_periods")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_strategy_periods_org_id_name")),
    )
    with op.batch_alter_table("strategy_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_strategy_periods_org_id"), ["org_id"], unique=False)

    op.create_table(
        "objectives",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column(
            "level",
            sa.Enum(
                "company",
                "department",
                "team",
                "individual",
                name="goallevel",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("owner_member_id", sa.Uuid(), nullable=True),
        sa.Column("weight", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("weight >= 0", name=op.f("ck_objectives_weight_not_negative")),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_objectives_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["memberships.id"],
            name=op.f("fk_objectives_owner_member_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["objectives.id"],
            name=op.f("fk_objectives_parent_id_objectives"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["strategy_periods.id"],
            name=op.f("fk_objectives_period_id_strategy_periods"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objectives")),
    )
    with op.batch_alter_table("objectives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objectives_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_objectives_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_objectives_period_id"), ["period_id"], unique=False)

    op.create_table(
        "key_results",
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("baseline", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column("target", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column(
            "direction",
            sa.Enum("increase", "decrease", name="direction", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("weight", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("owner_member_id", sa.Uuid(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "manual",
                "task_completion",
                "channel_metric",
                name="valuesource",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("source_config", sa.JSON(), nullable=False),
        sa.Column("current_value", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("current_as_of", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("target <> baseline", name=op.f("ck_key_results_target_differs")),
        sa.CheckConstraint("weight >= 0", name=op.f("ck_key_results_weight_not_negative")),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name=op.f("fk_key_results_objective_id_objectives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_key_results_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["memberships.id"],
            name=op.f("fk_key_results_owner_member_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_results")),
    )
    with op.batch_alter_table("key_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_key_results_objective_id"), ["objective_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_key_results_org_id"), ["org_id"], unique=False)

    op.create_table(
        "key_result_check_ins",
        sa.Column("key_result_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("created_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["memberships.id"],
            name=op.f("fk_key_result_check_ins_created_by_member_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["key_result_id"],
            ["key_results.id"],
            name=op.f("fk_key_result_check_ins_key_result_id_key_results"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_key_result_check_ins_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_result_check_ins")),
    )
    with op.batch_alter_table("key_result_check_ins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_key_result_check_ins_key_result_id"), ["key_result_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_key_result_check_ins_org_id"), ["org_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("key_result_check_ins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_result_check_ins_org_id"))
        batch_op.drop_index(batch_op.f("ix_key_result_check_ins_key_result_id"))

    op.drop_table("key_result_check_ins")
    with op.batch_alter_table("key_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_results_org_id"))
        batch_op.drop_index(batch_op.f("ix_key_results_objective_id"))

    op.drop_table("key_results")
    with op.batch_alter_table("objectives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objectives_period_id"))
        batch_op.drop_index(batch_op.f("ix_objectives_parent_id"))
        batch_op.drop_index(batch_op.f("ix_objectives_org_id"))

    op.drop_table("objectives")
    with op.batch_alter_table("strategy_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strategy_periods_org_id"))

    op.drop_table("strategy_periods")
