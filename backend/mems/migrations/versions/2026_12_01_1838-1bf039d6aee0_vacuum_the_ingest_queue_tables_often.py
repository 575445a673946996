"""Vacuum the ingest queue tables often (PostgreSQL).

Every accepted batch leaves dead rows in the tables it passes through — its staged rows
(deleted once written), the batch (marked done), its job (marked done) — hundreds a second
from a platform's webhooks. PostgreSQL's defaults vacuum a table once a fifth of it is dead,
so these would carry tens of thousands of dead rows that every delivery's statements step
over; here, every few thousand.

Revision ID: 1bf039d6aee0
Revises: c5735796052e
Create Date: 2026-12-01 18:38:24.919878+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "1bf039d6aee0"
down_revision: str | None = "c5735796052e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table: (scale factor, threshold) — ingest_rows is empty at rest; the others keep history.
SETTINGS = {
    "ingest_rows": ("0", "5000"),
    "ingest_batches": ("0.02", "2000"),
    "job_outbox": ("0.02", "2000"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, (scale, threshold) in SETTINGS.items():
        op.execute(
            f"ALTER TABLE {table} SET (autovacuum_vacuum_scale_factor = {scale}, "
            f"autovacuum_vacuum_threshold = {threshold}, "
            f"autovacuum_analyze_scale_factor = {scale}, "
            f"autovacuum_analyze_threshold = {threshold})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in SETTINGS:
        op.execute(
            f"ALTER TABLE {table} RESET (autovacuum_vacuum_scale_factor, "
            "autovacuum_vacuum_threshold, autovacuum_analyze_scale_factor, "
            "autovacuum_analyze_threshold)"
        )
