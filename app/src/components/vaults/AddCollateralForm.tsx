'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Address } from 'viem';
import { useConnection } from 'wagmi';
import { approveCall } from '../../actions/approve';
import { depositCall } from '../../actions/vault';
import { formatToken } from '../../lib/format';
import { projectVault, vaultMetrics } from '../../lib/health';
import { validateDeposit } from '../../lib/validation';
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

export function AddCollateralForm({ row, owner }: { row: VaultRow; owner: Address }) {
  const d = useDeployment();
  const { address } = useConnection();
  const [input, setInput] = useState('');
  const wallet = useQuery(tokenWalletQueryOptions(publicClient, row.ilk.token, address, d.engine));
  const approveTx = useTransaction();
  const tx = useTransaction();
  const balance = wallet.data?.balance ?? 0n;
  const v = validateDeposit(input, { decimals: row.ilk.decimals, balance, symbol: row.symbol });
  const needsApproval = v.ok && (wallet.data?.allowance ?? 0n) < v.value;
  const busy = [approveTx.state, tx.state].some((s) => s.status === 'simulating' || s.status === 'signing' || s.status === 'pending');
  const before = vaultMetrics(vaultInputs(row));
  const after = v.ok ? projectVault(vaultInputs(row), v.value, 0n) : undefined;
  if (!address) return <p className="text-sm text-muted">Connect a wallet to add collateral.</p>;
  return (
    <div className="space-y-3" data-testid="add-collateral-form">
      <Field
        label={`Add ${row.symbol}`}
        value={input}
        onChange={setInput}
        error={input !== '' && !v.ok ? v.message : undefined}
        testId="add-collateral-amount"
        hint={<span className="num">Balance {formatToken(balance, row.ilk.decimals)}</span>}
      />
      <Projection before={before} after={after} />
      <div className="flex gap-2">
        {needsApproval && (
          <Button
            kind="secondary"
            testId="add-collateral-approve"
            disabled={busy}
            onClick={() => {
              void approveTx.send(approveCall({ token: row.ilk.token, spender: d.engine, amount: v.value, label: `Approve ${formatToken(v.value, row.ilk.decimals)} ${row.symbol}` }));
            }}
          >
            Approve
          </Button>
        )}
        <Button
          testId="add-collateral-submit"
          disabled={!v.ok || needsApproval || busy}
          onClick={() => {
            if (!v.ok) return;
            void tx
              .send(depositCall({ engine: d.engine, ilk: row.ilk.id, owner, amount: v.value, label: `Add ${formatToken(v.value, row.ilk.decimals)} ${row.symbol}` }))
              .then((r) => {
                if (r) setInput('');
              });
          }}
        >
          Add collateral
        </Button>
      </div>
      <TxStatus state={approveTx.state} testId="add-collateral-approve-status" />
      <TxStatus state={tx.state} testId="add-collateral-status" />
    </div>
  );
}
