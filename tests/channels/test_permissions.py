"""The channels role matrix: everyone reads channels, campaigns, sources and batches; admins,
directors and project managers keep them and send channel data; members, finance and viewers
only read. Every operation × every role, allowed and refused both asserted (harness:
tests/permission_matrix.py)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels.models import (
    AdCampaign,
    BatchStatus,
    Channel,
    ChannelKind,
    DataSource,
    IngestBatch,
    SourceKind,
)
from mems.core.clock import utcnow
from mems.core.jobs import InProcessQueue
from mems.identity import service as identity
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

EVERYONE = by_role(200, 200, 200, 200, 200, 200)
KEEPERS = by_role(200, 200, 200, 403, 403, 403)
MADE = by_role(201, 201, 201, 403, 403, 403)
GONE = by_role(204, 204, 204, 403, 403, 403)

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("GET", f"{API}/channels", None, EVERYONE),
    Row(
        "POST",
        f"{API}/channels",
        lambda c: {"key": f"ch-{c['unique']}", "name": f"渠道{c['unique']}", "kind": "feed"},
        MADE,
    ),
    Row("POST", f"{API}/channel-defaults", None, KEEPERS),
    Row("GET", f"{API}/channels/{{channel_id}}", None, EVERYONE),
    Row(
        "PATCH", f"{API}/channels/{{channel_id}}", lambda c: {"name": "改名", "version": 1}, KEEPERS
    ),
    Row(
        "DELETE",
        f"{API}/channels/{{channel_id}}",
        None,
        GONE,
        use={"channel_id": "free_channel_id"},
    ),
    Row("GET", f"{API}/campaigns", None, EVERYONE),
    Row(
        "POST",
        f"{API}/campaigns",
        lambda c: {
            "channel_id": str(c["channel_id"]),
            "external_id": f"new-{c['unique']}",
            "name": "新计划",
        },
        MADE,
    ),
    Row("GET", f"{API}/campaigns/{{campaign_id}}", None, EVERYONE),
    Row(
        "PATCH",
        f"{API}/campaigns/{{campaign_id}}",
        lambda c: {"status": "paused", "version": 1},
        KEEPERS,
    ),
    Row("DELETE", f"{API}/campaigns/{{campaign_id}}", None, GONE),
    Row(
        "GET",
        f"{API}/campaigns/{{campaign_id}}/records?from=2026-11-01&to=2026-11-30",
        None,
        EVERYONE,
    ),
    Row("GET", f"{API}/data-sources", None, EVERYONE),
    Row(
        "POST",
        f"{API}/data-sources",
        lambda c: {"name": f"源{c['unique']}", "kind": "webhook"},
        MADE,
    ),
    Row("GET", f"{API}/data-sources/{{source_id}}", None, EVERYONE),
    Row(
        "PATCH",
        f"{API}/data-sources/{{source_id}}",
        lambda c: {"active": False, "version": 1},
        KEEPERS,
    ),
    Row("DELETE", f"{API}/data-sources/{{source_id}}", None, GONE),
    Row("GET", f"{API}/data-sources/{{source_id}}/secret", None, KEEPERS),
    Row("POST", f"{API}/data-sources/{{source_id}}/secret", None, KEEPERS),
    Row(
        "POST",
        f"{API}/channel-data",
        lambda c: {
            "records": [
                {
                    "channel": c["channel_key"],
                    "campaign": "p-1",
                    "campaign_name": "权限测试",
                    "date": "2026-11-20",
                    "impressions": 100,
                }
            ]
        },
        by_role(202, 202, 202, 403, 403, 403),
    ),
    Row(
        "POST",
        f"{API}/channel-data/uploads",
        None,
        by_role(202, 202, 202, 403, 403, 403),
        files=lambda c: {
            "file": (
                "渠道数据.csv",
                f"日期,渠道,计划ID,计划名称,展示数\n2026-11-20,{c['channel_key']},p-1,上传,100\n".encode(),
                "text/csv",
            ),
            "commit": (None, "true"),
        },
    ),
    Row("GET", f"{API}/channel-data/batches", None, EVERYONE),
    Row("GET", f"{API}/channel-dashboard?from=2026-11-01&to=2026-11-30", None, EVERYONE),
    Row("GET", f"{API}/benchmarks", None, EVERYONE),
    Row(
        "PUT",
        f"{API}/benchmarks",
        lambda c: {
            "industry": "beauty",
            "items": [{"channel_kind": "feed", "metric": "ctr", "value": "0.02"}],
        },
        KEEPERS,
    ),
    Row("DELETE", f"{API}/benchmarks/{{industry}}/{{channel_kind}}/{{metric}}", None, KEEPERS),
    Row("GET", f"{API}/channel-settings", None, EVERYONE),
    Row(
        "PUT",
        f"{API}/channel-settings",
        lambda c: {"industry": "beauty", "revision": c["industry_revision"]},
        KEEPERS,
    ),
    Row("GET", f"{API}/channel-data/batches/{{batch_id}}", None, EVERYONE),
]


async def industry_revision(s: Setup) -> int:
    """The industry setting's revision now (each role's call sets it once more)."""
    _value, revision = await identity.org_setting(s.session, s.org.org.id, "channels.industry")
    return revision


async def prepare(s: Setup) -> dict[str, Any]:
    """A channel with a campaign, a channel with none, a webhook source, a written batch."""
    org_id = s.org.org.id
    channel = Channel(
        org_id=org_id, key=f"k-{s.unique}", name=f"渠道-{s.unique}", kind=ChannelKind.SHORT_VIDEO
    )
    free = Channel(
        org_id=org_id, key=f"f-{s.unique}", name=f"空渠道-{s.unique}", kind=ChannelKind.OTHER
    )
    s.session.add_all([channel, free])
    await s.session.flush()
    campaign = AdCampaign(org_id=org_id, channel_id=channel.id, external_id=s.unique, name="计划")
    source = DataSource(
        org_id=org_id,
        name=f"源-{s.unique}",
        kind=SourceKind.WEBHOOK,
        secret="s" * 32,
        mapping={},
    )
    batch = IngestBatch(
        id=uuid.uuid4(),
        org_id=org_id,
        via=SourceKind.API,
        status=BatchStatus.DONE,
        record_count=0,
        written=0,
        flagged=0,
        received_at=utcnow(),
    )
    s.session.add_all([campaign, source, batch])
    await s.session.commit()
    return {
        "channel_id": channel.id,
        "channel_key": channel.key,
        "free_channel_id": free.id,
        "campaign_id": campaign.id,
        "source_id": source.id,
        "batch_id": batch.id,
        "unique": s.unique,
        "industry_revision": await industry_revision(s),
        "industry": "beauty",
        "channel_kind": "feed",
        "metric": "ctr",
    }


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_role_matrix(
    row: Row, api: ApiFactory, org: OrgWithMembers, session: AsyncSession, jobs: InProcessQueue
) -> None:
    await check_roles(row, prepare, api, org, session, jobs)


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_no_credential_is_401(
    row: Row, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await check_no_credential(row, client, session)
