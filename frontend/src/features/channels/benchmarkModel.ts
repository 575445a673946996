import { formatMoney, type DisplayLocale } from '@/lib/format';
import type { BenchmarkCell, BenchmarkCellIn, BenchmarkMetric, ChannelKind } from './api';
import { CHANNEL_KINDS } from './model';

/**
 * The rules of 行业基准 (industry benchmarks) as plain functions. A grid is channel kind ×
 * metric; CTR and CVR are fractions on the wire (0.015) and percents on screen (1.5 %), CPC,
 * CPM and CPA are yuan, ROAS a plain ratio. Values go to the server as decimal strings (it takes
 * no floats), every one more than zero with at most six places — so a percent typed with at most
 * four. An import is a CSV of channel_kind, metric, value (keys or their Chinese labels), read
 * here into cells or into the problems of its rows; it is sent only when nothing is wrong.
 */

export const GRID_METRICS: readonly BenchmarkMetric[] = ['ctr', 'cvr', 'cpc', 'cpm', 'cpa', 'roas'];
/** Shown and typed as percents, sent as fractions. */
export const RATIO_METRICS: ReadonlySet<BenchmarkMetric> = new Set(['ctr', 'cvr']);
const MONEY_METRICS: ReadonlySet<BenchmarkMetric> = new Set(['cpc', 'cpm', 'cpa']);
/** How many cells one PUT may set. */
export const MAX_IMPORT = 500;
/** Places the server keeps (DECIMAL(18, 6)), and whole digits it allows. */
const PLACES = 6;
const WHOLE_DIGITS = 12;

export function isRatio(metric: BenchmarkMetric): boolean {
  return RATIO_METRICS.has(metric);
}

// ---- decimals as text ----------------------------------------------------------------------

const DECIMAL = /^(\d*)(?:\.(\d*))?$/;

/** A non-negative decimal with its point moved `places` to the right (left when negative), exactly. */
export function shiftDecimal(text: string, places: number): string {
  const match = DECIMAL.exec(text.trim());
  if (!match || text.trim() === '' || text.trim() === '.') return text;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  let digits = whole + fraction;
  let point = whole.length + places;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const head = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const tail = digits.slice(point).replace(/0+$/, '');
  return tail ? `${head}.${tail}` : head;
}

/** "1.5" (percent) → "0.015" (the fraction sent). */
export function percentToFraction(percent: string): string {
  return shiftDecimal(percent, -2);
}

/** "0.015000" (the fraction read) → "1.5" (the percent typed). */
export function fractionToPercent(fraction: string): string {
  return shiftDecimal(fraction, 2);
}

/** A stored value as it is typed: a percent for CTR and CVR, the plain number for the rest. */
export function editValue(metric: BenchmarkMetric, value: string): string {
  return isRatio(metric) ? fractionToPercent(value) : shiftDecimal(value, 0);
}

export type ValueProblem = 'value' | 'positive' | 'places' | 'tooLarge' | 'ratio';

/**
 * What to send for a typed value (a percent for CTR and CVR, at most 100 %), or why it cannot
 * be sent.
 */
export function cellValue(
  metric: BenchmarkMetric,
  typed: string | number | null | undefined,
): { value: string } | { problem: ValueProblem } {
  const text = String(typed ?? '').trim();
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text)) return { problem: 'value' };
  const value = isRatio(metric) ? percentToFraction(text) : shiftDecimal(text, 0);
  return checked(metric, value);
}

function checked(metric: BenchmarkMetric, value: string): { value: string } | { problem: ValueProblem } {
  const [whole = '', fraction = ''] = value.split('.');
  if (Number(value) <= 0) return { problem: 'positive' };
  if (fraction.length > PLACES) return { problem: 'places' };
  if (whole.replace(/^0+/, '').length > WHOLE_DIGITS) return { problem: 'tooLarge' };
  if (isRatio(metric) && Number(value) > 1) return { problem: 'ratio' };
  return { value };
}

// ---- display -------------------------------------------------------------------------------

function intlLocale(locale: DisplayLocale): string {
  return locale === 'en' ? 'en-US' : 'zh-CN';
}

/** A benchmark as people read it: 1.50%, ¥1.20, 2.50; "—" without a value. */
export function formatBenchmark(metric: BenchmarkMetric, value: string | null | undefined, locale: DisplayLocale) {
  if (value === null || value === undefined || value === '' || !Number.isFinite(Number(value))) return '—';
  if (MONEY_METRICS.has(metric)) return formatMoney(value, 'CNY', locale);
  const number = Number(value);
  if (isRatio(metric)) {
    return new Intl.NumberFormat(intlLocale(locale), {
      style: 'percent',
      minimumFractionDigits: 2,
      maximumFractionDigits: 4,
    }).format(number);
  }
  return new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(
    number,
  );
}

/** One row of the grid: a channel kind and its cell per metric. */
export interface GridRow {
  kind: ChannelKind;
  cells: Partial<Record<BenchmarkMetric, BenchmarkCell>>;
}

/** The server's cells as rows, in the channel kinds' order (kinds without a cell left out). */
export function gridRows(items: readonly BenchmarkCell[]): GridRow[] {
  return CHANNEL_KINDS.flatMap((kind) => {
    const cells: GridRow['cells'] = {};
    for (const item of items) {
      if (item.channel_kind === kind && (GRID_METRICS as readonly string[]).includes(item.metric)) {
        cells[item.metric as BenchmarkMetric] = item;
      }
    }
    return Object.keys(cells).length > 0 ? [{ kind, cells }] : [];
  });
}

/** How many cells the organisation set its own value for. */
export function overriddenCount(items: readonly BenchmarkCell[]): number {
  return items.filter((item) => item.overridden).length;
}

// ---- import --------------------------------------------------------------------------------

export type ImportColumn = 'channel_kind' | 'metric' | 'value';
export const IMPORT_COLUMNS: readonly ImportColumn[] = ['channel_kind', 'metric', 'value'];

export type ImportProblemCode =
  | 'empty'
  | 'tooMany'
  | 'missingColumn'
  | 'unclosedQuote'
  | 'kind'
  | 'metric'
  | 'duplicate'
  | 'percentNotRatio'
  | 'ratioOverOne'
  | ValueProblem;

export interface ImportProblem {
  /** The row of the file (1 is the first, the header when there is one); 0 for the whole file. */
  row: number;
  column: ImportColumn | null;
  code: ImportProblemCode;
  /** What the row had there. */
  text?: string;
  /** For a duplicate: the row that set the cell first. */
  first?: number;
}

export interface ParsedImport {
  items: BenchmarkCellIn[];
  problems: ImportProblem[];
  /** Rows of data read (blank lines and the header not counted). */
  rows: number;
}

const squash = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_\-（）()]/g, '');

const HEADERS: Record<ImportColumn, readonly string[]> = {
  channel_kind: ['channel_kind', 'channelkind', 'kind', '渠道类型', '类型', '渠道'],
  metric: ['metric', '指标'],
  value: ['value', '数值', '值', '基准值', '基准'],
};

/** Each kind by its key, its Chinese label (渠道数据's), and its English one. */
const KIND_NAMES: Record<ChannelKind, readonly string[]> = {
  short_video: ['短视频', 'short video'],
  content: ['内容种草', '内容', '种草', 'content seeding'],
  social: ['社交', 'social'],
  search: ['搜索', 'search'],
  feed: ['信息流', 'feed ads', 'feed'],
  ecommerce: ['电商', 'e-commerce', 'ecommerce'],
  other: ['其他', 'other'],
};

/** Each metric by its key (any case) and its Chinese names. */
const METRIC_NAMES: Record<BenchmarkMetric, readonly string[]> = {
  ctr: ['点击率', 'ctr点击率'],
  cvr: ['转化率', 'cvr转化率'],
  cpc: ['单次点击成本', '点击成本', '平均点击成本', 'cpc单次点击成本'],
  cpm: ['千次展示成本', '千次曝光成本', 'cpm千次展示成本'],
  cpa: ['单次转化成本', '转化成本', 'cpa单次转化成本'],
  roas: ['广告支出回报率', '投入产出比', 'roas广告支出回报率'],
};

function lookup<K extends string>(names: Record<K, readonly string[]>, text: string): K | null {
  const wanted = squash(text);
  for (const [key, aliases] of Object.entries(names) as [K, readonly string[]][]) {
    if (squash(key) === wanted || aliases.some((alias) => squash(alias) === wanted)) return key;
  }
  return null;
}

/** A channel kind from its key or label (短视频, Short video …); null when none is meant. */
export function kindOf(text: string): ChannelKind | null {
  return lookup(KIND_NAMES, text);
}

/** A benchmark metric from its key (CTR, ctr) or Chinese name (点击率 …); null when none is meant. */
export function metricOf(text: string): BenchmarkMetric | null {
  return lookup(METRIC_NAMES, text);
}

/** The delimiter of pasted or saved text: a tab (pasted from a spreadsheet), a semicolon, or a comma. */
function delimiterOf(firstLine: string): string {
  if (firstLine.includes('\t')) return '\t';
  if (firstLine.includes(';') && !firstLine.includes(',')) return ';';
  return ',';
}

/** The records of CSV text (quotes doubled inside quoted cells, line breaks in them kept). */
export function csvRecords(text: string): { records: string[][]; unclosed: boolean } {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const delimiter = delimiterOf(firstLine);
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source.charAt(i);
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (char === delimiter) {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i += 1;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return { records, unclosed: quoted };
}

/** Where each column is: by the header's names, or channel_kind, metric, value in that order. */
function columnsOf(first: readonly string[]): { at: Record<ImportColumn, number>; header: boolean } | ImportColumn[] {
  const found = IMPORT_COLUMNS.map((column) =>
    first.findIndex((cell) => HEADERS[column].some((name) => squash(name) === squash(cell))),
  );
  if (found.every((index) => index < 0)) return { at: { channel_kind: 0, metric: 1, value: 2 }, header: false };
  const missing = IMPORT_COLUMNS.filter((_, i) => (found[i] ?? -1) < 0);
  if (missing.length > 0) return missing;
  const [channel_kind = 0, metric = 1, value = 2] = found;
  return { at: { channel_kind, metric, value }, header: true };
}

/**
 * A value of the file for a metric: CTR and CVR as a fraction (0.015) or a percent (1.5%),
 * money with or without ¥ and thousands separators; or why it cannot be sent.
 */
export function importValue(
  metric: BenchmarkMetric,
  text: string,
): { value: string } | { problem: ValueProblem | 'percentNotRatio' | 'ratioOverOne' } {
  const cleaned = text.trim().replace(/[¥￥,，\s]/g, '');
  const percent = cleaned.endsWith('%') || cleaned.endsWith('％');
  const number = percent ? cleaned.slice(0, -1) : cleaned;
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(number)) return { problem: 'value' };
  if (percent && !isRatio(metric)) return { problem: 'percentNotRatio' };
  if (percent) return cellValue(metric, number);
  // A bare ratio is the fraction the API keeps; above 1 it was surely meant as a percent.
  if (isRatio(metric) && Number(number) > 1) return { problem: 'ratioOverOne' };
  return checked(metric, shiftDecimal(number, 0));
}

/**
 * Reads an import: a CSV (or text pasted from a spreadsheet) of channel_kind, metric and value,
 * with a header naming them in any order or without one in that order. Blank lines are skipped;
 * every other row becomes a cell or a problem of that row. A cell a good row set, given again, is a
 * problem (which value was meant?), and so is a file of more than 500 cells (one PUT takes 500).
 */
export function parseBenchmarkCsv(text: string): ParsedImport {
  const { records, unclosed } = csvRecords(text);
  const numbered = records
    .map((cells, i) => ({ row: i + 1, cells: cells.map((c) => c.trim()) }))
    .filter(({ cells }) => cells.some((c) => c !== ''));
  const problems: ImportProblem[] = [];
  if (unclosed) problems.push({ row: 0, column: null, code: 'unclosedQuote' });
  const first = numbered[0];
  if (!first) return { items: [], problems: [...problems, { row: 0, column: null, code: 'empty' }], rows: 0 };
  const layout = columnsOf(first.cells);
  if (Array.isArray(layout)) {
    return {
      items: [],
      problems: [...problems, ...layout.map((column) => ({ row: first.row, column, code: 'missingColumn' as const }))],
      rows: 0,
    };
  }
  const data = layout.header ? numbered.slice(1) : numbered;
  const items: BenchmarkCellIn[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of data) {
    const raw = (column: ImportColumn) => cells[layout.at[column]] ?? '';
    const kind = kindOf(raw('channel_kind'));
    const metric = metricOf(raw('metric'));
    const rowProblems: ImportProblem[] = [];
    if (!kind) rowProblems.push({ row, column: 'channel_kind', code: 'kind', text: raw('channel_kind') });
    if (!metric) rowProblems.push({ row, column: 'metric', code: 'metric', text: raw('metric') });
    let value: string | null = null;
    if (metric) {
      const read = importValue(metric, raw('value'));
      if ('problem' in read) rowProblems.push({ row, column: 'value', code: read.problem, text: raw('value') });
      else value = read.value;
    }
    // A cell given again after a row that set it: which value was meant?
    const key = `${kind}/${metric}`;
    const earlier = seen.get(key);
    if (kind && metric && earlier !== undefined) {
      rowProblems.push({ row, column: null, code: 'duplicate', first: earlier });
    }
    problems.push(...rowProblems);
    if (rowProblems.length === 0 && kind && metric && value !== null) {
      seen.set(key, row);
      items.push({ channel_kind: kind, metric, value });
    }
  }
  if (data.length === 0) problems.push({ row: 0, column: null, code: 'empty' });
  if (data.length > MAX_IMPORT) problems.push({ row: 0, column: null, code: 'tooMany' });
  return { items, problems, rows: data.length };
}

/** The grid as an import file (a starting point to edit): the header, then every cell as shown. */
export function benchmarkCsv(items: readonly BenchmarkCell[]): string {
  const lines = ['channel_kind,metric,value'];
  for (const row of gridRows(items)) {
    for (const metric of GRID_METRICS) {
      const cell = row.cells[metric];
      if (!cell) continue;
      const value = isRatio(metric) ? `${fractionToPercent(cell.value)}%` : shiftDecimal(cell.value, 0);
      lines.push(`${row.kind},${metric},${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
