import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { loginAs, screenshot } from './helpers';

/**
 * The Gantt journey against the demo data: the project manager's draft project (年货节预热)
 * gets two linked tasks through the API; on the Gantt page the manager drags the first bar
 * three days later, and its successor moves with it (the notice lists it, the API agrees).
 */

const PROJECT = '2026Q4-渠道-年货节预热';
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const FIRST = `e2e主图设计${suffix}`;
const SECOND = `e2e详情页上线${suffix}`;

interface TaskRead {
  id: string;
  starts_on: string;
  due_on: string;
  version: number;
}

/** The API as the signed-in page: its session cookie, and the CSRF header unsafe calls need. */
async function apiAs(page: Page) {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'mems_csrf')?.value ?? '';
  const request: APIRequestContext = page.request;
  const headers = { 'X-CSRF-Token': csrf };
  return {
    get: async <T>(path: string): Promise<T> => {
      const response = await request.get(`/api/v1${path}`);
      expect(response.status(), path).toBe(200);
      return (await response.json()) as T;
    },
    post: async <T>(path: string, data: unknown): Promise<T> => {
      const response = await request.post(`/api/v1${path}`, { data, headers });
      expect(response.status(), `${path}: ${await response.text()}`).toBe(201);
      return (await response.json()) as T;
    },
  };
}

test('a project manager drags a task on the Gantt and sees its successor move', async ({ page }) => {
  // Three pages and a chart of the whole plan: slow on a shared 2-core machine.
  test.setTimeout(120_000);
  await loginAs(page, 'project_manager');
  const api = await apiAs(page);

  // Set-up through the API: two tasks in the first phase, the second after the first (FS).
  const projects = await api.get<{ items: { id: string; name: string; starts_on: string }[] }>(
    '/projects?limit=50&offset=0',
  );
  const project = projects.items.find((p) => p.name === PROJECT);
  expect(project, PROJECT).toBeDefined();
  const projectId = project!.id;
  const phases = await api.get<{ id: string }[]>(`/projects/${projectId}/phases`);
  const first = (
    await api.post<{ task: TaskRead }>(`/projects/${projectId}/tasks`, {
      title: FIRST,
      phase_id: phases[0]?.id ?? null,
      starts_on: project!.starts_on,
      duration_days: 3,
    })
  ).task;
  const second = (
    await api.post<{ task: TaskRead }>(`/projects/${projectId}/tasks`, {
      title: SECOND,
      phase_id: phases[0]?.id ?? null,
      duration_days: 2,
    })
  ).task;
  await api.post(`/projects/${projectId}/dependencies`, {
    predecessor_id: first.id,
    successor_id: second.id,
    type: 'FS',
    lag_days: 0,
  });
  const before = await api.get<TaskRead>(`/tasks/${second.id}`);
  // Finish-to-start: the successor starts after the predecessor's due date.
  expect(before.starts_on > first.due_on).toBe(true);

  // The Gantt page, from the project page's link.
  await page.goto(`/projects/${projectId}`);
  await page.getByTestId('project-work-gantt').click();
  await expect(page.getByTestId('work-gantt')).toHaveText(PROJECT);
  await expect(page.getByTestId('gantt-chart')).toBeVisible();
  await page.getByTestId('gantt-zoom').getByText('日').click();
  const bar = page.locator(`.wx-bar[data-task-id=":${first.id}"]`);
  await bar.scrollIntoViewIfNeeded();
  await expect(bar).toBeVisible();
  await screenshot(page, 'gantt-before-drag');

  // Drag the bar by its middle three day-cells to the right.
  const box = (await bar.boundingBox())!;
  const dayWidth = box.width / 3;
  const y = box.y + box.height / 2;
  const x = box.x + box.width * 0.4;
  const saved = page.waitForResponse(
    (r) => r.url().endsWith(`/api/v1/tasks/${first.id}`) && r.request().method() === 'PATCH',
  );
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 1; step <= 6; step += 1) await page.mouse.move(x + (dayWidth * 3 * step) / 6, y);
  await page.mouse.up();
  const response = await saved;
  expect(response.status()).toBe(200);
  const change = (await response.json()) as { task: TaskRead; moved: { task_id: string }[] };
  expect(change.task.starts_on > first.starts_on).toBe(true);
  expect(change.moved.map((m) => m.task_id)).toContain(second.id);

  // The notice lists the successor; the API has its new dates.
  const notice = page.getByTestId('moved-list');
  await expect(notice).toContainText(SECOND);
  const after = await api.get<TaskRead>(`/tasks/${second.id}`);
  expect(after.starts_on > before.starts_on).toBe(true);
  expect(after.due_on > before.due_on).toBe(true);
  expect(after.starts_on > change.task.due_on).toBe(true);
  await screenshot(page, 'gantt-after-drag');

  // The list shows the successor's new due date too.
  await page.getByTestId('work-views').getByText('任务列表').click();
  const row = page.getByTestId('task-row').filter({ hasText: SECOND });
  const [y2, m2, d2] = after.due_on.split('-').map(Number);
  await expect(row.getByTestId('task-due')).toHaveText(`${y2}年${m2}月${d2}日`);
});
