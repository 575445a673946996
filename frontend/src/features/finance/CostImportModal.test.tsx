import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CostLedger } from './CostLedger';
import type { ImportPreview } from './ledgerApi';
import { api, finance, json, pm, project, renderPanel, summary, viewer } from './testing';

beforeEach(() => api.reset());
afterEach(() => vi.unstubAllGlobals());

const FIELDS = [
  'incurred_on',
  'amount',
  'currency',
  'rate',
  'kind',
  'line',
  'category',
  'phase',
  'vendor',
  'description',
];

function preview(over: Partial<ImportPreview> = {}): ImportPreview {
  return {
    columns: ['日期', '金额', '预算科目', '收款方', '备注'],
    fields: FIELDS,
    required: ['incurred_on', 'amount'],
    mapping: { incurred_on: '日期', amount: '金额', line: '预算科目', description: '备注' },
    total_rows: 2,
    rows: [
      {
        row: 2,
        incurred_on: '2026-12-08',
        kind: 'actual',
        amount: '1200.00',
        currency: 'CNY',
        rate: '1',
        amount_project: '1200.00',
        line_id: 'l-print',
        line_name: '印刷物料',
        category: 'materials',
        phase_id: 'ph1',
        vendor: null,
        description: '海报',
      },
      {
        row: 3,
        incurred_on: '2026-12-09',
        kind: 'committed',
        amount: '800.00',
        currency: 'CNY',
        rate: '1',
        amount_project: '800.00',
        line_id: null,
        line_name: null,
        category: 'other',
        phase_id: null,
        vendor: null,
        description: null,
      },
    ],
    errors: [],
    error_count: 0,
    totals: { currency: 'CNY', rows: 2, actual: '1200.00', committed: '800.00', total: '2000.00' },
    can_commit: true,
    ...over,
  };
}

const withErrors = preview({
  total_rows: 4,
  errors: [
    { row: 4, column: '金额', field: 'amount', message: '不是数字' },
    { row: 5, column: '预算科目', field: 'line', message: '项目没有预算科目「场租」' },
  ],
  error_count: 2,
  can_commit: false,
});

const imports = () => api.posts().filter((c) => c.path === '/projects/p1/costs/import');

async function openWizard(answer: (body: Record<string, string>) => Response) {
  api.respond = (method, path, body) =>
    method === 'POST' && path === '/projects/p1/costs/import' ? answer(body as Record<string, string>) : undefined;
  renderPanel(pm, <CostLedger project={project} mayManage />);
  const button = await screen.findByTestId('cost-import');
  await waitFor(() => expect(button).toBeEnabled());
  fireEvent.click(button);
  const modal = await screen.findByTestId('import-modal');
  const input = modal.querySelector<HTMLInputElement>('input[type=file]')!;
  expect(input.accept).toBe('.csv,.xlsx,.xls');
  fireEvent.change(input, { target: { files: [new File(['日期,金额\n'], '成本.csv', { type: 'text/csv' })] } });
  // Chosen, not sent: the file is read only by the preview.
  await within(modal).findByText('成本.csv');
  expect(imports()).toHaveLength(0);
  fireEvent.click(within(modal).getByTestId('import-preview'));
  return modal;
}

async function pick(testId: string, option: string) {
  fireEvent.mouseDown(within(screen.getByTestId(testId)).getByRole('combobox'));
  const items = await screen.findAllByTitle(option);
  fireEvent.click(items.at(-1)!);
}

describe('the import wizard', () => {
  it('previews the file with the guessed mapping, then again with a changed column', async () => {
    const modal = await openWizard((body) => {
      const mapping = body.mapping ? (JSON.parse(body.mapping) as Record<string, string | null>) : null;
      return json(mapping ? preview({ mapping: { ...preview().mapping, vendor: mapping.vendor! } }) : preview());
    });
    await within(modal).findByTestId('import-mapping');
    expect(imports()[0]!.body).toEqual({ file: '(file)', commit: 'false' });
    // Required fields are marked; each field shows the column it is read from.
    const mapping = within(modal).getByTestId('import-mapping');
    const amountRow = within(mapping).getByTestId('mapping-field-amount').closest('tr')!;
    expect(amountRow).toHaveTextContent('必填');
    expect(within(mapping).getByTestId('mapping-field-vendor').closest('tr')).not.toHaveTextContent('必填');
    expect(within(mapping).getByTestId('mapping-select-amount')).toHaveTextContent('金额');
    // The rows as the server read them, with the totals.
    const rows = within(modal).getByTestId('import-rows');
    expect(within(rows).getByText('印刷物料').closest('tr')).toHaveTextContent('¥1,200.00');
    expect(within(rows).getByText('未列入预算科目').closest('tr')).toHaveTextContent('已承诺');
    expect(within(modal).getByTestId('import-sum')).toHaveTextContent('¥2,000.00');

    await pick('mapping-select-vendor', '收款方');
    await waitFor(() => expect(imports()).toHaveLength(2));
    const sent = imports()[1]!.body as Record<string, string>;
    expect(sent.commit).toBe('false');
    expect(JSON.parse(sent.mapping!)).toEqual({
      incurred_on: '日期',
      amount: '金额',
      currency: null,
      rate: null,
      kind: null,
      line: '预算科目',
      category: null,
      phase: null,
      vendor: '收款方',
      description: '备注',
    });
    await waitFor(() => expect(within(modal).getByTestId('mapping-select-vendor')).toHaveTextContent('收款方'));
    expect(within(modal).getByTestId('import-commit')).toBeEnabled();
  });

  it('lists the problems by row and column and does not let the file be imported', async () => {
    const modal = await openWizard(() => json(withErrors));
    const report = await within(modal).findByTestId('import-errors');
    expect(report).toHaveTextContent('发现 2 个问题');
    const first = within(report).getByText('不是数字').closest('tr')!;
    expect(first).toHaveClass('row-problem');
    expect(first).toHaveTextContent('4');
    expect(first).toHaveTextContent('金额');
    const second = within(report).getByText('项目没有预算科目「场租」').closest('tr')!;
    expect(second).toHaveTextContent('5');
    expect(second).toHaveTextContent('预算科目');
    expect(within(modal).getByTestId('import-error-count')).toHaveTextContent('2');
    expect(within(modal).getByTestId('import-commit')).toBeDisabled();
    expect(within(modal).getByTestId('import-commit')).toHaveTextContent('导入 2 条');
  });

  it('names a missing required column as a problem of the header row', async () => {
    const modal = await openWizard(() =>
      json(
        preview({
          mapping: { incurred_on: '日期' },
          rows: [],
          errors: [{ row: 1, column: '', field: '', message: '请为 amount 指定一列' }],
          error_count: 1,
          totals: { currency: 'CNY', rows: 0, actual: '0.00', committed: '0.00', total: '0.00' },
          can_commit: false,
        }),
      ),
    );
    const report = await within(modal).findByTestId('import-errors');
    expect(within(report).getByText('请为 amount 指定一列').closest('tr')).toHaveTextContent('表头');
    expect(within(modal).getByTestId('import-commit')).toBeDisabled();
  });

  it('shows a refused commit row by row and imports nothing', async () => {
    const modal = await openWizard((body) =>
      body.commit === 'true'
        ? json(
            {
              type: 'urn:mems:problem:validation-failed',
              title: '输入校验未通过',
              status: 422,
              detail: '文件有 1 个问题，未导入任何成本。',
              errors: [{ field: 'rows[3].amount', message: '第 3 行，金额列：金额最多两位小数', type: 'import_row' }],
            },
            422,
          )
        : json(preview()),
    );
    fireEvent.click(await within(modal).findByTestId('import-commit'));
    const problem = await within(modal).findByTestId('import-commit-problem');
    expect(problem).toHaveTextContent('文件有 1 个问题，未导入任何成本。');
    expect(within(problem).getByText('第 3 行，金额列：金额最多两位小数').closest('tr')).toHaveTextContent('3');
    expect(imports().at(-1)!.body).toMatchObject({ commit: 'true' });
    expect(screen.queryByTestId('import-done')).toBeNull();
  });

  it('commits with the mapping previewed, then says how many and what crossed a threshold', async () => {
    const modal = await openWizard((body) => {
      if (body.commit !== 'true') return json(preview());
      // The import takes 印刷物料 past its critical threshold.
      api.summary = summary({
        lines: summary().lines.map((l) =>
          l.id === 'l-print' ? { ...l, level: 'critical', used_percent: '102.4' } : l,
        ),
      });
      return json({ count: 2, ids: ['n1', 'n2'] }, 201);
    });
    const commitButton = await within(modal).findByTestId('import-commit');
    const ledgerReads = () => api.calls.filter((c) => c.method === 'GET' && c.path.startsWith('/projects/p1/costs?'));
    const readBefore = ledgerReads().length;
    fireEvent.click(commitButton);
    expect(await within(modal).findByTestId('import-done')).toHaveTextContent('已导入 2 条成本');
    const sent = imports().at(-1)!.body as Record<string, string>;
    expect(JSON.parse(sent.mapping!)).toMatchObject({ incurred_on: '日期', amount: '金额', vendor: null });
    expect(await screen.findByText('预算科目「印刷物料」已用 102.4%，达到超支线 100%')).toBeInTheDocument();
    // The ledger is read again.
    await waitFor(() => expect(ledgerReads().length).toBeGreaterThan(readBefore));
  });

  it.each([
    [413, 'payload-too-large', '文件太大'],
    [415, 'unsupported-media-type', '不支持此文件类型'],
  ])('explains a %s from the preview', async (status, slug, text) => {
    const modal = await openWizard(() =>
      json({ type: `urn:mems:problem:${slug}`, title: 'x', status, detail: '文件“成本.csv”不是表格文件' }, status),
    );
    const problem = await within(modal).findByTestId('import-problem');
    expect(problem).toHaveTextContent(text);
    // Still on the first step: another file can be chosen.
    expect(within(modal).getByTestId('import-preview')).toBeInTheDocument();
  });

  it('is offered to who may record costs, not to a reader', async () => {
    renderPanel(viewer, <CostLedger project={project} mayManage={false} />);
    await screen.findByTestId('cost-table');
    expect(screen.queryByTestId('cost-import')).toBeNull();
  });

  it('is offered to finance on any project', async () => {
    renderPanel(finance, <CostLedger project={project} mayManage={false} />);
    expect(await screen.findByTestId('cost-import')).toBeInTheDocument();
  });
});
