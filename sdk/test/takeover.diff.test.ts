// Differential test: the SDK's takeover and redo rules (`takeoverPrice`: the curve price, never below the
// fair floor mark × start premium × floor; `quoteTakeover`: what the fund buys, pays and returns to the
// owner's vault; `redoOutcome`: `redoIncentive` and the new top `checkedStartPrice`; the breaker guards;
// `NoMarkPrice`, `StartPriceZero`, `AmountTooLarge`) against CollateralAuction.takeover / redo on anvil,
// with a real InsuranceFund paying the takeover and a real VaultEngine receiving the surplus collateral.
// Each case is one `eth_simulateV1` block with the house's sale, tier and books, the oracle's mark, the
// fund's and the house's balances overridden; the outcome is read from the return values, the
// `Takeover` / `Redo` events and the owner's vault after. GAVEL_TEST_SEED=<seed> reproduces a failure.
import { type Address, type Hex, concat, decodeErrorResult, decodeEventLog, decodeFunctionResult, encodeFunctionData, keccak256, numberToHex, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilNode, type Random, deployArtifact, seededRandom, startAnvil } from '@gavel/contracts/testing';
import { type Sale, type Tier, CurveKind, PanicError, quoteTakeover, redoAt, redoOutcome, takeoverPrice } from '../src/auction.ts';
import { redoAllowed, takeoverAllowed } from '../src/breaker.ts';
import { RayMathOverflowError } from '../src/curves.ts';
import { collateralAuctionAbi, insuranceFundAbi, medianOracleAbi, vaultEngineAbi } from '../src/generated.ts';
import { RAY, WAD } from '../src/units.ts';
import { type SimBlock, type SimResult, mappingSlot, pack, simulateWithState, slotPlus } from './diff.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-takeover-diff-1';
const CASES_PER_HOUSE = 600;
const U96 = (1n << 96n) - 1n;
const MAX_AGE = 300n;
const REDO_TIP = 7n * WAD;
const REDO_CHIP_WAD = WAD / 100n;
const TAKEOVER_TIP = 3n * WAD;
const FUND_BALANCE = 1n << 120n;
// Storage slots (`forge inspect <C> storageLayout`); the auction diff test reads the sale layout back.
const STATE_SLOT: Hex = numberToHex(0n, { size: 32 }); // CollateralAuction._state
const SLOTS_SLOT: Hex = numberToHex(1n, { size: 32 }); // CollateralAuction._slots
const SALES_SLOT = 2n;
const TIERS_SLOT = 4n;
const TRACKED_BALANCE_SLOT: Hex = numberToHex(4n, { size: 32 }); // InsuranceFund._trackedBalance
const ZERO_SLOT: Hex = `0x${'0'.repeat(64)}`;
const ONE_SLOT: Hex = `0x${'0'.repeat(63)}1`;
const TRIGGER: Address = '0x0000000000000000000000000000000000007a6e';
// solady ERC20: a balance's slot is keccak256(owner ++ uint96(0x87a211a2)).
const balanceSlot = (owner: Address): Hex => keccak256(concat([owner, numberToHex(0x87a211a2n, { size: 12 })]));
const text = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

interface House {
  readonly address: Address;
  readonly ilk: Hex;
  readonly token: Address;
  readonly scale: bigint;
}

interface Case {
  readonly house: House;
  readonly id: bigint;
  readonly tier: Tier;
  readonly sale: Sale & { readonly owner: Address };
  readonly level: bigint;
  readonly mark: bigint;
}

function randomTier(rng: Random): Tier {
  const kind = rng.pick([CurveKind.Linear, CurveKind.StairstepExponential, CurveKind.Exponential]);
  return {
    kind,
    cutRay: kind === CurveKind.Linear ? 0n : RAY - rng.bigintLog(1n, RAY / 10n),
    periodSeconds: rng.int(1, 7200),
    tailSeconds: rng.int(60, 20_000),
    floorWad: rng.chance(0.1) ? rng.bigint(1n, 3n) : rng.bigint(1n, WAD - 1n),
    startPremiumBps: rng.int(1, 50_000),
  };
}

function randomCase(rng: Random, house: House, i: number, now: bigint): Case {
  const tier = randomTier(rng);
  const tab = rng.bigintLog(1n, 10n ** 27n);
  const lot = rng.chance(0.03) ? 0n : rng.bigintLog(1n, 10n ** 25n / house.scale + 1n);
  const top = rng.bigintLog(1n, 10n ** 25n);
  // Half the auctions past their tail or their floor (a takeover or a redo due), half anywhere.
  const age = rng.chance(0.5) ? BigInt(tier.tailSeconds) + rng.bigint(0n, BigInt(tier.tailSeconds)) : rng.bigintLog(0n, BigInt(tier.tailSeconds) * 3n);
  const m = rng.float();
  // The mark: the oracle invalid (0), a start price of 0, one beyond uint96, or near the auction's top.
  const mark = m < 0.05 ? 0n : m < 0.1 ? rng.bigint(1n, 10_000n / BigInt(tier.startPremiumBps) + 1n) : m < 0.15 ? rng.bigintLog(U96 / 4n, U96 * 4n) : rng.bigintLog(top / 10n + 1n, top * 10n);
  const owner: Address = `0x${(0xabcn + BigInt(i)).toString(16).padStart(40, '0')}`;
  const sale = { tab, lot, top, startedAt: now - age, minTab: rng.chance(0.5) ? 0n : rng.bigintLog(0n, tab), redos: rng.int(0, 2), owner };
  const level = BigInt(rng.chance(0.85) ? 0 : rng.int(1, 3));
  return { house, id: (1n << 32n) | BigInt(i), tier, sale, level, mark };
}

describe(`takeover and redo: SDK vs CollateralAuction on anvil (seed ${SEED})`, () => {
  let node: AnvilNode;
  let me: Address;
  let oracle: Address;
  let fund: Address;
  let stablecoin: Address;
  let engine: Address;
  const houses: House[] = [];
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
    engine = await deployArtifact(node, 'VaultEngine', [me]);
    stablecoin = await node.publicClient.readContract({ address: engine, abi: vaultEngineAbi, functionName: 'stablecoin' });
    fund = await deployArtifact(node, 'InsuranceFund', [engine, me, 3600n, 3600n]);
    const feeds: Address[] = [];
    for (let i = 0; i < 3; i++) feeds.push(await deployArtifact(node, 'PushedFeed', [me, me]));
    oracle = await deployArtifact(node, 'MedianOracle', [me, feeds, 2n, MAX_AGE, 1000n, 0n]);
    const minter = await node.publicClient.readContract({ address: engine, abi: vaultEngineAbi, functionName: 'INCENTIVE_MINTER' });
    const takeoverRole = await node.publicClient.readContract({ address: fund, abi: insuranceFundAbi, functionName: 'TAKEOVER' });
    for (const decimals of [18, 6]) {
      const ilk = stringToHex(`TAKEOVER-${decimals}`, { size: 32 });
      const token = await deployArtifact(node, 'DemoToken', [`T${decimals}`, decimals]);
      await send(node.walletClient.writeContract({ address: engine, abi: vaultEngineAbi, functionName: 'addIlk', args: [ilk, token] }));
      const address = await deployArtifact(node, 'CollateralAuction', [me, ilk, engine, oracle, fund]);
      await send(node.walletClient.writeContract({ address: engine, abi: vaultEngineAbi, functionName: 'setAuctionHouse', args: [ilk, address, true] }));
      await send(node.walletClient.writeContract({ address: engine, abi: vaultEngineAbi, functionName: 'grantRoles', args: [address, minter] }));
      await send(node.walletClient.writeContract({ address: fund, abi: insuranceFundAbi, functionName: 'grantRoles', args: [address, takeoverRole] }));
      await send(node.walletClient.writeContract({ address: fund, abi: insuranceFundAbi, functionName: 'setTakeoverCap', args: [address, 5000n] }));
      await send(node.walletClient.writeContract({ address, abi: collateralAuctionAbi, functionName: 'setRedoIncentive', args: [REDO_TIP, REDO_CHIP_WAD] }));
      await send(node.walletClient.writeContract({ address, abi: collateralAuctionAbi, functionName: 'setTakeoverTip', args: [TAKEOVER_TIP] }));
      houses.push({ address, ilk, token, scale: 10n ** BigInt(18 - decimals) });
    }
    now = (await node.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
  }, 60_000);

  afterAll(async () => {
    await node.stop();
  });

  function blockOf(c: Case, t: bigint, action: Hex): SimBlock {
    const slot = c.id & 0xffff_ffffn;
    const sale = mappingSlot('uint256', slot, SALES_SLOT);
    const s = c.sale;
    return {
      time: t,
      state: {
        [c.house.address]: {
          [STATE_SLOT]: pack([
            [c.level, 8],
            [1n << 119n, 120],
            [0n, 120],
            [1n, 8],
          ]),
          [SLOTS_SLOT]: pack([
            [1000n, 32],
            [1000n, 32],
            [0n, 32],
            [1000n, 32],
          ]),
          [sale]: pack([
            [s.tab, 112],
            [s.lot, 112],
            [c.id >> 32n, 32],
          ]),
          [slotPlus(sale, 1n)]: pack([
            [s.top, 96],
            [s.startedAt, 40],
            [slot, 16],
            [s.minTab, 96],
            [BigInt(s.redos), 8],
          ]),
          [slotPlus(sale, 2n)]: pack([
            [BigInt(s.owner), 160],
            [s.tab / 10n, 96],
          ]),
          [mappingSlot('uint256', slot, TIERS_SLOT)]: pack([
            [BigInt(c.tier.kind), 8],
            [c.tier.cutRay, 96],
            [BigInt(c.tier.periodSeconds), 32],
            [BigInt(c.tier.tailSeconds), 32],
            [c.tier.floorWad, 64],
            [BigInt(c.tier.startPremiumBps), 16],
          ]),
        },
        [oracle]: {
          [ZERO_SLOT]: pack([
            [c.mark, 128],
            [c.mark, 128],
          ]),
          [ONE_SLOT]: pack([
            [t, 40],
            [0n, 32],
            [MAX_AGE, 32],
            [1000n, 16],
            [2n, 8],
          ]),
        },
        [fund]: { [TRACKED_BALANCE_SLOT]: numberToHex(FUND_BALANCE, { size: 32 }) },
        [stablecoin]: { [balanceSlot(fund)]: numberToHex(FUND_BALANCE, { size: 32 }) },
        [c.house.token]: { [balanceSlot(c.house.address)]: numberToHex(s.lot, { size: 32 }) },
      },
      calls: [
        { to: oracle, data: encodeFunctionData({ abi: medianOracleAbi, functionName: 'peek' }) },
        { to: c.house.address, data: action, from: TRIGGER },
        { to: engine, data: encodeFunctionData({ abi: vaultEngineAbi, functionName: 'vault', args: [c.house.ilk, s.owner] }) },
      ],
    };
  }

  it('agrees on takeover (price, fair floor, surplus returned) and redo (top, incentive), reverts included', { timeout: 120_000 }, async () => {
    const rng = seededRandom(SEED);
    const t = now + 1n;
    const cases = houses.flatMap((house) => Array.from({ length: CASES_PER_HOUSE }, (_, i) => randomCase(rng, house, i, t)));
    const blocks = cases.flatMap((c) => [
      blockOf(c, t, encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'takeover', args: [c.id, TRIGGER] })),
      blockOf(c, t, encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'redo', args: [c.id, TRIGGER] })),
    ]);
    const started = performance.now();
    const out = await simulateWithState(node.rpcUrl, blocks);
    const ms = performance.now() - started;

    const errorText = (r: SimResult | undefined): string => {
      if (!r) return 'missing';
      if (r.ok) return 'ok';
      if (!r.revert) return `revert ${r.message}`;
      if (r.revert.startsWith('0x4e487b71')) return `Panic(0x${BigInt(`0x${r.revert.slice(10)}`).toString(16)})`;
      try {
        const e = decodeErrorResult({ abi: collateralAuctionAbi, data: r.revert });
        return `${e.errorName}(${((e.args as readonly unknown[] | undefined) ?? []).map(String).join(', ')})`;
      } catch {
        return `revert ${r.revert}`;
      }
    };
    /** The SDK's refusal as the contract's error text; throws for an SDK outcome the test does not expect. */
    const refusal = (c: Case, e: { readonly error: string; readonly value?: bigint; readonly max?: bigint; readonly amount?: bigint; readonly price?: bigint; readonly code?: bigint }): string => {
      switch (e.error) {
        case 'AuctionNotActive':
        case 'TakeoverNotAllowed':
        case 'AuctionDoesNotNeedRedo':
          return `${e.error}(${c.id})`;
        case 'AmountTooLarge':
          return `AmountTooLarge(${e.value}, ${e.max})`;
        case 'ZeroCollateralOut':
          return `ZeroCollateralOut(${e.amount}, ${e.price})`;
        case 'Panic':
          return `Panic(0x${(e.code ?? 0n).toString(16)})`;
        default:
          return `${e.error}()`;
      }
    };
    const curveReverts = (fn: () => string): string => {
      try {
        return fn();
      } catch (err) {
        if (err instanceof RayMathOverflowError) return `revert ${err.selector}`;
        if (err instanceof PanicError) return `Panic(0x${err.code.toString(16)})`;
        throw err;
      }
    };

    const mismatches: string[] = [];
    const seen = new Map<string, number>();
    const count = (k: string): void => void seen.set(k, (seen.get(k) ?? 0) + 1);
    cases.forEach((c, i) => {
      const label = `tier ${text(c.tier)} sale ${text(c.sale)} level ${c.level} mark ${c.mark} scale ${c.house.scale}`;
      const tk = out[2 * i] ?? [];
      const rd = out[2 * i + 1] ?? [];
      const peek = tk[0]?.ok ? decodeFunctionResult({ abi: medianOracleAbi, functionName: 'peek', data: tk[0].result }) : undefined;
      const mark = peek?.[1] ? peek[0] : 0n;

      // takeover
      const wantTakeover = curveReverts(() => {
        if (!takeoverAllowed(c.level)) return `BreakerLevelTooHigh(${c.level}, 2)`;
        if (c.sale.lot === 0n) return refusal(c, { error: 'AuctionNotActive' });
        const p = takeoverPrice(c.tier, c.sale, mark, t);
        if (!p.ok) return refusal(c, p);
        const q = quoteTakeover(c.sale, p.price, c.house.scale);
        if (!q.ok) return refusal(c, q);
        return `price ${p.price} owe ${q.owe} out ${q.collateralOut} reward ${TAKEOVER_TIP} vault ${q.returned}${p.fairFloor ? ' (fair floor)' : ''}`;
      });
      const gotTakeover = ((): string => {
        const r = tk[1];
        if (!r?.ok) return errorText(r);
        const log = r.logs.filter((l) => l.address.toLowerCase() === c.house.address.toLowerCase()).map((l) => decodeEventLog({ abi: collateralAuctionAbi, topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: false })).find((e) => e.eventName === 'Takeover');
        const args = log?.eventName === 'Takeover' ? log.args : undefined;
        const [out0, owe, reward] = decodeFunctionResult({ abi: collateralAuctionAbi, functionName: 'takeover', data: r.result });
        const vault = tk[2]?.ok ? decodeFunctionResult({ abi: vaultEngineAbi, functionName: 'vault', data: tk[2].result })[0] : -1n;
        const fair = wantTakeover.endsWith('(fair floor)') ? ' (fair floor)' : '';
        if (args?.owe !== owe || args.collateralOut !== out0) return `event ${text(args)} differs from the return values`;
        return `price ${args.price} owe ${owe} out ${out0} reward ${reward} vault ${vault}${fair}`;
      })();
      if (gotTakeover !== wantTakeover) mismatches.push(`takeover ${label}: solidity ${gotTakeover}, sdk ${wantTakeover}`);
      count(`takeover ${wantTakeover.startsWith('price') ? (wantTakeover.endsWith('(fair floor)') ? 'at the fair floor' : 'at the curve price') : wantTakeover.replace(/\(.*/, '')}`);
      if (wantTakeover.startsWith('price') && !wantTakeover.includes('vault 0')) count('takeover returns collateral');

      // redo
      const wantRedo = curveReverts(() => {
        if (!redoAllowed(c.level)) return `BreakerLevelTooHigh(${c.level}, 1)`;
        if (c.sale.lot === 0n) return refusal(c, { error: 'AuctionNotActive' });
        const r = redoOutcome(c.tier, c.sale, mark, t, c.house.scale, REDO_TIP, REDO_CHIP_WAD);
        if (!r.ok) return refusal(c, r);
        return `top ${r.top} startedAt ${t} incentive ${r.incentive}`;
      });
      const gotRedo = ((): string => {
        const r = rd[1];
        if (!r?.ok) return errorText(r);
        const log = r.logs.filter((l) => l.address.toLowerCase() === c.house.address.toLowerCase()).map((l) => decodeEventLog({ abi: collateralAuctionAbi, topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: false })).find((e) => e.eventName === 'Redo');
        const args = log?.eventName === 'Redo' ? log.args : undefined;
        const incentive = decodeFunctionResult({ abi: collateralAuctionAbi, functionName: 'redo', data: r.result });
        if (args?.incentive !== incentive) return `event ${text(args)} differs from the return value`;
        return `top ${args.top} startedAt ${args.startedAt} incentive ${incentive}`;
      })();
      if (gotRedo !== wantRedo) mismatches.push(`redo ${label}: solidity ${gotRedo}, sdk ${wantRedo}`);
      count(`redo ${wantRedo.startsWith('top') ? (wantRedo.endsWith('incentive 0') ? 'without incentive' : 'with incentive') : wantRedo.replace(/\(.*/, '')}`);
    });
    console.log(`takeover diff: ${blocks.length} simulated blocks on ${cases.length} auctions in ${ms.toFixed(0)} ms, seed ${SEED}; outcomes ${text([...seen].sort())}`);
    expect(mismatches.slice(0, 5), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    for (const k of [
      'takeover at the fair floor',
      'takeover at the curve price',
      'takeover returns collateral',
      'takeover TakeoverNotAllowed',
      'takeover NoMarkPrice',
      'takeover StartPriceZero',
      'takeover AmountTooLarge',
      'takeover BreakerLevelTooHigh',
      'takeover AuctionNotActive',
      'redo with incentive',
      'redo without incentive',
      'redo AuctionDoesNotNeedRedo',
      'redo NoMarkPrice',
      'redo BreakerLevelTooHigh',
    ]) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(2);
    }
  });
  it('agrees on redoAt: the first second at which getStatus says the auction needs a redo', { timeout: 120_000 }, async () => {
    const rng = seededRandom(`${SEED}-redoAt`);
    const t = now + 1n;
    const house = houses[0];
    if (!house) throw new Error('no house');
    const cases = Array.from({ length: 500 }, (_, i) => {
      const c = randomCase(rng, house, i, t);
      return { ...c, sale: { ...c.sale, lot: c.sale.lot === 0n ? 1n : c.sale.lot, startedAt: t } };
    });
    const status = (c: Case): Hex => encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'getStatus', args: [c.id] });
    const blocks = cases.flatMap((c) => {
      const at = redoAt(c.tier, c.sale);
      return [at - 1n, at].map((time) => ({ ...blockOf(c, time, status(c)), calls: [{ to: c.house.address, data: status(c) }] }));
    });
    const out = await simulateWithState(node.rpcUrl, blocks);
    const mismatches: string[] = [];
    cases.forEach((c, i) => {
      const needs = [out[2 * i]?.[0], out[2 * i + 1]?.[0]].map((r) => (r?.ok ? decodeFunctionResult({ abi: collateralAuctionAbi, functionName: 'getStatus', data: r.result })[0] : undefined));
      if (needs[0] !== false || needs[1] !== true) mismatches.push(`redoAt ${redoAt(c.tier, c.sale)} tier ${text(c.tier)} sale ${text(c.sale)}: needsRedo one second before and at it: ${String(needs[0])}, ${String(needs[1])}`);
    });
    expect(mismatches.slice(0, 5), `seed ${SEED}-redoAt: ${mismatches.length} mismatches`).toEqual([]);
  });
});
