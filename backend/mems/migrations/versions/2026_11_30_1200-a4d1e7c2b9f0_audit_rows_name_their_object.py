"""audit rows name their object and the object it belongs to

Revision ID: a4d1e7c2b9f0
Revises: 51b5afc200da
Create Date: 2026-11-30 12:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4d1e7c2b9f0"
down_revision: str | None = "51b5afc200da"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entity_label", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("parent_type", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("parent_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_logs", schema=None) as batch_op:
        batch_op.drop_column("parent_id")
        batch_op.drop_column("parent_type")
        batch_op.drop_column("entity_label")
