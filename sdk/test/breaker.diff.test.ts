// Differential test: the SDK's breaker rules against the deployed contracts on anvil.
// 1. Levels: which actions each breaker level allows (`kickAllowed`, `redoAllowed`, `takeAllowed`,
//    `takeoverAllowed`, `MAX_LEVEL`) against CollateralAuction's guards, for every uint8 level (the
//    house's level slot overridden): kick, take, redo and takeover each revert `BreakerLevelTooHigh(level,
//    highest allowed)` exactly where the SDK refuses, and `setBreakerLevel` refuses above `MAX_LEVEL`.
// 2. Trips: `observeOutcome` (`observe`), `checkRiseOutcome` (`checkRise`, the Spotter's question),
//    `tripOutcome` (`trip`) and `pendingDrop` against CircuitBreaker over thousands of seeded random
//    states (observed pair, tolerance, re-arm time, rise hold, house level, the oracle's new update or none,
//    moves at the tolerance to the wei), each an `eth_simulateV1` block with the breaker's, the house's
//    and the oracle's storage overridden: return values, reverts, events and the house's state after.
// GAVEL_TEST_SEED=<seed> reproduces a failure.
import { type Address, type Hex, decodeErrorResult, decodeEventLog, decodeFunctionResult, encodeFunctionData, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilNode, type Random, deployArtifact, seededRandom, startAnvil } from '@gavel/contracts/testing';
import {
  type BreakerHouseState,
  type BreakerOracleRead,
  MAX_LEVEL,
  checkRiseOutcome,
  kickAllowed,
  observeOutcome,
  pendingDrop,
  redoAllowed,
  takeAllowed,
  takeoverAllowed,
  tripOutcome,
} from '../src/breaker.ts';
import { circuitBreakerAbi, collateralAuctionAbi, medianOracleAbi, vaultEngineAbi } from '../src/generated.ts';
import { WAD } from '../src/units.ts';
import { type OverrideCall, type SimResult, callsWithState, mappingSlot, pack, simulateWithState, slotPlus } from './diff.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-breaker-diff-1';
const CASES = 700;
const MAX_AGE = 300n;
const MAX_CHANGE_BPS = 1000n;
const KICKER = 1n;
const BREAKER = 2n;
const ZERO_SLOT: Hex = `0x${'0'.repeat(64)}`;
const ONE_SLOT: Hex = `0x${'0'.repeat(63)}1`;
// Storage slots (`forge inspect <C> storageLayout`; solady's OwnableRoles keeps its own elsewhere), read back below.
const HOUSES_SLOT = 0n; // CircuitBreaker._houses
const OBSERVATIONS_SLOT = 1n; // CircuitBreaker._observations
const RISE_HELD_SLOT = 4n; // CircuitBreaker._riseHeld
const SALES_SLOT = 2n; // CollateralAuction._sales
const TIERS_SLOT = 4n; // CollateralAuction._tiers
const U128 = (1n << 128n) - 1n;
const text = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

describe(`breaker rules: SDK vs CollateralAuction and CircuitBreaker on anvil (seed ${SEED})`, () => {
  let node: AnvilNode;
  let me: Address;
  let house: Address;
  let oracle: Address;
  let breaker: Address;
  const ilk = stringToHex('BREAKER-DIFF', { size: 32 });
  let now = 0n;

  beforeAll(async () => {
    node = await startAnvil({ accounts: 1 });
    const account = node.accounts[0]?.address;
    if (!account) throw new Error('no account');
    me = account;
    const send = async (hash: Promise<Hex>): Promise<void> => {
      const r = await node.publicClient.waitForTransactionReceipt({ hash: await hash });
      if (r.status !== 'success') throw new Error('setup transaction failed');
    };
    const engine = await deployArtifact(node, 'VaultEngine', [me]);
    const token = await deployArtifact(node, 'DemoToken', ['BRK', 18]);
    await send(node.walletClient.writeContract({ address: engine, abi: vaultEngineAbi, functionName: 'addIlk', args: [ilk, token] }));
    const feeds: Address[] = [];
    for (let i = 0; i < 3; i++) feeds.push(await deployArtifact(node, 'PushedFeed', [me, me]));
    oracle = await deployArtifact(node, 'MedianOracle', [me, feeds, 2n, MAX_AGE, MAX_CHANGE_BPS, 0n]);
    house = await deployArtifact(node, 'CollateralAuction', [me, ilk, engine, oracle, me]);
    breaker = await deployArtifact(node, 'CircuitBreaker', [me, engine, 3600n, 1000n * WAD, 3600n, 3]);
    await send(node.walletClient.writeContract({ address: house, abi: collateralAuctionAbi, functionName: 'grantRoles', args: [breaker, BREAKER] }));
    await send(node.walletClient.writeContract({ address: house, abi: collateralAuctionAbi, functionName: 'grantRoles', args: [me, KICKER] }));
    await send(node.walletClient.writeContract({ address: breaker, abi: circuitBreakerAbi, functionName: 'setHouse', args: [house, oracle, 500n] }));
    now = (await node.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
  }, 60_000);

  afterAll(async () => {
    await node.stop();
  });

  /** The house's hot slot with breaker level `level` (debt and revenue 0, the warm bit set). */
  const stateSlot = (level: bigint): Hex =>
    pack([
      [level, 8],
      [10n ** 30n, 120],
      [0n, 120],
      [1n, 8],
    ]);

  it('agrees on which action each breaker level allows, for every uint8 level', { timeout: 60_000 }, async () => {
    // A live auction (slot 0, nonce 1) that neither needs a redo nor is due for a takeover: past the level
    // guard, redo reverts AuctionDoesNotNeedRedo and takeover TakeoverNotAllowed.
    const id = (1n << 32n) | 0n;
    const sale = mappingSlot('uint256', 0n, SALES_SLOT);
    const auction: Record<Hex, Hex> = {
      [sale]: pack([
        [WAD, 112],
        [WAD, 112],
        [1n, 32],
      ]),
      [slotPlus(sale, 1n)]: pack([
        [WAD, 96],
        [now, 40],
        [0n, 16],
        [0n, 96],
        [0n, 8],
      ]),
      [slotPlus(sale, 2n)]: pack([
        [BigInt(me), 160],
        [0n, 96],
      ]),
      [mappingSlot('uint256', 0n, TIERS_SLOT)]: pack([
        [1n, 8],
        [0n, 96],
        [3600n, 32],
        [3600n, 32],
        [WAD / 2n, 64],
        [10_000n, 16],
      ]),
    };
    const actions = [
      ['kick', encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'kick', args: [0n, 0n, 0n, me, me, 0n] }), kickAllowed, 'ZeroAmount'],
      ['take', encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'take', args: [id, 0n, U128, me, '0x'] }), takeAllowed, 'ZeroAmount'],
      ['redo', encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'redo', args: [id, me] }), redoAllowed, 'AuctionDoesNotNeedRedo'],
      ['takeover', encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'takeover', args: [id, me] }), takeoverAllowed, 'TakeoverNotAllowed'],
    ] as const;
    const levels = Array.from({ length: 256 }, (_, i) => BigInt(i));
    const calls: OverrideCall[] = levels.flatMap((level) => [
      ...actions.map(([, data]) => ({ to: house, from: me, data, stateDiff: { ...auction, [ZERO_SLOT]: stateSlot(level) } })),
      { to: house, from: me, data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'setBreakerLevel', args: [Number(level)] }), stateDiff: {} },
    ]);
    const out = await callsWithState(node.rpcUrl, calls);
    const perLevel = actions.length + 1;
    const mismatches: string[] = [];
    const errorOf = (o: (typeof out)[number] | undefined): string => {
      if (!o) return 'missing';
      if (o.ok) return 'ok';
      if (!o.revert) return `revert ${o.message}`;
      const e = decodeErrorResult({ abi: collateralAuctionAbi, data: o.revert });
      return `${e.errorName}(${((e.args as readonly unknown[] | undefined) ?? []).join(', ')})`;
    };
    for (const [a, [name, , allowed, past]] of actions.entries()) {
      // The highest level the SDK allows the action at: the guard's second argument.
      const highest = levels.filter((l) => allowed(l)).at(-1) ?? -1n;
      for (const level of levels) {
        const got = errorOf(out[Number(level) * perLevel + a]);
        const want = allowed(level) ? `${past}(${past === 'ZeroAmount' ? '' : id})` : `BreakerLevelTooHigh(${level}, ${highest})`;
        if (got !== want) mismatches.push(`${name} at level ${level}: solidity ${got}, sdk ${want}`);
      }
    }
    for (const level of levels) {
      const got = errorOf(out[Number(level) * perLevel + actions.length]);
      const want = level <= BigInt(MAX_LEVEL) ? 'ok' : `InvalidBreakerLevel(${level})`;
      if (got !== want) mismatches.push(`setBreakerLevel(${level}): solidity ${got}, sdk ${want}`);
    }
    expect(mismatches.slice(0, 8), `${mismatches.length} mismatches`).toEqual([]);
  });

  interface TripCase {
    readonly h: BreakerHouseState;
    /** What the oracle is overridden to: its mark in force and last poke time. */
    readonly curWad: bigint;
    readonly zzz: bigint;
  }

  /** A price `bps` basis points from `ref`, sometimes one wei either side of it. */
  const moved = (rng: Random, ref: bigint, bps: bigint, up: boolean): bigint => {
    const d = (ref * bps) / 10_000n + (rng.chance(0.3) ? rng.bigint(0n, 2n) - 1n : 0n);
    const p = up ? ref + d : ref - d;
    return p <= 0n ? 1n : p > U128 ? U128 : p;
  };

  function randomCase(rng: Random, t: bigint): TripCase {
    const toleranceBps = rng.chance(0.2) ? rng.pick([100n, 999n, 9000n]) : rng.bigint(100n, 999n);
    const fresh = rng.chance(0.1);
    // Half the references a multiple of 10 000: a move of exactly the tolerance (the boundary, no trip) is reachable.
    const center = rng.chance(0.5) ? rng.bigintLog(1n, 10n ** 20n) * 10_000n : rng.bigintLog(1n, 10n ** 24n);
    const move = (): bigint => (rng.chance(0.3) ? toleranceBps : rng.bigint(0n, toleranceBps * 2n));
    const referencePrice = fresh ? 0n : center;
    const price = fresh ? 0n : moved(rng, center, move(), rng.chance(0.5));
    const pokedAt = fresh ? 0n : t - rng.bigint(0n, 2000n);
    // The oracle: no update since the last observation, a valid new one, a stale one (peek invalid), or a zero mark.
    const o = rng.float();
    const zzz = o < 0.25 ? pokedAt : o < 0.85 ? t - rng.bigint(0n, MAX_AGE) : t - MAX_AGE - rng.bigint(1n, 1000n);
    const base = price === 0n ? center : price;
    const curWad = rng.chance(0.05) ? 0n : rng.chance(0.02) ? rng.bigintLog(1n, U128) : moved(rng, base, move(), rng.chance(0.5));
    const r = rng.float();
    const rearmAt = r < 0.6 ? 0n : r < 0.8 ? t + rng.bigint(1n, 3600n) : t - rng.bigint(0n, 1n);
    return {
      h: { toleranceBps, rearmAt, pokedAt, referencePrice, price, riseHeld: rng.chance(0.3), level: BigInt(rng.pick([0, 0, 1, 2, 3])) },
      curWad,
      zzz,
    };
  }

  function overrides(c: TripCase): Record<Hex, Record<Hex, Hex>> {
    const houseSlot = mappingSlot('address', house, HOUSES_SLOT);
    return {
      [breaker]: {
        [houseSlot]: pack([
          [BigInt(oracle), 160],
          [c.h.toleranceBps, 16],
          [c.h.rearmAt, 40],
          [c.h.pokedAt, 40],
        ]),
        [mappingSlot('address', house, OBSERVATIONS_SLOT)]: pack([
          [c.h.referencePrice, 128],
          [c.h.price, 128],
        ]),
        [mappingSlot('address', house, RISE_HELD_SLOT)]: pack([[c.h.riseHeld ? 1n : 0n, 8]]),
      },
      [house]: { [ZERO_SLOT]: stateSlot(c.h.level) },
      [oracle]: {
        [ZERO_SLOT]: pack([
          [c.curWad, 128],
          [c.curWad, 128],
        ]),
        [ONE_SLOT]: pack([
          [c.zzz, 40],
          [0n, 32],
          [MAX_AGE, 32],
          [MAX_CHANGE_BPS, 16],
          [2n, 8],
        ]),
      },
    };
  }

  it('agrees on observe, checkRise, trip and pendingDrop for thousands of breaker states', { timeout: 120_000 }, async () => {
    const rng = seededRandom(SEED);
    const t = now + 1n;
    const cases = Array.from({ length: CASES }, () => randomCase(rng, t));
    const view = (functionName: 'peek' | 'lastPokeAt'): { to: Hex; data: Hex } => ({ to: oracle, data: encodeFunctionData({ abi: medianOracleAbi, functionName }) });
    const after = [
      { to: house, data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'breakerLevel' }) },
      { to: breaker, data: encodeFunctionData({ abi: circuitBreakerAbi, functionName: 'riseHeld', args: [house] }) },
      { to: breaker, data: encodeFunctionData({ abi: circuitBreakerAbi, functionName: 'houseInfo', args: [house] }) },
    ];
    const actions = {
      observe: encodeFunctionData({ abi: circuitBreakerAbi, functionName: 'observe', args: [house] }),
      checkRise: encodeFunctionData({ abi: circuitBreakerAbi, functionName: 'checkRise', args: [ilk] }),
      trip: encodeFunctionData({ abi: circuitBreakerAbi, functionName: 'trip', args: [house] }),
    };
    const blocks = cases.flatMap((c) =>
      Object.values(actions).map((data) => ({
        state: overrides(c),
        time: t,
        calls: [view('peek'), view('lastPokeAt'), { to: breaker, data: encodeFunctionData({ abi: circuitBreakerAbi, functionName: 'pendingDrop', args: [house] }) }, { to: breaker, data }, ...after],
      })),
    );
    const started = performance.now();
    const out = await simulateWithState(node.rpcUrl, blocks);
    const ms = performance.now() - started;

    const ok = (r: SimResult | undefined): Hex => {
      if (!r?.ok) throw new Error(`a view reverted: ${r?.ok === false ? r.message : 'missing'}`);
      return r.result;
    };
    /** The house's state after a block, as the chain reports it. */
    const stateAfter = (rs: readonly SimResult[]): BreakerHouseState => {
      const info = decodeFunctionResult({ abi: circuitBreakerAbi, functionName: 'houseInfo', data: ok(rs[6]) });
      return {
        toleranceBps: info.toleranceBps,
        rearmAt: info.rearmAt,
        pokedAt: info.pokedAt,
        referencePrice: info.referencePrice,
        price: info.price,
        riseHeld: decodeFunctionResult({ abi: circuitBreakerAbi, functionName: 'riseHeld', data: ok(rs[5]) }),
        level: BigInt(decodeFunctionResult({ abi: collateralAuctionAbi, functionName: 'breakerLevel', data: ok(rs[4]) })),
      };
    };
    const events = (r: SimResult | undefined): string =>
      r?.ok
        ? r.logs
            .filter((l) => l.address.toLowerCase() === breaker.toLowerCase())
            .map((l) => decodeEventLog({ abi: circuitBreakerAbi, topics: l.topics as [Hex, ...Hex[]], data: l.data }).eventName)
            .join(',')
        : '';
    const eventsOf = (trip: 'drop' | 'rise' | undefined, shifted: boolean): string => [shifted ? 'Observed' : '', trip === 'drop' ? 'Tripped' : trip === 'rise' ? 'RiseTripped' : ''].filter(Boolean).join(',');

    const mismatches: string[] = [];
    const seen = new Map<string, number>();
    const count = (k: string): void => void seen.set(k, (seen.get(k) ?? 0) + 1);
    cases.forEach((c, i) => {
      const [obs, chk, trp] = [out[3 * i] ?? [], out[3 * i + 1] ?? [], out[3 * i + 2] ?? []];
      const [cur, valid] = decodeFunctionResult({ abi: medianOracleAbi, functionName: 'peek', data: ok(obs[0]) });
      const read: BreakerOracleRead = { peekWad: cur, peekValid: valid, lastPokeAt: decodeFunctionResult({ abi: medianOracleAbi, functionName: 'lastPokeAt', data: ok(obs[1]) }) };
      const label = `house ${text(c.h)} oracle ${text(read)}`;
      const check = (what: string, got: unknown, want: unknown): void => {
        if (text(got) !== text(want)) mismatches.push(`${what} ${label}: solidity ${text(got)}, sdk ${text(want)}`);
      };

      const [dropBps, exceeds] = decodeFunctionResult({ abi: circuitBreakerAbi, functionName: 'pendingDrop', data: ok(obs[2]) });
      check('pendingDrop', { dropBps, exceeds }, pendingDrop(c.h, read));

      const o = observeOutcome(c.h, read, t);
      check('observe', decodeFunctionResult({ abi: circuitBreakerAbi, functionName: 'observe', data: ok(obs[3]) }), o.trip !== undefined);
      check('observe: state after', stateAfter(obs), o.house);
      check('observe: events', events(obs[3]), eventsOf(o.trip, o.shifted));
      count(`observe ${o.trip ?? (o.shifted ? 'shifted' : 'nothing new')}`);

      const r = checkRiseOutcome(c.h, read, t);
      check('checkRise', decodeFunctionResult({ abi: circuitBreakerAbi, functionName: 'checkRise', data: ok(chk[3]) }), r.holdRises);
      check('checkRise: state after', stateAfter(chk), r.house);
      check('checkRise: events', events(chk[3]), eventsOf(r.trip, r.shifted));
      count(`checkRise ${r.holdRises ? 'holds' : 'passes'}`);

      const w = tripOutcome(c.h, read, t);
      const got = trp[3];
      if (w.ok) {
        check('trip', got?.ok ? decodeFunctionResult({ abi: circuitBreakerAbi, functionName: 'trip', data: got.result }) : `revert ${got?.ok === false ? got.revert : ''}`, w.moveBps);
        check('trip: state after', stateAfter(trp), w.house);
        count(`trip ${w.trip}`);
      } else {
        const e = got?.ok === false && got.revert ? decodeErrorResult({ abi: circuitBreakerAbi, data: got.revert }) : undefined;
        const args = w.error === 'AlreadyTripped' ? [house, w.level] : w.error === 'RearmPending' ? [house, w.rearmAt] : [w.moveBps, w.toleranceBps];
        check('trip', e ? `${e.errorName}(${((e.args as readonly unknown[] | undefined) ?? []).map((x) => String(x).toLowerCase()).join(', ')})` : got?.ok ? 'ok' : 'missing', `${w.error}(${args.map((x) => String(x).toLowerCase()).join(', ')})`);
        count(`trip refused ${w.error}`);
      }
    });
    console.log(`breaker diff: ${blocks.length} simulated blocks (${cases.length} states × observe/checkRise/trip) in ${ms.toFixed(0)} ms, seed ${SEED}; outcomes ${text([...seen].sort())}`);
    expect(mismatches.slice(0, 5), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    // Every branch was reached.
    for (const k of ['observe drop', 'observe rise', 'observe shifted', 'observe nothing new', 'checkRise holds', 'checkRise passes', 'trip drop', 'trip rise', 'trip refused AlreadyTripped', 'trip refused RearmPending', 'trip refused RiseWithinTolerance', 'trip refused DropWithinTolerance']) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(5);
    }
  });
});
