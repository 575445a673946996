"""projects and approvals

Revision ID: 40c623dec3d2
Revises: d36c18200534
Create Date: 2026-11-27 16:32:25.805580+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mems.core.models

revision: str = "40c623dec3d2"
down_revision: str | None = "d36c18200534"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "approval_steps",
        sa.Column(
            "request_type",
            sa.Enum(
                "project_initiation",
                "budget_request",
                name="requesttype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("min_amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_approval_steps_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_steps")),
        sa.UniqueConstraint(
            "org_id",
            "request_type",
            "position",
            name=op.f("uq_approval_steps_org_id_request_type_position"),
        ),
    )
    with op.batch_alter_table("approval_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_steps_org_id"), ["org_id"], unique=False)

    op.create_table(
        "project_templates",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "project_type",
            sa.Enum(
                "product_launch",
                "promotion",
                "event",
                "brand",
                "content",
                "other",
                name="projecttype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_project_templates_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_templates")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_project_templates_org_id_name")),
    )
    with op.batch_alter_table("project_templates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_templates_org_id"), ["org_id"], unique=False)

    op.create_table(
        "approval_requests",
        sa.Column(
            "request_type",
            sa.Enum(
                "project_initiation",
                "budget_request",
                name="requesttype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("requested_by_member_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("current_step", sa.Integer(), nullable=True),
        sa.Column("waiting_for_role", sa.String(length=32), nullable=True),
        sa.Column("decided_at", mems.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_approval_requests_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_member_id"],
            ["memberships.id"],
            name=op.f("fk_approval_requests_requested_by_member_id_memberships"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_requests")),
    )
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_requests_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_approval_requests_request_type"), ["request_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_approval_requests_requested_by_member_id"),
            ["requested_by_member_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_approval_requests_state"), ["state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_approval_requests_subject_id"), ["subject_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_approval_requests_waiting_for_role"), ["waiting_for_role"], unique=False
        )

    op.create_table(
        "approval_records",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("decided_by_member_id", sa.Uuid(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum("approve", "reject", name="decision", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_member_id"],
            ["memberships.id"],
            name=op.f("fk_approval_records_decided_by_member_id_memberships"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_approval_records_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["approval_requests.id"],
            name=op.f("fk_approval_records_request_id_approval_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_records")),
    )
    with op.batch_alter_table("approval_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_records_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_approval_records_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "projects",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "product_launch",
                "promotion",
                "event",
                "brand",
                "content",
                "other",
                name="projecttype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "approved",
                "rejected",
                "active",
                "closing",
                "closed",
                "cancelled",
                name="projectstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("owner_member_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("period_id", sa.Uuid(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_budget", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("template_key", sa.String(length=64), nullable=True),
        sa.Column("approval_request_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_projects_dates_in_order")),
        sa.CheckConstraint("total_budget >= 0", name=op.f("ck_projects_budget_not_negative")),
        sa.ForeignKeyConstraint(
            ["approval_request_id"],
            ["approval_requests.id"],
            name=op.f("fk_projects_approval_request_id_approval_requests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_projects_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["memberships.id"],
            name=op.f("fk_projects_owner_member_id_memberships"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["strategy_periods.id"],
            name=op.f("fk_projects_period_id_strategy_periods"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_projects_team_id_teams"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("org_id", "code", name=op.f("uq_projects_org_id_code")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_projects_owner_member_id"), ["owner_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_projects_period_id"), ["period_id"], unique=False)

    op.create_table(
        "project_budget_lines",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("planned_amount", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "planned_amount >= 0", name=op.f("ck_project_budget_lines_planned_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_project_budget_lines_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_budget_lines_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_budget_lines")),
        sa.UniqueConstraint(
            "project_id", "category", name=op.f("uq_project_budget_lines_project_id_category")
        ),
    )
    with op.batch_alter_table("project_budget_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_budget_lines_org_id"), ["org_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_project_budget_lines_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "project_members",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "manager",
                "core",
                "contributor",
                "reviewer",
                "observer",
                name="projectrole",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_project_members_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_project_members_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_members_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_members")),
        sa.UniqueConstraint(
            "project_id", "membership_id", name=op.f("uq_project_members_project_id_membership_id")
        ),
    )
    with op.batch_alter_table("project_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_members_membership_id"), ["membership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_project_members_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_project_members_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "project_phases",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_project_phases_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_phases_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_phases")),
    )
    with op.batch_alter_table("project_phases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_phases_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_project_phases_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "retrospectives",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("went_well", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_retrospectives_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_retrospectives_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retrospectives")),
        sa.UniqueConstraint("project_id", name=op.f("uq_retrospectives_project_id")),
    )
    with op.batch_alter_table("retrospectives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retrospectives_org_id"), ["org_id"], unique=False)

    op.create_table(
        "project_goal_links",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("objective_id", sa.Uuid(), nullable=False),
        sa.Column("key_result_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_result_id"],
            ["key_results.id"],
            name=op.f("fk_project_goal_links_key_result_id_key_results"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name=op.f("fk_project_goal_links_objective_id_objectives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_project_goal_links_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_goal_links_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_goal_links")),
        sa.UniqueConstraint(
            "project_id",
            "objective_id",
            "key_result_id",
            name=op.f("uq_project_goal_links_project_id_objective_id_key_result_id"),
        ),
    )
    with op.batch_alter_table("project_goal_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_goal_links_objective_id"), ["objective_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_project_goal_links_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_project_goal_links_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "project_tasks",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("phase_id", sa.Uuid(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_project_tasks_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["project_phases.id"],
            name=op.f("fk_project_tasks_phase_id_project_phases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_tasks_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_tasks")),
    )
    with op.batch_alter_table("project_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_tasks_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_project_tasks_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("project_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_tasks_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_tasks_org_id"))

    op.drop_table("project_tasks")
    with op.batch_alter_table("project_goal_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_goal_links_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_goal_links_org_id"))
        batch_op.drop_index(batch_op.f("ix_project_goal_links_objective_id"))

    op.drop_table("project_goal_links")
    with op.batch_alter_table("retrospectives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retrospectives_org_id"))

    op.drop_table("retrospectives")
    with op.batch_alter_table("project_phases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_phases_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_phases_org_id"))

    op.drop_table("project_phases")
    with op.batch_alter_table("project_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_members_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_members_org_id"))
        batch_op.drop_index(batch_op.f("ix_project_members_membership_id"))

    op.drop_table("project_members")
    with op.batch_alter_table("project_budget_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_budget_lines_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_budget_lines_org_id"))

    op.drop_table("project_budget_lines")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_period_id"))
        batch_op.drop_index(batch_op.f("ix_projects_owner_member_id"))
        batch_op.drop_index(batch_op.f("ix_projects_org_id"))

    op.drop_table("projects")
    with op.batch_alter_table("approval_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_records_request_id"))
        batch_op.drop_index(batch_op.f("ix_approval_records_org_id"))

    op.drop_table("approval_records")
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_requests_waiting_for_role"))
        batch_op.drop_index(batch_op.f("ix_approval_requests_subject_id"))
        batch_op.drop_index(batch_op.f("ix_approval_requests_state"))
        batch_op.drop_index(batch_op.f("ix_approval_requests_requested_by_member_id"))
        batch_op.drop_index(batch_op.f("ix_approval_requests_request_type"))
        batch_op.drop_index(batch_op.f("ix_approval_requests_org_id"))

    op.drop_table("approval_requests")
    with op.batch_alter_table("project_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_templates_org_id"))

    op.drop_table("project_templates")
    with op.batch_alter_table("approval_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_steps_org_id"))

    op.drop_table("approval_steps")
