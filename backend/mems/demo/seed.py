"""The demo organisation, modelled on the seed document's beauty-brand case.

One user per role (password `demo1234`). Idempotent: running it again changes nothing.
Domains add their demo data here as they are built (strategy, projects, …).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals import service as approvals
from mems.approvals.flow import Decision
from mems.checkins.models import DailyCheckIn
from mems.core.security import hash_password
from mems.core.tenancy import ALL_TENANTS, in_tenant
from mems.demo.channels_seed import seed_channels
from mems.finance import costs, labour
from mems.finance import requests as budget_requests
from mems.finance import service as finance_service
from mems.finance.categories import BudgetCategory
from mems.finance.changes import Ask
from mems.finance.figures import CostKind
from mems.identity import service as identity
from mems.identity.models import Membership, Organization, Team, User
from mems.identity.permissions import Role
from mems.identity.principal import Principal
from mems.identity.schemas import TeamCreate
from mems.orders import service as orders
from mems.orders.schemas import WorkOrderCreate
from mems.projects import service as projects
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project, ProjectType
from mems.projects.naming import DEFAULT_CONVENTION
from mems.projects.schemas import (
    GoalLinkIn,
    ProjectCreate,
    ProjectMemberIn,
    ProjectUpdate,
    RetrospectiveIn,
    TransitionAction,
)
from mems.projects.service import NAMING_SETTING
from mems.resources import service as resources
from mems.resources.models import Resource, ResourceKind
from mems.resources.schemas import AllocationCreate, ResourceCreate
from mems.risks import service as risks
from mems.risks.models import IssueKind, Severity
from mems.risks.schemas import IssueCreate
from mems.strategy import service as strategy
from mems.strategy.models import (
    Direction,
    GoalLevel,
    KeyResult,
    KeyResultCheckIn,
    Objective,
    PeriodKind,
    StrategyPeriod,
)
from mems.strategy.schemas import GoalUpdate
from mems.work import service as work
from mems.work.models import Task
from mems.work.schedule import DependencyType
from mems.work.schemas import BaselineCreate, DependencyCreate, TaskCreate, TaskUpdate

log = logging.getLogger("mems.demo")

DEMO_ORG_SLUG = "demo"
DEMO_PASSWORD = "demo1234"  # noqa: S105 - the documented demo password


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role


DEMO_USERS = (
    DemoUser("admin@demo.mems", "王磊", Role.ADMIN),
    DemoUser("director@demo.mems", "李静", Role.DIRECTOR),
    DemoUser("pm@demo.mems", "张伟", Role.PROJECT_MANAGER),
    DemoUser("member@demo.mems", "陈晨", Role.MEMBER),
    DemoUser("finance@demo.mems", "刘洋", Role.FINANCE),
    DemoUser("viewer@demo.mems", "赵敏", Role.VIEWER),
)


# What the demo logins were called before they got plain names; an older demo is renamed once.
_OLD_NAMES = {
    "admin@demo.mems": "王管理 (Admin)",
    "director@demo.mems": "李总监 (Director)",
    "pm@demo.mems": "张项目 (Project manager)",
    "member@demo.mems": "陈执行 (Member)",
    "finance@demo.mems": "刘财务 (Finance)",
    "viewer@demo.mems": "赵只读 (Viewer)",
}


# The people of the departments, beside the one login per role: members of the teams below.
DEMO_STAFF = (
    DemoUser("sun@demo.mems", "孙悦", Role.MEMBER),
    DemoUser("zhou@demo.mems", "周航", Role.MEMBER),
    DemoUser("wu@demo.mems", "吴倩", Role.MEMBER),
    DemoUser("zheng@demo.mems", "郑凯", Role.MEMBER),
)


@dataclass(frozen=True)
class DemoTeam:
    name: str
    description: str
    lead: str  # e-mail
    members: tuple[str, ...]  # e-mails, the lead included


DEMO_TEAMS = (
    DemoTeam(
        "品牌部",
        "品牌建设、公关传播与线下展会",
        "director@demo.mems",
        ("director@demo.mems", "sun@demo.mems", "wu@demo.mems"),
    ),
    DemoTeam(
        "电商部",
        "天猫、京东、抖音电商的大促与站内运营",
        "pm@demo.mems",
        ("pm@demo.mems", "member@demo.mems", "zhou@demo.mems"),
    ),
    DemoTeam(
        "内容组",
        "短视频、直播与达人合作内容",
        "wu@demo.mems",
        ("wu@demo.mems", "member@demo.mems", "zheng@demo.mems"),
    ),
)
# Department goals owned by the team that does the work, and each campaign's 执行团队.
TEAM_GOALS = {"内容营销部：打造爆款短视频": "内容组", "活动部：双十一大促引流": "电商部"}
PROJECT_TEAMS = {
    "2026Q4-电商-双十一大促": "电商部",
    "2026Q3-新品-秋冬新品发布会": "内容组",
    "2026Q4-品牌-年终美妆展会": "品牌部",
    "2026Q4-渠道-年货节预热": "电商部",
    "2026Q4-品牌-年终种草计划": "品牌部",
}


async def seed_demo(session: AsyncSession, *, today: date | None = None) -> bool:
    """Create the demo organisation if it is missing. Returns True when it created anything.
    `today`: the day the running campaign is dated around (default: today in the demo
    organisation's time zone)."""
    in_tenant(session, ALL_TENANTS)  # the seed is the system: it creates the organisation
    org = await session.scalar(select(Organization).where(Organization.slug == DEMO_ORG_SLUG))
    created = False
    if org is None:
        org = Organization(
            name="花漾美妆 (Demo Beauty Co.)",
            slug=DEMO_ORG_SLUG,
            timezone="Asia/Shanghai",
            locale="zh-CN",
            currency="CNY",
        )
        session.add(org)
        await session.flush()
        created = True
    password_hash: str | None = None
    for demo in (*DEMO_USERS, *DEMO_STAFF):
        user = await session.scalar(select(User).where(User.email == demo.email))
        if user is None:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            user = User(email=demo.email, name=demo.name, password_hash=password_hash)
            session.add(user)
            await session.flush()
            created = True
        elif user.name == _OLD_NAMES.get(demo.email):
            user.name = demo.name
        member = await session.scalar(
            select(Membership).where(Membership.org_id == org.id, Membership.user_id == user.id)
        )
        if member is None:
            session.add(Membership(org_id=org.id, user_id=user.id, role=demo.role))
            created = True
    await session.flush()
    new_teams = await _seed_teams(session, org)
    created = await _seed_strategy(session, org) or new_teams or created
    if new_teams:
        await _give_goals_to_teams(session, org)
    created = await _seed_projects(session, org) or created
    if new_teams:
        await _give_projects_to_teams(session, org)
    created = await _seed_work(session, org, today) or created
    created = await _seed_resources(session, org, today) or created
    created = await _seed_finance(session, org, today) or created
    created = await _seed_channel_data(session, org, today) or created
    return created


async def _principals(session: AsyncSession, org: Organization) -> dict[str, Principal]:
    """Each demo person, by e-mail, as the services see a logged-in member."""
    rows = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.org_id == org.id)
    )
    return {
        u.email: Principal(u.id, u.name, org.id, m.id, m.role, "seed", m.id, "", None)
        for m, u in rows.all()
    }


async def _team_ids(session: AsyncSession, org: Organization) -> dict[str, uuid.UUID]:
    teams = await session.scalars(select(Team).where(Team.org_id == org.id))
    return {t.name: t.id for t in teams}


async def _seed_teams(session: AsyncSession, org: Organization) -> bool:
    """The departments as teams, formed by the admin through the identity service. Only when
    the organisation has no team yet, so teams an admin renamed or removed stay that way."""
    if await session.scalar(select(Team.id).where(Team.org_id == org.id).limit(1)):
        return False
    people = await _principals(session, org)
    admin = people["admin@demo.mems"]
    for team in DEMO_TEAMS:
        await identity.create_team(
            session,
            admin,
            TeamCreate(
                name=team.name,
                description=team.description,
                lead_member_id=people[team.lead].membership_id,
                member_ids=[people[e].membership_id for e in team.members],
            ),
        )
    return True


async def _give_goals_to_teams(session: AsyncSession, org: Organization) -> None:
    """The department goals become owned by their teams (through the strategy service)."""
    director = (await _principals(session, org))["director@demo.mems"]
    teams = await _team_ids(session, org)
    goals = await session.scalars(
        select(Objective).where(Objective.org_id == org.id, Objective.title.in_(TEAM_GOALS))
    )
    for goal in goals.all():
        body = GoalUpdate(
            owner_team_id=teams[TEAM_GOALS[goal.title]], owner_member_id=None, version=goal.version
        )
        await strategy.update_goal(session, director, goal.id, body, None)


async def _give_projects_to_teams(session: AsyncSession, org: Organization) -> None:
    """Projects seeded before the demo had teams get their 执行团队 (closed ones stay as
    they were: a closed project does not change)."""
    director = (await _principals(session, org))["director@demo.mems"]
    teams = await _team_ids(session, org)
    rows = await session.scalars(
        select(Project).where(
            Project.org_id == org.id,
            Project.team_id.is_(None),
            Project.name.in_(PROJECT_TEAMS),
            Project.status.not_in([ProjectStatus.CLOSED, ProjectStatus.CANCELLED]),
        )
    )
    for p in rows.all():
        body = ProjectUpdate(team_id=teams[PROJECT_TEAMS[p.name]], version=p.version)
        await projects.update_project(session, director, p.id, body, None)


async def _seed_strategy(session: AsyncSession, org: Organization) -> bool:
    """The seed document's example: 2026 "提升品牌知名度" broken down into KRs and sub-goals."""
    exists = await session.scalar(
        select(StrategyPeriod).where(StrategyPeriod.org_id == org.id, StrategyPeriod.name == "2026")
    )
    if exists is not None:
        return False
    logins = {d.email for d in DEMO_USERS}  # one per role; the staff are members too
    rows = await session.execute(
        select(Membership, User.email)
        .join(User, User.id == Membership.user_id)
        .where(Membership.org_id == org.id)
    )
    members = {m.role: m for m, email in rows.all() if email in logins}
    director, pm, member = (
        members[Role.DIRECTOR],
        members[Role.PROJECT_MANAGER],
        members[Role.MEMBER],
    )
    year = StrategyPeriod(
        org_id=org.id,
        name="2026",
        kind=PeriodKind.YEAR,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    session.add(year)
    await session.flush()
    session.add(
        StrategyPeriod(
            org_id=org.id,
            name="2026Q4",
            kind=PeriodKind.QUARTER,
            parent_id=year.id,
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 12, 31),
        )
    )

    def goal(
        title: str,
        level: GoalLevel,
        owner: Membership,
        parent: Objective | None = None,
        weight: str = "1",
    ) -> Objective:
        g = Objective(
            org_id=org.id,
            period_id=year.id,
            parent_id=parent.id if parent else None,
            level=level,
            title=title,
            owner_member_id=owner.id,
            weight=Decimal(weight),
        )
        session.add(g)
        return g

    def kpi(
        g: Objective,
        name: str,
        unit: str,
        baseline: str,
        target: str,
        weight: str,
        owner: Membership,
        history: list[tuple[date, str]],
    ) -> None:
        k = KeyResult(
            id=uuid.uuid4(),
            org_id=org.id,
            objective_id=g.id,
            name=name,
            unit=unit,
            baseline=Decimal(baseline),
            target=Decimal(target),
            weight=Decimal(weight),
            owner_member_id=owner.id,
            direction=Direction.INCREASE
            if Decimal(target) > Decimal(baseline)
            else Direction.DECREASE,
            due_on=date(2026, 12, 31),
        )
        session.add(k)
        for day, value in history:
            session.add(
                KeyResultCheckIn(
                    org_id=org.id,
                    key_result_id=k.id,
                    value=Decimal(value),
                    checked_on=day,
                    created_by_member_id=owner.id,
                )
            )
        if history:
            k.current_as_of, k.current_value = history[-1][0], Decimal(history[-1][1])

    awareness = goal("提升品牌知名度", GoalLevel.COMPANY, director)
    await session.flush()
    kpi(
        awareness,
        "社交媒体曝光量增长30%",
        "万次",
        "12000",
        "15600",
        "2",
        director,
        [(date(2026, 6, 30), "13100"), (date(2026, 9, 30), "14020"), (date(2026, 11, 20), "14650")],
    )
    kpi(
        awareness,
        "新增粉丝5万人",
        "人",
        "0",
        "50000",
        "1",
        director,
        [(date(2026, 6, 30), "16800"), (date(2026, 9, 30), "31500"), (date(2026, 11, 20), "38200")],
    )
    content = goal("内容营销部：打造爆款短视频", GoalLevel.DEPARTMENT, pm, awareness)
    events = goal("活动部：双十一大促引流", GoalLevel.DEPARTMENT, pm, awareness)
    await session.flush()
    kpi(
        content,
        "短视频平均CTR达到3.5%",
        "%",
        "2.1",
        "3.5",
        "1",
        pm,
        [(date(2026, 9, 30), "2.6"), (date(2026, 11, 20), "2.9")],
    )
    kpi(
        events,
        "双十一期间单次获客成本降至45元",
        "CNY",
        "68",
        "45",
        "1",
        pm,
        [(date(2026, 11, 12), "52")],
    )
    goal("达人合作：签约30位美妆达人", GoalLevel.INDIVIDUAL, member, content)  # no KPI yet: flagged
    await session.flush()
    return True


async def _seed_projects(session: AsyncSession, org: Organization) -> bool:
    """A few 2026 campaigns at different points of their lifecycle, linked to the goals, made
    through the same rules the API uses (templates, naming convention, approvals)."""
    _value, revision = await identity.org_setting(session, org.id, NAMING_SETTING)
    if revision == 0:
        convention = {"enabled": True, **DEFAULT_CONVENTION}
        await identity.set_org_setting(session, org.id, NAMING_SETTING, convention, 0, None)
    if await session.scalar(select(Project.id).where(Project.org_id == org.id).limit(1)):
        return False
    rows = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.org_id == org.id)
    )
    people: dict[Role, Principal] = {}
    logins = {d.email for d in DEMO_USERS}  # one per role; the staff are members too
    for m, u in rows.all():
        if u.email in logins:
            people[m.role] = Principal(u.id, u.name, org.id, m.id, m.role, "seed", m.id, "", None)
    pm, director, finance = (
        people[Role.PROJECT_MANAGER],
        people[Role.DIRECTOR],
        people[Role.FINANCE],
    )
    goals = {
        g.title: g
        for g in (await session.scalars(select(Objective).where(Objective.org_id == org.id))).all()
    }
    kpis = {
        k.name: k
        for k in (await session.scalars(select(KeyResult).where(KeyResult.org_id == org.id))).all()
    }
    periods = {
        p.name: p
        for p in (
            await session.scalars(select(StrategyPeriod).where(StrategyPeriod.org_id == org.id))
        ).all()
    }
    member_id = people[Role.MEMBER].membership_id
    teams = await _team_ids(session, org)

    async def project(
        name: str,
        type_: ProjectType,
        template: str,
        dates: tuple[date, date],
        budget: str,
        links: list[tuple[str, str | None]],
        period: str,
    ) -> Project:
        return await projects.create_project(
            session,
            pm,
            ProjectCreate(
                name=name,
                type=type_,
                template=template,
                starts_on=dates[0],
                ends_on=dates[1],
                total_budget=Decimal(budget),
                period_id=periods[period].id,
                team_id=teams.get(PROJECT_TEAMS.get(name, "")),
                goal_links=[
                    GoalLinkIn(objective_id=goals[g].id, key_result_id=kpis[k].id if k else None)
                    for g, k in links
                ],
                members=[ProjectMemberIn(member_id=member_id, role="core")],
            ),
        )

    async def move(p: Project, *actions: TransitionAction) -> None:
        for action in actions:
            await projects.transition(session, pm, p.id, action, p.version)

    async def approve(p: Project, *deciders: Principal) -> None:
        assert p.approval_request_id is not None
        for who in deciders:
            await approvals.decide(session, who, p.approval_request_id, Decision.APPROVE, "同意")

    double11 = await project(
        "2026Q4-电商-双十一大促",
        ProjectType.PROMOTION,
        "builtin:holiday_promotion",
        (date(2026, 10, 1), date(2026, 11, 15)),
        "800000",
        [("活动部：双十一大促引流", "双十一期间单次获客成本降至45元"), ("提升品牌知名度", None)],
        "2026Q4",
    )
    await move(double11, TransitionAction.SUBMIT)
    await approve(double11, director, finance)  # above ¥500,000: finance decides too
    await move(double11, TransitionAction.START)

    launch = await project(
        "2026Q3-新品-秋冬新品发布会",
        ProjectType.PRODUCT_LAUNCH,
        "builtin:product_launch",
        (date(2026, 8, 1), date(2026, 9, 29)),
        "450000",
        [("内容营销部：打造爆款短视频", "短视频平均CTR达到3.5%")],
        "2026",
    )
    await move(launch, TransitionAction.SUBMIT)
    await approve(launch, director)
    await move(launch, TransitionAction.START, TransitionAction.CLOSE)
    await projects.write_retrospective(
        session,
        pm,
        launch.id,
        RetrospectiveIn(
            summary="发布会如期举办，直播观看 86 万人次，首月新品销售额达成目标的 112%。",
            went_well="KOL 预热节奏好，发布会当天话题登上热搜；物料提前两周完成。",
            problems="场地搭建延误半天；直播间转化链路在高峰期出现卡顿。",
            lessons="场地供应商需留出一天缓冲；大流量直播前做压测并准备备用链接。",
        ),
    )
    await move(launch, TransitionAction.FINISH)

    show = await project(
        "2026Q4-品牌-年终美妆展会",
        ProjectType.EVENT,
        "builtin:trade_show",
        (date(2026, 11, 20), date(2027, 1, 8)),
        "300000",
        [("提升品牌知名度", "新增粉丝5万人")],
        "2026Q4",
    )
    await move(show, TransitionAction.SUBMIT)  # waits in the director's approval inbox

    await project(
        "2026Q4-渠道-年货节预热",
        ProjectType.PROMOTION,
        "builtin:holiday_promotion",
        (date(2026, 12, 1), date(2026, 12, 31)),
        "200000",
        [("提升品牌知名度", None)],
        "2026Q4",
    )  # still a draft
    assert show.status == ProjectStatus.SUBMITTED
    return True


WORK_PROJECT = "2026Q4-品牌-年终种草计划"


async def _people(session: AsyncSession, org: Organization) -> dict[str, Principal]:
    """Every demo person as a principal, by e-mail."""
    rows = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.org_id == org.id)
    )
    return {
        u.email: Principal(u.id, u.name, org.id, m.id, m.role, "seed", m.id, "", None)
        for m, u in rows.all()
    }


async def _seed_work(session: AsyncSession, org: Organization, today: date | None) -> bool:
    """A running campaign dated around today, so every work page has something real on a
    fresh start: a plan with phases, dependencies and a critical path, a baseline it has
    slipped from, the demo member's task due today (on a working day) and one overdue, a
    work order waiting for their acceptance, yesterday's check-ins and an open risk. Made
    through the services."""
    if await session.scalar(
        select(Project.id).where(Project.org_id == org.id, Project.name == WORK_PROJECT)
    ):
        return False
    people = await _people(session, org)
    pm, director, me = (
        people["pm@demo.mems"],
        people["director@demo.mems"],
        people["member@demo.mems"],
    )
    sun, zhou = people["sun@demo.mems"], people["zhou@demo.mems"]
    today = today or datetime.now(ZoneInfo(org.timezone)).date()
    period = await session.scalar(
        select(StrategyPeriod).where(
            StrategyPeriod.org_id == org.id, StrategyPeriod.name == "2026Q4"
        )
    )
    goals = list(
        (
            await session.scalars(
                select(Objective).where(
                    Objective.org_id == org.id, Objective.title == "提升品牌知名度"
                )
            )
        ).all()
    )
    project = await projects.create_project(
        session,
        pm,
        ProjectCreate(
            name=WORK_PROJECT,
            type=ProjectType.CONTENT,
            description="小红书与抖音的年终种草：达人内容 + 信息流放大，为年货节蓄水。",
            starts_on=today - timedelta(days=14),
            ends_on=today + timedelta(days=42),
            total_budget=Decimal("180000"),
            period_id=None if period is None else period.id,
            team_id=(await _team_ids(session, org)).get(PROJECT_TEAMS[WORK_PROJECT]),
            goal_links=[GoalLinkIn(objective_id=g.id) for g in goals[:1]],
            members=[
                ProjectMemberIn(member_id=me.membership_id, role="core"),
                ProjectMemberIn(member_id=sun.membership_id, role="contributor"),
                ProjectMemberIn(member_id=zhou.membership_id, role="contributor"),
            ],
        ),
    )
    await projects.transition(session, pm, project.id, TransitionAction.SUBMIT, project.version)
    assert project.approval_request_id is not None
    await approvals.decide(
        session, director, project.approval_request_id, Decision.APPROVE, "同意，注意节奏"
    )
    await projects.transition(session, pm, project.id, TransitionAction.START, project.version)
    phases = [p.id for p in await work.list_phases(session, pm, project.id)]

    async def task(
        title: str,
        phase: int,
        start: int,
        due: int | None,
        who: Principal | None,
        *,
        milestone: bool = False,
    ) -> uuid.UUID:
        created, _moved = await work.create_task(
            session,
            pm,
            project.id,
            TaskCreate(
                title=title,
                phase_id=phases[phase],
                starts_on=today + timedelta(days=start),
                due_on=None if due is None else today + timedelta(days=due),
                milestone=milestone,
                assignee_member_id=None if who is None else who.membership_id,
                estimate_hours=Decimal(16),
            ),
        )
        return created.id

    topics = await task("种草选题与人群洞察", 0, -14, -10, me)
    kols = await task("达人筛选与报价", 0, -11, -7, sun)
    # The member's script is due today. The scheduler puts work on working days only, so on a
    # weekend or holiday nothing can be due that day (given "today", it would slip back to the
    # last working day and look overdue beside the shoot): then the script is due on the next
    # working day, at the top of the member's list, and the home shows nothing due today.
    calendar = await work.project_calendar(session, project)
    due_day = today if calendar.is_working(today) else calendar.next_working(today)
    script = await task("种草脚本撰写", 1, -4, (due_day - today).days, me)
    shoot = await task("产品素材拍摄", 1, -6, -1, me)
    sign = await task("达人合作签约", 1, -5, 1, zhou)
    review = await task("素材审核通过", 1, 2, None, pm, milestone=True)
    publish = await task("达人内容发布", 2, 3, 12, sun)
    boost = await task("信息流投放放大", 2, 5, 25, me)
    report = await task("投放日报与调优", 2, 5, 30, zhou)
    # The wrap-up starts when the campaign's work is done (its links place it).
    wrap = await task("种草效果复盘", 3, 0, 3, pm)
    done = await task("复盘会议", 3, 0, None, pm, milestone=True)
    links = [
        (topics, script, DependencyType.FS, 0),
        (kols, sign, DependencyType.FS, 0),
        (script, review, DependencyType.FS, 0),
        (shoot, review, DependencyType.FS, 0),
        (review, publish, DependencyType.FS, 0),
        (sign, publish, DependencyType.FS, 0),
        (publish, boost, DependencyType.SS, 2),
        (publish, report, DependencyType.SS, 2),
        (boost, wrap, DependencyType.FS, 0),
        (report, wrap, DependencyType.FS, 0),
        (wrap, done, DependencyType.FS, 0),
    ]
    for pred, succ, kind, lag in links:
        await work.create_dependency(
            session,
            pm,
            project.id,
            DependencyCreate(predecessor_id=pred, successor_id=succ, type=kind, lag_days=lag),
        )
    await work.create_baseline(session, pm, project.id, BaselineCreate(name="立项基线"))
    # Since then: the contract signing ran late, past the material review, which pushes the
    # launch and everything after it. In working days (two after the review), so that it
    # slips whatever weekday today is: two calendar days could land on a weekend and move
    # nothing.
    review_day = (await work.task_for(session, pm, review))[0].starts_on
    assert review_day is not None
    late = calendar.next_working(
        calendar.next_working(review_day + timedelta(days=1)) + timedelta(days=1)
    )
    for task_id, changes in (
        (topics, {"status": "done"}),
        (kols, {"status": "done"}),
        (script, {"progress": 60}),
        (shoot, {"progress": 70}),
        (sign, {"due_on": late, "progress": 50}),
    ):
        current = await work.task_for(session, pm, task_id)
        await work.update_task(
            session, pm, task_id, TaskUpdate(version=current[0].version, **changes), None
        )
    await orders.create_order(
        session,
        pm,
        WorkOrderCreate(
            title="年终种草主视觉海报 3 张",
            description="小红书封面尺寸 3:4，突出礼盒与限定色号；周五前给初稿。",
            assignee_member_id=me.membership_id,
            project_id=project.id,
            due_at=datetime.now(UTC) + timedelta(days=3),
            sla_hours=48,
        ),
    )
    await risks.create(
        session,
        pm,
        project.id,
        IssueCreate(
            kind=IssueKind.RISK,
            title="头部达人档期可能冲突，内容发布延后",
            description="两位头部达人年底排期紧张，若签约再拖两天将挤压投放窗口。",
            severity=Severity.HIGH,
            probability=3,
            impact=4,
            owner_member_id=zhou.membership_id,
            due_on=today + timedelta(days=5),
        ),
    )
    yesterday = today - timedelta(days=1)
    for who, did, nxt, blockers in (
        (
            me,
            "完成脚本初稿两篇；整理拍摄清单。",
            "继续脚本撰写，跟进素材拍摄。",
            "拍摄样品还没到。",
        ),
        (sun, "与 6 位达人确认报价。", "准备发布排期表。", None),
        (zhou, "跟进两份合同的法务审核。", "推进签约。", "达人经纪人回复慢。"),
    ):
        session.add(
            DailyCheckIn(
                org_id=org.id,
                member_id=who.membership_id,
                day=yesterday,
                done=did,
                next=nxt,
                blockers=blockers,
            )
        )
    await session.flush()
    return True


# The people the campaigns plan with: e-mail -> (role title, hourly cost, hours a week).
DEMO_PEOPLE = {
    "director@demo.mems": ("营销总监", "420.00", "20"),
    "pm@demo.mems": ("项目经理", "260.00", "40"),
    "member@demo.mems": ("内容运营", "150.00", "40"),
    "sun@demo.mems": ("品牌策划", "180.00", "40"),
    "zhou@demo.mems": ("电商运营", "160.00", "40"),
    "wu@demo.mems": ("内容组长", "200.00", "40"),
    "zheng@demo.mems": ("视频剪辑", "140.00", "32"),
}
SHOW_PROJECT = "2026Q4-品牌-年终美妆展会"


async def _seed_resources(session: AsyncSession, org: Organization, today: date | None) -> bool:
    """The resource catalogue (the people with their rates, a venue, a vendor, materials and
    ad channels) and the running campaign's bookings around today, made through the
    resources service. The demo member is booked on two of its tasks in the current week
    beyond their 40 hours, so the workload heat map shows one red week on a fresh start;
    the year-end show books the venue and the vendor when its dates are still ahead."""
    if await session.scalar(select(Resource.id).where(Resource.org_id == org.id).limit(1)):
        return False
    people = await _people(session, org)
    admin, pm = people["admin@demo.mems"], people["pm@demo.mems"]
    made: dict[str, uuid.UUID] = {}

    async def add(key: str, body: ResourceCreate) -> None:
        made[key] = (await resources.create_resource(session, admin, body)).id

    for email, (title, rate, hours) in DEMO_PEOPLE.items():
        if email in people:
            await add(
                email,
                ResourceCreate(
                    kind=ResourceKind.PERSON,
                    member_id=people[email].membership_id,
                    role_title=title,
                    cost_rate=Decimal(rate),
                    capacity_hours_week=Decimal(hours),
                ),
            )
    await add(
        "venue",
        ResourceCreate(
            kind=ResourceKind.VENUE,
            name="国家会展中心（上海）4.1 馆",
            address="上海市青浦区崧泽大道 333 号",
            venue_capacity=3000,
        ),
    )
    await add(
        "vendor",
        ResourceCreate(
            kind=ResourceKind.VENDOR,
            name="星河会展服务有限公司",
            contact_name="马骁",
            contact_phone="021-6088 1234",
            contact_email="maxiao@xinghe-expo.example.cn",
            contract_no="HT-2026-118",
            contract_ends_on=date(2027, 6, 30),
            notes="展台设计搭建与现场执行；年框合同。",
        ),
    )
    await add(
        "stands",
        ResourceCreate(
            kind=ResourceKind.MATERIAL,
            name="品牌易拉宝",
            unit="个",
            unit_cost=Decimal(85),
            stock=Decimal(40),
        ),
    )
    await add(
        "gift_box",
        ResourceCreate(
            kind=ResourceKind.MATERIAL,
            name="年终限定礼盒",
            unit="套",
            unit_cost=Decimal(129),
            stock=Decimal(500),
        ),
    )
    await add(
        "douyin",
        ResourceCreate(
            kind=ResourceKind.CHANNEL, name="抖音信息流", unit="千次曝光", unit_cost=Decimal(35)
        ),
    )
    await add(
        "xhs",
        ResourceCreate(
            kind=ResourceKind.CHANNEL, name="小红书达人合作", unit="篇", unit_cost=Decimal(6000)
        ),
    )

    project = await session.scalar(
        select(Project).where(Project.org_id == org.id, Project.name == WORK_PROJECT)
    )
    if project is None or not projects.plan_is_open(project):
        return True
    today = today or datetime.now(ZoneInfo(org.timezone)).date()
    monday = today - timedelta(days=today.weekday())
    first = max(monday, project.starts_on)
    tasks = {
        t.title: t.id
        for t in await session.scalars(select(Task).where(Task.project_id == project.id))
    }

    async def book(
        key: str,
        days: tuple[date, date],
        *,
        hours: str | None = None,
        quantity: str | None = None,
        task: str | None = None,
        on: Project | None = None,
        note: str | None = None,
    ) -> None:
        target = on or project
        start, end = max(days[0], target.starts_on), min(days[1], target.ends_on)
        if key not in made or start > end:
            return
        await resources.create_allocation(
            session,
            pm,
            target.id,
            AllocationCreate(
                resource_id=made[key],
                task_id=tasks.get(task) if task and target is project else None,
                starts_on=start,
                ends_on=end,
                hours_per_day=None if hours is None else Decimal(hours),
                quantity=None if quantity is None else Decimal(quantity),
                note=note,
            ),
        )

    week = timedelta(days=6)
    # The member: the script and the feed boost land in the same week (6 + 4 hours a day).
    await book(
        "member@demo.mems",
        (first, monday + week + timedelta(days=7)),
        hours="6",
        task="种草脚本撰写",
    )
    await book(
        "member@demo.mems",
        (first, monday + week),
        hours="4",
        task="信息流投放放大",
        note="与脚本同周，需协调",
    )
    await book(
        "sun@demo.mems",
        (project.starts_on, monday + timedelta(days=20)),
        hours="4",
        task="达人内容发布",
    )
    await book(
        "zhou@demo.mems",
        (project.starts_on, monday + timedelta(days=27)),
        hours="5",
        task="投放日报与调优",
    )
    await book("pm@demo.mems", (project.starts_on, project.ends_on), hours="2", note="项目管理")
    await book(
        "zheng@demo.mems",
        (monday + timedelta(days=7), monday + timedelta(days=18)),
        hours="6",
        task="产品素材拍摄",
    )
    await book(
        "douyin",
        (monday + timedelta(days=7), monday + timedelta(days=27)),
        quantity="800",
        task="信息流投放放大",
    )
    await book("xhs", (monday, monday + timedelta(days=20)), quantity="12", task="达人内容发布")
    await book(
        "gift_box", (monday + timedelta(days=7), monday + timedelta(days=13)), quantity="120"
    )

    show = await session.scalar(
        select(Project).where(Project.org_id == org.id, Project.name == SHOW_PROJECT)
    )
    if (
        show is not None
        and projects.plan_is_open(show)
        and show.owner_member_id == pm.membership_id
    ):
        setup = (max(today, show.ends_on - timedelta(days=20)), show.ends_on - timedelta(days=14))
        await book("venue", setup, quantity="1", on=show, note="搭建与展期")
        await book("vendor", setup, on=show, note="展台搭建")
        await book("stands", setup, quantity="30", on=show)
        await book("sun@demo.mems", (monday, monday + week), hours="3", on=show, note="展会筹备")
    return True


# The running campaign's budget (预算申请, approved by the director and finance): its venue
# line ends up past 80 %, so a warning is on the PM's, finance's and the director's homes.
WORK_BUDGET: tuple[tuple[BudgetCategory, str, str], ...] = (
    (BudgetCategory.VENDORS, "达人合作", "70000"),
    (BudgetCategory.AD_SPEND, "信息流投放", "50000"),
    (BudgetCategory.MATERIALS, "内容制作", "20000"),
    (BudgetCategory.VENUE, "拍摄场地", "15000"),
    (BudgetCategory.LABOUR, "人力", "25000"),
)
# Its ledger: (days ago, line, kind, amount, vendor, description); None: on no line.
WORK_COSTS: tuple[tuple[int, str | None, CostKind, str, str, str], ...] = (
    (20, "达人合作", CostKind.COMMITTED, "36000", "星芒达人工作室", "12 位达人内容合作合同"),
    (18, "拍摄场地", CostKind.ACTUAL, "4800", "光影棚拍", "棚拍场地（2 天）"),
    (15, "内容制作", CostKind.ACTUAL, "6400", "青柚设计", "主视觉与短视频剪辑"),
    (13, "信息流投放", CostKind.ACTUAL, "9800", "巨量引擎", "第一周信息流消耗"),
    (11, "拍摄场地", CostKind.ACTUAL, "3900", "光影棚拍", "补拍场地（1.5 天）"),
    (8, "达人合作", CostKind.ACTUAL, "12000", "星芒达人工作室", "首批 4 位达人尾款"),
    (6, "信息流投放", CostKind.ACTUAL, "11700", "巨量引擎", "第二周信息流消耗"),
    (4, None, CostKind.ACTUAL, "1260", "滴滴出行", "外拍交通"),
    (2, "拍摄场地", CostKind.COMMITTED, "4100", "光影棚拍", "年货节预热棚拍定金"),
)
# The double-11 promotion's budget per template line, and what it spent: 平台广告 past 100 %.
DOUBLE11_BUDGET = {
    "平台广告": "300000",
    "信息流投放": "200000",
    "直播": "120000",
    "达人佣金": "100000",
    "优惠补贴": "50000",
    "其他": "30000",
}
DOUBLE11_COSTS: tuple[tuple[str, CostKind, str, str], ...] = (
    ("平台广告", CostKind.ACTUAL, "186000", "天猫直通车与引力魔方"),
    ("平台广告", CostKind.ACTUAL, "126500", "京东京准通"),
    ("信息流投放", CostKind.ACTUAL, "141000", "巨量引擎"),
    ("直播", CostKind.ACTUAL, "96000", "直播基地"),
    ("达人佣金", CostKind.COMMITTED, "82000", "MCN 机构"),
    ("优惠补贴", CostKind.ACTUAL, "31500", "平台券补贴"),
)


async def _seed_finance(session: AsyncSession, org: Organization, today: date | None) -> bool:
    """Budgets and ledgers for the registered campaigns, made through the finance services:
    the running campaign asks for its budget line by line (approved by the director and
    finance), records three weeks of costs (its venue line crosses 80 %: the warning is told
    as it is recorded), has some verified, and prices its people's hours as labour; the
    double-11 promotion's template lines are approved and one is past 100 %; and a change
    to it (追加信息流投放) waits for finance after the director's approval."""
    work_project = await session.scalar(
        select(Project).where(Project.org_id == org.id, Project.name == WORK_PROJECT)
    )
    if work_project is None or await budget_requests.any_request_in(session, org.id):
        return False
    people = await _people(session, org)
    pm, director, finance = (
        people["pm@demo.mems"],
        people["director@demo.mems"],
        people["finance@demo.mems"],
    )
    today = today or datetime.now(ZoneInfo(org.timezone)).date()

    async def approve_all(request_id: uuid.UUID | None, *deciders: Principal) -> None:
        assert request_id is not None
        for who in deciders:
            await approvals.decide(session, who, request_id, Decision.APPROVE, "同意")

    made = await budget_requests.open_request(
        session,
        pm,
        work_project.id,
        "年终种草计划预算：达人、投放、内容制作、拍摄场地与人力。",
        [Ask(amount=Decimal(a), category=c.value, name=n) for c, n, a in WORK_BUDGET],
    )
    await approve_all(made.approval_request_id, director, finance)
    lines = {
        line.name: line.id
        for line in await finance_service.lines_of(session, org.id, work_project.id)
    }
    entries = []
    for days_ago, line, kind, amount, vendor, description in WORK_COSTS:
        entries.append(
            await costs.record(
                session,
                finance,
                work_project.id,
                costs.CostInput(
                    kind=kind,
                    amount=Decimal(amount),
                    currency=None,
                    rate=None,
                    incurred_on=today - timedelta(days=days_ago),
                    line_id=lines[line] if line else None,
                    category=None if line else BudgetCategory.TRAVEL,
                    phase_id=None,
                    vendor=vendor,
                    description=description,
                ),
            )
        )
    for entry in entries[:5]:
        await costs.verify(session, finance, entry.id, None)
    # The people's hours so far, priced as labour.
    for task in (
        await session.scalars(
            select(Task).where(Task.project_id == work_project.id, Task.progress > 0)
        )
    ).all():
        task.actual_hours = Decimal(max(task.duration_days, 1) * 6 * task.progress) / 100
    await session.flush()
    await labour.sync_project(session, work_project, today)

    double11 = await session.scalar(
        select(Project).where(Project.org_id == org.id, Project.name == "2026Q4-电商-双十一大促")
    )
    if double11 is not None:
        plan = {
            line.name: line for line in await finance_service.lines_of(session, org.id, double11.id)
        }
        made = await budget_requests.open_request(
            session,
            pm,
            double11.id,
            "双十一大促预算：平台广告、信息流、直播、达人与补贴。",
            [
                Ask(amount=Decimal(DOUBLE11_BUDGET[name]), line_id=line.id)
                for name, line in plan.items()
                if name in DOUBLE11_BUDGET
            ],
        )
        await approve_all(made.approval_request_id, director, finance)
        for line_name, kind, amount, vendor in DOUBLE11_COSTS:
            await costs.record(
                session,
                finance,
                double11.id,
                costs.CostInput(
                    kind=kind,
                    amount=Decimal(amount),
                    currency=None,
                    rate=None,
                    incurred_on=double11.ends_on,
                    line_id=plan[line_name].id,
                    category=None,
                    phase_id=None,
                    vendor=vendor,
                    description=None,
                ),
            )
        change = await budget_requests.open_request(
            session,
            pm,
            double11.id,
            "返场加投：信息流追加 60,000 元。",
            [Ask(amount=Decimal(260000), line_id=plan["信息流投放"].id)],
        )
        await approve_all(change.approval_request_id, director)  # finance decides next
    return True


async def _seed_channel_data(session: AsyncSession, org: Organization, today: date | None) -> bool:
    """90 days of channel data, the rules and the alert they raise (see `channels_seed`)."""
    work_project = await session.scalar(
        select(Project.id).where(Project.org_id == org.id, Project.name == WORK_PROJECT)
    )
    today = today or datetime.now(ZoneInfo(org.timezone)).date()
    return await seed_channels(session, org, await _people(session, org), today, work_project)


def demo_logins_text() -> str:
    lines = [f"  {d.role.value:<16} {d.email:<22} password: {DEMO_PASSWORD}" for d in DEMO_USERS]
    return "Demo logins:\n" + "\n".join(lines)
