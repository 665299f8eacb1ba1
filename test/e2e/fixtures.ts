// Shared helpers for the specs: the stack state from global-setup, screenshots, the dev wallet.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import type { Scenario, StackDeployment } from './stack.mjs';

export interface E2EState {
  rpcUrl: string;
  baseUrl: string;
  /** The stack's anvil (process group id): the RPC-down test stops it. */
  anvilPid: number;
  /** The stack's indexer (base URL, process group id): the indexer-down test stops it. */
  indexerUrl?: string;
  indexerPid?: number;
  /** The stack's temp dir (removed at teardown). */
  tmp: string;
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

/**
 * Stops the stack's indexer (SIGTERM to its process group) and waits until its port refuses
 * connections: the app then has no history to read.
 */
export async function stopIndexer(s: E2EState): Promise<void> {
  const { indexerPid, indexerUrl } = s;
  if (indexerPid === undefined || indexerUrl === undefined) return;
  try {
    process.kill(-indexerPid, 'SIGTERM');
  } catch {
    return;
  }
  await expect.poll(async () => fetch(`${indexerUrl}/status`).then(() => 'up', () => 'down'), { timeout: 15_000, message: 'the indexer stopped' }).toBe('down');
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

/** What the fake wallet is set up with (see injectWallet). */
export interface FakeWallet {
  /** Chain id the wallet reports (and switches to on wallet_switchEthereumChain). */
  chainId: number;
  account: `0x${string}`;
  /** Node the wallet forwards read-only requests to, like a real wallet does. */
  rpcUrl: string;
}

/** Methods that need the user's approval in a real wallet: the fake one always rejects them. */
export const SIGNING_METHODS = ['eth_sendTransaction', 'wallet_sendTransaction', 'eth_sign', 'personal_sign', 'eth_signTypedData_v4', 'eth_signTransaction'];

/**
 * Stand-in for a browser extension wallet: there is none in this Chromium, so a minimal EIP-1193
 * provider is installed as `window.ethereum` before the app loads. It connects `account` on
 * `chainId`, switches chain when asked (emitting `chainChanged`), forwards reads to the node, and
 * answers every request that needs the user's approval (transaction, signature) with the standard
 * EIP-1193 "user rejected" error, code 4001 — a user who clicks Reject. It never sends anything.
 * Every method the app calls is recorded in `window.__walletCalls` (see walletCalls).
 */
export async function injectWallet(page: Page, wallet: FakeWallet): Promise<void> {
  await page.addInitScript(
    ({ w, signing }: { w: FakeWallet; signing: string[] }) => {
      type Listener = (arg: unknown) => void;
      const calls: string[] = [];
      const listeners = new Map<string, Set<Listener>>();
      let chainId = w.chainId;
      const rpcError = (code: number, message: string): Error => Object.assign(new Error(message), { code });
      const emit = (event: string, arg: unknown): void => {
        for (const l of listeners.get(event) ?? []) l(arg);
      };
      const provider = {
        async request({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> {
          calls.push(method);
          if (signing.includes(method)) throw rpcError(4001, 'User rejected the request.');
          switch (method) {
            case 'eth_chainId':
              return `0x${chainId.toString(16)}`;
            case 'eth_accounts':
            case 'eth_requestAccounts':
              return [w.account];
            case 'wallet_requestPermissions':
            case 'wallet_getPermissions':
              return [{ parentCapability: 'eth_accounts' }];
            case 'wallet_revokePermissions':
              return null;
            case 'wallet_switchEthereumChain': {
              const [p] = (params ?? []) as { chainId: string }[];
              chainId = Number(p?.chainId);
              emit('chainChanged', `0x${chainId.toString(16)}`);
              return null;
            }
          }
          const res = await fetch(w.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: calls.length, method, params: params ?? [] }) });
          const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
          if (body.error) throw rpcError(body.error.code, body.error.message);
          return body.result;
        },
        on(event: string, l: Listener): void {
          const set = listeners.get(event) ?? new Set<Listener>();
          set.add(l);
          listeners.set(event, set);
        },
        removeListener(event: string, l: Listener): void {
          listeners.get(event)?.delete(l);
        },
      };
      Object.defineProperty(window, 'ethereum', { value: provider, configurable: true });
      Object.defineProperty(window, '__walletCalls', { value: calls });
    },
    { w: wallet, signing: SIGNING_METHODS },
  );
}

/** The methods the app called on the fake wallet so far, in order. */
export async function walletCalls(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __walletCalls?: string[] }).__walletCalls ?? [])]);
}
