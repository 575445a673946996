import i18n from '@/i18n';
import type { NoticeChannel, Rule } from './api';
import {
  conditionText,
  figures,
  formatMetric,
  noticeCreateBody,
  noticeUpdateBody,
  ruleCreateBody,
  ruleUpdateBody,
  ruleValues,
  shiftDecimal,
  thresholdFromInput,
  thresholdPattern,
  thresholdToInput,
  windowText,
} from './model';

const t = i18n.getFixedT('zh-CN');

describe('shiftDecimal', () => {
  it.each([
    ['0.0123', 2, '1.23'],
    ['1.5', -2, '0.015'],
    ['80', -2, '0.8'],
    ['0.008000', 2, '0.8'],
    ['-12.5', -2, '-0.125'],
    ['120.000000', 0, '120'],
    ['0', 2, '0'],
    ['-0.00', 2, '0'],
    ['0.000001', 2, '0.0001'],
    ['7', 3, '7000'],
  ])('moves the point of %s by %i: %s', (value, places, expected) => {
    expect(shiftDecimal(value, places)).toBe(expected);
  });

  it('goes there and back exactly, where a float would not', () => {
    for (const typed of ['1.1', '0.07', '12.3456', '0.0001', '99.99']) {
      expect(shiftDecimal(shiftDecimal(typed, -2), 2)).toBe(typed);
    }
    expect(Number('0.07') / 100).not.toBe(0.0007); // why the string shift
    expect(shiftDecimal('0.07', -2)).toBe('0.0007');
  });
});

describe('formatMetric', () => {
  it('shows ratios as percents, money in yuan, ROAS with two decimals and counts whole', () => {
    expect(formatMetric('ctr', '0.0123')).toBe('1.23%');
    expect(formatMetric('cvr', '0.045000')).toBe('4.5%');
    expect(formatMetric('roi', '-0.25')).toBe('-25%');
    expect(formatMetric('cpa', '135.5')).toBe('¥135.50');
    expect(formatMetric('spend', '15230.5')).toBe('¥15,230.50');
    expect(formatMetric('cpm', '38', 'en')).toBe('CN¥38.00');
    expect(formatMetric('roas', '2.4')).toBe('2.40');
    expect(formatMetric('impressions', '1200000')).toBe('1,200,000');
    expect(formatMetric('ctr', null)).toBe('—');
    expect(formatMetric('ctr', 'abc')).toBe('—');
  });

  it('lists an alert’s figures: its own first, each sum in its own unit', () => {
    const rows = figures({
      metric: 'ctr',
      numbers: { spend: '100', impressions: '5000', clicks: '40', value: '0.008', threshold: '0.01', custom_x: '3' },
    });
    expect(rows.map((r) => [r.key, r.value])).toEqual([
      ['value', '0.8%'],
      ['threshold', '1%'],
      ['impressions', '5,000'],
      ['clicks', '40'],
      ['spend', '¥100.00'],
      ['custom_x', '3'],
    ]);
    expect(rows[0]!.labelKey).toBe('alerts.figures.value');
    expect(rows[2]!.labelKey).toBe('alerts.metrics.impressions');
  });
});

describe('words', () => {
  it('reads a condition and a window', () => {
    expect(conditionText(t, { metric: 'ctr', comparator: 'lt', threshold: '80', relative: true })).toBe(
      'CTR < 行业基准的 80%',
    );
    expect(conditionText(t, { metric: 'ctr', comparator: 'le', threshold: '0.015', relative: false })).toBe(
      'CTR ≤ 1.5%',
    );
    expect(conditionText(t, { metric: 'cpa', comparator: 'gt', threshold: '120', relative: false })).toBe(
      'CPA > ¥120.00',
    );
    expect(conditionText(t, { metric: 'clicks', comparator: 'ge', threshold: '1000', relative: false })).toBe(
      '点击数 ≥ 1,000',
    );
    expect(windowText(t, 'day', 7)).toBe('近 7 天');
    expect(windowText(t, 'hour', 24)).toBe('近 24 小时');
    expect(windowText(t, 'day', 1)).toBe('当天');
  });
});

describe('the rule form', () => {
  it('takes a percent for a ratio and sends the fraction; money and relative rules as typed', () => {
    expect(thresholdFromInput('ctr', false, ' 1.5 ')).toBe('0.015');
    expect(thresholdFromInput('roi', false, '-10')).toBe('-0.1');
    expect(thresholdFromInput('ctr', true, '80')).toBe('80');
    expect(thresholdFromInput('cpa', false, '120.50')).toBe('120.5');
    expect(thresholdToInput('ctr', false, '0.015000')).toBe('1.5');
    expect(thresholdToInput('ctr', true, '80.000000')).toBe('80');
    expect(thresholdToInput('cpc', false, '2.500000')).toBe('2.5');
  });

  it('accepts what each unit allows', () => {
    expect(thresholdPattern('ctr', false).test('1.2345')).toBe(true);
    expect(thresholdPattern('ctr', false).test('1.23456')).toBe(false); // beyond the six stored places
    expect(thresholdPattern('roi', false).test('-5')).toBe(true);
    expect(thresholdPattern('cpa', false).test('120.555')).toBe(false);
    expect(thresholdPattern('clicks', false).test('10.5')).toBe(false);
    expect(thresholdPattern('ctr', true).test('0')).toBe(false); // a percent of the benchmark is more than zero
    expect(thresholdPattern('ctr', true).test('80')).toBe(true);
  });

  it('names one target of the scope, none for each, and a benchmark kind only where asked', () => {
    const base = {
      name: ' x ',
      metric: 'ctr' as const,
      threshold: '80',
      relative: true,
      benchmark_kind: 'feed' as const,
    };
    const org = ruleCreateBody({ ...base, scope_kind: 'org', channel_id: 'stale' });
    expect(org).toMatchObject({
      name: 'x',
      scope_kind: 'org',
      relative: true,
      threshold: '80',
      benchmark_kind: 'feed',
    });
    expect(org).not.toHaveProperty('channel_id');
    const channel = ruleCreateBody({ ...base, scope_kind: 'channel', channel_id: 'ch1', project_id: 'p1' });
    expect(channel).toMatchObject({ channel_id: 'ch1' });
    expect(channel).not.toHaveProperty('project_id');
    expect(channel).not.toHaveProperty('benchmark_kind'); // a channel's own kind applies
    // A count has no benchmark: the switch left on does not make the rule relative.
    const count = ruleCreateBody({ ...base, metric: 'clicks', threshold: '100', scope_kind: 'project' });
    expect(count).toMatchObject({ relative: false, threshold: '100' });
    expect(count).not.toHaveProperty('benchmark_kind');
  });

  const rule: Rule = {
    id: 'r',
    name: 'CTR',
    metric: 'ctr',
    comparator: 'lt',
    threshold: '0.008000',
    relative: false,
    scope_kind: 'project',
    scope_id: null,
    scope_label: null,
    benchmark_kind: null,
    window_unit: 'day',
    window_size: 7,
    min_volume: '1000.00',
    severity: 'warning',
    cooldown_minutes: 1440,
    active: true,
    open_alerts: 0,
    version: 9,
  };

  it('sends nothing but the version when nothing changed', () => {
    expect(ruleUpdateBody(rule, ruleValues(rule))).toEqual({ version: 9 });
  });

  it('sends a switch to relative with its benchmark kind, and a cleared minimum volume as null', () => {
    const values = {
      ...ruleValues(rule),
      relative: true,
      threshold: '80',
      benchmark_kind: 'search' as const,
      min_volume: '',
    };
    expect(ruleUpdateBody(rule, values)).toEqual({
      version: 9,
      relative: true,
      threshold: '80',
      benchmark_kind: 'search',
      min_volume: null,
    });
  });
});

describe('the notification channel form', () => {
  const bot: NoticeChannel = {
    id: 'n',
    name: 'bot',
    kind: 'dingtalk',
    url: 'https://oapi.dingtalk.com/…',
    has_secret: true,
    emails: [],
    min_severity: 'warning',
    allow_private: false,
    active: true,
    version: 2,
  };

  it('sends allow_private only from someone who may set it', () => {
    const values = { name: 'n', kind: 'webhook' as const, url: 'http://10.0.0.1/x', allow_private: true };
    expect(noticeCreateBody(values, false).allow_private).toBe(false);
    expect(noticeCreateBody(values, true).allow_private).toBe(true);
    expect(noticeUpdateBody(bot, { allow_private: true }, false)).toEqual({ version: 2 });
    expect(noticeUpdateBody(bot, { allow_private: true }, true)).toEqual({ version: 2, allow_private: true });
  });

  it('sends e-mail addresses for e-mail, a URL and secret for a bot', () => {
    expect(
      noticeCreateBody({ name: 'm', kind: 'email', emails: [' a@x.cn', 'a@x.cn', 'b@x.cn'], url: 'x' }, false),
    ).toEqual({
      name: 'm',
      kind: 'email',
      emails: ['a@x.cn', 'b@x.cn'],
      min_severity: 'warning',
      allow_private: false,
      active: true,
    });
    // WeCom and Slack carry their token in the URL: no secret is sent.
    expect(
      noticeCreateBody({ name: 'w', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/x?key=1', secret: 's' }, false),
    ).not.toHaveProperty('secret');
  });

  it('keeps the stored URL and secret unless replaced, or the secret dropped', () => {
    expect(noticeUpdateBody(bot, { url: '  ', secret: '' }, false)).toEqual({ version: 2 });
    expect(noticeUpdateBody(bot, { url: 'https://oapi.dingtalk.com/robot/send?access_token=n' }, false)).toEqual({
      version: 2,
      url: 'https://oapi.dingtalk.com/robot/send?access_token=n',
    });
    expect(noticeUpdateBody(bot, { clear_secret: true }, false)).toEqual({ version: 2, secret: null });
    expect(noticeUpdateBody(bot, { secret: 'SECnew', clear_secret: true }, false)).toEqual({
      version: 2,
      secret: 'SECnew',
    });
  });
});
