import { batchesQuery, PENDING_REFRESH_MS, type Batch } from './api';
import {
  campaignUpdateBody,
  decimalText,
  lastDays,
  restExample,
  signingExample,
  sourceCreateBody,
  sourceUpdateBody,
  webhookUrl,
} from './model';
import { hook, linked, unlinked } from './testing';

describe('channel rules', () => {
  it('builds the webhook URL from the site and the source’s path', () => {
    expect(webhookUrl('https://mems.example.cn/', '/api/v1/hooks/s1')).toBe('https://mems.example.cn/api/v1/hooks/s1');
  });

  it('signs the example the way the server checks: HMAC-SHA256 of "{ts}." + the raw body sent', () => {
    const example = signingExample('https://mems.example.cn/api/v1/hooks/s1', '2026-11-30', 'SECRET');
    const body = /^BODY='(.*)'$/m.exec(example)![1]!;
    expect(JSON.parse(body)).toMatchObject({ records: [{ date: '2026-11-30', campaign: 'c-1001' }] });
    expect(example).toContain(`printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET"`);
    expect(example).toContain('-H "X-MEMS-Signature: sha256=$SIG"');
    expect(example).toContain('--data-raw "$BODY"');
    expect(restExample('https://mems.example.cn', 's-api', '2026-11-30', 'TOKEN')).toContain(
      "curl -X POST 'https://mems.example.cn/api/v1/channel-data?source_id=s-api'",
    );
  });

  it('asks for the 30 days up to today, across a month end', () => {
    expect(lastDays('2026-03-01', 30)).toEqual({ from: '2026-01-31', to: '2026-03-01' });
  });

  it('sends only what changed of a campaign, an unlinked project as null', () => {
    expect(campaignUpdateBody(unlinked, { name: unlinked.name, project_id: 'p2', status: 'paused' })).toEqual({
      project_id: 'p2',
      version: 3,
    });
    expect(campaignUpdateBody(linked, { project_id: undefined, sync_spend: false })).toEqual({
      project_id: null,
      sync_spend: false,
      version: 4,
    });
  });

  it('keeps a webhook secret only when given, and never for REST sources', () => {
    const base = { name: ' 推送 ', currency: 'usd', rate: '7.1', secret: 'x'.repeat(20) };
    expect(sourceCreateBody({ ...base, kind: 'webhook' })).toEqual({
      name: '推送',
      kind: 'webhook',
      channel_id: null,
      currency: 'USD',
      rate: '7.1',
      secret: 'x'.repeat(20),
    });
    expect(sourceCreateBody({ ...base, kind: 'api' })).not.toHaveProperty('secret');
    expect(sourceCreateBody({ ...base, kind: 'meta', secret: '  ' })).not.toHaveProperty('secret');
  });

  it('sees an unchanged rate whatever its trailing zeros', () => {
    expect(
      sourceUpdateBody(hook, { name: hook.name, channel_id: hook.channel_id, currency: 'CNY', rate: '1' }),
    ).toEqual({ version: 1 });
    expect(sourceUpdateBody(hook, { channel_id: undefined, rate: '1.05' })).toEqual({
      channel_id: null,
      rate: '1.05',
      version: 1,
    });
    expect(decimalText('7.100000')).toBe('7.1');
    expect(decimalText('1.000000')).toBe('1');
    expect(decimalText('10')).toBe('10');
  });

  it('refreshes the deliveries while one is pending, and only then', () => {
    const interval = batchesQuery('s-hook').refetchInterval as (query: unknown) => number | false;
    const withItems = (status: Batch['status']) => ({ state: { data: { items: [{ status }] } } });
    expect(interval(withItems('pending'))).toBe(PENDING_REFRESH_MS);
    expect(interval(withItems('done'))).toBe(false);
    expect(interval({ state: { data: undefined } })).toBe(false);
  });
});
