'use client';
import type { Address, Hex } from 'viem';
import { useConnection } from 'wagmi';
import { liquidateCall } from '../actions/liquidate';
import { CHAIN_ID } from '../lib/env';
import { shortAddress } from '../lib/format';
import { useTransaction } from '../tx/useTransaction';
import { useDeployment } from './DeploymentContext';
import { TxStatus } from './TxStatus';
import { Button } from './ui';

/**
 * Liquidates an unsafe vault from the connected wallet (the liquidation incentive goes to it). The
 * transaction hook simulates first, so a vault that turned safe or was liquidated meanwhile is
 * named before the wallet opens.
 */
export function LiquidateButton({
  ilk,
  ilkName,
  owner,
  testId = 'liquidate',
  connectHint = false,
}: {
  ilk: Hex;
  ilkName: string;
  owner: Address;
  testId?: string;
  /** Say next to the button that a wallet is needed (where nothing else on screen does). */
  connectHint?: boolean;
}) {
  const d = useDeployment();
  const { address, isConnected, chainId } = useConnection();
  const tx = useTransaction();
  const busy = tx.state.status === 'simulating' || tx.state.status === 'signing' || tx.state.status === 'pending';
  const done = tx.state.status === 'mined';
  const wrongNetwork = isConnected && chainId !== CHAIN_ID;
  return (
    <div className="min-w-0">
      <Button
        kind="danger"
        testId={testId}
        disabled={!address || busy || done || wrongNetwork}
        onClick={() => {
          if (!address) return;
          void tx.send(liquidateCall({ liquidationEngine: d.liquidationEngine, ilk, owner, rewardRecipient: address, label: `Liquidate ${ilkName} vault of ${shortAddress(owner)}` }));
        }}
      >
        {done ? 'Liquidated' : 'Liquidate'}
      </Button>
      {connectHint && !address && <span className="ml-3 text-xs text-muted">Connect a wallet to liquidate it (the incentive goes to you).</span>}
      <TxStatus state={tx.state} testId={`${testId}-status`} />
    </div>
  );
}
