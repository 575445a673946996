/**
 * Small rules about strategy data that more than one page needs (the strategy page and
 * the director's home): how a progress value is shown and which period to open first.
 */

/** The API's rolled-up progress: fractions, `capped` in 0..1, `uncapped` unbounded. */
export interface ProgressValue {
  capped: number;
  uncapped: number;
}

export interface ProgressView {
  /** Whole percent for the bar, 0..100. */
  percent: number;
  /** The uncapped whole percent when the target is exceeded (e.g. 112), else null. */
  over: number | null;
  /** The value moved away from the target, below where it started. */
  regressed: boolean;
}

/**
 * What a progress bar shows. Rounds to whole percent, but never rounds a goal that is not
 * reached up to 100% nor one that has moved down to 0%.
 */
export function progressView(progress: ProgressValue | null | undefined): ProgressView | null {
  if (!progress || !Number.isFinite(progress.capped) || !Number.isFinite(progress.uncapped)) return null;
  const capped = Math.min(Math.max(progress.capped, 0), 1);
  let percent = Math.round(capped * 100);
  if (percent === 100 && capped < 1) percent = 99;
  if (percent === 0 && capped > 0) percent = 1;
  const overPercent = Math.round(progress.uncapped * 100);
  return {
    percent,
    over: progress.uncapped > 1 && overPercent > 100 ? overPercent : null,
    regressed: progress.uncapped < 0,
  };
}

export interface PeriodLike {
  id: string;
  kind: 'year' | 'quarter';
  starts_on: string;
  ends_on: string;
}

const contains = (p: PeriodLike, day: string) => p.starts_on <= day && day <= p.ends_on;
const newestFirst = (a: PeriodLike, b: PeriodLike) => b.starts_on.localeCompare(a.starts_on);

/**
 * The period to open when none is chosen: the year that contains today, else any period
 * that does, else the latest year already begun, else the newest period.
 * `today` is a YYYY-MM-DD day in the organisation's time zone.
 */
export function defaultPeriod<P extends PeriodLike>(periods: readonly P[], today: string): P | undefined {
  const sorted = [...periods].sort(newestFirst);
  return (
    sorted.find((p) => p.kind === 'year' && contains(p, today)) ??
    sorted.find((p) => contains(p, today)) ??
    sorted.find((p) => p.kind === 'year' && p.starts_on <= today) ??
    sorted[0]
  );
}
