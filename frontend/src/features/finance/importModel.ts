import type { FieldError } from '@/api/errors';
import type { BudgetSummary } from './api';
import { CATEGORIES, crossings, type Crossing } from './model';

/** Field → the file's column header; null leaves a field the server would guess unmapped. */
export type ImportMapping = Record<string, string | null>;

/**
 * The template's columns, in the server's field order (finance/imports.py FIELDS), each named
 * by the first header the server recognises for it, so a file made from the template needs no
 * mapping.
 */
export const TEMPLATE_HEADERS = [
  '日期',
  '金额',
  '币种',
  '汇率',
  '类型',
  '预算科目',
  '类别',
  '阶段',
  '供应商',
  '说明',
] as const;

/**
 * The CSV template (导入模板): the headers only, with a UTF-8 byte order mark so that Excel
 * opens the Chinese headers as text rather than guessing a code page.
 */
export function templateCsv(): string {
  return `\uFEFF${TEMPLATE_HEADERS.join(',')}\r\n`;
}

/** The category codes a 类别 cell takes (the server compares them exactly). */
export const CATEGORY_CODES: readonly string[] = CATEGORIES;

/**
 * The mapping to send after one field's column changed: every field the server offers, each
 * with the column the last preview used (or null), and the change applied. Sent whole, so the
 * preview and then the commit read the file exactly as the table shows it.
 */
export function changedMapping(
  fields: readonly string[],
  used: Readonly<Record<string, string>>,
  field: string,
  column: string | null,
): ImportMapping {
  const mapping: ImportMapping = {};
  for (const name of fields) mapping[name] = used[name] ?? null;
  mapping[field] = column;
  return mapping;
}

/** The mapping the last preview used, as sent to commit (every field, null for unmapped ones). */
export function mappingOf(fields: readonly string[], used: Readonly<Record<string, string>>): ImportMapping {
  const mapping: ImportMapping = {};
  for (const name of fields) mapping[name] = used[name] ?? null;
  return mapping;
}

/** Columns mapped to more than one field: each of those fields reads the same cells. */
export function sharedColumns(used: Readonly<Record<string, string>>): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const column of Object.values(used)) {
    if (seen.has(column)) shared.add(column);
    seen.add(column);
  }
  return shared;
}

export interface CommitProblem {
  /** The spreadsheet's row (1: the header or the mapping), null when the error names none. */
  row: number | null;
  /** The field at fault (`amount`, `incurred_on` …; `mapping`; `file`). */
  field: string;
  /** The server's sentence, which names the row and the column itself. */
  message: string;
}

const ROW_FIELD = /^(?:body\.)?rows\[(\d+)]\.(.+)$/;

/** A refused commit's field errors (`rows[3].amount`, `mapping`, `file`) as rows of a report. */
export function commitProblems(errors: readonly FieldError[]): CommitProblem[] {
  return errors.map((error) => {
    const match = ROW_FIELD.exec(error.field);
    if (match) return { row: Number(match[1]), field: match[2] ?? '', message: error.message };
    return { row: error.field === 'mapping' ? 1 : null, field: error.field, message: error.message };
  });
}

/**
 * What an import took across a threshold: each approved line whose level rose and the
 * project's, measured between the figures read before and after it (an import may touch any
 * line, so every line is compared; the server announces the same crossings once).
 */
export function importCrossings(before: BudgetSummary | undefined, after: BudgetSummary): Crossing[] {
  const found: Crossing[] = [];
  for (const line of after.lines) {
    found.push(...crossings(before, after, line.id).filter((c) => c.line !== null));
  }
  found.push(...crossings(before, after, null));
  return found;
}
