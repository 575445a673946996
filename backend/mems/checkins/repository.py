"""SQL for daily check-ins."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.checkins.models import DailyCheckIn
from mems.core.pagination import PageParams, paginate
from mems.core.tenancy import scoped


async def get(
    session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID, day: date
) -> DailyCheckIn | None:
    return await session.scalar(
        scoped(DailyCheckIn, org_id, DailyCheckIn.member_id == member_id, DailyCheckIn.day == day)
    )


async def of_member(
    session: AsyncSession,
    org_id: uuid.UUID,
    member_id: uuid.UUID,
    first: date,
    last: date,
    params: PageParams,
) -> tuple[list[DailyCheckIn], int]:
    stmt = scoped(
        DailyCheckIn,
        org_id,
        DailyCheckIn.member_id == member_id,
        DailyCheckIn.day >= first,
        DailyCheckIn.day <= last,
    ).order_by(DailyCheckIn.day.desc())
    return await paginate(session, stmt, params)


async def of_day(
    session: AsyncSession,
    org_id: uuid.UUID,
    day: date,
    member_ids: Collection[uuid.UUID] | None,
    params: PageParams,
) -> tuple[list[DailyCheckIn], int]:
    stmt = scoped(DailyCheckIn, org_id, DailyCheckIn.day == day)
    if member_ids is not None:
        stmt = stmt.where(DailyCheckIn.member_id.in_(list(member_ids)))
    return await paginate(session, stmt.order_by(DailyCheckIn.created_at, DailyCheckIn.id), params)


async def checked_in(
    session: AsyncSession, org_id: uuid.UUID, day: date, member_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these members have checked in on `day`."""
    if not member_ids:
        return set()
    rows = await session.scalars(
        select(DailyCheckIn.member_id).where(
            DailyCheckIn.org_id == org_id,
            DailyCheckIn.day == day,
            DailyCheckIn.member_id.in_(list(member_ids)),
        )
    )
    return set(rows.all())
