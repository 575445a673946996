import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { financeKeys } from './api';
import { RecordCostModal } from './RecordCostModal';
import { api, json, pm, project, renderPanel, summary } from './testing';

function renderModal() {
  const onClose = vi.fn();
  const { queryClient } = renderPanel(
    pm,
    <RecordCostModal project={project} summary={api.summary} open onClose={onClose} />,
  );
  // What the budget tab read before the cost: the crossings are measured against it.
  queryClient.setQueryData(financeKeys.budget('p1'), api.summary);
  return { onClose };
}

async function choose(testId: string, title: string) {
  fireEvent.mouseDown(within(await screen.findByTestId(testId)).getByRole('combobox'));
  fireEvent.click(await screen.findByTitle(title));
}

function fieldOf(testId: string): HTMLElement {
  return screen.getByTestId(testId).closest('.ant-form-item') as HTMLElement;
}

beforeEach(() => api.reset());
afterEach(() => vi.unstubAllGlobals());

describe('recording a cost', () => {
  it('asks for a rate only when the currency is not the project’s', async () => {
    renderModal();
    await screen.findByTestId('cost-form');
    expect(screen.queryByTestId('cost-rate')).toBeNull();
    await choose('cost-currency', '美元 (USD)');
    expect(await screen.findByTestId('cost-rate')).toBeInTheDocument();
    expect(screen.getByText('1 USD 折合多少 CNY；金额按此汇率折算为项目币种')).toBeInTheDocument();
    await choose('cost-currency', '人民币 (CNY)');
    await waitFor(() => expect(screen.queryByTestId('cost-rate')).toBeNull());
  });

  it('checks what the server would refuse before sending', async () => {
    renderModal();
    await screen.findByTestId('cost-form');
    fireEvent.change(screen.getByTestId('cost-amount'), { target: { value: '0' } });
    await choose('cost-currency', '美元 (USD)');
    fireEvent.click(screen.getByTestId('cost-submit'));
    expect(await screen.findByText('未选预算科目时，请选择类别')).toBeInTheDocument();
    expect(await within(fieldOf('cost-amount')).findByText('必须大于 0')).toBeInTheDocument();
    expect(await within(fieldOf('cost-rate')).findByText('USD 金额需要填写折合 CNY 的汇率')).toBeInTheDocument();
    expect(api.posts()).toHaveLength(0);
  });

  it('puts the server’s field errors under the fields they name', async () => {
    api.respond = (method, path) =>
      method === 'POST' && path === '/projects/p1/costs'
        ? json(
            {
              type: 'urn:mems:problem:validation-failed',
              title: '输入校验未通过',
              status: 422,
              detail: '输入校验未通过',
              errors: [
                { field: 'body.rate', message: '按此汇率折算后的金额过大。', type: 'too_large' },
                { field: 'body.phase_id', message: '该阶段不属于此项目。', type: 'not_found' },
              ],
            },
            422,
          )
        : undefined;
    renderModal();
    await choose('cost-category', '差旅');
    fireEvent.change(screen.getByTestId('cost-amount'), { target: { value: '1200' } });
    await choose('cost-currency', '美元 (USD)');
    fireEvent.change(await screen.findByTestId('cost-rate'), { target: { value: '7.1' } });
    fireEvent.click(screen.getByTestId('cost-submit'));
    expect(await within(fieldOf('cost-rate')).findByText('按此汇率折算后的金额过大。')).toBeInTheDocument();
    expect(within(fieldOf('cost-phase')).getByText('该阶段不属于此项目。')).toBeInTheDocument();
    expect(api.posts()[0]!.body).toMatchObject({
      kind: 'actual',
      amount: '1200',
      currency: 'USD',
      rate: '7.1',
      category: 'travel',
      line_id: null,
    });
  });

  it('records on a line, then warns at once when the line crossed a threshold', async () => {
    const s = summary();
    const { onClose } = renderModal();
    // The figures read after the cost: 印刷物料 went from 90 % (warn) to 112 % (critical).
    api.summary = {
      ...s,
      lines: s.lines.map((l) =>
        l.id === 'l-print'
          ? { ...l, actual: '56000.00', used: '56000.00', used_percent: '112.0', level: 'critical' }
          : l,
      ),
    };
    await choose('cost-line', '印刷物料');
    // The line gives its category and its phase.
    await waitFor(() => expect(within(fieldOf('cost-category')).getByText('物料')).toBeInTheDocument());
    expect(within(fieldOf('cost-phase')).getByText('筹备')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('cost-amount'), { target: { value: '11000' } });
    fireEvent.change(screen.getByTestId('cost-vendor'), { target: { value: '  彩印厂 ' } });
    fireEvent.click(screen.getByTestId('cost-submit'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(api.posts()[0]!.body).toMatchObject({
      kind: 'actual',
      amount: '11000',
      currency: 'CNY',
      rate: null,
      line_id: 'l-print',
      category: null,
      phase_id: 'ph1',
      vendor: '彩印厂',
    });
    expect(await screen.findByText('预算超支')).toBeInTheDocument();
    expect(screen.getByText('预算科目「印刷物料」已用 112%，达到超支线 100%')).toBeInTheDocument();
  });
});
