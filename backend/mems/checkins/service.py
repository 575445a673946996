"""Daily check-in rules: one per person per day (the organisation's day), made by that person
only, today or within the organisation's grace rule; the progress of the person's own tasks is
updated in the same transaction. Who has and has not checked in, per team."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.checkins import repository as repo
from mems.checkins.models import DailyCheckIn
from mems.checkins.schemas import DailyCheckInPut
from mems.core.errors import Forbidden, ValidationFailed
from mems.core.i18n import _
from mems.core.pagination import PageParams
from mems.core.versioning import check_version
from mems.identity import service as identity
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.work import service as work

GRACE_DAYS_SETTING = "checkins.grace_days"
DEFAULT_GRACE_DAYS = 1  # yesterday's check-in may still be made or changed
MAX_GRACE_DAYS = 31
HISTORY_MAX_DAYS = 366


def today_in(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


async def org_today(session: AsyncSession, principal: Principal) -> date:
    return today_in((await identity.get_org(session, principal)).timezone)


async def grace_days(session: AsyncSession, org_id: uuid.UUID) -> int:
    """How many past days a check-in may still be made or changed (the organisation's
    `checkins.grace_days` setting, 1 when unset or not a sensible whole number)."""
    days, _revision = await grace_days_setting(session, org_id)
    return days


async def grace_days_setting(session: AsyncSession, org_id: uuid.UUID) -> tuple[int, int]:
    """The grace rule in force and the setting's revision (0 when never set), to change it."""
    value, revision = await identity.org_setting(session, org_id, GRACE_DAYS_SETTING)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_GRACE_DAYS:
        return value, revision
    return DEFAULT_GRACE_DAYS, revision


async def set_grace_days(
    session: AsyncSession, principal: Principal, days: int, expected_revision: int
) -> int:
    """Set the grace rule (the caller may manage the organisation: the route checks it) if the
    setting is still at `expected_revision`, else a 409. Returns its new revision."""
    assert 0 <= days <= MAX_GRACE_DAYS  # the API's schema bounds it
    return await identity.set_org_setting(
        session,
        principal.org_id,
        GRACE_DAYS_SETTING,
        days,
        expected_revision,
        principal.membership_id,
    )


def _editable(day: date, today: date, grace: int) -> bool:
    return today - timedelta(days=grace) <= day <= today


async def _check_day(session: AsyncSession, principal: Principal, day: date, today: date) -> None:
    if day > today:
        raise ValidationFailed.on(
            "day", _("A check-in cannot be made for a day that has not come yet."), "future_day"
        )
    grace = await grace_days(session, principal.org_id)
    if not _editable(day, today, grace):
        raise ValidationFailed.on(
            "day",
            _(
                "A check-in can be made or changed only today or up to {days} day(s) back.",
                days=grace,
            ),
            "past_grace",
        )


async def _apply_task_updates(
    session: AsyncSession, principal: Principal, body: DailyCheckInPut
) -> list[dict[str, Any]]:
    seen: set[uuid.UUID] = set()
    for i, update in enumerate(body.task_updates):
        if update.task_id in seen:
            raise ValidationFailed.on(
                f"task_updates[{i}].task_id",
                _("This task is already updated earlier in the same check-in."),
                "duplicate",
            )
        seen.add(update.task_id)
    applied = []
    for i, update in enumerate(body.task_updates):
        status = update.status.value if update.status else None
        if not await work.set_own_task_progress(
            session, principal, update.task_id, update.progress, status
        ):
            raise ValidationFailed.on(
                f"task_updates[{i}].task_id",
                _("Only your own open tasks can be updated in your check-in."),
                "not_own_task",
            )
        applied.append(
            {"task_id": str(update.task_id), "progress": update.progress, "status": status}
        )
    return applied


def _fill(row: DailyCheckIn, body: DailyCheckInPut, applied: list[dict[str, Any]]) -> None:
    row.done, row.next, row.blockers, row.task_updates = (
        body.done,
        body.next,
        body.blockers,
        applied,
    )


async def put_mine(
    session: AsyncSession, principal: Principal, day: date | None, body: DailyCheckInPut
) -> DailyCheckIn:
    """Make or change the caller's check-in for `day` (today when None), and apply its task
    updates; a refusal leaves everything as it was (the request's transaction rolls back)."""
    today = await org_today(session, principal)
    day = day or today
    await _check_day(session, principal, day, today)
    row = await repo.get(session, principal.org_id, principal.membership_id, day)
    if row is not None and body.version is not None:
        check_version(row.version, body.version)
    applied = await _apply_task_updates(session, principal, body)
    if row is None:
        row = DailyCheckIn(org_id=principal.org_id, member_id=principal.membership_id, day=day)
        _fill(row, body, applied)
        try:
            async with session.begin_nested():
                session.add(row)
                await session.flush()
            return row
        except IntegrityError:
            # The same person's other PUT for the same day got there first: change that one.
            found = await repo.get(session, principal.org_id, principal.membership_id, day)
            if found is None:
                raise
            row = found
    _fill(row, body, applied)
    await session.flush()
    return row


async def get_mine(
    session: AsyncSession, principal: Principal, day: date | None
) -> tuple[date, date, bool, DailyCheckIn | None, list[dict[str, Any]]]:
    """The caller's check-in form for `day`: (day, today, editable, check-in or None, open
    tasks)."""
    today = await org_today(session, principal)
    day = day or today
    editable = _editable(day, today, await grace_days(session, principal.org_id))
    row = await repo.get(session, principal.org_id, principal.membership_id, day)
    tasks = await work.own_open_tasks(session, principal.org_id, principal.membership_id)
    return day, today, editable, row, tasks


async def my_history(
    session: AsyncSession,
    principal: Principal,
    first: date | None,
    last: date | None,
    params: PageParams,
) -> tuple[list[DailyCheckIn], int]:
    """The caller's check-ins from `first` to `last` (default: the last 30 days), newest
    first."""
    last = last or await org_today(session, principal)
    first = first or last - timedelta(days=30)
    if first > last:
        raise ValidationFailed.on("from", _("“from” must not be after “to”."), "dates_out_of_order")
    if (last - first).days >= HISTORY_MAX_DAYS:
        raise ValidationFailed.on(
            "from",
            _("Ask for at most {days} days at once.", days=HISTORY_MAX_DAYS),
            "range_too_long",
        )
    return await repo.of_member(
        session, principal.org_id, principal.membership_id, first, last, params
    )


async def names_of(
    session: AsyncSession, principal: Principal, rows: list[DailyCheckIn]
) -> dict[uuid.UUID, str]:
    return await identity.member_names(session, principal.org_id, {r.member_id for r in rows})


def _people(team: identity.TeamView) -> list[uuid.UUID]:
    lead = team.team.lead_member_id
    ids = list(team.member_ids)
    return ids if lead is None or lead in ids else [lead, *ids]


async def _all_teams(session: AsyncSession, principal: Principal) -> list[identity.TeamView]:
    teams: list[identity.TeamView] = []
    while True:
        page, total = await identity.list_teams(
            session, principal, PageParams(limit=200, offset=len(teams))
        )
        teams += page
        if not page or len(teams) >= total:
            return teams


async def everyones(
    session: AsyncSession,
    principal: Principal,
    day: date | None,
    team_id: uuid.UUID | None,
    params: PageParams,
) -> tuple[list[DailyCheckIn], int]:
    """Everyone's check-ins of `day` (today when None), or those of one team's people."""
    day = day or await org_today(session, principal)
    members = None
    if team_id is not None:
        members = _people(await identity.get_team(session, principal, team_id))
    return await repo.of_day(session, principal.org_id, day, members, params)


@dataclass(frozen=True)
class TeamRollCall:
    team_id: uuid.UUID
    team_name: str
    checked_in: list[tuple[uuid.UUID, str]]
    not_checked_in: list[tuple[uuid.UUID, str]]


async def roll_call(
    session: AsyncSession, principal: Principal, day: date | None, team_id: uuid.UUID | None
) -> tuple[date, list[TeamRollCall]]:
    """Per team, who has and who has not checked in on `day` (today when None): the teams
    the caller is on (or leads), every team for those who read everyone's check-ins."""
    day = day or await org_today(session, principal)
    sees_all = principal.can(Permission.CHECKINS_READ_ALL)
    if team_id is not None:
        teams = [await identity.get_team(session, principal, team_id)]
        if not sees_all and principal.membership_id not in _people(teams[0]):
            raise Forbidden(_("You see the check-in roll-call of your own teams only."))
    else:
        teams = [
            t
            for t in await _all_teams(session, principal)
            if sees_all or principal.membership_id in _people(t)
        ]
    everyone = {m for t in teams for m in _people(t)}
    names = await identity.member_names(session, principal.org_id, everyone)
    done = await repo.checked_in(session, principal.org_id, day, everyone)
    out = []
    for t in teams:
        people = sorted(
            ((m, names[m]) for m in _people(t) if m in names), key=lambda p: (p[1], str(p[0]))
        )
        out.append(
            TeamRollCall(
                t.team.id,
                t.team.name,
                [p for p in people if p[0] in done],
                [p for p in people if p[0] not in done],
            )
        )
    return day, out
