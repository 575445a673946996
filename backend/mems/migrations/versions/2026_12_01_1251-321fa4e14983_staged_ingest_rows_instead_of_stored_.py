"""staged ingest rows instead of stored JSON

A pending batch's records move from `ingest_batches.records` (JSON) to `ingest_rows`, as the
accepting request now stages them (`channels.records.to_staged`): one row per key, the last
record winning, money at the source's rate, quality flags set, the campaign left for the job
to resolve. Written out here rather than
imported, so the migration stays what it was when the code moves on. Batches already written
keep only their counts (their records are in `metric_records`).

Revision ID: 321fa4e14983
Revises: 5e54c898448c
Create Date: 2026-12-01 12:51:30.618501+00:00
"""

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

import sqlalchemy as sa
from alembic import op

revision: str = "321fa4e14983"
down_revision: str | None = "5e54c898448c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("impressions", "clicks", "conversions", "leads", "followers")
batches = sa.table(
    "ingest_batches",
    sa.column("id", sa.Uuid()),
    sa.column("org_id", sa.Uuid()),
    sa.column("source_id", sa.Uuid()),
    sa.column("status", sa.String()),
    sa.column("records", sa.JSON()),
)
sources = sa.table("data_sources", sa.column("id", sa.Uuid()), sa.column("rate", sa.Numeric()))
channels = sa.table(
    "channels", sa.column("id", sa.Uuid()), sa.column("org_id", sa.Uuid()), sa.column("key")
)
rows_table = sa.table(
    "ingest_rows",
    *(
        sa.column(name, type_)
        for name, type_ in cast(
            list[tuple[str, Any]],
            [
                ("batch_id", sa.Uuid()),
                ("seq", sa.Integer()),
                ("channel_id", sa.Uuid()),
                ("campaign", sa.String()),
                ("campaign_id", sa.Uuid()),
                ("campaign_name", sa.String()),
                ("creative", sa.String()),
                ("creative_name", sa.String()),
                ("day", sa.Date()),
                ("hour", sa.SmallInteger()),
                *((c, sa.BigInteger()) for c in COUNTS),
                ("spend", sa.Numeric(20, 2)),
                ("revenue", sa.Numeric(20, 2)),
                ("custom", sa.JSON()),
                ("quality", sa.String()),
            ],
        )
    ),
)


def _money(value: Any, rate: Decimal) -> Decimal:
    amount = Decimal(str(value)) if value is not None else Decimal(0)
    return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _staged(
    batch_id: uuid.UUID, records: list[dict[str, Any]], rate: Decimal, ids: dict[str, uuid.UUID]
) -> list[dict[str, Any]]:
    by_key: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in records:
        if r.get("channel") not in ids:
            continue  # a channel deleted since: the job could not have written it either
        counts = {c: int(r.get(c) or 0) for c in COUNTS}
        hour = r.get("hour")
        row = {
            "batch_id": batch_id,
            "channel_id": ids[r["channel"]],
            "campaign": r["campaign"],
            "campaign_name": r.get("campaign_name"),
            "creative": r.get("creative") or "",
            "creative_name": r.get("creative_name"),
            "day": date.fromisoformat(r["date"]),
            "hour": -1 if hour is None else int(hour),
            **counts,
            "spend": _money(r.get("spend"), rate),
            "revenue": _money(r.get("revenue"), rate),
            "custom": {k: str(v) for k, v in r["custom"].items()} if r.get("custom") else None,
            "quality": (
                "clicks_over_impressions" if counts["clicks"] > counts["impressions"] else None
            ),
        }
        key = tuple(row[c] for c in ("channel_id", "campaign", "creative", "day", "hour"))
        replaced = by_key.pop(key, None)
        if replaced is not None:
            row["campaign_name"] = row["campaign_name"] or replaced["campaign_name"]
            row["creative_name"] = row["creative_name"] or replaced["creative_name"]
        by_key[key] = row
    return [{**row, "seq": seq} for seq, row in enumerate(by_key.values())]


def upgrade() -> None:
    op.create_table(
        "ingest_rows",
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("campaign", sa.String(length=100), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("campaign_name", sa.String(length=200), nullable=True),
        sa.Column("creative", sa.String(length=100), nullable=False),
        sa.Column("creative_name", sa.String(length=200), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("impressions", sa.BigInteger(), nullable=False),
        sa.Column("clicks", sa.BigInteger(), nullable=False),
        sa.Column("conversions", sa.BigInteger(), nullable=False),
        sa.Column("leads", sa.BigInteger(), nullable=False),
        sa.Column("followers", sa.BigInteger(), nullable=False),
        sa.Column("spend", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("revenue", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("custom", sa.JSON(), nullable=True),
        sa.Column("quality", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["ingest_batches.id"],
            name=op.f("fk_ingest_rows_batch_id_ingest_batches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("batch_id", "seq", name=op.f("pk_ingest_rows")),
    )
    conn = op.get_bind()
    pending = conn.execute(
        sa.select(batches.c.id, batches.c.org_id, batches.c.records, sources.c.rate)
        .outerjoin(sources, sources.c.id == batches.c.source_id)
        .where(batches.c.status == "pending")
    ).all()
    for batch in pending:
        ids = {
            key: id_
            for id_, key in conn.execute(
                sa.select(channels.c.id, channels.c.key).where(channels.c.org_id == batch.org_id)
            ).all()
        }
        rate = Decimal(batch.rate) if batch.rate is not None else Decimal(1)
        staged = _staged(batch.id, batch.records or [], rate, ids)
        if staged:
            conn.execute(rows_table.insert(), staged)
    with op.batch_alter_table("ingest_batches", schema=None) as batch_op:
        batch_op.drop_column("records")


def downgrade() -> None:
    # Pending batches' rows go back into their records (money as converted); batches already
    # written get an empty list.
    with op.batch_alter_table("ingest_batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("records", sa.JSON(), nullable=True))
    conn = op.get_bind()
    keys = dict(conn.execute(sa.select(channels.c.id, channels.c.key)).all())
    staged = conn.execute(sa.select(rows_table).order_by(rows_table.c.batch_id, rows_table.c.seq))
    records: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for row in staged.mappings():
        record = {
            "channel": keys.get(row["channel_id"], ""),
            "campaign": row["campaign"],
            "date": row["day"].isoformat(),
            **{c: row[c] for c in COUNTS},
            "spend": str(row["spend"]),
            "revenue": str(row["revenue"]),
        }
        for name in ("campaign_name", "creative_name", "custom"):
            if row[name] is not None:
                record[name] = row[name]
        if row["creative"]:
            record["creative"] = row["creative"]
        if row["hour"] >= 0:
            record["hour"] = row["hour"]
        records.setdefault(row["batch_id"], []).append(record)
    for batch_id, batch_records in records.items():
        conn.execute(batches.update().where(batches.c.id == batch_id).values(records=batch_records))
    conn.execute(batches.update().where(batches.c.records.is_(None)).values(records=[]))
    with op.batch_alter_table("ingest_batches", schema=None) as batch_op:
        batch_op.alter_column("records", existing_type=sa.JSON(), nullable=False)
    op.drop_table("ingest_rows")
