import dayjs from 'dayjs';
import type { Resource, WeekLoad, Workload } from './api';
import { boxesForSeeding, chenForSeeding, hallForSeeding, hallTaken, overCapacity } from './testing';
import i18n from '@/i18n';
import { conflictFlag } from './conflictText';
import {
  allocationBody,
  allocationTotals,
  allocationUpdateBody,
  allocationValues,
  allocationsByKind,
  bookedWindow,
  conflictsOf,
  conflictWindows,
  contractState,
  createBody,
  formValues,
  heatMap,
  hoursLabel,
  isoWeek,
  LOAD_COLORS,
  loadLevel,
  percentLabel,
  sortedConflicts,
  sumMoney,
  updateBody,
  windowEnd,
} from './model';

function week(hours: string, capacity: string, percent: string | null, over = false): WeekLoad {
  return {
    week_start: '2026-11-30',
    working_days: 5,
    capacity,
    hours,
    load_percent: percent,
    over,
    projects: [],
  };
}

const venue: Resource = {
  id: 'r-venue',
  kind: 'venue',
  name: '一号厅',
  active: true,
  notes: null,
  currency: 'CNY',
  member_id: null,
  member_name: null,
  role_title: null,
  capacity_hours_week: null,
  cost_rate: null,
  unit: null,
  unit_cost: null,
  stock: null,
  contact_name: null,
  contact_phone: null,
  contact_email: null,
  contract_no: null,
  contract_ends_on: null,
  address: '上海市青浦区',
  venue_capacity: 3000,
  allocations: 0,
  created_at: '2026-11-30T00:00:00Z',
  updated_at: '2026-11-30T00:00:00Z',
  version: 4,
};

describe('heat-map cell colouring', () => {
  it('is green under 80 %, amber from 80 to 100 %, red over capacity', () => {
    expect(loadLevel(week('20.00', '40.00', '50.0'))).toBe('ok');
    expect(loadLevel(week('31.50', '40.00', '78.8'))).toBe('ok');
    expect(loadLevel(week('32.00', '40.00', '80.0'))).toBe('busy');
    expect(loadLevel(week('40.00', '40.00', '100.0'))).toBe('busy');
    expect(loadLevel(week('42.00', '40.00', '105.0', true))).toBe('over');
  });

  it('leaves an unbooked week or one without capacity uncoloured', () => {
    expect(loadLevel(week('0.00', '40.00', '0.0'))).toBe('none');
    expect(loadLevel(week('0.00', '0.00', null))).toBe('none');
  });

  it('uses green, amber and red', () => {
    expect(LOAD_COLORS.ok.border).toBe('#95de64');
    expect(LOAD_COLORS.busy.border).toBe('#ffc53d');
    expect(LOAD_COLORS.over.border).toBe('#ff4d4f');
  });

  it('labels percents and hours without trailing zeros', () => {
    expect(percentLabel('125.0')).toBe('125%');
    expect(percentLabel('82.5')).toBe('83%');
    expect(percentLabel(null)).toBe('—');
    expect(hoursLabel('40.00')).toBe('40');
    expect(hoursLabel('7.50')).toBe('7.5');
  });
});

describe('the heat map', () => {
  const workload: Workload = {
    starts_on: '2026-11-30',
    weeks: ['2026-11-30', '2026-12-07'],
    people: [
      {
        resource_id: 'a',
        name: '孙悦',
        member_id: null,
        role_title: '品牌策划',
        active: true,
        capacity_hours_week: '40.00',
        weeks: [week('20.00', '40.00', '50.0'), { ...week('0.00', '40.00', '0.0'), week_start: '2026-12-07' }],
      },
      {
        resource_id: 'b',
        name: '陈晨',
        member_id: 'm',
        role_title: null,
        active: true,
        capacity_hours_week: '40.00',
        weeks: [week('50.00', '40.00', '125.0', true), { ...week('36.00', '40.00', '90.0'), week_start: '2026-12-07' }],
      },
    ],
  };

  it('has a row per person and a cell per week, coloured', () => {
    const grid = heatMap(workload);
    expect(grid.weeks).toEqual(['2026-11-30', '2026-12-07']);
    expect(grid.rows.map((r) => r.name)).toEqual(['孙悦', '陈晨']);
    expect(grid.rows[1]!.cells.map((c) => c.level)).toEqual(['over', 'busy']);
    expect(grid.rows[1]!.overWeeks).toBe(1);
    expect(grid.rows[0]!.overWeeks).toBe(0);
  });

  it('puts the most loaded first when asked', () => {
    expect(heatMap(workload, 'peak').rows.map((r) => r.name)).toEqual(['陈晨', '孙悦']);
  });

  it('numbers ISO weeks and finds the window end', () => {
    expect(isoWeek('2026-11-30')).toBe(49);
    expect(isoWeek('2026-12-28')).toBe(53);
    expect(isoWeek('2027-01-04')).toBe(1);
    expect(windowEnd(['2026-11-30', '2026-12-07'])).toBe('2026-12-13');
    expect(windowEnd([])).toBeNull();
  });
});

describe('resource bodies', () => {
  it('sends only the fields of the kind, trimmed, empty ones left out', () => {
    expect(
      createBody('person', {
        name: '  ',
        member_id: 'm1',
        capacity_hours_week: ' 32 ',
        cost_rate: '',
        address: 'ignored',
        notes: ' 兼职 ',
      }),
    ).toEqual({ kind: 'person', member_id: 'm1', capacity_hours_week: '32', notes: '兼职' });
    expect(createBody('vendor', { name: '星河会展', contract_ends_on: dayjs('2027-06-30'), stock: '3' })).toEqual({
      kind: 'vendor',
      name: '星河会展',
      contract_ends_on: '2027-06-30',
    });
  });

  it('updates what changed, clearing a field with null, at the version read', () => {
    const values = formValues(venue, (d) => dayjs(d));
    expect(values).toEqual({ name: '一号厅', notes: undefined, address: '上海市青浦区', venue_capacity: 3000 });
    expect(updateBody(venue, values)).toEqual({ version: 4 });
    expect(updateBody(venue, { ...values, name: '一号展厅', address: '', venue_capacity: 2800 })).toEqual({
      version: 4,
      name: '一号展厅',
      address: null,
      venue_capacity: 2800,
    });
  });

  it('keeps a cleared capacity as it is and treats 40 and 40.00 as the same', () => {
    const person = { ...venue, kind: 'person' as const, capacity_hours_week: '40.00', cost_rate: '150.00' };
    expect(updateBody(person, { name: person.name, capacity_hours_week: '', cost_rate: '150' })).toEqual({
      version: 4,
    });
  });

  it('books a person in hours and the others in a quantity', () => {
    const days: [dayjs.Dayjs, dayjs.Dayjs] = [dayjs('2026-12-01'), dayjs('2026-12-05')];
    expect(allocationBody('person', 'r1', { days, hours_per_day: ' 6 ', quantity: '3', note: '' })).toEqual({
      resource_id: 'r1',
      starts_on: '2026-12-01',
      ends_on: '2026-12-05',
      hours_per_day: '6',
    });
    expect(allocationBody('material', 'r2', { days, hours_per_day: '6', quantity: '30', note: '展会' })).toEqual({
      resource_id: 'r2',
      starts_on: '2026-12-01',
      ends_on: '2026-12-05',
      quantity: '30',
      note: '展会',
    });
  });
});

describe('contracts and conflicts', () => {
  it('says when a contract has ended or ends soon', () => {
    expect(contractState(null, '2026-12-01')).toBe('none');
    expect(contractState('2026-11-30', '2026-12-01')).toBe('ended');
    expect(contractState('2026-12-20', '2026-12-01')).toBe('soon');
    expect(contractState('2027-06-30', '2026-12-01')).toBe('ok');
  });

  it('lists people over capacity first, then by day', () => {
    const base = {
      resource_id: 'r',
      resource_kind: 'venue' as const,
      ends_on: '2026-12-31',
      projects: [],
      allocation_ids: [],
      hours: null,
      capacity: null,
      quantity: null,
      stock: null,
    };
    const sorted = sortedConflicts([
      { ...base, kind: 'double_booked', resource_name: '场地', starts_on: '2026-12-01' },
      { ...base, kind: 'over_capacity', resource_name: '陈晨', starts_on: '2026-12-07' },
      { ...base, kind: 'over_capacity', resource_name: '孙悦', starts_on: '2026-11-30' },
    ]);
    expect(sorted.map((c) => c.resource_name)).toEqual(['孙悦', '陈晨', '场地']);
  });
});

describe("a project's bookings", () => {
  const t = i18n.getFixedT('zh-CN');

  it("are grouped by kind in the catalogue's order, empty kinds left out", () => {
    expect(allocationsByKind([hallForSeeding, boxesForSeeding, chenForSeeding]).map((g) => g.kind)).toEqual([
      'person',
      'material',
      'venue',
    ]);
  });

  it('cover the days from the first start to the last end', () => {
    expect(bookedWindow([hallForSeeding, boxesForSeeding, chenForSeeding])).toEqual(['2026-11-30', '2026-12-10']);
    expect(bookedWindow([])).toBeNull();
  });

  it('add up hours and planned costs in cents', () => {
    expect(sumMoney(['0.10', '0.20', '1234.5', '7'])).toBe('1241.80');
    expect(allocationTotals([chenForSeeding, { ...chenForSeeding, id: 'a2', planned_cost: '0.35' }])).toEqual({
      hours: '60',
      cost: '4500.35',
    });
    expect(allocationTotals([hallForSeeding]).cost).toBeNull();
  });

  it('find their own conflicts, once each', () => {
    const twice = [overCapacity, hallTaken, { ...overCapacity, allocation_ids: ['a2', 'a1'] }];
    expect(conflictsOf(chenForSeeding, twice)).toEqual([overCapacity]);
    expect(conflictsOf(hallForSeeding, twice)).toEqual([hallTaken]);
    expect(conflictsOf(boxesForSeeding, twice)).toEqual([]);
  });

  it('flag a conflict in a few words, naming the other project', () => {
    expect(conflictFlag(overCapacity, 'p1', t)).toBe('超出本周工时（第 49 周，50/40 小时）');
    expect(conflictFlag(hallTaken, 'p1', t)).toBe('场地被 2026Q4-品牌-年终美妆展会 项目占用');
    expect(conflictFlag(hallTaken, 'p2', t)).toBe('场地被 2026Q4-品牌-年终种草计划 项目占用');
    expect(
      conflictFlag(
        { ...hallTaken, kind: 'over_stock', resource_kind: 'material', quantity: '600.00', stock: '500.00' },
        'p1',
        t,
      ),
    ).toBe('超出库存（需 600，库存 500）');
  });

  it('are changed by what differs, at the version read', () => {
    const values = allocationValues(chenForSeeding, (d) => dayjs(d));
    expect(values).toMatchObject({ hours_per_day: '6', task_id: 't1', note: '负责小红书笔记' });
    expect(allocationUpdateBody(chenForSeeding, values)).toEqual({ version: 1 });
    expect(
      allocationUpdateBody(chenForSeeding, {
        ...values,
        days: [dayjs('2026-12-01'), dayjs('2026-12-04')],
        hours_per_day: '6.00',
        task_id: undefined,
        note: '  ',
      }),
    ).toEqual({ version: 1, starts_on: '2026-12-01', task_id: null, note: null });
    // A quantity may be cleared; a person\'s hours may not (left as they are).
    expect(allocationUpdateBody(boxesForSeeding, { quantity: '' })).toMatchObject({ quantity: null });
    expect(allocationUpdateBody(chenForSeeding, { ...values, hours_per_day: '' })).not.toHaveProperty('hours_per_day');
  });

  it('ask for conflicts in windows the API takes', () => {
    expect(conflictWindows('2026-11-30', '2026-12-10')).toEqual([['2026-11-30', '2026-12-10']]);
    expect(conflictWindows('2026-01-01', '2027-03-01')).toEqual([
      ['2026-01-01', '2027-01-01'],
      ['2027-01-02', '2027-03-01'],
    ]);
  });
});
