import { defaultPeriod, progressView, type PeriodLike } from './strategy';

describe('progressView', () => {
  it('shows whole percent of the capped value', () => {
    expect(progressView({ capped: 0.7007, uncapped: 0.7007 })).toEqual({ percent: 70, over: null, regressed: false });
    expect(progressView({ capped: 1, uncapped: 1 })).toEqual({ percent: 100, over: null, regressed: false });
  });

  it('keeps over-achievement as text beyond the full bar', () => {
    expect(progressView({ capped: 1, uncapped: 1.1234 })).toEqual({ percent: 100, over: 112, regressed: false });
    // 100.2% is not worth an "exceeded" label.
    expect(progressView({ capped: 1, uncapped: 1.002 })?.over).toBeNull();
  });

  it('flags regression below the baseline', () => {
    expect(progressView({ capped: 0, uncapped: -0.25 })).toEqual({ percent: 0, over: null, regressed: true });
  });

  it('never rounds an unfinished goal up to 100% or a started one down to 0%', () => {
    expect(progressView({ capped: 0.996, uncapped: 0.996 })?.percent).toBe(99);
    expect(progressView({ capped: 0.003, uncapped: 0.003 })?.percent).toBe(1);
  });

  it('has nothing to show without progress', () => {
    expect(progressView(null)).toBeNull();
    expect(progressView(undefined)).toBeNull();
    expect(progressView({ capped: Number.NaN, uncapped: 0 })).toBeNull();
  });
});

describe('defaultPeriod', () => {
  const y2025: PeriodLike = { id: '2025', kind: 'year', starts_on: '2025-01-01', ends_on: '2025-12-31' };
  const y2026: PeriodLike = { id: '2026', kind: 'year', starts_on: '2026-01-01', ends_on: '2026-12-31' };
  const q4: PeriodLike = { id: '2026Q4', kind: 'quarter', starts_on: '2026-10-01', ends_on: '2026-12-31' };
  const y2027: PeriodLike = { id: '2027', kind: 'year', starts_on: '2027-01-01', ends_on: '2027-12-31' };

  it('opens the current year rather than the current quarter', () => {
    expect(defaultPeriod([q4, y2026, y2025], '2026-11-27')?.id).toBe('2026');
  });

  it('falls back to a quarter containing today, then the latest year begun, then the newest', () => {
    expect(defaultPeriod([q4, y2025], '2026-11-27')?.id).toBe('2026Q4');
    expect(defaultPeriod([y2025, y2027], '2026-11-27')?.id).toBe('2025');
    expect(defaultPeriod([y2027], '2026-11-27')?.id).toBe('2027');
    expect(defaultPeriod([], '2026-11-27')).toBeUndefined();
  });
});
