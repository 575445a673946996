"""Project endpoints: list and filters, creation from templates, naming, goal links, members,
lifecycle transitions, the retrospective, templates."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals import service as approvals
from mems.core.db import ReaderDep, SessionDep
from mems.core.errors import (
    GUARDED,
    ONE,
    Conflict,
    NotFound,
    PreconditionFailed,
    StaleVersion,
    problem_responses,
    request_locale,
)
from mems.core.pagination import Page, PageParamsDep
from mems.core.responses import json_response
from mems.core.routing import api_router
from mems.core.versioning import IfMatchHeader, etag, set_etag
from mems.finance import service as finance
from mems.finance.schemas import BudgetLineRead
from mems.identity import service as identity
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.projects import repository as repo
from mems.projects import service
from mems.projects.lifecycle import ProjectStatus, is_registered
from mems.projects.models import Project, ProjectType
from mems.projects.naming import NamingConvention
from mems.projects.schemas import (
    GoalLinkRead,
    GoalLinksUpdate,
    MembersUpdate,
    NameCheckIn,
    NameCheckRead,
    NameIssueRead,
    NameIssueType,
    NamingConventionIn,
    NamingConventionRead,
    PhaseRead,
    ProjectCreate,
    ProjectDetail,
    ProjectMemberRead,
    ProjectRead,
    ProjectUpdate,
    RetrospectiveIn,
    RetrospectiveRead,
    SaveTemplateIn,
    TemplatePhaseRead,
    TemplateRead,
    TransitionCreate,
)
from mems.strategy import service as strategy

router = api_router(tags=["projects"], responses=GUARDED)
# (Conflict last: the 409 these routes document is any conflict, not only a stale version)
_CHANGE = problem_responses(NotFound, StaleVersion, PreconditionFailed, Conflict)
Read = Requires(Permission.PROJECTS_READ)
Write = Requires(Permission.PROJECTS_WRITE)


def _read_fields(project: Project, owner_name: str, goal_ids: list[uuid.UUID]) -> dict[str, object]:
    return {
        "id": project.id,
        "code": project.code,
        "name": project.name,
        "type": project.type,
        "status": project.status,
        "registered": is_registered(project.status),
        "owner_member_id": project.owner_member_id,
        "owner_name": owner_name,
        "team_id": project.team_id,
        "period_id": project.period_id,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "currency": project.currency,
        "total_budget": project.total_budget,
        "template_key": project.template_key,
        "goal_ids": goal_ids,
        "created_at": project.created_at,
        "updated_at": project.updated_at,
        "version": project.version,
    }


async def project_detail(
    session: AsyncSession, principal: Principal, project: Project, response: Response | None = None
) -> ProjectDetail:
    """The project page of a project the caller just changed (read again, with its parts)."""
    page = await service.project_page(session, principal, project.id)
    return await page_detail(session, principal, page, response)


async def page_detail(
    session: AsyncSession,
    principal: Principal,
    page: repo.ProjectPage,
    response: Response | None = None,
) -> ProjectDetail:
    """The project page in four queries whatever the project holds: the project with its parts
    (`page`, one), its approval with the caller's decisions, the people's names, the goals'
    and key results' names."""
    project = page.project
    found = (
        None
        if project.approval_request_id is None
        else await approvals.request_as_seen(session, principal, project.approval_request_id)
    )
    approval, decided = found if found is not None else (None, frozenset[uuid.UUID]())
    names = await identity.member_names(
        session,
        principal.org_id,
        {
            project.owner_member_id,
            *(member_id for member_id, _role in page.members),
            *([approval.requested_by_member_id] if approval is not None else []),
        },
    )
    goal_titles, kpi_names = await strategy.goal_and_kpi_names(
        session,
        principal.org_id,
        (goal_id for goal_id, _kpi in page.goal_links),
        (kpi_id for _goal, kpi_id in page.goal_links if kpi_id is not None),
    )
    retro = page.retrospective
    if response is not None:
        set_etag(response, project.version)
    return ProjectDetail.model_validate(
        {
            **_read_fields(
                project,
                names.get(project.owner_member_id, ""),
                [goal_id for goal_id, _kpi in page.goal_links],
            ),
            "description": project.description,
            "allowed_actions": service.actions_for(principal, project),
            "goal_links": [
                GoalLinkRead(
                    objective_id=goal_id,
                    objective_title=goal_titles.get(goal_id, ""),
                    key_result_id=kpi_id,
                    key_result_name=None if kpi_id is None else kpi_names.get(kpi_id),
                )
                for goal_id, kpi_id in page.goal_links
            ],
            "members": [
                ProjectMemberRead(member_id=member_id, name=names.get(member_id, ""), role=role)
                for member_id, role in page.members
            ],
            "phases": [
                PhaseRead(
                    id=p.id,
                    name=p.name,
                    starts_on=p.starts_on,
                    ends_on=p.ends_on,
                    task_count=p.task_count,
                    done_count=p.done_count,
                )
                for p in page.phases
            ],
            "budget_lines": [BudgetLineRead(**b) for b in page.budget_lines],
            "approved_budget": finance.approved_total(page.budget_lines),
            "approval": None
            if approval is None
            else approvals.read(approval, principal, names, decided),
            "retrospective": None if retro is None else RetrospectiveRead.model_validate(retro),
        }
    )


# ---- naming convention (static paths before /projects/{id}) ---------------------------------


def _convention_read(stored: tuple[dict[str, object], int]) -> NamingConventionRead:
    raw, revision = stored
    if not raw:
        return NamingConventionRead(
            revision=revision, enabled=False, pattern=None, parts={}, expected_form="", example=""
        )
    convention = NamingConvention.from_settings(raw)
    return NamingConventionRead(
        revision=revision,
        enabled=bool(raw.get("enabled", True)),
        pattern=convention.pattern,
        parts=dict(raw.get("parts", {})),  # type: ignore[call-overload]
        expected_form=convention.expected_form,
        example=convention.example,
    )


@router.get("/naming-convention", response_model=NamingConventionRead)
async def get_naming_convention(
    session: SessionDep, principal: Principal = Read
) -> NamingConventionRead:
    """The organisation's project naming convention (disabled: any name is accepted)."""
    return _convention_read(await service.raw_naming_convention(session, principal))


@router.put("/naming-convention", response_model=NamingConventionRead)
async def set_naming_convention(
    body: NamingConventionIn,
    session: SessionDep,
    principal: Principal = Requires(Permission.ORG_MANAGE),
) -> NamingConventionRead:
    """Set the pattern of named parts (period, choice, text) project names must follow.
    Send the `revision` you read: if someone changed the convention since, this is a 409."""
    return _convention_read(await service.set_naming_convention(session, principal, body))


@router.post("/naming-convention/check", response_model=NameCheckRead, responses=ONE)
async def check_name(
    body: NameCheckIn, request: Request, session: SessionDep, principal: Principal = Read
) -> NameCheckRead:
    """Whether a project name follows the convention, agrees with the project's period (or
    dates) and is not already used by a live project — for checking as you type. Each issue
    names the part at fault and what it may hold. Writes nothing."""
    result = await service.check_project_name(session, principal, body)
    locale = request_locale(request)
    issues = [
        NameIssueRead(
            type=NameIssueType(issue.type),
            message=issue.message.render(locale),
            part=issue.part,
            label=issue.label,
            value=issue.value,
            allowed_values=list(issue.allowed_values),
            max_length=issue.max_length,
        )
        for issue in result.issues
    ]
    return NameCheckRead(
        ok=result.ok,
        expected_form=result.expected_form,
        example=result.example,
        parts=result.parts,
        problems=[issue.message for issue in issues],
        issues=issues,
        period_values=result.period_values,
    )


# ---- templates -----------------------------------------------------------------------------


def _template_read(t: service.Template) -> TemplateRead:
    content = t.content
    return TemplateRead(
        id=t.id,
        name=t.name,
        description=t.description,
        project_type=ProjectType(t.project_type),
        builtin=t.builtin,
        duration_days=int(content.get("duration_days", 0)),
        phases=[
            TemplatePhaseRead(
                name=p["name"],
                duration_days=int(p["duration_days"]),
                tasks=[x["title"] for x in p.get("tasks", [])],
            )
            for p in content.get("phases", [])
        ],
        budget_categories=list(content.get("budget_categories", [])),
    )


@router.get("/project-templates", response_model=list[TemplateRead])
async def list_templates(session: SessionDep, principal: Principal = Read) -> list[TemplateRead]:
    """Built-in templates (新品发布会, 节日促销, 线下展会) and the organisation's saved ones."""
    return [_template_read(t) for t in await service.list_templates(session, principal)]


@router.delete(
    "/project-templates/{template_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=ONE,
)
async def delete_template(
    template_id: uuid.UUID, session: SessionDep, principal: Principal = Write
) -> None:
    """Delete a saved template (projects made from it keep their phases and tasks)."""
    await service.delete_template(session, principal, template_id)


# ---- projects ------------------------------------------------------------------------------


@router.get("/projects", response_model=Page[ProjectRead])
async def list_projects(
    reader: ReaderDep,
    page: PageParamsDep,
    status_: Annotated[list[ProjectStatus] | None, Query(alias="status")] = None,
    owner_member_id: uuid.UUID | None = None,
    goal_id: uuid.UUID | None = None,
    period_id: uuid.UUID | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Code, name or description")] = None,
    principal: Principal = Read,
) -> Response:
    """Projects, newest start first; `status` may repeat (`?status=draft&status=submitted`)."""
    view = await service.view_projects(
        reader,
        principal,
        page,
        statuses=status_ or [],
        owner_member_id=owner_member_id,
        goal_id=goal_id,
        period_id=period_id,
        q=q,
    )
    return json_response(view, Page[ProjectRead])


@router.post(
    "/projects",
    response_model=ProjectDetail,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Conflict),
)
async def create_project(
    body: ProjectCreate, response: Response, session: SessionDep, principal: Principal = Write
) -> ProjectDetail:
    """Create a draft project, optionally from a template (phases, starter tasks, budget
    categories laid out on its dates). The name must follow the naming convention."""
    project = await service.create_project(session, principal, body)
    return await project_detail(session, principal, project, response)


@router.get("/projects/{project_id}", response_model=ProjectDetail, responses=ONE)
async def get_project(
    project_id: uuid.UUID, reader: ReaderDep, principal: Principal = Read
) -> Response:
    """One project with its goals, members, phases, budget categories, approval and
    retrospective, and the lifecycle actions the caller may take."""
    view = await service.view_project(reader, principal, project_id)
    return json_response(view, ProjectDetail, headers={"ETag": etag(view["version"])})


@router.patch("/projects/{project_id}", response_model=ProjectDetail, responses=_CHANGE)
async def update_project(
    project_id: uuid.UUID,
    body: ProjectUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Write,
) -> ProjectDetail:
    """Rename (checked against the naming convention), re-date, re-budget or re-assign."""
    project = await service.update_project(session, principal, project_id, body, if_match)
    return await project_detail(session, principal, project, response)


@router.put("/projects/{project_id}/goal-links", response_model=ProjectDetail, responses=_CHANGE)
async def set_goal_links(
    project_id: uuid.UUID,
    body: GoalLinksUpdate,
    response: Response,
    session: SessionDep,
    principal: Principal = Write,
) -> ProjectDetail:
    """Replace the goals (and key results) the project works towards."""
    project = await service.set_goal_links(
        session, principal, project_id, body.goal_links, body.version
    )
    return await project_detail(session, principal, project, response)


@router.put("/projects/{project_id}/members", response_model=ProjectDetail, responses=_CHANGE)
async def set_members(
    project_id: uuid.UUID,
    body: MembersUpdate,
    response: Response,
    session: SessionDep,
    principal: Principal = Write,
) -> ProjectDetail:
    """Replace the project team and each person's project role (the manager always stays)."""
    project = await service.set_members(session, principal, project_id, body.members, body.version)
    return await project_detail(session, principal, project, response)


@router.post(
    "/projects/{project_id}/transitions",
    response_model=ProjectDetail,
    responses=_CHANGE,
)
async def transition(
    project_id: uuid.UUID,
    body: TransitionCreate,
    response: Response,
    session: SessionDep,
    principal: Principal = Write,
) -> ProjectDetail:
    """Move the project through its lifecycle. `submit` opens the 立项 approval (approve and
    reject happen there); `finish` needs the retrospective. A transition the current state
    does not allow is a 409 listing `allowed_actions`."""
    project = await service.transition(session, principal, project_id, body.action, body.version)
    return await project_detail(session, principal, project, response)


@router.put("/projects/{project_id}/retrospective", response_model=ProjectDetail, responses=_CHANGE)
async def write_retrospective(
    project_id: uuid.UUID,
    body: RetrospectiveIn,
    response: Response,
    session: SessionDep,
    principal: Principal = Write,
) -> ProjectDetail:
    """Write or rewrite the retrospective (复盘): summary, what went well, problems, lessons."""
    project = await service.write_retrospective(session, principal, project_id, body)
    return await project_detail(session, principal, project, response)


@router.post(
    "/projects/{project_id}/save-as-template",
    response_model=TemplateRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound, Conflict),
)
async def save_as_template(
    project_id: uuid.UUID, body: SaveTemplateIn, session: SessionDep, principal: Principal = Write
) -> TemplateRead:
    """Save the project's phases, tasks and budget categories as a template of the org."""
    return _template_read(await service.save_as_template(session, principal, project_id, body))
