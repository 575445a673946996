"""Rows the resource tests work on: a running project the org's PM manages, resources."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.permissions import Role
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project, ProjectType
from mems.resources.models import Allocation, Resource, ResourceKind
from tests.factories import OrgWithMembers

API = "/api/v1"
MON = date(2026, 11, 30)  # a Monday


async def make_project(
    session: AsyncSession,
    org: OrgWithMembers,
    *,
    status: ProjectStatus = ProjectStatus.ACTIVE,
    starts_on: date = date(2026, 11, 1),
    ends_on: date = date(2027, 3, 31),
    owner: Role = Role.PROJECT_MANAGER,
    commit: bool = True,
) -> Project:
    project = Project(
        id=uuid.uuid4(),
        org_id=org.org.id,
        code=f"R-{uuid.uuid4().hex[:8]}",
        name=f"资源项目-{uuid.uuid4().hex[:6]}",
        type=ProjectType.EVENT,
        status=status,
        owner_member_id=org.members[owner].id,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    session.add(project)
    await session.flush()
    if commit:
        await session.commit()
    return project


async def make_resource(
    session: AsyncSession,
    org: OrgWithMembers,
    kind: ResourceKind,
    name: str | None = None,
    *,
    commit: bool = True,
    **values: Any,
) -> Resource:
    name = name or f"{kind.value}-{uuid.uuid4().hex[:6]}"
    if kind == ResourceKind.PERSON:
        values.setdefault("capacity_hours_week", Decimal(40))
    resource = Resource(
        id=uuid.uuid4(),
        org_id=org.org.id,
        kind=kind,
        name=name,
        name_key=name.casefold(),
        active=values.pop("active", True),
        currency="CNY",
        **values,
    )
    session.add(resource)
    await session.flush()
    if commit:
        await session.commit()
    return resource


async def make_allocation(
    session: AsyncSession,
    project: Project,
    resource: Resource,
    starts_on: date,
    ends_on: date,
    *,
    hours: str | None = None,
    quantity: str | None = None,
    commit: bool = True,
) -> Allocation:
    allocation = Allocation(
        id=uuid.uuid4(),
        org_id=project.org_id,
        project_id=project.id,
        resource_id=resource.id,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_day=None if hours is None else Decimal(hours),
        quantity=None if quantity is None else Decimal(quantity),
    )
    session.add(allocation)
    await session.flush()
    if commit:
        await session.commit()
    return allocation
