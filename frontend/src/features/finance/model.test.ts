import dayjs from 'dayjs';
import {
  amountProblem,
  barView,
  costBody,
  crossings,
  donutSegments,
  fromCents,
  groupLines,
  rateProblem,
  toCents,
} from './model';
import { summary } from './testing';

describe('money in cents', () => {
  it('reads and writes decimal strings exactly', () => {
    expect(toCents('1234.5')).toBe(123450n);
    expect(toCents('-0.07')).toBe(-7n);
    expect(toCents('12')).toBe(1200n);
    expect(fromCents(123450n)).toBe('1234.50');
    expect(fromCents(-7n)).toBe('-0.07');
    expect(fromCents(toCents('99999999999999.99'))).toBe('99999999999999.99');
  });
});

describe('the server’s rules, before sending', () => {
  it('an amount is above zero with at most two decimals and 11 whole digits', () => {
    expect(amountProblem('')).toBe('required');
    expect(amountProblem('0')).toBe('positive');
    expect(amountProblem('-5')).toBe('positive');
    expect(amountProblem('1.234')).toBe('decimals');
    expect(amountProblem('1.230')).toBeNull();
    expect(amountProblem('100000000000')).toBe('tooLarge');
    expect(amountProblem('99999999999.99')).toBeNull();
    expect(amountProblem('abc')).toBe('invalid');
  });

  it('a rate is above zero with at most six decimals', () => {
    expect(rateProblem('7.123456')).toBeNull();
    expect(rateProblem('7.1234567')).toBe('decimals');
    expect(rateProblem('0')).toBe('positive');
  });

  it('the body leaves out the rate in the project’s currency and the category on a line', () => {
    const values = {
      kind: 'committed' as const,
      incurred_on: dayjs('2026-12-05'),
      line_id: 'l1',
      category: 'venue' as const,
      amount: '100.5',
      currency: 'CNY',
      rate: '7.1',
      vendor: '  ',
      description: ' 定金 ',
    };
    expect(costBody(values, 'CNY')).toEqual({
      kind: 'committed',
      amount: '100.5',
      currency: 'CNY',
      rate: null,
      incurred_on: '2026-12-05',
      line_id: 'l1',
      category: null,
      phase_id: null,
      vendor: null,
      description: '定金',
    });
    expect(costBody({ ...values, line_id: null, currency: 'USD' }, 'CNY')).toMatchObject({
      rate: '7.1',
      category: 'venue',
      line_id: null,
    });
  });
});

describe('the lines table', () => {
  it('groups lines by category in the categories’ order, with money on no line in its category', () => {
    const s = summary();
    s.by_category = s.by_category.map((c) =>
      c.category === 'venue' ? { ...c, actual: '35000.00', used: '55000.00', entries: 3 } : c,
    );
    const rows = groupLines(s);
    expect(rows.map((r) => r.category)).toEqual(['venue', 'materials', 'ad_spend']);
    const venue = rows[0]!;
    expect(venue.children!.map((c) => c.kind)).toEqual(['line', 'unbudgeted']);
    expect(venue.children![1]!.figures).toMatchObject({
      actual: '5000.00',
      committed: '0.00',
      used: '5000.00',
      entries: 2,
    });
    expect(rows[1]!.children!.map((c) => c.kind)).toEqual(['line']);
  });
});

describe('the bar', () => {
  it('runs to 100 % or to a higher critical threshold, marks both thresholds and caps the fill', () => {
    expect(barView('50', '80', '100')).toEqual({ fill: 50, warnAt: 80, criticalAt: 100 });
    expect(barView('130', '80', '100').fill).toBe(100);
    expect(barView('60', '90', '120')).toEqual({ fill: 50, warnAt: 75, criticalAt: 100 });
    expect(barView(null, '80', '100').fill).toBe(0);
  });
});

describe('the donut', () => {
  it('lays the shares one after another, leaving out empty ones', () => {
    expect(
      donutSegments([
        { key: 'a', percent: 60 },
        { key: 'b', percent: 0 },
        { key: 'c', percent: 40 },
      ]),
    ).toEqual([
      { key: 'a', percent: 60, offset: 0 },
      { key: 'c', percent: 40, offset: 60 },
    ]);
  });
});

describe('crossings', () => {
  it('tells a rise of the line or the project, once', () => {
    const before = summary();
    const after = summary({
      project: { ...before.project, level: 'warn', used_percent: '85.0' },
      lines: before.lines.map((l) => (l.id === 'l-venue' ? { ...l, level: 'warn', used_percent: '82.0' } : l)),
    });
    expect(crossings(before, after, 'l-venue')).toEqual([
      { line: '展位费', level: 'warn', usedPercent: '82.0' },
      { line: null, level: 'warn', usedPercent: '85.0' },
    ]);
    // Still critical: nothing new to say.
    expect(crossings(before, before, 'l-ads')).toEqual([]);
    // A cost on no line: only the project can cross.
    expect(crossings(before, after, null)).toEqual([{ line: null, level: 'warn', usedPercent: '85.0' }]);
  });
});
