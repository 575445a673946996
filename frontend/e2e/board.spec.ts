import { expect, test, type Page } from '@playwright/test';
import { loginAs, screenshot } from './helpers';

/**
 * The task board journey: the project manager adds a task to the draft campaign (年货节预热)
 * through the API, opens the board from the project page and drags the card from 待办 to
 * 进行中; the card lands there, the page says so, and the API has the new status. Then the
 * card goes on to 已完成, where the task's progress is 100%.
 */

const PROJECT = '2026Q4-渠道-年货节预热';
const TITLE = `e2e看板任务${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

interface TaskRead {
  id: string;
  status: string;
  progress: number;
}

async function csrfHeaders(page: Page) {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'mems_csrf')?.value ?? '';
  return { 'X-CSRF-Token': csrf };
}

test('a project manager drags a task card across the board and its status follows', async ({ page }) => {
  test.setTimeout(90_000);
  await loginAs(page, 'project_manager');

  const projects = (await (await page.request.get('/api/v1/projects?limit=50&offset=0')).json()) as {
    items: { id: string; name: string }[];
  };
  const project = projects.items.find((p) => p.name === PROJECT);
  expect(project, PROJECT).toBeDefined();
  // In the first phase, so its card is near the top of the 待办 column.
  const phases = (await (await page.request.get(`/api/v1/projects/${project!.id}/phases`)).json()) as { id: string }[];
  const created = await page.request.post(`/api/v1/projects/${project!.id}/tasks`, {
    data: { title: TITLE, phase_id: phases[0]?.id ?? null, duration_days: 2 },
    headers: await csrfHeaders(page),
  });
  expect(created.status(), await created.text()).toBe(201);
  const task = ((await created.json()) as { task: TaskRead }).task;
  expect(task.status).toBe('todo');

  // The board, from the project page's link.
  await page.goto(`/projects/${project!.id}`);
  await page.getByTestId('project-work-board').click();
  await expect(page.getByTestId('task-board')).toBeVisible();
  const card = page.locator(`[data-testid="board-card"][data-task-id="${task.id}"]`);
  await expect(page.getByTestId('board-column-todo').locator(`[data-task-id="${task.id}"]`)).toBeVisible();

  const drag = async (column: 'in_progress' | 'done') => {
    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/tasks/${task.id}`) && r.request().method() === 'PATCH',
    );
    await card.dragTo(page.getByTestId(`board-column-${column}`), { targetPosition: { x: 60, y: 40 } });
    const response = await saved;
    expect(response.status(), await response.text()).toBe(200);
  };

  await drag('in_progress');
  await expect(page.getByTestId('board-column-in_progress').locator(`[data-task-id="${task.id}"]`)).toBeVisible();
  await expect(page.getByText(`“${TITLE}”`).first()).toBeVisible();
  let now = (await (await page.request.get(`/api/v1/tasks/${task.id}`)).json()) as TaskRead;
  expect(now.status).toBe('in_progress');
  await screenshot(page, 'board-after-drag');

  await drag('done');
  await expect(page.getByTestId('board-column-done').locator(`[data-task-id="${task.id}"]`)).toBeVisible();
  now = (await (await page.request.get(`/api/v1/tasks/${task.id}`)).json()) as TaskRead;
  expect(now.status).toBe('done');
  expect(now.progress).toBe(100);
});
