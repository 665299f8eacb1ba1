'use client';
// The one way the app sends a transaction: simulate (eth_call, so a revert is caught and named
// before the wallet opens), sign, wait for the receipt (receipt.ts: not only on new blocks), then
// refresh every chain read.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { Address, TransactionReceipt } from 'viem';
import { useConfig } from 'wagmi';
import { getConnection, sendTransaction } from 'wagmi/actions';
import { CHAIN_ID } from '../lib/env.ts';
import { decodeTxError, wrongChainError } from '../lib/errors.ts';
import { CHAIN_KEY } from '../lib/liveKeys.ts';
import { chain, publicClient } from '../wallet/chain.ts';
import { waitForReceipt } from './receipt.ts';
import type { Call, TxState } from './types.ts';

export interface UseTransaction {
  state: TxState;
  /** Runs the call; resolves with the receipt when mined, undefined when it failed (see state). */
  send: (call: Call) => Promise<TransactionReceipt | undefined>;
  reset: () => void;
}

export function useTransaction(): UseTransaction {
  const config = useConfig();
  const queryClient = useQueryClient();
  const [state, setState] = useState<TxState>({ status: 'idle' });

  const send = useCallback(
    async (call: Call): Promise<TransactionReceipt | undefined> => {
      const { label } = call;
      const connection = getConnection(config);
      const account: Address | undefined = connection.address;
      if (!account) {
        setState({ status: 'failed', label, error: { kind: 'unknown', name: 'No wallet', message: 'Connect a wallet first.' } });
        return undefined;
      }
      // A wallet on another chain would sign and send there (wagmi does not check the chain of a
      // call without a chainId): refuse before the wallet is asked anything.
      const wrongChain = wrongChainError(connection.chainId, CHAIN_ID, chain.name);
      if (wrongChain) {
        setState({ status: 'failed', label, error: wrongChain });
        return undefined;
      }
      try {
        setState({ status: 'simulating', label });
        await publicClient.call({ account, to: call.to, data: call.data });
        setState({ status: 'signing', label });
        const hash = await sendTransaction(config, { account, chainId: CHAIN_ID, to: call.to, data: call.data });
        setState({ status: 'pending', label, hash });
        const receipt = await waitForReceipt(publicClient, hash);
        if (receipt.status === 'reverted') {
          // Replay at the block it failed in to learn why.
          let error = { kind: 'contract' as const, name: 'Reverted', message: 'The transaction reverted on chain.' };
          try {
            await publicClient.call({ account, to: call.to, data: call.data, blockNumber: receipt.blockNumber });
          } catch (e) {
            const decoded = decodeTxError(e);
            if (decoded.kind === 'contract') error = { ...decoded, kind: 'contract' };
          }
          setState({ status: 'failed', label, error, hash });
          return undefined;
        }
        setState({ status: 'mined', label, hash, receipt });
        return receipt;
      } catch (e) {
        setState({ status: 'failed', label, error: decodeTxError(e) });
        return undefined;
      } finally {
        await queryClient.invalidateQueries({ queryKey: CHAIN_KEY });
      }
    },
    [config, queryClient],
  );

  const reset = useCallback(() => {
    setState({ status: 'idle' });
  }, []);
  return { state, send, reset };
}
