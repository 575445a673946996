import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { BudgetRequestDrawer } from './BudgetRequestDrawer';
import { api, json, pm, project, renderPanel } from './testing';

function renderDrawer() {
  const onClose = vi.fn();
  renderPanel(
    pm,
    <MemoryRouter>
      <BudgetRequestDrawer project={project} summary={api.summary} open onClose={onClose} />
    </MemoryRouter>,
  );
  return { onClose };
}

async function choose(testId: string, title: string) {
  fireEvent.mouseDown(within(await screen.findByTestId(testId)).getByRole('combobox'));
  fireEvent.click(await screen.findByTitle(title));
}

function fieldOf(testId: string): HTMLElement {
  return screen.getByTestId(testId).closest('.ant-form-item') as HTMLElement;
}

const steps = () => screen.getAllByTestId('request-step').map((s) => s.getAttribute('data-role'));

/** Raises 信息流投放 from ¥50,000 to ¥80,000 and adds 差旅 at ¥25,000: ¥55,000 added. */
async function fillRequest() {
  fireEvent.change(await screen.findByTestId('request-line-l-ads'), { target: { value: '80000' } });
  fireEvent.click(screen.getByTestId('request-add-line'));
  await choose('request-added-0-category', '差旅');
  fireEvent.change(screen.getByTestId('request-added-0-name'), { target: { value: '差旅' } });
  fireEvent.change(screen.getByTestId('request-added-0-amount'), { target: { value: '25000' } });
  fireEvent.change(screen.getByTestId('request-reason'), { target: { value: '双旦加投' } });
}

beforeEach(() => api.reset());
afterEach(() => vi.unstubAllGlobals());

describe('the budget request drawer', () => {
  it('shows the totals as they are typed and asks finance once more than ¥50,000 is added', async () => {
    renderDrawer();
    expect(await screen.findByText('预算变更')).toBeInTheDocument();
    expect(screen.getByTestId('request-total-before')).toHaveTextContent('¥200,000.00');
    expect(screen.getByTestId('request-total-after')).toHaveTextContent('¥200,000.00');
    expect(screen.getByTestId('request-total-added')).toHaveTextContent('¥0.00');
    // The default flow (the organisation has none of its own here): the director only, for now.
    await waitFor(() => expect(steps()).toEqual(['director']));
    expect(screen.getByTestId('request-steps')).toHaveTextContent('新增金额超过 ¥50,000.00 时还需财务审批');

    fireEvent.change(screen.getByTestId('request-line-l-ads'), { target: { value: '80000' } });
    await waitFor(() => expect(screen.getByTestId('request-line-l-ads-change')).toHaveTextContent('+¥30,000.00'));
    expect(screen.getByTestId('request-total-added')).toHaveTextContent('¥30,000.00');
    expect(steps()).toEqual(['director']);

    // A cut does not pay for a rise.
    fireEvent.change(screen.getByTestId('request-line-l-venue'), { target: { value: '70000' } });
    await waitFor(() => expect(screen.getByTestId('request-line-l-venue-change')).toHaveTextContent('−¥30,000.00'));
    expect(screen.getByTestId('request-total-after')).toHaveTextContent('¥200,000.00');
    expect(screen.getByTestId('request-total-added')).toHaveTextContent('¥30,000.00');

    fireEvent.click(screen.getByTestId('request-add-line'));
    fireEvent.change(await screen.findByTestId('request-added-0-amount'), { target: { value: '25000' } });
    await waitFor(() => expect(screen.getByTestId('request-total-added')).toHaveTextContent('¥55,000.00'));
    expect(screen.getByTestId('request-total-after')).toHaveTextContent('¥225,000.00');
    expect(steps()).toEqual(['director', 'finance']);
    expect(screen.getByTestId('request-step-reason')).toHaveTextContent('新增金额超过 ¥50,000.00，需财务审批');
  });

  it('shows the organisation’s own flow', async () => {
    api.respond = (_method, path) =>
      path === '/approval-flows'
        ? json([
            {
              request_type: 'budget_request',
              revision: 'r1',
              is_default: false,
              steps: [
                { role: 'director', min_amount: null },
                { role: 'finance', min_amount: null },
              ],
            },
          ])
        : undefined;
    renderDrawer();
    await waitFor(() => expect(steps()).toEqual(['director', 'finance']));
  });

  it('sends the changed lines and the new ones, and puts item errors on their rows', async () => {
    api.respond = (method, path) =>
      method === 'POST' && path === '/projects/p1/budget-requests'
        ? json(
            {
              type: 'urn:mems:problem:validation-failed',
              title: '输入校验未通过',
              status: 422,
              detail: '输入校验未通过',
              errors: [
                { field: 'items[1].name', message: '项目已有同名的预算科目，请对该科目申请。', type: 'name_taken' },
                { field: 'items[0].amount', message: '该科目已按此金额批准。', type: 'unchanged' },
              ],
            },
            422,
          )
        : undefined;
    renderDrawer();
    await fillRequest();
    fireEvent.click(screen.getByTestId('budget-request-submit'));
    expect(
      await within(fieldOf('request-added-0-name')).findByText('项目已有同名的预算科目，请对该科目申请。'),
    ).toBeInTheDocument();
    expect(within(fieldOf('request-line-l-ads')).getByText('该科目已按此金额批准。')).toBeInTheDocument();
    // Not under another row, and no general alert when every error found its row.
    expect(within(fieldOf('request-line-l-venue')).queryByText('该科目已按此金额批准。')).toBeNull();
    expect(screen.queryByTestId('problem-alert')).toBeNull();
    expect(api.posts()[0]!.body).toEqual({
      reason: '双旦加投',
      items: [
        { line_id: 'l-ads', amount: '80000' },
        { category: 'travel', name: '差旅', phase_id: null, amount: '25000' },
      ],
    });
  });

  it('submits and closes', async () => {
    api.respond = (method, path, body) =>
      method === 'POST' && path === '/projects/p1/budget-requests'
        ? json({ id: 'br1', ...(body as object) }, 201)
        : undefined;
    const { onClose } = renderDrawer();
    await fillRequest();
    fireEvent.click(screen.getByTestId('budget-request-submit'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('says so when nothing is asked', async () => {
    renderDrawer();
    fireEvent.change(await screen.findByTestId('request-reason'), { target: { value: '无变化' } });
    fireEvent.click(screen.getByTestId('budget-request-submit'));
    expect(await screen.findByTestId('request-empty')).toHaveTextContent('没有要申请的内容');
    expect(api.posts()).toHaveLength(0);
  });
});
