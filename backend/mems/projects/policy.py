"""Rights on a project: the one policy every service asks (pure, no I/O).

Who may do what with a project is decided here and nowhere else; services load a project
through `projects.service.project_for(session, principal, project_id, right)`, which applies
this policy, and never compare owners or roles themselves. The route has already checked the
caller's role permission (`projects:read` to look, `projects:write` to change); this policy
adds what depends on the project:

- VIEW: every member of the project's organisation sees every project (the route asks for
  `projects:read`; another organisation's project is not found).
- CONTRIBUTE: the project's team works on it: its manager, and team members whose project
  role is manager, core or contributor (reviewers and observers only look), as well as
  whoever manages it. The work module's tasks and check-ins ask for this right.
- MANAGE: change the project (basics, team, goals, lifecycle, retrospective): directors and
  admins (`projects:manage_all`) on every project, a project manager (`projects:write`) on
  the projects they manage (`owner_member_id`).
- HAND_OVER: give the project to another manager (creating one for someone else, or
  changing its manager): `projects:manage_all` only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.projects.models import ProjectRole


class ProjectRight(StrEnum):
    VIEW = "view"
    CONTRIBUTE = "contribute"
    MANAGE = "manage"
    HAND_OVER = "hand_over"


# Project roles that work on the project; the others (reviewer, observer) follow it.
WORKING_ROLES = frozenset({ProjectRole.MANAGER, ProjectRole.CORE, ProjectRole.CONTRIBUTOR})


@dataclass(frozen=True)
class ProjectFacts:
    """What the policy needs to know about one project and the caller."""

    owner_member_id: uuid.UUID
    # The caller's role in the project team (None: not on the team, or not looked up —
    # only CONTRIBUTE needs it).
    team_role: ProjectRole | None = None


def may_hand_over(principal: Principal) -> bool:
    return principal.can(Permission.PROJECTS_MANAGE_ALL)


def may_manage(principal: Principal, facts: ProjectFacts) -> bool:
    if principal.can(Permission.PROJECTS_MANAGE_ALL):
        return True
    return principal.can(Permission.PROJECTS_WRITE) and (
        facts.owner_member_id == principal.membership_id
    )


def may_manage_as(principal: Principal, owner_member_id: uuid.UUID) -> bool:
    """Whether the caller may create (or save) a project managed by `owner_member_id`: their
    own, or anyone's when they may hand projects over."""
    return owner_member_id == principal.membership_id or may_hand_over(principal)


def rights(principal: Principal, facts: ProjectFacts) -> frozenset[ProjectRight]:
    """Every right the caller has on the project."""
    out = {ProjectRight.VIEW}
    if may_manage(principal, facts):
        out |= {ProjectRight.MANAGE, ProjectRight.CONTRIBUTE}
    if facts.team_role in WORKING_ROLES or facts.owner_member_id == principal.membership_id:
        out.add(ProjectRight.CONTRIBUTE)
    if may_hand_over(principal):
        out.add(ProjectRight.HAND_OVER)
    return frozenset(out)


def needs_team_role(right: ProjectRight) -> bool:
    """Whether deciding `right` needs the caller's role in the project team (a query)."""
    return right == ProjectRight.CONTRIBUTE


def allows(principal: Principal, facts: ProjectFacts, right: ProjectRight) -> bool:
    return right in rights(principal, facts)
