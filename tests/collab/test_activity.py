"""A project's activity feed, from the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from mems.core.db import Database
from mems.identity.permissions import Role
from tests.collab.helpers import API, mention, upload
from tests.conftest import ApiFactory
from tests.core.test_statement_counts import counted
from tests.factories import OrgWithMembers
from tests.projects.helpers import create_project, problem


async def _feed(c: Any, project_id: str, **params: Any) -> dict[str, Any]:
    r = await c.get(f"{API}/projects/{project_id}/activity", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_the_feed_shows_the_project_and_what_belongs_to_it_newest_first(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    pm = await api("project_manager")
    project = await create_project(pm)
    other = await create_project(pm)
    r = await pm.patch(
        f"{API}/projects/{project['id']}",
        json={"description": "双十一的全渠道大促", "version": project["version"]},
    )
    assert r.status_code == 200, r.text
    r = await pm.post(
        f"{API}/discussions/project/{project['id']}/comments",
        json={"body": f"{mention(org, Role.MEMBER)} 请看"},
    )
    assert r.status_code == 201, r.text
    r = await upload(pm, "project", project["id"], "方案.pdf", b"%PDF-1.4\n...")
    assert r.status_code == 201, r.text
    await pm.post(f"{API}/discussions/project/{other['id']}/comments", json={"body": "别处"})

    viewer = await api("viewer")  # everyone in the organisation sees every project
    feed = await _feed(viewer, project["id"])
    items = feed["items"]
    kinds = [(i["action"], i["entity_type"]) for i in items]
    assert kinds[:3] == [
        ("create", "attachments"),
        ("create", "comments"),
        ("update", "projects"),
    ]
    assert ("create", "projects") in kinds
    assert feed["total"] == len(items)
    assert [i["created_at"] for i in items] == sorted(
        (i["created_at"] for i in items), reverse=True
    )
    update = items[2]
    assert "description" in update["changed"]
    assert update["entity_id"] == project["id"]
    assert update["actor_name"] == org.members[Role.PROJECT_MANAGER].user.name
    assert items[0]["entity_label"] == "方案.pdf"
    assert items[0]["changed"] == []
    # Nothing of the other project.
    assert other["id"] not in {i["entity_id"] for i in items}
    # A comment's text is never in the audit log, so never in the feed.
    assert "请看" not in str(feed)

    page = await _feed(viewer, project["id"], limit=2, offset=1)
    assert [i["id"] for i in page["items"]] == [i["id"] for i in items[1:3]]
    assert page["total"] == feed["total"]


async def test_statements_per_page_do_not_grow_with_the_feed(api: ApiFactory, db: Database) -> None:
    pm = await api("project_manager")
    project = await create_project(pm)
    engine: AsyncEngine = db.engine

    async def statements() -> int:
        with counted(engine) as seen:
            await _feed(pm, project["id"])
        return len(seen)

    few = await statements()
    for i in range(12):
        r = await pm.post(
            f"{API}/discussions/project/{project['id']}/comments", json={"body": f"第 {i} 条"}
        )
        assert r.status_code == 201
    assert (await _feed(pm, project["id"]))["total"] >= 13
    assert await statements() == few


async def test_another_organisations_project_feed_is_404(
    api: ApiFactory, other_org: OrgWithMembers
) -> None:
    foreign = await create_project(await api("project_manager", in_org=other_org))
    admin = await api("admin")
    problem(await admin.get(f"{API}/projects/{foreign['id']}/activity"), 404, "not-found")
