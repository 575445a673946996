/** Pure rules of the strategy pages: ordering, tree shaping, value formatting. No React here. */
import { formatDecimal, formatMoney, type DisplayLocale } from '@/lib/format';
import type { ProgressValue } from '@/lib/strategy';
import type { Direction, Goal, GoalLevel, GoalNode, Kpi, Period } from './api';

// ---- periods -------------------------------------------------------------------------------

export interface PeriodOption {
  period: Period;
  /** 0 for a year (or a quarter whose year is missing), 1 for a quarter under its year. */
  depth: number;
}

const newestFirst = (a: Period, b: Period) => b.starts_on.localeCompare(a.starts_on) || a.name.localeCompare(b.name);

/** Years newest first, each followed by its own quarters (newest first). */
export function orderPeriods(periods: readonly Period[]): PeriodOption[] {
  const years = periods.filter((p) => p.kind === 'year').sort(newestFirst);
  const yearIds = new Set(years.map((y) => y.id));
  const quarters = periods.filter((p) => p.kind !== 'year').sort(newestFirst);
  const out: PeriodOption[] = [];
  for (const year of years) {
    out.push({ period: year, depth: 0 });
    for (const q of quarters) if (q.parent_id === year.id) out.push({ period: q, depth: 1 });
  }
  for (const q of quarters) if (!q.parent_id || !yearIds.has(q.parent_id)) out.push({ period: q, depth: 0 });
  return out;
}

export interface PeriodGuess {
  kind: 'year' | 'quarter';
  starts_on: string;
  ends_on: string;
  /** The year's name a quarter belongs to, e.g. "2027" for "2027Q1". */
  year: string;
}

const QUARTER_BOUNDS: Record<string, [string, string]> = {
  '1': ['01-01', '03-31'],
  '2': ['04-01', '06-30'],
  '3': ['07-01', '09-30'],
  '4': ['10-01', '12-31'],
};

/** Dates for a conventional period name: "2027" is that year, "2027Q1" (or "2027 Q1") its quarter. */
export function guessPeriod(name: string): PeriodGuess | null {
  const text = name.trim();
  const year = /^(\d{4})$/.exec(text);
  if (year) return { kind: 'year', starts_on: `${year[1]}-01-01`, ends_on: `${year[1]}-12-31`, year: text };
  const quarter = /^(\d{4})\s*[-_ ]?\s*[Qq]([1-4])$/.exec(text);
  if (quarter) {
    const [, y = '', q = ''] = quarter;
    const [from, to] = QUARTER_BOUNDS[q] ?? ['01-01', '03-31'];
    return { kind: 'quarter', starts_on: `${y}-${from}`, ends_on: `${y}-${to}`, year: y };
  }
  return null;
}

// ---- goals ---------------------------------------------------------------------------------

export const GOAL_LEVELS = ['company', 'department', 'team', 'individual'] as const satisfies readonly GoalLevel[];

export const LEVEL_COLORS: Record<GoalLevel, string> = {
  company: 'purple',
  department: 'blue',
  team: 'cyan',
  individual: 'green',
};

/** The level a new sub-goal most likely has: one step below its parent. */
export function childLevel(parent: GoalLevel | null | undefined): GoalLevel {
  if (!parent) return 'company';
  const i = GOAL_LEVELS.indexOf(parent);
  return GOAL_LEVELS[Math.min(i + 1, GOAL_LEVELS.length - 1)] ?? 'individual';
}

export interface GoalBranch {
  goal: Goal;
  children: GoalBranch[];
}

/**
 * A period's flat goal list as a forest (parents before children, siblings in the given
 * order). Goals whose parent is missing from the list become roots, so none is lost.
 */
export function buildForest(goals: readonly Goal[]): GoalBranch[] {
  const ids = new Set(goals.map((g) => g.id));
  const childrenOf = new Map<string | null, Goal[]>();
  for (const g of goals) {
    const key = g.parent_id && ids.has(g.parent_id) ? g.parent_id : null;
    childrenOf.set(key, [...(childrenOf.get(key) ?? []), g]);
  }
  const seen = new Set<string>();
  const grow = (goal: Goal): GoalBranch => {
    seen.add(goal.id);
    const children = (childrenOf.get(goal.id) ?? []).filter((c) => !seen.has(c.id)).map(grow);
    return { goal, children };
  };
  return (childrenOf.get(null) ?? []).map(grow);
}

/** The goal and everything under it: what it may not be moved under. */
export function subtreeIds(goals: readonly Goal[], goalId: string): Set<string> {
  const out = new Set<string>([goalId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const g of goals) {
      if (g.parent_id && out.has(g.parent_id) && !out.has(g.id)) {
        out.add(g.id);
        grew = true;
      }
    }
  }
  return out;
}

/** Every goal id in these trees (to expand or collapse them all). */
export function nodeIds(nodes: readonly GoalNode[]): string[] {
  return nodes.flatMap((n) => [n.goal.id, ...nodeIds(n.children)]);
}

export interface TreeSummary {
  goals: number;
  kpis: number;
  /** Goals flagged because no KPI exists anywhere under them. */
  unmeasured: number;
  /** The top-level goals' progress, weighted like the server rolls sub-goals up. */
  progress: ProgressValue | null;
}

function count(node: GoalNode): { goals: number; kpis: number; unmeasured: number } {
  return node.children
    .map(count)
    .reduce(
      (sum, c) => ({ goals: sum.goals + c.goals, kpis: sum.kpis + c.kpis, unmeasured: sum.unmeasured + c.unmeasured }),
      { goals: 1, kpis: node.key_results.length, unmeasured: node.unmeasured ? 1 : 0 },
    );
}

/**
 * Counts over a period's trees, and the weighted mean of the top-level goals' progress
 * (unmeasured goals left out; when every weight left is zero they count equally).
 */
export function summarize(nodes: readonly GoalNode[]): TreeSummary {
  const totals = nodes
    .map(count)
    .reduce((s, c) => ({ goals: s.goals + c.goals, kpis: s.kpis + c.kpis, unmeasured: s.unmeasured + c.unmeasured }), {
      goals: 0,
      kpis: 0,
      unmeasured: 0,
    });
  let parts = nodes.flatMap((n) => (n.goal.progress ? [{ w: Number(n.goal.weight), p: n.goal.progress }] : []));
  let total = parts.reduce((s, x) => s + (Number.isFinite(x.w) ? x.w : 0), 0);
  if (parts.length > 0 && total <= 0) {
    parts = parts.map((x) => ({ ...x, w: 1 }));
    total = parts.length;
  }
  const progress =
    parts.length === 0
      ? null
      : {
          capped: parts.reduce((s, x) => s + x.w * x.p.capped, 0) / total,
          uncapped: parts.reduce((s, x) => s + x.w * x.p.uncapped, 0) / total,
        };
  return { ...totals, progress };
}

// ---- KPIs ----------------------------------------------------------------------------------

/** An API decimal for an input box, without padding zeros: "2.5000" → "2.5", "12000.0000" → "12000". */
export function trimDecimal(value: string): string {
  return /^-?\d+\.\d+$/.test(value) ? value.replace(/\.?0+$/, '') : value;
}

/** Units that are money, shown with the currency sign; the rest are counts or rates. */
const MONEY_UNITS: Record<string, string> = {
  CNY: 'CNY',
  RMB: 'CNY',
  元: 'CNY',
  '¥': 'CNY',
  USD: 'USD',
  EUR: 'EUR',
  HKD: 'HKD',
};

export function moneyCurrency(unit: string): string | null {
  return MONEY_UNITS[unit.trim()] ?? MONEY_UNITS[unit.trim().toUpperCase()] ?? null;
}

function withUnit(number: string, unit: string, locale: DisplayLocale): string {
  const u = unit.trim();
  if (!u) return number;
  if (u === '%' || locale === 'zh-CN') return `${number}${u}`;
  return `${number} ${u}`;
}

/** A KPI value with its unit: ¥52.00, 2.9%, 38,200人 (14,650 万次 in English). */
export function formatKpiValue(
  value: string | null | undefined,
  unit: string,
  locale: DisplayLocale = 'zh-CN',
): string {
  if (value === null || value === undefined || value === '') return '—';
  const currency = moneyCurrency(unit);
  if (currency) return formatMoney(value, currency, locale);
  const number = formatDecimal(value, locale);
  return number === '—' ? number : withUnit(number, unit, locale);
}

/** Baseline → target, the unit said once: "12,000 → 15,600万次", "¥68.00 → ¥45.00". */
export function formatKpiRange(
  kpi: Pick<Kpi, 'baseline' | 'target' | 'unit'>,
  locale: DisplayLocale = 'zh-CN',
): string {
  const currency = moneyCurrency(kpi.unit);
  if (currency) return `${formatMoney(kpi.baseline, currency, locale)} → ${formatMoney(kpi.target, currency, locale)}`;
  const from = formatDecimal(kpi.baseline, locale);
  const to = formatDecimal(kpi.target, locale);
  if (kpi.unit.trim() === '%') return `${from}% → ${to}%`;
  return `${from} → ${withUnit(to, kpi.unit, locale)}`;
}

/**
 * What a value would achieve, by the server's formula: how far it moved from the baseline
 * toward the target. For previewing a check-in before it is saved.
 */
export function attainmentOf(
  baseline: string,
  target: string,
  value: string | number | null | undefined,
): ProgressValue | null {
  if (value === null || value === undefined || value === '') return null;
  const b = Number(baseline);
  const tg = Number(target);
  const v = Number(value);
  if (![b, tg, v].every(Number.isFinite) || tg === b) return null;
  const raw = (v - b) / (tg - b);
  return { capped: Math.min(Math.max(raw, 0), 1), uncapped: raw };
}

/** Owners check in on their own KPIs; strategy managers on any. Only manual KPIs take check-ins. */
export function canCheckIn(
  kpi: Pick<Kpi, 'owner_member_id' | 'source'>,
  me: { membership_id: string; permissions: readonly string[] },
): boolean {
  if (kpi.source !== 'manual') return false;
  if (me.permissions.includes('strategy:manage')) return true;
  return me.permissions.includes('kpi:check_in') && kpi.owner_member_id === me.membership_id;
}

// ---- KPIs computed from channel data -------------------------------------------------------

/** The channel figures a KPI may follow (the server's list); CTR, CVR and ROI come in percent. */
export const CHANNEL_KPI_METRICS = [
  'impressions',
  'clicks',
  'spend',
  'conversions',
  'revenue',
  'leads',
  'followers',
  'ctr',
  'cvr',
  'cpc',
  'cpm',
  'cpa',
  'roas',
  'roi',
] as const;
export type ChannelKpiMetric = (typeof CHANNEL_KPI_METRICS)[number];

/** Whose campaigns count: those of the projects linked to the KPI's goal, or all the organisation's. */
export const CHANNEL_KPI_SCOPES = ['goal_projects', 'org'] as const;
export type ChannelKpiScope = (typeof CHANNEL_KPI_SCOPES)[number];

/** A channel-metric KPI's query: a metric, over whose campaigns, on one channel (by key) or all (null). */
export interface ChannelQuery {
  metric: ChannelKpiMetric;
  scope: ChannelKpiScope;
  channel: string | null;
}

/** The unit a metric's value comes in, offered when it is chosen (the server computes the value). */
export const CHANNEL_METRIC_UNITS: Record<ChannelKpiMetric, string> = {
  impressions: '次',
  clicks: '次',
  spend: 'CNY',
  conversions: '次',
  revenue: 'CNY',
  leads: '条',
  followers: '人',
  ctr: '%',
  cvr: '%',
  cpc: 'CNY',
  cpm: 'CNY',
  cpa: 'CNY',
  roas: '倍',
  roi: '%',
};

/** Costs per result are better lower; every other figure higher. */
export function channelMetricDirection(metric: ChannelKpiMetric): Direction {
  return metric === 'cpc' || metric === 'cpm' || metric === 'cpa' ? 'decrease' : 'increase';
}

function isChannelMetric(value: unknown): value is ChannelKpiMetric {
  return typeof value === 'string' && (CHANNEL_KPI_METRICS as readonly string[]).includes(value);
}

/** A KPI's channel query as the server keeps it (scope defaulted); null for a KPI not computed from channel data. */
export function channelQueryOf(kpi: Pick<Kpi, 'source' | 'source_config'>): ChannelQuery | null {
  if (kpi.source !== 'channel_metric') return null;
  const config = kpi.source_config ?? {};
  if (!isChannelMetric(config.metric)) return null;
  const scope: ChannelKpiScope = config.scope === 'org' ? 'org' : 'goal_projects';
  const channel = typeof config.channel === 'string' && config.channel ? config.channel : null;
  return { metric: config.metric, scope, channel };
}

/** The source_config a channel query is sent as: no channel for all channels. */
export function sourceConfigOf(query: ChannelQuery): Record<string, unknown> {
  return { metric: query.metric, scope: query.scope, ...(query.channel ? { channel: query.channel } : {}) };
}

/** A KPI whose value the server computes takes no check-ins. */
export function isComputedKpi(kpi: Pick<Kpi, 'source'>): boolean {
  return kpi.source !== 'manual';
}

// ---- server errors -------------------------------------------------------------------------

/** i18n keys for the server's field error types, so rejections read in the UI's language. */
export const SERVER_ERROR_KEYS: Record<string, string> = {
  target_equals_baseline: 'strategy.serverErrors.targetEqualsBaseline',
  direction: 'strategy.serverErrors.direction',
  cycle: 'strategy.serverErrors.cycle',
  future_date: 'strategy.serverErrors.futureDate',
  duplicate: 'strategy.serverErrors.duplicate',
  dates_out_of_order: 'strategy.serverErrors.datesOutOfOrder',
  outside_parent: 'strategy.serverErrors.outsideParent',
  other_period: 'strategy.serverErrors.otherPeriod',
  unknown_member: 'strategy.serverErrors.unknownMember',
  unknown_goal: 'strategy.serverErrors.unknownGoal',
  unknown_period: 'strategy.serverErrors.unknownPeriod',
  unknown_metric: 'strategy.serverErrors.unknownMetric',
  unknown_scope: 'strategy.serverErrors.unknownScope',
};
