'use client';
import { useConnection, useSwitchChain } from 'wagmi';
import { CHAIN_ID, RPC_URL } from '../lib/env';
import { useLive } from '../live/useLive';
import { chain } from '../wallet/chain';
import { Button, Notice } from './ui';

/** RPC down and wrong network: the two states that make every action impossible. */
export function NetworkBanner() {
  const { rpcError } = useLive();
  const { isConnected, chainId } = useConnection();
  const switchChain = useSwitchChain();
  const wrong = isConnected && chainId !== undefined && chainId !== CHAIN_ID;
  if (!rpcError && !wrong) return null;
  return (
    <div className="mt-4 space-y-2">
      {rpcError && (
        <Notice tone="bad" title="The RPC node is not answering" testId="rpc-down">
          Cannot reach {RPC_URL}. Figures on this page may be out of date; they refresh by themselves when it is back.
        </Notice>
      )}
      {wrong && (
        <div data-testid="wrong-network">
          <Notice tone="warn" title="Wrong network">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <span>
                Your wallet is on chain {chainId}; Gavel runs on {chain.name} ({CHAIN_ID}).
              </span>
              <Button
                kind="secondary"
                testId="switch-network"
                disabled={switchChain.isPending}
                onClick={() => {
                  switchChain.mutate({ chainId: CHAIN_ID });
                }}
              >
                Switch to {chain.name}
              </Button>
            </div>
            {switchChain.error && <p className="mt-2 text-bad">{switchChain.error.message.split('\n')[0]}</p>}
          </Notice>
        </div>
      )}
    </div>
  );
}
