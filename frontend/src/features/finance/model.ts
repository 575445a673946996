import type { Dayjs } from 'dayjs';
import type { ProjectStatus } from '@/lib/projects';
import type { BudgetCategory, BudgetSummary, CategoryFigures, CostCreate, CostKind, Figures, Level } from './api';

/** In the backend's order (finance/categories.py): the fixed kinds every line and cost belongs to. */
export const CATEGORIES = [
  'venue',
  'travel',
  'materials',
  'ad_spend',
  'vendors',
  'labour',
  'other',
] as const satisfies readonly BudgetCategory[];

/** A category the schema has and CATEGORIES misses fails the type check here. */
export const allCategoriesListed: [Exclude<BudgetCategory, (typeof CATEGORIES)[number]>] extends [never]
  ? true
  : never = true;

export const COST_KINDS = ['actual', 'committed'] as const satisfies readonly CostKind[];

/** A registered project that still spends (the server's ACCEPTS_COSTS). */
export const ACCEPTS_COSTS: readonly ProjectStatus[] = ['approved', 'active', 'closing'];

/** Currencies offered besides the project's own (the project form offers the same ones). */
export const CURRENCIES = ['CNY', 'USD', 'HKD', 'EUR', 'JPY'] as const;

/** The level colours every budget bar and tag uses (shared with the homes' overspend card). */
export { LEVEL_COLORS, LEVEL_TAG_COLORS } from '@/lib/budgetLevels';

/** One colour per category, stable across pages (donut and legend). */
export const CATEGORY_COLORS: Record<BudgetCategory, string> = {
  venue: '#5b8ff9',
  travel: '#5ad8a6',
  materials: '#f6bd16',
  ad_spend: '#e86452',
  vendors: '#6dc8ec',
  labour: '#945fb9',
  other: '#bfbfbf',
};

const RANK: Record<Level, number> = { ok: 0, warn: 1, critical: 2 };

/** The level to announce when a figure moved from `before` to `after`: only a rise (the server's rule). */
export function crossed(before: Level | undefined, after: Level): Level | null {
  return RANK[after] > RANK[before ?? 'ok'] ? after : null;
}

// ---- money as cents ---------------------------------------------------------------------------
// Amounts arrive as decimal strings with at most two decimals; sums and differences are made in
// whole cents (BigInt), so no float rounding shows in a figure.

const MONEY = /^(-?)(\d+)(?:\.(\d{1,2})\d*)?$/;

export function toCents(amount: string): bigint {
  const match = MONEY.exec(amount.trim());
  if (!match) return 0n;
  const [, sign, whole = '0', fraction = ''] = match;
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${(abs / 100n).toString()}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export function isZero(amount: string): boolean {
  return toCents(amount) === 0n;
}

export function isNegative(amount: string | null | undefined): boolean {
  return !!amount && toCents(amount) < 0n;
}

// ---- the lines table --------------------------------------------------------------------------

export interface LineRow {
  key: string;
  kind: 'category' | 'line' | 'unbudgeted';
  category: BudgetCategory;
  /** The line's name (a line row only). */
  name?: string;
  phaseId?: string | null;
  state?: 'plan' | 'approved';
  figures: Figures;
  children?: LineRow[];
}

/**
 * The summary's lines grouped by category, in the categories' order: a row per category with
 * the category's figures (which count costs on no line too), its lines under it, and, when some
 * of the category's money is on no line, a row saying how much.
 */
export function groupLines(summary: BudgetSummary): LineRow[] {
  const byCategory = new Map<string, CategoryFigures>(summary.by_category.map((c) => [c.category, c]));
  const rows: LineRow[] = [];
  for (const category of CATEGORIES) {
    const lines = summary.lines.filter((l) => l.category === category);
    const figures = byCategory.get(category);
    if (!figures && lines.length === 0) continue;
    const children: LineRow[] = lines.map((line) => ({
      key: line.id,
      kind: 'line',
      category,
      name: line.name,
      phaseId: line.phase_id,
      state: line.state,
      figures: line,
    }));
    if (figures) {
      const onLines = lines.reduce(
        (sum, l) => ({ actual: sum.actual + toCents(l.actual), committed: sum.committed + toCents(l.committed) }),
        { actual: 0n, committed: 0n },
      );
      const actual = toCents(figures.actual) - onLines.actual;
      const committed = toCents(figures.committed) - onLines.committed;
      const entries = figures.entries - lines.reduce((n, l) => n + l.entries, 0);
      if (actual !== 0n || committed !== 0n) {
        children.push({
          key: `${category}:unbudgeted`,
          kind: 'unbudgeted',
          category,
          figures: {
            budget: '0.00',
            actual: fromCents(actual),
            committed: fromCents(committed),
            used: fromCents(actual + committed),
            remaining: fromCents(-(actual + committed)),
            used_percent: null,
            level: 'critical',
            entries,
          },
        });
      }
    }
    rows.push({
      key: `category:${category}`,
      kind: 'category',
      category,
      figures: figures ?? zeroFigures(),
      children,
    });
  }
  return rows;
}

function zeroFigures(): Figures {
  return {
    budget: '0.00',
    actual: '0.00',
    committed: '0.00',
    used: '0.00',
    remaining: '0.00',
    used_percent: null,
    level: 'ok',
    entries: 0,
  };
}

// ---- the spent-vs-budget bar ------------------------------------------------------------------

export interface BarView {
  /** Width of the fill, 0–100 (% of the bar). */
  fill: number;
  /** Where the warn and critical marks sit, 0–100 (% of the bar). */
  warnAt: number;
  criticalAt: number;
}

/**
 * The bar runs from 0 to 100 % of the budget, or to the critical threshold when that is higher,
 * so both threshold marks are on it; money beyond the end fills it (the label says how far).
 */
export function barView(usedPercent: string | null, warnPercent: string, criticalPercent: string): BarView {
  const warn = Number(warnPercent);
  const critical = Number(criticalPercent);
  const scale = Math.max(100, critical);
  const used = usedPercent === null ? 0 : Math.max(0, Number(usedPercent));
  return {
    fill: Math.min(used, scale) * (100 / scale),
    warnAt: warn * (100 / scale),
    criticalAt: critical * (100 / scale),
  };
}

// ---- the donut --------------------------------------------------------------------------------

export interface DonutSegment<K> {
  key: K;
  /** The segment's length, 0–100 (% of the circle). */
  percent: number;
  /** Where it starts, 0–100 (% of the circle, clockwise from the top). */
  offset: number;
}

export function donutSegments<K>(shares: readonly { key: K; percent: number }[]): DonutSegment<K>[] {
  let offset = 0;
  return shares
    .filter((s) => s.percent > 0)
    .map((s) => {
      const segment = { key: s.key, percent: s.percent, offset };
      offset += s.percent;
      return segment;
    });
}

// ---- the cost form ----------------------------------------------------------------------------

export interface CostFormValues {
  kind: CostKind;
  incurred_on: Dayjs | null;
  line_id?: string | null;
  category?: BudgetCategory | null;
  phase_id?: string | null;
  /** InputNumber in string mode: the decimal as typed, never a float. */
  amount?: string | number | null;
  currency: string;
  rate?: string | number | null;
  vendor?: string | null;
  description?: string | null;
}

export const COST_FIELDS = [
  'kind',
  'incurred_on',
  'line_id',
  'category',
  'phase_id',
  'amount',
  'currency',
  'rate',
  'vendor',
  'description',
] as const satisfies readonly (keyof CostFormValues)[];

/** Why a decimal is refused (an i18n key under finance.form), or null when it is fine. */
export type DecimalProblem = 'required' | 'positive' | 'decimals' | 'tooLarge' | 'invalid';

function checkDecimal(value: unknown, integerDigits: number, decimals: number): DecimalProblem | null {
  if (value === null || value === undefined || value === '') return 'required';
  if (typeof value !== 'string' && typeof value !== 'number') return 'invalid';
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(value).trim());
  if (!match) return 'invalid';
  const [, sign, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return 'invalid';
  if (sign || !/[1-9]/.test(whole + fraction)) return 'positive';
  if (fraction.replace(/0+$/, '').length > decimals) return 'decimals';
  if (whole.replace(/^0+/, '').length > integerDigits) return 'tooLarge';
  return null;
}

/** The server's CostAmount: more than zero, at most 2 decimals, 13 digits in all. */
export function amountProblem(value: unknown): DecimalProblem | null {
  return checkDecimal(value, 11, 2);
}

/** The server's Rate: more than zero, at most 6 decimals, 18 digits in all. */
export function rateProblem(value: unknown): DecimalProblem | null {
  return checkDecimal(value, 12, 6);
}

/**
 * Whether the amount at this rate comes to nothing (below a cent) or too much in the project's
 * currency — the server's checks after converting; approximate here, the server decides.
 */
export function convertedProblem(amount: unknown, rate: unknown): 'tooSmall' | 'tooLargeConverted' | null {
  const value = Number(amount) * Number(rate);
  if (!Number.isFinite(value)) return null;
  if (value < 0.005) return 'tooSmall';
  if (value >= 1e15) return 'tooLargeConverted';
  return null;
}

function trimmed(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

/** The request body for the form's values; the rate is sent only for another currency. */
export function costBody(values: CostFormValues, projectCurrency: string): CostCreate {
  const foreign = values.currency !== projectCurrency;
  return {
    kind: values.kind,
    amount: String(values.amount).trim(),
    currency: values.currency,
    rate: foreign && values.rate != null ? String(values.rate).trim() : null,
    incurred_on: values.incurred_on ? values.incurred_on.format('YYYY-MM-DD') : '',
    line_id: values.line_id ?? null,
    // A line gives its own category.
    category: values.line_id ? null : (values.category ?? null),
    phase_id: values.phase_id ?? null,
    vendor: trimmed(values.vendor) ?? null,
    description: trimmed(values.description) ?? null,
  };
}

export interface Crossing {
  /** The line's name, or null for the whole project. */
  line: string | null;
  level: Level;
  usedPercent: string | null;
}

/**
 * What a recorded cost took across a threshold: its line's level and the project's, before
 * and after (the summary read before recording and the one read after).
 */
export function crossings(before: BudgetSummary | undefined, after: BudgetSummary, lineId: string | null): Crossing[] {
  const found: Crossing[] = [];
  if (lineId) {
    const now = after.lines.find((l) => l.id === lineId);
    const then = before?.lines.find((l) => l.id === lineId);
    // A line waiting for approval has no budget yet: the server does not measure it either.
    if (now && now.state === 'approved' && crossed(then?.level, now.level)) {
      found.push({ line: now.name, level: now.level, usedPercent: now.used_percent });
    }
  }
  if (crossed(before?.project.level, after.project.level)) {
    found.push({ line: null, level: after.project.level, usedPercent: after.project.used_percent });
  }
  return found;
}
