"""invitations: people with an account join another organisation only by accepting

Revision ID: 4d7a7fa369ac
Revises: 8af4f73258dd
Create Date: 2026-11-30 10:06:53.528070+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mems.core.models

revision: str = "4d7a7fa369ac"
down_revision: str | None = "8af4f73258dd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "director",
                "project_manager",
                "member",
                "finance",
                "viewer",
                name="role",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("invited_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("expires_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", mems.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by_member_id"],
            ["memberships.id"],
            name=op.f("fk_invitations_invited_by_member_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_invitations_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index("ix_invitations_email_status", ["email", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_invitations_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            "uq_invitations_pending_email",
            ["org_id", "email"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_invitations_pending_email",
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_invitations_org_id"))
        batch_op.drop_index("ix_invitations_email_status")

    op.drop_table("invitations")
