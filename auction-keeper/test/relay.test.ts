// Private submission against a real anvil: with `relayUrl` set, the keeper's signed liquidations go
// to the relay's eth_sendRawTransaction (and are mined); when the relay is down they fall back to
// the public RPC and are still mined (metric gavel_keeper_relay_submissions_total{result}).

import { liquidationEngineAbi } from '@gavel/sdk';
import { pino } from 'pino';
import { bytesToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { Keeper } from '../src/keeper.ts';
import { type IlkFixture, type System, deploySystem, openVault, setPrice } from './fixture.ts';
import { type RpcProxy, startProxy } from './proxy.ts';
import { waitFor } from './wait.ts';

let sys: System;
let relay: RpcProxy;
let k: Keeper;

beforeAll(async () => {
  sys = await deploySystem();
  relay = await startProxy(sys.node.rpcUrl);
}, 60_000);

afterAll(async () => {
  await k.stop(0).catch(() => undefined);
  await relay.close();
  await sys.node.stop();
});

async function liquidations(from: bigint): Promise<number> {
  return (await sys.node.publicClient.getContractEvents({ address: sys.dog, abi: liquidationEngineAbi, eventName: 'Liquidate', fromBlock: from })).length;
}

function relayMetric(): Promise<string> {
  return k.metrics.registry.getSingleMetricAsString('gavel_keeper_relay_submissions_total');
}

describe('private relay submission', () => {
  it('sends through the relay, and falls back to the public RPC when the relay is down', async () => {
    const eth = sys.ilks[2] as IlkFixture;
    const wbtc = sys.ilks[1] as IlkFixture;
    for (let a = 1; a <= 3; a++) {
      expect(await openVault(sys, a, eth, 1_000n, 105n)).toBe(true);
      expect(await openVault(sys, a, wbtc, 5_000n, 105n)).toBe(true);
    }
    const key = bytesToHex(sys.node.accounts[7]?.getHdKey().privateKey ?? new Uint8Array());
    k = new Keeper({
      config: loadConfig(undefined, {}, { rpcUrls: sys.node.rpcUrl, relayUrl: relay.url, chainId: String(sys.node.chain.id), pollIntervalMs: '50', deploymentsFile: '/dev/null', checkpointFile: '/dev/null', settleIntervalBlocks: '0' }),
      deployment: sys.deployment,
      keys: [key],
      logger: pino({ level: 'silent' }),
      noCheckpoint: true,
      bid: false,
      senderPollMs: 25,
    });
    await k.start();
    const from = await sys.node.publicClient.getBlockNumber();
    const before = relay.state.requests;
    await setPrice(sys, eth, (eth.price * 80n) / 100n);
    await waitFor(async () => (await liquidations(from)) >= 3, 20_000, 'ETH-A liquidations');
    // Every request the relay saw was a submission.
    expect(relay.state.requests - before).toBeGreaterThanOrEqual(1);
    // The relay's answer reaches the keeper after anvil has mined the transaction: wait for the count.
    await waitFor(async () => /result="ok"} [1-9]/.test(await relayMetric()), 5_000, 'the relay submission count');
    relay.state.down = true;
    await setPrice(sys, wbtc, (wbtc.price * 80n) / 100n);
    await waitFor(async () => (await liquidations(from)) >= 6, 20_000, 'WBTC-A liquidations through the public RPC');
    await waitFor(async () => /result="fallback"} [1-9]/.test(await relayMetric()), 5_000, 'the fallback count');
    expect(await relayMetric()).toMatch(/result="ok"} [1-9]/);
  }, 60_000);
});
