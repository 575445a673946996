import type { TFunction } from 'i18next';
import { isApiError } from '@/api/errors';

/**
 * The sentence to show a person for a failed call. The server's own detail wins
 * (it is already localised, e.g. 密码错误); otherwise a generic one by status.
 */
export function errorText(error: unknown, t: TFunction): string {
  if (isApiError(error)) {
    if (error.status === 0) return t('errors.network');
    if (error.detail) return error.detail;
    if (error.status === 409 || error.status === 412) return t('errors.conflict');
    if (error.status === 403) return t('errors.forbidden');
    if (error.status === 404) return t('errors.notFound');
    return error.title || t('errors.generic');
  }
  if (error instanceof Error && error.message) return error.message;
  return t('errors.generic');
}
