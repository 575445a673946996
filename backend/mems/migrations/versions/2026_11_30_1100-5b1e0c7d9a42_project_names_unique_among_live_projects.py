"""project names unique among an organisation's live (not cancelled) projects

Revision ID: 5b1e0c7d9a42
Revises: 07260e68f5e7
Create Date: 2026-11-30 11:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b1e0c7d9a42"
down_revision: str | None = "07260e68f5e7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("status <> 'cancelled'")


def upgrade() -> None:
    # Names taken twice before the rule existed: the first project (lowest code) keeps the
    # name, the others get their code appended (codes are unique), so the index can be built.
    op.execute(
        """
        UPDATE projects
        SET name = substr(name, 1, 199 - length(code)) || '-' || code
        WHERE status <> 'cancelled'
          AND EXISTS (
            SELECT 1 FROM projects AS first
            WHERE first.org_id = projects.org_id
              AND first.name = projects.name
              AND first.status <> 'cancelled'
              AND first.code < projects.code
          )
        """
    )
    op.create_index(
        "uq_projects_live_name",
        "projects",
        ["org_id", "name"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_projects_live_name", table_name="projects")
