// Differential test: the SDK's median rule (`computeMedian`: which reads are fresh, the median of the
// fresh ones — an even count leaning on the previous accepted value —, the quorum, their count and
// bitmap) against MedianOracle.compute() on anvil, for 3 to 16 feeds, over thousands of seeded random
// feed states (prices, ages, missing prices, future stamps), previous values (none, between, below,
// above the middle two) and quorums, each an eth_call with the oracle's and the feeds' storage
// overridden; and the feed-set checks (`checkFeedConfig`) against the constructor for every feed count
// 0–17 and quorum 0–count+1. GAVEL_TEST_SEED=<seed> reproduces a failure.
import { type Address, type Hex, decodeErrorResult, decodeEventLog, decodeFunctionResult, encodeDeployData, encodeFunctionData } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilNode, type Random, deployArtifact, readDeployableArtifact, revertData, rpcBatch, seededRandom, startAnvil } from '@gavel/contracts/testing';
import { medianOracleAbi } from '../src/generated.ts';
import { type FeedRead, checkFeedConfig, computeMedian, pokeOutcome } from '../src/oracle.ts';
import { WAD } from '../src/units.ts';
import { type OverrideCall, type SimBlock, callsWithState, pack, simulateWithState } from './diff.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-oracle-diff-1';
const CASES_PER_ORACLE = 400;
const MAX_AGE = 300n;
const FEED_COUNTS = [3, 4, 5, 6, 7, 16];
const ONE_SLOT: Hex = `0x${'0'.repeat(63)}1`;
const U64 = (1n << 64n) - 1n;
const U128 = (1n << 128n) - 1n;
const ZERO_SLOT: Hex = `0x${'0'.repeat(64)}`;

function randomRead(rng: Random, now: bigint, center: bigint): FeedRead {
  const r = rng.float();
  const priceWad = r < 0.08 ? 0n : r < 0.6 ? center + rng.bigint(0n, center / 10n) - center / 20n : r < 0.7 ? center : rng.bigintLog(1n, U128);
  const a = rng.float();
  const updatedAt = a < 0.6 ? now - rng.bigint(0n, MAX_AGE) : a < 0.75 ? now - MAX_AGE - rng.bigint(0n, 1n) : a < 0.85 ? now + rng.bigint(1n, 100n) : rng.bigintLog(0n, U64);
  return { ok: priceWad !== 0n, priceWad, updatedAt };
}

describe(`oracle median: SDK vs MedianOracle on anvil (seed ${SEED})`, () => {
  let node: AnvilNode;
  const feeds: Address[] = [];
  const oracles = new Map<number, Address>();
  let now = 0n;

  beforeAll(async () => {
    node = await startAnvil({ accounts: 1 });
    const me = node.accounts[0]?.address;
    if (!me) throw new Error('no account');
    for (let i = 0; i < 16; i++) feeds.push(await deployArtifact(node, 'PushedFeed', [me, me]));
    for (const n of FEED_COUNTS) oracles.set(n, await deployArtifact(node, 'MedianOracle', [me, feeds.slice(0, n), BigInt(n >> 1) + 1n, MAX_AGE, 1000n, 0n]));
    now = (await node.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
  }, 120_000);

  afterAll(async () => {
    await node.stop();
  });

  it('agrees on compute() for 3 to 16 feeds over thousands of feed states', { timeout: 120_000 }, async () => {
    const rng = seededRandom(SEED);
    const cases: { n: number; reads: FeedRead[]; prev: bigint; quorum: bigint; call: OverrideCall }[] = [];
    const probes: { quorum: bigint; call: OverrideCall }[] = [];
    for (const n of FEED_COUNTS) {
      const oracle = oracles.get(n);
      if (!oracle) throw new Error('no oracle');
      for (let k = 0; k < CASES_PER_ORACLE; k++) {
        const center = rng.bigintLog(1n, 10n ** 6n * WAD);
        const reads = Array.from({ length: n }, () => randomRead(rng, now, center));
        // The previous accepted value (`_nxt`): none, one of the reported prices, near them, or anywhere.
        const p = rng.float();
        const freshPrices = reads.filter((r) => r.ok).map((r) => r.priceWad);
        const prev = p < 0.2 ? 0n : p < 0.4 && freshPrices.length > 0 ? (freshPrices[rng.int(0, freshPrices.length - 1)] ?? 0n) : p < 0.7 ? center + rng.bigint(0n, center / 10n) - center / 20n : rng.bigintLog(1n, U128);
        // Any valid quorum (a strict majority up to all feeds).
        const quorum = BigInt(rng.int((n >> 1) + 1, n));
        const own: Record<Hex, Hex> = {
          [ZERO_SLOT]: pack([
            [prev, 128],
            [prev, 128],
          ]),
          [ONE_SLOT]: pack([
            [0n, 40],
            [0n, 32],
            [MAX_AGE, 32],
            [1000n, 16],
            [quorum, 8],
          ]),
        };
        const others: Record<Hex, Record<Hex, Hex>> = {};
        reads.forEach((r, i) => {
          others[feeds[i] as Hex] = {
            [ZERO_SLOT]: pack([
              [r.priceWad, 128],
              [r.updatedAt, 64],
            ]),
          };
        });
        cases.push({ n, reads, prev, quorum, call: { to: oracle, data: encodeFunctionData({ abi: medianOracleAbi, functionName: 'compute' }), stateDiff: own, others } });
        // Read the overridden quorum back now and then: the slot layout this test writes is the contract's.
        if (k % 50 === 0) probes.push({ quorum, call: { to: oracle, data: encodeFunctionData({ abi: medianOracleAbi, functionName: 'quorum' }), stateDiff: own } });
      }
    }
    const out = await callsWithState(
      node.rpcUrl,
      cases.map((c) => c.call),
    );
    const mismatches: string[] = [];
    let even = 0;
    let evenBetween = 0;
    let belowQuorum = 0;
    cases.forEach((c, i) => {
      const o = out[i];
      const want = computeMedian(c.reads, now, MAX_AGE, c.prev, c.quorum);
      if (want.medianWad !== 0n && want.freshCount % 2n === 0n) {
        even++;
        if (want.medianWad === c.prev) evenBetween++;
      }
      if (want.freshCount > 0n && want.medianWad === 0n) belowQuorum++;
      const got = o?.ok ? decodeFunctionResult({ abi: medianOracleAbi, functionName: 'compute', data: o.result }) : undefined;
      const wantText = `${want.medianWad} ${want.freshCount} ${want.freshMask}`;
      const gotText = got ? got.map(String).join(' ') : `revert ${o?.ok === false ? (o.revert ?? o.message) : 'missing'}`;
      if (gotText !== wantText) mismatches.push(`${c.n} feeds prev ${c.prev} quorum ${c.quorum} ${JSON.stringify(c.reads, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}: solidity ${gotText}, sdk ${wantText}`);
    });
    const probeOut = await callsWithState(
      node.rpcUrl,
      probes.map((p) => p.call),
    );
    probeOut.forEach((o, i) => {
      const got = o.ok ? decodeFunctionResult({ abi: medianOracleAbi, functionName: 'quorum', data: o.result }) : undefined;
      expect(got).toBe(probes[i]?.quorum);
    });
    console.log(
      `oracle diff: ${cases.length} compute() calls over ${FEED_COUNTS.join('/')} feeds (${even} priced with an even fresh count, ${evenBetween} of them the previous value; ${belowQuorum} below the quorum), seed ${SEED}`,
    );
    expect(mismatches.slice(0, 5), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(2400);
    expect(even).toBeGreaterThan(100);
    expect(evenBetween).toBeGreaterThan(10);
    expect(even - evenBetween).toBeGreaterThan(10);
    expect(belowQuorum).toBeGreaterThan(100);
    expect(probes.length).toBeGreaterThan(10);
  });

  it('agrees on the feed-count and quorum checks of the constructor (TooFewFeeds, QuorumNotMajority, ...)', { timeout: 60_000 }, async () => {
    const me = node.accounts[0]?.address;
    if (!me) throw new Error('no account');
    const { abi, bytecode } = readDeployableArtifact('MedianOracle');
    const cases: { n: bigint; quorum: bigint; data: Hex }[] = [];
    for (let n = 0; n <= 17; n++) {
      // 17 feeds repeat one: the count check comes before the duplicate check.
      const list = Array.from({ length: n }, (_, i) => feeds[i % feeds.length] as Address);
      for (let q = 0; q <= n + 1; q++) cases.push({ n: BigInt(n), quorum: BigInt(q), data: encodeDeployData({ abi, bytecode, args: [me, list, BigInt(q), MAX_AGE, 1000n, 0n] }) });
    }
    const out = await rpcBatch<Hex>(
      node.rpcUrl,
      cases.map((c) => ({ method: 'eth_call', params: [{ from: me, data: c.data }, 'latest'] })),
      { batchSize: 100, concurrency: 2 },
    );
    const mismatches: string[] = [];
    const seen = new Set<string>();
    cases.forEach((c, i) => {
      const o = out[i];
      const want = checkFeedConfig(c.n, c.quorum);
      const wantText = want ? `${want.error}(${Object.values(want).slice(1).join(', ')})` : 'deployed';
      let gotText = 'missing';
      if (o?.ok) gotText = 'deployed';
      else if (o) {
        const data = revertData(o.error);
        if (data) {
          const e = decodeErrorResult({ abi: medianOracleAbi, data });
          gotText = `${e.errorName}(${(e.args as readonly unknown[] | undefined ?? []).join(', ')})`;
        } else gotText = `revert ${o.error.message}`;
      }
      seen.add(gotText.replace(/\(.*/, ''));
      if (gotText !== wantText) mismatches.push(`${c.n} feeds quorum ${c.quorum}: solidity ${gotText}, sdk ${wantText}`);
    });
    expect(mismatches.slice(0, 5), `${mismatches.length} mismatches`).toEqual([]);
    expect([...seen].sort()).toEqual(['FeedCountOutOfRange', 'QuorumNotMajority', 'QuorumOutOfRange', 'TooFewFeeds', 'deployed']);
  });
  it('agrees on poke(): the quorum, the per-poke clamp to maxChangeBps, the hop and PokeTooEarly', { timeout: 120_000 }, async () => {
    const rng = seededRandom(`${SEED}-poke`);
    const t = now + 1n;
    const cases: { reads: FeedRead[]; o: Parameters<typeof pokeOutcome>[2] }[] = [];
    const blocks: SimBlock[] = [];
    for (const n of FEED_COUNTS) {
      const oracle = oracles.get(n);
      if (!oracle) throw new Error('no oracle');
      for (let k = 0; k < 200; k++) {
        const center = rng.bigintLog(1n, 10n ** 6n * WAD);
        const reads = Array.from({ length: n }, () => randomRead(rng, t, center));
        // The last accepted value: none (the first poke), or up to 40% either side of the feeds' center.
        const previousNextWad = rng.chance(0.1) ? 0n : (center * rng.bigint(6_000n, 14_000n)) / 10_000n + 1n;
        const hopSeconds = rng.chance(0.7) ? 0n : rng.bigint(1n, 3600n);
        const lastPokeAt = rng.chance(0.3) ? 0n : t - rng.bigint(0n, hopSeconds * 2n + 2n);
        const o = { maxAgeSeconds: MAX_AGE, previousNextWad, quorum: BigInt(rng.int((n >> 1) + 1, n)), maxChangeBps: rng.chance(0.1) ? rng.pick([10n, 10_000n]) : rng.bigint(10n, 3000n), hopSeconds, lastPokeAt };
        cases.push({ reads, o });
        const others: Record<Hex, Record<Hex, Hex>> = {};
        reads.forEach((r, i) => {
          others[feeds[i] as Hex] = {
            [ZERO_SLOT]: pack([
              [r.priceWad, 128],
              [r.updatedAt, 64],
            ]),
          };
        });
        others[oracle] = {
          [ZERO_SLOT]: pack([
            [previousNextWad, 128],
            [previousNextWad, 128],
          ]),
          [ONE_SLOT]: pack([
            [lastPokeAt, 40],
            [hopSeconds, 32],
            [MAX_AGE, 32],
            [o.maxChangeBps, 16],
            [o.quorum, 8],
          ]),
        };
        blocks.push({ state: others, time: t, calls: [{ to: oracle, data: encodeFunctionData({ abi: medianOracleAbi, functionName: 'poke' }) }] });
      }
    }
    const out = await simulateWithState(node.rpcUrl, blocks);
    const mismatches: string[] = [];
    const seen = new Map<string, number>();
    cases.forEach((c, i) => {
      const r = out[i]?.[0];
      const want = pokeOutcome(c.reads, t, c.o);
      const wantText = want.ok ? `${want.currentWad} ${want.nextWad} ${want.medianWad} ${want.freshMask} ${String(want.clamped)}` : want.error === 'PokeTooEarly' ? `PokeTooEarly(${want.readyAt})` : `QuorumNotMet(${want.fresh}, ${want.required})`;
      const kind = want.ok ? (want.clamped ? (want.nextWad > c.o.previousNextWad ? 'clamped up' : 'clamped down') : c.o.hopSeconds > 0n ? 'accepted behind a hop' : 'accepted') : want.error;
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      let gotText = 'missing';
      if (r?.ok) {
        const log = r.logs.map((l) => decodeEventLog({ abi: medianOracleAbi, topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: false })).find((e) => e.eventName === 'MarkPriceUpdated');
        const a = log?.eventName === 'MarkPriceUpdated' ? (log.args as Record<string, unknown>) : {};
        gotText = Object.values(a).map(String).join(' ');
      } else if (r?.revert) {
        const e = decodeErrorResult({ abi: medianOracleAbi, data: r.revert });
        gotText = `${e.errorName}(${((e.args as readonly unknown[] | undefined) ?? []).join(', ')})`;
      } else if (r) gotText = `revert ${r.message}`;
      if (gotText !== wantText) mismatches.push(`poke ${JSON.stringify({ ...c.o, reads: c.reads }, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}: solidity ${gotText}, sdk ${wantText}`);
    });
    console.log(`oracle poke diff: ${blocks.length} simulated pokes, outcomes ${JSON.stringify([...seen].sort())}, seed ${SEED}-poke`);
    expect(mismatches.slice(0, 5), `seed ${SEED}-poke: ${mismatches.length} mismatches`).toEqual([]);
    for (const k of ['accepted', 'accepted behind a hop', 'clamped up', 'clamped down', 'PokeTooEarly', 'QuorumNotMet']) expect(seen.get(k) ?? 0, k).toBeGreaterThan(10);
  });
});
