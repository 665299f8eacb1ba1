// Starts the stack once for the run (anvil, deploy + seed, auctions, the history scenario, the real
// indexer, next build + start) and hands its URLs to the workers through GAVEL_E2E_STATE; the
// returned function tears it all down.
import type { FullConfig } from '@playwright/test';
import { startStack } from './stack.mjs';

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  // At most 3 auctions: the fourth unsafe vault stays unliquidated, so the overview has one to count.
  // At most 3 auctions: the fourth unsafe vault stays unliquidated, so the overview has one to count.
  // The history scenario ends one of them (two named bidders take it whole); the others stay live.
  const stack = await startStack({ seedVaults: 20, maxAuctions: 3, indexer: true });
  if (stack.scenario.live < 1) {
    await stack.stop();
    throw new Error('global setup: no auction is running after the liquidations');
  }
  process.env.GAVEL_E2E_STATE = JSON.stringify({
    rpcUrl: stack.rpcUrl,
    baseUrl: stack.baseUrl,
    anvilPid: stack.anvilPid,
    indexerUrl: stack.indexerUrl,
    indexerPid: stack.indexerPid,
    tmp: stack.tmp,
    deployment: stack.deployment,
    scenario: stack.scenario,
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stack.stop();
  };
  process.once('exit', () => {
    for (const pid of stack.pids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
  return stop;
}
