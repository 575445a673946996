"""The demo's channel data (issue 11): the common channels, three data sources, six campaigns
with 90 days of daily figures (weekly seasonality and noise, deterministic), alert rules, and
the story they tell at `make run`: the year-end campaign's 抖音 short videos have tired — their
CTR fell below 80 % of the beauty industry's short-video benchmark this week — and the rule
raises a critical alert with its suggestion; 小红书 returns well on little money (高潜力), the
巨量引擎 feed takes the most money for the least return (低效). The 抖音 campaign is linked to
the year-end project, so its spend is in that project's ledger.

Everything goes through the services a user's request would use (ingest, rules, the engine).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts import engine
from mems.alerts import service as alerts
from mems.alerts.evaluation import Comparator, Severity
from mems.alerts.models import ScopeKind, WindowUnit
from mems.alerts.schemas import RuleCreate
from mems.channels import ingest
from mems.channels import service as channels
from mems.channels.models import Channel, SourceKind
from mems.channels.rollups import INDUSTRY_SETTING
from mems.channels.schemas import CampaignUpdate, MetricRecordIn, SourceCreate
from mems.core.pagination import PageParams
from mems.finance import ad_spend
from mems.identity import service as identity
from mems.identity.models import Organization
from mems.identity.principal import Principal

DAYS = 90


@dataclass(frozen=True)
class Plan:
    channel: str
    campaign: str
    name: str
    impressions: int  # a weekday's, before noise
    ctr: float
    cvr: float
    cpm: float  # yuan per thousand impressions
    aov: float  # revenue per conversion
    weekend: float  # weekend factor
    days: int = DAYS
    tired_ctr: float | None = None  # the last week's CTR (a tired creative)


PLANS = (
    Plan(
        "douyin",
        "dy-2026q4-01",
        "年终种草-抖音短视频",
        60_000,
        0.019,
        0.022,
        32,
        168,
        1.3,
        21,
        0.0068,
    ),
    Plan("xiaohongshu", "xhs-note-07", "小红书种草笔记", 18_000, 0.042, 0.03, 45, 198, 1.25),
    Plan("oceanengine", "oe-feed-12", "巨量信息流-拉新", 120_000, 0.011, 0.012, 28, 120, 1.1),
    Plan("baidu", "bd-brand-01", "百度品牌词", 15_000, 0.038, 0.045, 60, 180, 0.8),
    Plan("wechat", "wx-moments-03", "微信朋友圈广告", 30_000, 0.012, 0.02, 38, 175, 1.0),
    Plan("weibo", "wb-topic-02", "微博热门话题", 40_000, 0.009, 0.01, 20, 150, 1.15),
)


def daily_records(today: date, seed: int = 2026) -> list[dict[str, Any]]:
    """The records (MEMS's format) up to yesterday: deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311 - demo figures, not secrets
    out = []
    for plan in PLANS:
        for back in range(plan.days, 0, -1):
            day = today - timedelta(days=back)
            factor = plan.weekend if day.weekday() >= 5 else 1.0
            impressions = int(plan.impressions * factor * rng.uniform(0.88, 1.12))
            ctr = plan.tired_ctr if plan.tired_ctr is not None and back <= 7 else plan.ctr
            clicks = int(impressions * ctr * rng.uniform(0.9, 1.1))
            conversions = int(clicks * plan.cvr * rng.uniform(0.85, 1.15))
            spend = Decimal(impressions * plan.cpm / 1000 * rng.uniform(0.95, 1.05))
            revenue = Decimal(conversions * plan.aov * rng.uniform(0.9, 1.1))
            out.append(
                {
                    "channel": plan.channel,
                    "campaign": plan.campaign,
                    "campaign_name": plan.name,
                    "date": day.isoformat(),
                    "impressions": impressions,
                    "clicks": clicks,
                    "conversions": conversions,
                    "spend": str(spend.quantize(Decimal("0.01"))),
                    "revenue": str(revenue.quantize(Decimal("0.01"))),
                    "followers": int(clicks * 0.03),
                }
            )
    return out


RULES = (
    RuleCreate(
        name="短视频点击率低于行业基准 80%",
        metric="ctr",
        comparator=Comparator.LT,
        threshold=Decimal(80),
        relative=True,
        scope_kind=ScopeKind.CHANNEL,
        window_unit=WindowUnit.DAY,
        window_size=7,
        min_volume=Decimal(10_000),
        severity=Severity.CRITICAL,
        cooldown_minutes=24 * 60,
    ),
    RuleCreate(
        name="渠道 ROAS 低于 1.0",
        metric="roas",
        comparator=Comparator.LT,
        threshold=Decimal(1),
        scope_kind=ScopeKind.CHANNEL,
        window_size=14,
        min_volume=Decimal(5_000),
        severity=Severity.WARNING,
    ),
    RuleCreate(
        name="单次转化成本超过 200 元",
        metric="cpa",
        comparator=Comparator.GT,
        threshold=Decimal(200),
        scope_kind=ScopeKind.CAMPAIGN,
        window_size=7,
        min_volume=Decimal(20),
        severity=Severity.WARNING,
    ),
)


async def seed_channels(
    session: AsyncSession,
    org: Organization,
    people: dict[str, Principal],
    today: date,
    project_id: Any,
) -> bool:
    """Seed the channel data once (when the organisation has no channel yet)."""
    if await session.scalar(select(Channel.id).where(Channel.org_id == org.id).limit(1)):
        return False
    admin, director, pm = (
        people["admin@demo.mems"],
        people["director@demo.mems"],
        people["pm@demo.mems"],
    )
    await identity.set_org_setting(
        session, org.id, INDUSTRY_SETTING, "beauty", 0, admin.membership_id
    )
    await channels.add_default_channels(session, admin)
    keys = {c.key: c.id for c in await channels.list_channels(session, admin)}
    source = await channels.create_source(
        session, admin, SourceCreate(name="数据中台同步", kind=SourceKind.API)
    )
    await channels.create_source(
        session,
        admin,
        SourceCreate(name="抖音推送", kind=SourceKind.WEBHOOK, channel_id=keys["douyin"]),
    )
    await channels.create_source(
        session,
        admin,
        SourceCreate(name="小红书导出", kind=SourceKind.UPLOAD, channel_id=keys["xiaohongshu"]),
    )
    records = [MetricRecordIn.model_validate(r) for r in daily_records(today)]
    sourced = await channels.source_of(session, admin, source.id)
    batch = await ingest.accept(
        session, org.id, records, via=SourceKind.API, source=sourced, member_id=pm.membership_id
    )
    await ingest.process(session, batch.id)
    # The year-end project's 抖音 campaign spends its money: linked, its spend is in the ledger.
    if project_id is not None:
        found, _total = await channels.list_campaigns(
            session,
            admin,
            PageParams(limit=100, offset=0),
            channel_id=keys["douyin"],
            project_id=None,
            q=None,
        )
        campaign = found[0]
        await channels.update_campaign(
            session,
            pm,
            campaign.id,
            CampaignUpdate(project_id=project_id, version=campaign.version),
            None,
        )
        await ad_spend.sync_campaigns(session, org.id, {campaign.id})
    for rule in RULES:
        await alerts.create_rule(session, director, rule)
    await engine.evaluate_org(session, org.id)
    return True
