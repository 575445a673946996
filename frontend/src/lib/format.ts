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

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A decimal the API sent as a string ("14650.0000"), grouped and without trailing
 * zeros: 14,650. Intl formats the string itself, so no precision goes through a float.
 */
export function formatDecimal(
  value: string | number | null | undefined,
  locale: DisplayLocale = 'zh-CN',
  maximumFractionDigits = 4,
): string {
  if (value === null || value === undefined || value === '') return '—';
  const v = typeof value === 'string' ? value.trim() : value;
  if (typeof v === 'string' && !DECIMAL.test(v)) return '—';
  if (typeof v === 'number' && !Number.isFinite(v)) return '—';
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits }).format(
    v as unknown as number,
  );
}

/**
 * A calendar day sent without a time ("2026-11-20"): no time zone applies, so it is
 * shown as written. 2026年11月20日 in Chinese, Nov 20, 2026 in English.
 */
export function formatDay(value: string | null | undefined, locale: DisplayLocale = 'zh-CN'): string {
  if (!value) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return formatDate(value, locale);
  const d = dayjs(`${match[1]}-${match[2]}-${match[3]}T00:00:00`);
  if (!d.isValid()) return '—';
  return locale === 'en' ? d.format('MMM D, YYYY') : d.format('YYYY年M月D日');
}

/** Today's date (YYYY-MM-DD) in the organisation's time zone. */
export function todayIn(tz: string = DEFAULT_TIMEZONE, now: Date = new Date()): string {
  return dayjs(now).tz(tz).format('YYYY-MM-DD');
}
