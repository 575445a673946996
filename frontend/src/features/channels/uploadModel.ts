import type { FieldError } from '@/api/errors';
import type { UploadPreview } from './api';

/**
 * The rules of the upload page as plain functions: what a column may be mapped to, what a
 * changed column sends (the whole mapping, so nothing the server guessed moves under the
 * person's feet), which columns were guessed or saved, and a refused commit's problems by row.
 */

/** What the file picker takes (the server reads the same, by extension and content). */
export const UPLOAD_ACCEPT = '.csv,.xlsx,.xls,.ods';
/** The select's value for a column left out (a Select cannot hold null as an option). */
export const IGNORE = '__ignore__';
/** A column mapped to a metric MEMS has no field for: custom:<name>. */
export const CUSTOM = 'custom:';

export type Mapping = Record<string, string | null>;

/** Every column of the file with the field it is read into (null: left out), in the file's order. */
export function mappingOf(preview: Pick<UploadPreview, 'columns' | 'mapping'>): Mapping {
  const mapping: Mapping = {};
  for (const column of preview.columns) {
    if (column) mapping[column] = preview.mapping[column] ?? null;
  }
  return mapping;
}

/**
 * The mapping with `column` read into `field` (null: left out). A field is read from one column:
 * the column that had it before is left out, so moving a field is one choice, not two.
 */
export function remap(mapping: Mapping, column: string, field: string | null): Mapping {
  const next: Mapping = {};
  for (const [other, target] of Object.entries(mapping)) {
    next[other] = field !== null && other !== column && target === field ? null : target;
  }
  next[column] = field;
  return next;
}

/** The fields a column may be mapped to: the server's list, then the custom metrics already in use. */
export function fieldChoices(preview: Pick<UploadPreview, 'fields' | 'mapping'>): string[] {
  const custom = Object.values(preview.mapping).filter(
    (f): f is string => !!f && f.startsWith(CUSTOM) && !preview.fields.includes(f),
  );
  return [...preview.fields, ...new Set(custom)];
}

/** A custom metric's name from a header: letters, digits, _ and - and Chinese, at most 40. */
export function customField(column: string): string | null {
  const name = column
    .trim()
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9_\-\u4e00-\u9fff]/g, '')
    .slice(0, 40);
  return name ? `${CUSTOM}${name}` : null;
}

/** Where a column's field came from: the source's saved mapping, MEMS's guess, or the person. */
export function markOf(preview: Pick<UploadPreview, 'saved' | 'guessed'>, column: string): 'saved' | 'guessed' | null {
  if (preview.saved.includes(column)) return 'saved';
  if (preview.guessed.includes(column)) return 'guessed';
  return null;
}

/** A problem on the header's row (or above it) is about the file or its mapping, not a data row. */
export function isHeaderProblem(row: number, headerRow: number): boolean {
  return row <= headerRow;
}

export interface CommitProblem {
  /** The spreadsheet's row; null for the file as a whole. */
  row: number | null;
  field: string;
  message: string;
}

const ROW_FIELD = /^rows\[(\d+)\]\.(.+)$/;

/** A refused commit's problems (422: `rows[<row>].<field>`, or `mapping`/`file` for the whole file). */
export function commitProblems(errors: readonly FieldError[]): CommitProblem[] {
  return errors.map((error) => {
    const match = ROW_FIELD.exec(error.field);
    if (match) return { row: Number(match[1]), field: match[2] ?? '', message: error.message };
    return { row: null, field: error.field, message: error.message };
  });
}
