"""The organisation's overspend thresholds (/finance-settings): read by budget readers, set by
admins as one form with a revision, checked, and in force at once for every project without
its own."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.models import OrgSetting
from mems.identity.permissions import Role
from tests.checkins.helpers import API, count, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.finance.test_costs_api import budgeted_project, cost


async def test_admins_set_the_organisations_thresholds_and_reads_follow(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    project, venue, _travel, _phase = await budgeted_project(session, org)
    admin = await api(Role.ADMIN)
    fin = await api(Role.FINANCE)
    r = await fin.post(
        f"{API}/projects/{project.id}/costs", json=cost(amount="7000", line_id=str(venue.id))
    )
    assert r.status_code == 201, r.text  # 70 % of the venue line

    start = (await fin.get(f"{API}/finance-settings")).json()
    assert start == {
        "warn_percent": "80.00",
        "critical_percent": "100.00",
        "default": True,
        "revision": 0,
    }
    url = f"{API}/finance-settings"
    bad = [
        ({"warn_percent": "90", "critical_percent": "85", "revision": 0}, "warn_percent"),
        ({"warn_percent": "0", "critical_percent": "85", "revision": 0}, "warn_percent"),
        ({"warn_percent": "60", "critical_percent": "abc", "revision": 0}, "critical_percent"),
        ({"warn_percent": "60", "critical_percent": "1e9", "revision": 0}, "critical_percent"),
        ({"warn_percent": "6\x000", "critical_percent": "90", "revision": 0}, "warn_percent"),
        ({"warn_percent": "60", "critical_percent": "90"}, "revision"),
        ({"warn_percent": "60", "critical_percent": "90", "revision": False}, "revision"),
        ({"warn_percent": "60", "critical_percent": "90", "revision": "0"}, "revision"),
    ]
    for body, field in bad:
        answer = problem(await admin.put(url, json=body), 422, "validation-failed")
        assert answer["errors"][0]["field"] == field, (body, answer)
    assert await count(session, OrgSetting) == 0

    problem(
        await fin.put(url, json={"warn_percent": "60", "critical_percent": "90", "revision": 0}),
        403,
        "forbidden",
    )
    r = await admin.put(url, json={"warn_percent": "65", "critical_percent": "90", "revision": 0})
    assert r.status_code == 200, r.text
    assert r.json() == {
        "warn_percent": "65.00",
        "critical_percent": "90.00",
        "default": False,
        "revision": 2,
    }
    # A whole number written with a fraction is the same JSON integer.
    r = await admin.put(url, json={"warn_percent": "65", "critical_percent": "90", "revision": 2.0})
    assert r.status_code == 200, r.text
    assert r.json()["revision"] == 2
    # Stale: someone changed it since.
    problem(
        await admin.put(url, json={"warn_percent": "70", "critical_percent": "90", "revision": 0}),
        409,
        "stale-version",
    )
    # In force at once: the venue line at 70 % now warns.
    summary = (await fin.get(f"{API}/projects/{project.id}/budget")).json()
    assert summary["thresholds"]["source"] == "organisation"
    assert Decimal(summary["thresholds"]["warn_percent"]) == 65
    venue_figures = next(line for line in summary["lines"] if line["name"] == "场地费")
    assert venue_figures["level"] == "warn"
    over = (await fin.get(f"{API}/finance/overspend")).json()
    assert [p["code"] for p in over] == [project.code]
    # Another organisation keeps its own (the defaults).
    theirs = (await (await api(Role.FINANCE, other_org)).get(url)).json()
    assert theirs["default"] is True
    problem(await (await api(Role.MEMBER)).get(url), 403, "forbidden")
