// PortfolioEngine calls. Depositing and repaying are allowed for any owner (a rescue); withdrawing and
// borrowing act on the caller's own portfolio.
import { portfolioEngineAbi } from '@gavel/sdk';
import { encodeFunctionData, type Address, type Hex } from 'viem';
import type { Call } from '../tx/types.ts';

/** Add `amount` of table asset `ilk` to `owner`'s portfolio; the caller pays (approve the portfolio engine first). */
export function portfolioDepositCall(p: { engine: Address; owner: Address; ilk: Hex; amount: bigint; label: string }): Call {
  return { label: p.label, to: p.engine, data: encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'deposit', args: [p.owner, p.ilk, p.amount] }) };
}

/** Repay `owner`'s portfolio debt; the vault engine burns the caller's stablecoin directly (no allowance needed). */
export function portfolioRepayCall(p: { engine: Address; owner: Address; amount: bigint; label: string }): Call {
  return { label: p.label, to: p.engine, data: encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'repay', args: [p.owner, p.amount] }) };
}

/** Take `amount` of `ilk` out of the caller's portfolio to `to`. */
export function portfolioWithdrawCall(p: { engine: Address; ilk: Hex; amount: bigint; to: Address; label: string }): Call {
  return { label: p.label, to: p.engine, data: encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'withdraw', args: [p.ilk, p.amount, p.to] }) };
}

/** Draw `amount` stablecoin against the caller's portfolio. */
export function portfolioBorrowCall(p: { engine: Address; amount: bigint; label: string }): Call {
  return { label: p.label, to: p.engine, data: encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'borrow', args: [p.amount] }) };
}
