"""The organisation's overspend thresholds, read and set as one form (`/finance-settings`):
the percent of a budget at which used money warns and is critical (default 80 / 100), for
every project without thresholds of its own (`PUT /projects/{id}/budget-settings`).

Each is an organisation setting (`finance.warn_percent`, `finance.critical_percent`); the
form's revision is their revisions added up, so a write made since the caller read either
is a 409 and nothing is written. New thresholds apply at once to every read (the budget tab,
the overspend list); a crossing they cause is announced with the project's next cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.errors import ValidationFailed
from mems.core.i18n import _
from mems.core.versioning import check_revision
from mems.finance.costs import CRITICAL_SETTING, WARN_SETTING, thresholds_from
from mems.identity import service as identity
from mems.identity.principal import Principal


@dataclass(frozen=True)
class FinanceSettings:
    warn_percent: Decimal
    critical_percent: Decimal
    default: bool  # neither is set: the defaults are in force
    revision: int


async def finance_settings(session: AsyncSession, principal: Principal) -> FinanceSettings:
    warn, warn_revision = await identity.org_setting(session, principal.org_id, WARN_SETTING)
    critical, critical_revision = await identity.org_setting(
        session, principal.org_id, CRITICAL_SETTING
    )
    thresholds, source = thresholds_from(warn, critical)
    return FinanceSettings(
        thresholds.warn.quantize(Decimal("0.01")),
        thresholds.critical.quantize(Decimal("0.01")),
        source == "default",
        warn_revision + critical_revision,
    )


async def set_finance_settings(
    session: AsyncSession,
    principal: Principal,
    warn_percent: Decimal,
    critical_percent: Decimal,
    revision: int,
) -> FinanceSettings:
    """Set both thresholds if neither changed since the caller read them, else a 409."""
    org_id = principal.org_id
    warn, warn_revision = await identity.org_setting(session, org_id, WARN_SETTING)
    critical, critical_revision = await identity.org_setting(session, org_id, CRITICAL_SETTING)
    check_revision(warn_revision + critical_revision, revision)
    if warn_percent > critical_percent:
        raise ValidationFailed.on(
            "warn_percent",
            _(
                "The warning threshold ({warn}%) is above the critical one ({critical}%).",
                warn=str(warn_percent),
                critical=str(critical_percent),
            ),
            "above_critical",
        )
    by = principal.membership_id
    if str(warn_percent) != str(warn):
        await identity.set_org_setting(
            session, org_id, WARN_SETTING, str(warn_percent), warn_revision, by
        )
    if str(critical_percent) != str(critical):
        await identity.set_org_setting(
            session, org_id, CRITICAL_SETTING, str(critical_percent), critical_revision, by
        )
    return await finance_settings(session, principal)
