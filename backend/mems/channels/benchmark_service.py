"""Industry benchmarks and the organisation's industry (行业基准): the shipped grid, an
organisation's own cells over it, set one by one or imported as a list, removed to bring the
shipped value back; and which industry the organisation is in (its alert rules and dashboard
compare against that industry's grid)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import repository as repo
from mems.channels import rollups
from mems.channels.benchmarks import INDUSTRIES, METRICS, shipped
from mems.channels.models import Benchmark, ChannelKind
from mems.channels.schemas import (
    BenchmarkCellIn,
    BenchmarkCellRead,
    BenchmarksIn,
    BenchmarksRead,
    ChannelSettingsIn,
    ChannelSettingsRead,
    IndustryRead,
)
from mems.core.db import SessionReader
from mems.core.errors import NotFound
from mems.core.i18n import _
from mems.identity import service as identity
from mems.identity.principal import Principal


async def read(session: AsyncSession, principal: Principal, industry: str | None) -> BenchmarksRead:
    own = await rollups.org_industry(session, principal.org_id)
    chosen = industry or own
    overrides = await rollups.benchmark_overrides(SessionReader(session), principal.org_id, chosen)
    items = []
    for kind in ChannelKind:
        for metric in METRICS:
            base = shipped(chosen, kind, metric)
            assert base is not None
            value = overrides.get((kind, metric), base)
            items.append(
                BenchmarkCellRead(
                    channel_kind=kind,
                    metric=metric,
                    value=value,
                    shipped=base,
                    overridden=(kind, metric) in overrides,
                )
            )
    return BenchmarksRead(
        industry=chosen,
        org_industry=own,
        industries=[IndustryRead(key=k, name=v) for k, v in INDUSTRIES.items()],
        items=items,
    )


async def put(session: AsyncSession, principal: Principal, body: BenchmarksIn) -> BenchmarksRead:
    """Set the cells (the last of a cell given twice wins); the rest stay."""
    cells: dict[tuple[ChannelKind, str], BenchmarkCellIn] = {
        (c.channel_kind, c.metric): c for c in body.items
    }
    existing = await repo.benchmarks_of(session, principal.org_id, body.industry)
    for key, cell in cells.items():
        row = existing.get(key)
        if row is None:
            session.add(
                Benchmark(
                    org_id=principal.org_id,
                    industry=body.industry,
                    channel_kind=cell.channel_kind,
                    metric=cell.metric,
                    value=cell.value,
                )
            )
        elif row.value != cell.value:
            row.value = cell.value
    await session.flush()
    return await read(session, principal, body.industry)


async def reset(
    session: AsyncSession, principal: Principal, industry: str, kind: ChannelKind, metric: str
) -> BenchmarksRead:
    """Remove the organisation's own value of a cell: the shipped one applies again."""
    if industry not in INDUSTRIES or metric not in METRICS:
        raise NotFound(_("No such benchmark."))
    own = (await repo.benchmarks_of(session, principal.org_id, industry)).get((kind, metric))
    if own is not None:  # one by one: the audit log keeps what the value was
        await session.delete(own)
        await session.flush()
    return await read(session, principal, industry)


async def settings(session: AsyncSession, principal: Principal) -> ChannelSettingsRead:
    _value, revision = await identity.org_setting(
        session, principal.org_id, rollups.INDUSTRY_SETTING
    )
    return ChannelSettingsRead(
        industry=await rollups.org_industry(session, principal.org_id), revision=revision
    )


async def set_settings(
    session: AsyncSession, principal: Principal, body: ChannelSettingsIn
) -> ChannelSettingsRead:
    await identity.set_org_setting(
        session,
        principal.org_id,
        rollups.INDUSTRY_SETTING,
        body.industry,
        body.revision,
        principal.membership_id,
    )
    return await settings(session, principal)
