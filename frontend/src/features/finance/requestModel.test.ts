import {
  approvalSteps,
  buildRequest,
  DEFAULT_BUDGET_FLOW,
  errorField,
  initialAmounts,
  itemChange,
  lineAmountProblem,
  lineChange,
  needsFinance,
  percentProblem,
  requestKind,
  requestLines,
  requestTotals,
  type RequestLine,
} from './requestModel';
import { project, summary } from './testing';

/** 展位费 ¥100,000, 印刷物料 ¥50,000, 信息流投放 ¥50,000 approved; 达人合作 planned at ¥30,000. */
function lines(): RequestLine[] {
  const s = summary();
  return requestLines(
    {
      ...s,
      lines: [
        ...s.lines,
        { ...s.lines[0]!, id: 'l-kol', name: '达人合作', category: 'vendors', state: 'plan', budget: '0.00' },
      ],
    },
    [
      ...project.budget_lines,
      {
        id: 'l-kol',
        position: 3,
        category: 'vendors',
        name: '达人合作',
        phase_id: null,
        amount: '30000.00',
        state: 'plan',
      },
    ],
  );
}

describe('the budget request form', () => {
  it('lists the lines in the categories’ order with their approved and planned amounts', () => {
    const rows = lines();
    expect(rows.map((l) => l.name)).toEqual(['展位费', '印刷物料', '信息流投放', '达人合作']);
    expect(rows[3]).toMatchObject({ state: 'plan', approved: '0.00', planned: '30000.00' });
    expect(initialAmounts(rows)).toEqual({
      'l-venue': '100000.00',
      'l-print': '50000.00',
      'l-ads': '50000.00',
      'l-kol': '30000.00',
    });
    expect(requestKind(rows)).toBe('change');
    expect(requestKind(rows.filter((l) => l.state === 'plan'))).toBe('initial');
  });

  it('asks for nothing while every line is left as it is, except plan lines to approve', () => {
    const rows = lines();
    const untouched = requestTotals(rows, { lines: initialAmounts(rows) });
    // The plan line at its planned amount is asked for: ¥30,000 added.
    expect(untouched).toEqual({ before: '200000.00', after: '230000.00', added: '30000.00', items: 1 });
    const withoutPlan = requestTotals(rows, { lines: { ...initialAmounts(rows), 'l-kol': null } });
    expect(withoutPlan).toEqual({ before: '200000.00', after: '200000.00', added: '0.00', items: 0 });
  });

  it('adds the increases only: a cut frees money but does not pay for another line’s rise', () => {
    const rows = lines();
    const totals = requestTotals(rows, {
      lines: { 'l-venue': '60000', 'l-print': '50000.00', 'l-ads': '90000.5', 'l-kol': '' },
      added: [
        { category: 'travel', name: '差旅', amount: '12000' },
        { category: 'other', name: '未填' },
      ],
    });
    // −40,000 on venue, +40,000.50 on ads, +12,000 new.
    expect(totals).toEqual({ before: '200000.00', after: '212000.50', added: '52000.50', items: 3 });
    expect(needsFinance(DEFAULT_BUDGET_FLOW, totals.added)).toBe(true);
  });

  it('needs finance only above ¥50,000 added (the default flow), or as the organisation’s flow says', () => {
    expect(needsFinance(DEFAULT_BUDGET_FLOW, '50000.00')).toBe(false);
    expect(needsFinance(DEFAULT_BUDGET_FLOW, '50000.01')).toBe(true);
    expect(approvalSteps(DEFAULT_BUDGET_FLOW, '0.00').map((s) => s.role)).toEqual(['director']);
    const own = [
      { role: 'director', min_amount: null },
      { role: 'finance', min_amount: null },
    ];
    expect(needsFinance(own, '1.00')).toBe(true);
    expect(approvalSteps([{ role: 'director', min_amount: '200000' }], '150000').map((s) => s.role)).toEqual([]);
  });

  it('shows each row’s change', () => {
    const [venue, , , kol] = lines();
    expect(lineChange(venue!, '120000')).toBe('20000.00');
    expect(lineChange(venue!, '100000.00')).toBeNull();
    expect(lineChange(venue!, '')).toBeNull();
    expect(lineChange(venue!, '1.234')).toBeNull();
    expect(lineChange(kol!, '30000')).toBe('30000.00');
    expect(lineChange(kol!, '0')).toBe('0.00');
    expect(itemChange({ before: '50000.00', after: '35000.00' })).toBe('-15000.00');
  });

  it('builds the body and remembers which row sent each item', () => {
    const rows = lines();
    const { body, refs } = buildRequest(rows, {
      reason: '  加投信息流  ',
      lines: { ...initialAmounts(rows), 'l-ads': '80000', 'l-kol': null },
      added: [{ category: 'travel', name: ' 差旅 ', phase_id: 'ph1', amount: 8000 }],
    });
    expect(body).toEqual({
      reason: '加投信息流',
      items: [
        { line_id: 'l-ads', amount: '80000' },
        { category: 'travel', name: '差旅', phase_id: 'ph1', amount: '8000' },
      ],
    });
    expect(refs).toEqual([
      { kind: 'line', lineId: 'l-ads' },
      { kind: 'added', index: 0 },
    ]);
  });

  it('puts a server error on the row that sent the item', () => {
    const refs = [
      { kind: 'line', lineId: 'l-ads' },
      { kind: 'added', index: 0 },
      { kind: 'added', index: 1 },
    ] as const;
    expect(errorField('items[0].amount', refs)).toEqual(['lines', 'l-ads']);
    expect(errorField('items[0].line_id', refs)).toEqual(['lines', 'l-ads']);
    expect(errorField('items[1].name', refs)).toEqual(['added', 0, 'name']);
    expect(errorField('body.items[2].phase_id', refs)).toEqual(['added', 1, 'phase_id']);
    expect(errorField('items[2].line_id', refs)).toEqual(['added', 1, 'amount']);
    expect(errorField('reason', refs)).toEqual(['reason']);
    expect(errorField('items', refs)).toBeNull();
    expect(errorField('items[7].amount', refs)).toBeNull();
  });

  it('checks amounts and thresholds as the server does', () => {
    expect(lineAmountProblem('0')).toBeNull();
    expect(lineAmountProblem('12.50')).toBeNull();
    expect(lineAmountProblem('')).toBe('required');
    expect(lineAmountProblem('-1')).toBe('negative');
    expect(lineAmountProblem('1.234')).toBe('decimals');
    expect(lineAmountProblem('1234567890123456')).toBe('tooLarge');
    expect(lineAmountProblem('abc')).toBe('invalid');
    expect(percentProblem('85.5')).toBeNull();
    expect(percentProblem('0')).toBe('positive');
    expect(percentProblem('80.125')).toBe('decimals');
    expect(percentProblem('10000')).toBe('tooLarge');
  });
});
