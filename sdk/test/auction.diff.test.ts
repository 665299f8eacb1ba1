// Differential test: the SDK's auction rules (tierPrice, auctionStatus, quoteAuction) against a deployed
// CollateralAuction on anvil over thousands of seeded random tiers, sales, ages and amounts, to the
// wei, reverts included. Each case is an eth_call of `getStatus` / `quote` with the house's storage (the
// sale's slots and the tier's slot) overridden for that call only. GAVEL_TEST_SEED=<seed> reproduces.
import { type Address, type Hex, decodeErrorResult, decodeFunctionResult, encodeErrorResult, encodeFunctionData, numberToHex, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilNode, type Random, deployArtifact, seededRandom, startAnvil } from '@gavel/contracts/testing';
import type { MarkReading } from '../src/adaptive.ts';
import { type Sale, type Tier, type TierTable, CurveKind, InvalidTierError, MAX_STORED_TAB, NoTiersError, PanicError, auctionStatus, quoteAuction, tierFor, tierPrice, validateTier } from '../src/auction.ts';
import { RayMathOverflowError } from '../src/curves.ts';
import { collateralAuctionAbi, vaultEngineAbi } from '../src/generated.ts';
import { RAY, WAD } from '../src/units.ts';
import { type OverrideCall, callsWithState, mappingSlot, pack, slotPlus } from './diff.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-auction-diff-1';
const CASES_PER_HOUSE = 1_000;
const U96 = (1n << 96n) - 1n;
const U112 = (1n << 112n) - 1n;
const SALES_SLOT = 2n; // `_sales`, checked by the read-back test below
const TIERS_SLOT = 4n; // `_tiers`

interface House {
  readonly address: Address;
  readonly scale: bigint;
  /** The house's mark price source (MockMarkPrice: slot 0 price, slot 1 valid), overridden per call. */
  readonly markSource: Address;
}

interface Case {
  readonly house: House;
  readonly id: bigint;
  readonly tier: Tier;
  readonly sale: Sale & { readonly penalty: bigint; readonly owner: Address };
  readonly amount: bigint;
  readonly mark: MarkReading;
}

function randomTier(rng: Random): Tier {
  const kind = rng.pick([CurveKind.Linear, CurveKind.StairstepExponential, CurveKind.Exponential, CurveKind.Adaptive, CurveKind.Adaptive]);
  const cutRay = kind === CurveKind.Linear ? 0n : rng.chance(0.1) ? rng.bigint(1n, RAY) : RAY - rng.bigintLog(0n, 10n ** BigInt(rng.int(0, 26)));
  const periodSeconds =
    kind === CurveKind.Exponential && rng.chance(0.3) ? 0 : kind === CurveKind.Adaptive && rng.chance(0.8) ? rng.int(300, 7200) : rng.int(1, rng.chance(0.8) ? 7200 : 2 ** 32 - 1);
  return {
    kind,
    cutRay,
    periodSeconds,
    tailSeconds: rng.int(60, rng.chance(0.8) ? 20_000 : 2 ** 32 - 1),
    // Every tier has a floor above 0 (`addTier` refuses 0); the smallest ones test the rounding up.
    floorWad: rng.chance(0.2) ? rng.bigint(1n, 3n) : rng.bigint(1n, WAD - 1n),
    startPremiumBps: rng.int(1, 50_000),
  };
}

function randomCase(rng: Random, house: House, i: number, now: bigint): Case {
  const tier = randomTier(rng);
  const tab = rng.chance(0.05) ? rng.bigint(1n, 10n) : rng.bigintLog(1n, rng.chance(0.9) ? 10n ** 27n : U112);
  const minTab = rng.chance(0.2) ? 0n : rng.chance(0.3) ? tab + rng.bigint(0n, 2n) - 1n : rng.bigintLog(0n, tab);
  const lot = rng.chance(0.03) ? 0n : rng.bigintLog(1n, rng.chance(0.9) ? 10n ** 24n / house.scale + 1n : U112);
  const top = rng.bigintLog(1n, rng.chance(0.9) ? 10n ** 25n : U96);
  const age = rng.chance(0.1) ? BigInt(tier.tailSeconds) + rng.bigint(0n, 2n) - 1n : rng.bigintLog(0n, BigInt(tier.tailSeconds) * 2n);
  const startedAt = now - (age > now ? now : age);
  const r = rng.float();
  const amount = r < 0.05 ? 0n : r < 0.3 ? lot : r < 0.4 ? lot + rng.bigint(1n, 1000n) : rng.bigintLog(1n, lot > 0n ? lot : 1n);
  const owner: Address = `0x${(0xabcn + BigInt(i)).toString(16).padStart(40, '0')}`;
  // The mark: mostly around the kick's (top / premium) times 0.01–2, sometimes 0, invalid or huge.
  const kickMark = (top * 10_000n) / BigInt(tier.startPremiumBps);
  const m = rng.float();
  const markPrice = m < 0.05 ? 0n : m < 0.1 ? rng.bigintLog(1n << 120n, (1n << 256n) - 1n) : m < 0.2 ? rng.bigintLog(1n, kickMark + 1n) : (kickMark * BigInt(rng.int(100, 20_000))) / 10_000n;
  const mark: MarkReading = { price: markPrice, valid: rng.chance(0.9) };
  const sale = { tab, lot, top, startedAt, minTab: minTab < 0n ? 0n : minTab > U96 ? U96 : minTab, redos: rng.int(0, 2), penalty: tab / 10n > U96 ? U96 : tab / 10n, owner };
  // Slot i, nonce 1: `id = nonce << 32 | slot`, tier id = i (each case its own tier).
  return { house, id: (1n << 32n) | BigInt(i), tier, sale, amount, mark };
}

/** The mark source's storage for the case's reading (MockMarkPrice: `price` at slot 0, `valid` at slot 1). */
function markStateOf(c: Case): Record<Hex, Record<Hex, Hex>> {
  return { [c.house.markSource]: { [numberToHex(0n, { size: 32 })]: pack([[c.mark.price, 256]]), [numberToHex(1n, { size: 32 })]: pack([[c.mark.valid ? 1n : 0n, 8]]) } };
}

function stateOf(c: Case): Record<Hex, Hex> {
  const slot = mappingSlot('uint256', c.id & 0xffff_ffffn, SALES_SLOT);
  const s = c.sale;
  return {
    [slot]: pack([
      [s.tab, 112],
      [s.lot, 112],
      [c.id >> 32n, 32],
    ]),
    [slotPlus(slot, 1n)]: pack([
      [s.top, 96],
      [s.startedAt, 40],
      [c.id & 0xffff_ffffn, 16],
      [s.minTab, 96],
      [BigInt(s.redos), 8],
    ]),
    [slotPlus(slot, 2n)]: pack([
      [BigInt(s.owner), 160],
      [s.penalty, 96],
    ]),
    [mappingSlot('uint256', c.id & 0xffff_ffffn, TIERS_SLOT)]: pack([
      [BigInt(c.tier.kind), 8],
      [c.tier.cutRay, 96],
      [BigInt(c.tier.periodSeconds), 32],
      [BigInt(c.tier.tailSeconds), 32],
      [c.tier.floorWad, 64],
      [BigInt(c.tier.startPremiumBps), 16],
    ]),
  };
}

const errorData = (name: string, args: readonly unknown[] = []): Hex => encodeErrorResult({ abi: collateralAuctionAbi, errorName: name as never, args: args });

/** The SDK's expected outcome of a call, as text: the decoded result, or the revert data. */
function expected(fn: () => string): string {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RayMathOverflowError) return `revert ${err.selector}`;
    if (err instanceof PanicError) return `revert panic 0x${err.code.toString(16)}`;
    throw err;
  }
}

describe(`auction rules: SDK vs CollateralAuction on anvil (seed ${SEED})`, () => {
  let node: AnvilNode;
  const houses: House[] = [];
  let now = 0n;

  beforeAll(async () => {
    node = await startAnvil({ accounts: 1 });
    const me = node.accounts[0]?.address;
    if (!me) throw new Error('no account');
    const engine = await deployArtifact(node, 'VaultEngine', [me]);
    for (const decimals of [18, 6]) {
      const ilk = stringToHex(`DIFF-${decimals}`, { size: 32 });
      const token = await deployArtifact(node, 'DemoToken', [`D${decimals}`, decimals]);
      const hash = await node.walletClient.writeContract({ address: engine, abi: vaultEngineAbi, functionName: 'addIlk', args: [ilk, token] });
      await node.publicClient.waitForTransactionReceipt({ hash });
      const markSource = await deployArtifact(node, 'MockMarkPrice', []);
      const address = await deployArtifact(node, 'CollateralAuction', [me, ilk, engine, markSource, me]);
      houses.push({ address, scale: 10n ** BigInt(18 - decimals), markSource });
    }
    now = (await node.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
  }, 60_000);

  afterAll(async () => {
    await node.stop();
  });

  it('reads back the overridden storage (the layout this test writes is the contract’s)', async () => {
    const rng = seededRandom(`${SEED}-layout`);
    const house = houses[0];
    if (!house) throw new Error('no house');
    const cases = Array.from({ length: 20 }, (_, i) => randomCase(rng, house, i, now)).filter((c) => c.sale.lot > 0n);
    // (The tier's slot is proven by the prices below: every curve kind and parameter reaches them.)
    const calls: OverrideCall[] = cases.map((c) => ({
      to: house.address,
      data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'sale', args: [c.id] }),
      stateDiff: stateOf(c),
    }));
    const out = await callsWithState(node.rpcUrl, calls);
    cases.forEach((c, i) => {
      const s = out[i];
      if (!s?.ok) throw new Error(`sale reverted: ${s?.ok === false ? s.message : ''}`);
      const got = decodeFunctionResult({ abi: collateralAuctionAbi, functionName: 'sale', data: s.result });
      expect([got.tab, got.lot, got.top, BigInt(got.startedAt), got.minTab, got.redos, got.owner.toLowerCase(), got.penalty, BigInt(got.tierId)]).toEqual([
        c.sale.tab,
        c.sale.lot,
        c.sale.top,
        c.sale.startedAt,
        c.sale.minTab,
        c.sale.redos,
        c.sale.owner,
        c.sale.penalty,
        c.id & 0xffff_ffffn,
      ]);
    });
  });

  it('agrees on getStatus and quote for thousands of auctions, reverts included', { timeout: 120_000 }, async () => {
    const rng = seededRandom(SEED);
    const cases = houses.flatMap((house) => Array.from({ length: CASES_PER_HOUSE }, (_, i) => randomCase(rng, house, i, now)));
    const calls: OverrideCall[] = cases.flatMap((c) => {
      const stateDiff = stateOf(c);
      const others = markStateOf(c);
      return [
        { to: c.house.address, data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'getStatus', args: [c.id] }), stateDiff, others },
        { to: c.house.address, data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'quote', args: [c.id, c.amount] }), stateDiff, others },
      ];
    });
    const started = performance.now();
    const out = await callsWithState(node.rpcUrl, calls);
    const ms = performance.now() - started;

    const mismatches: string[] = [];
    const errors = new Map<string, number>();
    let followed = 0; // Adaptive auctions priced below their fixed curve by the mark (the new branch)
    cases.forEach((c, i) => {
      if (c.tier.kind === CurveKind.Adaptive && c.sale.lot > 0n) {
        const age = now - c.sale.startedAt;
        expected(() => {
          const st = auctionStatus(c.tier, c.sale, now, c.mark);
          if (!st.needsRedo && st.price < tierPrice(c.tier, c.sale.top, age)) followed++;
          return '';
        });
      }
      const wantStatus = expected(() => {
        if (c.sale.lot === 0n) return 'false 0 0 0';
        const st = auctionStatus(c.tier, c.sale, now, c.mark);
        return `${String(st.needsRedo)} ${st.price} ${c.sale.lot} ${c.sale.tab}`;
      });
      const wantQuote = expected(() => {
        const q = quoteAuction(c.tier, c.sale, c.amount, now, c.house.scale, c.mark);
        if (q.ok) return `${q.collateralOut} ${q.owe} ${q.price}`;
        switch (q.error) {
          case 'AuctionNotActive':
          case 'AuctionNeedsRedo':
            return `revert ${errorData(q.error, [c.id])}`;
          case 'ZeroAmount':
            return `revert ${errorData(q.error)}`;
          case 'PartialTakeBelowMinimum':
            return `revert ${errorData(q.error, [q.tab, q.minTab])}`;
          case 'ZeroCollateralOut':
            return `revert ${errorData(q.error, [q.amount, q.price])}`;
          case 'Panic':
            return `revert panic 0x${q.code.toString(16)}`;
        }
      });
      const show = (o: (typeof out)[number] | undefined, fn: 'getStatus' | 'quote'): string => {
        if (!o) return 'missing';
        if (o.ok) {
          const r = decodeFunctionResult({ abi: collateralAuctionAbi, functionName: fn, data: o.result }) as readonly unknown[];
          return r.map(String).join(' ');
        }
        const data = o.revert ?? '';
        // Panic(uint256): 0x4e487b71 + code.
        if (data.startsWith('0x4e487b71')) return `revert panic 0x${BigInt(`0x${data.slice(10)}`).toString(16)}`;
        return `revert ${data || o.message}`;
      };
      const gotStatus = show(out[2 * i], 'getStatus');
      const gotQuote = show(out[2 * i + 1], 'quote');
      if (gotQuote.startsWith('revert')) errors.set(gotQuote.slice(0, 17), (errors.get(gotQuote.slice(0, 17)) ?? 0) + 1);
      const label = `tier ${JSON.stringify(c.tier, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))} sale ${JSON.stringify(c.sale, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))} amount ${c.amount} scale ${c.house.scale}`;
      if (gotStatus !== wantStatus) mismatches.push(`getStatus ${label}: solidity ${gotStatus}, sdk ${wantStatus}`);
      if (gotQuote !== wantQuote) mismatches.push(`quote ${label}: solidity ${gotQuote}, sdk ${wantQuote}`);
    });
    console.log(`auction diff: ${calls.length} calls on ${cases.length} auctions (${followed} Adaptive ones priced below their fixed curve by the mark) in ${ms.toFixed(0)} ms, seed ${SEED}; reverts by selector: ${JSON.stringify([...errors])}`);
    expect(followed, 'the mark-following branch was reached').toBeGreaterThan(100);
    expect(mismatches.slice(0, 5), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(2000);
    // Every refusal of a quote was reached.
    for (const [name, args] of [
      ['AuctionNotActive', [0n]],
      ['ZeroAmount', []],
      ['AuctionNeedsRedo', [0n]],
      ['PartialTakeBelowMinimum', [0n, 0n]],
    ] as const) {
      expect(errors.has(`revert ${errorData(name, args).slice(0, 10)}`), name).toBe(true);
    }
  });
  it('agrees on which tiers addTier accepts (validateTier: InvalidTier codes 0-5, Adaptive follow period included)', { timeout: 60_000 }, async () => {
    const rng = seededRandom(`${SEED}-tiers`);
    const house = houses[0];
    const me = node.accounts[0]?.address;
    if (!house || !me) throw new Error('no house');
    // Each field at, just inside or just outside its bound, or anywhere in its type.
    const pickBig = (edges: readonly bigint[], max: bigint): bigint => (rng.chance(0.6) ? rng.pick(edges) : rng.bigint(0n, max));
    const tiers: Tier[] = Array.from({ length: 2_000 }, () => ({
      kind: rng.int(0, 4),
      cutRay: pickBig([0n, 1n, RAY - 1n, RAY, RAY + 1n], (1n << 96n) - 1n),
      // 299/300/301: the Adaptive kind's shortest follow period.
      periodSeconds: Number(pickBig([0n, 1n, 299n, 300n, 301n, 3600n], (1n << 32n) - 1n)),
      tailSeconds: Number(pickBig([0n, 59n, 60n, 61n], (1n << 32n) - 1n)),
      floorWad: pickBig([0n, 1n, WAD - 1n, WAD, WAD + 1n], (1n << 64n) - 1n),
      startPremiumBps: Number(pickBig([0n, 1n, 50_000n, 50_001n], (1n << 16n) - 1n)),
    }));
    const calls: OverrideCall[] = tiers.map((t) => ({ to: house.address, from: me, stateDiff: {}, data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'addTier', args: [t] }) }));
    const out = await callsWithState(node.rpcUrl, calls);
    const mismatches: string[] = [];
    const codes = new Set<string>();
    tiers.forEach((t, i) => {
      let want = 'accepted';
      try {
        validateTier(t);
      } catch (err) {
        if (!(err instanceof InvalidTierError)) throw err;
        want = `InvalidTier(${err.code}, ${err.value})`;
      }
      const o = out[i];
      let got = o?.ok ? 'accepted' : 'missing';
      if (o?.ok === false && o.revert) {
        const e = decodeErrorResult({ abi: collateralAuctionAbi, data: o.revert });
        got = `${e.errorName}(${((e.args as readonly unknown[] | undefined) ?? []).join(', ')})`;
      }
      codes.add(want.replace(/, .*/, ''));
      if (got !== want) mismatches.push(`addTier ${JSON.stringify(t, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}: solidity ${got}, sdk ${want}`);
    });
    expect(mismatches.slice(0, 5), `${mismatches.length} mismatches`).toEqual([]);
    expect([...codes].sort()).toEqual(['InvalidTier(0', 'InvalidTier(1', 'InvalidTier(2', 'InvalidTier(3', 'InvalidTier(4', 'InvalidTier(5', 'accepted']);
  });
  it('agrees on tierFor over random tier tables, bounds at, around and past the stored maximum', { timeout: 60_000 }, async () => {
    const rng = seededRandom(`${SEED}-tierFor`);
    const house = houses[1];
    const me = node.accounts[0]?.address;
    if (!house || !me) throw new Error('no house');
    const send = async (functionName: 'addTier' | 'setTiers', args: readonly unknown[]): Promise<void> => {
      const hash = await node.walletClient.writeContract({ address: house.address, abi: collateralAuctionAbi, functionName, args: args as never });
      await node.publicClient.waitForTransactionReceipt({ hash });
    };
    const tierFor_ = (tab: bigint): Hex => encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'tierFor', args: [tab] });
    // No table yet: both refuse.
    const [none] = await callsWithState(node.rpcUrl, [{ to: house.address, data: tierFor_(1n), stateDiff: {} }]);
    expect(() => tierFor({ tierIds: [], maxTabs: [] }, 1n)).toThrow(NoTiersError);
    expect(none?.ok === false && none.revert ? decodeErrorResult({ abi: collateralAuctionAbi, data: none.revert }).errorName : 'accepted').toBe('NoTiers');
    for (let i = 0; i < 6; i++) await send('addTier', [{ kind: CurveKind.Exponential, cutRay: RAY - 1n, periodSeconds: 0, tailSeconds: 600, floorWad: WAD / 2n, startPremiumBps: 9_000 + i * 500 }]);
    let checked = 0;
    const mismatches: string[] = [];
    for (let t = 0; t < 25; t++) {
      const n = rng.int(1, 6);
      const tierIds = Array.from({ length: n }, () => BigInt(rng.int(0, 5)));
      let bound = 0n;
      const maxTabs = Array.from({ length: n }, (_, i) => {
        // The last bound is sometimes "any tab" (2^256 − 1 or just past the stored maximum).
        bound = i === n - 1 && rng.chance(0.4) ? rng.pick([MAX_STORED_TAB, MAX_STORED_TAB + 1n, (1n << 256n) - 1n]) : bound + rng.bigintLog(1n, 10n ** 24n);
        return bound;
      });
      const table: TierTable = { tierIds, maxTabs };
      await send('setTiers', [tierIds, maxTabs]);
      const tabs = [0n, 1n, MAX_STORED_TAB, MAX_STORED_TAB + 1n, (1n << 256n) - 1n, ...maxTabs.flatMap((b) => [b - 1n, b, b + 1n].filter((x) => x >= 0n && x < 1n << 256n))];
      const out = await callsWithState(node.rpcUrl, tabs.map((tab) => ({ to: house.address, data: tierFor_(tab), stateDiff: {} })));
      tabs.forEach((tab, i) => {
        const o = out[i];
        const got = o?.ok ? decodeFunctionResult({ abi: collateralAuctionAbi, functionName: 'tierFor', data: o.result }) : undefined;
        const want = tierFor(table, tab);
        checked++;
        if (got !== want) mismatches.push(`table ${JSON.stringify(table, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))} tab ${tab}: solidity ${got}, sdk ${want}`);
      });
    }
    expect(mismatches.slice(0, 5), `${mismatches.length} mismatches`).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });
});
