// Differential test: the SDK's vault rules (debtOf, isSafe, health, liquidationPrice) against the
// deployed VaultEngine on anvil, over thousands of seeded random vaults and collateral types, to the
// wei, reverts included. Each case is an eth_call whose engine storage (the ilk's five slots, the
// vault's slot) is overridden for that call only. Reproduce a failure with GAVEL_TEST_SEED=<seed>.
import { type Address, type Hex, concat, decodeErrorResult, decodeEventLog, decodeFunctionResult, keccak256, numberToHex, encodeFunctionData, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilNode, type Random, deployArtifact, seededRandom, startAnvil } from '@gavel/contracts/testing';
import { RayMathOverflowError } from '../src/curves.ts';
import { vaultEngineAbi } from '../src/generated.ts';
import { RAY, WAD } from '../src/units.ts';
import { borrowNormalizedDebt, debtOf, health, isSafe, liquidationPrice, repayNormalizedDebt } from '../src/vault.ts';
import { type OverrideCall, type SimBlock, callsWithState, mappingSlot, pack, simulateWithState, slotPlus } from './diff.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-vault-diff-1';
const CASES = 1_200;
const U128 = (1n << 128n) - 1n;
const ILK = stringToHex('DIFF-A', { size: 32 });

interface Case {
  readonly owner: Address;
  readonly collateral: bigint;
  readonly normalizedDebt: bigint;
  readonly rate: bigint;
  readonly spot: bigint;
  readonly scale: bigint;
  readonly decimals: number;
  readonly liquidationRatio: bigint;
}

const ownerOf = (i: number): Address => `0x${(0x1000n + BigInt(i)).toString(16).padStart(40, '0')}`;

function randomCase(rng: Random, i: number): Case {
  const decimals = rng.pick([0, 6, 8, 18, rng.int(0, 18)]);
  const scale = 10n ** BigInt(18 - decimals);
  const rate = rng.chance(0.2) ? RAY : RAY + rng.bigintLog(0n, rng.chance(0.9) ? RAY * 10n : U128 - RAY);
  const spot = rng.chance(0.05) ? 0n : rng.bigintLog(1n, rng.chance(0.9) ? 10n ** 24n : U128);
  const liquidationRatio = rng.chance(0.3) ? WAD : rng.bigint(WAD, rng.chance(0.9) ? 3n * WAD : U128);
  const collateral = rng.chance(0.05) ? 0n : rng.bigintLog(0n, U128 / scale);
  let normalizedDebt = rng.chance(0.05) ? 0n : rng.bigintLog(0n, U128);
  // Near the safety line: debt equal to the collateral value, give or take a few wei.
  if (rng.chance(0.4) && rate > 0n) {
    const value = (collateral * scale * spot) / WAD;
    normalizedDebt = (value * RAY) / rate + rng.bigint(0n, 3n) - 1n;
    if (normalizedDebt < 0n) normalizedDebt = 0n;
    if (normalizedDebt > U128) normalizedDebt = U128;
  }
  // The overflow corners, where the contract reverts FullMulDivFailed: health of a huge value over a tiny
  // debt, the liquidation price of a huge debt at a huge ratio over almost no collateral.
  const corner = rng.float();
  if (corner < 0.04) {
    return { owner: ownerOf(i), collateral: U128 / scale - rng.bigint(0n, 5n), normalizedDebt: rng.bigint(1n, 3n), rate: RAY, spot: U128 - rng.bigint(0n, 5n), scale, decimals, liquidationRatio };
  }
  if (corner < 0.08) {
    return { owner: ownerOf(i), collateral: rng.bigint(1n, 3n), normalizedDebt: U128 - rng.bigint(0n, 5n), rate: U128 - rng.bigint(0n, 5n), spot, scale, decimals, liquidationRatio: U128 - rng.bigint(0n, 5n) };
  }
  return { owner: ownerOf(i), collateral, normalizedDebt, rate, spot, scale, decimals, liquidationRatio };
}

type Outcome = { value: bigint | boolean } | { revert: Hex };

function sdkOutcome(f: () => bigint | boolean): Outcome {
  try {
    return { value: f() };
  } catch (err) {
    if (err instanceof RayMathOverflowError) return { revert: err.selector };
    throw err;
  }
}

describe(`vault rules: SDK vs VaultEngine on anvil (seed ${SEED})`, () => {
  let node: AnvilNode;
  let engine: Address;
  let token: Address;
  let ilksSlot: bigint;

  beforeAll(async () => {
    node = await startAnvil({ accounts: 1 });
    const me = node.accounts[0]?.address;
    if (!me) throw new Error('no account');
    engine = await deployArtifact(node, 'VaultEngine', [me]);
    token = await deployArtifact(node, 'DemoToken', ['DIFF', 18]);
    const hash = await node.walletClient.writeContract({ address: engine, abi: vaultEngineAbi, functionName: 'addIlk', args: [ILK, token] });
    await node.publicClient.waitForTransactionReceipt({ hash });
    // Find the `_ilks` mapping's slot: the one whose entry's fourth slot holds the token address.
    for (let p = 0n; p < 16n; p++) {
      const word = await node.publicClient.getStorageAt({ address: engine, slot: slotPlus(mappingSlot('bytes32', ILK, p), 3n) });
      if (word && BigInt(word) % (1n << 160n) === BigInt(token)) {
        ilksSlot = p;
        return;
      }
    }
    throw new Error('cannot find the _ilks mapping slot of VaultEngine (storage layout changed?)');
  }, 60_000);

  afterAll(async () => {
    await node.stop();
  });

  /** The engine's storage for one case: the ilk (slots 0–3; `_vaults` is declared right after `_ilks`). */
  function stateOf(c: Case): Record<Hex, Hex> {
    const ilkBase = mappingSlot('bytes32', ILK, ilksSlot);
    const vaultSlot = mappingSlot('address', c.owner, mappingSlot('bytes32', ILK, ilksSlot + 1n));
    return {
      [ilkBase]: pack([
        [0n, 128],
        [c.rate, 128],
      ]),
      [slotPlus(ilkBase, 1n)]: pack([
        [c.spot, 128],
        [U128, 128],
      ]),
      [slotPlus(ilkBase, 2n)]: pack([
        [0n, 128],
        [c.liquidationRatio, 128],
      ]),
      [slotPlus(ilkBase, 3n)]: pack([
        [BigInt(token), 160],
        [c.scale, 64],
        [BigInt(c.decimals), 8],
      ]),
      [vaultSlot]: pack([
        [c.collateral, 128],
        [c.normalizedDebt, 128],
      ]),
    };
  }

  it('reads back the overridden storage (the layout this test writes is the contract’s)', async () => {
    const rng = seededRandom(`${SEED}-layout`);
    const cases = Array.from({ length: 20 }, (_, i) => randomCase(rng, i));
    const calls: OverrideCall[] = cases.flatMap((c) => [
      { to: engine, data: encodeFunctionData({ abi: vaultEngineAbi, functionName: 'vault', args: [ILK, c.owner] }), stateDiff: stateOf(c) },
      { to: engine, data: encodeFunctionData({ abi: vaultEngineAbi, functionName: 'ilks', args: [ILK] }), stateDiff: stateOf(c) },
    ]);
    const out = await callsWithState(node.rpcUrl, calls);
    cases.forEach((c, i) => {
      const v = out[2 * i];
      const ilk = out[2 * i + 1];
      if (!v?.ok || !ilk?.ok) throw new Error('read reverted');
      expect(decodeFunctionResult({ abi: vaultEngineAbi, functionName: 'vault', data: v.result })).toEqual([c.collateral, c.normalizedDebt]);
      const info = decodeFunctionResult({ abi: vaultEngineAbi, functionName: 'ilks', data: ilk.result });
      expect([info.rate, info.spot, info.scale, info.liquidationRatio, info.token.toLowerCase()]).toEqual([c.rate, c.spot, c.scale, c.liquidationRatio, token.toLowerCase()]);
    });
  });

  it('agrees on debtOf, isSafe, health, liquidationPrice and liquidationView for thousands of vaults, reverts included', { timeout: 120_000 }, async () => {
    const rng = seededRandom(SEED);
    const cases = Array.from({ length: CASES }, (_, i) => randomCase(rng, i));
    const views = ['debtOf', 'isSafe', 'health', 'liquidationPrice', 'liquidationView'] as const;
    const calls: OverrideCall[] = cases.flatMap((c) => {
      const stateDiff = stateOf(c);
      return views.map((fn) => ({ to: engine, data: encodeFunctionData({ abi: vaultEngineAbi, functionName: fn, args: [ILK, c.owner] }), stateDiff }));
    });
    const started = performance.now();
    const out = await callsWithState(node.rpcUrl, calls);
    const ms = performance.now() - started;

    const mismatches: string[] = [];
    let reverts = 0;
    let unsafe = 0;
    cases.forEach((c, i) => {
      const ilk = { rate: c.rate, spot: c.spot, scale: c.scale, liquidationRatio: c.liquidationRatio };
      const want: Record<(typeof views)[number], Outcome> = {
        debtOf: sdkOutcome(() => debtOf(c.normalizedDebt, c.rate)),
        isSafe: sdkOutcome(() => isSafe(c.collateral, c.normalizedDebt, ilk)),
        health: sdkOutcome(() => health(c.collateral, c.normalizedDebt, ilk)),
        liquidationPrice: sdkOutcome(() => liquidationPrice(c.collateral, c.normalizedDebt, ilk)),
        liquidationView: sdkOutcome(() => isSafe(c.collateral, c.normalizedDebt, ilk)),
      };
      if ('value' in want.isSafe && want.isSafe.value === false) unsafe++;
      views.forEach((fn, k) => {
        const o = out[i * views.length + k];
        if (!o) return;
        let got: string;
        if (o.ok) {
          if (fn === 'liquidationView') {
            const v = decodeFunctionResult({ abi: vaultEngineAbi, functionName: fn, data: o.result });
            got = `value ${String(v.safe)}`;
          } else {
            got = `value ${String(decodeFunctionResult({ abi: vaultEngineAbi, functionName: fn, data: o.result }))}`;
          }
        } else {
          reverts++;
          got = `revert ${o.revert ?? o.message}`;
        }
        const w = want[fn];
        const wantText = 'value' in w ? `value ${String(w.value)}` : `revert ${w.revert}`;
        if (got !== wantText) mismatches.push(`${fn} ${JSON.stringify(c, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}: solidity ${got}, sdk ${wantText}`);
      });
    });
    console.log(`vault diff: ${calls.length} calls on ${cases.length} vaults (${unsafe} unsafe, ${reverts} reverts) in ${ms.toFixed(0)} ms, seed ${SEED}`);
    expect(mismatches.slice(0, 10), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(5000);
    // The generator must reach both sides of the safety line and the overflow reverts.
    expect(unsafe).toBeGreaterThan(CASES / 10);
    expect(unsafe).toBeLessThan(CASES - CASES / 10);
    expect(reverts).toBeGreaterThan(20);
  });
  it('agrees on the normalized debt a borrow adds (rounded up) and a repay removes (rounded down)', { timeout: 120_000 }, async () => {
    const rng = seededRandom(`${SEED}-debt`);
    const t = (await node.publicClient.getBlock({ blockTag: 'latest' })).timestamp + 1n;
    const stablecoin = await node.publicClient.readContract({ address: engine, abi: vaultEngineAbi, functionName: 'stablecoin' });
    // solady ERC20: a balance's slot is keccak256(owner ++ uint96(0x87a211a2)).
    const balanceSlot = (owner: Address): Hex => keccak256(concat([owner, numberToHex(0x87a211a2n, { size: 12 })]));
    const cases = Array.from({ length: 600 }, (_, i) => {
      const rate = rng.chance(0.2) ? RAY : RAY + rng.bigintLog(0n, RAY * 10n);
      const normalizedDebt = rng.chance(0.1) ? 0n : rng.bigintLog(0n, 10n ** 30n);
      const borrow = rng.chance(0.5);
      // A repay at or just around the whole debt now and then (RepayExceedsDebt at one wei over).
      const amount = !borrow && rng.chance(0.2) ? debtOf(normalizedDebt, rate) + rng.bigint(0n, 2n) - 1n : rng.bigintLog(1n, 10n ** 30n);
      // Collateral worth far more than any debt here, no dust: only the debt rule decides.
      const c: Case = { owner: ownerOf(i), collateral: U128 / WAD, normalizedDebt, rate, spot: U128, scale: 1n, decimals: 18, liquidationRatio: WAD };
      return { c, borrow, amount: amount < 1n ? 1n : amount };
    });
    const blocks: SimBlock[] = cases.map(({ c, borrow, amount }) => ({
      time: t,
      state: { [engine]: stateOf(c), [stablecoin]: { [balanceSlot(c.owner)]: numberToHex(amount, { size: 32 }), [numberToHex(0x05345cdf77eb68f44cn, { size: 32 })]: numberToHex(1n << 200n, { size: 32 }) } },
      calls: [{ to: engine, from: c.owner, data: encodeFunctionData({ abi: vaultEngineAbi, functionName: borrow ? 'borrow' : 'repay', args: [ILK, amount] }) }],
    }));
    const out = await simulateWithState(node.rpcUrl, blocks);
    const mismatches: string[] = [];
    let refused = 0;
    cases.forEach(({ c, borrow, amount }, i) => {
      let want: string;
      if (borrow) want = `${c.normalizedDebt + borrowNormalizedDebt(amount, c.rate)}`;
      else {
        const dart = repayNormalizedDebt(amount, c.rate);
        want = dart > c.normalizedDebt ? `RepayExceedsDebt(${amount}, ${dart}, ${c.normalizedDebt})` : `${c.normalizedDebt - dart}`;
        if (dart > c.normalizedDebt) refused++;
      }
      const r = out[i]?.[0];
      let got = 'missing';
      if (r?.ok) {
        const e = r.logs.filter((l) => l.address.toLowerCase() === engine.toLowerCase()).map((l) => decodeEventLog({ abi: vaultEngineAbi, topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: false })).find((x) => x.eventName === 'VaultChanged');
        got = e?.eventName === 'VaultChanged' ? String(e.args.normalizedDebt) : 'no VaultChanged';
      } else if (r?.revert) {
        const e = decodeErrorResult({ abi: vaultEngineAbi, data: r.revert });
        got = `${e.errorName}(${((e.args as readonly unknown[] | undefined) ?? []).join(', ')})`;
      } else if (r) got = `revert ${r.message}`;
      if (got !== want) mismatches.push(`${borrow ? 'borrow' : 'repay'}(${amount}) normalizedDebt ${c.normalizedDebt} rate ${c.rate}: solidity ${got}, sdk ${want}`);
    });
    expect(mismatches.slice(0, 5), `seed ${SEED}-debt: ${mismatches.length} mismatches`).toEqual([]);
    expect(refused).toBeGreaterThan(5);
  });
});
