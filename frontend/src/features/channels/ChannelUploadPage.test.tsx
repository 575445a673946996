import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Me } from '@/lib/roles';
import { ChannelUploadPage } from './ChannelUploadPage';
import { api, json, manager, renderPage, uploadPreview } from './testing';

beforeEach(() => api.reset());
afterEach(() => vi.unstubAllGlobals());

/** Sends channel data but does not manage channels: no mapping is saved on a source. */
const sender = { ...manager, permissions: ['channels:read', 'channel_data:send'] } as Me;

const uploads = () => api.of('POST').filter((c) => c.path === '/channel-data/uploads');
const form = (i: number) => uploads()[i]!.body as Record<string, string>;

async function chooseFile(me: Me = manager, url = '/channels/upload') {
  renderPage(me, <ChannelUploadPage />, url);
  await screen.findByTestId('upload-title');
  const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
  expect(input.accept).toBe('.csv,.xlsx,.xls,.ods');
  fireEvent.change(input, { target: { files: [new File(['日期,消耗\n'], '巨量引擎.csv', { type: 'text/csv' })] } });
  return screen.findByTestId('upload-preview');
}

async function pick(testId: string, option: string) {
  fireEvent.mouseDown(within(screen.getByTestId(testId)).getByRole('combobox'));
  const items = await screen.findAllByTitle(option);
  fireEvent.click(items.at(-1)!);
}

describe('ChannelUploadPage', () => {
  it('previews a chosen file with the guessed mapping, the rows and the totals', async () => {
    const preview = await chooseFile();
    expect(uploads()).toHaveLength(1);
    expect(form(0)).toEqual({ file: '(file)', commit: 'false' });
    const mapping = within(preview).getByTestId('upload-mapping');
    const spend = within(mapping).getByTestId('mapping-消耗').closest('tr')!;
    expect(within(spend).getByTestId('mapping-消耗')).toHaveTextContent('消耗');
    expect(within(spend).getByTestId('mapping-mark')).toHaveTextContent('自动识别');
    const note = within(mapping).getByTestId('mapping-备注').closest('tr')!;
    expect(note).toHaveTextContent('备注');
    expect(within(note).getByTestId('mapping-备注')).toHaveTextContent('忽略');
    expect(within(note).queryByTestId('mapping-mark')).not.toBeInTheDocument();
    expect(within(preview).getByTestId('upload-spend')).toHaveTextContent('¥3,041.00');
    expect(within(preview).getByTestId('upload-error-count')).toHaveTextContent('0');
    const rows = within(preview).getByTestId('upload-rows');
    expect(rows).toHaveTextContent('2026年11月28日');
    expect(rows).toHaveTextContent('12,000');
    expect(rows).toHaveTextContent('¥1,520.50');
    expect(screen.getByTestId('upload-commit')).toBeEnabled();
    expect(screen.getByTestId('upload-commit')).toHaveTextContent('导入 2 行');
    // No source chosen: nothing to save a mapping on.
    expect(screen.queryByTestId('upload-save-mapping')).not.toBeInTheDocument();
  });

  it('reads the file again with the whole mapping when a column changes', async () => {
    api.respond = (_method, path, body) => {
      if (path !== '/channel-data/uploads') return undefined;
      const sent = (body as Record<string, string>).mapping;
      return sent
        ? json(uploadPreview({ mapping: JSON.parse(sent) as Record<string, string | null>, guessed: [] }))
        : undefined;
    };
    await chooseFile();
    await pick('mapping-备注', '线索');
    await waitFor(() => expect(uploads()).toHaveLength(2));
    expect(JSON.parse(form(1).mapping!)).toEqual({
      日期: 'date',
      计划名称: 'campaign_name',
      展示数: 'impressions',
      点击数: 'clicks',
      消耗: 'spend',
      备注: 'leads',
    });
    expect(form(1).commit).toBe('false');
    await waitFor(() => expect(screen.getByTestId('mapping-备注')).toHaveTextContent('线索'));
    // Moving a field to another column leaves out the column that had it.
    await pick('mapping-备注', '消耗');
    await waitFor(() => expect(uploads()).toHaveLength(3));
    expect(JSON.parse(form(2).mapping!)).toMatchObject({ 消耗: null, 备注: 'spend' });
  });

  it('lists the problems by row and column and blocks the import', async () => {
    api.respond = (_method, path) =>
      path === '/channel-data/uploads'
        ? json(
            uploadPreview({
              errors: [
                { row: 1, column: '', field: '', message: '没有日期列' },
                { row: 3, column: '消耗', field: 'spend', message: '不是金额：“约 200”' },
              ],
              error_count: 2,
              can_commit: false,
            }),
          )
        : undefined;
    const preview = await chooseFile();
    const problems = within(preview).getByTestId('upload-problems');
    expect(problems).toHaveTextContent('发现 2 个问题，修正前无法导入');
    const header = within(problems).getByText('没有日期列').closest('tr')!;
    expect(header).toHaveTextContent('表头');
    const row = within(problems).getByText('不是金额：“约 200”').closest('tr')!;
    expect(row).toHaveTextContent('3');
    expect(row).toHaveTextContent('消耗');
    expect(within(preview).getByTestId('upload-error-count')).toHaveTextContent('2');
    expect(screen.getByTestId('upload-commit')).toBeDisabled();
    expect(screen.getByTestId('upload-blocked')).toHaveTextContent('请先解决文件中的问题');
  });

  it('imports with the source and the mapping saved, then follows the batch until it is written', async () => {
    await chooseFile(manager, '/channels/upload?source=s-upload');
    expect(form(0)).toMatchObject({ source_id: 's-upload', commit: 'false' });
    fireEvent.click(screen.getByTestId('upload-save-mapping'));
    fireEvent.click(screen.getByTestId('upload-commit'));
    await waitFor(() => expect(uploads()).toHaveLength(2));
    expect(form(1)).toMatchObject({ file: '(file)', source_id: 's-upload', commit: 'true', save_mapping: 'true' });
    expect(JSON.parse(form(1).mapping!)).toMatchObject({ 消耗: 'spend', 备注: null });
    const batch = await screen.findByTestId('upload-batch');
    await waitFor(() => expect(batch).toHaveTextContent('已写入 2 条记录'));
    expect(batch).toHaveTextContent('其中 1 条有质量标记');
    expect(within(batch).getByTestId('upload-batch-written')).toHaveTextContent('2');
    expect(within(batch).getByTestId('upload-batch-flagged')).toHaveTextContent('1');
    expect(api.of('GET').some((c) => c.path === '/channel-data/batches/b-up')).toBe(true);
    fireEvent.click(within(batch).getByTestId('upload-to-dashboard'));
    expect(screen.getByTestId('where')).toHaveTextContent('/channels/dashboard');
  });

  it('shows the batch while it is being written', async () => {
    api.respond = (_method, path) =>
      path === '/channel-data/batches/b-up' ? json({ ...api.batches[0], id: 'b-up', record_count: 2 }) : undefined;
    await chooseFile(sender);
    fireEvent.click(screen.getByTestId('upload-commit'));
    const batch = await screen.findByTestId('upload-batch');
    expect(batch).toHaveTextContent('已提交，正在写入 2 条记录');
    expect(within(batch).getByTestId('batch-status')).toHaveTextContent('处理中');
  });

  it('saves no mapping for who may not manage channels', async () => {
    await chooseFile(sender, '/channels/upload?source=s-upload');
    expect(screen.queryByTestId('upload-save-mapping')).not.toBeInTheDocument();
    fireEvent.click(screen.getByTestId('upload-commit'));
    await waitFor(() => expect(uploads()).toHaveLength(2));
    expect(form(1)).not.toHaveProperty('save_mapping');
  });

  it('names each row a refused import stumbled on', async () => {
    api.respond = (_method, path, body) =>
      path === '/channel-data/uploads' && (body as Record<string, string>).commit === 'true'
        ? json(
            {
              type: 'urn:mems:problem:validation',
              title: '校验失败',
              status: 422,
              detail: '文件有 1 个问题，未导入任何数据。',
              errors: [{ field: 'rows[7].campaign', message: '第 7 行：渠道“快手”不存在', type: 'import_row' }],
            },
            422,
          )
        : undefined;
    await chooseFile();
    fireEvent.click(screen.getByTestId('upload-commit'));
    const refused = await screen.findByTestId('upload-commit-problem');
    expect(refused).toHaveTextContent('文件有 1 个问题，未导入任何数据。');
    const row = within(refused).getByText('第 7 行：渠道“快手”不存在').closest('tr')!;
    expect(row).toHaveTextContent('7');
    expect(screen.queryByTestId('upload-batch')).not.toBeInTheDocument();
  });

  it.each([
    [413, '文件太大'],
    [415, '不支持此文件类型，请选择 CSV 或 Excel 文件'],
  ])('says plainly why a file is refused (%i)', async (status, text) => {
    api.respond = (_method, path) =>
      path === '/channel-data/uploads'
        ? json({ type: 'about:blank', title: 'Refused', status, detail: '文件被拒绝' }, status)
        : undefined;
    renderPage(manager, <ChannelUploadPage />, '/channels/upload');
    await screen.findByTestId('upload-title');
    const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
    fireEvent.change(input, { target: { files: [new File(['x'], 'big.csv', { type: 'text/csv' })] } });
    const problem = await screen.findByTestId('upload-problem');
    expect(problem).toHaveTextContent(text);
    expect(screen.queryByTestId('upload-preview')).not.toBeInTheDocument();
  });
});
