"""org settings leave the organisation's row: one row per setting, with its own revision

Revision ID: 54babc36a12f
Revises: 1c791f00b0e0
Create Date: 2026-11-30 12:37:08.424396+00:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import mems.core.models

revision: str = "54babc36a12f"
down_revision: str | None = "1c791f00b0e0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables as this migration knows them (not the models, which move on).
organizations = sa.table(
    "organizations", sa.column("id", sa.Uuid()), sa.column("settings", sa.JSON())
)
org_settings = sa.table(
    "org_settings",
    sa.column("id", sa.Uuid()),
    sa.column("org_id", sa.Uuid()),
    sa.column("key", sa.String()),
    sa.column("value", sa.JSON()),
    sa.column("revision", sa.Integer()),
    sa.column("updated_at", mems.core.models.UTCDateTime()),
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


# On SQLite the `organizations` column is dropped and added in place (ALTER TABLE), never by
# batch mode's copy of the table: dropping the old copy would cascade-delete every row that
# refers to an organisation (foreign keys are on).


def upgrade() -> None:
    # Every key of every organisation's settings becomes a row at revision 1.
    conn = op.get_bind()
    now = datetime.now(UTC)
    rows = [
        {
            "id": uuid.uuid4(),
            "org_id": org_id,
            "key": key,
            "value": value,
            "revision": 1,
            "updated_at": now,
        }
        for org_id, settings in conn.execute(
            sa.select(organizations.c.id, organizations.c.settings)
        )
        for key, value in (settings or {}).items()
        if value is not None
    ]
    if _sqlite():
        op.execute("ALTER TABLE organizations DROP COLUMN settings")
    else:
        op.drop_column("organizations", "settings")

    op.create_table(
        "org_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", mems.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_org_settings_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_member_id"],
            ["memberships.id"],
            name=op.f("fk_org_settings_updated_by_member_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_settings")),
        sa.UniqueConstraint("org_id", "key", name=op.f("uq_org_settings_org_id_key")),
    )
    op.create_index(op.f("ix_org_settings_org_id"), "org_settings", ["org_id"], unique=False)
    if rows:
        conn.execute(org_settings.insert(), rows)


def downgrade() -> None:
    conn = op.get_bind()
    settings: dict[uuid.UUID, dict[str, object]] = {}
    for org_id, key, value in conn.execute(
        sa.select(org_settings.c.org_id, org_settings.c.key, org_settings.c.value)
    ):
        settings.setdefault(org_id, {})[key] = value
    op.drop_index(op.f("ix_org_settings_org_id"), table_name="org_settings")
    op.drop_table("org_settings")

    if _sqlite():
        # In place: SQLite adds a NOT NULL column only with a default.
        op.execute("ALTER TABLE organizations ADD COLUMN settings JSON NOT NULL DEFAULT '{}'")
    else:
        op.add_column("organizations", sa.Column("settings", sa.JSON(), nullable=True))
        conn.execute(organizations.update().values(settings={}))
        op.alter_column("organizations", "settings", existing_type=sa.JSON(), nullable=False)
    for org_id, values in settings.items():
        conn.execute(
            organizations.update().where(organizations.c.id == org_id).values(settings=values)
        )
