"""coalesced jobs in the outbox

A job queued with `core.jobs.enqueue_coalesced` carries a key; one waiting with the same key
takes the place of later ones.

Revision ID: 65fa61096dbe
Revises: 321fa4e14983
Create Date: 2026-12-01 13:02:04.964717+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "65fa61096dbe"
down_revision: str | None = "321fa4e14983"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("coalesce_key", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_job_outbox_coalesce", ["coalesce_key", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_job_outbox_coalesce")
        batch_op.drop_column("coalesce_key")
