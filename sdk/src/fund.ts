// Insurance-fund rules, mirroring InsuranceFund (contracts/src/InsuranceFund.sol; docs/insurance-fund.md):
// the share math (solady ERC4626 with virtual shares, decimals offset 0), revenue vesting (`totalAssets`
// leaves out revenue still vesting; a balance drop the fund did not book is a loss that unvested revenue
// absorbs first) and the escrowed redemption requests (what a redeem or withdraw of a request pays, what
// a cancel returns). Conversions depend on the books as of now: compute `fundTotals(books, now)` first.
// The ERC-4626 preview functions round against the caller, as the contract.
import { mulDiv, mulDivUp } from './math.ts';

/** The fund's totals (`totalAssets()`, `totalSupply()`), as of one moment. */
export interface FundTotals {
  readonly totalAssets: bigint;
  readonly totalSupply: bigint;
}

/** `InsuranceFund.Vesting` (`_vesting`): `unvested` gUSD as of `updatedAt`, vesting linearly until `end`. */
export interface Vesting {
  readonly unvested: bigint;
  readonly updatedAt: bigint;
  readonly end: bigint;
}

/** What the fund's books hold: its gUSD balance, the balance it accounted for, the vesting and the share supply. */
export interface FundBooks {
  /** The fund's gUSD balance (`stablecoin.balanceOf(fund)`). */
  readonly balance: bigint;
  /** `_trackedBalance`: anything above it is revenue not yet recognized, anything below a loss not yet booked. */
  readonly trackedBalance: bigint;
  readonly vesting: Vesting;
  /** `totalSupply()`, escrowed shares included. */
  readonly totalSupply: bigint;
}

/** `_vestingNow`: the unvested part of the balance now, revenue and loss since the last interaction, and the recognized revenue still vesting. */
export interface VestingNow {
  readonly balance: bigint;
  readonly unvested: bigint;
  readonly revenue: bigint;
  readonly loss: bigint;
  readonly vesting: bigint;
}

/** `InsuranceFund._vestingNow` at time `now`. */
export function vestingNow(b: Pick<FundBooks, 'balance' | 'trackedBalance' | 'vesting'>, now: bigint): VestingNow {
  const v = b.vesting;
  // Rounded up: what is not yet vested is never under-counted.
  const vesting = now < v.end ? mulDivUp(v.unvested, v.end - now, v.end - v.updatedAt) : 0n;
  let unvested = vesting;
  let revenue = 0n;
  let loss = 0n;
  if (b.balance > b.trackedBalance) {
    revenue = b.balance - b.trackedBalance;
    unvested += revenue;
  } else if (b.balance < b.trackedBalance) {
    loss = b.trackedBalance - b.balance;
    unvested -= unvested < loss ? unvested : loss;
  }
  return { balance: b.balance, unvested, revenue, loss, vesting };
}

/** `totalAssets()` = balance − unvested revenue, and `totalSupply()`, at time `now`. Throws where the contract panics (unvested above the balance). */
export function fundTotals(b: FundBooks, now: bigint): FundTotals {
  const { balance, unvested } = vestingNow(b, now);
  if (unvested > balance) throw new RangeError(`unvested ${unvested} above the balance ${balance}: the contract panics (arithmetic underflow)`);
  return { totalAssets: balance - unvested, totalSupply: b.totalSupply };
}

/** `unvestedRevenue()` at time `now`. */
export function unvestedRevenue(b: FundBooks, now: bigint): bigint {
  return vestingNow(b, now).unvested;
}

/** `convertToShares(assets)` = `previewDeposit`: `assets × (supply + 1) / (totalAssets + 1)`, rounded down. */
export function convertToShares(assets: bigint, f: FundTotals): bigint {
  return mulDiv(assets, f.totalSupply + 1n, f.totalAssets + 1n);
}

/** `convertToAssets(shares)`: `shares × (totalAssets + 1) / (supply + 1)`, rounded down. */
export function convertToAssets(shares: bigint, f: FundTotals): bigint {
  return mulDiv(shares, f.totalAssets + 1n, f.totalSupply + 1n);
}

/** `previewMint(shares)`: the assets a mint of `shares` costs, rounded up. */
export function previewMint(shares: bigint, f: FundTotals): bigint {
  return mulDivUp(shares, f.totalAssets + 1n, f.totalSupply + 1n);
}

/** `previewWithdraw(assets)` for a caller without a request: the shares worth `assets` now, rounded up. */
export function previewWithdraw(assets: bigint, f: FundTotals): bigint {
  return mulDivUp(assets, f.totalSupply + 1n, f.totalAssets + 1n);
}

/** `IInsuranceFund.RedeemRequest` (`redeemRequest(owner)`): escrowed shares, the window, and the cap on what they pay. */
export interface RedeemRequest {
  readonly shares: bigint;
  readonly unlockAt: bigint;
  readonly expiresAt: bigint;
  readonly assetsCap: bigint;
}

/** `_redeemable`: what redeeming `shares` of `request` pays now (the lower of their value and their pro-rata cap) and the value forgone; with no request (or an empty one), their value now. */
export function redeemable(shares: bigint, f: FundTotals, request?: RedeemRequest): { assets: bigint; forgone: bigint } {
  const value = convertToAssets(shares, f);
  if (!request || request.shares === 0n) return { assets: value, forgone: 0n };
  const byCap = mulDiv(request.assetsCap, shares, request.shares);
  const assets = value < byCap ? value : byCap;
  return { assets, forgone: value - assets };
}

/** `previewRedeem(shares)` for a caller holding `request` (none: the value now). */
export function previewRedeem(shares: bigint, f: FundTotals, request?: RedeemRequest): bigint {
  return redeemable(shares, f, request).assets;
}

/** `_sharesFor` = `previewWithdraw(assets)` for a caller holding `request`: enough at the value now and at the cap's rate, each rounded up. */
export function sharesFor(assets: bigint, f: FundTotals, request?: RedeemRequest): bigint {
  const shares = previewWithdraw(assets, f);
  if (!request || request.shares === 0n) return shares;
  if (request.assetsCap === 0n) return (1n << 256n) - 1n;
  const byCap = mulDivUp(assets, request.shares, request.assetsCap);
  return shares > byCap ? shares : byCap;
}

/** `maxRedeem(owner)`: all escrowed shares while the request's window is open (`unlockAt <= now <= expiresAt`), else 0. */
export function maxRedeem(request: RedeemRequest, now: bigint): bigint {
  return now < request.unlockAt || now > request.expiresAt ? 0n : request.shares;
}

/** `maxWithdraw(owner)`: what redeeming `maxRedeem` pays, the lower of the shares' value now and the request's cap. */
export function maxWithdraw(request: RedeemRequest, f: FundTotals, now: bigint): bigint {
  const shares = maxRedeem(request, now);
  if (shares === 0n) return 0n;
  const value = convertToAssets(shares, f);
  return value < request.assetsCap ? value : request.assetsCap;
}

/** `requestRedeem(shares)` adds `convertToAssets(shares)` (after a sync) to the request's cap: the cap a new request gets. */
export function requestCap(shares: bigint, f: FundTotals): bigint {
  return convertToAssets(shares, f);
}

/** `cancelRedeemRequest()`: shares returned (all of them when worth at most the cap, else those worth the cap) and shares forfeited (burned; their value vests for the providers who stay). */
export function cancelOutcome(request: RedeemRequest, f: FundTotals): { back: bigint; forfeited: bigint } {
  const back = convertToAssets(request.shares, f) <= request.assetsCap ? request.shares : convertToShares(request.assetsCap, f);
  return { back, forfeited: request.shares - back };
}
