import type { components } from '@/api/schema';
import type { ProjectStatus } from '@/lib/projects';
import type { BudgetCategory, BudgetSummary } from './api';
import { CATEGORIES, fromCents, toCents } from './model';

export type BudgetRequest = components['schemas']['BudgetRequestRead'];
export type BudgetRequestItem = components['schemas']['BudgetRequestItemRead'];
export type BudgetRequestCreate = components['schemas']['BudgetRequestCreate'];
export type BudgetAsk = components['schemas']['BudgetAskIn'];
export type FlowStep = components['schemas']['StepRead'];
type PlannedLine = components['schemas']['BudgetLineRead'];

/** Registered and not closed: the projects that may ask for budget (the server's rule). */
export const REQUESTS_BUDGET: readonly ProjectStatus[] = ['approved', 'active', 'closing'];

/**
 * The organisation's budget flow until it sets its own (approvals' default): the director,
 * then finance when the money added exceeds ¥50,000.
 */
export const DEFAULT_BUDGET_FLOW: readonly FlowStep[] = [
  { role: 'director', min_amount: null },
  { role: 'finance', min_amount: '50000.00' },
];

/** One of the project's budget lines as the request form shows it. */
export interface RequestLine {
  id: string;
  name: string;
  category: BudgetCategory;
  phaseId: string | null;
  state: 'plan' | 'approved';
  /** Its approved amount now ('0.00' while it is a plan). */
  approved: string;
  /** A plan line's planned amount (what the project was registered with), else null. */
  planned: string | null;
}

/** A new line of the request, as typed. */
export interface NewLineValues {
  category?: BudgetCategory | null;
  name?: string | null;
  phase_id?: string | null;
  amount?: string | number | null;
}

export interface BudgetRequestValues {
  reason?: string;
  /** The amount asked for each existing line, by line id (申请金额). */
  lines?: Record<string, string | number | null | undefined>;
  added?: (NewLineValues | undefined)[];
}

/** Which row of the form an item of the request body came from. */
export type RowRef = { kind: 'line'; lineId: string } | { kind: 'added'; index: number };

/** The project's lines in the categories' order (the budget table's), each with its amounts. */
export function requestLines(summary: BudgetSummary, plannedLines: readonly PlannedLine[]): RequestLine[] {
  const planned = new Map(plannedLines.map((l) => [l.id, l.amount]));
  const order = new Map<string, number>(CATEGORIES.map((c, i) => [c, i]));
  return summary.lines
    .map((line, position) => ({ line, position }))
    .sort((a, b) => (order.get(a.line.category) ?? 99) - (order.get(b.line.category) ?? 99) || a.position - b.position)
    .map(({ line }) => ({
      id: line.id,
      name: line.name,
      category: line.category,
      phaseId: line.phase_id ?? null,
      state: line.state,
      approved: line.state === 'approved' ? line.budget : '0.00',
      planned: line.state === 'plan' ? (planned.get(line.id) ?? null) : null,
    }));
}

/** The form's starting amounts: an approved line at its amount, a plan line at its planned one. */
export function initialAmounts(lines: readonly RequestLine[]): Record<string, string | null> {
  return Object.fromEntries(lines.map((l) => [l.id, l.state === 'approved' ? l.approved : l.planned]));
}

/** A request on a project with no approved money is its first (预算申请); later ones change it (预算变更). */
export function requestKind(lines: readonly RequestLine[]): 'initial' | 'change' {
  return lines.some((l) => l.state === 'approved' && toCents(l.approved) !== 0n) ? 'change' : 'initial';
}

/** Why a line amount is refused (an i18n key under finance.requests.form), or null when it is fine. */
export type LineAmountProblem = 'required' | 'invalid' | 'negative' | 'decimals' | 'tooLarge';

/** The server's LineAmount: zero or more, at most two decimals, below a quadrillion. */
export function lineAmountProblem(value: unknown): LineAmountProblem | null {
  const text = amountText(value);
  if (text === null) return 'required';
  if (text.startsWith('-')) return 'negative';
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) return 'invalid';
  const [, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return 'invalid';
  if (fraction.replace(/0+$/, '').length > 2) return 'decimals';
  if (whole.replace(/^0+/, '').length > 15) return 'tooLarge';
  return null;
}

/** What an amount input holds, as a decimal string, or null when empty. */
export function amountText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

function validAmount(value: unknown): string | null {
  const text = amountText(value);
  return text !== null && lineAmountProblem(text) === null ? text : null;
}

/**
 * The change a row asks for (after − before), or null when it asks for nothing: an approved
 * line left at its amount (or emptied), a plan line left empty, an amount not yet valid.
 */
export function lineChange(line: RequestLine, value: unknown): string | null {
  const amount = validAmount(value);
  if (amount === null) return null;
  const delta = toCents(amount) - toCents(line.approved);
  if (line.state === 'approved' && delta === 0n) return null;
  return fromCents(delta);
}

/** A new line's change: all of its amount, once valid. */
export function newLineChange(value: unknown): string | null {
  return validAmount(value);
}

/**
 * The request body for the form's values, and which row each item came from (so the server's
 * `items[i]` errors find their row): the existing lines whose amount changes (a plan line
 * with an amount becomes approved), then the new lines.
 */
export function buildRequest(
  lines: readonly RequestLine[],
  values: BudgetRequestValues,
): { body: BudgetRequestCreate; refs: RowRef[] } {
  const items: BudgetAsk[] = [];
  const refs: RowRef[] = [];
  for (const line of lines) {
    const value = values.lines?.[line.id];
    if (lineChange(line, value) === null) continue;
    items.push({ line_id: line.id, amount: amountText(value) ?? '' });
    refs.push({ kind: 'line', lineId: line.id });
  }
  (values.added ?? []).forEach((row, index) => {
    if (!row) return;
    items.push({
      category: row.category ?? null,
      name: row.name?.trim() ?? null,
      phase_id: row.phase_id ?? null,
      amount: amountText(row.amount) ?? '',
    });
    refs.push({ kind: 'added', index });
  });
  return { body: { reason: values.reason?.trim() ?? '', items }, refs };
}

export interface RequestTotals {
  /** The approved budget now. */
  before: string;
  /** The approved budget once the request is approved. */
  after: string;
  /** The money added (the lines' increases, summed): what the approvers weigh. */
  added: string;
  /** How many lines the request sets. */
  items: number;
}

/**
 * The totals the form shows as it is typed, by the server's rule (finance/changes.py): the
 * approvers weigh the increases only — a line lowered frees money but does not pay for
 * another's rise.
 */
export function requestTotals(lines: readonly RequestLine[], values: BudgetRequestValues): RequestTotals {
  const before = lines.reduce((sum, l) => sum + toCents(l.approved), 0n);
  let delta = 0n;
  let added = 0n;
  let items = 0;
  const count = (change: bigint) => {
    delta += change;
    if (change > 0n) added += change;
    items += 1;
  };
  for (const line of lines) {
    const change = lineChange(line, values.lines?.[line.id]);
    if (change !== null) count(toCents(change));
  }
  for (const row of values.added ?? []) {
    const amount = validAmount(row?.amount);
    if (amount !== null) count(toCents(amount));
  }
  return { before: fromCents(before), after: fromCents(before + delta), added: fromCents(added), items };
}

/** The steps a request of `amount` walks: a step with a floor applies above it (approvals' rule). */
export function approvalSteps(steps: readonly FlowStep[], amount: string): FlowStep[] {
  const cents = toCents(amount);
  return steps.filter((s) => s.min_amount === null || cents > toCents(s.min_amount));
}

/** Whether finance must approve too (by the default flow: more than ¥50,000 added). */
export function needsFinance(steps: readonly FlowStep[], amount: string): boolean {
  return approvalSteps(steps, amount).some((s) => s.role === 'finance');
}

/** The change an item of a request makes to its line (after − before). */
export function itemChange(item: Pick<BudgetRequestItem, 'before' | 'after'>): string {
  return fromCents(toCents(item.after) - toCents(item.before));
}

const ITEM_FIELD = /^(?:body\.)?items\[(\d+)\]\.(\w+)$/;
const ADDED_FIELDS = ['category', 'name', 'phase_id', 'amount'] as const;
type AddedField = (typeof ADDED_FIELDS)[number];

/** A field of the request form, as antd names it. */
export type RequestFieldPath = ['reason'] | ['lines', string] | ['added', number, AddedField];

/**
 * The form field a server error names: `items[2].amount` is the amount of the row that sent
 * the request's third item (an existing line's 申请金额, or a new line's field); `reason` is
 * the reason. Null when the error belongs to no field (the request as a whole).
 */
export function errorField(field: string, refs: readonly RowRef[]): RequestFieldPath | null {
  const plain = field.replace(/^body\./, '');
  if (plain === 'reason') return ['reason'];
  const match = ITEM_FIELD.exec(plain);
  if (!match) return null;
  const ref = refs[Number(match[1])];
  const name = match[2] ?? '';
  if (!ref) return null;
  // An existing line has one input: whatever is wrong with its item shows there.
  if (ref.kind === 'line') return ['lines', ref.lineId];
  const added = ADDED_FIELDS.find((f) => f === name) ?? 'amount';
  return ['added', ref.index, added];
}

// ---- thresholds -------------------------------------------------------------------------------

/**
 * Why a threshold is refused (an i18n key under finance.thresholds.form), or null when it is
 * fine: the server's Percent — more than zero, at most two decimals, below 10,000.
 */
export function percentProblem(value: unknown): 'required' | 'invalid' | 'positive' | 'decimals' | 'tooLarge' | null {
  if (value === null || value === undefined || value === '') return 'required';
  if (typeof value !== 'string' && typeof value !== 'number') return 'invalid';
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(value).trim());
  if (!match) return 'invalid';
  const [, sign, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return 'invalid';
  if (sign || !/[1-9]/.test(whole + fraction)) return 'positive';
  if (fraction.replace(/0+$/, '').length > 2) return 'decimals';
  if (whole.replace(/^0+/, '').length > 4) return 'tooLarge';
  return null;
}
