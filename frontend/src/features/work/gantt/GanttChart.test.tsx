import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import '@/i18n';
import { GanttChart } from './GanttChart';
import type { GanttLink, GanttTask } from './model';

const base = { progress: 0, milestone: false, critical: false, assigneeName: null } as const;
const TASKS: GanttTask[] = [
  { ...base, id: 'p', parentId: null, wbs: '1', title: '策划阶段', start: '2026-03-02', end: '2026-03-13' },
  {
    ...base,
    id: 'a',
    parentId: 'p',
    wbs: '1.1',
    title: '市场调研',
    start: '2026-03-02',
    end: '2026-03-06',
    critical: true,
    assigneeName: '王芳',
  },
  {
    ...base,
    id: 'b',
    parentId: 'p',
    wbs: '1.2',
    title: '方案撰写',
    start: '2026-03-09',
    end: '2026-03-12',
    assigneeName: '李雷',
  },
  {
    ...base,
    id: 'm',
    parentId: 'p',
    wbs: '1.3',
    title: '方案评审',
    start: '2026-03-13',
    end: '2026-03-13',
    milestone: true,
  },
  { ...base, id: 'c', parentId: null, wbs: '2', title: '执行', start: '2026-03-16', end: '2026-03-20' },
];
const LINKS: GanttLink[] = [{ id: 'l1', predecessorId: 'a', successorId: 'b', type: 'FS', lagDays: 0 }];

// jsdom has no layout and no canvas. SVAR sizes its virtual scrolling from the element sizes
// a ResizeObserver reports, and paints the chart's background grid once on a canvas. Give
// every element a size (a 1200×400 box), report it, and let a 2D context that draws nothing
// stand in (the grid lines are not asserted).
const layout: { name: 'offsetWidth' | 'offsetHeight' | 'clientWidth' | 'clientHeight'; value: number }[] = [
  { name: 'offsetWidth', value: 1200 },
  { name: 'offsetHeight', value: 400 },
  { name: 'clientWidth', value: 1200 },
  { name: 'clientHeight', value: 400 },
];
const originalResizeObserver = window.ResizeObserver;
const originalLayout = layout.map(
  ({ name }) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)] as const,
);

beforeAll(() => {
  for (const { name, value } of layout) {
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
  }
  class ReportingResizeObserver {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      const entry = { target, contentRect: { width: 1200, height: 400 } } as unknown as ResizeObserverEntry;
      queueMicrotask(() => this.callback([entry], this));
    }
    unobserve() {}
    disconnect() {}
  }
  window.ResizeObserver = ReportingResizeObserver;
  const noop = () => undefined;
  const context = new Proxy({}, { get: (_target, name) => (name === 'canvas' ? undefined : noop), set: () => true });
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
    () => context as unknown as CanvasRenderingContext2D,
  );
  vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockReturnValue('data:,');
});

afterAll(() => {
  vi.restoreAllMocks();
  for (const [name, descriptor] of originalLayout) {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
    else Reflect.deleteProperty(HTMLElement.prototype, name);
  }
  window.ResizeObserver = originalResizeObserver;
});

describe('GanttChart', () => {
  it('lists the tasks in the grid with Chinese headers and dates, and opens a task on double click', async () => {
    const opened: string[] = [];
    const { container } = render(
      <GanttChart
        tasks={TASKS}
        links={LINKS}
        today="2026-03-04"
        zoom="day"
        showBaseline={false}
        height={400}
        onTaskOpen={(id) => opened.push(id)}
      />,
    );
    expect(await screen.findByText('负责人')).toBeInTheDocument();
    expect(await screen.findByText('王芳')).toBeInTheDocument();
    const column = (id: string) =>
      [...container.querySelectorAll(`.wx-grid .wx-body .wx-col-${id}, .wx-grid .wx-row .wx-col-${id}`)].map(
        (cell) => cell.textContent,
      );
    expect(column('text')).toEqual(['策划阶段', '市场调研', '方案撰写', '方案评审', '执行']);
    expect(column('wbs')).toEqual(['1', '1.1', '1.2', '1.3', '2']);
    expect(column('startDay')).toContain('2026/03/09');
    // The critical task's bar carries the mark that turns it red; the others do not.
    expect([...container.querySelectorAll('.mems-gantt-critical')].map((el) => el.textContent)).toEqual(['市场调研']);
    expect(screen.getByTestId('gantt-today')).toBeInTheDocument();

    const row = container.querySelector('.wx-grid [data-id=":b"], .wx-grid [data-id="b"]');
    expect(row).not.toBeNull();
    fireEvent.dblClick(row!);
    await waitFor(() => expect(opened).toEqual(['b']));
  });

  it('starts weeks on Monday at week zoom', async () => {
    const { container } = render(
      <GanttChart tasks={TASKS} links={LINKS} today="2026-03-04" zoom="week" showBaseline={false} height={400} />,
    );
    await screen.findByText('王芳');
    await waitFor(() => expect(container.querySelectorAll('.wx-scale .wx-row').length).toBe(2));
    const weeks = [...(container.querySelectorAll('.wx-scale .wx-row')[1]?.querySelectorAll('.wx-cell') ?? [])].map(
      (cell) => cell.textContent,
    );
    // 2026-03-02 and 2026-03-09 are Mondays; a Sunday start would give 3/1 and 3/8.
    expect(weeks).toContain('3/2');
    expect(weeks).toContain('3/9');
    expect(weeks).not.toContain('3/1');
  });
});
