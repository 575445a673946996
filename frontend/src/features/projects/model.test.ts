import dayjs from 'dayjs';
import { toApiError } from '@/api/errors';
import type { Goal, Period } from './api';
import {
  buildCreateBody,
  goalOptions,
  goalPeriodIds,
  namingProblem,
  periodFor,
  templateDates,
  transitionConflict,
} from './model';

const stamp = { created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', version: 1 };

const period = (
  id: string,
  kind: 'year' | 'quarter',
  starts_on: string,
  ends_on: string,
  parent_id: string | null,
): Period => ({ id, name: id, kind, starts_on, ends_on, parent_id, ...stamp });

const periods = [
  period('2026', 'year', '2026-01-01', '2026-12-31', null),
  period('2026Q3', 'quarter', '2026-07-01', '2026-09-30', '2026'),
  period('2026Q4', 'quarter', '2026-10-01', '2026-12-31', '2026'),
];

const goal = (id: string, title: string, parent_id: string | null) =>
  ({ id, title, parent_id, period_id: '2026' }) as Goal;

describe('periods', () => {
  it('picks the quarter a project starts in, else the year', () => {
    expect(periodFor(periods, '2026-11-28')?.id).toBe('2026Q4');
    expect(periodFor(periods.slice(0, 1), '2026-11-28')?.id).toBe('2026');
    expect(periodFor(periods, '2027-01-05')).toBeUndefined();
  });

  it('offers the goals of the period and of the year above it', () => {
    expect(goalPeriodIds(periods, '2026Q4')).toEqual(['2026Q4', '2026']);
    expect(goalPeriodIds(periods, '2026')).toEqual(['2026']);
    expect(goalPeriodIds(periods, null)).toEqual([]);
  });
});

describe('goalOptions', () => {
  it('orders goals as a tree with their depth, orphans at the top', () => {
    const options = goalOptions([
      goal('c', '达人合作', 'b'),
      goal('a', '提升品牌知名度', null),
      goal('b', '内容营销部', 'a'),
      goal('x', '上级在别的期间', 'elsewhere'),
    ]);
    expect(options.map((o) => [o.label, o.depth])).toEqual([
      ['提升品牌知名度', 0],
      ['内容营销部', 1],
      ['达人合作', 2],
      ['上级在别的期间', 0],
    ]);
  });
});

describe('templateDates and buildCreateBody', () => {
  it('lays the template duration out from the start day', () => {
    const [start, end] = templateDates({ duration_days: 45 }, dayjs('2026-11-28T00:00:00'));
    expect(start.format('YYYY-MM-DD')).toBe('2026-11-28');
    expect(end.format('YYYY-MM-DD')).toBe('2027-01-11');
  });

  it('sends dates as days, money as a decimal string, and blank as no template', () => {
    const body = buildCreateBody(
      {
        name: ' 2026Q4-电商-双十一大促 ',
        type: 'promotion',
        dates: [dayjs('2026-11-01T00:00:00'), dayjs('2026-11-30T00:00:00')],
        total_budget: 200000,
        period_id: '2026Q4',
        team_id: undefined,
        description: '  ',
      },
      'blank',
      [{ objective_id: 'a' }, { objective_id: 'b', key_result_id: 'k' }],
      'CNY',
    );
    expect(body).toEqual({
      name: '2026Q4-电商-双十一大促',
      type: 'promotion',
      template: null,
      description: null,
      starts_on: '2026-11-01',
      ends_on: '2026-11-30',
      total_budget: '200000',
      currency: 'CNY',
      period_id: '2026Q4',
      team_id: null,
      goal_links: [
        { objective_id: 'a', key_result_id: null },
        { objective_id: 'b', key_result_id: 'k' },
      ],
    });
    expect(
      buildCreateBody(
        { ...body, dates: [dayjs(), dayjs()], total_budget: null } as never,
        'builtin:holiday_promotion',
        [],
        'CNY',
      ),
    ).toMatchObject({
      template: 'builtin:holiday_promotion',
      total_budget: 0,
    });
  });
});

describe('server problems', () => {
  it('reads the naming rule from a 422 on the name', () => {
    const error = toApiError(new Response(null, { status: 422 }), {
      title: 'Validation failed',
      status: 422,
      detail: 'The name does not follow the naming convention.',
      errors: [{ field: 'name', message: 'expected {期间}-{品牌线}-{活动名}', type: 'naming_convention' }],
      expected_form: '{期间}-{品牌线}-{活动名}',
      example: '2026Q4-品牌-双十一大促',
    });
    expect(namingProblem(error)).toEqual({
      message: 'expected {期间}-{品牌线}-{活动名}',
      expectedForm: '{期间}-{品牌线}-{活动名}',
      example: '2026Q4-品牌-双十一大促',
    });
  });

  it('ignores other validation problems and other statuses', () => {
    const dates = toApiError(new Response(null, { status: 422 }), {
      title: 'Validation failed',
      status: 422,
      errors: [{ field: 'ends_on', message: 'before start', type: 'value_error' }],
    });
    expect(namingProblem(dates)).toBeNull();
    expect(namingProblem(new Error('x'))).toBeNull();
  });

  it('reads the current status and allowed actions from a 409 transition', () => {
    const error = toApiError(new Response(null, { status: 409 }), {
      title: 'Conflict',
      status: 409,
      detail: 'Cannot start this project.',
      current_status: 'submitted',
      allowed_actions: ['withdraw', 'cancel'],
    });
    expect(transitionConflict(error)).toEqual({
      detail: 'Cannot start this project.',
      currentStatus: 'submitted',
      allowed: ['withdraw', 'cancel'],
    });
    expect(transitionConflict(toApiError(new Response(null, { status: 403 }), { title: 'Forbidden' }))).toBeNull();
  });
});
