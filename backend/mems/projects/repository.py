"""SQL for projects: the only place in this domain that builds queries."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    ScalarSelect,
    Select,
    String,
    bindparam,
    delete,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mems.core.db import Reader, ReadStatement
from mems.core.pagination import PageParams, counted_page, paginate
from mems.core.sqljson import JsonArray, rows_as_json
from mems.core.tenancy import across_tenants, scoped
from mems.finance import service as finance
from mems.identity import service as identity
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import (
    Project,
    ProjectCodeCounter,
    ProjectGoalLink,
    ProjectMember,
    ProjectRole,
    ProjectTemplate,
    Retrospective,
)
from mems.strategy import service as strategy
from mems.work import plans


async def get_project(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> Project | None:
    return await session.scalar(scoped(Project, org_id, Project.id == project_id))


async def list_projects(
    session: AsyncSession,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    statuses: list[ProjectStatus],
    owner_member_id: uuid.UUID | None,
    goal_id: uuid.UUID | None,
    period_id: uuid.UUID | None,
    q: str | None,
) -> tuple[list[Project], int]:
    stmt = scoped(Project, org_id)
    if statuses:
        stmt = stmt.where(Project.status.in_(statuses))
    if owner_member_id is not None:
        stmt = stmt.where(Project.owner_member_id == owner_member_id)
    if period_id is not None:
        stmt = stmt.where(Project.period_id == period_id)
    if goal_id is not None:
        stmt = stmt.where(
            Project.id.in_(
                select(ProjectGoalLink.project_id).where(
                    ProjectGoalLink.org_id == org_id, ProjectGoalLink.objective_id == goal_id
                )
            )
        )
    if q:
        like = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                func.lower(Project.name).like(like, escape="\\"),
                func.lower(Project.code).like(like, escape="\\"),
                func.lower(func.coalesce(Project.description, "")).like(like, escape="\\"),
            )
        )
    stmt = stmt.order_by(Project.starts_on.desc(), Project.code)
    return await paginate(session, stmt, params)


async def goal_links_of_goals(
    session: AsyncSession, org_id: uuid.UUID, goal_ids: Iterable[uuid.UUID]
) -> list[ProjectGoalLink]:
    ids = list(goal_ids)
    if not ids:
        return []
    stmt = scoped(ProjectGoalLink, org_id, ProjectGoalLink.objective_id.in_(ids))
    return list((await session.scalars(stmt)).all())


async def goal_links(
    session: AsyncSession, org_id: uuid.UUID, project_ids: Iterable[uuid.UUID]
) -> list[ProjectGoalLink]:
    ids = list(project_ids)
    if not ids:
        return []
    return list(
        (
            await session.scalars(
                scoped(ProjectGoalLink, org_id, ProjectGoalLink.project_id.in_(ids))
            )
        ).all()
    )


@dataclass(frozen=True)
class LinkedProjectRow:
    """What a goal shows of a project working towards it."""

    id: uuid.UUID
    code: str
    name: str
    status: ProjectStatus


@cache
def _links_to_goals_statement() -> Select[uuid.UUID, uuid.UUID, str, str, ProjectStatus]:
    """The projects linked to some goals: four columns, not whole projects (a year's goal
    tree lists hundreds). Built once, on first use (when every model's columns are typed)."""
    return (
        select(ProjectGoalLink.objective_id, Project.id, Project.code, Project.name, Project.status)
        .join(Project, Project.id == ProjectGoalLink.project_id)
        .where(
            ProjectGoalLink.org_id == bindparam("org_id"),
            ProjectGoalLink.objective_id.in_(bindparam("goal_ids", expanding=True)),
        )
        .order_by(Project.code)
    )


async def links_to_goals(
    session: AsyncSession, org_id: uuid.UUID, goal_ids: Iterable[uuid.UUID]
) -> list[tuple[uuid.UUID, LinkedProjectRow]]:
    """(goal id, project) for every project linked to one of these goals, by project code."""
    ids = list(goal_ids)
    if not ids:
        return []
    params = {"org_id": org_id, "goal_ids": ids}
    rows = await session.execute(_links_to_goals_statement(), params)
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    out = []
    for goal_id, project_id, code, name, status in rows.all():
        if (goal_id, project_id) not in seen:
            seen.add((goal_id, project_id))
            out.append((goal_id, LinkedProjectRow(project_id, code, name, status)))
    return out


@lru_cache(maxsize=16)
def _links_to_goals_view(goal_ids: Select[tuple[uuid.UUID]]) -> ReadStatement:
    return ReadStatement(
        select(
            ProjectGoalLink.objective_id.label("goal_id"),
            Project.id,
            Project.code,
            Project.name,
            Project.status,
        )
        .join(Project, Project.id == ProjectGoalLink.project_id)
        .where(ProjectGoalLink.objective_id.in_(goal_ids))
        .order_by(Project.code)
    )


async def links_to_goals_view(
    reader: Reader, goal_ids: Select[tuple[uuid.UUID]], **params: Any
) -> list[dict[str, Any]]:
    """`links_to_goals` for reads, as rows (goal_id, id, code, name, status), for the goals
    `goal_ids` selects with `params` bound: a select the caller builds once (a statement is
    compiled once per select), so no list of ids is bound."""
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    out = []
    for row in await reader.all(_links_to_goals_view(goal_ids), **params):
        if (row["goal_id"], row["id"]) not in seen:
            seen.add((row["goal_id"], row["id"]))
            out.append(row)
    return out


async def replace_goal_links(
    session: AsyncSession, project: Project, links: list[tuple[uuid.UUID, uuid.UUID | None]]
) -> None:
    await session.execute(delete(ProjectGoalLink).where(ProjectGoalLink.project_id == project.id))
    for objective_id, key_result_id in dict.fromkeys(links):
        session.add(
            ProjectGoalLink(
                org_id=project.org_id,
                project_id=project.id,
                objective_id=objective_id,
                key_result_id=key_result_id,
            )
        )


async def lock(session: AsyncSession, project: Project) -> None:
    """Hold the project's row until the transaction ends (PostgreSQL; SQLite writers are
    serialised already)."""
    await session.execute(select(Project.id).where(Project.id == project.id).with_for_update())


async def projects_in(
    session: AsyncSession, org_id: uuid.UUID, *, exclude: Iterable[ProjectStatus] = ()
) -> list[Project]:
    stmt = scoped(Project, org_id).where(Project.status.not_in(list(exclude)))
    return list((await session.scalars(stmt)).all())


async def team_role(
    session: AsyncSession, project: Project, membership_id: uuid.UUID
) -> ProjectRole | None:
    """The member's role in the project team (None: not on it)."""
    return await session.scalar(
        select(ProjectMember.role).where(
            ProjectMember.org_id == project.org_id,
            ProjectMember.project_id == project.id,
            ProjectMember.membership_id == membership_id,
        )
    )


async def members(session: AsyncSession, project: Project) -> list[ProjectMember]:
    return list(
        (
            await session.scalars(
                scoped(ProjectMember, project.org_id, ProjectMember.project_id == project.id)
            )
        ).all()
    )


async def replace_members(
    session: AsyncSession, project: Project, members: dict[uuid.UUID, str]
) -> None:
    await session.execute(delete(ProjectMember).where(ProjectMember.project_id == project.id))
    for member_id, role in members.items():
        session.add(
            ProjectMember(
                org_id=project.org_id, project_id=project.id, membership_id=member_id, role=role
            )
        )


async def retrospective(session: AsyncSession, project: Project) -> Retrospective | None:
    return await session.scalar(
        scoped(Retrospective, project.org_id, Retrospective.project_id == project.id)
    )


async def templates(session: AsyncSession, org_id: uuid.UUID) -> list[ProjectTemplate]:
    return list(
        (
            await session.scalars(scoped(ProjectTemplate, org_id).order_by(ProjectTemplate.name))
        ).all()
    )


async def get_template(
    session: AsyncSession, org_id: uuid.UUID, template_id: uuid.UUID
) -> ProjectTemplate | None:
    return await session.scalar(scoped(ProjectTemplate, org_id, ProjectTemplate.id == template_id))


async def template_name_taken(session: AsyncSession, org_id: uuid.UUID, name: str) -> bool:
    found = await session.scalar(
        select(ProjectTemplate.id).where(
            ProjectTemplate.org_id == org_id, ProjectTemplate.name == name
        )
    )
    return found is not None


async def live_project_named(
    session: AsyncSession, org_id: uuid.UUID, name: str, exclude: uuid.UUID | None = None
) -> str | None:
    """The code of the organisation's live (not cancelled) project with this name, if any."""
    stmt = select(Project.code).where(
        Project.org_id == org_id,
        Project.name == name,
        Project.status != ProjectStatus.CANCELLED,
    )
    if exclude is not None:
        stmt = stmt.where(Project.id != exclude)
    return await session.scalar(stmt.limit(1))


async def code_taken(session: AsyncSession, org_id: uuid.UUID, code: str) -> bool:
    stmt = select(Project.id).where(Project.org_id == org_id, Project.code == code).limit(1)
    return (await session.scalar(stmt)) is not None


async def next_code_number(session: AsyncSession, org_id: uuid.UUID, year: int) -> int:
    """The next project number of this organisation and year, in one statement that locks the
    counter row until the transaction ends (concurrent creates queue, none fails)."""
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
    values = insert(ProjectCodeCounter).values(org_id=org_id, year=year, last_number=1)
    stmt = values.on_conflict_do_update(
        index_elements=[ProjectCodeCounter.org_id, ProjectCodeCounter.year],
        set_={"last_number": ProjectCodeCounter.last_number + 1},
    ).returning(ProjectCodeCounter.last_number)
    return int((await session.execute(stmt)).scalar_one())


@dataclass(frozen=True)
class PhaseRow:
    id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    task_count: int
    done_count: int


@dataclass(frozen=True)
class ProjectPage:
    """A project with everything its page shows from this domain, read in one statement."""

    project: Project
    retrospective: Retrospective | None
    goal_links: list[tuple[uuid.UUID, uuid.UUID | None]]  # (objective, key result)
    members: list[tuple[uuid.UUID, str]]  # (membership, project role)
    phases: list[PhaseRow]  # in order
    budget_lines: list[dict[str, Any]]  # in order (finance.line_views)


def _json_rows(
    dialect: str, fields: dict[str, Any], *where: ColumnElement[bool]
) -> ScalarSelect[Any]:
    """A correlated subquery: the rows matching `where` as a JSON array of objects (`[]` when
    there are none), with the dialect's own JSON functions. Ids and dates come back as text,
    amounts are sent as text (exact); the caller turns them back into their types."""
    postgres = dialect == "postgresql"
    pairs: list[ColumnElement[Any]] = []
    for key, column in fields.items():
        pairs += [literal_column(f"'{key}'"), column]
    row = func.json_build_object(*pairs) if postgres else func.json_object(*pairs)
    rows = func.json_agg(row) if postgres else func.json_group_array(row)
    empty = literal_column("'[]'::json" if postgres else "'[]'", JSON)
    return select(type_coerce(func.coalesce(rows, empty), JSON)).where(*where).scalar_subquery()


def _id(value: Any) -> uuid.UUID:
    return uuid.UUID(str(value))  # PostgreSQL writes it with dashes, SQLite as 32 hex digits


def _day(value: Any) -> date:
    return date.fromisoformat(str(value))


def _by_position(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda x: int(x["position"]))


@cache
def _project_page_statement(dialect: str) -> Select[Any]:
    """`project_page`'s statement, built once per dialect (building it is a good share of
    the request's cost): `org_id` and `project_id` are bound when it runs."""

    def of(model: Any) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
        return model.project_id == Project.id, model.org_id == Project.org_id

    return (
        select(Project)
        .where(Project.org_id == bindparam("org_id"), Project.id == bindparam("project_id"))
        .outerjoin(
            Retrospective,
            (Retrospective.project_id == Project.id) & (Retrospective.org_id == Project.org_id),
        )
        .add_columns(
            Retrospective,
            _json_rows(
                dialect,
                {
                    "objective_id": ProjectGoalLink.objective_id,
                    "key_result_id": ProjectGoalLink.key_result_id,
                },
                *of(ProjectGoalLink),
            ),
            _json_rows(
                dialect,
                {"membership_id": ProjectMember.membership_id, "role": ProjectMember.role},
                *of(ProjectMember),
            ),
            plans.phases_json_of(Project.id, Project.org_id),
            finance.lines_json_of(Project.id, Project.org_id),
        )
    )


async def project_page(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> ProjectPage | None:
    """The project, its retrospective, goal links, team, phases, tasks and budget lines in
    one statement (the children as JSON arrays beside the project's row): the page's cost
    does not grow with what the project holds."""
    stmt = _project_page_statement(session.get_bind().dialect.name)
    params = {"org_id": org_id, "project_id": project_id}
    row = (await session.execute(stmt, params)).first()
    if row is None:
        return None
    project, retro, links, members, phases, lines = row
    return ProjectPage(
        project=project,
        retrospective=retro,
        goal_links=[
            (
                _id(x["objective_id"]),
                None if x["key_result_id"] is None else _id(x["key_result_id"]),
            )
            for x in links
        ],
        members=[(_id(x["membership_id"]), str(x["role"])) for x in members],
        phases=[
            PhaseRow(
                _id(x["id"]),
                x["name"],
                _day(x["starts_on"]),
                _day(x["ends_on"]),
                int(x["task_count"]),
                int(x["done_count"]),
            )
            for x in _by_position(phases)
        ],
        budget_lines=finance.line_views(lines),
    )


# ---- reads as rows (`ReadStatement`): the project list and the project page ----------------


def _of_project(model: Any) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return model.project_id == Project.id, model.org_id == Project.org_id


def _list_columns() -> list[Any]:
    """What the list and the page show of every project (`ProjectRead` but `registered`)."""
    return [
        Project.id,
        Project.code,
        Project.name,
        Project.type,
        Project.status,
        Project.owner_member_id,
        identity.member_name_of(Project.owner_member_id).label("owner_name"),
        Project.team_id,
        Project.period_id,
        Project.starts_on,
        Project.ends_on,
        Project.currency,
        Project.total_budget,
        Project.template_key,
        select(JsonArray(ProjectGoalLink.objective_id))
        .where(*_of_project(ProjectGoalLink))
        .scalar_subquery()
        .label("goal_ids"),
        Project.created_at,
        Project.updated_at,
        Project.version,
    ]


@dataclass(frozen=True)
class ListFilters:
    """Which of the list's filters a request uses (each combination is its own statement)."""

    statuses: bool = False
    owner: bool = False
    goal: bool = False
    period: bool = False
    text: bool = False


@cache
def _projects_statement(filters: ListFilters) -> ReadStatement:
    """A page of projects, newest start first, each beside the count of all (`counted_page`);
    the filters used are bound as `:status_0` … (every status slot, unused ones NULL),
    `:owner_member_id`, `:goal_id`, `:period_id`, `:like`."""
    base = select(*_list_columns())
    if filters.statuses:
        slots: list[Any] = [bindparam(f"status_{i}") for i in range(len(ProjectStatus))]
        base = base.where(Project.status.in_(slots))
    if filters.owner:
        base = base.where(Project.owner_member_id == bindparam("owner_member_id"))
    if filters.period:
        base = base.where(Project.period_id == bindparam("period_id"))
    if filters.goal:
        linked = select(ProjectGoalLink.project_id).where(
            ProjectGoalLink.objective_id == bindparam("goal_id")
        )
        base = base.where(Project.id.in_(linked))
    if filters.text:
        like = bindparam("like", type_=String)
        base = base.where(
            or_(
                func.lower(Project.name).like(like, escape="\\"),
                func.lower(Project.code).like(like, escape="\\"),
                func.lower(func.coalesce(Project.description, "")).like(like, escape="\\"),
            )
        )
    return ReadStatement(counted_page(base, Project.starts_on.desc(), Project.code))


async def view_projects(
    reader: Reader,
    params: PageParams,
    *,
    statuses: list[ProjectStatus],
    owner_member_id: uuid.UUID | None,
    goal_id: uuid.UUID | None,
    period_id: uuid.UUID | None,
    q: str | None,
) -> list[dict[str, Any]]:
    """One page of the reader's organisation's projects as rows (`counted_page`: each with
    `total`; a page past the end is one row of nulls beside it), `goal_ids` as JSON."""
    filters = ListFilters(
        statuses=bool(statuses),
        owner=owner_member_id is not None,
        goal=goal_id is not None,
        period=period_id is not None,
        text=bool(q),
    )
    binds: dict[str, Any] = {"limit": params.limit, "offset": params.offset}
    if statuses:
        chosen = list(dict.fromkeys(statuses))
        for i in range(len(ProjectStatus)):
            binds[f"status_{i}"] = chosen[i] if i < len(chosen) else None
    if owner_member_id is not None:
        binds["owner_member_id"] = owner_member_id
    if goal_id is not None:
        binds["goal_id"] = goal_id
    if period_id is not None:
        binds["period_id"] = period_id
    if q:
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        binds["like"] = f"%{escaped}%"
    return await reader.all(_projects_statement(filters), **binds)


@cache
def _project_view_statement() -> ReadStatement:
    """The project page's statement: the project, its manager's name, its retrospective and,
    as JSON arrays beside them, its goal links (with the goals' and key results' names), its
    team (with names), phases, tasks and budget lines. Built once, on first use."""
    return ReadStatement(
        select(
            *_list_columns(),
            Project.description,
            Project.approval_request_id,
            Retrospective.summary.label("r_summary"),
            Retrospective.went_well.label("r_went_well"),
            Retrospective.problems.label("r_problems"),
            Retrospective.lessons.label("r_lessons"),
            Retrospective.updated_at.label("r_updated_at"),
            Retrospective.version.label("r_version"),
            rows_as_json(
                {
                    "objective_id": ProjectGoalLink.objective_id,
                    "objective_title": strategy.goal_title_of(ProjectGoalLink.objective_id),
                    "key_result_id": ProjectGoalLink.key_result_id,
                    "key_result_name": strategy.kpi_name_of(
                        ProjectGoalLink.key_result_id, ProjectGoalLink.objective_id
                    ),
                },
                *_of_project(ProjectGoalLink),
            ).label("goal_links"),
            rows_as_json(
                {
                    "member_id": ProjectMember.membership_id,
                    "name": identity.member_name_of(ProjectMember.membership_id),
                    "role": ProjectMember.role,
                },
                *_of_project(ProjectMember),
            ).label("members"),
            plans.phases_json_of(Project.id, Project.org_id).label("phases"),
            finance.lines_json_of(Project.id, Project.org_id).label("budget_lines"),
        )
        .outerjoin(
            Retrospective,
            (Retrospective.project_id == Project.id) & (Retrospective.org_id == Project.org_id),
        )
        .where(Project.id == bindparam("project_id"))
    )


async def view_project(reader: Reader, project_id: uuid.UUID) -> dict[str, Any] | None:
    """The project page's row (`_project_view_statement`) of a project of the reader's
    organisation, or None."""
    return await reader.first(_project_view_statement(), project_id=project_id)


async def labels(
    session: AsyncSession, org_id: uuid.UUID, project_ids: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    rows = await session.execute(
        select(Project.id, Project.code, Project.name).where(
            Project.org_id == org_id, Project.id.in_(project_ids)
        )
    )
    return {pid: (code, name) for pid, code, name in rows.all()}


@cache
def _basics_statement() -> ReadStatement:
    return ReadStatement(
        select(
            Project.id,
            Project.code,
            Project.name,
            Project.status,
            Project.starts_on,
            Project.ends_on,
            Project.version,
            Project.owner_member_id,
        ).where(Project.id == bindparam("project_id"))
    )


async def project_basics(reader: Reader, project_id: uuid.UUID) -> dict[str, Any] | None:
    return await reader.first(_basics_statement(), project_id=project_id)


def project_field_of(project_id: Any, field: str) -> ColumnElement[Any]:
    """SQL for other domains' reads: a field (code, name) of the project `project_id` refers
    to, a subquery correlated to the row that holds the id."""
    p = aliased(Project)
    return select(getattr(p, field)).where(p.id == project_id).scalar_subquery()


async def running_projects(session: AsyncSession) -> list[Project]:
    """Registered projects that still run (approved, active, closing), of every
    organisation (a system job's read)."""
    stmt = across_tenants(
        select(Project)
        .where(
            or_(
                Project.status == ProjectStatus.APPROVED,
                Project.status == ProjectStatus.ACTIVE,
                Project.status == ProjectStatus.CLOSING,
            )
        )
        .order_by(Project.org_id, Project.code)
    )
    return list((await session.scalars(stmt)).all())
