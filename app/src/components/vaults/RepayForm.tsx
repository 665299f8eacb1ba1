'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Address } from 'viem';
import { useConnection } from 'wagmi';
import { repayCall } from '../../actions/vault';
import { formatWad, toInputString } from '../../lib/format';
import { projectVault, vaultMetrics } from '../../lib/health';
import { validateRepay } from '../../lib/validation';
import type { VaultRow } from '../../queries/vaults';
import { tokenWalletQueryOptions } from '../../queries/wallet';
import { useTransaction } from '../../tx/useTransaction';
import { publicClient } from '../../wallet/chain';
import { useDeployment } from '../DeploymentContext';
import { Field } from '../Field';
import { TxStatus } from '../TxStatus';
import { Button } from '../ui';
import { Projection } from './Projection';
import { vaultInputs } from './VaultCard';

/**
 * Repay: the vault engine burns the payer's gUSD itself (it is the stablecoin's minter), so no
 * approve or permit is needed: one transaction.
 */
export function RepayForm({ row, owner }: { row: VaultRow; owner: Address }) {
  const d = useDeployment();
  const { address } = useConnection();
  const [input, setInput] = useState('');
  const wallet = useQuery(tokenWalletQueryOptions(publicClient, d.stablecoin, address, d.engine));
  const tx = useTransaction();
  const before = vaultMetrics(vaultInputs(row));
  const balance = wallet.data?.balance ?? 0n;
  const v = validateRepay(input, { debt: before.debt, balance, dust: row.dust });
  const after = v.ok ? projectVault(vaultInputs(row), 0n, -v.value) : undefined;
  const busy = tx.state.status === 'simulating' || tx.state.status === 'signing' || tx.state.status === 'pending';
  if (!address) return <p className="text-sm text-muted">Connect a wallet to repay.</p>;
  const max = before.debt < balance ? before.debt : balance;
  return (
    <div className="space-y-3" data-testid="repay-form">
      <Field
        label="Repay gUSD"
        value={input}
        onChange={setInput}
        error={input !== '' && !v.ok ? v.message : undefined}
        testId="repay-amount"
        hint={<span className="num">Balance {formatWad(balance, 4)}</span>}
        suffix={
          <button type="button" className="ml-2 text-xs font-semibold text-accent" data-testid="repay-max" onClick={() => { setInput(toInputString(max, 18)); }}>
            MAX
          </button>
        }
      />
      <Projection before={before} after={after} />
      <p className="text-xs text-muted">No approval needed: the vault engine burns the gUSD directly.</p>
      <Button
        testId="repay-submit"
        disabled={!v.ok || busy}
        onClick={() => {
          if (!v.ok) return;
          void tx.send(repayCall({ engine: d.engine, ilk: row.ilk.id, owner, amount: v.value, label: `Repay ${formatWad(v.value, 4)} gUSD` })).then((r) => {
            if (r) setInput('');
          });
        }}
      >
        Repay
      </Button>
      <TxStatus state={tx.state} testId="repay-status" />
    </div>
  );
}
