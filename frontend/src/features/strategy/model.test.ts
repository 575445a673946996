import zh from '@/i18n/zh-CN.json';
import type { Goal, GoalNode, Kpi, Period } from './api';
import {
  CHANNEL_KPI_METRICS,
  CHANNEL_METRIC_UNITS,
  SERVER_ERROR_KEYS,
  attainmentOf,
  buildForest,
  canCheckIn,
  channelMetricDirection,
  channelQueryOf,
  childLevel,
  formatKpiRange,
  formatKpiValue,
  guessPeriod,
  nodeIds,
  orderPeriods,
  isComputedKpi,
  sourceConfigOf,
  subtreeIds,
  summarize,
  trimDecimal,
} from './model';

const period = (id: string, kind: Period['kind'], starts_on: string, parent_id: string | null = null): Period => ({
  id,
  name: id,
  kind,
  starts_on,
  ends_on: starts_on.replace(/-\d\d-\d\d$/, '-12-31'),
  parent_id,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 1,
});

const goal = (id: string, parent_id: string | null = null, extra: Partial<Goal> = {}): Goal => ({
  id,
  period_id: 'p2026',
  parent_id,
  level: 'company',
  title: id,
  description: null,
  owner_member_id: null,
  owner_team_id: null,
  weight: '1.0000',
  progress: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 1,
  ...extra,
});

const kpi = (extra: Partial<Kpi> = {}): Kpi => ({
  id: 'k1',
  objective_id: 'g1',
  name: '新增粉丝5万人',
  unit: '人',
  baseline: '0.0000',
  target: '50000.0000',
  direction: 'increase',
  weight: '1.0000',
  owner_member_id: 'm-director',
  due_on: '2026-12-31',
  source: 'manual',
  source_config: {},
  current_value: '38200.0000',
  current_as_of: '2026-11-20',
  attainment: { capped: 0.764, uncapped: 0.764 },
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 1,
  ...extra,
});

const node = (g: Goal, children: GoalNode[] = [], kpis: Kpi[] = [], unmeasured = false): GoalNode => ({
  goal: g,
  key_results: kpis,
  children,
  unmeasured,
  projects: [],
  no_work: false,
});

describe('orderPeriods', () => {
  it('lists years newest first, each followed by its quarters newest first', () => {
    const periods = [
      period('2026Q3', 'quarter', '2026-07-01', '2026'),
      period('2025', 'year', '2025-01-01'),
      period('2026Q4', 'quarter', '2026-10-01', '2026'),
      period('2026', 'year', '2026-01-01'),
      period('2025Q4', 'quarter', '2025-10-01', '2025'),
    ];
    expect(orderPeriods(periods).map((o) => `${o.period.id}:${o.depth}`)).toEqual([
      '2026:0',
      '2026Q4:1',
      '2026Q3:1',
      '2025:0',
      '2025Q4:1',
    ]);
  });

  it('keeps quarters whose year is missing, at the top level', () => {
    const orphan = period('2024Q1', 'quarter', '2024-01-01', 'gone');
    expect(orderPeriods([orphan, period('2026', 'year', '2026-01-01')]).map((o) => [o.period.id, o.depth])).toEqual([
      ['2026', 0],
      ['2024Q1', 0],
    ]);
  });
});

describe('guessPeriod', () => {
  it('fills a year and its quarters from the name', () => {
    expect(guessPeriod('2027')).toEqual({ kind: 'year', starts_on: '2027-01-01', ends_on: '2027-12-31', year: '2027' });
    expect(guessPeriod('2027Q1')).toMatchObject({ kind: 'quarter', starts_on: '2027-01-01', ends_on: '2027-03-31' });
    expect(guessPeriod(' 2027 q3 ')).toMatchObject({ kind: 'quarter', starts_on: '2027-07-01', ends_on: '2027-09-30' });
    expect(guessPeriod('2027-Q4')).toMatchObject({ starts_on: '2027-10-01', ends_on: '2027-12-31', year: '2027' });
  });

  it('leaves other names alone', () => {
    expect(guessPeriod('双十一战役')).toBeNull();
    expect(guessPeriod('2027Q5')).toBeNull();
  });
});

describe('goal tree shaping', () => {
  it('steps one level down for a sub-goal', () => {
    expect(childLevel(null)).toBe('company');
    expect(childLevel('company')).toBe('department');
    expect(childLevel('team')).toBe('individual');
    expect(childLevel('individual')).toBe('individual');
  });

  it('builds a forest from a flat list, keeping goals whose parent is missing', () => {
    const goals = [goal('c1', 'root'), goal('root'), goal('c2', 'root'), goal('gc', 'c1'), goal('lost', 'elsewhere')];
    const forest = buildForest(goals);
    expect(forest.map((b) => b.goal.id)).toEqual(['root', 'lost']);
    expect(forest[0]!.children.map((b) => b.goal.id)).toEqual(['c1', 'c2']);
    expect(forest[0]!.children[0]!.children.map((b) => b.goal.id)).toEqual(['gc']);
  });

  it('finds a goal and everything under it (where it may not move)', () => {
    const goals = [goal('root'), goal('c1', 'root'), goal('c2', 'root'), goal('gc', 'c1')];
    expect([...subtreeIds(goals, 'c1')].sort()).toEqual(['c1', 'gc']);
    expect([...subtreeIds(goals, 'root')].sort()).toEqual(['c1', 'c2', 'gc', 'root']);
  });

  it('lists every goal id of a tree', () => {
    const tree = node(goal('root'), [node(goal('a', 'root'), [node(goal('b', 'a'))])]);
    expect(nodeIds([tree])).toEqual(['root', 'a', 'b']);
  });
});

describe('summarize', () => {
  it('counts goals, KPIs and flagged goals, and weighs the top goals', () => {
    const flagged = node(goal('talent', 'content'), [], [], true);
    const content = node(
      goal('content', 'brand', { progress: { capped: 0.5714, uncapped: 0.5714 } }),
      [flagged],
      [kpi()],
    );
    const brand = node(
      goal('brand', null, { progress: { capped: 0.7, uncapped: 0.7 }, weight: '3' }),
      [content],
      [kpi(), kpi()],
    );
    const other = node(goal('other', null, { progress: { capped: 0.3, uncapped: 0.3 } }), [], [kpi()]);
    const summary = summarize([brand, other]);
    expect(summary).toMatchObject({ goals: 4, kpis: 4, unmeasured: 1 });
    expect(summary.progress!.capped).toBeCloseTo((3 * 0.7 + 0.3) / 4);
  });

  it('leaves unmeasured top goals out, and counts zero weights equally', () => {
    const measured = node(goal('a', null, { progress: { capped: 0.4, uncapped: 0.4 }, weight: '0' }), [], [kpi()]);
    const alsoZero = node(goal('b', null, { progress: { capped: 0.8, uncapped: 1.2 }, weight: '0' }), [], [kpi()]);
    const empty = node(goal('c'), [], [], true);
    const summary = summarize([measured, alsoZero, empty]);
    expect(summary.progress!.capped).toBeCloseTo(0.6);
    expect(summary.progress!.uncapped).toBeCloseTo(0.8);
    expect(summarize([empty]).progress).toBeNull();
    expect(summarize([])).toEqual({ goals: 0, kpis: 0, unmeasured: 0, progress: null });
  });
});

describe('KPI values', () => {
  it('drops padding zeros for input boxes', () => {
    expect(trimDecimal('2.5000')).toBe('2.5');
    expect(trimDecimal('12000.0000')).toBe('12000');
    expect(trimDecimal('-3.10')).toBe('-3.1');
    expect(trimDecimal('100')).toBe('100');
  });

  it('groups numbers and shows the unit', () => {
    expect(formatKpiValue('38200.0000', '人')).toBe('38,200人');
    expect(formatKpiValue('14650.0000', '万次', 'en')).toBe('14,650 万次');
    expect(formatKpiValue('2.9000', '%')).toBe('2.9%');
    expect(formatKpiValue(null, '人')).toBe('—');
  });

  it('shows CNY as money', () => {
    expect(formatKpiValue('52.0000', 'CNY')).toBe('¥52.00');
    expect(formatKpiValue('1234567.5', '元')).toBe('¥1,234,567.50');
  });

  it('shows baseline → target with the unit once', () => {
    expect(formatKpiRange({ baseline: '12000.0000', target: '15600.0000', unit: '万次' })).toBe('12,000 → 15,600万次');
    expect(formatKpiRange({ baseline: '2.1000', target: '3.5000', unit: '%' })).toBe('2.1% → 3.5%');
    expect(formatKpiRange({ baseline: '68.0000', target: '45.0000', unit: 'CNY' })).toBe('¥68.00 → ¥45.00');
  });

  it('previews attainment the way the server computes it, for both directions', () => {
    expect(attainmentOf('0', '50000', '45000')).toEqual({ capped: 0.9, uncapped: 0.9 });
    expect(attainmentOf('68', '45', '52')!.capped).toBeCloseTo(16 / 23);
    expect(attainmentOf('0', '100', '150')).toEqual({ capped: 1, uncapped: 1.5 });
    expect(attainmentOf('10', '20', '5')).toEqual({ capped: 0, uncapped: -0.5 });
    expect(attainmentOf('0', '100', null)).toBeNull();
    expect(attainmentOf('0', '100', 'abc')).toBeNull();
    expect(attainmentOf('5', '5', '5')).toBeNull();
  });
});

describe('canCheckIn', () => {
  const owner = { membership_id: 'm-director', permissions: ['strategy:read', 'kpi:check_in'] };
  const other = { membership_id: 'm-member', permissions: ['strategy:read', 'kpi:check_in'] };
  const manager = { membership_id: 'm-admin', permissions: ['strategy:read', 'strategy:manage'] };
  const viewer = { membership_id: 'm-director', permissions: ['strategy:read'] };

  it('lets the owner and strategy managers check in, nobody else', () => {
    expect(canCheckIn(kpi(), owner)).toBe(true);
    expect(canCheckIn(kpi(), manager)).toBe(true);
    expect(canCheckIn(kpi(), other)).toBe(false);
    expect(canCheckIn(kpi({ owner_member_id: null }), other)).toBe(false);
    // Owning the KPI is not enough without the check-in permission.
    expect(canCheckIn(kpi(), viewer)).toBe(false);
  });

  it('takes no manual check-ins on computed KPIs', () => {
    expect(canCheckIn(kpi({ source: 'channel_metric' }), manager)).toBe(false);
  });
});

describe('KPIs computed from channel data', () => {
  it('read their query, the scope defaulted, a channel only when named', () => {
    const source = 'channel_metric' as const;
    expect(channelQueryOf({ source, source_config: { metric: 'ctr', scope: 'org', channel: 'douyin' } })).toEqual({
      metric: 'ctr',
      scope: 'org',
      channel: 'douyin',
    });
    expect(channelQueryOf({ source, source_config: { metric: 'spend' } })).toEqual({
      metric: 'spend',
      scope: 'goal_projects',
      channel: null,
    });
    // A query this SPA does not know, or a KPI checked in on, has none to show.
    expect(channelQueryOf({ source, source_config: { metric: 'reach' } })).toBeNull();
    expect(channelQueryOf({ source: 'manual', source_config: {} })).toBeNull();
  });

  it('send all channels as no channel', () => {
    expect(sourceConfigOf({ metric: 'roas', scope: 'goal_projects', channel: null })).toEqual({
      metric: 'roas',
      scope: 'goal_projects',
    });
    expect(sourceConfigOf({ metric: 'cpa', scope: 'org', channel: 'kuaishou' })).toEqual({
      metric: 'cpa',
      scope: 'org',
      channel: 'kuaishou',
    });
  });

  it('come in the unit and direction of their metric', () => {
    for (const metric of CHANNEL_KPI_METRICS) expect(CHANNEL_METRIC_UNITS[metric].trim()).not.toBe('');
    expect(CHANNEL_METRIC_UNITS.ctr).toBe('%');
    expect(CHANNEL_METRIC_UNITS.roi).toBe('%');
    expect(CHANNEL_METRIC_UNITS.spend).toBe('CNY');
    expect(channelMetricDirection('cpa')).toBe('decrease');
    expect(channelMetricDirection('cpm')).toBe('decrease');
    expect(channelMetricDirection('roas')).toBe('increase');
    expect(channelMetricDirection('spend')).toBe('increase');
  });

  it('are computed, and a manual KPI is not', () => {
    expect(isComputedKpi({ source: 'channel_metric' })).toBe(true);
    expect(isComputedKpi({ source: 'task_completion' })).toBe(true);
    expect(isComputedKpi({ source: 'manual' })).toBe(false);
  });
});

describe('server error texts', () => {
  it('exist in the locale files', () => {
    for (const key of Object.values(SERVER_ERROR_KEYS)) {
      const value = key.split('.').reduce<unknown>((n, part) => (n as Record<string, unknown>)[part], zh);
      expect(typeof value, key).toBe('string');
    }
  });
});
