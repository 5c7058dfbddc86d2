import { defineConfig } from '@playwright/test';
import { authHeaders } from './e2e/viz-server.fixtures';

// The real `dqm viz` servers are started by e2e/global-setup.ts (node bin/dqm.js viz, never
// `npx next start`, which left orphan servers behind).
export default defineConfig({
  testDir: 'e2e',
  testMatch: /.*\.spec\.ts/,
  globalSetup: './e2e/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1500, height: 950 },
    // The servers require an access token (dqm viz): global-setup starts them all with this one
    // (DQM_TEST_VIZ_TOKEN, inherited by the workers); the browser and \`request\` send it.
    extraHTTPHeaders: authHeaders(),
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
