"""Deliveries tried again later: the rounds made and the next one's time.

A delivery whose round failed in a way that may pass stays pending until `next_attempt_at`;
rows written before this revision have made no round that counts (0).

Revision ID: 12c9e52b2699
Revises: 5e1d7a2c9b40
Create Date: 2026-12-02 02:35:10.227991+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mems.core.models

revision: str = "12c9e52b2699"
down_revision: str | None = "5e1d7a2c9b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notification_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rounds", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("next_attempt_at", mems.core.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("notification_deliveries", schema=None) as batch_op:
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("rounds")
