import { formatDate, formatDateTime, formatDay, formatDecimal, formatMoney, formatNumber } from './format';

describe('formatMoney', () => {
  it('formats CNY in Chinese with the yuan sign and two decimals', () => {
    expect(formatMoney('1234567.5')).toBe('¥1,234,567.50');
    expect(formatMoney(0)).toBe('¥0.00');
  });

  it('keeps exact decimals from strings instead of going through floats', () => {
    expect(formatMoney('9007199254740993.10')).toBe('¥9,007,199,254,740,993.10');
  });

  it('formats negative amounts', () => {
    expect(formatMoney('-12.3')).toBe('-¥12.30');
  });

  it('shows a dash for missing or malformed values', () => {
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney(undefined)).toBe('—');
    expect(formatMoney('abc')).toBe('—');
  });

  it('supports English and other currencies', () => {
    expect(formatMoney('1000', 'CNY', 'en')).toBe('CN¥1,000.00');
    expect(formatMoney('1000', 'USD', 'zh-CN')).toBe('US$1,000.00');
  });
});

describe('formatDate', () => {
  it('cuts the day in Asia/Shanghai', () => {
    // 16:30 UTC on the 26th is already the 27th in Shanghai.
    expect(formatDate('2026-11-26T16:30:00Z')).toBe('2026年11月27日');
    expect(formatDate('2026-11-27T03:00:00Z')).toBe('2026年11月27日');
  });

  it('formats in English', () => {
    expect(formatDate('2026-11-27T03:00:00Z', 'en')).toBe('Nov 27, 2026');
  });

  it('shows a dash for missing or invalid input', () => {
    expect(formatDate(null)).toBe('—');
    expect(formatDate('not a date')).toBe('—');
  });
});

describe('formatDateTime', () => {
  it('shows minutes in the org time zone', () => {
    expect(formatDateTime('2026-11-27T06:05:00Z')).toBe('2026-11-27 14:05');
    expect(formatDateTime('2026-11-27T06:05:00Z', 'UTC')).toBe('2026-11-27 06:05');
  });

  it('shows a dash for missing values', () => {
    expect(formatDateTime(undefined)).toBe('—');
  });
});

describe('formatNumber', () => {
  it('groups thousands', () => {
    expect(formatNumber(12345)).toBe('12,345');
  });
});

describe('formatDecimal', () => {
  it('groups thousands and drops trailing zeros of API decimals', () => {
    expect(formatDecimal('14650.0000')).toBe('14,650');
    expect(formatDecimal('2.9000')).toBe('2.9');
    expect(formatDecimal('-1234.5')).toBe('-1,234.5');
  });

  it('keeps exact digits of large decimal strings', () => {
    expect(formatDecimal('9007199254740993.1200')).toBe('9,007,199,254,740,993.12');
  });

  it('shows a dash for missing or malformed values', () => {
    expect(formatDecimal(null)).toBe('—');
    expect(formatDecimal('')).toBe('—');
    expect(formatDecimal('12abc')).toBe('—');
  });
});

describe('formatDay', () => {
  it('shows a date-only value as written, in either language', () => {
    expect(formatDay('2026-11-20')).toBe('2026年11月20日');
    expect(formatDay('2026-01-05', 'en')).toBe('Jan 5, 2026');
    expect(formatDay(null)).toBe('—');
  });
});
