/* For tests only (imported by *.test.tsx, never by the app): channels, campaigns, sources, deliveries and a stubbed API. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type {
  Batch,
  Campaign,
  CampaignRow,
  Channel,
  ChannelFigures,
  Dashboard,
  Figures,
  Project,
  Source,
  UploadPreview,
} from './api';
import { Where } from './testingWhere';

function person(permissions: string[]): Me {
  return {
    user: { id: 'u', email: 'x@demo.mems', name: 'x', locale: 'zh-CN' },
    org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
    membership_id: 'm',
    role: 'member',
    permissions,
    via: 'session',
  } as unknown as Me;
}

export const manager = person(['channels:read', 'channels:manage', 'channel_data:send', 'projects:read']);
export const member = person(['channels:read', 'projects:read']);

export const douyin: Channel = {
  id: 'ch-douyin',
  key: 'douyin',
  name: '抖音',
  kind: 'short_video',
  active: true,
  version: 1,
};
export const xhs: Channel = {
  id: 'ch-xhs',
  key: 'xiaohongshu',
  name: '小红书',
  kind: 'content',
  active: true,
  version: 2,
};

export const seeding = { id: 'p1', code: 'P2026-005', name: '2026Q4-品牌-年终种草计划', status: 'active' } as Project;
export const show = { id: 'p2', code: 'P2026-003', name: '2026Q4-品牌-年终美妆展会', status: 'active' } as Project;

export const linked: Campaign = {
  id: 'c1',
  channel_id: 'ch-douyin',
  external_id: '1790001',
  name: '双11 达人种草',
  project_id: 'p1',
  status: 'active',
  sync_spend: true,
  version: 4,
};
export const unlinked: Campaign = {
  id: 'c2',
  channel_id: 'ch-xhs',
  external_id: 'xhs-88',
  name: '年终美妆笔记',
  project_id: null,
  status: 'paused',
  sync_spend: false,
  version: 3,
};

export const flaggedRow: CampaignRow = {
  campaign_id: 'c1',
  creative: 'cr-7',
  day: '2026-11-28',
  hour: null,
  impressions: 120,
  clicks: 150,
  conversions: 4,
  leads: 2,
  followers: 0,
  spend: '1520.50',
  revenue: '0.00',
  custom: null,
  quality: ['clicks_over_impressions'],
};

function source(over: Partial<Source> & Pick<Source, 'id' | 'name' | 'kind'>): Source {
  return {
    channel_id: null,
    currency: 'CNY',
    rate: '1.000000',
    active: true,
    last_received_at: null,
    webhook_path: null,
    has_secret: false,
    version: 1,
    ...over,
  };
}

export const hook = source({
  id: 's-hook',
  name: '抖音巨量推送',
  kind: 'webhook',
  channel_id: 'ch-douyin',
  last_received_at: '2026-11-30T02:05:00Z',
  webhook_path: '/api/v1/hooks/s-hook',
  has_secret: true,
});
export const meta = source({
  id: 's-meta',
  name: 'Meta 海外投放',
  kind: 'meta',
  currency: 'USD',
  rate: '7.100000',
  webhook_path: '/api/v1/hooks/meta/s-meta',
  has_secret: true,
});
export const rest = source({ id: 's-api', name: '数据中台', kind: 'api', active: false });

function batch(over: Partial<Batch> & Pick<Batch, 'id' | 'status'>): Batch {
  return {
    source_id: 's-hook',
    via: 'webhook',
    record_count: 0,
    written: 0,
    flagged: 0,
    error: null,
    received_at: '2026-11-30T02:05:00Z',
    processed_at: null,
    ...over,
  };
}

export const deliveries: Batch[] = [
  batch({ id: 'b3', status: 'pending', record_count: 40, received_at: '2026-11-30T02:05:00Z' }),
  batch({
    id: 'b2',
    status: 'done',
    record_count: 1200,
    written: 1200,
    flagged: 3,
    received_at: '2026-11-30T01:00:00Z',
  }),
  batch({ id: 'b1', status: 'failed', record_count: 5, error: 'unknown channel', received_at: '2026-11-29T12:00:00Z' }),
];

export const upload = source({ id: 's-upload', name: '巨量引擎报表', kind: 'upload', channel_id: 'ch-douyin' });

/** A channel's or a range's figures: the sums given, every ratio null unless given. */
export function figures(over: Partial<Figures> = {}): Figures {
  return {
    impressions: 0,
    clicks: 0,
    conversions: 0,
    leads: 0,
    followers: 0,
    spend: '0.00',
    revenue: '0.00',
    ctr: null,
    cvr: null,
    cpc: null,
    cpm: null,
    cpa: null,
    roas: null,
    roi: null,
    ...over,
  };
}

const BEAUTY_SHORT_VIDEO = {
  ctr: '0.020000',
  cvr: '0.018000',
  cpc: '1.20',
  cpm: '35.00',
  cpa: '25.00',
  roas: '2.500000',
};

/** 抖音 spends most and beats its benchmark; 小红书 spends less and trails it; 快手 spent nothing. */
export const douyinFigures: ChannelFigures = {
  channel_id: 'ch-douyin',
  name: '抖音',
  kind: 'short_video',
  figures: figures({
    impressions: 800_000,
    clicks: 20_000,
    conversions: 500,
    spend: '10000.00',
    revenue: '36000.00',
    ctr: '0.025000',
    cvr: '0.025000',
    cpa: '20.00',
    roas: '3.600000',
  }),
  benchmarks: BEAUTY_SHORT_VIDEO,
  spend_share: '0.8000',
  efficiency: '1.1250',
  quadrant: 'star',
};
export const xhsFigures: ChannelFigures = {
  channel_id: 'ch-xhs',
  name: '小红书',
  kind: 'content',
  figures: figures({
    impressions: 400_000,
    clicks: 4_000,
    conversions: 50,
    spend: '2500.00',
    revenue: '4000.00',
    ctr: '0.010000',
    cvr: '0.012500',
    cpa: '50.00',
    roas: '1.600000',
  }),
  benchmarks: { ctr: '0.015000', cvr: '0.015000', cpc: '1.50', cpm: '40.00', cpa: '40.00', roas: '2.000000' },
  spend_share: '0.2000',
  efficiency: '0.5000',
  quadrant: 'watch',
};
export const kuaishouFigures: ChannelFigures = {
  channel_id: 'ch-ks',
  name: '快手',
  kind: 'short_video',
  figures: figures(),
  benchmarks: BEAUTY_SHORT_VIDEO,
  spend_share: null,
  efficiency: null,
  quadrant: 'no_spend',
};

export const dashboard: Dashboard = {
  from: '2026-11-01',
  to: '2026-11-30',
  currency: 'CNY',
  industry: 'beauty',
  basis: 'roas',
  totals: figures({
    impressions: 1_200_000,
    clicks: 24_000,
    conversions: 550,
    spend: '12500.00',
    revenue: '40000.00',
    ctr: '0.020000',
    cvr: '0.022917',
    cpa: '22.73',
    roas: '3.200000',
  }),
  previous: figures({
    impressions: 1_000_000,
    clicks: 25_000,
    conversions: 440,
    spend: '10000.00',
    revenue: '30000.00',
    ctr: '0.025000',
    cvr: '0.017600',
    cpa: '22.73',
    roas: '3.000000',
  }),
  channels: [douyinFigures, xhsFigures, kuaishouFigures],
  campaigns: [
    {
      campaign_id: 'c2',
      name: '年终美妆笔记',
      channel_id: 'ch-xhs',
      project_id: null,
      figures: xhsFigures.figures,
    },
    {
      campaign_id: 'c1',
      name: '双11 达人种草',
      channel_id: 'ch-douyin',
      project_id: 'p1',
      figures: douyinFigures.figures,
    },
  ],
  trend: [
    {
      day: '2026-11-29',
      figures: figures({ spend: '6000.00', impressions: 600_000, clicks: 12_000, ctr: '0.020000' }),
    },
    {
      day: '2026-11-30',
      figures: figures({ spend: '6500.00', impressions: 600_000, clicks: 12_000, ctr: '0.020000' }),
    },
  ],
  channel_trend: [
    {
      channel_id: 'ch-douyin',
      points: [{ day: '2026-11-30', impressions: 1, clicks: 1, conversions: 1, spend: '10000.00', revenue: '0' }],
    },
  ],
};

/** A range without a record: every sum 0, every ratio null. */
export const emptyDashboard: Dashboard = {
  ...dashboard,
  basis: 'ctr',
  totals: figures(),
  previous: figures(),
  channels: [{ ...kuaishouFigures }],
  campaigns: [],
  trend: [],
  channel_trend: [],
};

const UPLOAD_FIELDS = [
  'date',
  'hour',
  'channel',
  'campaign',
  'campaign_name',
  'creative',
  'creative_name',
  'impressions',
  'clicks',
  'spend',
  'conversions',
  'revenue',
  'leads',
  'followers',
  'currency',
];

/** A 巨量引擎 export read with the headers guessed: 备注 is left out. */
export function uploadPreview(over: Partial<UploadPreview> = {}): UploadPreview {
  return {
    source_id: null,
    columns: ['日期', '计划名称', '展示数', '点击数', '消耗', '备注'],
    header_row: 1,
    fields: UPLOAD_FIELDS,
    mapping: {
      日期: 'date',
      计划名称: 'campaign_name',
      展示数: 'impressions',
      点击数: 'clicks',
      消耗: 'spend',
      备注: null,
    },
    guessed: ['日期', '计划名称', '展示数', '点击数', '消耗'],
    saved: [],
    mapping_saved: false,
    total_rows: 2,
    skipped_rows: [],
    rows: [
      {
        row: 2,
        channel: 'douyin',
        campaign: '双11 达人种草',
        campaign_name: '双11 达人种草',
        creative: null,
        creative_name: null,
        date: '2026-11-28',
        hour: null,
        impressions: 12000,
        clicks: 340,
        conversions: 0,
        leads: 0,
        followers: 0,
        spend: '1520.50',
        revenue: '0.00',
        currency: null,
        custom: null,
      },
    ],
    errors: [],
    error_count: 0,
    totals: { currency: 'CNY', rows: 2, records: 2, impressions: 24000, clicks: 680, spend: '3041.00' },
    can_commit: true,
    ...over,
  };
}

export const json = (body: unknown, status = 200) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

const page = (items: unknown[]) => json({ items, total: items.length, limit: 20, offset: 0 });

/** Every call the pages made, the data the stub answers with, and an optional answer that overrides it. */
export const api = {
  calls: [] as { method: string; path: string; query: URLSearchParams; body: unknown }[],
  respond: (() => undefined) as (method: string, path: string, body: unknown) => Response | undefined,
  channels: [douyin, xhs],
  batches: deliveries,
  reset() {
    this.calls = [];
    this.respond = () => undefined;
    this.channels = [douyin, xhs];
    this.batches = deliveries;
  },
  of(method: string) {
    return this.calls.filter((c) => c.method === method);
  },
};

function answer(method: string, path: string, query: URLSearchParams, body: unknown): Response {
  const sources = [hook, meta, rest, upload];
  const campaigns = [linked, unlinked];
  if (path === '/channels' && method === 'GET') return json(api.channels);
  if (path === '/channel-defaults' && method === 'POST') {
    api.channels = [douyin, xhs, { ...douyin, id: 'ch-ks', key: 'kuaishou', name: '快手' }];
    return json(api.channels);
  }
  if (path === '/campaigns' && method === 'GET') {
    const channel = query.get('channel_id');
    return page(campaigns.filter((c) => !channel || c.channel_id === channel));
  }
  const campaign = campaigns.find((c) => path === `/campaigns/${c.id}`);
  if (campaign && method === 'PATCH') return json({ ...campaign, ...(body as object), version: campaign.version + 1 });
  if (path === '/campaigns/c1/records') return json([flaggedRow]);
  if (path.startsWith('/campaigns/') && path.endsWith('/records')) return json([]);
  if (path === '/projects') return json({ items: [seeding, show], total: 2, limit: 200, offset: 0 });
  if (path === '/data-sources' && method === 'GET') return json(sources);
  if (path === '/data-sources' && method === 'POST') {
    return json(source({ id: 's-new', ...(body as Pick<Source, 'name' | 'kind'>) }), 201);
  }
  if (path === '/data-sources/s-hook/secret') {
    return json({
      secret: method === 'POST' ? 'rotated-secret-0123456789' : 'old-secret-0123456789',
      verify_token: null,
    });
  }
  if (path === '/data-sources/s-meta/secret') return json({ secret: 'meta-app-secret-0123', verify_token: 'vt-123' });
  if (path === '/channel-data/batches') {
    const items = api.batches.filter((b) => b.source_id === query.get('source_id'));
    return page(items);
  }
  if (path === '/channel-dashboard') return json(dashboard);
  if (path === '/channel-data/uploads' && method === 'POST') {
    const form = body as Record<string, string>;
    return form.commit === 'true'
      ? json({ ...deliveries[0], id: 'b-up', source_id: form.source_id ?? null, via: 'upload', record_count: 2 }, 202)
      : json(uploadPreview());
  }
  if (path === '/channel-data/batches/b-up') {
    return json({ ...deliveries[1], id: 'b-up', via: 'upload', record_count: 2, written: 2, flagged: 1 });
  }
  return json({ title: 'Not found', status: 404 }, 404);
}

function stubFetch() {
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace('/api/v1', '');
    const multipart = (request.headers.get('content-type') ?? '').startsWith('multipart/form-data');
    const body: unknown =
      request.method === 'GET'
        ? undefined
        : multipart
          ? // A form's text parts by name; a file part as its presence (jsdom's File does not
            // survive the trip into Node's Request as a file).
            Object.fromEntries(
              [...(await request.clone().formData()).entries()].map(([k, v]) => [
                k,
                typeof v === 'string' ? v : '(file)',
              ]),
            )
          : await request
              .clone()
              .json()
              .catch(() => undefined);
    api.calls.push({ method: request.method, path, query: url.searchParams, body });
    return api.respond(request.method, path, body) ?? answer(request.method, path, url.searchParams, body);
  });
}

export function renderPage(me: Me, page: ReactNode, url = '/') {
  stubFetch();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <MemoryRouter initialEntries={[url]}>
          <SessionContext.Provider value={me}>
            {page}
            <Where />
          </SessionContext.Provider>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
  return { queryClient };
}
