'use client';
import { previewTopUpRescue, debtOf } from '@gavel/sdk';
import { useState } from 'react';
import type { Address } from 'viem';
import { approveCall } from '../../actions/approve';
import { setReserveCall, setRescueHookCall } from '../../actions/protection';
import { formatRatio, formatToken, shortAddress } from '../../lib/format';
import { validateReserveForm, type ReserveForm } from '../../lib/protection';
import type { AllowedHook, Protection } from '../../queries/protection';
import type { VaultRow } from '../../queries/vaults';
import { useTransaction, type UseTransaction } from '../../tx/useTransaction';
import { useDeployment } from '../DeploymentContext';
import { Field } from '../Field';
import { TxStatus } from '../TxStatus';
import { Button } from '../ui';

const NONE = '';

function hookLabel(h: AllowedHook): string {
  return h.kind === 'top-up' ? `Collateral top-up · ${shortAddress(h.address)}` : `Allowed hook · ${shortAddress(h.address)}`;
}

const isBusy = (...txs: UseTransaction[]): boolean => txs.some((t) => t.state.status === 'simulating' || t.state.status === 'signing' || t.state.status === 'pending');

/** Register or remove a rescue hook from governance's allow-list; fund, approve and withdraw the top-up reserve. */
export function RescueHookPanel({ row, protection, own }: { row: VaultRow; protection: Protection; own: boolean }) {
  const d = useDeployment();
  const p = protection;
  const registered = p.hook;
  const [selected, setSelected] = useState<string>(registered ?? p.allowedHooks[0]?.address ?? NONE);
  const hookTx = useTransaction();
  const removeTx = useTransaction();
  const registeredKind = registered && p.topUp && registered.toLowerCase() === p.topUp.address.toLowerCase() ? 'top-up' : registered ? 'other' : undefined;
  const selectedIsTopUp = p.topUp !== undefined && selected.toLowerCase() === p.topUp.address.toLowerCase();
  const busy = isBusy(hookTx, removeTx);
  return (
    <div className="space-y-3" data-testid="hook-panel" data-hook={registered ?? ''} data-hook-kind={registeredKind ?? 'none'}>
      <p className="text-sm" data-testid="hook-status">
        {registered ? (
          <>
            Rescue hook: <span className="font-semibold">{registeredKind === 'top-up' ? 'Collateral top-up' : 'Allowed hook'}</span> <span className="num text-muted">{shortAddress(registered)}</span>. A
            liquidation calls it first; if the vault is safe afterwards, nothing is sold.
          </>
        ) : (
          <>No rescue hook: a liquidation goes straight to auction.</>
        )}
      </p>
      {registered && !p.hookAllowed && (
        <p className="rounded bg-warn/15 px-3 py-2 text-sm text-warn" role="alert" data-testid="hook-not-allowed">
          Governance no longer allows this hook: liquidations skip it. Remove it or pick another.
        </p>
      )}
      {own && (
        <div className="flex flex-wrap items-end gap-2">
          <div className="w-full">
            <label htmlFor={`hook-select-${row.ilk.name}`} className="mb-1 block text-xs text-muted">
              Allowed hooks (governance allow-list)
            </label>
            <select
              id={`hook-select-${row.ilk.name}`}
              data-testid="hook-select"
              value={selected}
              onChange={(e) => {
                setSelected(e.target.value);
              }}
              className="w-full rounded-lg border border-line bg-ink px-2 py-2 text-sm"
            >
              {p.allowedHooks.length === 0 && <option value={NONE}>None allowed</option>}
              {p.allowedHooks.map((h) => (
                <option key={h.address} value={h.address}>
                  {hookLabel(h)}
                </option>
              ))}
            </select>
          </div>
          <Button
            testId="hook-register"
            disabled={busy || selected === NONE || selected.toLowerCase() === registered?.toLowerCase()}
            onClick={() => {
              void hookTx.send(setRescueHookCall({ liquidationEngine: d.liquidationEngine, ilk: row.ilk.id, hook: selected as Address, label: 'Register rescue hook' }));
            }}
          >
            Register
          </Button>
          {registered && (
            <Button
              kind="secondary"
              testId="hook-remove"
              disabled={busy}
              onClick={() => {
                void removeTx.send(setRescueHookCall({ liquidationEngine: d.liquidationEngine, ilk: row.ilk.id, hook: undefined, label: 'Remove rescue hook' }));
              }}
            >
              Remove
            </Button>
          )}
        </div>
      )}
      <TxStatus state={hookTx.state} testId="hook-register-status" />
      <TxStatus state={removeTx.state} testId="hook-remove-status" />
      {p.topUp && (registeredKind === 'top-up' || (own && selectedIsTopUp)) && <TopUpReserve row={row} topUp={p.topUp} own={own} registered={registeredKind === 'top-up'} />}
    </div>
  );
}

type TopUp = NonNullable<Protection['topUp']>;

/** The owner's reserve for the top-up hook: what it holds, what a rescue would add at today's price, and its form. */
function TopUpReserve({ row, topUp, own, registered }: { row: VaultRow; topUp: TopUp; own: boolean; registered: boolean }) {
  const r = topUp.reserve;
  const [form, setForm] = useState<ReserveForm>({ amount: '', targetHealth: r.maxAmount > 0n ? formatRatio(r.targetHealthWad) : '1.50' });
  const [touched, setTouched] = useState(false);
  const setTx = useTransaction();
  const approveTx = useTransaction();
  const clearTx = useTransaction();
  const revokeTx = useTransaction();
  const busy = isBusy(setTx, approveTx, clearTx, revokeTx);
  const v = validateReserveForm(form, row.ilk.decimals);
  const errors = v.ok ? {} : v.errors;
  const needsApproval = v.ok && topUp.allowance < v.reserve.maxAmount;
  const fmt = (x: bigint): string => `${formatToken(x, row.ilk.decimals)} ${row.symbol}`;
  const debt = debtOf(row.normalizedDebt, row.rate);
  const preview = r.maxAmount > 0n && debt > 0n
    ? previewTopUpRescue({ collateral: row.collateral, normalizedDebt: row.normalizedDebt, debt }, { spot: row.spot, rate: row.rate, scale: row.scale }, { reserve: r, balance: topUp.balance, allowance: topUp.allowance })
    : undefined;
  return (
    <div className="space-y-3 rounded-lg border border-line px-3 py-3" data-testid="topup-reserve" data-max-amount={r.maxAmount.toString()} data-allowance={topUp.allowance.toString()}>
      <div className="text-xs font-semibold uppercase tracking-wide text-muted">Top-up reserve</div>
      {r.maxAmount === 0n ? (
        <p className="text-sm text-muted" data-testid="topup-reserve-empty">
          No reserve: {registered ? 'the hook has nothing to add.' : 'set one, approve it, then register the hook.'}
        </p>
      ) : (
        <dl className="num grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted">Reserve left</dt>
          <dd data-testid="topup-reserve-amount">{fmt(r.maxAmount)}</dd>
          <dt className="text-muted">Tops up to health</dt>
          <dd data-testid="topup-reserve-target">{formatRatio(r.targetHealthWad)}</dd>
          <dt className="text-muted">Approved to the hook</dt>
          <dd data-testid="topup-reserve-allowance">{fmt(topUp.allowance)}</dd>
          <dt className="text-muted">In your wallet</dt>
          <dd>{fmt(topUp.balance)}</dd>
        </dl>
      )}
      {r.maxAmount > 0n && topUp.allowance < r.maxAmount && (
        <p className="text-xs text-warn" data-testid="topup-underapproved">
          Only {fmt(topUp.allowance)} is approved: a rescue can use no more. Approve the hook for the whole reserve.
        </p>
      )}
      {r.maxAmount > 0n && topUp.balance < r.maxAmount && <p className="text-xs text-warn">Your wallet holds less than the reserve: a rescue can use no more than the balance.</p>}
      {preview && (
        <p className="num rounded-lg border border-line bg-ink/60 px-3 py-2 text-sm" data-testid="topup-preview" data-amount={preview.amount.toString()} data-rescues={preview.rescues ? 'true' : 'false'}>
          {preview.amount === 0n
            ? `At today's price a rescue would add nothing: the vault is at or above its target health of ${formatRatio(r.targetHealthWad)}, or nothing is usable.`
            : `At today's price a rescue would add ${fmt(preview.amount)}, health ${formatRatio(row.chainHealth)} → ${formatRatio(preview.healthAfterWad)}${preview.rescues ? '' : ' (still below the line: the liquidation would go on)'}.`}
        </p>
      )}
      {own && (
        <>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field
              label={`Reserve, ${row.symbol}`}
              value={form.amount}
              onChange={(s) => {
                setForm((f) => ({ ...f, amount: s }));
                setTouched(true);
              }}
              error={touched ? errors.amount : undefined}
              testId="topup-amount"
              hint={<span className="num">Wallet {formatToken(topUp.balance, row.ilk.decimals)}</span>}
            />
            <Field
              label="Top up to health"
              value={form.targetHealth}
              onChange={(s) => {
                setForm((f) => ({ ...f, targetHealth: s }));
                setTouched(true);
              }}
              error={touched ? errors.targetHealth : undefined}
              testId="topup-target"
            />
          </div>
          <div className="flex flex-wrap gap-2">
            <Button
              testId="topup-set"
              disabled={!v.ok || busy}
              onClick={() => {
                if (!v.ok) return;
                void setTx.send(setReserveCall({ hook: topUp.address, ilk: row.ilk.id, maxAmount: v.reserve.maxAmount, targetHealthWad: v.reserve.targetHealthWad, label: `Set reserve ${fmt(v.reserve.maxAmount)}` })).then((rc) => {
                  if (rc) {
                    setForm((f) => ({ ...f, amount: '' }));
                    setTouched(false);
                  }
                });
              }}
            >
              Set reserve
            </Button>
            {(needsApproval || (form.amount === '' && topUp.allowance < r.maxAmount)) && (
              <Button
                kind="secondary"
                testId="topup-approve"
                disabled={busy}
                onClick={() => {
                  const amount = v.ok ? v.reserve.maxAmount : r.maxAmount;
                  void approveTx.send(approveCall({ token: row.ilk.token, spender: topUp.address, amount, label: `Approve ${fmt(amount)} to the hook` }));
                }}
              >
                Approve {v.ok ? fmt(v.reserve.maxAmount) : fmt(r.maxAmount)}
              </Button>
            )}
            {r.maxAmount > 0n && (
              <Button
                kind="secondary"
                testId="topup-withdraw"
                disabled={busy}
                onClick={() => {
                  void clearTx.send(setReserveCall({ hook: topUp.address, ilk: row.ilk.id, maxAmount: 0n, targetHealthWad: 0n, label: 'Withdraw reserve' }));
                }}
              >
                Withdraw reserve
              </Button>
            )}
            {r.maxAmount === 0n && topUp.allowance > 0n && (
              <Button
                kind="secondary"
                testId="topup-revoke"
                disabled={busy}
                onClick={() => {
                  void revokeTx.send(approveCall({ token: row.ilk.token, spender: topUp.address, amount: 0n, label: 'Revoke the hook’s approval' }));
                }}
              >
                Revoke approval
              </Button>
            )}
          </div>
          <TxStatus state={setTx.state} testId="topup-set-status" />
          <TxStatus state={approveTx.state} testId="topup-approve-status" />
          <TxStatus state={clearTx.state} testId="topup-withdraw-status" />
          <TxStatus state={revokeTx.state} testId="topup-revoke-status" />
        </>
      )}
    </div>
  );
}
