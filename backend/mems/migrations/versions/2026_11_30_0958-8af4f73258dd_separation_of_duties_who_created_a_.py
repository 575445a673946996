"""separation of duties: who created a project, authored a request's subject, saved a template

The first two never decide the request (approvals.flow); the last may delete the template.

Revision ID: 8af4f73258dd
Revises: a4d1e7c2b9f0
Create Date: 2026-11-30 09:58:23.364367+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8af4f73258dd"
down_revision: str | None = "a4d1e7c2b9f0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_author_member_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_approval_requests_subject_author_member_id_memberships"),
            "memberships",
            ["subject_author_member_id"],
            ["id"],
            ondelete="RESTRICT",
        )

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_member_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_projects_created_by_member_id_memberships"),
            "memberships",
            ["created_by_member_id"],
            ["id"],
            ondelete="RESTRICT",
        )

    with op.batch_alter_table("project_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_member_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_project_templates_created_by_member_id_memberships"),
            "memberships",
            ["created_by_member_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("project_templates", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_project_templates_created_by_member_id_memberships"),
            type_="foreignkey",
        )
        batch_op.drop_column("created_by_member_id")

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_projects_created_by_member_id_memberships"), type_="foreignkey"
        )
        batch_op.drop_column("created_by_member_id")

    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_approval_requests_subject_author_member_id_memberships"),
            type_="foreignkey",
        )
        batch_op.drop_column("subject_author_member_id")
