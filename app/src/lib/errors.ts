// Turns anything a transaction can throw into a name and a sentence for people: the contract's
// custom error decoded with the SDK's one union of every Gavel error, a rejected signature, an RPC
// that is down.
import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  RawContractError,
  TimeoutError,
  UserRejectedRequestError,
  type Hex,
} from 'viem';
import { decodeRevert } from '@gavel/sdk';
import { formatAmount } from './amount.ts';

export type TxErrorKind = 'rejected' | 'contract' | 'rpc' | 'network' | 'unknown';

export interface TxError {
  kind: TxErrorKind;
  /** The custom error's name (`PriceAboveMax`), or a short label for other kinds. */
  name: string;
  /** One sentence a person can act on. */
  message: string;
  /** Decoded arguments of a custom error. */
  args?: readonly unknown[];
}

const wad = (v: unknown): string => (typeof v === 'bigint' ? formatAmount(v, 18, 4) : String(v));
const num = (v: unknown): string => String(v);

/** A sentence per custom error; arguments as decoded. Unknown errors fall back to their name. */
const SENTENCES: Record<string, (args: readonly unknown[]) => string> = {
  // CollateralAuction
  AuctionNotActive: () => 'This auction is over: it was sold out, its debt was raised, or it was removed.',
  AuctionNeedsRedo: () => 'This auction is too old or too cheap and must be restarted (redo) before anyone can take it.',
  AuctionDoesNotNeedRedo: () => 'This auction does not need a restart yet.',
  PriceAboveMax: (a) => `The price (${wad(a[0])}) is above your maximum price (${wad(a[1])}). Raise the maximum or wait for the price to fall.`,
  ZeroAmount: () => 'The amount must be greater than zero.',
  ZeroCollateralOut: () => 'This amount is too small to buy any collateral at the current price.',
  PartialTakeBelowMinimum: (a) =>
    `A partial take would leave less debt than the minimum (${wad(a[1])}); take the whole lot instead.`,
  BreakerLevelTooHigh: (a) => `The circuit breaker (level ${num(a[0])}) has paused this action.`,
  ReceiverIsAuction: () => 'The auction house cannot receive collateral from itself.',
  TakeoverNotAllowed: () => 'The insurance fund may not take over this auction yet.',
  // LiquidationEngine
  VaultIsSafe: () => 'This vault is safe; it cannot be liquidated.',
  VaultHasNoDebt: () => 'This vault has no debt.',
  NoRoom: () => 'The limit on debt in auctions is reached; try again after some auctions clear.',
  DustyPartialLiquidation: () => 'A partial liquidation would leave a vault below the minimum debt.',
  // VaultEngine
  UnknownIlk: () => 'Unknown collateral type.',
  NotAllowed: () => 'Only the vault owner (or an operator it approved) may withdraw or borrow.',
  UnsafeVault: (a) =>
    `The vault would be unsafe: collateral worth ${wad(a[2])} (at the liquidation ratio) against ${wad(a[3])} debt.`,
  DebtBelowDust: (a) => `The remaining debt (${wad(a[2])}) would be below the minimum of ${wad(a[3])}; repay all or less.`,
  CeilingExceeded: (a) => `The debt ceiling of this collateral type (${wad(a[2])}) would be exceeded.`,
  InsufficientCollateral: () => 'The vault does not hold that much collateral.',
  RepayExceedsDebt: () => 'You are repaying more than the vault owes.',
  AmountOverflow: () => 'The amount is too large.',
  CollateralOverflow: () => 'The vault would hold more collateral than the system can count.',
  FeeOnTransfer: () => 'The token took a fee on transfer; it cannot be used as collateral.',
  CollateralTransferFailed: () => 'The collateral transfer failed: check your balance and allowance.',
  // PortfolioEngine
  UnsafePortfolio: (a) =>
    `The portfolio would be unsafe: its worst scenario (#${num(a[3])}) is worth ${wad(a[1])} against a debt of ${wad(a[2])}.`,
  NotPortfolioAsset: () => 'That collateral type is not an asset of the portfolio scenario table.',
  ExternallyMargined: () => 'This collateral type is margined by the portfolio engine: use the portfolio page.',
  PortfolioIsSafe: () => 'This portfolio is safe; it cannot be liquidated.',
  PortfolioHasNoDebt: () => 'This portfolio has no debt.',
  // Tokens
  InsufficientBalance: () => 'Your token balance is too low.',
  InsufficientAllowance: () => 'The allowance is too low: approve (or sign a permit for) a larger amount first.',
  ERC20InsufficientBalance: () => 'Your token balance is too low.',
  ERC20InsufficientAllowance: () => 'The allowance is too low: approve a larger amount first.',
  InvalidPermit: () => 'The permit signature is invalid.',
  PermitExpired: () => 'The permit signature expired; sign again.',
  TransferFromFailed: () => 'The token transfer failed: check your balance and allowance.',
  TransferFailed: () => 'A token transfer failed.',
  // Oracles
  QuorumNotMet: (a) => `Not enough fresh price feeds (${num(a[0])} of ${num(a[1])} needed).`,
  NoValidPrice: () => 'The oracle has no valid price for this collateral type.',
  NoMarkPrice: () => 'The oracle has no valid mark price.',
  Reentrancy: () => 'Reentrant call refused.',
  Unauthorized: () => 'Only governance may do this.',
};

/** The sentence for a custom error name and its arguments. */
export function describeCustomError(name: string, args: readonly unknown[] = []): string {
  const sentence = SENTENCES[name];
  return sentence ? sentence(args) : `The contract refused the transaction (${name}).`;
}

/** Decodes revert data against every Gavel error (the SDK's union); undefined when the selector is unknown. */
export function decodeRevertData(data: Hex): TxError | undefined {
  const d = decodeRevert(data);
  if (!d) return undefined;
  return { kind: 'contract', name: d.name, message: describeCustomError(d.name, d.args), args: d.args };
}

function revertData(err: BaseError): Hex | undefined {
  let data: Hex | undefined;
  err.walk((e) => {
    if (e instanceof ContractFunctionRevertedError && e.raw) data = e.raw;
    else if (e instanceof RawContractError && typeof e.data === 'string') data = e.data;
    return data !== undefined;
  });
  return data;
}

/**
 * The error for a wallet connected to another chain than the app's, before anything is sent;
 * undefined when the wallet is on `appChainId` (or its chain is not known yet).
 */
export function wrongChainError(walletChainId: number | undefined, appChainId: number, appChainName: string): TxError | undefined {
  if (walletChainId === undefined || walletChainId === appChainId) return undefined;
  return {
    kind: 'network',
    name: 'Wrong network',
    message: `Your wallet is on chain ${walletChainId}; switch it to ${appChainName} (${appChainId}) first. Nothing was sent.`,
  };
}

/** Classifies and explains any error thrown while simulating, signing or sending. */
export function decodeTxError(err: unknown): TxError {
  if (err instanceof BaseError) {
    if (err.walk((e) => e instanceof UserRejectedRequestError)) {
      return { kind: 'rejected', name: 'Rejected', message: 'You rejected the request in your wallet. Nothing was sent.' };
    }
    const data = revertData(err);
    const decoded = data ? decodeRevertData(data) : undefined;
    if (decoded) return decoded;
    const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      if (reverted.data?.errorName) {
        const args = reverted.data.args ?? [];
        return { kind: 'contract', name: reverted.data.errorName, message: describeCustomError(reverted.data.errorName, args), args };
      }
      if (reverted.reason) return { kind: 'contract', name: 'Reverted', message: reverted.reason };
      return { kind: 'contract', name: reverted.signature ?? 'Reverted', message: 'The contract refused the transaction.' };
    }
    if (err.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError)) {
      return { kind: 'rpc', name: 'RPC unavailable', message: 'The RPC node did not answer. Check that it is running and try again.' };
    }
    return { kind: 'unknown', name: err.name, message: err.shortMessage };
  }
  if (err instanceof Error) {
    if (/rejected|denied/i.test(err.message)) {
      return { kind: 'rejected', name: 'Rejected', message: 'You rejected the request in your wallet. Nothing was sent.' };
    }
    return { kind: 'unknown', name: err.name, message: err.message };
  }
  return { kind: 'unknown', name: 'Error', message: String(err) };
}
