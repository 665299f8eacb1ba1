// Differential test: the TypeScript curves (curves.ts) against the Solidity curves deployed on a real
// anvil, on thousands of seeded random inputs, to the wei, reverts included. Needs the forge build in
// out/ (`npm run build`). Reproduce a failure with GAVEL_TEST_SEED=<seed printed in the failure>.
import { type Abi, type Hex, encodeDeployData, encodeErrorResult, encodeFunctionData, hexToBigInt } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Curve, CurveParameterError, MAX_TAU, RayMathOverflowError, curvePrice, validateCurve } from './curves.ts';
import {
  type AnvilNode,
  type Random,
  deployArtifact,
  ethCalls,
  readDeployableArtifact,
  revertData,
  rpcBatch,
  seededRandom,
  startAnvil,
} from '@gavel/contracts/testing';
import { MAX_UINT256, RAY, WAD } from './units.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-curves-diff-1';
const CASES_PER_CURVE = 625;

/*                                  INPUTS                                    */

/** A cut in (0, RAY]: mostly a realistic decay close to RAY, sometimes anywhere. */
function randomCut(rng: Random): bigint {
  if (rng.chance(0.15)) return rng.bigint(1n, RAY);
  return RAY - rng.bigintLog(0n, 10n ** BigInt(rng.int(0, 26)));
}

function curveSets(rng: Random): Curve[] {
  const curves: Curve[] = [];
  for (const tau of [1n, 2n, 3n, 60n, 3600n, 86_400n, MAX_TAU]) curves.push({ kind: 'LinearDecrease', tau });
  for (let i = 0; i < 5; i++) curves.push({ kind: 'LinearDecrease', tau: rng.bigintLog(1n, MAX_TAU) });

  const fixedStairs: [bigint, bigint][] = [
    [RAY, 1n],
    [1n, 1n],
    [RAY - 1n, 1n],
    [(99n * RAY) / 100n, 90n],
    [(999n * RAY) / 1000n, MAX_UINT256],
  ];
  for (const [cut, step] of fixedStairs) curves.push({ kind: 'StairstepExponentialDecrease', cut, step });
  for (let i = 0; i < 5; i++) {
    const step = rng.chance(0.8) ? rng.bigint(1n, 3600n) : rng.bigintLog(1n, MAX_UINT256);
    curves.push({ kind: 'StairstepExponentialDecrease', cut: randomCut(rng), step });
  }

  for (const cut of [RAY, 1n, RAY - 1n, 999_999n * 10n ** 21n]) curves.push({ kind: 'ExponentialDecrease', cut });
  for (let i = 0; i < 6; i++) curves.push({ kind: 'ExponentialDecrease', cut: randomCut(rng) });
  return curves;
}

/** The factor (RAY) the curve applies at `dur`, or undefined where computing it already throws. */
function factorAt(curve: Curve, dur: bigint): bigint | undefined {
  try {
    return curvePrice(curve, RAY, dur); // rmulDown(RAY, f) = f
  } catch {
    return undefined;
  }
}

function randomDur(rng: Random, curve: Curve): bigint {
  const r = rng.float();
  if (r < 0.05) return rng.pick([0n, 1n, 2n]);
  if (r < 0.15) return rng.bigintLog(0n, MAX_UINT256);
  switch (curve.kind) {
    case 'LinearDecrease': {
      if (r < 0.3) return clampAdd(curve.tau, rng.pick([-1n, 0n, 1n]));
      if (r < 0.8) return rng.bigint(0n, curve.tau);
      return rng.bigintLog(0n, curve.tau * 2n);
    }
    case 'StairstepExponentialDecrease': {
      const k = rng.chance(0.7) ? rng.bigint(0n, 500n) : rng.bigintLog(0n, 1n << 40n);
      const base = k * curve.step;
      if (base > MAX_UINT256) return MAX_UINT256;
      return clampAdd(base, rng.pick([-1n, 0n, 1n, curve.step - 1n]));
    }
    case 'ExponentialDecrease':
      return rng.chance(0.7) ? rng.bigint(0n, 7200n) : rng.bigintLog(0n, 1n << 40n);
  }
}

function randomTop(rng: Random, curve: Curve, dur: bigint): bigint {
  const r = rng.float();
  if (r < 0.45) return rng.bigintLog(10n ** 9n, 10n ** 6n * WAD); // prices of real assets, WAD
  if (r < 0.6) return RAY; // price == factor: exposes rpowHalfUp itself
  if (r < 0.65) return rng.pick([0n, 1n]);
  if (r < 0.85) {
    // Right at the overflow boundary of rmulDown(top, factor).
    const f = factorAt(curve, dur);
    if (f === undefined || f === 0n) return MAX_UINT256;
    return clampAdd(MAX_UINT256 / f, rng.pick([-1n, 0n, 1n]));
  }
  return rng.bigintLog(0n, MAX_UINT256);
}

function clampAdd(x: bigint, d: bigint): bigint {
  const v = x + d;
  return v < 0n ? 0n : v > MAX_UINT256 ? MAX_UINT256 : v;
}

/*                                   TEST                                     */

type Expected = { readonly price: bigint } | { readonly revert: Hex };

function expectedOf(curve: Curve, top: bigint, dur: bigint): Expected {
  try {
    return { price: curvePrice(curve, top, dur) };
  } catch (err) {
    if (err instanceof RayMathOverflowError) return { revert: err.selector };
    throw err;
  }
}

/** The curve's constructor parameters, named as their public getters, in constructor order. */
function parameters(curve: Curve): [name: string, value: bigint][] {
  switch (curve.kind) {
    case 'LinearDecrease':
      return [['tau', curve.tau]];
    case 'StairstepExponentialDecrease':
      return [
        ['cut', curve.cut],
        ['step', curve.step],
      ];
    case 'ExponentialDecrease':
      return [['cut', curve.cut]];
  }
}

const constructorArgs = (curve: Curve): bigint[] => parameters(curve).map(([, value]) => value);

const show = (c: Curve): string => JSON.stringify(c, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

describe(`price curves: TypeScript vs Solidity on anvil (seed ${SEED})`, () => {
  let node: AnvilNode;
  const abis = new Map<Curve['kind'], Abi>();

  beforeAll(async () => {
    for (const kind of ['LinearDecrease', 'StairstepExponentialDecrease', 'ExponentialDecrease'] as const) {
      abis.set(kind, readDeployableArtifact(kind).abi);
    }
    node = await startAnvil({ accounts: 1 });
  }, 60_000);

  afterAll(async () => {
    await node.stop();
  });

  const abiOf = (kind: Curve['kind']): Abi => {
    const abi = abis.get(kind);
    if (!abi) throw new Error(`no ABI for ${kind}`);
    return abi;
  };

  it('agrees on thousands of random inputs, reverts included', { timeout: 120_000 }, async () => {
    const rng = seededRandom(SEED);
    const curves = curveSets(rng);

    const deployed: { curve: Curve; address: Hex }[] = [];
    for (const curve of curves) {
      deployed.push({ curve, address: await deployArtifact(node, curve.kind, constructorArgs(curve)) });
    }

    // Parameters read back from the contracts.
    const getters = deployed.flatMap(({ curve, address }) =>
      parameters(curve).map(([name, want]) => ({
        address,
        name,
        want,
        data: encodeFunctionData({ abi: abiOf(curve.kind), functionName: name }),
      })),
    );
    const getterOut = await rpcBatch<Hex>(
      node.rpcUrl,
      getters.map((g) => ({ method: 'eth_call', params: [{ to: g.address, data: g.data }, 'latest'] })),
    );
    getterOut.forEach((o, i) => {
      expect(o.ok && hexToBigInt(o.result), getters[i]?.name).toBe(getters[i]?.want);
    });

    const cases: { curve: Curve; address: Hex; top: bigint; dur: bigint; want: Expected; data: Hex }[] = [];
    for (const { curve, address } of deployed) {
      const abi = abiOf(curve.kind);
      for (let i = 0; i < CASES_PER_CURVE; i++) {
        const dur = randomDur(rng, curve);
        const top = randomTop(rng, curve, dur);
        const data = encodeFunctionData({ abi, functionName: 'price', args: [top, dur] });
        cases.push({ curve, address, top, dur, want: expectedOf(curve, top, dur), data });
      }
    }

    const started = performance.now();
    const outcomes = await rpcBatch<Hex>(
      node.rpcUrl,
      cases.flatMap((c) => ethCalls(c.address, [c.data])),
      { batchSize: 250, concurrency: 4 },
    );
    const ms = performance.now() - started;

    const mismatches: string[] = [];
    let reverts = 0;
    outcomes.forEach((o, i) => {
      const c = cases[i];
      if (!c) return;
      const got = o.ok
        ? `price ${hexToBigInt(o.result)}`
        : `revert ${revertData(o.error) ?? `(no data: ${o.error.message})`}`;
      const want = 'price' in c.want ? `price ${c.want.price}` : `revert ${c.want.revert}`;
      if (!o.ok) reverts++;
      if (got !== want)
        mismatches.push(`${show(c.curve)} top=${c.top} dur=${c.dur}: solidity ${got}, typescript ${want}`);
    });

    console.log(
      `curves diff: ${cases.length} price calls on ${curves.length} curves (${reverts} reverts) in ${ms.toFixed(0)} ms, seed ${SEED}`,
    );
    expect(mismatches.slice(0, 20), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(5000);
    // The generator must reach the revert boundary and the interesting regions, or the test proves less.
    expect(reverts).toBeGreaterThan(100);
    expect(reverts).toBeLessThan(cases.length / 2);
  });

  it('rejects exactly the parameters the TypeScript rejects, with the same error', { timeout: 60_000 }, async () => {
    const candidates: Curve[] = [
      { kind: 'LinearDecrease', tau: 0n },
      { kind: 'LinearDecrease', tau: 1n },
      { kind: 'LinearDecrease', tau: MAX_TAU },
      { kind: 'LinearDecrease', tau: MAX_TAU + 1n },
      { kind: 'LinearDecrease', tau: MAX_UINT256 },
      { kind: 'StairstepExponentialDecrease', cut: 0n, step: 1n },
      { kind: 'StairstepExponentialDecrease', cut: 1n, step: 0n },
      { kind: 'StairstepExponentialDecrease', cut: 0n, step: 0n },
      { kind: 'StairstepExponentialDecrease', cut: RAY + 1n, step: 1n },
      { kind: 'StairstepExponentialDecrease', cut: RAY, step: MAX_UINT256 },
      { kind: 'ExponentialDecrease', cut: 0n },
      { kind: 'ExponentialDecrease', cut: 1n },
      { kind: 'ExponentialDecrease', cut: RAY },
      { kind: 'ExponentialDecrease', cut: RAY + 1n },
      { kind: 'ExponentialDecrease', cut: MAX_UINT256 },
    ];
    const creations = candidates.map((curve) => {
      const { abi, bytecode } = readDeployableArtifact(curve.kind);
      return {
        method: 'eth_call',
        params: [{ data: encodeDeployData({ abi, bytecode, args: constructorArgs(curve) }) }, 'latest'],
      };
    });
    const outcomes = await rpcBatch(node.rpcUrl, creations);
    outcomes.forEach((o, i) => {
      const curve = candidates[i];
      if (!curve) return;
      let tsError: CurveParameterError | undefined;
      try {
        validateCurve(curve);
      } catch (err) {
        if (!(err instanceof CurveParameterError)) throw err;
        tsError = err;
      }
      if (tsError) {
        expect(o.ok, show(curve)).toBe(false);
        if (!o.ok) {
          const want = encodeErrorResult({ abi: abiOf(curve.kind), errorName: tsError.error, args: [tsError.value] });
          expect(revertData(o.error), show(curve)).toBe(want);
        }
      } else {
        expect(o.ok, show(curve)).toBe(true);
      }
    });
  });
});
