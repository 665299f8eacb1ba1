// Shared helpers for the specs: the stack state from global-setup, screenshots, the dev wallet.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import type { Scenario, StackDeployment } from './stack.mjs';

export interface E2EState {
  rpcUrl: string;
  baseUrl: string;
  deployment: StackDeployment;
  scenario: Scenario;
}

export function state(): E2EState {
  const raw = process.env.GAVEL_E2E_STATE;
  if (!raw) throw new Error('GAVEL_E2E_STATE is not set: run through test/e2e/playwright.config.ts (global setup)');
  return JSON.parse(raw) as E2EState;
}

const screenshotDir = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** Full-page screenshot saved under test-results/screenshots/<name>.png and attached to the report. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** Connects the development wallet for anvil account `index`. */
export async function connectDevWallet(page: Page, index: number): Promise<void> {
  await page.getByTestId('connect-button').click();
  await page.getByTestId('dev-wallet-select').selectOption(String(index));
  await page.getByTestId('connect-dev-wallet').click();
  await expect(page.getByTestId('dev-wallet-badge')).toBeVisible();
}

/** "1,234.5678 gUSD" -> 1234.5678 */
export function num(text: string | null): number {
  const m = (text ?? '').replace(/,/g, '').match(/-?\d+(\.\d+)?/);
  if (!m) throw new Error(`no number in ${JSON.stringify(text)}`);
  return Number(m[0]);
}
