import type {
  Campaign,
  CampaignCreate,
  CampaignStatus,
  CampaignUpdate,
  Channel,
  ChannelCreate,
  ChannelKind,
  ChannelUpdate,
  Source,
  SourceCreate,
  SourceKind,
  SourceUpdate,
} from './api';

/**
 * The rules of the channel pages as plain functions: what each form sends (only what changed,
 * at the version read), where a webhook posts and how it signs, and the days a campaign's
 * records are shown for.
 */

export const CHANNEL_KINDS: readonly ChannelKind[] = [
  'short_video',
  'content',
  'social',
  'search',
  'feed',
  'ecommerce',
  'other',
];
export const SOURCE_KINDS: readonly SourceKind[] = ['api', 'upload', 'webhook', 'meta'];
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['active', 'paused', 'ended'];

/** Sources the platforms post to, signed with the source's secret (Meta's: its app secret). */
export function isWebhook(kind: SourceKind): boolean {
  return kind === 'webhook' || kind === 'meta';
}

/** The address a platform is given: this site's origin and the source's path. */
export function webhookUrl(origin: string, path: string): string {
  return `${origin.replace(/\/$/, '')}${path}`;
}

/** One record, as an example of what a batch holds. */
function exampleBody(day: string): string {
  return JSON.stringify({
    records: [
      {
        campaign: 'c-1001',
        campaign_name: 'Spring launch',
        date: day,
        impressions: 12000,
        clicks: 340,
        spend: '1520.00',
      },
    ],
  });
}

/**
 * A shell example that signs and sends one record the way MEMS checks a webhook: HMAC-SHA256
 * of "{timestamp}." + the raw body with the source's secret, the timestamp in unix seconds.
 */
export function signingExample(url: string, day: string, secretPlaceholder: string): string {
  return [
    `SECRET='${secretPlaceholder}'`,
    `BODY='${exampleBody(day)}'`,
    'TS=$(date +%s)',
    `SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | awk '{print $NF}')`,
    `curl -X POST '${url}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "X-MEMS-Timestamp: $TS" \\`,
    `  -H "X-MEMS-Signature: sha256=$SIG" \\`,
    `  --data-raw "$BODY"`,
  ].join('\n');
}

/** The REST way in: a batch posted with an API token, naming the source it comes from. */
export function restExample(origin: string, sourceId: string, day: string, tokenPlaceholder: string): string {
  return [
    `curl -X POST '${webhookUrl(origin, `/api/v1/channel-data?source_id=${sourceId}`)}' \\`,
    `  -H 'Authorization: Bearer ${tokenPlaceholder}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  --data-raw '${exampleBody(day)}'`,
  ].join('\n');
}

const DAY_MS = 86_400_000;

/** The `days` days up to `today` (YYYY-MM-DD, both ends included), as the records call takes them. */
export function lastDays(today: string, days: number): { from: string; to: string } {
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS);
  return { from: from.toISOString().slice(0, 10), to: today };
}

function text(value: string | undefined | null): string {
  return value?.trim() ?? '';
}

/** `7.100000` → `7.1`, `1.000000` → `1`: a decimal as a person would type it. */
export function decimalText(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

function sameDecimal(a: string, b: string): boolean {
  return Number(a) === Number(b);
}

// ---- channels ---------------------------------------------------------------------------------

export interface ChannelValues {
  key?: string;
  name?: string;
  kind?: ChannelKind;
}

export function channelCreateBody(values: ChannelValues): ChannelCreate {
  return { key: text(values.key), name: text(values.name), kind: values.kind ?? 'other' };
}

/** The channel's new name and kind, if changed (its key never changes). */
export function channelUpdateBody(channel: Channel, values: ChannelValues): ChannelUpdate {
  const body: ChannelUpdate = { version: channel.version };
  const name = text(values.name);
  if (name && name !== channel.name) body.name = name;
  if (values.kind && values.kind !== channel.kind) body.kind = values.kind;
  return body;
}

// ---- campaigns --------------------------------------------------------------------------------

export interface CampaignValues {
  channel_id?: string;
  external_id?: string;
  name?: string;
  project_id?: string | null;
  status?: CampaignStatus;
  sync_spend?: boolean;
}

export function campaignCreateBody(values: CampaignValues): CampaignCreate {
  return {
    channel_id: values.channel_id ?? '',
    external_id: text(values.external_id),
    name: text(values.name),
    project_id: values.project_id ?? null,
    sync_spend: values.sync_spend ?? true,
  };
}

/** What changed of a campaign (a project unlinked becomes null), at the version read. */
export function campaignUpdateBody(campaign: Campaign, values: CampaignValues): CampaignUpdate {
  const body: CampaignUpdate = { version: campaign.version };
  const name = text(values.name);
  if (name && name !== campaign.name) body.name = name;
  const project = values.project_id ?? null;
  if (project !== campaign.project_id) body.project_id = project;
  if (values.status && values.status !== campaign.status) body.status = values.status;
  if (values.sync_spend !== undefined && values.sync_spend !== campaign.sync_spend) body.sync_spend = values.sync_spend;
  return body;
}

export function campaignValues(campaign: Campaign): CampaignValues {
  return {
    name: campaign.name,
    project_id: campaign.project_id,
    status: campaign.status,
    sync_spend: campaign.sync_spend,
  };
}

// ---- data sources -----------------------------------------------------------------------------

export interface SourceValues {
  name?: string;
  kind?: SourceKind;
  channel_id?: string | null;
  currency?: string;
  rate?: string;
  secret?: string;
}

/** A new source; a webhook's secret only when given (else the server makes one). */
export function sourceCreateBody(values: SourceValues): SourceCreate {
  const kind = values.kind ?? 'api';
  const body: SourceCreate = {
    name: text(values.name),
    kind,
    channel_id: values.channel_id ?? null,
    currency: text(values.currency).toUpperCase(),
    rate: text(values.rate) || '1',
  };
  const secret = text(values.secret);
  if (isWebhook(kind) && secret) body.secret = secret;
  return body;
}

/** What changed of a source (a channel cleared becomes null), at the version read. */
export function sourceUpdateBody(source: Source, values: SourceValues): SourceUpdate {
  const body: SourceUpdate = { version: source.version };
  const name = text(values.name);
  if (name && name !== source.name) body.name = name;
  const channel = values.channel_id ?? null;
  if (channel !== source.channel_id) body.channel_id = channel;
  const currency = text(values.currency).toUpperCase();
  if (currency && currency !== source.currency) body.currency = currency;
  const rate = text(values.rate);
  if (rate && !sameDecimal(rate, source.rate)) body.rate = rate;
  return body;
}

export function sourceValues(source: Source): SourceValues {
  return {
    name: source.name,
    kind: source.kind,
    channel_id: source.channel_id,
    currency: source.currency,
    rate: decimalText(source.rate),
  };
}
