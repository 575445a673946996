import type { Dayjs } from 'dayjs';
import type {
  Allocation,
  AllocationCreate,
  AllocationUpdate,
  Conflict,
  Resource,
  ResourceCreate,
  ResourceKind,
  ResourceUpdate,
  WeekLoad,
  Workload,
} from './api';

export const KINDS: readonly ResourceKind[] = ['person', 'material', 'channel', 'vendor', 'venue'];

/** The fields each kind keeps (the server refuses the others, naming them). */
export const KIND_FIELDS = {
  person: ['member_id', 'role_title', 'capacity_hours_week', 'cost_rate'],
  material: ['unit', 'unit_cost', 'stock'],
  channel: ['unit', 'unit_cost'],
  vendor: ['contact_name', 'contact_phone', 'contact_email', 'contract_no', 'contract_ends_on'],
  venue: ['address', 'venue_capacity'],
} as const satisfies Record<ResourceKind, readonly (keyof ResourceCreate)[]>;

export type KindField = (typeof KIND_FIELDS)[ResourceKind][number];

/** Every field a resource form may show, for placing the server's field errors. */
export const FORM_FIELDS: readonly string[] = ['name', 'notes', ...new Set(Object.values(KIND_FIELDS).flat())];

/** What the resource form holds: text as typed (decimals stay strings), the contract's end as a day. */
export interface ResourceValues {
  name?: string;
  notes?: string;
  member_id?: string;
  role_title?: string;
  capacity_hours_week?: string;
  cost_rate?: string;
  unit?: string;
  unit_cost?: string;
  stock?: string;
  contact_name?: string;
  contact_phone?: string;
  contact_email?: string;
  contract_no?: string;
  contract_ends_on?: Dayjs | null;
  address?: string;
  venue_capacity?: number | null;
}

type FieldValue = string | number | null;

function fieldValue(values: ResourceValues, field: KindField): FieldValue {
  const raw = values[field];
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') return raw.trim() || null;
  return raw.format('YYYY-MM-DD');
}

function text(value: string | undefined): string | null {
  return value?.trim() ? value.trim() : null;
}

/** The create call's body: the kind's fields only, empty ones left out. */
export function createBody(kind: ResourceKind, values: ResourceValues): ResourceCreate {
  const body: Record<string, FieldValue> = { kind };
  const name = text(values.name);
  if (name) body.name = name;
  const notes = text(values.notes);
  if (notes) body.notes = notes;
  for (const field of KIND_FIELDS[kind]) {
    const value = fieldValue(values, field);
    if (value !== null) body[field] = value;
  }
  return body as unknown as ResourceCreate;
}

/**
 * The update call's body: what changed (a cleared field becomes null; a person's capacity, which
 * cannot be empty, is left as it is when cleared).
 */
export function updateBody(resource: Resource, values: ResourceValues): ResourceUpdate {
  const body: Record<string, FieldValue> = { version: resource.version };
  const name = text(values.name);
  if (name && name !== resource.name) body.name = name;
  const notes = text(values.notes);
  if (notes !== resource.notes) body.notes = notes;
  for (const field of KIND_FIELDS[resource.kind]) {
    const value = fieldValue(values, field);
    const before = resource[field];
    if (field === 'capacity_hours_week' && value === null) continue;
    if (field === 'cost_rate' && before === null && value === null) continue;
    if (!sameValue(before, value)) body[field] = value;
  }
  return body as unknown as ResourceUpdate;
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (a === null || b === null) return a === b;
  const decimal = /^-?\d+(\.\d+)?$/;
  if (typeof a === 'string' && typeof b === 'string' && decimal.test(a) && decimal.test(b)) {
    return Number(a) === Number(b);
  }
  return String(a) === String(b);
}

/** The form's starting values for an existing resource. */
export function formValues(resource: Resource, day: (value: string) => Dayjs): ResourceValues {
  const values: ResourceValues = { name: resource.name, notes: resource.notes ?? undefined };
  for (const field of KIND_FIELDS[resource.kind]) {
    const value = resource[field];
    if (value === null || value === undefined) continue;
    if (field === 'contract_ends_on') values.contract_ends_on = day(String(value));
    else if (field === 'venue_capacity') values.venue_capacity = Number(value);
    else (values as Record<string, unknown>)[field] = String(value);
  }
  return values;
}

// ---- allocations ------------------------------------------------------------------------------

export interface AllocationValues {
  project_id?: string;
  resource_id?: string;
  days?: [Dayjs, Dayjs] | null;
  hours_per_day?: string;
  quantity?: string;
  task_id?: string | null;
  note?: string;
}

/** The booking call: hours for a person, a quantity for the others (optional but for materials). */
export function allocationBody(kind: ResourceKind, resourceId: string, values: AllocationValues): AllocationCreate {
  const [first, last] = values.days ?? [];
  const body: Record<string, string> = {
    resource_id: resourceId,
    starts_on: first?.format('YYYY-MM-DD') ?? '',
    ends_on: last?.format('YYYY-MM-DD') ?? '',
  };
  if (kind === 'person' && values.hours_per_day?.trim()) body.hours_per_day = values.hours_per_day.trim();
  if (kind !== 'person' && values.quantity?.trim()) body.quantity = values.quantity.trim();
  if (values.task_id) body.task_id = values.task_id;
  if (values.note?.trim()) body.note = values.note.trim();
  return body as unknown as AllocationCreate;
}

/** The form's starting values for an existing booking. */
export function allocationValues(allocation: Allocation, day: (value: string) => Dayjs): AllocationValues {
  return {
    days: [day(allocation.starts_on), day(allocation.ends_on)],
    hours_per_day: allocation.hours_per_day === null ? undefined : hoursLabel(allocation.hours_per_day),
    quantity: allocation.quantity === null ? undefined : hoursLabel(allocation.quantity),
    task_id: allocation.task_id,
    note: allocation.note ?? undefined,
  };
}

/**
 * The change call: what differs from the booking as read (a cleared quantity, task or note
 * becomes null), at its version. Hours stay when cleared: a person's booking needs them.
 */
export function allocationUpdateBody(allocation: Allocation, values: AllocationValues): AllocationUpdate {
  const body: Record<string, string | number | null> = { version: allocation.version };
  const [first, last] = values.days ?? [];
  const startsOn = first?.format('YYYY-MM-DD');
  const endsOn = last?.format('YYYY-MM-DD');
  if (startsOn && startsOn !== allocation.starts_on) body.starts_on = startsOn;
  if (endsOn && endsOn !== allocation.ends_on) body.ends_on = endsOn;
  const decimal = (value: string | undefined) => (value?.trim() ? value.trim() : null);
  const sameDecimal = (a: string | null, b: string | null) =>
    a === null || b === null ? a === b : Number(a) === Number(b);
  if (allocation.resource_kind === 'person') {
    const hours = decimal(values.hours_per_day);
    if (hours !== null && !sameDecimal(hours, allocation.hours_per_day)) body.hours_per_day = hours;
  } else {
    const quantity = decimal(values.quantity);
    if (!sameDecimal(quantity, allocation.quantity)) body.quantity = quantity;
  }
  const task = values.task_id ?? null;
  if (task !== allocation.task_id) body.task_id = task;
  const note = values.note?.trim() ? values.note.trim() : null;
  if (note !== allocation.note) body.note = note;
  return body as unknown as AllocationUpdate;
}

/** A project's bookings by kind, in the catalogue's order of kinds (empty kinds left out). */
export function allocationsByKind(allocations: readonly Allocation[]): { kind: ResourceKind; items: Allocation[] }[] {
  return KINDS.map((kind) => ({ kind, items: allocations.filter((a) => a.resource_kind === kind) })).filter(
    (group) => group.items.length > 0,
  );
}

/** The conflicts one booking takes part in, once each (a window cut in pieces may repeat one). */
export function conflictsOf(allocation: Pick<Allocation, 'id'>, conflicts: readonly Conflict[]): Conflict[] {
  const seen = new Set<string>();
  return sortedConflicts(conflicts.filter((c) => c.allocation_ids.includes(allocation.id))).filter((c) => {
    const key = `${c.kind}:${c.resource_id}:${c.starts_on}:${[...c.allocation_ids].sort().join()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const MONEY = /^(\d+)(?:\.(\d{1,2})\d*)?$/;

/** Decimal strings (≥ 0, two decimals kept) added in whole cents, so no float rounding shows. */
export function sumMoney(amounts: readonly string[]): string {
  let cents = 0n;
  for (const amount of amounts) {
    const match = MONEY.exec(amount.trim());
    if (match) cents += BigInt(match[1] ?? '0') * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  }
  return `${(cents / 100n).toString()}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** Sums of a group of bookings: hours planned (people) and planned cost (null: no cost known). */
export function allocationTotals(allocations: readonly Allocation[]): { hours: string; cost: string | null } {
  const costs = allocations.flatMap((a) => (a.planned_cost === null ? [] : [a.planned_cost]));
  return {
    hours: hoursLabel(sumMoney(allocations.flatMap((a) => (a.planned_hours === null ? [] : [a.planned_hours])))),
    cost: costs.length ? sumMoney(costs) : null,
  };
}

/** The first and last day a project's bookings cover (null: nothing booked). */
export function bookedWindow(allocations: readonly Allocation[]): [string, string] | null {
  const [head, ...rest] = allocations;
  if (!head) return null;
  let first = head.starts_on;
  let last = head.ends_on;
  for (const a of rest) {
    if (a.starts_on < first) first = a.starts_on;
    if (a.ends_on > last) last = a.ends_on;
  }
  return [first, last];
}

/** Whether a vendor's contract has ended (or ends within `soonDays`) by `today` (YYYY-MM-DD). */
export function contractState(endsOn: string | null, today: string, soonDays = 30): 'none' | 'ok' | 'soon' | 'ended' {
  if (!endsOn) return 'none';
  if (endsOn < today) return 'ended';
  const days = (Date.parse(`${endsOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  return days <= soonDays ? 'soon' : 'ok';
}

// ---- conflicts --------------------------------------------------------------------------------

/** The API's longest conflict window: `to` at most 365 days after `from`. */
export const MAX_CONFLICT_DAYS = 366;

const DAY = 86_400_000;

function dayMs(value: string): number {
  return Date.parse(`${value}T00:00:00Z`);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `from` … `to` (YYYY-MM-DD, both included) cut into windows the API takes, in order. */
export function conflictWindows(from: string, to: string, maxDays = MAX_CONFLICT_DAYS): [string, string][] {
  const last = dayMs(to);
  const out: [string, string][] = [];
  for (let first = dayMs(from); first <= last; first += maxDays * DAY) {
    out.push([iso(first), iso(Math.min(last, first + (maxDays - 1) * DAY))]);
  }
  return out;
}

// ---- the heat map -----------------------------------------------------------------------------

/** How loaded a person is in a week: green under 80 %, amber from 80 to 100 %, red beyond. */
export type LoadLevel = 'none' | 'ok' | 'busy' | 'over';

export const BUSY_PERCENT = 80;

export function loadLevel(week: Pick<WeekLoad, 'hours' | 'load_percent' | 'over'>): LoadLevel {
  if (week.over) return 'over';
  if (week.load_percent === null || Number(week.hours) === 0) return 'none';
  return Number(week.load_percent) >= BUSY_PERCENT ? 'busy' : 'ok';
}

/** Cell colours per level (background, text, border): antd's green, gold and red scales. */
export const LOAD_COLORS: Record<LoadLevel, { background: string; color: string; border: string }> = {
  none: { background: '#fafafa', color: 'rgba(0, 0, 0, 0.45)', border: '#f0f0f0' },
  ok: { background: '#d9f7be', color: '#135200', border: '#95de64' },
  busy: { background: '#ffe58f', color: '#613400', border: '#ffc53d' },
  over: { background: '#ffa39e', color: '#820014', border: '#ff4d4f' },
};

/** `125.0` → `125%`; none → `—`. */
export function percentLabel(percent: string | null): string {
  if (percent === null) return '—';
  return `${Math.round(Number(percent))}%`;
}

/** `40.00` → `40`, `7.50` → `7.5`. */
export function hoursLabel(hours: string): string {
  return String(Number(hours));
}

export interface HeatCell {
  weekStart: string;
  level: LoadLevel;
  week: WeekLoad;
}

export interface HeatRow {
  resourceId: string;
  name: string;
  roleTitle: string | null;
  active: boolean;
  capacity: string;
  cells: HeatCell[];
  /** Weeks over capacity in the window. */
  overWeeks: number;
  /** The highest load in the window, for ordering (-1: no capacity anywhere). */
  peak: number;
}

export type HeatOrder = 'name' | 'peak';

/** The grid: one row per person, one cell per week, most loaded first when asked. */
export function heatMap(workload: Workload, order: HeatOrder = 'name'): { weeks: string[]; rows: HeatRow[] } {
  const rows = workload.people.map((person): HeatRow => {
    const cells = person.weeks.map((week) => ({ weekStart: week.week_start, level: loadLevel(week), week }));
    return {
      resourceId: person.resource_id,
      name: person.name,
      roleTitle: person.role_title,
      active: person.active,
      capacity: person.capacity_hours_week,
      cells,
      overWeeks: cells.filter((c) => c.level === 'over').length,
      peak: Math.max(-1, ...person.weeks.map((w) => (w.load_percent === null ? -1 : Number(w.load_percent)))),
    };
  });
  if (order === 'peak') rows.sort((a, b) => b.peak - a.peak || a.name.localeCompare(b.name, 'zh-CN'));
  return { weeks: workload.weeks, rows };
}

/** The ISO week number of a Monday (YYYY-MM-DD), as the week columns show it. */
export function isoWeek(monday: string): number {
  const date = new Date(`${monday}T00:00:00Z`);
  const thursday = new Date(date.getTime() + 3 * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - yearStart) / 86_400_000 / 7) + 1;
}

/** The Sunday that ends the window of weeks starting on `mondays`. */
export function windowEnd(mondays: readonly string[]): string | null {
  const last = mondays.at(-1);
  if (!last) return null;
  const end = new Date(Date.parse(`${last}T00:00:00Z`) + 6 * 86_400_000);
  return end.toISOString().slice(0, 10);
}

/** Conflicts in the order the page lists them: people first, then by day. */
export function sortedConflicts(conflicts: readonly Conflict[]): Conflict[] {
  const rank: Record<Conflict['kind'], number> = { over_capacity: 0, double_booked: 1, over_stock: 2 };
  return [...conflicts].sort(
    (a, b) =>
      rank[a.kind] - rank[b.kind] ||
      a.starts_on.localeCompare(b.starts_on) ||
      a.resource_name.localeCompare(b.resource_name),
  );
}
