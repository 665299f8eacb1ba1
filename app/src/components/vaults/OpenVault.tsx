'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useConnection } from 'wagmi';
import { approveCall } from '../../actions/approve';
import { adjustCall } from '../../actions/vault';
import { formatToken, formatWad } from '../../lib/format';
import { debtOf } from '@gavel/sdk';
import { validateAdjust } from '../../lib/validation';
import type { VaultRow } from '../../queries/vaults';
import { tokenWalletQueryOptions } from '../../queries/wallet';
import { useTransaction } from '../../tx/useTransaction';
import { publicClient } from '../../wallet/chain';
import { useDeployment } from '../DeploymentContext';
import { Field } from '../Field';
import { TxStatus } from '../TxStatus';
import { Button, Notice, Panel } from '../ui';
import { RAY } from '@gavel/sdk';

/** Open a vault or add to one of your own: deposit and borrow in one transaction. */
export function OpenVault({ rows }: { rows: VaultRow[] }) {
  const d = useDeployment();
  const { address } = useConnection();
  const [ilkId, setIlkId] = useState(rows[0]?.ilk.id ?? '');
  const [deposit, setDeposit] = useState('');
  const [borrow, setBorrow] = useState('');
  const [touched, setTouched] = useState(false);
  const row = rows.find((r) => r.ilk.id === ilkId) ?? rows[0];
  const wallet = useQuery(tokenWalletQueryOptions(publicClient, row?.ilk.token ?? d.stablecoin, address, d.engine));
  const approveTx = useTransaction();
  const tx = useTransaction();
  if (!row || !address) return null;
  const debt = debtOf(row.normalizedDebt, row.rate);
  const ceilingRad = row.debtCeiling * RAY;
  const room = ceilingRad > row.ilkDebt ? (ceilingRad - row.ilkDebt) / RAY : 0n;
  const v = validateAdjust({
    deposit,
    borrow,
    decimals: row.ilk.decimals,
    symbol: row.symbol,
    collateralBalance: wallet.data?.balance ?? 0n,
    collateral: row.collateral,
    debt,
    spot: row.spot,
    scale: row.scale,
    dust: row.dust,
    room,
  });
  const errors = v.ok ? {} : v.errors;
  const needsApproval = v.ok && v.deposit > 0n && (wallet.data?.allowance ?? 0n) < v.deposit;
  const busy = [approveTx.state, tx.state].some((s) => s.status === 'simulating' || s.status === 'signing' || s.status === 'pending');
  return (
    <Panel title="Open or adjust a vault" testId="open-vault">
      <div className="grid gap-4 md:grid-cols-3">
        <div>
          <label htmlFor="open-ilk" className="mb-1 block text-xs text-muted">
            Collateral type
          </label>
          <select
            id="open-ilk"
            data-testid="open-ilk"
            value={row.ilk.id}
            onChange={(e) => {
              setIlkId(e.target.value);
            }}
            className="w-full rounded-lg border border-line bg-ink px-2 py-2 text-sm"
          >
            {rows.map((r) => (
              <option key={r.ilk.id} value={r.ilk.id}>
                {r.ilk.name}
              </option>
            ))}
          </select>
          <p className="num mt-1 text-xs text-muted">
            Min debt {formatWad(row.dust)} · ratio {formatWad(row.liquidationRatio * 100n, 0)}%
          </p>
        </div>
        <Field
          label={`Deposit ${row.symbol}`}
          value={deposit}
          onChange={(s) => {
            setDeposit(s);
            setTouched(true);
          }}
          error={touched ? errors.deposit : undefined}
          testId="open-deposit"
          hint={<span className="num">Balance {formatToken(wallet.data?.balance ?? 0n, row.ilk.decimals)}</span>}
        />
        <Field
          label="Borrow gUSD"
          value={borrow}
          onChange={(s) => {
            setBorrow(s);
            setTouched(true);
          }}
          error={touched ? errors.borrow : undefined}
          testId="open-borrow"
        />
      </div>
      {touched && errors.form && <Notice tone="warn" title={errors.form} testId="open-form-error" />}
      <div className="mt-4 flex gap-2">
        {needsApproval && (
          <Button
            kind="secondary"
            testId="open-approve"
            disabled={busy}
            onClick={() => {
              void approveTx.send(approveCall({ token: row.ilk.token, spender: d.engine, amount: v.deposit, label: `Approve ${formatToken(v.deposit, row.ilk.decimals)} ${row.symbol}` }));
            }}
          >
            Approve {row.symbol}
          </Button>
        )}
        <Button
          testId="open-submit"
          disabled={!v.ok || needsApproval || busy}
          onClick={() => {
            setTouched(true);
            if (!v.ok) return;
            void tx.send(adjustCall({ engine: d.engine, ilk: row.ilk.id, deposit: v.deposit, borrow: v.borrow, label: 'Adjust vault' })).then((r) => {
              if (r) {
                setDeposit('');
                setBorrow('');
                setTouched(false);
              }
            });
          }}
        >
          {row.collateral === 0n && row.normalizedDebt === 0n ? 'Open vault' : 'Adjust vault'}
        </Button>
      </div>
      <TxStatus state={approveTx.state} testId="open-approve-status" />
      <TxStatus state={tx.state} testId="open-status" />
    </Panel>
  );
}
