// Revert decoding for logs: every custom error of every Gavel ABI (and the Uniswap router's
// string reverts), so a failed simulation reads `AuctionNotActive(4294967297)` rather than a
// selector. Also classifies the node errors the sender reacts to (nonce, underpriced, funds).

import * as gavel from '@gavel/contracts';
import { type Abi, type Hex, BaseError, decodeErrorResult, toFunctionSelector } from 'viem';

type AbiError = Extract<Abi[number], { type: 'error' }>;

function collectErrors(): AbiError[] {
  const seen = new Set<string>();
  const out: AbiError[] = [];
  for (const value of Object.values(gavel)) {
    if (!Array.isArray(value)) continue;
    for (const item of value as readonly unknown[]) {
      if (typeof item !== 'object' || item === null || (item as { type?: unknown }).type !== 'error') continue;
      const e = item as AbiError;
      const sig = `${e.name}(${e.inputs.map((i) => i.type).join(',')})`;
      const selector = toFunctionSelector(sig);
      if (seen.has(selector)) continue;
      seen.add(selector);
      out.push(e);
    }
  }
  return out;
}

/** The custom errors of all Gavel contracts, deduplicated by selector. */
export const gavelErrorsAbi: Abi = collectErrors();

/** The revert data carried anywhere in a viem error chain, if any. */
export function revertData(err: unknown): Hex | undefined {
  let e: unknown = err;
  for (let i = 0; i < 10 && e !== null && typeof e === 'object'; i++) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x[0-9a-fA-F]*$/.test(data) && data.length >= 10) return data as Hex;
    if (typeof data === 'object' && data !== null) {
      const inner = (data as { data?: unknown }).data;
      if (typeof inner === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(inner)) return inner as Hex;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface DecodedError {
  /** Custom error name (`AuctionNotActive`), `Error` for a string revert, or undefined. */
  readonly name: string | undefined;
  /** One line for logs: `AuctionNotActive(123)`, or the node's short message. */
  readonly message: string;
}

function fmtArg(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(fmtArg).join(',')}]`;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

function argsOf(d: { readonly args?: readonly unknown[] | undefined }): readonly unknown[] {
  return d.args ?? [];
}

/** Decodes a revert (or any error) to a custom error name and a one-line message. */
export function decodeError(err: unknown): DecodedError {
  const data = revertData(err);
  if (data) {
    try {
      const d = decodeErrorResult({ abi: gavelErrorsAbi, data });
      const args = argsOf(d);
      return { name: d.errorName, message: `${d.errorName}(${args.map(fmtArg).join(', ')})` };
    } catch {
      // Error(string), Panic(uint256), or an unknown selector.
      try {
        const d = decodeErrorResult({ abi: [], data });
        const args = argsOf(d);
        return { name: d.errorName, message: `${d.errorName}(${args.map(fmtArg).join(', ')})` };
      } catch {
        return { name: undefined, message: `revert ${data.slice(0, 10)}` };
      }
    }
  }
  // viem may already have decoded a reason without exposing data.
  let e: unknown = err;
  for (let i = 0; i < 10 && e instanceof Error; i++) {
    const errorName = (e as { data?: { errorName?: unknown } }).data?.errorName;
    if (typeof errorName === 'string') return { name: errorName, message: errorName };
    e = e.cause;
  }
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
