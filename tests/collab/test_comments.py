"""Comments with @mentions on projects, tasks, work orders and issues."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab.models import Comment
from mems.collab.service import parse_mentions
from mems.identity.models import Membership
from mems.identity.permissions import Role
from mems.notifications.models import Notification
from tests.collab.helpers import (
    API,
    make_issue,
    make_order,
    make_project,
    make_task,
    mention,
    mentions_of,
)
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import count, problem


def _comments(kind: str, subject_id: object) -> str:
    return f"{API}/discussions/{kind}/{subject_id}/comments"


async def test_mentions_notify_exactly_the_people_mentioned(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    pm = await api("project_manager")
    body = (
        f"请 {mention(org, Role.MEMBER)} 和 {mention(org, Role.FINANCE)} 看预算，"
        f"{mention(org, Role.MEMBER)} 先出初稿；我自己 {mention(org, Role.PROJECT_MANAGER)} 跟进"
    )
    r = await pm.post(_comments("project", project.id), json={"body": body})
    assert r.status_code == 201, r.text
    comment = r.json()
    assert comment["author_member_id"] == str(org.members[Role.PROJECT_MANAGER].id)
    assert comment["author_name"] == org.members[Role.PROJECT_MANAGER].user.name
    assert comment["body"] == body
    assert set(comment["mentions"]) == {
        str(org.members[r].id) for r in (Role.MEMBER, Role.FINANCE, Role.PROJECT_MANAGER)
    }
    assert (comment["can_edit"], comment["can_delete"], comment["edited"]) == (True, True, False)
    # Each mentioned person once; the author is not told about their own comment.
    assert await mentions_of(session, project.id) == sorted(
        [org.members[Role.MEMBER].id, org.members[Role.FINANCE].id], key=str
    )
    note = await session.scalar(
        select(Notification).where(
            Notification.recipient_member_id == org.members[Role.MEMBER].id,
            Notification.kind == "comment.mention",
        )
    )
    assert note is not None
    assert note.link_type == "project"
    assert note.params["author"] == org.members[Role.PROJECT_MANAGER].user.name
    assert "@" + org.members[Role.FINANCE].user.name in note.params["excerpt"]

    member = await api("member")
    listed = (await member.get(_comments("project", project.id))).json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == comment["id"]
    assert (listed["items"][0]["can_edit"], listed["items"][0]["can_delete"]) == (False, False)


async def test_mentioning_another_organisations_member_is_422_and_writes_nothing(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    pm = await api("project_manager")
    before = await count(session, Comment)
    r = await pm.post(
        _comments("project", project.id),
        json={"body": f"{mention(org, Role.MEMBER)} 和 {mention(other_org, Role.MEMBER, '外人')}"},
    )
    body = problem(r, 422, "validation-failed")
    assert [e["field"] for e in body["errors"]] == ["body"]
    assert "外人" in body["detail"]
    assert await count(session, Comment) == before
    assert await mentions_of(session, project.id) == []


async def test_a_deactivated_member_cannot_be_mentioned(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    gone = await session.get(Membership, org.members[Role.FINANCE].id)
    assert gone is not None
    gone.is_active = False
    await session.commit()
    pm = await api("project_manager")
    r = await pm.post(
        _comments("project", project.id), json={"body": f"{mention(org, Role.FINANCE)} 在吗"}
    )
    problem(r, 422, "validation-failed")
    assert await mentions_of(session, project.id) == []


async def test_text_that_only_looks_like_a_mention_mentions_nobody(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    pm = await api("project_manager")
    body = "@王芳 [看](这里) @[名字](not-a-uuid-at-all-xxxxxxxxxxxxxxxxxx) @[(]()" + "@[" * 2000
    r = await pm.post(_comments("project", project.id), json={"body": body})
    assert r.status_code == 201, r.text
    assert r.json()["mentions"] == []
    assert parse_mentions(body) == []


async def test_task_and_issue_discussions_follow_the_project(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    task = await make_task(session, project)
    issue = await make_issue(session, project)
    pm, member, viewer = await api("project_manager"), await api("member"), await api("viewer")
    for kind, subject in (("task", task), ("issue", issue)):
        r = await pm.post(
            _comments(kind, subject.id), json={"body": f"{mention(org, Role.VIEWER)} 请知悉"}
        )
        assert r.status_code == 201, r.text
        # Everyone sees the project's discussions (the viewer was mentioned: notified)...
        seen = await viewer.get(_comments(kind, subject.id))
        assert seen.status_code == 200
        assert seen.json()["total"] == 1
        assert await mentions_of(session, subject.id) == [org.members[Role.VIEWER].id]
        # ...only the project's team writes in them: the member is not on it.
        refused = await member.post(_comments(kind, subject.id), json={"body": "我也说一句"})
        problem(refused, 403, "forbidden")
        comment = await session.scalar(select(Comment).where(Comment.subject_id == subject.id))
        assert comment is not None
        assert comment.project_id == project.id


async def test_work_order_discussion_is_its_parties_and_overseers_only(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    order = await make_order(session, org, Role.PROJECT_MANAGER, Role.MEMBER)
    pm, member, finance = await api("project_manager"), await api("member"), await api("finance")
    # A director oversees every order: may be mentioned; finance is no party: may not.
    r = await member.post(
        _comments("work_order", order.id), json={"body": f"{mention(org, Role.DIRECTOR)} 请批示"}
    )
    assert r.status_code == 201, r.text
    r = await pm.post(
        _comments("work_order", order.id), json={"body": f"{mention(org, Role.FINANCE)} 请看"}
    )
    problem(r, 422, "validation-failed")
    assert await mentions_of(session, order.id) == [org.members[Role.DIRECTOR].id]
    # Finance can neither read nor write it: it is not found for them.
    problem(await finance.get(_comments("work_order", order.id)), 404, "not-found")
    problem(
        await finance.post(_comments("work_order", order.id), json={"body": "?"}), 404, "not-found"
    )
    # Not in any project's feed.
    comment = await session.scalar(select(Comment).where(Comment.subject_id == order.id))
    assert comment is not None
    assert comment.project_id is None


async def test_edit_notifies_only_the_newly_mentioned_and_checks_the_version(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    pm, member = await api("project_manager"), await api("member")
    created = (
        await pm.post(
            _comments("project", project.id), json={"body": f"{mention(org, Role.MEMBER)} 初稿"}
        )
    ).json()
    url = f"{API}/comments/{created['id']}"
    new_body = f"{mention(org, Role.MEMBER)} 和 {mention(org, Role.DIRECTOR)} 终稿"

    problem(await member.patch(url, json={"body": "改别人的", "version": 1}), 403, "forbidden")
    problem(await pm.patch(url, json={"body": new_body, "version": 7}), 409, "stale-version")
    r = await pm.patch(url, json={"body": new_body, "version": 1})
    assert r.status_code == 200, r.text
    assert (r.json()["body"], r.json()["version"], r.json()["edited"]) == (new_body, 2, True)
    # The member was told once (when first mentioned), the director now.
    assert await mentions_of(session, project.id) == sorted(
        [org.members[Role.MEMBER].id, org.members[Role.DIRECTOR].id], key=str
    )


async def test_deleted_comments_keep_their_place_without_text(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    pm, member, admin = await api("project_manager"), await api("member"), await api("admin")
    first = (await pm.post(_comments("project", project.id), json={"body": "第一条"})).json()
    second = (await pm.post(_comments("project", project.id), json={"body": "第二条"})).json()

    problem(await member.delete(f"{API}/comments/{first['id']}"), 403, "forbidden")
    assert (await pm.delete(f"{API}/comments/{first['id']}")).status_code == 204
    assert (await admin.delete(f"{API}/comments/{second['id']}")).status_code == 204  # moderates
    problem(await pm.delete(f"{API}/comments/{first['id']}"), 404, "not-found")
    problem(
        await pm.patch(f"{API}/comments/{first['id']}", json={"body": "复活", "version": 2}),
        404,
        "not-found",
    )

    items = (await pm.get(_comments("project", project.id))).json()["items"]
    assert [(i["id"], i["deleted"], i["body"], i["can_edit"]) for i in items] == [
        (first["id"], True, "", False),
        (second["id"], True, "", False),
    ]
    stored = await session.get(Comment, uuid.UUID(first["id"]))
    assert stored is not None
    assert stored.body == ""
    assert stored.deleted_at is not None


@pytest.mark.parametrize("kind", ["project", "task", "issue", "work_order"])
async def test_another_organisations_subject_is_404(
    kind: str, api: ApiFactory, session: AsyncSession, other_org: OrgWithMembers
) -> None:
    project = await make_project(session, other_org)
    subject = {
        "project": lambda: project,
        "task": lambda: make_task(session, project),
        "issue": lambda: make_issue(session, project),
        "work_order": lambda: make_order(session, other_org),
    }[kind]()
    if not hasattr(subject, "id"):
        subject = await subject
    admin = await api("admin")
    problem(await admin.get(_comments(kind, subject.id)), 404, "not-found")
    problem(await admin.post(_comments(kind, subject.id), json={"body": "越界"}), 404, "not-found")
    assert await count(session, Comment, Comment.subject_id == subject.id) == 0


async def test_a_viewer_reads_but_does_not_comment(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    viewer = await api("viewer")
    assert (await viewer.get(_comments("project", project.id))).status_code == 200
    body = problem(
        await viewer.post(_comments("project", project.id), json={"body": "路过"}), 403, "forbidden"
    )
    assert "viewer" in body["detail"]


async def test_bad_bodies_are_refused(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    pm = await api("project_manager")
    for bad in ({"body": ""}, {"body": "a\x00b"}, {"body": "x" * 10_001}, {"body": "ok", "x": 1}):
        problem(await pm.post(_comments("project", project.id), json=bad), 422, "validation-failed")
    problem(
        await pm.get(f"{API}/discussions/budget/{project.id}/comments"), 422, "validation-failed"
    )
    too_many = " ".join(f"@[p{i}]({project.id})" for i in range(51))  # 51 times one id: fine
    r = await pm.post(_comments("project", project.id), json={"body": too_many})
    problem(r, 422, "validation-failed")  # that id is a project, not a member
    assert await count(session, Comment) == 0
