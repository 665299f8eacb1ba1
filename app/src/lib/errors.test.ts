import { collateralAuctionAbi, portfolioEngineAbi, stablecoinAbi, vaultEngineAbi, WAD } from '@gavel/sdk';
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  HttpRequestError,
  UserRejectedRequestError,
  zeroAddress,
} from 'viem';
import { describe, expect, it } from 'vitest';
import { decodeRevertData, decodeTxError, wrongChainError } from './errors.ts';

function revertedTake(data: `0x${string}`): ContractFunctionExecutionError {
  const cause = new ContractFunctionRevertedError({ abi: collateralAuctionAbi, data, functionName: 'take' });
  return new ContractFunctionExecutionError(cause, {
    abi: collateralAuctionAbi,
    functionName: 'take',
    args: [1n, 1n, 1n, zeroAddress, '0x'],
    contractAddress: zeroAddress,
  });
}

describe('custom error decoding', () => {
  it('decodes an auction error to its name and a sentence with the figures', () => {
    const data = encodeErrorResult({ abi: collateralAuctionAbi, errorName: 'PriceAboveMax', args: [1_950n * WAD, 1_900n * WAD] });
    const e = decodeRevertData(data);
    expect(e?.name).toBe('PriceAboveMax');
    expect(e?.kind).toBe('contract');
    expect(e?.message).toContain('1,950');
    expect(e?.message).toContain('1,900');
    expect(decodeTxError(revertedTake(data)).name).toBe('PriceAboveMax');
  });

  it("decodes another contract's error bubbling through a take (the stablecoin's allowance)", () => {
    const data = encodeErrorResult({ abi: stablecoinAbi, errorName: 'InsufficientAllowance' });
    const e = decodeTxError(revertedTake(data));
    expect(e.name).toBe('InsufficientAllowance');
    expect(e.message).toMatch(/approve/i);
  });

  it('decodes vault engine errors with arguments', () => {
    const data = encodeErrorResult({
      abi: vaultEngineAbi,
      errorName: 'DebtBelowDust',
      args: ['0x4554482d41000000000000000000000000000000000000000000000000000000', zeroAddress, 5n * WAD, 100n * WAD],
    });
    const e = decodeRevertData(data);
    expect(e?.name).toBe('DebtBelowDust');
    expect(e?.message).toContain('100');
  });

  it('decodes the portfolio engine\'s refusal of an unsafe withdraw or borrow, with its figures', () => {
    const data = encodeErrorResult({ abi: portfolioEngineAbi, errorName: 'UnsafePortfolio', args: [zeroAddress, 9_000n * WAD, 9_500n * WAD, 3n] });
    const e = decodeRevertData(data);
    expect(e?.name).toBe('UnsafePortfolio');
    expect(e?.message).toBe('The portfolio would be unsafe: its worst scenario (#3) is worth 9,000 against a debt of 9,500.');
    const asset = encodeErrorResult({ abi: portfolioEngineAbi, errorName: 'NotPortfolioAsset', args: [`0x${'11'.repeat(32)}`] });
    expect(decodeRevertData(asset)?.message).toMatch(/not an asset of the portfolio/);
  });

  it('decodes library errors absent from the generated ABIs', () => {
    expect(decodeRevertData('0x7939f424')?.name).toBe('TransferFromFailed');
  });

  it('knows a rejected signature and an RPC that is down', () => {
    expect(decodeTxError(new UserRejectedRequestError(new Error('User denied'))).kind).toBe('rejected');
    expect(decodeTxError(new HttpRequestError({ url: 'http://127.0.0.1:8545', details: 'fetch failed' })).kind).toBe('rpc');
  });

  it('falls back for unknown data', () => {
    expect(decodeRevertData('0xdeadbeef')).toBeUndefined();
    expect(decodeTxError(revertedTake('0xdeadbeef')).kind).toBe('contract');
  });

});

describe('wrongChainError', () => {
  it('is undefined on the app chain or before the wallet chain is known', () => {
    expect(wrongChainError(31337, 31337, 'Local (anvil)')).toBeUndefined();
    expect(wrongChainError(undefined, 31337, 'Local (anvil)')).toBeUndefined();
  });
  it('names both chains and says nothing was sent', () => {
    const e = wrongChainError(1, 31337, 'Local (anvil)');
    expect(e).toEqual({
      kind: 'network',
      name: 'Wrong network',
      message: 'Your wallet is on chain 1; switch it to Local (anvil) (31337) first. Nothing was sent.',
    });
  });
});
