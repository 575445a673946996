#!/usr/bin/env node
/**
 * Screenshots for the user guides in docs/: logs in as each demo user and saves PNGs
 * (1280×800, zh-CN) under docs/images/. Run it on demand, after the SPA changed:
 *
 *   cd frontend && npm run build && npm run docs:screenshots
 *
 * Without DOCS_BASE_URL it starts its own MEMS like `make run` does, on a fresh demo database
 * (scripts/e2e-server.sh, port DOCS_PORT, default 8790) and stops it afterwards. With
 * DOCS_BASE_URL=http://127.0.0.1:8000 it uses a server that is already running (its demo data
 * may have been changed by hand). ONLY=director,viewer limits the roles, NAMES=channel,alert the
 * pictures (those whose file name contains one of the words). Chromium is Debian's
 * (/usr/bin/chromium, CHROMIUM_PATH to change). Look at the pictures before committing them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = `${root}docs/images/`;
const port = Number(process.env.DOCS_PORT ?? 8790);
const baseURL = process.env.DOCS_BASE_URL ?? `http://127.0.0.1:${port}`;
const only = process.env.ONLY ? new Set(process.env.ONLY.split(',')) : null;
const names = process.env.NAMES ? process.env.NAMES.split(',') : null;
const PASSWORD = 'demo1234';

/** The demo campaign dated around today (tasks, work order, risk, check-ins): issue 9's pages. */
const WORK_PROJECT = '年终种草计划';
/** Yesterday in the demo organisation's time zone: the demo's check-ins were made then. */
const YESTERDAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(Date.now() - 86_400_000);

/**
 * What to show for each role: [file name, path, optional step before the picture, optional
 * { height } for a taller window than 800 px, to show more of a page that fills the window].
 */
const SHOTS = {
  admin: [
    ['admin-home', '/'],
    ['admin-members', '/admin/members'],
    ['admin-teams', '/teams'],
    ['admin-settings', '/admin/settings'],
    ['admin-work-calendar', '/admin/settings', scrollToCard('work-calendar')],
    ['admin-work-rules', '/admin/settings', scrollToCard('work-settings')],
    ['admin-audit-logs', '/admin/audit-logs'],
    ['admin-api-tokens', '/admin/api-tokens'],
    ['admin-channels', '/channels'],
    ['admin-data-sources', '/channels/sources'],
    ['admin-channel-upload', '/channels/upload'],
    ['admin-benchmarks', '/channels/benchmarks', undefined, { height: 1000 }],
    ['admin-notification-channels', '/settings/notification-channels'],
  ],
  director: [
    ['director-home', '/'],
    ['director-approvals', '/approvals'],
    ['director-approval-drawer', '/approvals', openFirstApproval],
    ['director-strategy', '/strategy'],
    ['director-battle-map', '/projects', openWorkProjectPage('project-battle-map', 'battle-workload'), { height: 980 }],
    ['director-checkins-team', `/checkins?tab=team&day=${YESTERDAY}`],
    ['director-checkins-everyone', `/checkins?tab=everyone&day=${YESTERDAY}`],
    ['director-channel-dashboard', '/channels/dashboard', collapseMenu, { height: 1500 }],
    ['director-alerts', '/alerts'],
    ['director-alert-detail', '/alerts', openFirstAlert, { height: 1000 }],
    ['director-alert-rules', '/alerts/rules', collapseMenu],
  ],
  project_manager: [
    ['pm-home', '/'],
    ['pm-projects', '/projects'],
    ['pm-new-project', '/projects/new'],
    ['pm-new-project-basics', '/projects/new', wizardBasics],
    ['pm-project-detail', '/projects', openFirstProject],
    ['pm-notifications', '/', openNotifications],
    ['pm-tasks', '/projects', openWorkProjectPage('project-work-tasks', 'work-tasks')],
    ['pm-board', '/projects', openWorkProjectPage('project-work-board', 'work-board')],
    ['pm-gantt', '/projects', ganttByWeek],
    ['pm-issues', '/projects', openWorkProjectPage('project-work-issues', 'issues-page')],
    ['pm-project-activity', '/projects', openWorkProjectTab('动态')],
    ['pm-budget-request', '/projects', openBudgetRequest],
    ['pm-resources-tab', '/projects', openWorkProjectTabKey('resources', 'project-resources'), { height: 1200 }],
    ['resources-catalogue', '/resources'],
    ['workload', '/workload', showWorkload],
  ],
  member: [
    ['member-home', '/'],
    ['member-checkins', '/checkins'],
    ['member-work-orders', '/work-orders', showOrderActions],
    ['member-work-order-detail', '/work-orders', openFirstOrder],
    ['member-strategy', '/strategy'],
  ],
  finance: [
    ['finance-home', '/'],
    ['finance-approvals', '/approvals', showAllApprovals],
    ['finance-approval-history', '/approvals', openDecidedApproval],
    ['finance-budget-change', '/approvals', openBudgetChange],
    ['finance-budget', '/projects', openWorkProjectTabKey('budget', 'budget-panel'), { height: 1100 }],
    ['finance-ledger', '/projects', showLedger],
    ['finance-import', '/projects', openCostImport],
    ['finance-costs-to-verify', '/finance/costs', collapseMenu],
  ],
  viewer: [
    ['viewer-home', '/'],
    ['viewer-projects', '/projects'],
  ],
};

const EMAILS = {
  admin: 'admin@demo.mems',
  director: 'director@demo.mems',
  project_manager: 'pm@demo.mems',
  member: 'member@demo.mems',
  finance: 'finance@demo.mems',
  viewer: 'viewer@demo.mems',
};

/** The first open alert: its figures, the suggestion and the timeline. */
async function openFirstAlert(page) {
  await page.getByTestId('alert-open').first().click();
  await page.getByTestId('alert-suggestion').waitFor();
}

async function openFirstApproval(page) {
  await page.getByTestId('approval-open').first().click();
  await page.getByTestId('approval-drawer').waitFor();
}

/** The 全部 tab: every request, decided ones included. */
async function showAllApprovals(page) {
  await page.getByRole('tab', { name: '全部' }).click();
  await settle(page);
}

/** A request that went through both steps (director, then finance above ¥500,000). */
async function openDecidedApproval(page) {
  await showAllApprovals(page);
  await page
    .locator('tr')
    .filter({ hasText: '双十一' })
    .filter({ hasText: '立项审批' })
    .getByTestId('approval-open')
    .first()
    .click();
  await page.getByTestId('approval-drawer').waitFor();
  await settle(page);
  await page.getByTestId('approval-history').scrollIntoViewIfNeeded();
}

/** The demo's budget change waiting for finance: its lines before → after and its steps. */
async function openBudgetChange(page) {
  await page.getByTestId('approval-open').filter({ hasText: '双十一' }).first().click();
  await page.getByTestId('approval-drawer').waitFor();
  await settle(page);
}

/** The wizard's second step, with the first built-in template chosen. */
async function wizardBasics(page) {
  await page.getByTestId('template-card').first().click();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-basics').waitFor();
}

async function openNotifications(page) {
  await page.getByTestId('notification-bell').click();
  await page.getByTestId('notification-drawer').waitFor();
}

/** The demo campaign's project page. */
async function openWorkProject(page) {
  await page.goto(`/projects?q=${encodeURIComponent(WORK_PROJECT)}`);
  await page.getByTestId('projects-table').locator('tbody a').first().click();
  await page.getByTestId('project-summary').waitFor();
}

/** One of the demo campaign's work pages, reached by its link on the project page. */
function openWorkProjectPage(link, ready) {
  return async (page) => {
    await openWorkProject(page);
    await page.getByTestId(link).click();
    await page.getByTestId(ready).first().waitFor();
  };
}

/** A tab of the demo campaign's project page. */
function openWorkProjectTab(name) {
  return async (page) => {
    await openWorkProject(page);
    await page.getByRole('tab', { name }).click();
  };
}

/** A tab of the demo campaign's project page by its ?tab= key, once its content (ready) shows. */
function openWorkProjectTabKey(key, ready) {
  return async (page) => {
    await openWorkProject(page);
    await page.goto(`${page.url().split('?')[0]}?tab=${key}`);
    await page.getByTestId(ready).first().waitFor();
    await settle(page);
  };
}

/** The budget request drawer (申请变更) of the demo campaign, opened from its 预算 tab. */
async function openBudgetRequest(page) {
  await openWorkProjectTabKey('budget', 'budget-panel')(page);
  await page.getByTestId('budget-request-open').click();
  await page.getByTestId('budget-request-drawer').waitFor();
}

/** The cost ledger with the menu folded, so that its 票据 and 核验 columns fit. */
async function showLedger(page) {
  await openWorkProjectTabKey('costs', 'cost-table')(page);
  await collapseMenu(page);
}

/** The cost ledger's import wizard, at its first step (the file and the template). */
async function openCostImport(page) {
  await openWorkProjectTabKey('costs', 'cost-table')(page);
  await page.getByTestId('cost-import').click();
  await page.getByRole('dialog').getByText('下载 CSV 模板').waitFor();
}

/** The workload heat map once its cells are drawn. */
async function showWorkload(page) {
  await page.getByTestId('workload-grid').waitFor();
  await collapseMenu(page);
}

/** The side menu folded to its icons, for pages that need the width. */
async function collapseMenu(page) {
  await page.getByRole('button', { name: '收起菜单' }).click();
  await page.waitForTimeout(400);
}

/** The demo campaign's Gantt by week, so that the whole plan fits. */
async function ganttByWeek(page) {
  await openWorkProjectPage('project-work-gantt', 'gantt-chart')(page);
  await collapseMenu(page);
  await page.getByTestId('gantt-zoom').getByText('周', { exact: true }).click();
  await settle(page);
}

/** The work orders table scrolled to its right end, where 接单 and 退回 are. */
async function showOrderActions(page) {
  await page.getByTestId('order-row').first().waitFor();
  await collapseMenu(page);
  await page
    .getByTestId('orders-table')
    .locator('.ant-table-content')
    .evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
}

/** A work order's details (工单详情): its fields, next steps and discussion. */
async function openFirstOrder(page) {
  await page.getByTestId('order-title-link').first().click();
  await page.getByTestId('order-detail-fields').waitFor();
}

/** A card of a long page (e.g. 工作日历 of the organisation settings), its title just below the header. */
function scrollToCard(testId) {
  return async (page) => {
    const card = page.getByTestId(testId);
    await card.waitFor();
    await settle(page);
    await card.evaluate((element) => {
      element.style.scrollMarginTop = '80px';
      element.scrollIntoView({ block: 'start' });
    });
  };
}

async function openFirstProject(page) {
  await page.getByTestId('projects-table').locator('tbody a').first().click();
  await page.getByTestId('project-summary').waitFor();
}

/** Wait until the page shows data: no request in flight, no spinner, animations done. */
async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.ant-spin-spinning, .ant-skeleton, [data-testid="app-loading"]')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(500);
}

async function shoot(page, name, options = {}) {
  const viewport = page.viewportSize();
  if (options.height) await page.setViewportSize({ ...viewport, height: options.height });
  await settle(page);
  await page.screenshot({ path: `${outDir}${name}.png` });
  if (options.height) await page.setViewportSize(viewport);
  console.log(`  docs/images/${name}.png`);
}

async function waitForServer(url, seconds) {
  for (let i = 0; i < seconds * 4; i += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`MEMS did not answer at ${url} within ${seconds} s`);
}

function startServer() {
  const server = spawn('bash', [`${root}scripts/e2e-server.sh`], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true, // its own process group, so that stopping it stops uvicorn too
  });
  return () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const stop = process.env.DOCS_BASE_URL ? () => {} : startServer();
  const failures = [];
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    await waitForServer(`${baseURL}/api/v1/health`, 120);
    const options = {
      baseURL,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1280, height: 800 },
    };

    const anonymous = await browser.newContext(options);
    const page = await anonymous.newPage();
    await page.goto('/login');
    await page.getByTestId('login-page').waitFor();
    if (!names) {
      await shoot(page, 'login');
      await page.goto('/api/v1/docs');
      await page.locator('.swagger-ui .opblock').first().waitFor();
      await shoot(page, 'api-docs');
    }
    await anonymous.close();
    if (names) {
      for (const role of Object.keys(SHOTS)) {
        SHOTS[role] = SHOTS[role].filter(([name]) => names.some((word) => name.includes(word)));
      }
    }

    for (const [role, shots] of Object.entries(SHOTS)) {
      if ((only && !only.has(role)) || !shots.length) continue;
      console.log(role);
      const context = await browser.newContext(options);
      const rolePage = await context.newPage();
      await rolePage.goto('/login');
      await rolePage.getByTestId('login-email').fill(EMAILS[role]);
      await rolePage.getByTestId('login-password').fill(PASSWORD);
      await rolePage.getByTestId('login-submit').click();
      await rolePage.getByTestId(`home-${role}`).waitFor();
      for (const [name, path, step, shotOptions] of shots) {
        try {
          await rolePage.goto(path);
          await settle(rolePage);
          if (step) await step(rolePage);
          await shoot(rolePage, name, shotOptions);
        } catch (error) {
          failures.push(`${name}: ${error.message.split('\n')[0]}`);
        }
      }
      await context.close();
    }
  } finally {
    await browser?.close();
    stop();
  }
  if (failures.length) {
    console.error(`Not taken:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
}

await main();
