import {
  RAY,
  WAD,
  collateralValueWadDown,
  debtOf,
  isPortfolioSafe,
  liquidationSpot,
  portfolioLiquidationSpot,
  portfolioRequirement,
  repayNormalizedDebt,
  shockedValue,
  type AssetRisk,
} from '@gavel/sdk';
import { describe, expect, it } from 'vitest';
import {
  ceilingRoom,
  debtAfterBorrow,
  describeScenario,
  impliedMark,
  liquidationMarkOf,
  maxBorrow,
  maxWithdraw,
  movedRisks,
  parseMovePercent,
  portfolioView,
  projectPortfolio,
  scenarioShocks,
  validatePortfolioBorrow,
  validatePortfolioRepay,
  validatePortfolioWithdraw,
  type PortfolioAsset,
  type PortfolioInputs,
} from './portfolio.ts';

// The shipped configs' table (contracts/config/local.json `portfolio`): USDC-A, WBTC-A, ETH-A; the three
// single-asset rows, the crypto crash [0, 1, 1] and everything down [0.3, 0.6, 0.6].
const risk = (mark: bigint, ratioPct: bigint, decimals: number): AssetRisk => {
  const ratio = (ratioPct * WAD) / 100n;
  return { spotWad: (mark * WAD) / ratio, liquidationRatioWad: ratio, scale: 10n ** BigInt(18 - decimals) };
};
const asset = (name: string, symbol: string, decimals: number, r: AssetRisk, collateral: bigint, n: number): PortfolioAsset => ({
  ilk: `0x${n.toString(16).padStart(64, '0')}`,
  name,
  symbol,
  token: `0x${n.toString(16).padStart(40, '0')}`,
  decimals,
  risk: r,
  collateral,
});
const SHOCKS = [
  [WAD, 0n, 0n],
  [0n, WAD, 0n],
  [0n, 0n, WAD],
  [0n, WAD, WAD],
  [(3n * WAD) / 10n, (6n * WAD) / 10n, (6n * WAD) / 10n],
];
const RATE = (RAY * 1_0123n) / 1_0000n; // some fees accrued
const base: PortfolioInputs = {
  assets: [
    asset('USDC-A', 'USDC', 6, risk(WAD, 110n, 6), 0n, 1),
    asset('WBTC-A', 'WBTC', 8, risk(60_000n * WAD, 145n, 8), 10n ** 8n, 2), // 1 WBTC
    asset('ETH-A', 'WETH', 18, risk(2_000n * WAD, 150n, 18), 10n * WAD, 3), // 10 ETH
  ],
  shocksWad: SHOCKS,
  normalizedDebt: (50_000n * WAD * RAY) / RATE,
  rate: RATE,
  dust: 100n * WAD,
  debtCeiling: 100_000_000n * WAD,
  ilkNormalizedDebt: (50_000n * WAD * RAY) / RATE,
};
const risks = (p: PortfolioInputs): AssetRisk[] => p.assets.map((a) => a.risk);
const holdings = (p: PortfolioInputs): bigint[] => p.assets.map((a) => a.collateral);
const withCollateral = (p: PortfolioInputs, a: number, c: bigint): PortfolioInputs => ({ ...p, assets: p.assets.map((x, i) => (i === a ? { ...x, collateral: c } : x)) });
const msg = (r: { ok: boolean; message?: string }): string => (r.ok ? '' : (r.message ?? ''));

describe('portfolio view (the SDK rule, shown)', () => {
  it('names the worst scenario, its value, the margin and safety exactly as the SDK rule', () => {
    const v = portfolioView(base);
    const req = portfolioRequirement(risks(base), holdings(base), SHOCKS);
    const debt = debtOf(base.normalizedDebt, RATE);
    expect(v.debt).toBe(debt);
    expect(v.worstScenario).toBe(req.worstScenario);
    expect(v.worstScenario).toBe(3); // the crypto crash: both held assets at their full haircut
    expect(v.worstValue).toBe(req.worstValueWad);
    expect(v.margin).toBe(req.worstValueWad - debt);
    expect(v.safe).toBe(isPortfolioSafe(risks(base), holdings(base), SHOCKS, debt));
    expect(v.safe).toBe(true);
  });

  it('gives each asset its contribution in the worst scenario (they sum to it) and its isolated value', () => {
    const v = portfolioView(base);
    expect(v.assets.reduce((s, a) => s + a.worstValue, 0n)).toBe(v.worstValue);
    base.assets.forEach((a, i) => {
      expect(v.assets[i]?.isolatedValue).toBe(collateralValueWadDown(a.collateral, a.risk.scale, a.risk.spotWad));
      expect(v.assets[i]?.mark).toBe(impliedMark(a.risk));
    });
    // In the everything-down row ETH counts for more than its isolated value.
    expect(shockedValue(10n * WAD, base.assets[2]?.risk as AssetRisk, (6n * WAD) / 10n)).toBeGreaterThan(v.assets[2]?.isolatedValue ?? 0n);
  });

  it('puts each liquidation price where the SDK rule turns: safe at it, unsafe one wei of spot below', () => {
    const v = portfolioView(base);
    const debt = v.debt;
    for (const a of [1, 2]) {
      const r = base.assets[a]?.risk as AssetRisk;
      const spot = portfolioLiquidationSpot(risks(base), holdings(base), SHOCKS, debt, a);
      if (spot === undefined || spot === 0n) throw new Error('expected a liquidation spot');
      const mark = v.assets[a]?.liquidationMark ?? 0n;
      expect(mark).toBe(liquidationMarkOf(spot, r.liquidationRatioWad));
      // The Spotter pokes spot = ⌊mark × WAD / ratio⌋: at the mark the spot reaches it, one wei of mark below it does not.
      expect((mark * WAD) / r.liquidationRatioWad).toBeGreaterThanOrEqual(spot);
      expect(((mark - 1n) * WAD) / r.liquidationRatioWad).toBeLessThan(spot);
      const at = risks(base).map((x, i) => (i === a ? { ...x, spotWad: spot } : x));
      const below = risks(base).map((x, i) => (i === a ? { ...x, spotWad: spot - 1n } : x));
      expect(isPortfolioSafe(at, holdings(base), SHOCKS, debt)).toBe(true);
      expect(isPortfolioSafe(below, holdings(base), SHOCKS, debt)).toBe(false);
      expect(v.assets[a]?.distanceBps).toBeGreaterThan(0n);
    }
    // USDC is not held: no price of it makes a difference, but the others cover the debt today.
    expect(v.assets[0]?.liquidationMark).toBe(0n);
  });

  it('a one-asset portfolio has the isolated vault\'s liquidation spot', () => {
    const eth = withCollateral(withCollateral(base, 1, 0n), 2, 40n * WAD);
    const r = eth.assets[2]?.risk as AssetRisk;
    const iso = liquidationSpot(40n * WAD, eth.normalizedDebt, { rate: RATE, scale: r.scale });
    expect(portfolioView(eth).assets[2]?.liquidationMark).toBe(liquidationMarkOf(iso ?? 0n, r.liquidationRatioWad));
  });

  it('says when no price of an asset saves the portfolio, and when there is no debt', () => {
    const short = withCollateral(base, 1, 0n); // 10 ETH alone carry 50,000 only at a mark of 7,500
    const v0 = portfolioView(short);
    expect(v0.safe).toBe(false);
    expect(v0.assets[2]?.liquidationMark).toBe(7_500n * WAD);
    expect(v0.assets[2]?.distanceBps).toBe(-27_500n); // the mark is 275% below it
    expect(v0.assets[1]?.liquidationMark).toBeUndefined(); // WBTC not held: no price of it helps
    expect(v0.assets[0]?.liquidationMark).toBeUndefined();
    const noDebt = { ...base, normalizedDebt: 0n };
    const v = portfolioView(noDebt);
    expect(v.safe).toBe(true);
    expect(v.assets.every((a) => a.liquidationMark === 0n && a.distanceBps === undefined)).toBe(true);
  });
});

describe('what-if', () => {
  it('moves a price by a percentage and recomputes with the SDK: past the distance to liquidation it turns unsafe', () => {
    const now = portfolioView(base);
    const dist = now.assets[1]?.distanceBps ?? 0n; // WBTC
    expect(dist).toBeGreaterThan(100n);
    const before = portfolioView(base, [0n, -(dist - 50n), 0n]);
    const past = portfolioView(base, [0n, -(dist + 50n), 0n]);
    expect(before.safe).toBe(true);
    expect(past.safe).toBe(false);
    expect(past.margin).toBeLessThan(0n);
    const moved = movedRisks(base.assets, [0n, -(dist + 50n), 0n]);
    expect(past.worstValue).toBe(portfolioRequirement(moved, holdings(base), SHOCKS).worstValueWad);
    expect(moved[1]?.spotWad).toBe(((base.assets[1]?.risk.spotWad ?? 0n) * (10_000n - dist - 50n)) / 10_000n);
    // A rise never hurts.
    expect(portfolioView(base, [0n, 5_000n, 0n]).worstValue).toBeGreaterThan(now.worstValue);
  });

  it('parses the percentage field', () => {
    expect(parseMovePercent('')).toEqual({ ok: true, value: 0n });
    expect(parseMovePercent('-20')).toEqual({ ok: true, value: -2_000n });
    expect(parseMovePercent('−12.5')).toEqual({ ok: true, value: -1_250n });
    expect(parseMovePercent('+15')).toEqual({ ok: true, value: 1_500n });
    expect(parseMovePercent('-100')).toEqual({ ok: true, value: -10_000n });
    expect(msg(parseMovePercent('-100.01'))).toBe('A price cannot fall more than 100%');
    expect(msg(parseMovePercent('1001'))).toBe('At most +1,000%');
    expect(msg(parseMovePercent('1.234'))).toBe('At most 2 decimal places');
    expect(msg(parseMovePercent('ten'))).toBe('A percentage, e.g. -20 or 15');
  });
});

describe('scenario descriptions', () => {
  it('reads each row as price falls from the mark, naming full haircuts and calm assets', () => {
    expect(describeScenario(scenarioShocks(base, 3))).toBe('WBTC-A −31.03% (full isolated haircut), ETH-A −33.33% (full isolated haircut); USDC-A unshocked');
    expect(describeScenario(scenarioShocks(base, 0))).toBe('USDC-A −9.09% (full isolated haircut); WBTC-A, ETH-A unshocked');
    expect(describeScenario(scenarioShocks(base, 4))).toBe('USDC-A −2.72%, WBTC-A −18.62%, ETH-A −20.00%');
    expect(describeScenario([])).toBe('no shock');
  });
});

describe('portfolio forms', () => {
  it('refuses a withdrawal above the holding or one that leaves it unsafe, naming the most that can go', () => {
    expect(msg(validatePortfolioWithdraw('2', base, 1))).toBe('The portfolio holds 1 WBTC');
    expect(msg(validatePortfolioWithdraw('0.000000001', base, 1))).toBe('At most 8 decimal places');
    const max = maxWithdraw(base, 1);
    expect(max).toBeGreaterThan(0n);
    expect(max).toBeLessThan(10n ** 8n);
    // The boundary is the SDK rule's: safe at max, unsafe one unit above.
    const debt = debtOf(base.normalizedDebt, RATE);
    expect(isPortfolioSafe(risks(base), [0n, 10n ** 8n - max, 10n * WAD], SHOCKS, debt)).toBe(true);
    expect(isPortfolioSafe(risks(base), [0n, 10n ** 8n - max - 1n, 10n * WAD], SHOCKS, debt)).toBe(false);
    const over = validatePortfolioWithdraw('1', base, 1);
    expect(msg(over)).toMatch(/^Unsafe: scenario #\d would be worth [\d,.]+ gUSD against a debt of [\d,.]+; at most 0\.\d+ WBTC can be withdrawn$/);
    expect(validatePortfolioWithdraw('0.01', base, 1)).toEqual({ ok: true, value: 10n ** 6n });
    expect(maxWithdraw({ ...base, normalizedDebt: 0n }, 2)).toBe(10n * WAD);
  });

  it('refuses a borrow below dust, above the ceiling or that leaves it unsafe; the max is the boundary', () => {
    const empty = { ...base, normalizedDebt: 0n };
    expect(msg(validatePortfolioBorrow('50', empty))).toBe("The portfolio's debt must be at least 100 gUSD");
    expect(msg(validatePortfolioBorrow('abc', empty))).toBe('Not a number');
    const tight = { ...base, debtCeiling: 50_010n * WAD };
    expect(ceilingRoom(tight)).toBeLessThan(11n * WAD);
    expect(msg(validatePortfolioBorrow('20', tight))).toMatch(/^Above the remaining debt ceiling of [\d.]+ gUSD$/);
    expect(maxBorrow(tight)).toBe(ceilingRoom(tight));
    const max = maxBorrow(base);
    const worst = portfolioView(base).worstValue;
    expect(isPortfolioSafe(risks(base), holdings(base), SHOCKS, debtAfterBorrow(base, max))).toBe(true);
    expect(isPortfolioSafe(risks(base), holdings(base), SHOCKS, debtAfterBorrow(base, max + 1n))).toBe(false);
    expect(worst - debtOf(base.normalizedDebt, RATE) - max).toBeLessThanOrEqual(2n);
    expect(msg(validatePortfolioBorrow('100000', base))).toMatch(/^Unsafe: scenario #3 is worth [\d,.]+ gUSD, short of a debt of [\d,.]+; at most [\d,.]+ gUSD can be borrowed$/);
    expect(validatePortfolioBorrow('1000', base)).toEqual({ ok: true, value: 1_000n * WAD });
    // An unsafe portfolio can borrow nothing.
    expect(maxBorrow(withCollateral(base, 1, 0n))).toBe(0n);
  });

  it('repays as an isolated vault does, with the portfolio named', () => {
    expect(msg(validatePortfolioRepay('10', { ...base, normalizedDebt: 0n }, 10n ** 24n))).toBe('This portfolio has no debt');
    expect(msg(validatePortfolioRepay('10', base, 5n * WAD))).toBe('Above your balance of 5 gUSD');
    expect(msg(validatePortfolioRepay('49950', base, 10n ** 24n))).toMatch(/below the minimum debt of 100/);
    expect(validatePortfolioRepay('1000', base, 10n ** 24n)).toEqual({ ok: true, value: 1_000n * WAD });
  });

  it('projects deposits, withdrawals, borrows and repayments as the engine books them', () => {
    const v = portfolioView(base);
    const deposit = projectPortfolio(base, { asset: 0, collateralDelta: 5_000n * 10n ** 6n });
    expect(deposit.worstValue).toBeGreaterThan(v.worstValue);
    expect(deposit.debt).toBe(v.debt);
    const repay = projectPortfolio(base, { debtDelta: -1_000n * WAD });
    expect(repay.debt).toBe(debtOf(base.normalizedDebt - repayNormalizedDebt(1_000n * WAD, RATE), RATE));
    expect(repay.margin).toBeGreaterThan(v.margin);
    const borrow = projectPortfolio(base, { debtDelta: 1_000n * WAD });
    expect(borrow.debt).toBe(debtAfterBorrow(base, 1_000n * WAD));
    const withdraw = projectPortfolio(base, { asset: 1, collateralDelta: -(10n ** 8n) });
    expect(withdraw.safe).toBe(false);
    expect(projectPortfolio(base, { debtDelta: -v.debt }).debt).toBe(0n);
  });
});
