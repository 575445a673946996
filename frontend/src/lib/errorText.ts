import type { TFunction } from 'i18next';
import { isApiError, type ApiError, type FieldError } from '@/api/errors';
import { currentLanguage } from '@/i18n';

export interface ProblemTextOptions {
  /** Labels of the form's fields by name, to name a field at fault (`errors[].field`). */
  fieldLabels?: Readonly<Record<string, string>>;
  /** The action that was tried, e.g. the lifecycle action `finish`, when the caller knows it. */
  action?: string;
}

const HAN = /[\u3400-\u9fff]/;

/**
 * Whether a server text is in the UI's language. The API renders what it has translated in
 * the language asked for (Accept-Language); a text it has not translated stays English, and
 * a Chinese page then says something better of its own rather than show English.
 */
export function speaksUiLanguage(text: string, language: string): boolean {
  return language.startsWith('zh') ? HAN.test(text) : true;
}

/** `body.members[0].role` → `members`; the name a form field has. */
export function fieldName(field: string): string {
  return field.replace(/^(body|query|path)\./, '').split(/[.[]/)[0] ?? '';
}

/** The label of a field at fault: the form's own, a known one, or its name. */
export function fieldLabel(field: string, t: TFunction, labels?: Readonly<Record<string, string>>): string {
  const name = fieldName(field);
  return labels?.[name] ?? t(`problems.fields.${name}`, { defaultValue: name });
}

/** One field's complaint in the UI language: the server's when it speaks it, else by type. */
export function fieldErrorText(error: FieldError, t: TFunction): string {
  if (error.message && speaksUiLanguage(error.message, currentLanguage())) return error.message;
  const known = error.type ? t(`problems.field.${error.type}`, { defaultValue: '' }) : '';
  return known || error.message || t('problems.field.invalid');
}

function statusLabel(status: string, t: TFunction): string {
  return t(`projects.status.${status}`, { defaultValue: status });
}

function actionLabel(action: string, t: TFunction): string {
  return t(`projects.actions.${action}`, { defaultValue: t(`approvals.decision.${action}`, { defaultValue: action }) });
}

function slugOf(error: ApiError): string {
  return error.type.startsWith('urn:mems:problem:') ? error.type.slice('urn:mems:problem:'.length) : '';
}

const REASONS = new Set([
  'own_request',
  'second_step',
  'wrong_role',
  'comment_required',
  'finished',
  'change_request_needed',
]);

/** A naming-convention refusal: the form to follow, then the part at fault and its bound. */
function namingText(error: ApiError, t: TFunction): string {
  const form = error.extensionString('expected_form') ?? '';
  const example = error.extensionString('example');
  const label = error.extensionString('part_label');
  const allowed = error.extensionList('allowed_values');
  const limit = error.extensions.limit;
  const parts = [example ? t('problems.naming.formExample', { form, example }) : t('problems.naming.form', { form })];
  if (label && allowed?.length) parts.push(t('problems.naming.allowed', { label, values: allowed.join(' / ') }));
  else if (label && typeof limit === 'number') parts.push(t('problems.naming.tooLong', { label, limit }));
  else if (label) parts.push(t('problems.naming.part', { label }));
  // Chinese sentences end in 。 and follow each other without a space.
  return parts.join(currentLanguage().startsWith('zh') ? '' : ' ');
}

/** A lifecycle refusal (409 with `current_status` and perhaps `allowed_actions`). */
function lifecycleText(error: ApiError, t: TFunction, action?: string): string {
  const status = error.extensionString('current_status') ?? '';
  const allowed = error.extensionList('allowed_actions') ?? error.extensionList('allowed');
  if (allowed === undefined) {
    if (status === 'submitted') return t('problems.lifecycle.underApproval');
    return t('problems.lifecycle.frozen', { status: statusLabel(status, t) });
  }
  // The action is allowed in this status, yet refused: a guard said no.
  if (action && allowed.includes(action)) {
    if (action === 'finish') return t('problems.lifecycle.retrospectiveRequired');
    if (action === 'submit') return t('problems.lifecycle.goalRequired');
  }
  const refused = action
    ? t('problems.lifecycle.refusedAction', { status: statusLabel(status, t), action: actionLabel(action, t) })
    : t('problems.lifecycle.refused', { status: statusLabel(status, t) });
  const next = allowed.length
    ? t('problems.lifecycle.allowed', { actions: allowed.map((a) => actionLabel(a, t)).join('、') })
    : t('problems.lifecycle.final');
  return `${refused}${next}`;
}

/** The SPA's own sentence for a problem whose structured fields it understands, if any. */
function structuredText(error: ApiError, t: TFunction, options: ProblemTextOptions): string | undefined {
  const reason = error.extensionString('reason');
  if (reason && REASONS.has(reason)) return t(`problems.reason.${reason}`);
  if (error.extensionString('expected_form') !== undefined) return namingText(error, t);
  if (error.extensionString('current_status') !== undefined) return lifecycleText(error, t, options.action);
  const slug = slugOf(error);
  if (slug === 'stale-version' || error.extensions.current_version !== undefined) return t('errors.conflict');
  const duplicate = error.errors.find((e) => e.type === 'duplicate');
  if (duplicate && (error.status === 409 || slug === 'duplicate')) {
    if (fieldName(duplicate.field) === 'email') return t('problems.duplicateMember');
    return t('problems.duplicate', { field: fieldLabel(duplicate.field, t, options.fieldLabels) });
  }
  if (slug === 'validation-failed' && error.errors.length > 0) {
    const labels = [...new Set(error.errors.map((e) => fieldLabel(e.field, t, options.fieldLabels)))];
    return t('problems.invalidFields', { fields: labels.join('、') });
  }
  if (slug === 'payload-too-large' && typeof error.extensions.limit === 'number') {
    return t('problems.tooLarge', { limit: error.extensions.limit });
  }
  if (error.status === 429 && error.retryAfter) {
    return t('problems.throttled', { seconds: error.retryAfter });
  }
  return undefined;
}

/** A sentence by the problem's type or HTTP status, in the UI language. */
function genericText(error: ApiError, t: TFunction): string {
  const byType = slugOf(error) ? t(`problems.types.${slugOf(error)}`, { defaultValue: '' }) : '';
  if (byType) return byType;
  if (error.status === 409 || error.status === 412) return t('errors.conflict');
  if (error.status === 403) return t('errors.forbidden');
  if (error.status === 404) return t('errors.notFound');
  if (error.status === 401) return t('problems.types.unauthorized');
  if (error.status >= 500) return t('problems.types.internal-error');
  return t('errors.generic');
}

/**
 * The sentence to show a person for a failed call, in the UI language. What the SPA can
 * say better from the problem's structured fields comes first (lifecycle status and allowed
 * actions, the naming form and the part at fault, separation-of-duties reasons, the field a
 * duplicate or a validation error names); then the server's detail when it is in the UI
 * language (the API renders it per Accept-Language); then a sentence by type or status.
 */
export function errorText(error: unknown, t: TFunction, options: ProblemTextOptions = {}): string {
  if (isApiError(error)) {
    if (error.status === 0) return t('errors.network');
    const structured = structuredText(error, t, options);
    if (structured) return structured;
    if (error.detail && speaksUiLanguage(error.detail, currentLanguage())) return error.detail;
    return genericText(error, t);
  }
  if (error instanceof Error && error.message && speaksUiLanguage(error.message, currentLanguage()))
    return error.message;
  return t('errors.generic');
}
