"""Daily check-in endpoints (每日打卡)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import Path, Query

from mems.checkins import service
from mems.checkins.models import DailyCheckIn
from mems.checkins.schemas import (
    DailyCheckInPut,
    DailyCheckInRead,
    Day,
    MyDayRead,
    OwnTaskRead,
    PersonRead,
    RollCallRead,
    TaskUpdateRead,
    TeamRollCallRead,
)
from mems.core.db import SessionDep
from mems.core.errors import (
    GUARDED,
    Conflict,
    NotFound,
    StaleVersion,
    problem_responses,
)
from mems.core.pagination import Page, PageParamsDep
from mems.core.routing import api_router
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal

router = api_router(
    tags=["checkins"],
    responses=GUARDED,
)
Write = Requires(Permission.WORK_WRITE)

DayPath = Annotated[
    Day | Literal["today"],
    Path(description="The organisation's day (ISO date), or `today` in its time zone"),
]


def _day(day: date | str) -> date | None:
    return day if isinstance(day, date) else None


def checkin_read(row: DailyCheckIn, names: dict[uuid.UUID, str]) -> DailyCheckInRead:
    return DailyCheckInRead(
        id=row.id,
        member_id=row.member_id,
        member_name=names.get(row.member_id, ""),
        day=row.day,
        done=row.done,
        next=row.next,
        blockers=row.blockers,
        task_updates=[TaskUpdateRead.model_validate(u) for u in row.task_updates or []],
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def _page(
    rows: list[DailyCheckIn], total: int, names: dict[uuid.UUID, str], limit: int, offset: int
) -> Page[DailyCheckInRead]:
    return Page(
        items=[checkin_read(r, names) for r in rows], total=total, limit=limit, offset=offset
    )


@router.get("/checkins/me", response_model=Page[DailyCheckInRead])
async def my_checkins(
    session: SessionDep,
    page: PageParamsDep,
    first: Annotated[Day | None, Query(alias="from", description="Default: 30 days back")] = None,
    last: Annotated[Day | None, Query(alias="to", description="Default: today")] = None,
    principal: Principal = Write,
) -> Page[DailyCheckInRead]:
    """The caller's own check-ins between two days (at most a year), newest first."""
    rows, total = await service.my_history(session, principal, first, last, page)
    names = {principal.membership_id: principal.user_name}
    return _page(rows, total, names, page.limit, page.offset)


@router.get("/checkins/me/{day}", response_model=MyDayRead)
async def my_day(day: DayPath, session: SessionDep, principal: Principal = Write) -> MyDayRead:
    """The caller's check-in of a day (null when not made yet), whether it may still be made
    or changed, and the caller's open tasks to update with it."""
    the_day, today, editable, row, tasks = await service.get_mine(session, principal, _day(day))
    names = {principal.membership_id: principal.user_name}
    return MyDayRead(
        day=the_day,
        today=today,
        editable=editable,
        checkin=None if row is None else checkin_read(row, names),
        tasks=[OwnTaskRead.model_validate(t) for t in tasks],
    )


@router.put(
    "/checkins/me/{day}",
    response_model=DailyCheckInRead,
    responses=problem_responses(StaleVersion, Conflict),
)
async def put_my_checkin(
    day: DayPath, body: DailyCheckInPut, session: SessionDep, principal: Principal = Write
) -> DailyCheckInRead:
    """Make or change the caller's check-in of a day: today, or a past day within the
    organisation's grace rule (setting `checkins.grace_days`, default 1). The progress of the
    caller's own tasks in `task_updates` is saved with it, all or nothing (a task of a closed or
    cancelled project: 409, nothing written)."""
    row = await service.put_mine(session, principal, _day(day), body)
    return checkin_read(row, {principal.membership_id: principal.user_name})


@router.get(
    "/checkins",
    response_model=Page[DailyCheckInRead],
    responses=problem_responses(NotFound),
)
async def list_checkins(
    session: SessionDep,
    page: PageParamsDep,
    day: Annotated[Day | None, Query(description="Default: today")] = None,
    team_id: uuid.UUID | None = None,
    principal: Principal = Requires(Permission.CHECKINS_READ_ALL),
) -> Page[DailyCheckInRead]:
    """Everyone's check-ins of a day (or one team's people), with their content."""
    rows, total = await service.everyones(session, principal, day, team_id, page)
    names = await service.names_of(session, principal, rows)
    return _page(rows, total, names, page.limit, page.offset)


@router.get(
    "/checkins/status",
    response_model=RollCallRead,
    responses=problem_responses(NotFound),
)
async def checkin_status(
    session: SessionDep,
    day: Annotated[Day | None, Query(description="Default: today")] = None,
    team_id: uuid.UUID | None = None,
    principal: Principal = Write,
) -> RollCallRead:
    """Per team, who has and who has not checked in on a day (names only): the caller's own
    teams, or every team for those who read everyone's check-ins."""
    the_day, teams = await service.roll_call(session, principal, day, team_id)

    def people(items: list[tuple[uuid.UUID, str]]) -> list[PersonRead]:
        return [PersonRead(member_id=m, name=n) for m, n in items]

    return RollCallRead(
        day=the_day,
        teams=[
            TeamRollCallRead(
                team_id=t.team_id,
                team_name=t.team_name,
                checked_in=people(t.checked_in),
                not_checked_in=people(t.not_checked_in),
            )
            for t in teams
        ],
    )
