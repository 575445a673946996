"""SQL for projects: the only place in this domain that builds queries."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.pagination import PageParams, paginate
from mems.core.tenancy import scoped
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import (
    Project,
    ProjectBudgetLine,
    ProjectCodeCounter,
    ProjectGoalLink,
    ProjectMember,
    ProjectPhase,
    ProjectRole,
    ProjectTask,
    ProjectTemplate,
    Retrospective,
)


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


async def links_to_goals(
    session: AsyncSession, org_id: uuid.UUID, goal_ids: Iterable[uuid.UUID]
) -> list[tuple[uuid.UUID, Project]]:
    """(goal id, project) for every project linked to one of these goals."""
    ids = list(goal_ids)
    if not ids:
        return []
    rows = await session.execute(
        select(ProjectGoalLink.objective_id, Project)
        .join(Project, Project.id == ProjectGoalLink.project_id)
        .where(ProjectGoalLink.org_id == org_id, ProjectGoalLink.objective_id.in_(ids))
        .order_by(Project.code)
    )
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    out = []
    for goal_id, project in rows.all():
        if (goal_id, project.id) not in seen:
            seen.add((goal_id, project.id))
            out.append((goal_id, project))
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


async def phases(session: AsyncSession, project: Project) -> list[ProjectPhase]:
    return list(
        (
            await session.scalars(
                scoped(
                    ProjectPhase, project.org_id, ProjectPhase.project_id == project.id
                ).order_by(ProjectPhase.position)
            )
        ).all()
    )


async def tasks(session: AsyncSession, project: Project) -> list[ProjectTask]:
    return list(
        (
            await session.scalars(
                scoped(ProjectTask, project.org_id, ProjectTask.project_id == project.id).order_by(
                    ProjectTask.position
                )
            )
        ).all()
    )


async def budget_lines(session: AsyncSession, project: Project) -> list[ProjectBudgetLine]:
    return list(
        (
            await session.scalars(
                scoped(
                    ProjectBudgetLine, project.org_id, ProjectBudgetLine.project_id == project.id
                ).order_by(ProjectBudgetLine.position)
            )
        ).all()
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
