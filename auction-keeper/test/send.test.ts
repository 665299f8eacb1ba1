// The sender against a real anvil: a transaction stuck behind a base-fee spike is replaced at the
// same nonce with bumped fees and exactly one of the two is mined; the fee ceiling is never
// exceeded (nothing sent, no replacement: it waits and alerts); and a keeper whose account has no
// ETH alerts (log + metric) without a crash or a retry storm, then recovers once funded.

import { type AnvilNode, deployArtifact, readArtifact, startAnvil } from '@gavel/contracts/testing';
import { pino, type Logger } from 'pino';
import { type Address, type Hex, createPublicClient, http, parseGwei } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keeper } from '../src/keeper.ts';
import { KeeperMetrics } from '../src/metrics.ts';
import { type ContractCall, TxSender } from '../src/send/sender.ts';
import { type System, deploySystem, openVault, setPrice, testConfig } from './fixture.ts';
import { waitFor } from './wait.ts';

const GWEI = 10n ** 9n;

/** A pino logger that keeps every line (parsed) for assertions. */
function captureLogger(): { logger: Logger; lines: { msg?: string; level: number; [k: string]: unknown }[] } {
  const lines: { msg?: string; level: number }[] = [];
  const logger = pino({ level: 'debug' }, {
    write(s: string) {
      lines.push(JSON.parse(s) as { msg?: string; level: number });
    },
  });
  return { logger, lines };
}

describe('sender on anvil: stuck transactions and the fee ceiling', () => {
  let node: AnvilNode;
  let token: Address;
  const senders: TxSender[] = [];

  beforeAll(async () => {
    node = await startAnvil({ accounts: 3 });
    token = await deployArtifact(node, 'MockERC20', ['T', 'T', 18]);
  }, 30_000);

  afterAll(async () => {
    for (const s of senders) await s.stop(0);
    await node.testClient.setAutomine(true).catch(() => undefined);
    await node.stop();
  });

  function sender(maxFeeGwei: string, logger: Logger, metrics: KeeperMetrics): { s: TxSender; me: Address } {
    const key = generatePrivateKey();
    const account = privateKeyToAccount(key);
    const client = createPublicClient({ transport: http(node.rpcUrl), cacheTime: 0 });
    const s = new TxSender({
      client,
      accounts: { kick: account, take: account, settle: account },
      chainId: node.chain.id,
      fees: { maxFeePerGas: parseGwei(maxFeeGwei), priorityFeePerGas: parseGwei('1') },
      stuckBlocks: 2,
      logger,
      metrics,
      pollMs: 25,
    });
    senders.push(s);
    s.start();
    return { s, me: account.address };
  }

  const mint = (to: Address): ContractCall => ({ address: token, abi: readArtifact('MockERC20').abi, functionName: 'mint', args: [to, 10n ** 18n] });

  /** Mines one block and gives the sender's loop time to look at it. */
  async function mineAndTick(): Promise<void> {
    await node.testClient.mine({ blocks: 1 });
    await new Promise((r) => setTimeout(r, 120));
  }

  it('replaces a transaction stuck behind a base-fee spike (same nonce, bumped fees); exactly one is mined', async () => {
    const { logger, lines } = captureLogger();
    const metrics = new KeeperMetrics();
    const { s, me } = sender('500', logger, metrics);
    await node.testClient.setBalance({ address: me, value: 10n ** 18n });
    await node.testClient.setAutomine(false);
    try {
      const prep = await s.prepare('kick', 'kick', mint(me));
      if (!prep.ok) throw new Error(prep.error.message);
      const handle = await s.send(prep);
      const original = await node.publicClient.getTransaction({ hash: handle.hash });
      // The base fee jumps far above the transaction's maxFee: it cannot be included.
      const originalFee = original.maxFeePerGas ?? 0n;
      expect(originalFee > 0n && originalFee < 40n * GWEI).toBe(true);
      await node.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: 80n * GWEI });
      await mineAndTick();
      await mineAndTick();
      expect(await node.publicClient.getTransactionCount({ address: me })).toBe(0);
      await waitFor(() => lines.some((l) => l.msg === 'replaced stuck transaction'), 5_000, 'replacement');
      await mineAndTick();
      const outcome = await handle.done;
      expect(outcome.status).toBe('success');
      expect(outcome.replacements).toBeGreaterThanOrEqual(1);
      expect(outcome.hash).not.toBe(handle.hash);
      const mined = await node.publicClient.getTransaction({ hash: outcome.hash as Hex });
      expect(mined.nonce).toBe(handle.nonce);
      const minedFee = mined.maxFeePerGas ?? 0n;
      expect(minedFee > originalFee).toBe(true);
      expect(minedFee <= parseGwei('500')).toBe(true);
      // The stuck original was never mined (same nonce): one transaction, one nonce used.
      await expect(node.publicClient.getTransactionReceipt({ hash: handle.hash })).rejects.toThrow();
      expect(await node.publicClient.getTransactionCount({ address: me })).toBe(1);
      expect(await metrics.registry.getSingleMetricAsString('gavel_keeper_tx_replaced_total')).toMatch(/kind="kick"} [1-9]/);
    } finally {
      await node.testClient.setAutomine(true);
    }
  }, 30_000);

  it('fees per action: follow a raised base fee up to what the action earns; a small action waits, a big one goes and is mined', async () => {
    const { logger } = captureLogger();
    const metrics = new KeeperMetrics();
    const { s, me } = sender('500', logger, metrics);
    await node.testClient.setBalance({ address: me, value: 10n ** 18n });
    // Congestion: the base fee is raised to 60 gwei.
    await node.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: 60n * GWEI });
    await node.testClient.mine({ blocks: 1 });
    const prep = await s.prepare('take', 'take', mint(me));
    if (!prep.ok) throw new Error(prep.error.message);
    const base = prep.fees.baseFeePerGas;
    expect(base >= 50n * GWEI).toBe(true);
    // Worth 1/1000 ETH at 50%: about 0.5e15 / gas — below base + tip for this gas: waits, nothing sent.
    const small = s.priceFor(prep, 10n ** 15n, 5_000n);
    expect(small.ok).toBe(false);
    if (!small.ok) expect(small.reason).toBe('fee-ceiling');
    expect(await node.publicClient.getTransactionCount({ address: me, blockTag: 'pending' })).toBe(0);
    // Worth 1 ETH: the fee follows the base fee (2 × base + tip) under both ceilings, and is mined.
    const big = s.priceFor(prep, 10n ** 18n, 5_000n);
    if (!big.ok) throw new Error(big.error.message);
    expect(big.fees.maxFeePerGas).toBe(2n * base + GWEI);
    expect(big.maxCostWei).toBe(big.gas * big.fees.maxFeePerGas);
    const h = await s.send(big);
    const out = await h.done;
    expect(out.status).toBe('success');
    const mined = await node.publicClient.getTransaction({ hash: out.hash as Hex });
    expect(mined.maxFeePerGas).toBe(2n * base + GWEI);
    // Worth just enough for base + tip but not for 2 × base + tip: capped at its own ceiling.
    const gas = prep.gas;
    const mid = s.priceFor(prep, ((base * 3n) / 2n) * gas * 2n, 5_000n);
    if (!mid.ok) throw new Error(mid.error.message);
    expect(mid.fees.maxFeePerGas).toBe((base * 3n) / 2n);
    await node.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: GWEI });
    await node.testClient.mine({ blocks: 1 });
  }, 30_000);

  it('fee ceiling: sends nothing when base fee + tip is above it, never replaces above it, and alerts', async () => {
    const { logger, lines } = captureLogger();
    const metrics = new KeeperMetrics();
    const ceiling = parseGwei('10');
    const { s, me } = sender('10', logger, metrics);
    await node.testClient.setBalance({ address: me, value: 10n ** 18n });
    // 1. Base fee above the ceiling: prepare refuses, nothing is signed or sent.
    await node.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: 50n * GWEI });
    await node.testClient.mine({ blocks: 1 });
    const refused = await s.prepare('take', 'take', mint(me));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toBe('fee-ceiling');
    expect(await node.publicClient.getTransactionCount({ address: me, blockTag: 'pending' })).toBe(0);
    expect(lines.some((l) => l.msg === 'ALERT fee ceiling: not sending' && l.level >= 50)).toBe(true);
    expect(await metrics.registry.getSingleMetricAsString('gavel_keeper_fee_ceiling_hit_total')).toMatch(/kind="take"} 1/);
    // 2. Fees back to normal: send; then a spike leaves it stuck and the replacement it would need
    // is above the ceiling: the sender waits (no replacement), alerts once, and the transaction is
    // mined once the base fee comes down.
    await node.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: GWEI });
    await node.testClient.mine({ blocks: 1 });
    await node.testClient.setAutomine(false);
    try {
      const prep = await s.prepare('take', 'take', mint(me));
      if (!prep.ok) throw new Error(prep.error.message);
      expect(prep.fees.maxFeePerGas <= ceiling).toBe(true);
      const handle = await s.send(prep);
      await node.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: 40n * GWEI });
      for (let i = 0; i < 5; i++) await mineAndTick();
      expect(await node.publicClient.getTransactionCount({ address: me })).toBe(0);
      const alerts = lines.filter((l) => l.msg === 'ALERT stuck transaction: replacement would exceed the fee ceiling');
      expect(alerts.length).toBe(1);
      expect(lines.some((l) => l.msg === 'replaced stuck transaction')).toBe(false);
      // The base fee decays (12.5% a block): once the fees the transaction needs fit under the
      // ceiling again it is mined (as sent, or replaced within the ceiling). Every fee this account
      // ever offered, pending or mined, stays under the ceiling.
      const seen: bigint[] = [prep.fees.maxFeePerGas];
      for (let i = 0; i < 40 && (await node.publicClient.getTransactionCount({ address: me })) === 0; i++) {
        const pool = (await node.testClient.getTxpoolContent()).pending;
        for (const byNonce of Object.values(pool)) for (const tx of Object.values(byNonce)) seen.push(BigInt(tx.maxFeePerGas ?? 0));
        await mineAndTick();
      }
      const outcome = await handle.done;
      expect(outcome.status).toBe('success');
      const mined = await node.publicClient.getTransaction({ hash: outcome.hash as Hex });
      expect(mined.nonce).toBe(handle.nonce);
      seen.push(mined.maxFeePerGas ?? 0n);
      for (const f of seen) expect(f <= ceiling, `offered ${f} above the ceiling ${ceiling}`).toBe(true);
      expect(lines.filter((l) => l.msg === 'ALERT stuck transaction: replacement would exceed the fee ceiling').length).toBe(1);
      expect(await metrics.registry.getSingleMetricAsString('gavel_keeper_fee_ceiling_hit_total')).toMatch(/kind="take"} 2/);
    } finally {
      await node.testClient.setAutomine(true);
    }
  }, 30_000);
});

describe('keeper without ETH', () => {
  let sys: System;
  let keeper: Keeper | undefined;

  beforeAll(async () => {
    sys = await deploySystem();
  }, 60_000);

  afterAll(async () => {
    await keeper?.stop(0).catch(() => undefined);
    await sys.node.stop();
  });

  it('alerts out of funds (log + metric), sends nothing, keeps indexing without a retry storm, and recovers once funded', async () => {
    const eth = sys.ilks[2];
    if (!eth) throw new Error('no ETH-A');
    expect(await openVault(sys, 1, eth, 2_000n, 105n)).toBe(true);
    const key = generatePrivateKey();
    const me = privateKeyToAccount(key).address;
    expect(await sys.node.publicClient.getBalance({ address: me })).toBe(0n);
    const { logger, lines } = captureLogger();
    const config = testConfig(sys);
    keeper = new Keeper({ config, deployment: sys.deployment, keys: [key], logger, noCheckpoint: true, bid: false, senderPollMs: 25 });
    const k = keeper;
    await k.start();
    await setPrice(sys, eth, (eth.price * 85n) / 100n);
    await waitFor(() => lines.some((l) => l.msg === 'ALERT out of funds: cannot pay for gas'), 10_000, 'out-of-funds alert');
    const metric = (): Promise<string> => k.metrics.registry.getSingleMetricAsString('gavel_keeper_out_of_funds');
    expect(await metric()).toMatch(new RegExp(`account="${me}"} 1`));
    // 30 more blocks: still indexing, nothing sent, and the vault is retried with a backoff (not
    // every block).
    for (let i = 0; i < 30; i++) {
      await sys.node.testClient.mine({ blocks: 1 });
      await new Promise((r) => setTimeout(r, 30));
    }
    const head = await sys.node.publicClient.getBlockNumber();
    await waitFor(() => k.indexer.processed >= head, 5_000, 'indexing');
    expect(k.kicker?.sent).toBe(0);
    expect(await sys.node.publicClient.getTransactionCount({ address: me, blockTag: 'pending' })).toBe(0);
    const alerts = lines.filter((l) => l.msg === 'ALERT out of funds: cannot pay for gas');
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    expect(alerts.length).toBeLessThanOrEqual(8);
    expect(alerts[0]?.account).toBe(me);
    // Funded: the next retry liquidates, and the alert clears.
    await sys.node.testClient.setBalance({ address: me, value: 10n ** 18n });
    const deadline = Date.now() + 20_000;
    while ((k.kicker?.kicks.length ?? 0) === 0) {
      if (Date.now() > deadline) throw new Error('not liquidated after funding');
      await sys.node.testClient.mine({ blocks: 1 });
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(k.kicker?.kicks[0]?.owner).toBe(sys.actors[0]);
    expect(await metric()).toMatch(new RegExp(`account="${me}"} 0`));
  }, 60_000);
});
