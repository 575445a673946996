import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RulesPage } from './RulesPage';
import { api, ctrRule, member, planner, renderPage } from './testing';

beforeEach(() => api.reset());

const rowOf = async (name: string) => (await screen.findByText(name)).closest('tr')!;

async function choose(testId: string, title: string) {
  fireEvent.mouseDown(within(screen.getByTestId(testId)).getByRole('combobox'));
  fireEvent.click(await screen.findByTitle(title));
}

describe('RulesPage', () => {
  it('reads each rule’s condition in words, with its scope, window and open alerts', async () => {
    renderPage(member, <RulesPage />, '/alerts/rules');
    const relative = await rowOf('CTR 低于行业基准');
    expect(within(relative).getByTestId('rule-condition')).toHaveTextContent('CTR < 行业基准的 80%');
    expect(relative).toHaveTextContent('每个渠道');
    expect(relative).toHaveTextContent('近 7 天');
    expect(within(relative).getByTestId('rule-open-alerts')).toHaveTextContent('2');
    const cpa = await rowOf('CPA 过高');
    expect(within(cpa).getByTestId('rule-condition')).toHaveTextContent('CPA > ¥120.00');
    expect(cpa).toHaveTextContent('全组织');
    expect(within(cpa).getByTestId('severity-tag')).toHaveTextContent('严重');
  });

  it('leaves a member without edit controls', async () => {
    renderPage(member, <RulesPage />, '/alerts/rules');
    const row = await rowOf('CTR 低于行业基准');
    expect(within(row).getByTestId('rule-active-switch')).toBeDisabled();
    expect(screen.queryByTestId('rule-create')).not.toBeInTheDocument();
    expect(screen.queryByTestId('rules-evaluate')).not.toBeInTheDocument();
    expect(screen.queryByTestId('rule-edit')).not.toBeInTheDocument();
    expect(screen.queryByTestId('rule-delete')).not.toBeInTheDocument();
  });

  it('turns a typed percent into the fraction the server compares, for a ratio metric', async () => {
    const user = userEvent.setup();
    renderPage(planner, <RulesPage />, '/alerts/rules');
    await user.click(await screen.findByTestId('rule-create'));
    const form = await screen.findByTestId('rule-form');
    fireEvent.change(within(form).getByTestId('rule-name'), { target: { value: '抖音 CTR 过低' } });
    fireEvent.change(within(form).getByTestId('rule-threshold'), { target: { value: '1.5' } });
    expect(screen.getByTestId('rule-preview')).toHaveTextContent('当每个渠道近 7 天的 CTR < 1.5% 时，发出“警告”级预警');
    await user.click(screen.getByTestId('rule-submit'));
    await waitFor(() => expect(api.of('POST', '/alert-rules')).toHaveLength(1));
    const body = api.of('POST', '/alert-rules')[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      name: '抖音 CTR 过低',
      metric: 'ctr',
      comparator: 'lt',
      threshold: '0.015',
      relative: false,
      scope_kind: 'channel',
      window_unit: 'day',
      window_size: 7,
    });
    // None chosen: each channel; no benchmark kind for an absolute rule.
    expect(body).not.toHaveProperty('channel_id');
    expect(body).not.toHaveProperty('benchmark_kind');
  });

  it('sends a relative rule on the organisation with the benchmark kind it asks for', async () => {
    const user = userEvent.setup();
    renderPage(planner, <RulesPage />, '/alerts/rules');
    await user.click(await screen.findByTestId('rule-create'));
    const form = await screen.findByTestId('rule-form');
    fireEvent.change(within(form).getByTestId('rule-name'), { target: { value: '全组织 CTR 低于基准' } });
    await user.click(within(form).getByText('全组织'));
    await user.click(within(form).getByTestId('rule-relative'));
    fireEvent.change(within(form).getByTestId('rule-threshold'), { target: { value: '80' } });
    expect(screen.getByTestId('rule-preview')).toHaveTextContent('当全组织近 7 天的 CTR < 行业基准的 80% 时');
    // The organisation spans kinds of channel: whose benchmark applies must be said.
    await user.click(screen.getByTestId('rule-submit'));
    expect(await screen.findByText('请选择基准渠道类型')).toBeInTheDocument();
    expect(api.of('POST', '/alert-rules')).toHaveLength(0);
    await choose('rule-benchmark-kind', '短视频');
    expect(screen.getByTestId('rule-preview')).toHaveTextContent('（按短视频行业基准）');
    await user.click(screen.getByTestId('rule-submit'));
    await waitFor(() => expect(api.of('POST', '/alert-rules')).toHaveLength(1));
    expect(api.of('POST', '/alert-rules')[0]!.body).toMatchObject({
      metric: 'ctr',
      threshold: '80',
      relative: true,
      scope_kind: 'org',
      benchmark_kind: 'short_video',
    });
  });

  it('edits a ratio rule in percent and sends only what changed, at the version read', async () => {
    const user = userEvent.setup();
    api.rules = [ctrRule];
    renderPage(planner, <RulesPage />, '/alerts/rules');
    const row = await rowOf('全组织 CTR');
    expect(within(row).getByTestId('rule-condition')).toHaveTextContent('CTR < 0.8%');
    await user.click(within(row).getByTestId('rule-edit'));
    const threshold = await screen.findByTestId('rule-threshold');
    expect(threshold).toHaveValue('0.8');
    expect(screen.getByTestId('rule-scope-fixed')).toHaveTextContent('全组织');
    await user.clear(threshold);
    await user.type(threshold, '0.65');
    await user.click(screen.getByTestId('rule-submit'));
    await waitFor(() => expect(api.of('PATCH')).toHaveLength(1));
    expect(api.of('PATCH')[0]).toMatchObject({ path: '/alert-rules/r-abs', body: { threshold: '0.0065', version: 6 } });
    expect(Object.keys(api.of('PATCH')[0]!.body as object).sort()).toEqual(['threshold', 'version']);
  });

  it('runs every rule now and shows what came of it', async () => {
    const user = userEvent.setup();
    renderPage(planner, <RulesPage />, '/alerts/rules');
    await rowOf('CTR 低于行业基准');
    const before = api.of('GET', '/alert-rules').length;
    await user.click(screen.getByTestId('rules-evaluate'));
    expect(await screen.findByTestId('evaluate-result')).toHaveTextContent(
      '已检查 2 条规则、14 个对象：新增预警 1 条，持续 2 条，已恢复 3 条。',
    );
    expect(api.of('POST', '/alert-rule-runs')).toHaveLength(1);
    await waitFor(() => expect(api.of('GET', '/alert-rules').length).toBeGreaterThan(before));
  });

  it('pauses a rule at its version', async () => {
    const user = userEvent.setup();
    renderPage(planner, <RulesPage />, '/alerts/rules');
    const row = await rowOf('CTR 低于行业基准');
    await user.click(within(row).getByTestId('rule-active-switch'));
    await waitFor(() => expect(api.of('PATCH')).toHaveLength(1));
    expect(api.of('PATCH')[0]).toMatchObject({ path: '/alert-rules/r-ctr', body: { active: false, version: 2 } });
  });
});
