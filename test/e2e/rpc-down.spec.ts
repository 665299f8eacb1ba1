// Last of the files (they run in name order, one worker): it stops the stack's anvil and restarts it
// from its state for the recovery. app.spec.ts and phone.spec.ts read the live chain before it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { createPublicClient, http, parseAbi, type Hex } from 'viem';
import { screenshot, state } from './fixtures.ts';
import { startAnvil } from './stack.mjs';

/** Live auctions on chain now (the phone spec liquidates one more vault than global setup did). */
async function liveAuctions(rpcUrl: string, houses: readonly `0x${string}`[]): Promise<number> {
  const chain = createPublicClient({ transport: http(rpcUrl) });
  const abi = parseAbi(['function count() view returns (uint256)']);
  let n = 0;
  for (const house of houses) n += Number(await chain.readContract({ address: house, abi, functionName: 'count' }));
  return n;
}

test('RPC down: the page says the node is not answering, and recovers when it is back', async ({ page }, testInfo) => {
  const s = state();
  const live = await liveAuctions(s.rpcUrl, s.deployment.ilks.map((i) => i.house));
  expect(live).toBeGreaterThan(0);
  await page.goto(`${s.baseUrl}/auctions`);
  await expect(page.getByTestId('auction-row')).toHaveCount(live);
  await expect(page.getByTestId('block-number')).toHaveText(/^#\d+$/);
  await expect(page.getByTestId('rpc-down')).toHaveCount(0);

  // Keep the chain's state, then stop the node: connections to its port are refused.
  const chain = createPublicClient({ transport: http(s.rpcUrl) });
  const blockBefore = await chain.getBlockNumber();
  const dump = await chain.request<{ Method: 'anvil_dumpState'; Parameters: []; ReturnType: Hex }>({ method: 'anvil_dumpState', params: [] });
  const stateFile = path.join(s.tmp, 'anvil-state.json');
  writeFileSync(stateFile, gunzipSync(Buffer.from(dump.slice(2), 'hex')));
  process.kill(-s.anvilPid, 'SIGTERM');
  await expect.poll(async () => chain.getBlockNumber().then(() => 'up', () => 'down'), { timeout: 10_000 }).toBe('down');

  const banner = page.getByTestId('rpc-down');
  await expect(banner).toContainText('The RPC node is not answering');
  await expect(banner).toContainText(`Cannot reach ${s.rpcUrl}`);
  await screenshot(page, testInfo, 'state-rpc-down');

  // The node is back (same port, same chain) with no new block: the page recovers by itself.
  const anvil = await startAnvil(Number(new URL(s.rpcUrl).port), { loadState: stateFile });
  try {
    expect(await chain.getBlockNumber()).toBe(blockBefore);
    await expect(banner).toHaveCount(0);
    await expect(page.getByTestId('block-number')).toHaveText(`#${blockBefore}`);
    await expect(page.getByTestId('auction-row')).toHaveCount(live);
    await expect(page.getByTestId('read-error')).toHaveCount(0);
    await expect(page.getByTestId('stale-read')).toHaveCount(0);
  } finally {
    await anvil.stop();
  }
});
