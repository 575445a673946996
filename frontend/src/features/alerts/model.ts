import type { TFunction } from 'i18next';
import { formatDecimal, formatMoney, type DisplayLocale } from '@/lib/format';
import type {
  Alert,
  AlertState,
  BenchmarkKind,
  Comparator,
  Metric,
  NoticeChannel,
  NoticeChannelCreate,
  NoticeChannelUpdate,
  NoticeKind,
  Rule,
  RuleCreate,
  RuleUpdate,
  ScopeKind,
  Severity,
  WindowUnit,
} from './api';

/**
 * The rules of the alert pages as plain functions: how a metric's figures read (ratios as
 * percents, money in yuan, counts whole), how a rule's condition reads in words, and what the
 * rule and notification-channel forms send — a percent typed for a ratio becomes the fraction
 * the server compares, and an edit sends only what changed, at the version read.
 */

// ---- metrics ----------------------------------------------------------------------------------

/** Every metric a rule may watch, in the order the form offers them. */
export const METRICS: readonly Metric[] = [
  'ctr',
  'cvr',
  'cpc',
  'cpm',
  'cpa',
  'roas',
  'roi',
  'impressions',
  'clicks',
  'conversions',
  'leads',
  'followers',
  'spend',
  'revenue',
];

/** How a metric's figures read: a percent of a fraction, yuan, a plain ratio, or a whole count. */
export type MetricUnit = 'percent' | 'money' | 'ratio' | 'count';

// The budget metrics (spend_pace, budget_use) are fractions too; alerts may carry them.
const PERCENT = new Set(['ctr', 'cvr', 'roi', 'spend_pace', 'budget_use', 'elapsed_share']);
const MONEY = new Set(['spend', 'revenue', 'cpc', 'cpm', 'cpa', 'budget']);

export function metricUnit(metric: string): MetricUnit {
  if (PERCENT.has(metric)) return 'percent';
  if (MONEY.has(metric)) return 'money';
  if (metric === 'roas') return 'ratio';
  return 'count';
}

/** Metrics with an industry benchmark, so a rule on them may be relative ("< 80 % of the benchmark"). */
export const RELATIVE_METRICS: ReadonlySet<string> = new Set(['ctr', 'cvr', 'cpc', 'cpm', 'cpa', 'roas']);

/** What a metric's volume is counted in (its denominator): a rule judges nothing below its minimum. */
const VOLUME_OF: Readonly<Record<string, Metric>> = {
  ctr: 'impressions',
  cvr: 'clicks',
  cpc: 'clicks',
  cpm: 'impressions',
  cpa: 'conversions',
  roas: 'spend',
  roi: 'spend',
};

export function volumeOf(metric: string): string {
  return VOLUME_OF[metric] ?? metric;
}

export const COMPARATORS: readonly Comparator[] = ['lt', 'le', 'gt', 'ge'];
export const COMPARATOR_SYMBOLS: Record<Comparator, string> = { lt: '<', le: '≤', gt: '>', ge: '≥' };
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
export const SCOPE_KINDS: readonly ScopeKind[] = ['org', 'channel', 'project', 'campaign'];
export const BENCHMARK_KINDS: readonly BenchmarkKind[] = [
  'short_video',
  'content',
  'social',
  'search',
  'feed',
  'ecommerce',
  'other',
];
export const WINDOW_UNITS: readonly WindowUnit[] = ['day', 'hour'];

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A decimal string with its point moved `places` to the right (left when negative), exactly:
 * "0.0123" by 2 is "1.23", "1.5" by −2 is "0.015". Not a decimal: returned as it came.
 */
export function shiftDecimal(value: string, places: number): string {
  const match = DECIMAL.exec(value.trim());
  if (!match) return value;
  const [, sign = '', whole = '', fraction = ''] = match;
  let digits = whole + fraction;
  let point = whole.length + places;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : int;
  return sign && /[1-9]/.test(text) ? `-${text}` : text;
}

/** `7.100000` → `7.1`, `80.000000` → `80`: a decimal as a person types it. */
export function decimalText(value: string): string {
  return shiftDecimal(value, 0);
}

function localeTag(locale: DisplayLocale): string {
  return locale === 'en' ? 'en-US' : 'zh-CN';
}

/**
 * A metric's figure as people read it: a ratio as a percent (0.0123 → 1.23%), money in yuan
 * (¥1,520.50), ROAS with two decimals, counts whole with separators. Exact: the decimal
 * string is formatted, never a float.
 */
export function formatMetric(
  metric: string,
  value: string | null | undefined,
  locale: DisplayLocale = 'zh-CN',
): string {
  if (value === null || value === undefined || !DECIMAL.test(value.trim())) return '—';
  switch (metricUnit(metric)) {
    case 'percent':
      return `${formatDecimal(shiftDecimal(value, 2), locale, 2)}%`;
    case 'money':
      return formatMoney(value.trim(), 'CNY', locale);
    case 'ratio':
      return new Intl.NumberFormat(localeTag(locale), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
        value.trim() as unknown as number,
      );
    case 'count':
      return formatDecimal(value, locale, 0);
  }
}

/** The short name in a condition ("CTR", "消耗"); the full one is `alerts.metrics.<m>`. */
export function metricShortKey(metric: string): string {
  return `alerts.metricShort.${metric}`;
}

// ---- an alert ---------------------------------------------------------------------------------

/** Only an open alert is acknowledged; an open or acknowledged one is resolved. */
export function canAcknowledge(state: AlertState): boolean {
  return state === 'open';
}

export function canResolve(state: AlertState): boolean {
  return state !== 'resolved';
}

/** The figures that come first in an alert's table, then its sums in this order; others after. */
const FIGURE_ORDER = [
  'value',
  'threshold',
  'benchmark',
  'impressions',
  'clicks',
  'conversions',
  'leads',
  'followers',
  'spend',
  'revenue',
  'budget',
  'elapsed_share',
];

/** Figures named as such (not metrics): the alert's own value, threshold, benchmark, and budget pace. */
const OWN_FIGURES = new Set(['value', 'threshold', 'benchmark', 'budget', 'elapsed_share']);

export interface Figure {
  key: string;
  /** The i18n key of its name (a figure not known here goes by its key as default). */
  labelKey: string;
  value: string;
}

/**
 * An alert's `numbers` as table rows: the value, the threshold and the benchmark in the
 * alert's metric, every sum in its own unit.
 */
export function figures(alert: Pick<Alert, 'metric' | 'numbers'>, locale: DisplayLocale = 'zh-CN'): Figure[] {
  const rank = (key: string) => {
    const i = FIGURE_ORDER.indexOf(key);
    return i < 0 ? FIGURE_ORDER.length : i;
  };
  return Object.entries(alert.numbers)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([key, value]) => ({
      key,
      labelKey: OWN_FIGURES.has(key) ? `alerts.figures.${key}` : `alerts.metrics.${key}`,
      // The value, threshold and benchmark are in the alert's metric; a sum in its own.
      value: formatMetric(['value', 'threshold', 'benchmark'].includes(key) ? alert.metric : key, value, locale),
    }));
}

const relativeFormatters = new Map<DisplayLocale, Intl.RelativeTimeFormat>();

/** "3 分钟前", "2 hours ago": how long ago a moment was, in the largest unit that fits. */
export function relativeTime(moment: string, now: Date, locale: DisplayLocale = 'zh-CN'): string {
  let formatter = relativeFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.RelativeTimeFormat(localeTag(locale), { numeric: 'auto' });
    relativeFormatters.set(locale, formatter);
  }
  const seconds = Math.round((new Date(moment).getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return formatter.format(0, 'second');
  if (abs < 3600) return formatter.format(Math.trunc(seconds / 60), 'minute');
  if (abs < 86400) return formatter.format(Math.trunc(seconds / 3600), 'hour');
  if (abs < 30 * 86400) return formatter.format(Math.trunc(seconds / 86400), 'day');
  if (abs < 365 * 86400) return formatter.format(Math.trunc(seconds / (30 * 86400)), 'month');
  return formatter.format(Math.trunc(seconds / (365 * 86400)), 'year');
}

// ---- words ------------------------------------------------------------------------------------

/** "近 7 天", "last 24 hours"; a one-day window is today. */
export function windowText(t: TFunction, unit: WindowUnit, size: number): string {
  if (size === 1) return t(unit === 'day' ? 'alerts.window.today' : 'alerts.window.lastHour');
  return t(unit === 'day' ? 'alerts.window.days' : 'alerts.window.hours', { size });
}

/** A rule's or alert's scope: its label, the organisation, or each of its kind. */
export function scopeText(t: TFunction, kind: ScopeKind, label: string | null | undefined): string {
  if (kind === 'org') return t('alerts.scope.org');
  return label || t(`alerts.scope.each.${kind}`);
}

export interface Condition {
  metric: string;
  comparator: Comparator;
  /** As the server holds it: a fraction for a ratio, a percent of the benchmark when relative. */
  threshold: string;
  relative: boolean;
}

/** "CTR < 1.5%", "CPA > ¥120.00", "CTR < 行业基准的 80%". */
export function conditionText(t: TFunction, condition: Condition, locale: DisplayLocale = 'zh-CN'): string {
  const metric = t(metricShortKey(condition.metric));
  const op = COMPARATOR_SYMBOLS[condition.comparator];
  if (condition.relative) {
    return t('alerts.condition.relative', {
      metric,
      op,
      percent: formatDecimal(condition.threshold, locale, 4),
    });
  }
  return t('alerts.condition.absolute', {
    metric,
    op,
    threshold: formatMetric(condition.metric, condition.threshold, locale),
  });
}

// ---- the rule form ----------------------------------------------------------------------------

/** The rule form's fields; the threshold as typed (a percent for a ratio or a relative rule). */
export interface RuleValues {
  name?: string;
  metric?: Metric;
  comparator?: Comparator;
  threshold?: string;
  relative?: boolean;
  scope_kind?: ScopeKind;
  channel_id?: string | null;
  project_id?: string | null;
  campaign_id?: string | null;
  benchmark_kind?: BenchmarkKind | null;
  window_unit?: WindowUnit;
  window_size?: number | null;
  min_volume?: string | null;
  severity?: Severity;
  cooldown_minutes?: number | null;
  active?: boolean;
}

export const RULE_DEFAULTS: RuleValues = {
  metric: 'ctr',
  comparator: 'lt',
  relative: false,
  scope_kind: 'channel',
  window_unit: 'day',
  window_size: 7,
  severity: 'warning',
  cooldown_minutes: 24 * 60,
  active: true,
};

/** Whether the threshold is typed as a percent: of the benchmark (relative), or of a ratio metric. */
export function typedAsPercent(metric: string | undefined, relative: boolean | undefined): boolean {
  return !!relative || (!!metric && metricUnit(metric) === 'percent');
}

/** A relative rule only for a metric with a benchmark. */
export function isRelative(values: Pick<RuleValues, 'metric' | 'relative'>): boolean {
  return !!values.relative && !!values.metric && RELATIVE_METRICS.has(values.metric);
}

/** A relative rule on the organisation or a project names whose benchmark applies (by channel kind). */
export function needsBenchmarkKind(values: Pick<RuleValues, 'metric' | 'relative' | 'scope_kind'>): boolean {
  return isRelative(values) && (values.scope_kind === 'org' || values.scope_kind === 'project');
}

/** The threshold the server compares with, from what was typed: 1.5 (%) for CTR → 0.015. */
export function thresholdFromInput(metric: string, relative: boolean, typed: string): string {
  const text = typed.trim();
  return !relative && metricUnit(metric) === 'percent' ? shiftDecimal(text, -2) : decimalText(text);
}

/** A stored threshold as it is typed again: 0.015000 for CTR → 1.5; 80.000000 of the benchmark → 80. */
export function thresholdToInput(metric: string, relative: boolean, threshold: string): string {
  return !relative && metricUnit(metric) === 'percent' ? shiftDecimal(threshold, 2) : decimalText(threshold);
}

/**
 * What a threshold may be typed as: a positive percent of the benchmark; a percent with up to
 * four decimals (a ratio is stored to six places; ROI may be negative); yuan to the fen; a
 * plain ratio; a whole count.
 */
export function thresholdPattern(metric: string | undefined, relative: boolean): RegExp {
  if (relative) return /^(?=.*[1-9])\d{1,6}(\.\d{1,4})?$/;
  switch (metricUnit(metric ?? 'ctr')) {
    case 'percent':
      return /^-?\d{1,8}(\.\d{1,4})?$/;
    case 'money':
      return /^\d{1,12}(\.\d{1,2})?$/;
    case 'ratio':
      return /^\d{1,8}(\.\d{1,4})?$/;
    case 'count':
      return /^\d{1,12}$/;
  }
}

function text(value: string | null | undefined): string {
  return value?.trim() ?? '';
}

function condition(values: RuleValues) {
  const metric = values.metric ?? 'ctr';
  const relative = isRelative(values);
  return { metric, relative, threshold: thresholdFromInput(metric, relative, values.threshold ?? '') };
}

/** A new rule: its scope's one target (none: each of the kind), a benchmark kind only where one is asked for. */
export function ruleCreateBody(values: RuleValues): RuleCreate {
  const scope = values.scope_kind ?? 'org';
  const { metric, relative, threshold } = condition(values);
  const body: RuleCreate = {
    name: text(values.name),
    metric,
    comparator: values.comparator ?? 'lt',
    threshold,
    relative,
    scope_kind: scope,
    window_unit: values.window_unit ?? 'day',
    window_size: values.window_size ?? 7,
    min_volume: text(values.min_volume) || null,
    severity: values.severity ?? 'warning',
    cooldown_minutes: values.cooldown_minutes ?? 24 * 60,
    active: values.active ?? true,
  };
  const target = { channel: values.channel_id, project: values.project_id, campaign: values.campaign_id }[
    scope as Exclude<ScopeKind, 'org'>
  ];
  if (scope !== 'org' && target) body[`${scope}_id`] = target;
  if (needsBenchmarkKind({ ...values, scope_kind: scope })) body.benchmark_kind = values.benchmark_kind ?? null;
  return body;
}

function sameDecimal(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return decimalText(a) === decimalText(b);
}

/** What changed of a rule (its scope stays), at the version read. */
export function ruleUpdateBody(rule: Rule, values: RuleValues): RuleUpdate {
  const body: RuleUpdate = { version: rule.version };
  const name = text(values.name);
  if (name && name !== rule.name) body.name = name;
  const { metric, relative, threshold } = condition(values);
  if (metric !== rule.metric) body.metric = metric;
  if (values.comparator && values.comparator !== rule.comparator) body.comparator = values.comparator;
  if (relative !== rule.relative) body.relative = relative;
  if (!sameDecimal(threshold, rule.threshold)) body.threshold = threshold;
  const kind = needsBenchmarkKind({ ...values, scope_kind: rule.scope_kind }) ? (values.benchmark_kind ?? null) : null;
  if (kind !== (rule.benchmark_kind ?? null)) body.benchmark_kind = kind;
  if (values.window_unit && values.window_unit !== rule.window_unit) body.window_unit = values.window_unit;
  if (values.window_size && values.window_size !== rule.window_size) body.window_size = values.window_size;
  const volume = text(values.min_volume) || null;
  if (!sameDecimal(volume, rule.min_volume)) body.min_volume = volume;
  if (values.severity && values.severity !== rule.severity) body.severity = values.severity;
  if (values.cooldown_minutes != null && values.cooldown_minutes !== rule.cooldown_minutes) {
    body.cooldown_minutes = values.cooldown_minutes;
  }
  if (values.active !== undefined && values.active !== rule.active) body.active = values.active;
  return body;
}

/** A rule as its form shows it: the threshold as typed (a percent for a ratio). */
export function ruleValues(rule: Rule): RuleValues {
  return {
    name: rule.name,
    metric: rule.metric as Metric,
    comparator: rule.comparator,
    threshold: thresholdToInput(rule.metric, rule.relative, rule.threshold),
    relative: rule.relative,
    scope_kind: rule.scope_kind,
    benchmark_kind: (rule.benchmark_kind as BenchmarkKind | null) ?? null,
    window_unit: rule.window_unit,
    window_size: rule.window_size,
    min_volume: rule.min_volume === null ? null : decimalText(rule.min_volume),
    severity: rule.severity,
    cooldown_minutes: rule.cooldown_minutes,
    active: rule.active,
  };
}

// ---- notification channels --------------------------------------------------------------------

export const NOTICE_KINDS: readonly NoticeKind[] = ['feishu', 'dingtalk', 'wecom', 'slack', 'webhook', 'email'];

/** Feishu and DingTalk bots sign with a secret when their signing is on; a generic webhook signs with HMAC. */
export function usesSecret(kind: string | undefined): boolean {
  return kind === 'feishu' || kind === 'dingtalk' || kind === 'webhook';
}

export interface NoticeValues {
  name?: string;
  kind?: NoticeKind;
  url?: string;
  secret?: string;
  /** Editing: drop the stored secret. */
  clear_secret?: boolean;
  emails?: string[];
  min_severity?: Severity;
  allow_private?: boolean;
}

function emailsOf(values: NoticeValues): string[] {
  return [...new Set((values.emails ?? []).map((e) => e.trim()).filter(Boolean))];
}

/**
 * A new notification channel: a URL (and secret, where the kind signs) or e-mail addresses.
 * `allow_private` only from someone who may set it (admins); others never send it.
 */
export function noticeCreateBody(values: NoticeValues, mayAllowPrivate: boolean): NoticeChannelCreate {
  const kind = values.kind ?? 'feishu';
  const body: NoticeChannelCreate = {
    name: text(values.name),
    kind,
    min_severity: values.min_severity ?? 'warning',
    allow_private: mayAllowPrivate && !!values.allow_private,
    active: true,
  };
  if (kind === 'email') body.emails = emailsOf(values);
  else body.url = text(values.url);
  const secret = text(values.secret);
  if (usesSecret(kind) && secret) body.secret = secret;
  return body;
}

/**
 * What changed of a channel, at the version read. The server shows a URL cut after its host
 * (the path may hold the token), so the URL is sent only when a new one is typed; likewise the
 * secret, or null to drop it.
 */
export function noticeUpdateBody(
  channel: NoticeChannel,
  values: NoticeValues,
  mayAllowPrivate: boolean,
): NoticeChannelUpdate {
  const body: NoticeChannelUpdate = { version: channel.version };
  const name = text(values.name);
  if (name && name !== channel.name) body.name = name;
  if (channel.kind === 'email') {
    const emails = emailsOf(values);
    if (emails.join('\n') !== channel.emails.join('\n')) body.emails = emails;
  } else {
    const url = text(values.url);
    if (url) body.url = url;
  }
  if (usesSecret(channel.kind)) {
    const secret = text(values.secret);
    if (secret) body.secret = secret;
    else if (values.clear_secret && channel.has_secret) body.secret = null;
  }
  if (values.min_severity && values.min_severity !== channel.min_severity) body.min_severity = values.min_severity;
  if (mayAllowPrivate && values.allow_private !== undefined && values.allow_private !== channel.allow_private) {
    body.allow_private = values.allow_private;
  }
  return body;
}

export function noticeValues(channel: NoticeChannel): NoticeValues {
  return {
    name: channel.name,
    kind: channel.kind as NoticeKind,
    emails: channel.emails,
    min_severity: channel.min_severity,
    allow_private: channel.allow_private,
  };
}
