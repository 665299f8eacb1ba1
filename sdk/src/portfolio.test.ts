import { describe, expect, it } from 'vitest';
import { seededRandom } from '@gavel/contracts/testing';
import { randomCollateral, randomRisk, randomShock, validTable } from '../test/portfolioCases.ts';
import { type AssetRisk, PortfolioRuleError, isPortfolioSafe, portfolioRequirement, scenarioValues, shockedPrice, validateScenarioTable } from './portfolio.ts';
import { RAY, WAD } from './units.ts';
import { collateralValueWadDown, debtOf, isSafe } from './vault.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-portfolio-1';
const ETH = '0x4554482d41000000000000000000000000000000000000000000000000000000' as const;
const BTC = '0x574254432d410000000000000000000000000000000000000000000000000000' as const;

function thrown(f: () => unknown): PortfolioRuleError | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof PortfolioRuleError) return err;
    throw err;
  }
  return undefined;
}

describe('portfolio rule', () => {
  const eth: AssetRisk = { spotWad: (2000n * WAD * WAD) / (15n * WAD / 10n), liquidationRatioWad: (15n * WAD) / 10n, scale: 1n };
  const btc: AssetRisk = { spotWad: (60_000n * WAD * WAD) / ((145n * WAD) / 100n), liquidationRatioWad: (145n * WAD) / 100n, scale: 10n ** 10n };

  it('a full shock prices at spot, no shock at the implied mark', () => {
    expect(shockedPrice(eth, WAD)).toBe(eth.spotWad);
    expect(shockedPrice(eth, 0n)).toBe((eth.spotWad * eth.liquidationRatioWad) / WAD);
    expect(shockedPrice(eth, WAD / 2n)).toBe(eth.spotWad + ((eth.spotWad * eth.liquidationRatioWad) / WAD - eth.spotWad) / 2n);
  });

  it('names the worst scenario; a joint crash equals the sum of the isolated values', () => {
    const holdings = [30n * WAD, 10n ** 8n];
    const isolated = collateralValueWadDown(30n * WAD, 1n, eth.spotWad) + collateralValueWadDown(10n ** 8n, btc.scale, btc.spotWad);
    const r = portfolioRequirement([eth, btc], holdings, [[WAD, 0n], [0n, WAD], [WAD, WAD]]);
    expect(r).toEqual({ worstValueWad: isolated, worstScenario: 2 });
    const diversified = portfolioRequirement([eth, btc], holdings, [[WAD, 0n], [0n, WAD]]);
    expect(diversified.worstValueWad).toBeGreaterThan(isolated);
    expect(isPortfolioSafe([eth, btc], holdings, [[WAD, WAD]], isolated)).toBe(true);
    expect(isPortfolioSafe([eth, btc], holdings, [[WAD, WAD]], isolated + 1n)).toBe(false);
    expect(isPortfolioSafe([eth, btc], [0n, 0n], [[WAD, WAD]], 0n)).toBe(true);
  });

  it('validates tables by name, in the contract order', () => {
    expect(thrown(() => { validateScenarioTable({ assets: [], shocksWad: [[WAD]] }); })?.error).toBe('NoAssets');
    expect(thrown(() => { validateScenarioTable({ assets: [ETH], shocksWad: [] }); })?.error).toBe('NoScenarios');
    expect(thrown(() => { validateScenarioTable({ assets: [ETH, ETH], shocksWad: [[WAD, WAD]] }); })?.args).toEqual([ETH]);
    expect(thrown(() => { validateScenarioTable({ assets: [ETH, BTC], shocksWad: [[WAD, WAD + 1n]] }); })?.args).toEqual([0n, 1n, WAD + 1n]);
    expect(thrown(() => { validateScenarioTable({ assets: [ETH, BTC], shocksWad: [[WAD, 0n], [0n, WAD - 1n]] }); })?.args).toEqual([BTC]);
    expect(thrown(() => { validateScenarioTable({ assets: [ETH, BTC], shocksWad: [[WAD, 0n], [WAD]] }); })?.args).toEqual([1n, 1n, 2n]);
    expect(thrown(() => { validateScenarioTable({ assets: [ETH, BTC], shocksWad: [[WAD, 0n], [0n, WAD], [WAD, WAD]] }); })).toBeUndefined();
    expect(thrown(() => scenarioValues([eth], [1n, 2n], [[WAD]]))?.args).toEqual([1n, 2n]);
  });

  // docs/portfolio.md's proof, checked: any valid table, any prices, rate and holdings of one asset.
  it('a one-asset portfolio agrees with the isolated rule (vault.ts isSafe) exactly', () => {
    const rng = seededRandom(`${SEED}-one-asset`);
    let safe = 0;
    let unsafe = 0;
    for (let i = 0; i < 5000; i++) {
      const n = rng.int(1, 8);
      const table = validTable(rng, n, rng.int(n, 8));
      validateScenarioTable(table);
      const a = rng.int(0, n - 1);
      const risks = Array.from({ length: n }, () => randomRisk(rng));
      const risk = risks[a] as AssetRisk;
      const collateral = randomCollateral(rng, risk);
      const holdings = risks.map((_, k) => (k === a ? collateral : 0n));
      const rate = rng.chance(0.3) ? RAY : rng.bigintLog(RAY, 10n * RAY);
      const value = collateralValueWadDown(collateral, risk.scale, risk.spotWad);
      // Half the cases within a few wei of the line.
      const art = rng.chance(0.5) ? (value * RAY) / rate + rng.bigint(0n, 4n) - 2n : rng.bigintLog(0n, (1n << 128n) - 1n);
      const normalizedDebt = art < 0n ? 0n : art;
      const isolated = isSafe(collateral, normalizedDebt, { spot: risk.spotWad, rate, scale: risk.scale });
      const portfolio = isPortfolioSafe(risks, holdings, table.shocksWad, debtOf(normalizedDebt, rate));
      expect(portfolio).toBe(isolated);
      expect(portfolioRequirement(risks, holdings, table.shocksWad).worstValueWad).toBe(value);
      if (isolated) safe++;
      else unsafe++;
    }
    expect(safe).toBeGreaterThan(500);
    expect(unsafe).toBeGreaterThan(500);
  });

  it('more collateral never lowers a scenario value', () => {
    const rng = seededRandom(`${SEED}-monotone`);
    for (let i = 0; i < 2000; i++) {
      const n = rng.int(1, 8);
      const risks = Array.from({ length: n }, () => randomRisk(rng));
      const holdings = risks.map((r) => randomCollateral(rng, r) / 2n);
      const rows = Array.from({ length: rng.int(1, 8) }, () => risks.map(() => randomShock(rng)));
      const before = scenarioValues(risks, holdings, rows);
      const k = rng.int(0, n - 1);
      const more = holdings.map((c, idx) => (idx === k ? c + rng.bigint(1n, c / 2n + 1n) : c));
      const after = scenarioValues(risks, more, rows);
      after.forEach((v, j) => { expect(v).toBeGreaterThanOrEqual(before[j] as bigint); });
    }
  });
});
