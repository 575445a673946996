import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import '@/i18n';
import { NameCheckHint } from './NameCheck';
import { useNameCheck } from './useNameCheck';

const FORM = '{期间}-{品牌线}-{活动名}';
const EXAMPLE = '2026Q4-品牌-双十一大促';
const GOOD = /^\d{4}Q[1-4]-(品牌|电商|新品|渠道)-.+$/;

const TAKEN = '2026Q4-电商-双十一大促';

let checked: string[] = [];

function issue(type: string, part: string | null, label: string | null, value: string, allowed: string[]) {
  // The server's message is English here: the hint must speak the UI's language regardless.
  return { type, message: `server says ${type}`, part, label, value, allowed_values: allowed, max_length: null };
}

function respond(request: Request, body: unknown): Response {
  const url = new URL(request.url);
  if (url.pathname === '/api/v1/naming-convention') {
    return Response.json({
      enabled: true,
      pattern: '{period}-{brand_line}-{campaign}',
      parts: {},
      expected_form: FORM,
      example: EXAMPLE,
    });
  }
  if (url.pathname === '/api/v1/naming-convention/check') {
    const name = (body as { name: string }).name;
    checked.push(name);
    const ok = GOOD.test(name) && name !== TAKEN;
    const issues = ok
      ? []
      : name === TAKEN
        ? [issue('duplicate', null, null, name, [])]
        : name.startsWith('2026Q4-美妆-')
          ? [issue('choice', 'brand_line', '品牌线', '美妆', ['品牌', '电商', '新品', '渠道', '私域'])]
          : [issue('period', 'period', '期间', name, [])];
    return Response.json({
      ok,
      expected_form: FORM,
      example: EXAMPLE,
      parts: {},
      problems: issues.map((i) => i.message),
      issues,
      period_values: [],
    });
  }
  return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
}

function Harness() {
  const [name, setName] = useState('');
  const check = useNameCheck(name, undefined, 50);
  return (
    <>
      <input aria-label="name" value={name} onChange={(e) => setName(e.target.value)} />
      <NameCheckHint check={check} />
    </>
  );
}

function renderHarness() {
  vi.stubGlobal('fetch', async (input: Request) => {
    const body: unknown = input.method === 'POST' ? await input.clone().json() : null;
    return respond(input, body);
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <Harness />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  checked = [];
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the naming check under the project name', () => {
  it('shows the rule with its example before anything is typed', async () => {
    renderHarness();
    const hint = screen.getByTestId('name-check');
    expect(
      await within(hint).findByText(/命名规范：\{期间\}-\{品牌线\}-\{活动名\}，例如 2026Q4-品牌-双十一大促/),
    ).toBeVisible();
    expect(checked).toEqual([]);
  });

  it('turns red naming the part at fault, and green once it is fixed', async () => {
    renderHarness();
    const user = userEvent.setup();
    const input = screen.getByLabelText('name');
    await user.type(input, '双十一大促');
    const hint = screen.getByTestId('name-check');
    const bad = await within(hint).findByText(/期间应为年份或季度/);
    expect(bad.closest('[data-state]')).toHaveAttribute('data-state', 'bad');
    expect(hint).toHaveTextContent(`命名规范：${FORM}，例如 ${EXAMPLE}`);
    expect(hint).not.toHaveTextContent('server says');

    await user.clear(input);
    await user.type(input, '2026Q4-电商-年货节');
    const ok = await within(hint).findByText(/名称符合命名规范/);
    expect(ok.closest('[data-state]')).toHaveAttribute('data-state', 'ok');
  });

  it('lists the values a choice part may hold', async () => {
    renderHarness();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('name'), '2026Q4-美妆-双十二');
    const hint = screen.getByTestId('name-check');
    const line = await within(hint).findByTestId('name-check-issue');
    expect(line).toHaveAttribute('data-part', 'brand_line');
    expect(line).toHaveTextContent('品牌线不能是“美妆”');
    expect(
      within(line)
        .getAllByTestId('name-check-allowed')
        .map((tag) => tag.textContent),
    ).toEqual(['品牌', '电商', '新品', '渠道', '私域']);
  });

  it('says a name is already used', async () => {
    renderHarness();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('name'), TAKEN);
    const hint = screen.getByTestId('name-check');
    expect(await within(hint).findByText('该名称已被使用：未取消的项目不能重名')).toBeVisible();
  });

  it('asks the server only once typing pauses, about the latest name', async () => {
    renderHarness();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('name'), '2026Q4-品牌-大促');
    await within(screen.getByTestId('name-check')).findByText(/名称符合命名规范/);
    // Typed one key at a time, faster than the pause: not a request per keystroke.
    expect(checked.length).toBeLessThan('2026Q4-品牌-大促'.length);
    expect(checked.at(-1)).toBe('2026Q4-品牌-大促');
  });
});
