"""Alert rules judged on real channel data: a batch is written, the rules run, an alert opens
with the figures that triggered it and a suggestion, people are told in-app and a webhook
receiver gets a signed notice; acknowledged, resolved by hand or by itself when the data
recovers; cooldowns and minimum volumes hold."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts.models import Alert, Delivery
from mems.core.jobs import InProcessQueue, run_job
from mems.core.models import OutboxJob
from mems.core.signing import verify_generic
from mems.identity.permissions import Role
from mems.notifications.models import Notification
from tests.alerts.receiver import Answer, serve
from tests.channels.helpers import record, send, with_channels
from tests.checkins.helpers import API, count, fields_of, org_today, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers


def week(
    org: OrgWithMembers, *, clicks: int, impressions: int = 10_000, **more: Any
) -> list[dict[str, Any]]:
    today = org_today(org)
    return [
        record(
            date=(today - timedelta(days=d)).isoformat(),
            impressions=impressions,
            clicks=clicks,
            **more,
        )
        for d in range(7)
    ]


CTR_RULE = {
    "name": "短视频点击率低于行业 80%",
    "metric": "ctr",
    "comparator": "lt",
    "threshold": "80",
    "relative": True,
    "scope_kind": "channel",
    "window_size": 7,
    "min_volume": "1000",
    "severity": "critical",
    "cooldown_minutes": 0,
}


async def ingest(
    client: httpx.AsyncClient, jobs: InProcessQueue, records: list[dict[str, Any]]
) -> None:
    r = await send(client, records)
    assert r.status_code == 202, r.text
    await jobs.drain()  # the batch is written, then the rules are judged


async def test_low_ctr_opens_an_alert_with_its_figures_and_a_suggestion(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    director = await api(Role.DIRECTOR)
    rule = await director.post(f"{API}/alert-rules", json=CTR_RULE)
    assert rule.status_code == 201, rule.text
    assert rule.json()["scope_label"] is None  # each channel
    # 0.5 % CTR on 抖音, against a short-video benchmark of 1.5 %: 80 % of it is 1.2 %.
    await ingest(director, jobs, week(org, clicks=50))
    listed = (await director.get(f"{API}/alerts")).json()
    assert listed["total"] == 1
    alert = listed["items"][0]
    assert (alert["state"], alert["severity"], alert["metric"]) == ("open", "critical", "ctr")
    assert alert["scope_label"] == "抖音"
    assert Decimal(alert["value"]) == Decimal("0.005")
    assert Decimal(alert["benchmark"]) == Decimal("0.015")
    assert Decimal(alert["threshold"]) == Decimal("0.012")
    assert alert["numbers"]["impressions"] == "70000"
    assert alert["numbers"]["clicks"] == "350"
    assert alert["suggestion"] == "low_ctr"
    zh = (
        await director.get(f"{API}/alerts/{alert['id']}", headers={"Accept-Language": "zh-CN"})
    ).json()
    assert zh["suggestion_text"] != alert["suggestion_text"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["suggestion_text"])
    # Directors and admins are told in-app, in their language.
    told = (await director.get(f"{API}/notifications")).json()["items"]
    assert any(n["kind"] == "alert.fired" and "抖音" in n["title"] for n in told)
    rules = (await director.get(f"{API}/alert-rules")).json()
    assert rules[0]["open_alerts"] == 1
    # The same data again keeps the one alert current.
    await ingest(director, jobs, week(org, clicks=40))
    assert await count(session, Alert) == 1
    kept = (await director.get(f"{API}/alerts/{alert['id']}")).json()
    assert Decimal(kept["value"]) == Decimal("0.004")


async def test_acknowledge_resolve_and_auto_resolve(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    pm = await api(Role.PROJECT_MANAGER)
    assert (await pm.post(f"{API}/alert-rules", json=CTR_RULE)).status_code == 201
    await ingest(pm, jobs, week(org, clicks=50))
    alert = (await pm.get(f"{API}/alerts")).json()["items"][0]
    member = await api(Role.MEMBER)
    body = {"version": alert["version"], "note": "在换素材"}
    problem(
        await member.post(f"{API}/alerts/{alert['id']}/acknowledge", json=body), 403, "forbidden"
    )
    acked = await pm.post(f"{API}/alerts/{alert['id']}/acknowledge", json=body)
    assert acked.status_code == 200, acked.text
    assert acked.json()["state"] == "acknowledged"
    assert acked.json()["note"] == "在换素材"
    again = problem(
        await pm.post(
            f"{API}/alerts/{alert['id']}/acknowledge", json={"version": acked.json()["version"]}
        ),
        409,
        "conflict",
    )
    assert again["reason"] == "not_open"
    problem(
        await pm.post(f"{API}/alerts/{alert['id']}/resolve", json={"version": 1}),
        409,
        "stale-version",
    )
    # The data recovers (2 % CTR): the acknowledged alert resolves by itself.
    await ingest(pm, jobs, week(org, clicks=200))
    done = (await pm.get(f"{API}/alerts/{alert['id']}")).json()
    assert done["state"] == "resolved"
    assert done["auto_resolved"] is True
    # Low again: cooldown 0, a new alert; resolved by hand this time.
    await ingest(pm, jobs, week(org, clicks=50))
    open_now = (await pm.get(f"{API}/alerts", params={"state": "open"})).json()["items"]
    assert len(open_now) == 1
    assert open_now[0]["id"] != alert["id"]
    resolved = await pm.post(
        f"{API}/alerts/{open_now[0]['id']}/resolve", json={"version": open_now[0]["version"]}
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["auto_resolved"] is False
    # Within a cooldown, the condition returning raises nothing new.
    rule_id = open_now[0]["rule_id"]
    rule = (await pm.get(f"{API}/alert-rules/{rule_id}")).json()
    r = await pm.patch(
        f"{API}/alert-rules/{rule_id}", json={"cooldown_minutes": 60, "version": rule["version"]}
    )
    assert r.status_code == 200, r.text
    await ingest(pm, jobs, week(org, clicks=45))
    assert await count(session, Alert) == 2


async def test_no_alert_below_the_minimum_volume_and_rules_are_checked(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    quiet = {**CTR_RULE, "name": "量太小不判", "min_volume": "1000000"}
    assert (await admin.post(f"{API}/alert-rules", json=quiet)).status_code == 201
    await ingest(admin, jobs, week(org, clicks=5))
    assert await count(session, Alert) == 0
    evaluated = (await admin.post(f"{API}/alert-rule-runs")).json()
    assert evaluated["rules"] == 1
    assert evaluated["judged"] == 1
    assert evaluated["fired"] == 0
    bad = [
        ({**CTR_RULE, "name": "x1", "metric": "spend"}, "relative"),
        ({**CTR_RULE, "name": "x2", "threshold": "0"}, "threshold"),
        ({**CTR_RULE, "name": "x3", "scope_kind": "org"}, "benchmark_kind"),
        ({**CTR_RULE, "name": "x4", "project_id": channels["douyin"]}, "project_id"),
        ({**CTR_RULE, "name": "x5", "metric": "bogus"}, "metric"),
        ({**CTR_RULE, "name": "x6", "window_size": 0}, "window_size"),
        ({**CTR_RULE, "name": "x7", "threshold": "1e400"}, "threshold"),
    ]
    for body, field in bad:
        answer = problem(
            await admin.post(f"{API}/alert-rules", json=body), 422, "validation-failed"
        )
        assert field in fields_of(answer), (field, answer)
    problem(
        await admin.post(
            f"{API}/alert-rules",
            json={
                **CTR_RULE,
                "name": "x8",
                "scope_kind": "channel",
                "channel_id": "00000000-0000-0000-0000-000000000000",
            },
        ),
        404,
        "not-found",
    )
    problem(await admin.post(f"{API}/alert-rules", json=quiet), 409, "duplicate")


async def test_a_webhook_channel_gets_a_signed_notice_and_logs_it(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    admin = await api(Role.ADMIN)
    director = await api(Role.DIRECTOR)
    await with_channels(admin)
    async with serve() as receiver:
        body = {
            "name": "数据组回调",
            "kind": "webhook",
            "url": receiver.url(),
            "secret": "hook-secret",
            "min_severity": "warning",
        }
        # Loopback: refused, and only an admin may allow it.
        refused = problem(
            await director.post(f"{API}/notification-channels", json=body), 422, "validation-failed"
        )
        assert fields_of(refused) == ["url"]
        problem(
            await director.post(
                f"{API}/notification-channels", json={**body, "allow_private": True}
            ),
            403,
            "forbidden",
        )
        made = await admin.post(
            f"{API}/notification-channels", json={**body, "allow_private": True}
        )
        assert made.status_code == 201, made.text
        channel = made.json()
        assert channel["has_secret"] is True
        assert "hook-secret" not in made.text
        assert (await director.post(f"{API}/alert-rules", json=CTR_RULE)).status_code == 201
        await ingest(director, jobs, week(org, clicks=50))
        assert len(receiver.requests) == 1
        got = receiver.requests[0]
        verify_generic(
            "hook-secret",
            got.headers["x-mems-timestamp"],
            got.headers["x-mems-signature"],
            got.body,
            datetime.now(UTC),
        )
        payload = json.loads(got.body)
        assert payload["event"] == "alert.fired"
        assert payload["severity"] == "critical"
        assert "抖音" in payload["title"]
        assert payload["data"]["metric"] == "ctr"
        log = (await admin.get(f"{API}/notification-channels/{channel['id']}/deliveries")).json()
        assert log["items"][0]["status"] == "sent"
        assert log["items"][0]["status_code"] == 200
        # A test message from the settings page.
        test = await admin.post(f"{API}/notification-channels/{channel['id']}/test")
        assert test.status_code == 202, test.text
        await jobs.drain()
        assert len(receiver.requests) == 2
        assert json.loads(receiver.requests[1].body)["event"] == "test"
    assert await count(session, Delivery) == 2
    told = await count(session, Notification, Notification.kind == "alert.fired")
    assert told >= 2  # the admin and the director (and the rule's author, once)


async def test_a_raised_alerts_later_round_is_skipped_once_the_alert_is_resolved(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    """The platform throttled the notice of a raised alert; by its later round the alert is
    resolved (and its resolved notice went out): the stale notice is not sent, and the log
    says why in the organisation's language."""
    admin = await api(Role.ADMIN)
    director = await api(Role.DIRECTOR)
    await with_channels(admin)
    async with serve() as receiver:
        receiver.script = [Answer(429, b"slow down", {"Retry-After": "600"})]
        body = {
            "name": "数据组回调",
            "kind": "webhook",
            "url": receiver.url(),
            "min_severity": "warning",
            "allow_private": True,
        }
        channel = (await admin.post(f"{API}/notification-channels", json=body)).json()
        assert (await director.post(f"{API}/alert-rules", json=CTR_RULE)).status_code == 201
        await ingest(director, jobs, week(org, clicks=50))
        log = f"{API}/notification-channels/{channel['id']}/deliveries"
        fired = (await admin.get(log)).json()["items"][0]
        assert (fired["event"], fired["status"], fired["rounds"]) == ("alert.fired", "pending", 1)
        assert fired["next_attempt_at"] is not None
        later = await session.scalar(
            select(OutboxJob).where(
                OutboxJob.name == "alerts.deliver",
                OutboxJob.status == "pending",
                OutboxJob.run_after.is_not(None),
            )
        )
        assert later is not None
        assert later.kwargs == {"delivery_id": fired["id"]}

        alert = (await director.get(f"{API}/alerts")).json()["items"][0]
        resolved = await director.post(
            f"{API}/alerts/{alert['id']}/resolve", json={"version": alert["version"]}
        )
        assert resolved.status_code == 200, resolved.text
        await jobs.drain()
        assert [json.loads(r.body)["event"] for r in receiver.requests] == [
            "alert.fired",
            "alert.resolved",
        ]
        # The later round's time comes.
        await run_job(jobs.ctx, later.name, dict(later.kwargs), str(later.id))
        assert len(receiver.requests) == 2  # not sent again
        items = {d["id"]: d for d in (await admin.get(log)).json()["items"]}
        skipped = items[fired["id"]]
        assert (skipped["status"], skipped["rounds"], skipped["next_attempt_at"]) == (
            "skipped",
            1,
            None,
        )
        assert skipped["error"] == "未发送：这条通知送达之前，预警已经解决。"
        assert sorted(d["status"] for d in items.values()) == ["sent", "skipped"]


async def test_an_organisation_wide_rule_fires_and_reads_in_each_language(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    rule = {
        "name": "全组织 CPA",
        "metric": "cpa",
        "comparator": "gt",
        "threshold": "20",
        "scope_kind": "org",
        "cooldown_minutes": 0,
    }
    assert (await admin.post(f"{API}/alert-rules", json=rule)).status_code == 201
    await ingest(admin, jobs, week(org, clicks=150, conversions=10, spend="300"))  # CPA 30
    alert = (await admin.get(f"{API}/alerts")).json()["items"][0]
    assert (alert["scope_kind"], alert["scope_label"], alert["suggestion"]) == (
        "org",
        "",
        "high_cpa",
    )
    zh = (await admin.get(f"{API}/notifications", headers={"Accept-Language": "zh-CN"})).json()
    en = (await admin.get(f"{API}/notifications", headers={"Accept-Language": "en"})).json()
    assert any(n["title"].startswith("全组织：") for n in zh["items"]), zh
    assert any(n["title"].startswith("organisation: ") for n in en["items"]), en


async def test_deliveries_mark_their_source_without_changing_its_version(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    """Deliveries arriving together must not conflict over their source's row."""
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    source = (await admin.post(f"{API}/data-sources", json={"name": "接口", "kind": "api"})).json()
    for day in ("2026-11-20", "2026-11-21"):
        r = await send(admin, [record(date=day)], source_id=source["id"])
        assert r.status_code == 202, r.text
        await jobs.drain()
    after = (await admin.get(f"{API}/data-sources/{source['id']}")).json()
    assert after["version"] == source["version"]
    assert after["last_received_at"] is not None


async def test_many_alerts_at_once_reach_a_reader_as_one_digest(
    api: ApiFactory, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    """Up to five new alerts concern a person: one notice each, leading to the alert; more in
    one evaluation: one digest (how many, how many critical) instead, so a sweep raising
    hundreds does not bury the reader."""
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    director = await api(Role.DIRECTOR)
    each_campaign = {**CTR_RULE, "name": "每个计划点击率", "scope_kind": "campaign"}
    assert (await director.post(f"{API}/alert-rules", json=each_campaign)).status_code == 201

    def campaigns(first: int, last: int) -> list[dict[str, Any]]:
        return [
            r
            for n in range(first, last)
            for r in week(org, clicks=50, campaign=f"c-{n}", campaign_name=f"计划 {n}")
        ]

    async def alert_notices(client: httpx.AsyncClient) -> list[dict[str, Any]]:
        zh = {"Accept-Language": "zh-CN"}
        items = (await client.get(f"{API}/notifications?limit=100", headers=zh)).json()["items"]
        return [n for n in items if n["kind"].startswith("alert.")]

    await ingest(director, jobs, campaigns(0, 5))  # five fire: five notices
    first = await alert_notices(admin)
    assert [n["kind"] for n in first] == ["alert.fired"] * 5
    assert {n["link_type"] for n in first} == {"alert"}

    await ingest(director, jobs, campaigns(5, 12))  # seven more at once: one digest
    now = await alert_notices(admin)
    assert len(now) == 6
    digest = next(n for n in now if n["kind"] == "alert.digest")
    assert digest["title"] == "新增 7 条预警，其中 7 条严重"
    assert digest["link_type"] is None
    assert (await director.get(f"{API}/alerts")).json()["total"] == 12  # all raised all the same


async def test_notices_to_chat_groups_are_in_the_organisations_language(
    api: ApiFactory, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    """A chat group is read by the team: its notices follow the organisation's language (zh-CN
    by default; an organisation working in English gets English)."""
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    current = (await admin.get(f"{API}/org")).json()
    changed = await admin.patch(f"{API}/org", json={"locale": "en", "version": current["version"]})
    assert changed.status_code == 200, changed.text
    async with serve() as receiver:
        hook = {
            "name": "Growth team",
            "kind": "webhook",
            "url": receiver.url(),
            "allow_private": True,
            "min_severity": "info",
        }
        made = await admin.post(f"{API}/notification-channels", json=hook)
        assert made.status_code == 201, made.text
        assert (await admin.post(f"{API}/alert-rules", json=CTR_RULE)).status_code == 201
        await ingest(admin, jobs, week(org, clicks=50))
        test = await admin.post(f"{API}/notification-channels/{made.json()['id']}/test")
        assert test.status_code == 202, test.text
        await jobs.drain()
    fired, tried = (json.loads(r.body) for r in receiver.requests)
    assert fired["title"].startswith("抖音: CTR is "), fired["title"]
    assert "点击率" not in json.dumps(fired, ensure_ascii=False)
    assert tried["title"] == "MEMS notification test"


@pytest.mark.parametrize("named", [True, False])
async def test_an_hour_window_rule_judges_the_last_hours(
    api: ApiFactory, jobs: InProcessQueue, org: OrgWithMembers, monkeypatch: Any, named: bool
) -> None:
    """A rule on the last 6 hours sums the hourly records of those hours only (an older hour
    with a fine CTR does not dilute them) — reading the window through the campaigns, or, for
    an organisation with too many campaigns to name, through the organisation."""
    from zoneinfo import ZoneInfo

    from mems.channels import rollups

    if not named:
        monkeypatch.setattr(rollups, "MAX_NAMED_CAMPAIGNS", 0)
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    now = datetime.now(ZoneInfo(org.org.timezone))

    def hourly(hours_ago: int, clicks: int) -> dict[str, Any]:
        at = now - timedelta(hours=hours_ago)
        return record(date=at.date().isoformat(), hour=at.hour, impressions=10_000, clicks=clicks)

    rule = {
        **CTR_RULE,
        "name": "近 6 小时点击率",
        "relative": False,
        "threshold": "0.01",  # 1 %
        "window_unit": "hour",
        "window_size": 6,
    }
    assert (await admin.post(f"{API}/alert-rules", json=rule)).status_code == 201
    # The last three hours at 0.5 %, and ten hours ago at 10 % (outside the window).
    await ingest(admin, jobs, [hourly(h, 50) for h in range(3)] + [hourly(10, 1000)])
    alerts = (await admin.get(f"{API}/alerts")).json()["items"]
    assert len(alerts) == 1, alerts
    assert Decimal(alerts[0]["value"]) == Decimal("0.005")


async def test_the_alert_center_lists_critical_then_warning_then_info(
    api: ApiFactory, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    for severity in ("info", "critical", "warning"):
        rule = {**CTR_RULE, "name": f"点击率 {severity}", "severity": severity}
        assert (await admin.post(f"{API}/alert-rules", json=rule)).status_code == 201
    await ingest(admin, jobs, week(org, clicks=50))
    listed = (await admin.get(f"{API}/alerts")).json()["items"]
    assert [a["severity"] for a in listed] == ["critical", "warning", "info"]


async def test_an_email_channel_without_smtp_logs_why_in_the_organisations_language(
    api: ApiFactory, jobs: InProcessQueue
) -> None:
    """No SMTP server configured: the delivery fails, and its log says so in Chinese (the
    organisation's language) naming the setting to set."""
    admin = await api(Role.ADMIN)
    body = {"name": "运营邮件组", "kind": "email", "emails": ["ops@example.com"]}
    made = await admin.post(f"{API}/notification-channels", json=body)
    assert made.status_code == 201, made.text
    channel = made.json()
    assert (
        await admin.post(f"{API}/notification-channels/{channel['id']}/test")
    ).status_code == 202
    await jobs.drain()
    log = (await admin.get(f"{API}/notification-channels/{channel['id']}/deliveries")).json()
    assert log["items"][0]["status"] == "failed"
    assert log["items"][0]["error"] == "服务器未配置邮件发送（SMTP_HOST）。"


async def test_deleting_a_rule_deletes_its_alerts_in_a_few_statements_and_audits_each(
    api: ApiFactory, jobs: InProcessQueue, org: OrgWithMembers, session: AsyncSession, engine: Any
) -> None:
    """A rule on every campaign may have raised hundreds of alerts: deleting it deletes them
    (their deliveries with them) in one statement, each recorded in the audit log, and the
    statements do not grow with their number."""
    from sqlalchemy import select

    from mems.core.audit import AuditLog
    from tests.core.test_statement_counts import counted

    admin = await api(Role.ADMIN)
    await with_channels(admin)
    director = await api(Role.DIRECTOR)

    async def rule_with_alerts(name: str, n: int) -> tuple[str, list[str]]:
        rule = {**CTR_RULE, "name": name, "scope_kind": "campaign"}
        made = await director.post(f"{API}/alert-rules", json=rule)
        assert made.status_code == 201, made.text
        await ingest(
            director,
            jobs,
            [
                r
                for i in range(n)
                for r in week(org, clicks=50, campaign=f"{name}-{i}", campaign_name=f"计划 {i}")
            ],
        )
        rule_id = made.json()["id"]
        ids = [
            str(a.id)
            for a in (await session.scalars(select(Alert))).all()
            if str(a.rule_id) == rule_id
        ]
        return rule_id, ids

    few_rule, few = await rule_with_alerts("少", 2)
    with counted(engine) as few_statements:
        assert (await director.delete(f"{API}/alert-rules/{few_rule}")).status_code == 204
    many_rule, many = await rule_with_alerts("多", 9)
    with counted(engine) as many_statements:
        assert (await director.delete(f"{API}/alert-rules/{many_rule}")).status_code == 204
    # (the second rule also judges the first rule's two campaigns, as weak as its nine)
    assert (len(few), len(many)) == (2, 11)
    assert len(many_statements) == len(few_statements)
    assert await count(session, Alert) == 0
    deleted = set(
        (
            await session.scalars(
                select(AuditLog.entity_id).where(
                    AuditLog.entity_type == "alerts", AuditLog.action == "delete"
                )
            )
        ).all()
    )
    assert deleted == {*few, *many}
