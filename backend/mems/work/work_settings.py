"""The organisation's rules of daily work, read and set as one form (`/work-settings`): how
many past days a check-in may still be made or changed, and how many days after its project
manager was told an overdue issue goes on to the directors.

Each rule stays a setting of the domain that applies it (`checkins.service`,
`risks.service`); this module only puts them side by side. It is apart from `work.service`,
which those two domains use, so that no domain's service imports one that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from mems.checkins import service as checkins
from mems.core.versioning import check_revision
from mems.identity.principal import Principal
from mems.risks import service as risks
from mems.work.schemas import WorkSettingsIn


@dataclass(frozen=True)
class WorkSettings:
    checkin_grace_days: int
    issue_director_after_days: int
    # The two settings' revisions added up: each write of either adds one to its own, so the
    # sum moves whenever anything changed since it was read (0: neither was ever set).
    revision: int


async def work_settings(session: AsyncSession, principal: Principal) -> WorkSettings:
    grace, grace_revision = await checkins.grace_days_setting(session, principal.org_id)
    after, after_revision = await risks.director_after_setting(session, principal.org_id)
    return WorkSettings(grace, after, grace_revision + after_revision)


async def set_work_settings(
    session: AsyncSession, principal: Principal, body: WorkSettingsIn
) -> WorkSettings:
    """Set both rules if neither changed since the caller read them (`revision`), else a 409
    and nothing is written. Only a rule whose value changes is written (its revision moves)."""
    org_id = principal.org_id
    grace, grace_revision = await checkins.grace_days_setting(session, org_id)
    after, after_revision = await risks.director_after_setting(session, org_id)
    check_revision(grace_revision + after_revision, body.revision)
    if body.checkin_grace_days != grace:
        await checkins.set_grace_days(session, principal, body.checkin_grace_days, grace_revision)
    if body.issue_director_after_days != after:
        await risks.set_director_after_days(
            session, principal, body.issue_director_after_days, after_revision
        )
    return await work_settings(session, principal)
