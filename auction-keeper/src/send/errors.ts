// Revert decoding for logs: every custom error of every Gavel ABI through the SDK's one error union
// (`@gavel/sdk` errors), so a failed simulation reads `AuctionNotActive(4294967297)` rather than a
// selector; `Error(string)` and `Panic` (the Uniswap router's string reverts) too. Also classifies the
// node errors the sender reacts to (nonce, underpriced, funds).

import { decodeGavelError, formatRevert, revertDataOf } from '@gavel/sdk';
import { BaseError } from 'viem';

export interface DecodedError {
  /** Custom error name (`AuctionNotActive`), `Error` for a string revert, or undefined. */
  readonly name: string | undefined;
  /** One line for logs: `AuctionNotActive(123)`, or the node's short message. */
  readonly message: string;
}

/** Decodes a revert (or any error) to a custom error name and a one-line message. */
export function decodeError(err: unknown): DecodedError {
  const gavel = decodeGavelError(err);
  if (gavel) return { name: gavel.name, message: formatRevert(gavel) };
  // The SDK decodes Gavel errors, Error(string) and Panic(uint256); anything else is a bare selector.
  const data = revertDataOf(err);
  if (data) return { name: undefined, message: `revert ${data.slice(0, 10)}` };
  return { name: undefined, message: shortMessage(err) };
}

export function shortMessage(err: unknown): string {
  if (err instanceof BaseError) return err.shortMessage.split('\n')[0] ?? err.name;
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

function fullText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 10 && e instanceof Error; i++) {
    parts.push(e.message);
    if (e instanceof BaseError) parts.push(e.details);
    e = e.cause;
  }
  return parts.join(' | ').toLowerCase();
}

/** The node says our local nonce is wrong (or the same nonce is already pending): resync. */
export function isNonceError(err: unknown): boolean {
  const t = fullText(err);
  return /nonce too low|nonce too high|invalid nonce|nonce has already been used|already known|known transaction|replacement (transaction )?underpriced|transaction underpriced/.test(t);
}

export function isUnderpriced(err: unknown): boolean {
  return /replacement (transaction )?underpriced|transaction underpriced|fee too low/.test(fullText(err));
}

export function isInsufficientFunds(err: unknown): boolean {
  return /insufficient funds|insufficient balance/.test(fullText(err));
}

/** Errors that mean "someone else got there first" for an auction: drop it, no retry. */
export const LOST_RACE_ERRORS: ReadonlySet<string> = new Set([
  'AuctionNotActive',
  'AuctionNeedsRedo',
  'AuctionDoesNotNeedRedo',
  'PriceAboveMax',
  'PartialTakeBelowMinimum',
  'ZeroCollateralOut',
  'ProfitBelowMinimum',
]);

/**
 * Lost-race errors that only another take of the same auction explains (it ended, or its lot
 * shrank): a keeper alone meets the others too (PriceAboveMax as time passes, ProfitBelowMinimum
 * when its own swaps moved the pool, AuctionNeedsRedo at the tail).
 */
export const TAKEN_BY_ANOTHER_ERRORS: ReadonlySet<string> = new Set(['AuctionNotActive', 'PartialTakeBelowMinimum', 'ZeroCollateralOut']);
