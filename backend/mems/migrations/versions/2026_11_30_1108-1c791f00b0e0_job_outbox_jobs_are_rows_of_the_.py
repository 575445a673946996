"""job outbox: jobs are rows of the transaction that queues them

Revision ID: 1c791f00b0e0
Revises: 4d7a7fa369ac
Create Date: 2026-11-30 11:08:45.905318+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mems.core.models

revision: str = "1c791f00b0e0"
down_revision: str | None = "4d7a7fa369ac"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kwargs", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("handed_at", mems.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_at", mems.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_outbox")),
    )
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_job_outbox_status_created", ["status", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_job_outbox_status_created")

    op.drop_table("job_outbox")
