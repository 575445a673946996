import type { OverspendProject, Transparency } from './api';

/** How many lines an overspend row shows as tags before "+n". */
export const LINE_TAGS = 3;

/** A project's lines over a threshold, the furthest over first (critical before warn, then by percent). */
export function worstLines(project: OverspendProject, limit = LINE_TAGS): OverspendProject['lines'] {
  const rank = { critical: 2, warn: 1, ok: 0 } as const;
  return [...project.lines]
    .sort(
      (a, b) =>
        rank[b.level] - rank[a.level] ||
        (b.used_percent === null ? Infinity : Number(b.used_percent)) -
          (a.used_percent === null ? Infinity : Number(a.used_percent)),
    )
    .slice(0, limit);
}

/**
 * The bar's fill (0–100) and where the critical mark sits, on a scale that reaches the critical
 * threshold when it is above 100 % (as the budget tab's bars do).
 */
export function overspendBar(project: Pick<OverspendProject, 'used_percent' | 'critical_percent'>): number {
  const scale = Math.max(100, Number(project.critical_percent));
  const used = project.used_percent === null ? scale : Math.max(0, Number(project.used_percent));
  return Math.min(used, scale) * (100 / scale);
}

/**
 * The one transparency figure a home shows: the organisation's currency's share, else the
 * currency with the most spend; null when nothing was recorded.
 */
export function transparencyShare(
  transparency: Transparency,
  currency: string,
): { share: string; currency: string; below: boolean } | null {
  const measured = transparency.currencies.filter((c) => c.share_percent !== null);
  const chosen =
    measured.find((c) => c.currency === currency) ??
    [...measured].sort((a, b) => Number(b.recorded) - Number(a.recorded))[0];
  if (!chosen || chosen.share_percent === null) return null;
  return {
    share: chosen.share_percent,
    currency: chosen.currency,
    below: Number(chosen.share_percent) < Number(transparency.target_percent),
  };
}
