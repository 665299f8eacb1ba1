// Every custom error any Gavel call can surface, in one ABI, decoded to a name and arguments. The union
// is derived from the generated ABIs (generated.ts): an error added to any contract appears here after
// `npm run build`, with no list to update. Errors raised inside solady libraries that are not declared in
// any contract ABI (checked math, safe transfers) are added once below.
import { type Abi, BaseError, type Hex, decodeErrorResult, parseAbi, toFunctionSelector } from 'viem';
import * as generated from './generated.ts';

/** Errors raised inside solady libraries (or ERC-20s we call) that no contract ABI declares. */
export const libraryErrorsAbi = parseAbi([
  'error TransferFromFailed()',
  'error TransferFailed()',
  'error ApproveFailed()',
  'error ETHTransferFailed()',
  'error Reentrancy()',
  'error Unauthorized()',
  'error NewOwnerIsZeroAddress()',
  'error MulDivFailed()',
  'error FullMulDivFailed()',
  'error DivFailed()',
  'error RPowOverflow()',
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
]);

type AbiError = Extract<Abi[number], { type: 'error' }>;

type GeneratedAbis = (typeof generated)[keyof typeof generated];
type ErrorItem<A> = A extends readonly (infer I)[] ? Extract<I, { type: 'error' }> : never;

/** The name of every custom error of every Gavel contract (and the library errors above). */
export type GavelErrorName = ErrorItem<GeneratedAbis>['name'] | ErrorItem<typeof libraryErrorsAbi>['name'];

function signatureOf(e: AbiError): string {
  return `${e.name}(${e.inputs.map((i) => i.type).join(',')})`;
}

function isErrorItem(item: unknown): item is AbiError {
  return typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'error';
}

function collect(): AbiError[] {
  const seen = new Set<string>();
  const out: AbiError[] = [];
  const sources: readonly (readonly unknown[])[] = [...Object.values(generated), libraryErrorsAbi];
  for (const abi of sources) {
    for (const item of abi) {
      if (!isErrorItem(item)) continue;
      const selector = toFunctionSelector(signatureOf(item));
      if (seen.has(selector)) continue;
      seen.add(selector);
      out.push(item);
    }
  }
  return out;
}

/** One ABI holding every custom error of every Gavel contract, deduplicated by selector. */
export const gavelErrorsAbi: readonly AbiError[] = collect();

/** A decoded revert. */
export interface DecodedRevert {
  /** The custom error's name (`PriceAboveMax`), `Error` for a string revert, `Panic` for a panic. */
  readonly name: string;
  readonly args: readonly unknown[];
  /** The 4-byte selector of the revert data. */
  readonly selector: Hex;
}

/** Decodes revert data against every Gavel error (and `Error(string)`, `Panic(uint256)`); undefined for an unknown selector. */
export function decodeRevert(data: Hex): DecodedRevert | undefined {
  if (data.length < 10) return undefined;
  const selector = data.slice(0, 10).toLowerCase() as Hex;
  try {
    const d = decodeErrorResult({ abi: gavelErrorsAbi, data });
    // viem leaves `args` undefined for an error without inputs, whatever its type says.
    const args = d.args as readonly unknown[] | undefined;
    return { name: d.errorName, args: args ?? [], selector };
  } catch {
    return undefined;
  }
}

/** The revert data carried anywhere in an error chain (viem's `cause`/`data` links), if any. */
export function revertDataOf(err: unknown): Hex | undefined {
  let e: unknown = err;
  for (let i = 0; i < 12 && e !== null && typeof e === 'object'; i++) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x[0-9a-fA-F]*$/.test(data) && data.length >= 10) return data as Hex;
    if (typeof data === 'object' && data !== null) {
      const inner = (data as { data?: unknown }).data;
      if (typeof inner === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(inner)) return inner as Hex;
    }
    const raw = (e as { raw?: unknown }).raw;
    if (typeof raw === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(raw)) return raw as Hex;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The Gavel error inside anything a viem call throws, decoded; undefined when it carries none. */
export function decodeGavelError(err: unknown): DecodedRevert | undefined {
  const data = revertDataOf(err);
  if (data) return decodeRevert(data);
  // viem may have decoded the error itself against the called contract's ABI.
  if (err instanceof BaseError) {
    let found: DecodedRevert | undefined;
    err.walk((e) => {
      const d = (e as { data?: { errorName?: unknown; args?: unknown } }).data;
      if (d && typeof d.errorName === 'string') {
        found = { name: d.errorName, args: Array.isArray(d.args) ? (d.args as unknown[]) : [], selector: '0x' };
        return true;
      }
      return false;
    });
    return found;
  }
  return undefined;
}

function formatArg(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(formatArg).join(',')}]`;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/** `Name(arg, arg)`: one line for logs. */
export function formatRevert(d: Pick<DecodedRevert, 'name' | 'args'>): string {
  return `${d.name}(${d.args.map(formatArg).join(', ')})`;
}
