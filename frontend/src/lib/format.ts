import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Organisations default to China time; days are cut in the org's zone. */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

export type DisplayLocale = 'zh-CN' | 'en';

const moneyFormatters = new Map<string, Intl.NumberFormat>();

function moneyFormatter(currency: string, locale: DisplayLocale): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = moneyFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN', {
      style: 'currency',
      currency,
    });
    moneyFormatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Formats an amount of money. The API sends money as decimal strings so no
 * precision is lost; Intl formats a numeric string exactly, without going
 * through a float.
 */
export function formatMoney(
  amount: string | number | null | undefined,
  currency = 'CNY',
  locale: DisplayLocale = 'zh-CN',
): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const value = typeof amount === 'string' ? amount.trim() : amount;
  if (typeof value === 'string' && !/^-?\d+(\.\d+)?$/.test(value)) return '—';
  // ES2023 Intl accepts numeric strings; the lib typings only know numbers.
  return moneyFormatter(currency, locale).format(value as unknown as number);
}

function toZoned(value: string | Date, tz: string) {
  return dayjs(value).tz(tz);
}

/** A calendar day: 2026年11月27日 in Chinese, Nov 27, 2026 in English. */
export function formatDate(
  value: string | Date | null | undefined,
  locale: DisplayLocale = 'zh-CN',
  tz: string = DEFAULT_TIMEZONE,
): string {
  if (!value) return '—';
  const d = toZoned(value, tz);
  if (!d.isValid()) return '—';
  return locale === 'en' ? d.format('MMM D, YYYY') : d.format('YYYY年M月D日');
}

/** A moment in time, shown in the org's zone: 2026-11-27 14:30. */
export function formatDateTime(value: string | Date | null | undefined, tz: string = DEFAULT_TIMEZONE): string {
  if (!value) return '—';
  const d = toZoned(value, tz);
  if (!d.isValid()) return '—';
  return d.format('YYYY-MM-DD HH:mm');
}

export function formatNumber(value: number, locale: DisplayLocale = 'zh-CN'): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN').format(value);
}
