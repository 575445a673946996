import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 8765);
const BASE_URL = `http://127.0.0.1:${PORT}`;

/**
 * End-to-end tests drive the real backend (fresh SQLite database with the demo
 * organisation) serving the built SPA from frontend/dist, in Debian's Chromium:
 * browsers cannot be downloaded here, so never run `playwright install`.
 */
export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  // A shared CI machine ran the suite 1.5–2.5× slower than a quiet one (one journey took 18 s
  // here and over 45 s there): the ceiling catches a hang, not a slow machine.
  timeout: process.env.CI ? 90_000 : 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  outputDir: './test-results',
  use: {
    baseURL: BASE_URL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'bash ../scripts/e2e-server.sh',
    url: `${BASE_URL}/api/v1/health`,
    env: { PORT: String(PORT) },
    // Always a fresh database: a server left running from before would carry old data.
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
