"""An organisation's working calendar: its weekend, China's public holidays and swapped
working days (调休) unless it turns them off, and its own exceptions (`CalendarDay`), which
admins edit. What the scheduler counts working days with."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity import service as identity
from mems.work import repository as repo
from mems.work.holidays import china_holidays, china_swapped_working_days, covered_years
from mems.work.schedule import WEEKEND, Calendar

CALENDAR_SETTING = "work.calendar"


@dataclass(frozen=True)
class CalendarSettings:
    weekend: frozenset[int] = WEEKEND  # Monday = 0 … Sunday = 6
    china_holidays: bool = True

    @classmethod
    def of(cls, raw: Any) -> CalendarSettings:
        if not isinstance(raw, dict):
            return cls()
        return cls(
            weekend=frozenset(int(d) for d in raw.get("weekend", sorted(WEEKEND))),
            china_holidays=bool(raw.get("china_holidays", True)),
        )

    def as_json(self) -> dict[str, Any]:
        return {"weekend": sorted(self.weekend), "china_holidays": self.china_holidays}


@dataclass(frozen=True)
class OwnDay:
    day: date
    working: bool
    name: str


def build(
    settings: CalendarSettings, exceptions: Iterable[OwnDay], years: Iterable[int]
) -> Calendar:
    """The calendar from its parts (pure): the organisation's exceptions win over China's."""
    years = [y for y in years if y in covered_years()] if settings.china_holidays else []
    holidays = set(china_holidays(years))
    extra = set(china_swapped_working_days(years))
    for e in exceptions:
        (extra if e.working else holidays).add(e.day)
        (holidays if e.working else extra).discard(e.day)
    return Calendar(
        weekend=settings.weekend, holidays=frozenset(holidays), extra_working_days=frozenset(extra)
    )


def years_around(first: date, last: date) -> range:
    """The years a plan from `first` to `last` may reach when it slips (two more)."""
    return range(first.year - 1, last.year + 3)


async def settings_of(session: AsyncSession, org_id: uuid.UUID) -> tuple[CalendarSettings, int]:
    raw, revision = await identity.org_setting(session, org_id, CALENDAR_SETTING)
    return CalendarSettings.of(raw), revision


async def org_calendar(session: AsyncSession, org_id: uuid.UUID, years: Iterable[int]) -> Calendar:
    settings, _revision = await settings_of(session, org_id)
    rows = await repo.calendar_days(session, org_id)
    return build(settings, (OwnDay(r.day, r.working, r.name) for r in rows), years)
