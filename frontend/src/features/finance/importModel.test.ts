import { changedMapping, commitProblems, importCrossings, mappingOf, sharedColumns, templateCsv } from './importModel';
import { summary } from './testing';

const FIELDS = ['incurred_on', 'amount', 'currency', 'line', 'vendor'];

describe('the import mapping', () => {
  it('sends every field with the column the preview used and the one change', () => {
    const used = { incurred_on: '日期', amount: '金额' };
    expect(changedMapping(FIELDS, used, 'vendor', '收款方')).toEqual({
      incurred_on: '日期',
      amount: '金额',
      currency: null,
      line: null,
      vendor: '收款方',
    });
    // Clearing a guessed field sends null, so the server does not guess it again.
    expect(changedMapping(FIELDS, used, 'amount', null)).toMatchObject({ amount: null, incurred_on: '日期' });
    expect(mappingOf(FIELDS, used)).toEqual({
      incurred_on: '日期',
      amount: '金额',
      currency: null,
      line: null,
      vendor: null,
    });
  });

  it('names the columns two fields read', () => {
    expect([...sharedColumns({ vendor: '摘要', description: '摘要', amount: '金额' })]).toEqual(['摘要']);
  });
});

describe('a refused commit', () => {
  it('reads each row problem from its field name, the mapping as the header row', () => {
    expect(
      commitProblems([
        { field: 'rows[3].amount', message: '第 3 行，金额列：不是数字', type: 'import_row' },
        { field: 'rows[12].row', message: '第 12 行：…', type: 'import_row' },
        { field: 'mapping', message: '请为 amount 指定一列', type: 'import_row' },
        { field: 'file', message: '文件为空', type: 'empty' },
      ]),
    ).toEqual([
      { row: 3, field: 'amount', message: '第 3 行，金额列：不是数字' },
      { row: 12, field: 'row', message: '第 12 行：…' },
      { row: 1, field: 'mapping', message: '请为 amount 指定一列' },
      { row: null, field: 'file', message: '文件为空' },
    ]);
  });
});

describe('what an import took across a threshold', () => {
  it('names each line whose level rose and the project, once', () => {
    const before = summary();
    const after = summary({
      project: { ...before.project, level: 'warn', used_percent: '85.0' },
      lines: before.lines.map((l) =>
        l.id === 'l-venue'
          ? { ...l, level: 'critical', used_percent: '120.0' }
          : l.id === 'l-print'
            ? { ...l, level: 'warn', used_percent: '95.0' } // already warn: not told again
            : l,
      ),
    });
    expect(importCrossings(before, after)).toEqual([
      { line: '展位费', level: 'critical', usedPercent: '120.0' },
      { line: null, level: 'warn', usedPercent: '85.0' },
    ]);
    expect(importCrossings(before, before)).toEqual([]);
  });
});

describe('the template', () => {
  it('has the headers the server recognises, in Chinese, with a BOM for Excel', () => {
    const csv = templateCsv();
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).trim().split(',')).toEqual([
      '日期',
      '金额',
      '币种',
      '汇率',
      '类型',
      '预算科目',
      '类别',
      '阶段',
      '供应商',
      '说明',
    ]);
  });
});
