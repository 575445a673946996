"""Same-organisation composite foreign keys: a child row refers to its parent as
`(org_id, parent_id)` → `parent (org_id, id)`, so the database refuses a child pointing into
another organisation.

Revision ID: f53993047fae
Revises: 54babc36a12f
Create Date: 2026-11-30 12:48:57.940316+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "f53993047fae"
down_revision: str | None = "54babc36a12f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The parents, which get UNIQUE (org_id, id) first.
PARENTS = (
    "approval_requests",
    "key_results",
    "memberships",
    "objectives",
    "projects",
    "teams",
)
# (child table, column, parent table): each single-column key becomes a composite one.
CHILDREN = (
    ("approval_records", "request_id", "approval_requests"),
    ("key_result_check_ins", "key_result_id", "key_results"),
    ("key_results", "objective_id", "objectives"),
    ("project_budget_lines", "project_id", "projects"),
    ("project_goal_links", "project_id", "projects"),
    ("project_goal_links", "objective_id", "objectives"),
    ("project_goal_links", "key_result_id", "key_results"),
    ("project_members", "project_id", "projects"),
    ("project_members", "membership_id", "memberships"),
    ("project_phases", "project_id", "projects"),
    ("project_tasks", "project_id", "projects"),
    ("retrospectives", "project_id", "projects"),
    ("team_members", "team_id", "teams"),
    ("team_members", "member_id", "memberships"),
)


def _tables() -> list[str]:
    return sorted({child for child, _, _ in CHILDREN})


def upgrade() -> None:
    for parent in PARENTS:
        with op.batch_alter_table(parent) as batch_op:
            batch_op.create_unique_constraint(f"uq_{parent}_org_id_id", ["org_id", "id"])
    for table in _tables():
        with op.batch_alter_table(table) as batch_op:
            for child, column, parent in CHILDREN:
                if child != table:
                    continue
                batch_op.drop_constraint(f"fk_{child}_{column}_{parent}", type_="foreignkey")
                batch_op.create_foreign_key(
                    f"fk_{child}_org_id_{parent}",
                    parent,
                    ["org_id", column],
                    ["org_id", "id"],
                    ondelete="CASCADE",
                )


def downgrade() -> None:
    for table in _tables():
        with op.batch_alter_table(table) as batch_op:
            for child, column, parent in CHILDREN:
                if child != table:
                    continue
                batch_op.drop_constraint(f"fk_{child}_org_id_{parent}", type_="foreignkey")
                batch_op.create_foreign_key(
                    f"fk_{child}_{column}_{parent}", parent, [column], ["id"], ondelete="CASCADE"
                )
    for parent in PARENTS:
        with op.batch_alter_table(parent) as batch_op:
            batch_op.drop_constraint(f"uq_{parent}_org_id_id", type_="unique")
