// RPC outages against a real anvil with 1-second blocks, judged from the chain:
// - the keeper's only URL is down for 12 s while prices crash: liquidations land within 2 blocks
//   of the node answering again (the backoff is capped; the pool probes every second);
// - one of two URLs is dead for good: the other carries every kick, and the dead one is reported
//   (ALERT log line, gavel_keeper_rpc_up 0, /healthz 503 naming it).

import { liquidationEngineAbi, vaultEngineAbi } from '@gavel/sdk';
import { startAnvil } from '@gavel/contracts/testing';
import { type Logger, pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Keeper } from '../src/keeper.ts';
import { type System, captureLogger, deploySystem, keyOf, openVault, rpc, setPrice, testConfig } from './fixture.ts';
import { deadUrl, startProxy } from './proxy.ts';
import { waitFor } from './wait.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function unsafeCount(sys: System): Promise<number> {
  let n = 0;
  for (const ilk of sys.ilks) {
    for (const owner of sys.actors) {
      const safe = await sys.node.publicClient.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'isSafe', args: [ilk.id, owner] });
      if (!safe) n++;
    }
  }
  return n;
}

async function setup(): Promise<System> {
  const node = await startAnvil({ accounts: 8 });
  cleanups.push(() => node.stop());
  const sys = await deploySystem(node);
  for (let a = 1; a <= 5; a++) expect(await openVault(sys, a, sys.ilks[2] as System['ilks'][number], 1_000n + BigInt(a) * 50n, 104n + BigInt(a) * 2n)).toBe(true);
  return sys;
}

function makeKeeper(sys: System, urls: string[], logger: Logger): Keeper {
  const k = new Keeper({
    config: testConfig(sys, { rpcUrls: urls.join(','), pollIntervalMs: '100' }),
    deployment: sys.deployment,
    keys: [keyOf(sys, 7)],
    logger,
    noCheckpoint: true,
    bid: false,
    senderPollMs: 50,
  });
  cleanups.push(() => k.stop(0));
  return k;
}

describe('RPC outages (1-second blocks)', () => {
  it('a 12 s outage of the only URL during a crash: liquidations within 2 blocks of the node answering', async () => {
    const sys = await setup();
    const proxy = await startProxy(sys.node.rpcUrl);
    cleanups.push(() => proxy.close());
    const k = makeKeeper(sys, [proxy.url], pino({ level: 'silent' }));
    await k.start();
    await sys.node.testClient.setAutomine(false);
    await rpc(sys.node.rpcUrl, 'evm_setIntervalMining', [1]);
    proxy.state.down = true;
    const eth = sys.ilks[2] as System['ilks'][number];
    await setPrice(sys, eth, (eth.price * 70n) / 100n);
    expect(await unsafeCount(sys)).toBe(5);
    await new Promise((r) => setTimeout(r, 12_000));
    expect(await unsafeCount(sys)).toBe(5);
    const upAt = await sys.node.publicClient.getBlockNumber();
    proxy.state.down = false;
    await waitFor(async () => (await unsafeCount(sys)) === 0, 20_000, 'every unsafe vault liquidated', 200);
    const logs = await sys.node.publicClient.getContractEvents({ address: sys.dog, abi: liquidationEngineAbi, eventName: 'Liquidate', fromBlock: upAt });
    const last = logs.reduce((m, l) => (l.blockNumber > m ? l.blockNumber : m), 0n);
    console.info(`outage: last liquidation ${last - upAt} blocks after the node answered again`);
    expect(logs.length).toBe(5);
    expect(last - upAt).toBeLessThanOrEqual(2n);
    await k.stop(0);
  }, 90_000);

  it('one URL dead for good: the other carries on, the dead one is reported (log, metric, /healthz)', async () => {
    const sys = await setup();
    const dead = await deadUrl();
    const { logger, lines } = captureLogger();
    const k = makeKeeper(sys, [dead, sys.node.rpcUrl], logger);
    await k.start();
    const server = await k.metrics.serve(0, '127.0.0.1');
    cleanups.push(() => server.close());
    const eth = sys.ilks[2] as System['ilks'][number];
    await setPrice(sys, eth, (eth.price * 70n) / 100n);
    await waitFor(async () => (await unsafeCount(sys)) === 0, 20_000, 'every unsafe vault liquidated', 200);
    // Reported once it has failed for 10 s.
    await waitFor(() => lines.some((l) => l.msg === 'ALERT rpc endpoint down (the others carry on)' && l.level >= 50), 20_000, 'down alert', 200);
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { problems: string[] };
    expect(body.problems.some((p) => p.includes(dead.replace('http://', '')) && p.includes('down'))).toBe(true);
    await waitFor(async () => /gavel_keeper_rpc_up\{url="http:\/\/127\.0\.0\.1:\d+\/"\} 0/.test(await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text()), 3_000, 'rpc_up 0 in metrics');
    await k.stop(0);
  }, 60_000);
});
