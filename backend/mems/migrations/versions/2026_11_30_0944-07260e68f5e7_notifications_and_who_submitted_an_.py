"""notifications and who submitted an approval request

Revision ID: 07260e68f5e7
Revises: 40c623dec3d2
Create Date: 2026-11-30 09:44:18.051455+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mems.core.models

revision: str = "07260e68f5e7"
down_revision: str | None = "40c623dec3d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("recipient_member_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.String(length=2000), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("link_type", sa.String(length=32), nullable=True),
        sa.Column("link_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", mems.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_notifications_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_member_id"],
            ["memberships.id"],
            name=op.f("fk_notifications_recipient_member_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            "ix_notifications_recipient_created",
            ["recipient_member_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_notifications_recipient_read", ["recipient_member_id", "read_at"], unique=False
        )

    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_by_member_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_approval_requests_submitted_by_member_id_memberships"),
            "memberships",
            ["submitted_by_member_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_approval_requests_submitted_by_member_id_memberships"),
            type_="foreignkey",
        )
        batch_op.drop_column("submitted_by_member_id")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_recipient_read")
        batch_op.drop_index("ix_notifications_recipient_created")
        batch_op.drop_index(batch_op.f("ix_notifications_org_id"))

    op.drop_table("notifications")
