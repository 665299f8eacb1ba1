// Differential test: the SDK's portfolio rule (src/portfolio.ts) against the deployed PortfolioEngine on
// anvil, to the wei, reverts by name and arguments: thousands of random scenario tables through
// `validateTable`, thousands of random portfolios and tables through `scenarioValues` and
// `requirementUnder`, and the stored path (`setScenarioTable`, then `portfolioRequirement` /
// `isPortfolioSafe` reading the VaultEngine's spot, ratio and scale, overridden per call).
// Reproduce a failure with GAVEL_TEST_SEED=<seed>.
import { type Address, type Hex, decodeErrorResult, decodeFunctionResult, encodeFunctionData, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilNode, type Random, deployArtifact, seededRandom, startAnvil } from '@gavel/contracts/testing';
import { portfolioEngineAbi, vaultEngineAbi } from '../src/generated.ts';
import { type AssetRisk, PortfolioRuleError, isPortfolioSafe, portfolioRequirement, scenarioValues, validateScenarioTable } from '../src/portfolio.ts';
import { WAD } from '../src/units.ts';
import { callsWithState, mappingSlot, pack, slotPlus } from './diff.ts';
import { U128, randomCollateral, randomRisk, randomShock, randomTable, validTable } from './portfolioCases.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-portfolio-diff-1';
const TABLES = 3_000;
const PORTFOLIOS = 3_000;
const STORED = 800;
const ILKS: readonly Hex[] = ['PF-A', 'PF-B', 'PF-C'].map((s) => stringToHex(s, { size: 32 }));

/** `value …` or `Name(args…)`: one text form for both sides, so a mismatch prints readably. */
function sdkText(f: () => unknown): string {
  try {
    return `value ${String(f())}`;
  } catch (err) {
    if (err instanceof PortfolioRuleError) return `${err.error}(${err.args.map((a) => (typeof a === 'string' ? a.toLowerCase() : String(a))).join(',')})`;
    throw err;
  }
}

function chainText(o: Awaited<ReturnType<typeof callsWithState>>[number] | undefined, decode: (data: Hex) => unknown): string {
  if (!o) return 'missing';
  if (o.ok) return `value ${String(decode(o.result))}`;
  if (!o.revert) return `revert without data: ${o.message}`;
  const e = decodeErrorResult({ abi: portfolioEngineAbi, data: o.revert });
  // viem leaves `args` undefined for an error without inputs (NoAssets, NoScenarios, ZeroIlk).
  const args: readonly unknown[] = Array.isArray(e.args) ? e.args : [];
  return `${e.errorName}(${args.map((a) => (typeof a === 'string' ? a.toLowerCase() : String(a))).join(',')})`;
}

/** Random inputs for the pure rule: usually well formed, sometimes with one input the contract refuses. */
function randomPortfolio(rng: Random): { risks: AssetRisk[]; collaterals: bigint[]; shocksWad: bigint[][] } {
  const n = rng.int(0, 8);
  const bad = rng.chance(0.3) ? 0.08 : 0;
  const risks = Array.from({ length: n }, () => randomRisk(rng, bad));
  const collaterals = risks.map((r) => randomCollateral(rng, r, bad));
  if (rng.chance(0.03)) collaterals.push(rng.bigint(0n, 10n));
  const m = rng.chance(0.03) ? 0 : rng.int(1, 8);
  const shocksWad = Array.from({ length: m }, () => risks.map(() => (rng.chance(bad) ? WAD + rng.bigintLog(1n, U128) : randomShock(rng))));
  if (m > 0 && rng.chance(0.03)) (shocksWad[rng.int(0, m - 1)] as bigint[]).push(0n);
  return { risks, collaterals, shocksWad };
}

describe(`portfolio rule: SDK vs PortfolioEngine on anvil (seed ${SEED})`, () => {
  let node: AnvilNode;
  let engine: Address;
  let portfolio: Address;
  let ilksSlot: bigint;

  beforeAll(async () => {
    node = await startAnvil({ accounts: 1 });
    const me = node.accounts[0]?.address;
    if (!me) throw new Error('no account');
    engine = await deployArtifact(node, 'VaultEngine', [me]);
    portfolio = await deployArtifact(node, 'PortfolioEngine', [me, engine, stringToHex('PORTFOLIO', { size: 32 })]);
    const token = await deployArtifact(node, 'DemoToken', ['PF', 18]);
    for (const ilk of ILKS) {
      const hash = await node.walletClient.writeContract({ address: engine, abi: vaultEngineAbi, functionName: 'addIlk', args: [ilk, token] });
      await node.publicClient.waitForTransactionReceipt({ hash });
    }
    for (let p = 0n; p < 16n; p++) {
      const word = await node.publicClient.getStorageAt({ address: engine, slot: slotPlus(mappingSlot('bytes32', ILKS[0] as Hex, p), 3n) });
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

  it('agrees on validateTable for thousands of tables, each broken condition by name and arguments', { timeout: 120_000 }, async () => {
    const rng = seededRandom(`${SEED}-tables`);
    const tables = Array.from({ length: TABLES }, () => randomTable(rng));
    const out = await callsWithState(
      node.rpcUrl,
      tables.map((t) => ({ to: portfolio, data: encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'validateTable', args: [t.assets, t.shocksWad] }), stateDiff: {} })),
    );
    const mismatches: string[] = [];
    const byName = new Map<string, number>();
    tables.forEach((t, i) => {
      const want = sdkText(() => {
        validateScenarioTable(t);
        return 'ok';
      });
      const got = chainText(out[i], () => 'ok');
      const name = want.split('(')[0] ?? want;
      byName.set(name, (byName.get(name) ?? 0) + 1);
      if (got !== want) mismatches.push(`table ${i}: solidity ${got}, sdk ${want}`);
    });
    console.log(`portfolio table diff: ${tables.length} tables, outcomes ${JSON.stringify(Object.fromEntries(byName))}`);
    expect(mismatches.slice(0, 10), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    // Every outcome is reached, valid tables included.
    for (const name of ['value ok', 'NoAssets', 'TooManyAssets', 'NoScenarios', 'TooManyScenarios', 'ScenarioWidthMismatch', 'ShockOutOfRange', 'ZeroIlk', 'DuplicateAsset', 'MissingSingleAssetScenario']) {
      expect(byName.get(name) ?? 0, name).toBeGreaterThan(5);
    }
  });

  it('agrees on scenarioValues and requirementUnder for thousands of portfolios, reverts included', { timeout: 120_000 }, async () => {
    const rng = seededRandom(`${SEED}-pure`);
    const cases = Array.from({ length: PORTFOLIOS }, () => randomPortfolio(rng));
    const out = await callsWithState(
      node.rpcUrl,
      cases.flatMap((c) => [
        { to: portfolio, data: encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'scenarioValues', args: [c.risks, c.collaterals, c.shocksWad] }), stateDiff: {} },
        { to: portfolio, data: encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'requirementUnder', args: [c.risks, c.collaterals, c.shocksWad] }), stateDiff: {} },
      ]),
    );
    const mismatches: string[] = [];
    let reverts = 0;
    cases.forEach((c, i) => {
      const wantValues = sdkText(() => scenarioValues(c.risks, c.collaterals, c.shocksWad).join(';'));
      const gotValues = chainText(out[2 * i], (d) => decodeFunctionResult({ abi: portfolioEngineAbi, functionName: 'scenarioValues', data: d }).join(';'));
      const wantReq = sdkText(() => {
        const r = portfolioRequirement(c.risks, c.collaterals, c.shocksWad);
        return `${r.worstValueWad},${r.worstScenario}`;
      });
      const gotReq = chainText(out[2 * i + 1], (d) => decodeFunctionResult({ abi: portfolioEngineAbi, functionName: 'requirementUnder', data: d }).join(','));
      if (!wantReq.startsWith('value')) reverts++;
      if (gotValues !== wantValues) mismatches.push(`case ${i} scenarioValues: solidity ${gotValues}, sdk ${wantValues}`);
      if (gotReq !== wantReq) mismatches.push(`case ${i} requirementUnder: solidity ${gotReq}, sdk ${wantReq}`);
    });
    console.log(`portfolio rule diff: ${cases.length} portfolios x 2 calls, ${reverts} reverting`);
    expect(mismatches.slice(0, 10), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    expect(reverts).toBeGreaterThan(PORTFOLIOS / 20);
    expect(reverts).toBeLessThan(PORTFOLIOS / 2);
  });

  it('agrees on the stored table read back and on portfolioRequirement / isPortfolioSafe at the engine prices', { timeout: 120_000 }, async () => {
    const rng = seededRandom(`${SEED}-stored`);
    const table = validTable(rng, ILKS.length, 6);
    const assets = [...ILKS];
    const hash = await node.walletClient.writeContract({ address: portfolio, abi: portfolioEngineAbi, functionName: 'setScenarioTable', args: [assets, table.shocksWad] });
    await node.publicClient.waitForTransactionReceipt({ hash });
    const back = await node.publicClient.readContract({ address: portfolio, abi: portfolioEngineAbi, functionName: 'scenarios' });
    expect(back).toEqual(table.shocksWad);
    expect(await node.publicClient.readContract({ address: portfolio, abi: portfolioEngineAbi, functionName: 'assets' })).toEqual(assets);

    const cases = Array.from({ length: STORED }, () => {
      const risks = ILKS.map(() => randomRisk(rng));
      const collaterals = risks.map((r) => randomCollateral(rng, r));
      const value = portfolioRequirement(risks, collaterals, table.shocksWad).worstValueWad;
      const debtWad = rng.chance(0.1) ? 0n : rng.chance(0.6) ? value + rng.bigint(0n, 4n) - 2n : rng.bigintLog(1n, U128);
      return { risks, collaterals, debtWad: debtWad < 0n ? 0n : debtWad };
    });
    const stateOf = (risks: readonly AssetRisk[]): Record<Hex, Hex> => {
      const diff: Record<Hex, Hex> = {};
      ILKS.forEach((ilk, a) => {
        const r = risks[a] as AssetRisk;
        const base = mappingSlot('bytes32', ilk, ilksSlot);
        diff[slotPlus(base, 1n)] = pack([[r.spotWad, 128], [U128, 128]]);
        diff[slotPlus(base, 2n)] = pack([[0n, 128], [r.liquidationRatioWad, 128]]);
        diff[slotPlus(base, 3n)] = pack([[1n, 160], [r.scale, 64], [0n, 8]]);
      });
      return diff;
    };
    const out = await callsWithState(
      node.rpcUrl,
      cases.flatMap((c) => [
        { to: portfolio, data: encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'portfolioRequirement', args: [c.collaterals] }), stateDiff: {}, others: { [engine]: stateOf(c.risks) } },
        { to: portfolio, data: encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'isPortfolioSafe', args: [c.collaterals, c.debtWad] }), stateDiff: {}, others: { [engine]: stateOf(c.risks) } },
      ]),
    );
    const mismatches: string[] = [];
    let unsafe = 0;
    cases.forEach((c, i) => {
      const r = portfolioRequirement(c.risks, c.collaterals, table.shocksWad);
      const gotReq = chainText(out[2 * i], (d) => decodeFunctionResult({ abi: portfolioEngineAbi, functionName: 'portfolioRequirement', data: d }).join(','));
      const wantReq = `value ${r.worstValueWad},${r.worstScenario}`;
      const safe = isPortfolioSafe(c.risks, c.collaterals, table.shocksWad, c.debtWad);
      if (!safe) unsafe++;
      const gotSafe = chainText(out[2 * i + 1], (d) => decodeFunctionResult({ abi: portfolioEngineAbi, functionName: 'isPortfolioSafe', data: d }));
      if (gotReq !== wantReq) mismatches.push(`case ${i} portfolioRequirement: solidity ${gotReq}, sdk ${wantReq}`);
      if (gotSafe !== `value ${safe}`) mismatches.push(`case ${i} isPortfolioSafe: solidity ${gotSafe}, sdk ${safe}`);
    });
    console.log(`portfolio stored diff: ${cases.length} portfolios, ${unsafe} unsafe`);
    expect(mismatches.slice(0, 10), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    expect(unsafe).toBeGreaterThan(STORED / 10);
    expect(unsafe).toBeLessThan(STORED - STORED / 10);
  });
});
