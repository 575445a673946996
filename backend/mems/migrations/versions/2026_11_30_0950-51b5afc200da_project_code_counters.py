"""project code counters: one row per organisation and start year, taken atomically

Revision ID: 51b5afc200da
Revises: 5b1e0c7d9a42
Create Date: 2026-11-30 09:50:20.043855+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "51b5afc200da"
down_revision: str | None = "5b1e0c7d9a42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_code_counters",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_project_code_counters_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "year", name=op.f("pk_project_code_counters")),
    )
    # Existing codes (P2026-001 …) carry on from their highest number.
    op.execute(
        """
        INSERT INTO project_code_counters (org_id, year, last_number)
        SELECT org_id, CAST(SUBSTR(code, 2, 4) AS INTEGER), MAX(CAST(SUBSTR(code, 7) AS INTEGER))
        FROM projects
        WHERE code LIKE 'P____-%'
        GROUP BY org_id, CAST(SUBSTR(code, 2, 4) AS INTEGER)
        """
    )


def downgrade() -> None:
    op.drop_table("project_code_counters")
