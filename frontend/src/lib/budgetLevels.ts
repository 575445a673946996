import type { components } from '@/api/schema';

/** How far used money has gone into a budget (the server's levels). */
export type BudgetLevel = components['schemas']['FiguresRead']['level'];

/** ok is the app's blue, warn amber, critical red (Ant Design's palette): every budget bar and tag. */
export const LEVEL_COLORS: Record<BudgetLevel, string> = {
  ok: '#1677ff',
  warn: '#faad14',
  critical: '#ff4d4f',
};

export const LEVEL_TAG_COLORS: Record<BudgetLevel, string> = { ok: 'blue', warn: 'gold', critical: 'red' };
