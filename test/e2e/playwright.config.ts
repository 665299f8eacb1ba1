// Playwright e2e for the Gavel app: Debian Chromium against `next build && next start` and a real
// anvil with the system deployed, seeded and auctions running (global-setup.ts).
//   npx playwright test --config test/e2e/playwright.config.ts
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

process.env.NEXT_TELEMETRY_DISABLED = '1';
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: /.*\.spec\.ts$/,
  globalSetup: path.join(import.meta.dirname, 'global-setup.ts'),
  outputDir: path.join(repoRoot, 'test-results', 'e2e'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  // Global setup alone is ~1.5 min (a changed app adds ~1.5–3 min of `next build` on two busy cores);
  // the owner-protection spec (protect.spec.ts) adds 35-70 s, the history spec about a minute, the
  // portfolio spec (portfolio.spec.ts) 25-90 s.
  globalTimeout: 12 * 60_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 900 },
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
