import { isApiError } from '@/api/errors';
import type { NamingConvention, NamingConventionIn } from './api';

export const PART_KINDS = ['period', 'choice', 'text'] as const;
export type PartKind = (typeof PART_KINDS)[number];

/** One named part of the pattern as edited, e.g. brand_line: a choice of 品牌, 电商, … */
export interface PartDraft {
  key: string;
  kind: PartKind;
  label: string;
  values: string[];
  max_length: number;
  example: string;
}

export interface NamingDraft {
  /** The revision the draft started from: sent back so a concurrent change is a 409. */
  revision: number;
  enabled: boolean;
  pattern: string;
  parts: PartDraft[];
}

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;
export const PART_KEY = /^[a-z_][a-z0-9_]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKind(value: unknown): value is PartKind {
  return typeof value === 'string' && (PART_KINDS as readonly string[]).includes(value);
}

/** The editable copy of the convention the server sent (its parts are loosely typed). */
export function draftFromConvention(convention: NamingConvention): NamingDraft {
  const parts: PartDraft[] = Object.entries(convention.parts).flatMap(([key, raw]) => {
    if (!isRecord(raw)) return [];
    return [
      {
        key,
        kind: isKind(raw.kind) ? raw.kind : 'text',
        label: typeof raw.label === 'string' ? raw.label : key,
        values: Array.isArray(raw.values) ? raw.values.filter((v): v is string => typeof v === 'string') : [],
        max_length: typeof raw.max_length === 'number' ? raw.max_length : 40,
        example: typeof raw.example === 'string' ? raw.example : '',
      },
    ];
  });
  return { revision: convention.revision, enabled: convention.enabled, pattern: convention.pattern ?? '', parts };
}

/** The names the pattern uses, in order: {period}-{brand_line} → period, brand_line. */
export function patternPartKeys(pattern: string): string[] {
  return [...pattern.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** Adds a value to a choice part; blank or repeated values change nothing. */
export function addChoiceValue(part: PartDraft, value: string): PartDraft {
  const v = value.trim();
  if (!v || part.values.includes(v)) return part;
  return { ...part, values: [...part.values, v] };
}

export function removeChoiceValue(part: PartDraft, value: string): PartDraft {
  return { ...part, values: part.values.filter((v) => v !== value) };
}

/** The PUT body. Values only travel with choice parts; a blank example means "pick one for me". */
export function buildNamingBody(draft: NamingDraft): NamingConventionIn {
  return {
    revision: draft.revision,
    enabled: draft.enabled,
    pattern: draft.pattern.trim(),
    parts: Object.fromEntries(
      draft.parts.map((p) => [
        p.key,
        {
          kind: p.kind,
          label: p.label.trim(),
          values: p.kind === 'choice' ? p.values : [],
          max_length: p.max_length,
          example: p.example.trim(),
        },
      ]),
    ),
  };
}

/**
 * What the draft would look like, worked out the way the server does it, so the preview
 * follows the edits before they are saved: {期间}-{品牌线}-{活动名}, 2026Q4-品牌-双十一大促.
 */
export function draftPreview(draft: NamingDraft): { expectedForm: string; example: string } {
  const byKey = new Map(draft.parts.map((p) => [p.key, p]));
  const expectedForm = draft.pattern.replace(PLACEHOLDER, (whole, key: string) => {
    const part = byKey.get(key);
    return part ? `{${part.label || key}}` : whole;
  });
  const example = draft.pattern.replace(PLACEHOLDER, (whole, key: string) => {
    const part = byKey.get(key);
    if (!part) return whole;
    if (part.example.trim()) return part.example.trim();
    if (part.kind === 'period') return '2026Q4';
    if (part.kind === 'choice') return part.values[0] ?? '';
    return '活动名';
  });
  return { expectedForm, example };
}

/** Whether the draft differs from what is saved. */
export function isDirty(draft: NamingDraft, saved: NamingConvention): boolean {
  return JSON.stringify(buildNamingBody(draft)) !== JSON.stringify(buildNamingBody(draftFromConvention(saved)));
}

/** The server's 422 by where it belongs: the pattern, a part (by key), or the convention as a whole. */
export interface NamingErrors {
  pattern: string[];
  parts: Record<string, string[]>;
  general: string[];
}

export function namingErrors(error: unknown): NamingErrors {
  const out: NamingErrors = { pattern: [], parts: {}, general: [] };
  if (!isApiError(error) || error.status !== 422) return out;
  for (const e of error.errors) {
    const field = e.field.replace(/^body\./, '');
    const part = /^parts\.([a-z_][a-z0-9_]*)/.exec(field);
    if (field === 'pattern') out.pattern.push(e.message);
    else if (part?.[1]) out.parts[part[1]] = [...(out.parts[part[1]] ?? []), e.message];
    else out.general.push(e.message);
  }
  if (error.errors.length === 0) out.general.push(error.detail ?? error.title);
  return out;
}
