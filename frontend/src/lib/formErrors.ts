import type { FormInstance } from 'antd';
import { isApiError } from '@/api/errors';

/**
 * Puts the server's field errors under the matching form fields. Returns true
 * when at least one error found its field (so a general alert can be skipped).
 */
export function applyFieldErrors(form: FormInstance, error: unknown): boolean {
  if (!isApiError(error) || error.errors.length === 0) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const byField = new Map<string, string[]>();
  for (const e of error.errors) {
    const name = e.field.replace(/^(body|query|path)\./, '').split('.')[0] ?? '';
    if (!known.has(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), e.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return byField.size > 0;
}
