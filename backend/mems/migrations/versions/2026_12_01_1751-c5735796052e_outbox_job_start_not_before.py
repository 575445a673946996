"""Outbox jobs that start no sooner than a given time (a gathering window).

Revision ID: c5735796052e
Revises: 980a7ab1791a
Create Date: 2026-12-01 17:51:38.237572+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mems.core.models

revision: str = "c5735796052e"
down_revision: str | None = "980a7ab1791a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("run_after", mems.core.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.drop_column("run_after")
