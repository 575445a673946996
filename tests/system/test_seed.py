from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.demo.seed import DEMO_PASSWORD, DEMO_STAFF, DEMO_USERS, WORK_PROJECT, seed_demo
from mems.identity.models import Membership, Organization, Team, TeamMember, User
from mems.projects.models import Project
from mems.strategy.models import Objective
from mems.work import calendar as calendars
from mems.work.models import Task


async def test_seeding_is_idempotent_and_gives_one_login_per_role(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    assert await seed_demo(session) is True
    await session.commit()
    assert await seed_demo(session) is False
    await session.commit()
    assert (
        await session.scalar(
            select(func.count()).select_from(Organization).where(Organization.slug == "demo")
        )
        == 1
    )
    roles = (
        await session.scalars(
            select(Membership.role).join(Organization).where(Organization.slug == "demo")
        )
    ).all()
    # One login per role, plus the departments' staff (members of the demo teams).
    assert sorted(roles) == sorted(d.role for d in (*DEMO_USERS, *DEMO_STAFF))
    assert len({d.role for d in DEMO_USERS}) == 6
    emails = set((await session.scalars(select(User.email))).all())
    assert {d.email for d in DEMO_USERS} <= emails

    r = await client.post(
        "/api/v1/auth/login", json={"email": "director@demo.mems", "password": DEMO_PASSWORD}
    )
    assert r.status_code == 200
    assert r.json()["role"] == "director"
    assert r.json()["org"]["currency"] == "CNY"
    assert r.json()["org"]["timezone"] == "Asia/Shanghai"


async def test_demo_strategy_is_the_seed_documents_example(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    await seed_demo(session)
    await session.commit()
    r = await client.post(
        "/api/v1/auth/token", json={"email": "viewer@demo.mems", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    roots = (
        await client.get("/api/v1/goals", params={"roots_only": True}, headers=headers)
    ).json()["items"]
    assert [g["title"] for g in roots] == ["提升品牌知名度"]
    tree = (await client.get(f"/api/v1/goals/{roots[0]['id']}/tree", headers=headers)).json()
    assert {k["name"] for k in tree["key_results"]} == {"社交媒体曝光量增长30%", "新增粉丝5万人"}
    assert 0 < tree["goal"]["progress"]["capped"] < 1
    flagged = [c for child in tree["children"] for c in child["children"] if c["unmeasured"]]
    assert [c["goal"]["title"] for c in flagged] == ["达人合作：签约30位美妆达人"]


async def test_demo_campaigns_are_linked_approved_projects(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    """The demo shows the lifecycle: an active (approved) and a closed campaign, one waiting
    in the director's inbox and a draft, all linked under the 2026 goals."""
    await seed_demo(session)
    await session.commit()

    async def login(email: str) -> dict[str, str]:
        r = await client.post(
            "/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD}
        )
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    pm = await login("pm@demo.mems")
    projects = (await client.get("/api/v1/projects", headers=pm)).json()["items"]
    by_name = {p["name"]: p for p in projects}
    assert {p["status"] for p in projects} == {"active", "closed", "submitted", "draft"}
    assert by_name["2026Q4-品牌-年终种草计划"]["status"] == "active"
    assert by_name["2026Q4-电商-双十一大促"]["registered"] is True
    assert by_name["2026Q4-渠道-年货节预热"]["registered"] is False
    closed = (
        await client.get(
            f"/api/v1/projects/{by_name['2026Q3-新品-秋冬新品发布会']['id']}", headers=pm
        )
    ).json()
    assert closed["retrospective"]["lessons"]
    assert closed["phases"]
    assert closed["phases"][0]["task_count"] > 0

    director = await login("director@demo.mems")
    inbox = (await client.get("/api/v1/approvals", headers=director)).json()["items"]
    assert [a["title"] for a in inbox] == [
        f"{by_name['2026Q4-品牌-年终美妆展会']['code']} 2026Q4-品牌-年终美妆展会"
    ]
    assert inbox[0]["can_decide"] is True

    roots = (await client.get("/api/v1/goals", params={"roots_only": True}, headers=pm)).json()[
        "items"
    ]
    tree = (await client.get(f"/api/v1/goals/{roots[0]['id']}/tree", headers=pm)).json()
    assert {p["name"] for p in tree["projects"]} >= {"2026Q4-电商-双十一大促"}
    assert tree["no_work"] is False
    children = {c["goal"]["title"]: c for c in tree["children"]}
    events = children["活动部：双十一大促引流"]
    assert [p["status"] for p in events["projects"]] == ["active"]
    # The talent-signing goal has neither KPIs nor projects: flagged both ways.
    talent = children["内容营销部：打造爆款短视频"]["children"][0]
    assert talent["no_work"] is True
    assert talent["unmeasured"] is True
    assert children["内容营销部：打造爆款短视频"]["no_work"] is False  # the launch serves it

    naming = (await client.get("/api/v1/naming-convention", headers=pm)).json()
    assert naming["enabled"] is True
    assert naming["expected_form"] == "{期间}-{品牌线}-{活动名}"


async def _bearer(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    r = await client.post("/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _team_view(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, object]:
    """Teams by name, with their lead's and members' names; goals' and projects' team names."""
    teams = (await client.get("/api/v1/teams", headers=headers)).json()["items"]
    members = (await client.get("/api/v1/members?limit=200", headers=headers)).json()["items"]
    names = {m["id"]: m["name"] for m in members}
    team_names = {t["id"]: t["name"] for t in teams}
    goals = (await client.get("/api/v1/goals?limit=200", headers=headers)).json()["items"]
    projects = (await client.get("/api/v1/projects?limit=200", headers=headers)).json()["items"]
    return {
        "teams": {
            t["name"]: (names[t["lead_member_id"]], sorted(names[i] for i in t["member_ids"]))
            for t in teams
        },
        "goals": {g["title"]: team_names.get(g["owner_team_id"]) for g in goals},
        "goal_people": {g["title"]: g["owner_member_id"] for g in goals},
        "projects": {p["name"]: team_names.get(p["team_id"]) for p in projects},
    }


async def test_demo_has_teams_that_own_goals_and_run_the_campaigns(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    await seed_demo(session)
    await session.commit()
    view = await _team_view(client, await _bearer(client, "director@demo.mems"))
    teams = view["teams"]
    assert isinstance(teams, dict)
    assert set(teams) == {"品牌部", "电商部", "内容组"}
    lead, members = teams["内容组"]
    assert lead == "吴倩"
    assert lead in members
    assert len(members) == 3
    assert all(lead_name in names for lead_name, names in teams.values())
    # Department goals are owned by their team (and by nobody else); the company goal by a person.
    assert view["goals"] == {
        "提升品牌知名度": None,
        "内容营销部：打造爆款短视频": "内容组",
        "活动部：双十一大促引流": "电商部",
        "达人合作：签约30位美妆达人": None,
    }
    goal_people = view["goal_people"]
    assert isinstance(goal_people, dict)
    assert goal_people["内容营销部：打造爆款短视频"] is None
    assert goal_people["提升品牌知名度"] is not None
    # Every campaign has its 执行团队, the closed one included.
    assert view["projects"] == {
        "2026Q4-电商-双十一大促": "电商部",
        "2026Q3-新品-秋冬新品发布会": "内容组",
        "2026Q4-品牌-年终美妆展会": "品牌部",
        "2026Q4-渠道-年货节预热": "电商部",
        "2026Q4-品牌-年终种草计划": "品牌部",
    }
    # The login per role owns what the demo gives that role, not one of the staff.
    member = await _bearer(client, "member@demo.mems")
    me_id = (await client.get("/api/v1/me", headers=member)).json()["membership_id"]
    owned = (await client.get(f"/api/v1/goals?owner_member_id={me_id}", headers=member)).json()
    assert [g["title"] for g in owned["items"]] == ["达人合作：签约30位美妆达人"]
    # The staff can log in like any member.
    me = await client.get("/api/v1/me", headers=await _bearer(client, "wu@demo.mems"))
    assert me.json()["role"] == "member"


async def test_an_older_demo_gets_its_teams_once(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    """A demo seeded before teams existed gets them on the next start (the goals and the
    projects that can still change are handed over), and a team removed later stays removed."""
    await seed_demo(session)
    await session.commit()
    await session.execute(update(Project).values(team_id=None))
    await session.execute(update(Objective).values(owner_team_id=None))
    await session.execute(delete(TeamMember))
    await session.execute(delete(Team))
    await session.commit()

    assert await seed_demo(session) is True
    await session.commit()
    view = await _team_view(client, await _bearer(client, "director@demo.mems"))
    assert set(view["teams"]) == {"品牌部", "电商部", "内容组"}  # type: ignore[arg-type]
    goals = view["goals"]
    assert isinstance(goals, dict)
    assert goals["活动部：双十一大促引流"] == "电商部"
    assert view["projects"] == {
        "2026Q4-电商-双十一大促": "电商部",
        "2026Q3-新品-秋冬新品发布会": None,  # closed: a closed project does not change
        "2026Q4-品牌-年终美妆展会": "品牌部",
        "2026Q4-渠道-年货节预热": "电商部",
        "2026Q4-品牌-年终种草计划": "品牌部",
    }

    # An admin disbands a team: the next start does not bring the demo's teams back.
    teams = await client.get("/api/v1/teams", headers=await _bearer(client, "admin@demo.mems"))
    content = next(t for t in teams.json()["items"] if t["name"] == "内容组")
    admin = await _bearer(client, "admin@demo.mems")
    r = await client.delete(f"/api/v1/teams/{content['id']}", headers=admin)
    assert r.status_code == 204
    assert await seed_demo(session) is False
    await session.commit()
    view = await _team_view(client, admin)
    assert set(view["teams"]) == {"品牌部", "电商部"}  # type: ignore[arg-type]


async def test_demo_people_have_plain_chinese_names_and_an_older_demo_is_renamed(
    session: AsyncSession,
) -> None:
    assert await seed_demo(session) is True
    users = {
        u.email: u.name
        for u in (
            await session.scalars(
                select(User).where(User.email.in_([d.email for d in (*DEMO_USERS, *DEMO_STAFF)]))
            )
        ).all()
    }
    assert set(users) == {d.email for d in (*DEMO_USERS, *DEMO_STAFF)}
    for name in users.values():  # no "(Project manager)" suffixes: Han characters only
        assert name
        assert all("\u4e00" <= ch <= "\u9fff" for ch in name), name
    assert users["pm@demo.mems"] == "张伟"
    # A demo seeded before keeps its people but loses the English suffixes.
    await session.execute(
        update(User).where(User.email == "pm@demo.mems").values(name="张项目 (Project manager)")
    )
    await seed_demo(session)
    assert (await session.scalar(select(User.name).where(User.email == "pm@demo.mems"))) == "张伟"


async def test_the_demo_members_day_has_real_work(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    """A fresh demo gives every work page something real: the member's tasks due today and
    one overdue, a work order waiting for them, yesterday's check-ins, an open risk, and a
    plan with a critical path and a milestone that slipped against its baseline."""
    await seed_demo(session)
    await session.commit()
    assert await seed_demo(session) is False  # idempotent
    member = await _bearer(client, "member@demo.mems")
    mine = (await client.get("/api/v1/me/tasks", headers=member)).json()
    assert [t["title"] for t in mine["due_today"]] == ["种草脚本撰写"]
    assert [t["title"] for t in mine["overdue"]] == ["产品素材拍摄"]
    project_id = mine["due_today"][0]["project_id"]

    inbox = (await client.get("/api/v1/work-orders?box=inbox", headers=member)).json()
    assert [(o["title"], o["status"]) for o in inbox["items"]] == [
        ("年终种草主视觉海报 3 张", "requested")
    ]
    pm = await _bearer(client, "pm@demo.mems")
    gantt = (await client.get(f"/api/v1/projects/{project_id}/gantt", headers=pm)).json()
    titles = {t["id"]: t["title"] for t in gantt["tasks"]}
    assert [titles[i] for i in gantt["critical_path"]][-2:] == ["种草效果复盘", "复盘会议"]
    assert [s["title"] for s in gantt["slipped_milestones"]] == ["复盘会议"]
    issues = (await client.get(f"/api/v1/projects/{project_id}/issues", headers=pm)).json()
    assert [(i["kind"], i["status"]) for i in issues["items"]] == [("risk", "open")]
    director = await _bearer(client, "director@demo.mems")
    checkins = await client.get("/api/v1/checkins", headers=director)
    assert checkins.status_code == 200, checkins.text

    # The battle map puts it on one page.
    r = await client.get(f"/api/v1/projects/{project_id}/battle-map", headers=member)
    assert r.status_code == 200, r.text
    battle = r.json()
    assert [g["objective_title"] for g in battle["goals"]] == ["提升品牌知名度"]
    assert [t["title"] for t in battle["overdue_tasks"]] == ["产品素材拍摄"]
    assert battle["critical_path"][-1]["title"] == "复盘会议"
    assert [m["title"] for m in battle["milestones"]] == ["素材审核通过", "复盘会议"]
    assert 0 < battle["progress"]["percent"] < 100
    assert battle["progress"]["done"] == 2
    assert [i["title"] for i in battle["open_issues"]] == ["头部达人档期可能冲突，内容发布延后"]
    assert {w["name"] for w in battle["workload"]} >= {"陈晨"}
    assert battle["activity"], "the plan's changes are in the activity feed"


async def _demo_member_tasks(session: AsyncSession) -> dict[str, date]:
    """The demo member's tasks in the running campaign: title → due date."""
    rows = await session.execute(
        select(Task.title, Task.due_on)
        .join(Project, Project.id == Task.project_id)
        .join(Membership, Membership.id == Task.assignee_member_id)
        .join(User, User.id == Membership.user_id)
        .where(Project.name == WORK_PROJECT, User.email == "member@demo.mems")
    )
    return {title: due for title, due in rows.all()}


@pytest.mark.parametrize(
    ("today", "script_due"),
    [
        (date(2026, 12, 7), date(2026, 12, 7)),  # a Monday
        (date(2026, 12, 9), date(2026, 12, 9)),  # a Wednesday: its script starts on a Saturday
        # A weekend: nothing can be due that day; the script is due on the next working day
        # (not on Friday, where it would look overdue).
        (date(2026, 12, 5), date(2026, 12, 7)),
        (date(2026, 12, 6), date(2026, 12, 7)),
    ],
)
async def test_the_demo_member_has_a_task_due_today(
    today: date, script_due: date, session: AsyncSession
) -> None:
    await seed_demo(session, today=today)
    await session.commit()
    due = await _demo_member_tasks(session)
    assert due["种草脚本撰写"] == script_due
    assert (today in due.values()) == (today == script_due)
    # And one overdue, as the seed promises.
    assert due["产品素材拍摄"] < today


async def test_the_demo_members_home_shows_the_task_due_today(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    """With the real clock: on a working day in the demo's time zone the member's home lists
    the script as due today; on a day off, first among the coming tasks, due next."""
    await seed_demo(session)
    await session.commit()
    org = await session.scalar(select(Organization).where(Organization.slug == "demo"))
    assert org is not None
    member = await _bearer(client, "member@demo.mems")
    home = (await client.get("/api/v1/me/tasks", headers=member)).json()
    today = date.fromisoformat(home["today"])  # in the organisation's time zone
    calendar = await calendars.org_calendar(session, org.id, [today.year, today.year + 1])
    due_today = [t["title"] for t in home["due_today"]]
    if calendar.is_working(today):
        assert "种草脚本撰写" in due_today
    else:
        assert due_today == []
        assert home["upcoming"][0]["title"] == "种草脚本撰写"
    assert "产品素材拍摄" in [t["title"] for t in home["overdue"]]


@pytest.mark.parametrize("weekday", range(7))
async def test_the_demo_plan_slips_whatever_the_weekday(
    session: AsyncSession, client: httpx.AsyncClient, weekday: int
) -> None:
    """The late contract signing pushes the wrap-up meeting past its baseline on every day of
    the week (it once moved nothing when two calendar days fell on a weekend)."""
    monday = date(2026, 11, 30)
    await seed_demo(session, today=monday + timedelta(days=weekday))
    await session.commit()
    pm = await _bearer(client, "pm@demo.mems")
    project = await session.scalar(select(Project).where(Project.name == WORK_PROJECT))
    assert project is not None
    gantt = (await client.get(f"/api/v1/projects/{project.id}/gantt", headers=pm)).json()
    assert [s["title"] for s in gantt["slipped_milestones"]] == ["复盘会议"]
