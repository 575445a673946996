import type { NamingConvention } from './api';

export interface PartRule {
  kind: 'period' | 'choice' | 'text';
  label: string;
  values: string[];
  max_length: number;
  example: string;
}

/** The pattern read left to right: separators and the parts between them. */
export type NameSegment = { kind: 'literal'; text: string } | { kind: 'part'; key: string; rule: PartRule };

// The convention's own placeholder syntax ({part_key}), not anything a user typed.
const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A part's rule from the convention's loosely typed `parts`. */
export function partRule(key: string, raw: unknown): PartRule {
  const r = isRecord(raw) ? raw : {};
  const kind = r.kind === 'period' || r.kind === 'choice' ? r.kind : 'text';
  return {
    kind,
    label: typeof r.label === 'string' && r.label ? r.label : key,
    values: Array.isArray(r.values) ? r.values.filter((v): v is string => typeof v === 'string') : [],
    max_length: typeof r.max_length === 'number' ? r.max_length : 40,
    example: typeof r.example === 'string' ? r.example : '',
  };
}

/** `{period}-{brand_line}-{campaign}` → period, "-", brand_line, "-", campaign. */
export function conventionSegments(convention: Pick<NamingConvention, 'pattern' | 'parts'>): NameSegment[] {
  const pattern = convention.pattern ?? '';
  const out: NameSegment[] = [];
  let pos = 0;
  for (const m of pattern.matchAll(PLACEHOLDER)) {
    const key = m[1] ?? '';
    if (m.index > pos) out.push({ kind: 'literal', text: pattern.slice(pos, m.index) });
    out.push({ kind: 'part', key, rule: partRule(key, convention.parts[key]) });
    pos = m.index + m[0].length;
  }
  if (pos < pattern.length) out.push({ kind: 'literal', text: pattern.slice(pos) });
  return out;
}

/** The name the pickers make: each part's value (trimmed) in its place. */
export function buildName(segments: readonly NameSegment[], values: Record<string, string>): string {
  return segments.map((s) => (s.kind === 'literal' ? s.text : (values[s.key] ?? '').trim())).join('');
}
