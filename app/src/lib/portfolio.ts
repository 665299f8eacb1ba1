// Portfolio vault figures for display and the portfolio forms' validation. The rule (every scenario's
// shocked value, the worst one, safe or not, each asset's liquidation spot) is the SDK's — `scenarioValues`,
// `portfolioRequirement`, `isPortfolioSafe`, `shockedPrice`, `shockedValue`, `portfolioLiquidationSpot`,
// PortfolioEngine's own rule to the wei (docs/portfolio.md); this module adds the what-if price moves, the
// readable scenario descriptions, the margin and the largest borrow / withdrawal the rule allows, found by
// asking the SDK's rule (never by a second copy of it).
import {
  BPS,
  WAD,
  borrowNormalizedDebt,
  debtOf,
  isPortfolioSafe,
  mulWadUp,
  portfolioLiquidationSpot,
  portfolioRequirement,
  RAY,
  repayNormalizedDebt,
  scenarioValues,
  shockedPrice,
  shockedValue,
  type AssetRisk,
} from '@gavel/sdk';
import type { Address, Hex } from 'viem';
import { formatAmount, parseAmount } from './amount.ts';
import { distanceBps } from './health.ts';
import { validateRepay, type FieldResult } from './validation.ts';

/** One asset of the scenario table, as the portfolio holds it. */
export interface PortfolioAsset {
  ilk: Hex;
  /** The ilk's name ("ETH-A"). */
  name: string;
  /** The collateral token's symbol ("WETH"). */
  symbol: string;
  token: Address;
  decimals: number;
  /** What the rule reads from the vault engine: spot, liquidation ratio, scale. */
  risk: AssetRisk;
  /** The portfolio's holding, native units. */
  collateral: bigint;
}

/** Everything the portfolio rule and the forms need about one owner's portfolio. */
export interface PortfolioInputs {
  /** The table's assets, in column order (held or not). */
  assets: readonly PortfolioAsset[];
  /** `shocksWad[j][a]`: scenario `j`'s shock of `assets[a]`. */
  shocksWad: readonly (readonly bigint[])[];
  /** The portfolio's normalized debt on the portfolio ilk. */
  normalizedDebt: bigint;
  /** The portfolio ilk's rate accumulator (RAY), dust (WAD), ceiling (WAD) and total normalized debt. */
  rate: bigint;
  dust: bigint;
  debtCeiling: bigint;
  ilkNormalizedDebt: bigint;
}

/** One asset's part in a portfolio view. */
export interface AssetFigures {
  /** The implied mark the rule prices at (its shocked price with no shock: `spot × liquidation ratio`). */
  mark: bigint;
  /** The holding valued as its isolated vault would be: at the spot (a full shock). */
  isolatedValue: bigint;
  /** The holding's value in the worst scenario: its contribution to what covers the debt. */
  worstValue: bigint;
  /**
   * The mark at which the portfolio turns unsafe, every other price fixed: the lowest mark still safe (the
   * SDK's `portfolioLiquidationSpot` at this asset's liquidation ratio, {@link liquidationMarkOf}); any mark
   * below it is unsafe. `0n`: safe at any price of it (no debt, or the others cover it); undefined: no price
   * of it makes the portfolio safe.
   */
  liquidationMark: bigint | undefined;
  /** How far the mark may fall before `liquidationMark`, in bps of the mark (negative: past it). */
  distanceBps: bigint | undefined;
}

export interface PortfolioView {
  /** The debt, rounded up as the vault engine's `debtOf`. */
  debt: bigint;
  /** Every scenario's shocked value of the holdings. */
  scenarioValues: bigint[];
  /** The worst scenario (first on ties) and its value. */
  worstScenario: number;
  worstValue: bigint;
  /** Worst value minus the debt: what is left before the portfolio is unsafe (negative: short by that). */
  margin: bigint;
  safe: boolean;
  /** Per table asset, in column order. */
  assets: AssetFigures[];
}

/** The risks of every asset, each spot moved by `movesBps[a]` basis points (−10 000 is a price of 0). */
export function movedRisks(assets: readonly PortfolioAsset[], movesBps: readonly bigint[] = []): AssetRisk[] {
  return assets.map((a, i) => {
    const move = movesBps[i] ?? 0n;
    return move === 0n ? a.risk : { ...a.risk, spotWad: (a.risk.spotWad * (BPS + move)) / BPS };
  });
}

/** The implied mark the rule prices an asset at: its shocked price under no shock. */
export function impliedMark(risk: AssetRisk): bigint {
  return shockedPrice(risk, 0n);
}

/**
 * The lowest mark whose spot reaches `spotWad`: the Spotter pokes `spot = ⌊mark × WAD / ratio⌋`, so that
 * is `⌈spotWad × ratio / WAD⌉` (the SDK's `portfolioLiquidationSpot` × the liquidation ratio, rounded up).
 */
export function liquidationMarkOf(spotWad: bigint, liquidationRatioWad: bigint): bigint {
  return mulWadUp(spotWad, liquidationRatioWad);
}

/** The portfolio's debt (WAD, rounded up). */
export function portfolioDebtOf(p: Pick<PortfolioInputs, 'normalizedDebt' | 'rate'>): bigint {
  return debtOf(p.normalizedDebt, p.rate);
}

/**
 * Everything the page shows, from the SDK's rule: the scenario values, the worst one, safe or not, and per
 * asset its worst-scenario contribution, isolated value and liquidation mark. `movesBps` (per asset) moves
 * the prices first: the what-if.
 */
export function portfolioView(p: PortfolioInputs, movesBps: readonly bigint[] = []): PortfolioView {
  const risks = movedRisks(p.assets, movesBps);
  const collaterals = p.assets.map((a) => a.collateral);
  const debt = portfolioDebtOf(p);
  const values = p.shocksWad.length === 0 ? [] : scenarioValues(risks, collaterals, p.shocksWad);
  const { worstValueWad, worstScenario } = p.shocksWad.length === 0 ? { worstValueWad: 0n, worstScenario: 0 } : portfolioRequirement(risks, collaterals, p.shocksWad);
  const safe = isPortfolioSafe(risks, collaterals, p.shocksWad, debt);
  const worstRow = p.shocksWad[worstScenario] ?? [];
  const assets = risks.map((risk, a): AssetFigures => {
    const collateral = collaterals[a] ?? 0n;
    const mark = impliedMark(risk);
    const spot = portfolioLiquidationSpot(risks, collaterals, p.shocksWad, debt, a);
    const liquidationMark = spot === undefined ? undefined : spot === 0n ? 0n : liquidationMarkOf(spot, risk.liquidationRatioWad);
    return {
      mark,
      isolatedValue: shockedValue(collateral, risk, WAD),
      worstValue: shockedValue(collateral, risk, worstRow[a] ?? 0n),
      liquidationMark,
      distanceBps: liquidationMark === undefined || liquidationMark === 0n ? undefined : distanceBps(mark, liquidationMark),
    };
  });
  return { debt, scenarioValues: values, worstScenario, worstValue: worstValueWad, margin: worstValueWad - debt, safe, assets };
}

/** One asset's shock in a scenario, for people: the fall of its price from the mark it stands for. */
export interface ShockPart {
  name: string;
  /** The shocked price's fall from the implied mark, bps (0: unshocked). */
  fallBps: bigint;
  /** A shock of 1: the asset's whole isolated haircut (its price at the spot). */
  full: boolean;
}

/** Scenario `j`'s shocks as price falls per asset, in column order. */
export function scenarioShocks(p: Pick<PortfolioInputs, 'assets' | 'shocksWad'>, j: number): ShockPart[] {
  const row = p.shocksWad[j] ?? [];
  return p.assets.map((a, i) => {
    const shock = row[i] ?? 0n;
    const mark = impliedMark(a.risk);
    const fallBps = mark === 0n ? 0n : ((mark - shockedPrice(a.risk, shock)) * BPS) / mark;
    return { name: a.name, fallBps, full: shock === WAD };
  });
}

/** "WBTC-A −31.03% (full isolated haircut), ETH-A −20.00%; USDC-A unshocked" */
export function describeScenario(parts: readonly ShockPart[]): string {
  const pct = (bps: bigint): string => `−${bps / 100n}.${(bps % 100n).toString().padStart(2, '0')}%`;
  const shocked = parts.filter((s) => s.fallBps > 0n || s.full);
  const calm = parts.filter((s) => !(s.fallBps > 0n || s.full));
  const text = shocked
    .map((s) => `${s.name} ${pct(s.fallBps)}${s.full ? ' (full isolated haircut)' : ''}`)
    .join(', ');
  const rest = calm.length === 0 ? '' : `${calm.map((s) => s.name).join(', ')} unshocked`;
  if (text === '') return rest === '' ? 'no shock' : rest;
  return rest === '' ? text : `${text}; ${rest}`;
}

/** The what-if field: a price move in percent ("-20", "+12.5", "" for none), to bps; −100% to +1,000%. */
export function parseMovePercent(input: string): FieldResult<bigint> {
  let s = input.trim().replace(/^\u2212/, '-');
  if (s === '' || s === '-' || s === '+') return { ok: true, value: 0n };
  const negative = s.startsWith('-');
  if (negative || s.startsWith('+')) s = s.slice(1);
  const r = parseAmount(s, 2, true);
  if (!r.ok) return { ok: false, message: r.error === 'too-many-decimals' ? 'At most 2 decimal places' : 'A percentage, e.g. -20 or 15' };
  const bps = negative ? -r.value : r.value;
  if (bps < -BPS) return { ok: false, message: 'A price cannot fall more than 100%' };
  if (bps > 10n * BPS) return { ok: false, message: 'At most +1,000%' };
  return { ok: true, value: bps };
}

/** The holdings with `delta` added to asset `a` (native units; never below 0). */
function withHolding(p: PortfolioInputs, a: number, delta: bigint): bigint[] {
  return p.assets.map((x, i) => {
    const c = i === a ? x.collateral + delta : x.collateral;
    return c < 0n ? 0n : c;
  });
}

/** The debt after borrowing `amount` (WAD): the normalized debt grows rounded up, as the engine books it. */
export function debtAfterBorrow(p: Pick<PortfolioInputs, 'normalizedDebt' | 'rate'>, amount: bigint): bigint {
  return debtOf(p.normalizedDebt + borrowNormalizedDebt(amount, p.rate), p.rate);
}

/** The largest `x` in `[0, hi]` with `ok(x)`, for `ok` true at 0 and monotone (true, then false). */
function largest(hi: bigint, ok: (x: bigint) => boolean): bigint {
  if (hi <= 0n || ok(hi)) return hi < 0n ? 0n : hi;
  let lo = 0n;
  let top = hi;
  while (top - lo > 1n) {
    const mid = (lo + top) / 2n;
    if (ok(mid)) lo = mid;
    else top = mid;
  }
  return lo;
}

/**
 * The most of asset `a` the owner can withdraw with the portfolio still safe (the SDK's rule on the
 * holdings after; a withdrawal can only lower every scenario's value, so the answer is found by bisection).
 */
export function maxWithdraw(p: PortfolioInputs, a: number): bigint {
  const held = p.assets[a]?.collateral ?? 0n;
  const debt = portfolioDebtOf(p);
  const risks = movedRisks(p.assets);
  if (!isPortfolioSafe(risks, withHolding(p, a, 0n), p.shocksWad, debt)) return 0n;
  return largest(held, (x) => isPortfolioSafe(risks, withHolding(p, a, -x), p.shocksWad, debt));
}

/** Room under the portfolio ilk's debt ceiling (WAD). */
export function ceilingRoom(p: Pick<PortfolioInputs, 'debtCeiling' | 'ilkNormalizedDebt' | 'rate'>): bigint {
  const ceilingRad = p.debtCeiling * RAY;
  const used = p.ilkNormalizedDebt * p.rate;
  return ceilingRad > used ? (ceilingRad - used) / RAY : 0n;
}

/** The most the owner can borrow with the portfolio still safe and within the ceiling (WAD). */
export function maxBorrow(p: PortfolioInputs): bigint {
  const risks = movedRisks(p.assets);
  const collaterals = p.assets.map((x) => x.collateral);
  const debt = portfolioDebtOf(p);
  if (!isPortfolioSafe(risks, collaterals, p.shocksWad, debt)) return 0n;
  const { worstValueWad } = p.shocksWad.length === 0 ? { worstValueWad: 0n } : portfolioRequirement(risks, collaterals, p.shocksWad);
  const hi = worstValueWad > debt ? worstValueWad - debt : 0n;
  const room = ceilingRoom(p);
  const safeMax = largest(hi, (x) => x === 0n || isPortfolioSafe(risks, collaterals, p.shocksWad, debtAfterBorrow(p, x)));
  return safeMax < room ? safeMax : room;
}

const wad = (v: bigint): string => formatAmount(v, 18, 2);

/** The withdraw field: positive, within the token's decimals, at most the holding, the portfolio still safe after. */
export function validatePortfolioWithdraw(input: string, p: PortfolioInputs, a: number): FieldResult<bigint> {
  const asset = p.assets[a];
  if (!asset) return { ok: false, message: 'Choose an asset' };
  const r = parseAmount(input, asset.decimals);
  if (!r.ok) return r;
  if (r.value > asset.collateral) {
    return { ok: false, message: `The portfolio holds ${formatAmount(asset.collateral, asset.decimals)} ${asset.symbol}` };
  }
  const debt = portfolioDebtOf(p);
  const risks = movedRisks(p.assets);
  const after = withHolding(p, a, -r.value);
  if (!isPortfolioSafe(risks, after, p.shocksWad, debt)) {
    const { worstValueWad, worstScenario } = portfolioRequirement(risks, after, p.shocksWad);
    const max = maxWithdraw(p, a);
    return {
      ok: false,
      message: `Unsafe: scenario #${worstScenario} would be worth ${wad(worstValueWad)} gUSD against a debt of ${wad(debt)}; at most ${formatAmount(max, asset.decimals)} ${asset.symbol} can be withdrawn`,
    };
  }
  return { ok: true, value: r.value };
}

/** The borrow field: positive, within the ceiling, the debt at least the dust, the portfolio still safe after. */
export function validatePortfolioBorrow(input: string, p: PortfolioInputs): FieldResult<bigint> {
  const r = parseAmount(input, 18);
  if (!r.ok) return r;
  const room = ceilingRoom(p);
  if (r.value > room) return { ok: false, message: `Above the remaining debt ceiling of ${wad(room)} gUSD` };
  const debt = debtAfterBorrow(p, r.value);
  if (debt < p.dust) return { ok: false, message: `The portfolio's debt must be at least ${wad(p.dust)} gUSD` };
  const risks = movedRisks(p.assets);
  const collaterals = p.assets.map((x) => x.collateral);
  if (!isPortfolioSafe(risks, collaterals, p.shocksWad, debt)) {
    const { worstValueWad, worstScenario } = portfolioRequirement(risks, collaterals, p.shocksWad);
    return {
      ok: false,
      message: `Unsafe: scenario #${worstScenario} is worth ${wad(worstValueWad)} gUSD, short of a debt of ${wad(debt)}; at most ${wad(maxBorrow(p))} gUSD can be borrowed`,
    };
  }
  return { ok: true, value: r.value };
}

/** The repay field: as an isolated vault's (at most the debt and the balance, no dust left), for the portfolio's debt. */
export function validatePortfolioRepay(input: string, p: Pick<PortfolioInputs, 'normalizedDebt' | 'rate' | 'dust'>, balance: bigint): FieldResult<bigint> {
  const debt = portfolioDebtOf(p);
  if (debt === 0n && parseAmount(input, 18).ok) return { ok: false, message: 'This portfolio has no debt' };
  return validateRepay(input, { debt, balance, dust: p.dust });
}

/** The portfolio after a deposit (`collateralDelta` > 0) or withdrawal of asset `a` and a debt change (repay negative). */
export function projectPortfolio(p: PortfolioInputs, change: { asset?: number; collateralDelta?: bigint; debtDelta?: bigint }): PortfolioView {
  const collaterals = change.asset === undefined ? p.assets.map((x) => x.collateral) : withHolding(p, change.asset, change.collateralDelta ?? 0n);
  const assets = p.assets.map((x, i) => ({ ...x, collateral: collaterals[i] ?? 0n }));
  const debtDelta = change.debtDelta ?? 0n;
  let normalizedDebt = p.normalizedDebt;
  if (debtDelta > 0n) normalizedDebt += borrowNormalizedDebt(debtDelta, p.rate);
  else if (debtDelta < 0n) {
    // A repayment removes its normalized debt rounded down, as the engine books it.
    const removed = repayNormalizedDebt(-debtDelta, p.rate);
    normalizedDebt = removed >= normalizedDebt ? 0n : normalizedDebt - removed;
  }
  return portfolioView({ ...p, assets, normalizedDebt });
}
