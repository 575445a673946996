"""running totals in the campaign-day rollup

Each campaign-day row carries the campaign's spend and impressions up to that day, so the
dashboard ranks campaigns over any range from two rows each. Existing rows are filled in one
UPDATE … FROM over a window per campaign (both databases).

Revision ID: 980a7ab1791a
Revises: 65fa61096dbe
Create Date: 2026-12-01 15:00:24.325624+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "980a7ab1791a"
down_revision: str | None = "65fa61096dbe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("metric_daily", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "spend_to_date",
                sa.Numeric(precision=38, scale=2),
                nullable=False,
                server_default="0",
            )
        )
        batch_op.add_column(
            sa.Column(
                "impressions_to_date",
                sa.Numeric(precision=38, scale=0),
                nullable=False,
                server_default="0",
            )
        )
    op.execute(
        """
        UPDATE metric_daily SET spend_to_date = w.spend_to_date,
            impressions_to_date = w.impressions_to_date
        FROM (
            SELECT org_id, campaign_id, day,
                sum(spend) OVER (PARTITION BY org_id, campaign_id ORDER BY day) AS spend_to_date,
                sum(impressions) OVER (PARTITION BY org_id, campaign_id ORDER BY day)
                    AS impressions_to_date
            FROM metric_daily
        ) AS w
        WHERE metric_daily.org_id = w.org_id AND metric_daily.campaign_id = w.campaign_id
            AND metric_daily.day = w.day
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("metric_daily", schema=None) as batch_op:
        batch_op.drop_column("impressions_to_date")
        batch_op.drop_column("spend_to_date")
