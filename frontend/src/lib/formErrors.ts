import type { FormInstance } from 'antd';
import { isApiError, type FieldError } from '@/api/errors';
import i18n from '@/i18n';
import { fieldErrorText } from './errorText';

export interface ApplyFieldErrorsOptions {
  /**
   * The form's field names. Without it, only fields that hold a value are known, so an
   * error on a field left empty (e.g. an optional select) would find no home.
   */
  fields?: readonly string[];
  /**
   * The text to show for one error; when it returns undefined, the server's message in the UI
   * language (or a translation by the error's type when the server's is English).
   */
  message?: (error: FieldError) => string | undefined;
}

/**
 * Puts the server's field errors under the matching form fields. Returns true
 * when at least one error found its field (so a general alert can be skipped).
 */
export function applyFieldErrors(form: FormInstance, error: unknown, options: ApplyFieldErrorsOptions = {}): boolean {
  if (!isApiError(error) || error.errors.length === 0) return false;
  const known = new Set([
    ...Object.keys(form.getFieldsValue(true) as Record<string, unknown>),
    ...(options.fields ?? []),
  ]);
  const byField = new Map<string, string[]>();
  for (const e of error.errors) {
    const name = e.field.replace(/^(body|query|path)\./, '').split('.')[0] ?? '';
    if (!known.has(name)) continue;
    const text = options.message?.(e) ?? fieldErrorText(e, i18n.t.bind(i18n));
    byField.set(name, [...(byField.get(name) ?? []), text]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return byField.size > 0;
}
