// The SDK's one error union: derived from every generated ABI, one entry per selector, and every
// entry decodes back to its name and arguments from the revert data a contract would return.
import { type Abi, BaseError, concat, encodeAbiParameters, encodeErrorResult, toFunctionSelector } from 'viem';
import { describe, expect, it } from 'vitest';
import { decodeGavelError, decodeRevert, formatRevert, gavelErrorsAbi, libraryErrorsAbi } from './errors.ts';
import * as generated from './generated.ts';

const signature = (e: { name: string; inputs: readonly { type: string }[] }): string => `${e.name}(${e.inputs.map((i) => i.type).join(',')})`;

/** A value of each ABI type the Gavel errors use, for encoding. */
function sample(type: string, i: number): unknown {
  if (type === 'address') return `0x${(i + 1).toString(16).padStart(40, '0')}`;
  if (type === 'bool') return i % 2 === 0;
  if (type.startsWith('bytes') && type !== 'bytes') return `0x${'ab'.repeat(Number(type.slice(5)))}`;
  if (type === 'bytes') return '0x1234';
  if (type === 'string') return `reason ${i}`;
  if (type.startsWith('uint') || type.startsWith('int')) return BigInt(i + 7);
  if (type.endsWith('[]')) return [];
  throw new Error(`no sample for ${type}`);
}

describe('gavelErrorsAbi', () => {
  it('holds every error of every generated ABI, one entry per selector', () => {
    const selectors = new Set(gavelErrorsAbi.map((e) => toFunctionSelector(signature(e))));
    expect(selectors.size).toBe(gavelErrorsAbi.length);
    let errors = 0;
    for (const abi of Object.values(generated) as readonly Abi[]) {
      for (const item of abi) {
        if (item.type !== 'error') continue;
        errors++;
        expect(selectors.has(toFunctionSelector(signature(item))), signature(item)).toBe(true);
      }
    }
    for (const e of libraryErrorsAbi) expect(selectors.has(toFunctionSelector(signature(e)))).toBe(true);
    expect(errors).toBeGreaterThan(50);
    const names = gavelErrorsAbi.map((e) => e.name);
    for (const name of ['AuctionNeedsRedo', 'UnsafeVault', 'PriceAboveMax', 'BreakerLevelTooHigh', 'QuorumNotMet', 'TransferFromFailed']) {
      expect(names).toContain(name);
    }
  });

  it('decodes every error back to its name and arguments', () => {
    for (const e of gavelErrorsAbi) {
      const args = e.inputs.map((input, i) => sample(input.type, i));
      const data = encodeErrorResult({ abi: [e], errorName: e.name, args });
      const d = decodeRevert(data);
      expect(d?.name, signature(e)).toBe(e.name);
      expect(d?.selector).toBe(data.slice(0, 10));
      expect(d?.args.length ?? 0).toBe(e.inputs.length);
    }
  });

  it('finds the revert data inside a viem error chain and formats it', () => {
    const data = encodeErrorResult({ abi: gavelErrorsAbi, errorName: 'PriceAboveMax', args: [5n, 4n] });
    const err = new BaseError('call reverted', { cause: Object.assign(new Error('inner'), { data }) });
    const d = decodeGavelError(err);
    expect(d && formatRevert(d)).toBe('PriceAboveMax(5, 4)');
    expect(decodeRevert('0xdeadbeef')).toBeUndefined();
    // String reverts (a Uniswap router) and panics decode too.
    expect(decodeRevert(concat(['0x08c379a0', encodeAbiParameters([{ type: 'string' }], ['UniswapV2Router: EXPIRED'])]))).toMatchObject({ name: 'Error', args: ['UniswapV2Router: EXPIRED'] });
    expect(decodeRevert(concat(['0x4e487b71', encodeAbiParameters([{ type: 'uint256' }], [0x12n])]))).toMatchObject({ name: 'Panic', args: [0x12n] });
    expect(decodeGavelError(new Error('no data'))).toBeUndefined();
  });
});
