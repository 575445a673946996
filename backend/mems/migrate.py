"""Run Alembic programmatically (for `mems migrate`, start-up and tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from mems.config import PROJECT_ROOT


def alembic_config() -> Config:
    ini = PROJECT_ROOT / "alembic.ini"
    cfg = Config(str(ini)) if ini.exists() else Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    cfg = alembic_config()

    def run(connection: object) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.connect() as conn:
        await run_migrations(conn, run)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    cfg = alembic_config()

    def run(connection: object) -> None:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)

    async with engine.connect() as conn:
        await run_migrations(conn, run)


class ForeignKeyViolation(RuntimeError):
    pass


async def run_migrations(conn: AsyncConnection, run: Callable[[Any], None]) -> None:
    """Run `run` (Alembic, on the sync connection) and commit.

    On SQLite with foreign keys off for the duration: batch mode rebuilds a table by copying
    it and dropping the original, and with foreign keys on, dropping it would cascade-delete
    (or set null) every row referring to it. The keys are checked once the migration is done
    (`PRAGMA foreign_key_check`; a violation rolls it back) and switched on again."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        await _sqlite_foreign_keys(conn, on=False)  # outside a transaction, or it is a no-op
    try:
        await conn.run_sync(run)
        if sqlite:
            broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
            if broken:
                await conn.rollback()
                raise ForeignKeyViolation(f"the migration broke foreign keys: {broken[:5]}")
        await conn.commit()
    finally:
        if sqlite:
            await _sqlite_foreign_keys(conn, on=True)


async def _sqlite_foreign_keys(conn: AsyncConnection, *, on: bool) -> None:
    if conn.in_transaction():
        await conn.commit()
    raw = await conn.get_raw_connection()
    await raw.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")  # type: ignore[union-attr]


# Tables partitioned on PostgreSQL: their partitions (parent_2026, parent_default) are made by
# the migration that partitions the parent; the models know only the parent.
PARTITIONED = ("metric_records",)


def _partition(table: str | None) -> bool:
    return table is not None and any(
        table != parent and table.startswith(parent + "_") for parent in PARTITIONED
    )


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Autogenerate's filter: partitions (and their indexes) found in the database are not
    tables the models lack."""
    if not reflected or compare_to is not None:
        return True
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return not _partition(table)
