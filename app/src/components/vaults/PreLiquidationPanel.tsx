'use client';
import { debtOf, effectivePreHealth, preLiquidationQuote, preLiquidationVaultAfter, previewPreLiquidation, type PreLiquidationParams } from '@gavel/sdk';
import { useState } from 'react';
import { optOutCall, setPreLiquidationParamsCall } from '../../actions/protection';
import { formatRatio, formatToken, formatWad } from '../../lib/format';
import { bpsPercent, preLiquidationFormFrom, validatePreLiquidationForm, wadPercent, type PreLiquidationForm } from '../../lib/protection';
import type { Protection } from '../../queries/protection';
import type { VaultRow } from '../../queries/vaults';
import { useTransaction } from '../../tx/useTransaction';
import { Field } from '../Field';
import { TxStatus } from '../TxStatus';
import { Button } from '../ui';

type Pre = NonNullable<Protection['pre']>;

/** Opt in, change or opt out of pre-liquidation, with a preview of what one would do at today's price. */
export function PreLiquidationPanel({ row, pre, own }: { row: VaultRow; pre: Pre; own: boolean }) {
  const optedIn = pre.params.preHealthWad !== 0n;
  const [form, setForm] = useState<PreLiquidationForm>(() => preLiquidationFormFrom(pre.params, pre.bounds));
  const [touched, setTouched] = useState(false);
  const tx = useTransaction();
  const outTx = useTransaction();
  const v = validatePreLiquidationForm(form, pre.bounds);
  const errors = v.ok ? {} : v.errors;
  const busy = [tx.state, outTx.state].some((s) => s.status === 'simulating' || s.status === 'signing' || s.status === 'pending');
  // The preview follows what the form says when it is valid (what the owner is about to choose), else what is on chain.
  const previewParams: PreLiquidationParams | undefined = own && v.ok ? v.params : optedIn ? pre.params : undefined;
  const set = (k: keyof PreLiquidationForm) => (s: string) => {
    setForm((f) => ({ ...f, [k]: s }));
    setTouched(true);
  };
  return (
    <div className="space-y-3" data-testid="prelig-panel" data-opted-in={optedIn ? 'true' : 'false'}>
      <p className="text-sm" data-testid="prelig-status">
        {optedIn ? (
          <>
            Opted in: below health <span className="num font-semibold">{formatRatio(effectivePreHealth(pre.params, pre.bounds))}</span> anyone may close{' '}
            <span className="num">{bpsPercent(pre.params.closeFactorStartBps)}%</span>–<span className="num">{bpsPercent(pre.params.closeFactorEndBps)}%</span> of the debt at a{' '}
            <span className="num">{wadPercent(pre.params.incentiveStartWad)}%</span>–<span className="num">{wadPercent(pre.params.incentiveEndWad)}%</span> incentive, rising toward the line.
          </>
        ) : (
          <>Not opted in: past the line the whole vault is liquidated with the {wadPercent(row.penaltyWad)}% penalty.</>
        )}
      </p>
      <p className="num text-xs text-muted" data-testid="prelig-bounds">
        Governance allows a pre-threshold up to {formatRatio(pre.bounds.maxPreHealthWad)}, an incentive up to {wadPercent(pre.bounds.maxIncentiveWad)}% (and never above
        the {wadPercent(row.penaltyWad)}% penalty), a close factor up to {bpsPercent(pre.bounds.maxCloseFactorBps)}%.
      </p>
      {own && (
        <>
          <div className="grid gap-3 sm:grid-cols-2">
            <div className="sm:col-span-2">
              <Field label="Pre-threshold health" value={form.preHealth} onChange={set('preHealth')} error={touched ? errors.preHealth : undefined} testId="prelig-pre-health" />
            </div>
            <Field label="Incentive at pre-threshold, %" value={form.incentiveStart} onChange={set('incentiveStart')} error={touched ? errors.incentiveStart : undefined} testId="prelig-incentive-start" />
            <Field label="Incentive at the line, %" value={form.incentiveEnd} onChange={set('incentiveEnd')} error={touched ? errors.incentiveEnd : undefined} testId="prelig-incentive-end" />
            <Field label="Close factor at pre-threshold, %" value={form.closeFactorStart} onChange={set('closeFactorStart')} error={touched ? errors.closeFactorStart : undefined} testId="prelig-close-start" />
            <Field label="Close factor at the line, %" value={form.closeFactorEnd} onChange={set('closeFactorEnd')} error={touched ? errors.closeFactorEnd : undefined} testId="prelig-close-end" />
          </div>
          <div className="flex flex-wrap gap-2">
            <Button
              testId="prelig-submit"
              disabled={!v.ok || busy}
              onClick={() => {
                setTouched(true);
                if (!v.ok) return;
                void tx.send(setPreLiquidationParamsCall({ preLiquidation: pre.address, ilk: row.ilk.id, params: v.params, label: optedIn ? 'Update pre-liquidation' : 'Opt into pre-liquidation' }));
              }}
            >
              {optedIn ? 'Update parameters' : 'Opt in'}
            </Button>
            {optedIn && (
              <Button
                kind="secondary"
                testId="prelig-opt-out"
                disabled={busy}
                onClick={() => {
                  void outTx.send(optOutCall({ preLiquidation: pre.address, ilk: row.ilk.id }));
                }}
              >
                Opt out
              </Button>
            )}
          </div>
          <TxStatus state={tx.state} testId="prelig-status-tx" />
          <TxStatus state={outTx.state} testId="prelig-opt-out-status" />
        </>
      )}
      {previewParams && <PreLiquidationPreview row={row} pre={pre} params={previewParams} />}
    </div>
  );
}

/** What a pre-liquidation of the whole allowed share would do now, by the SDK's mirror of `quote` and `preLiquidate`. */
function PreLiquidationPreview({ row, pre, params }: { row: VaultRow; pre: Pre; params: PreLiquidationParams }) {
  const debt = debtOf(row.normalizedDebt, row.rate);
  const q = preLiquidationQuote({
    params,
    bounds: pre.bounds,
    healthWad: row.chainHealth,
    debt,
    spot: row.spot,
    liquidationRatio: row.liquidationRatio,
    penaltyWad: row.penaltyWad,
  });
  const box = 'rounded-lg border border-line bg-ink/60 px-3 py-2 text-sm';
  if (!q.ok) {
    const why =
      q.error === 'VaultAbovePreThreshold'
        ? `Not in the band at today's price: health ${formatRatio(q.healthWad)} is at or above the pre-threshold ${formatRatio(q.preHealthWad)}. Nothing can be pre-liquidated now.`
        : q.error === 'VaultLiquidatable'
          ? `Past the liquidation line (health ${formatRatio(q.healthWad)}): a full liquidation applies instead.`
          : 'Not opted in.';
    return (
      <p className={`${box} text-muted`} data-testid="prelig-preview" data-outcome={q.error}>
        {why}
      </p>
    );
  }
  const { repaid, collateralOut } = previewPreLiquidation(q.quote, q.quote.maxRepay, row.scale);
  const after = preLiquidationVaultAfter({ collateral: row.collateral, normalizedDebt: row.normalizedDebt }, { rate: row.rate, spot: row.spot, scale: row.scale, dust: row.dust }, repaid, collateralOut);
  return (
    <div className={box} data-testid="prelig-preview" data-outcome={after.belowDust ? 'DebtBelowDust' : 'quoted'} data-repaid={repaid.toString()} data-collateral-out={collateralOut.toString()}>
      <div className="mb-1 text-xs font-semibold uppercase tracking-wide text-warn">In the band now: a pre-liquidation at today&apos;s price</div>
      <dl className="num grid grid-cols-2 gap-x-4 gap-y-1">
        <dt className="text-muted">Debt closed</dt>
        <dd data-testid="prelig-preview-repaid">{formatWad(repaid, 4)} gUSD</dd>
        <dt className="text-muted">Collateral taken</dt>
        <dd data-testid="prelig-preview-collateral">
          {formatToken(collateralOut, row.ilk.decimals)} {row.symbol}
        </dd>
        <dt className="text-muted">Incentive</dt>
        <dd data-testid="prelig-preview-incentive">{wadPercent(q.quote.incentiveWad)}%</dd>
        <dt className="text-muted">Health after</dt>
        <dd data-testid="prelig-preview-health">
          {formatRatio(q.quote.healthWad)} → {after.debt === 0n ? 'no debt' : formatRatio(after.healthWad)}
        </dd>
      </dl>
      {after.belowDust && <p className="mt-1 text-xs text-bad">The engine would refuse it: the debt left would be below the minimum debt of {formatWad(row.dust)} gUSD.</p>}
    </div>
  );
}
