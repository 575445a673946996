"""The campaign-day rollup's (org, day, channel) index carries each row's campaign and running
totals (PostgreSQL's INCLUDE).

The dashboard ranks a range's campaigns by the rows of its last day and of the eve of its
first (`rollups.dashboard_reads`): with those columns in the index both are index-only scans
instead of a heap page fetched per campaign. SQLite has no INCLUDE: the index stays as it was.

Revision ID: 5e1d7a2c9b40
Revises: 1bf039d6aee0
Create Date: 2026-12-02 09:00:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5e1d7a2c9b40"
down_revision: str | None = "1bf039d6aee0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_metric_daily_org_day"
COLUMNS = ["org_id", "day", "channel_id"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="metric_daily")
    op.create_index(
        INDEX,
        "metric_daily",
        COLUMNS,
        postgresql_include=["campaign_id", "spend_to_date", "impressions_to_date"],
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="metric_daily")
    op.create_index(INDEX, "metric_daily", COLUMNS)
