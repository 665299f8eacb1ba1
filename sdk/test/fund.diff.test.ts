// Differential test: the SDK's insurance-fund rules (revenue vesting: totalAssets and unvestedRevenue;
// the share conversions; previewRedeem, previewWithdraw, maxRedeem and maxWithdraw of a caller with and
// without an escrowed redemption request) against InsuranceFund on anvil over thousands of seeded
// random books, each an eth_call with the fund's share supply, tracked balance, vesting state and the
// caller's request overridden, and its stablecoin balance (above the tracked balance: revenue not yet
// recognized; below: a loss not yet booked). GAVEL_TEST_SEED=<seed> reproduces a failure.
import { type Address, type Hex, concat, decodeEventLog, decodeFunctionResult, encodeErrorResult, encodeFunctionData, keccak256, numberToHex, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilNode, type Random, deployArtifact, seededRandom, startAnvil } from '@gavel/contracts/testing';
import {
  type FundBooks,
  type FundTotals,
  type RedeemRequest,
  convertToAssets,
  convertToShares,
  cancelOutcome,
  fundTotals,
  maxRedeem,
  maxWithdraw,
  previewMint,
  previewRedeem,
  requestCap,
  sharesFor,
  unvestedRevenue,
} from '../src/fund.ts';
import { insuranceFundAbi, vaultEngineAbi } from '../src/generated.ts';
import { type OverrideCall, type SimBlock, callsWithState, mappingSlot, pack, simulateWithState, slotPlus } from './diff.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-fund-diff-1';
const CASES = 1_000;
// solady ERC20 storage: the total supply's slot, and a balance's slot keccak256(owner ++ uint96(seed)).
const TOTAL_SUPPLY_SLOT = numberToHex(0x05345cdf77eb68f44cn, { size: 32 });
const text = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
/** Addresses compared case-blind. */
const lower = (x: unknown): unknown => (typeof x === 'string' ? x.toLowerCase() : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, lower(v)])) : x);
// The fund's shares are a solady ERC20 too: the same balance slot rule in the fund's own storage.
const shareSlot = (owner: Address): Hex => balanceSlot(owner);
const balanceSlot = (owner: Address): Hex => keccak256(concat([owner, numberToHex(0x87a211a2n, { size: 12 })]));
// InsuranceFund's own slots (`forge inspect InsuranceFund storageLayout`).
const TRACKED_BALANCE_SLOT = numberToHex(4n, { size: 32 });
const VESTING_SLOT = numberToHex(5n, { size: 32 });
const TOTAL_ESCROWED_SLOT = numberToHex(3n, { size: 32 });
const REQUESTS_SLOT = 6n;
const COOLDOWN_SECONDS = 3600n;
const WINDOW_SECONDS = 3600n;
const CALLER: Address = '0x00000000000000000000000000000000000ca11e';
const U128 = (1n << 128n) - 1n;

interface Case {
  readonly books: FundBooks;
  readonly request: RedeemRequest | undefined;
  readonly amount: bigint;
}

function randomCase(rng: Random, now: bigint): Case {
  const totalSupply = rng.chance(0.05) ? 0n : rng.bigintLog(0n, 10n ** 36n);
  // A share price anywhere from a loss to a windfall, and sometimes unrelated totals.
  const trackedBalance = rng.chance(0.05) ? 0n : rng.chance(0.7) ? (totalSupply * rng.bigint(1n, 3000n)) / 1000n : rng.bigintLog(0n, 10n ** 36n);
  // Recognized revenue still vesting (at most the tracked balance), from some time ago to some time ahead.
  const r = rng.float();
  const unvested = r < 0.25 ? 0n : r < 0.4 ? trackedBalance : rng.bigint(0n, trackedBalance);
  const updatedAt = now - rng.bigint(0n, 30n * 86_400n);
  const end = rng.chance(0.2) ? updatedAt + rng.bigint(1n, now - updatedAt + 1n) : now + rng.bigint(0n, 30n * 86_400n);
  // The balance now: as tracked, above (unrecognized revenue) or below (an unbooked loss).
  const b = rng.float();
  const balance =
    b < 0.3 ? trackedBalance : b < 0.6 ? trackedBalance + rng.bigintLog(1n, 10n ** 30n) : b < 0.9 ? trackedBalance - rng.bigint(0n, trackedBalance) : rng.bigintLog(0n, U128);
  const shares = totalSupply === 0n ? 0n : rng.bigint(0n, totalSupply);
  const unlockAt = now - 7200n + rng.bigint(0n, 14_400n);
  const request: RedeemRequest | undefined = rng.chance(0.5)
    ? { shares, unlockAt, expiresAt: unlockAt + rng.bigint(0n, 7200n), assetsCap: rng.chance(0.05) ? 0n : rng.bigintLog(0n, 10n ** 36n) }
    : undefined;
  const amount = rng.chance(0.05) ? 0n : rng.chance(0.3) && request ? rng.bigint(0n, request.shares) : rng.bigintLog(0n, 10n ** 30n);
  return { books: { balance, trackedBalance, vesting: { unvested, updatedAt, end }, totalSupply }, request, amount };
}

/** The fund's storage for a case: share supply, tracked balance, vesting and the caller's request. */
function fundState(c: Case): Record<Hex, Hex> {
  const requestSlot = mappingSlot('address', CALLER, REQUESTS_SLOT);
  return {
    [TOTAL_SUPPLY_SLOT]: toHex(c.books.totalSupply, { size: 32 }),
    [TRACKED_BALANCE_SLOT]: toHex(c.books.trackedBalance, { size: 32 }),
    [VESTING_SLOT]: pack([
      [c.books.vesting.unvested, 128],
      [c.books.vesting.updatedAt, 64],
      [c.books.vesting.end, 64],
    ]),
    [requestSlot]: toHex(c.request?.shares ?? 0n, { size: 32 }),
    [slotPlus(requestSlot, 1n)]: pack([
      [c.request?.unlockAt ?? 0n, 64],
      [c.request?.expiresAt ?? 0n, 64],
      [c.request?.assetsCap ?? 0n, 128],
    ]),
  };
}

describe(`fund share math: SDK vs InsuranceFund on anvil (seed ${SEED})`, () => {
  let node: AnvilNode;
  let fund: Address;
  let stablecoin: Address;

  beforeAll(async () => {
    node = await startAnvil({ accounts: 1 });
    const me = node.accounts[0]?.address;
    if (!me) throw new Error('no account');
    const engine = await deployArtifact(node, 'VaultEngine', [me]);
    stablecoin = await node.publicClient.readContract({ address: engine, abi: vaultEngineAbi, functionName: 'stablecoin' });
    fund = await deployArtifact(node, 'InsuranceFund', [engine, me, COOLDOWN_SECONDS, WINDOW_SECONDS]);
  }, 60_000);

  afterAll(async () => {
    await node.stop();
  });

  it('agrees on vesting, the share conversions and the escrow previews for thousands of fund books', { timeout: 120_000 }, async () => {
    const rng = seededRandom(SEED);
    const now = (await node.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
    const amountFns = ['convertToShares', 'convertToAssets', 'previewMint', 'previewDeposit', 'previewWithdraw', 'previewRedeem'] as const;
    const cases: Case[] = [];
    const calls: OverrideCall[] = [];
    for (let i = 0; i < CASES; i++) {
      const c = randomCase(rng, now);
      cases.push(c);
      const stateDiff = fundState(c);
      const base = { to: fund, from: CALLER, stateDiff, others: { [stablecoin]: { [balanceSlot(fund)]: toHex(c.books.balance, { size: 32 }) } } };
      calls.push({ ...base, data: encodeFunctionData({ abi: insuranceFundAbi, functionName: 'totalAssets' }) });
      calls.push({ ...base, data: encodeFunctionData({ abi: insuranceFundAbi, functionName: 'unvestedRevenue' }) });
      for (const fn of amountFns) calls.push({ ...base, data: encodeFunctionData({ abi: insuranceFundAbi, functionName: fn, args: [c.amount] }) });
      calls.push({ ...base, data: encodeFunctionData({ abi: insuranceFundAbi, functionName: 'maxRedeem', args: [CALLER] }) });
      calls.push({ ...base, data: encodeFunctionData({ abi: insuranceFundAbi, functionName: 'maxWithdraw', args: [CALLER] }) });
      calls.push({ ...base, data: encodeFunctionData({ abi: insuranceFundAbi, functionName: 'redeemRequest', args: [CALLER] }) });
    }
    const perCase = calls.length / CASES;
    const out = await callsWithState(node.rpcUrl, calls);
    const mismatches: string[] = [];
    let withRevenue = 0;
    let withLoss = 0;
    let capped = 0;
    let vestingLive = 0;
    cases.forEach((c, i) => {
      const t: FundTotals = fundTotals(c.books, now);
      const none: RedeemRequest = { shares: 0n, unlockAt: 0n, expiresAt: 0n, assetsCap: 0n };
      const req = c.request ?? none;
      if (c.books.balance > c.books.trackedBalance) withRevenue++;
      if (c.books.balance < c.books.trackedBalance) withLoss++;
      if (now < c.books.vesting.end && c.books.vesting.unvested > 0n) vestingLive++;
      if (c.request && previewRedeem(c.amount, t, c.request) < convertToAssets(c.amount, t)) capped++;
      const want: [string, unknown][] = [
        ['totalAssets', t.totalAssets],
        ['unvestedRevenue', unvestedRevenue(c.books, now)],
        ['convertToShares', convertToShares(c.amount, t)],
        ['convertToAssets', convertToAssets(c.amount, t)],
        ['previewMint', previewMint(c.amount, t)],
        ['previewDeposit', convertToShares(c.amount, t)],
        ['previewWithdraw', sharesFor(c.amount, t, c.request)],
        ['previewRedeem', previewRedeem(c.amount, t, c.request)],
        ['maxRedeem', maxRedeem(req, now)],
        ['maxWithdraw', maxWithdraw(req, t, now)],
        ['redeemRequest', JSON.stringify(req, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))],
      ];
      want.forEach(([fn, w], k) => {
        const o = out[i * perCase + k];
        let got: unknown = o?.ok === false ? `revert ${o.message.slice(0, 80)}` : 'missing';
        if (o?.ok) {
          const d = decodeFunctionResult({ abi: insuranceFundAbi, functionName: fn as 'totalAssets', data: o.result }) as unknown;
          got = typeof d === 'object' ? JSON.stringify(d, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) : d;
        }
        if (got !== w) mismatches.push(`${fn}(${c.amount}) books ${JSON.stringify(c.books, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))} request ${String(want[10]?.[1])}: solidity ${String(got)}, sdk ${String(w)}`);
      });
    });
    console.log(`fund diff: ${calls.length} calls on ${CASES} fund books (${withRevenue} with unrecognized revenue, ${withLoss} with an unbooked loss, ${vestingLive} vesting, ${capped} capped redemptions), seed ${SEED}`);
    expect(mismatches.slice(0, 5), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(10_000);
    for (const n of [withRevenue, withLoss, vestingLive, capped]) expect(n).toBeGreaterThan(50);
  });
  it('agrees on what requestRedeem escrows (requestCap) and what cancelRedeemRequest returns and forfeits (cancelOutcome)', { timeout: 120_000 }, async () => {
    const rng = seededRandom(`${SEED}-escrow`);
    const t = (await node.publicClient.getBlock({ blockTag: 'latest' })).timestamp + 1n;
    const cases: { c: Case; shares: bigint }[] = [];
    const blocks: SimBlock[] = [];
    while (cases.length < CASES) {
      const c = randomCase(rng, t);
      // Escrowed shares and share supplies within the fund's uint128 bookkeeping of the cap.
      if (c.books.totalSupply === 0n || c.books.balance > 1n << 100n) continue;
      const shares = rng.bigint(1n, c.books.totalSupply);
      const escrowed = c.request?.shares ?? 0n;
      cases.push({ c, shares });
      const state = {
        [fund]: {
          ...fundState(c),
          // The caller holds the shares it requests; the fund holds the escrow it returns or burns.
          [shareSlot(CALLER)]: toHex(shares, { size: 32 }),
          [shareSlot(fund)]: toHex(escrowed, { size: 32 }),
          [TOTAL_ESCROWED_SLOT]: toHex(escrowed, { size: 32 }),
        },
        [stablecoin]: { [balanceSlot(fund)]: toHex(c.books.balance, { size: 32 }) },
      };
      blocks.push({ state, time: t, calls: [{ to: fund, from: CALLER, data: encodeFunctionData({ abi: insuranceFundAbi, functionName: 'requestRedeem', args: [shares] }) }] });
      blocks.push({ state, time: t, calls: [{ to: fund, from: CALLER, data: encodeFunctionData({ abi: insuranceFundAbi, functionName: 'cancelRedeemRequest' }) }] });
    }
    const out = await simulateWithState(node.rpcUrl, blocks);
    const mismatches: string[] = [];
    let forfeits = 0;
    let whole = 0;
    const eventOf = (i: number): Record<string, unknown> | string => {
      const r = out[i]?.[0];
      if (!r?.ok) return `revert ${r?.ok === false ? (r.revert ?? r.message) : 'missing'}`;
      for (const l of r.logs) {
        if (l.address.toLowerCase() !== fund.toLowerCase()) continue;
        const e = decodeEventLog({ abi: insuranceFundAbi, topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: false });
        if (e.eventName === 'RedeemRequested' || e.eventName === 'RedeemRequestCancelled') return { ...e.args };
      }
      return 'no event';
    };
    cases.forEach(({ c, shares }, i) => {
      const f = fundTotals(c.books, t);
      const label = `books ${text(c.books)} request ${text(c.request)} shares ${shares}`;
      const prev = c.request ?? { shares: 0n, unlockAt: 0n, expiresAt: 0n, assetsCap: 0n };
      const wantRequest = { owner: CALLER, shares, escrowedShares: prev.shares + shares, assetsCap: prev.assetsCap + requestCap(shares, f), unlockAt: t + COOLDOWN_SECONDS, expiresAt: t + COOLDOWN_SECONDS + WINDOW_SECONDS };
      const gotRequest = eventOf(2 * i);
      if (text(lower(gotRequest)) !== text(lower(wantRequest))) mismatches.push(`requestRedeem ${label}: solidity ${text(gotRequest)}, sdk ${text(wantRequest)}`);
      const gotCancel = eventOf(2 * i + 1);
      let wantCancel: unknown = `revert ${encodeErrorResult({ abi: insuranceFundAbi, errorName: 'NoRedeemRequest', args: [CALLER] })}`;
      if (prev.shares > 0n) {
        const o = cancelOutcome(prev, f);
        wantCancel = { owner: CALLER, sharesReturned: o.back, sharesForfeited: o.forfeited };
        if (o.forfeited > 0n) forfeits++;
        else whole++;
      }
      if (text(lower(gotCancel)) !== text(lower(wantCancel))) mismatches.push(`cancelRedeemRequest ${label}: solidity ${text(gotCancel)}, sdk ${text(wantCancel)}`);
    });
    console.log(`fund escrow diff: ${blocks.length} simulated blocks (requestRedeem, cancelRedeemRequest) on ${CASES} books (${forfeits} cancels forfeiting shares, ${whole} returning all), seed ${SEED}-escrow`);
    expect(mismatches.slice(0, 5), `seed ${SEED}-escrow: ${mismatches.length} mismatches`).toEqual([]);
    expect(forfeits).toBeGreaterThan(50);
    expect(whole).toBeGreaterThan(50);
  });
});
