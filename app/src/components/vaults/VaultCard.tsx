'use client';
import { effectivePreHealth } from '@gavel/sdk';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Address } from 'viem';
import { formatBps, formatToken, formatWad } from '../../lib/format';
import { vaultMetrics, type VaultInputs } from '../../lib/health';
import { protectionQueryOptions } from '../../queries/protection';
import type { VaultRow } from '../../queries/vaults';
import { publicClient } from '../../wallet/chain';
import { useDeployment } from '../DeploymentContext';
import { Panel } from '../ui';
import { AddCollateralForm } from './AddCollateralForm';
import { LiquidateButton } from '../LiquidateButton';
import { HealthBar } from './HealthBar';
import { PreLiquidationPanel } from './PreLiquidationPanel';
import { ProtectionEvents } from './ProtectionEvents';
import { RepayForm } from './RepayForm';
import { RescueHookPanel } from './RescueHookPanel';
import { VaultHistory } from './VaultHistory';

export function vaultInputs(r: VaultRow): VaultInputs {
  return {
    collateral: r.collateral,
    normalizedDebt: r.normalizedDebt,
    rate: r.rate,
    spot: r.spot,
    scale: r.scale,
    liquidationRatio: r.liquidationRatio,
    mark: r.mark,
    penaltyWad: r.penaltyWad,
  };
}

type Tab = 'add' | 'repay' | 'prelig' | 'hook';

const TAB_LABELS: Record<Tab, string> = { add: 'Add collateral', repay: 'Repay', prelig: 'Pre-liquidation', hook: 'Rescue hook' };

export function VaultCard({ row, owner, own }: { row: VaultRow; owner: Address; own: boolean }) {
  const d = useDeployment();
  const [tab, setTab] = useState<Tab>('add');
  const m = vaultMetrics(vaultInputs(row));
  const hasProtection = d.preLiquidation !== undefined || d.topUpHook !== undefined;
  const protection = useQuery({ ...protectionQueryOptions(publicClient, d, row.ilk, owner), enabled: hasProtection });
  const p = protection.data;
  const preHealth = p?.pre && p.pre.params.preHealthWad !== 0n ? effectivePreHealth(p.pre.params, p.pre.bounds) : undefined;
  const tabs: Tab[] = hasProtection ? ['add', 'repay', 'prelig', 'hook'] : ['add', 'repay'];
  const tone =
    m.state === 'liquidatable' ? 'border-bad/70' : m.state === 'warning' ? 'border-warn/70' : 'border-line';
  return (
    <div className={`rounded-xl border-2 ${tone}`} data-testid={`vault-${row.ilk.name}`} data-state={m.state}>
      <Panel title={`${row.ilk.name} vault${own ? '' : ' (watching)'}`}>
        {m.state === 'liquidatable' && (
          <p className="mb-3 rounded bg-bad/15 px-3 py-2 text-sm text-bad" data-testid="vault-liquidatable" role="alert">
            Below the liquidation ratio: anyone can liquidate this vault now. Add collateral or repay immediately.
          </p>
        )}
        {m.state === 'liquidatable' && (
          <div className="mb-3">
            <LiquidateButton ilk={row.ilk.id} ilkName={row.ilk.name} owner={owner} testId="vault-liquidate" connectHint />
          </div>
        )}
        {m.state === 'warning' && (
          <p className="mb-3 rounded bg-warn/15 px-3 py-2 text-sm text-warn" data-testid="vault-warning" role="alert">
            Close to liquidation: a fall of {m.distanceBps !== undefined ? formatBps(m.distanceBps) : '—'} in the market price liquidates it.
          </p>
        )}
        <dl className="num grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
          <div>
            <dt className="text-xs text-muted">Collateral</dt>
            <dd data-testid="vault-collateral">
              {formatToken(row.collateral, row.ilk.decimals)} {row.symbol}
            </dd>
            <dd className="text-xs text-muted">≈ {formatWad(m.collateralValue)} gUSD</dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Debt</dt>
            <dd data-testid="vault-debt">{formatWad(m.debt, 4)} gUSD</dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Liquidation price</dt>
            <dd data-testid="vault-liquidation-price">{m.liquidationPrice !== undefined ? formatWad(m.liquidationPrice) : '—'}</dd>
            <dd className="text-xs text-muted">mark {formatWad(row.mark)}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Distance to liquidation</dt>
            <dd data-testid="vault-distance" data-bps={m.distanceBps?.toString()} className={m.distanceBps !== undefined && m.distanceBps <= 0n ? 'text-bad' : ''}>
              {m.distanceBps === undefined ? '—' : m.distanceBps > 0n ? `a ${formatBps(m.distanceBps)} fall` : 'none: past it'}
            </dd>
            {m.distanceBps !== undefined && m.distanceBps < 0n && <dd className="text-xs text-muted">mark {formatBps(-m.distanceBps)} below it</dd>}
          </div>
          <div className="col-span-2">
            <HealthBar health={m.health} state={m.state} liquidationRatio={row.liquidationRatio} preHealth={preHealth} />
          </div>
          <div className="col-span-2">
            <dt className="text-xs text-muted">If liquidated now</dt>
            <dd data-testid="vault-penalty">
              penalty {formatWad(m.penaltyCost)} gUSD ({formatBps(((row.penaltyWad - 10n ** 18n) * 10_000n) / 10n ** 18n)} of the debt)
            </dd>
          </div>
        </dl>
        <div className="mt-5 border-t border-line pt-4">
          {p && <ProtectionEvents row={row} events={p.events} />}
          <div className="mb-3 flex flex-wrap gap-1 text-sm" role="tablist">
            {tabs.map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                data-testid={`vault-tab-${t}`}
                onClick={() => {
                  setTab(t);
                }}
                className={`rounded-md px-3 py-1.5 ${tab === t ? 'bg-line text-white' : 'text-muted hover:text-white'}`}
              >
                {TAB_LABELS[t]}
              </button>
            ))}
          </div>
          {tab === 'add' ? (
            <AddCollateralForm row={row} owner={owner} />
          ) : tab === 'repay' ? (
            <RepayForm row={row} owner={owner} />
          ) : !p ? (
            <p className="text-sm text-muted" data-testid="protection-loading">
              {protection.isError ? 'Could not read the vault’s protection from the chain.' : 'Reading the vault’s protection…'}
            </p>
          ) : tab === 'prelig' ? (
            p.pre ? <PreLiquidationPanel row={row} pre={p.pre} own={own} /> : <p className="text-sm text-muted">This deployment has no pre-liquidation.</p>
          ) : (
            <RescueHookPanel row={row} protection={p} own={own} />
          )}
        </div>
        <VaultHistory ilk={row.ilk.id} owner={owner} />
      </Panel>
    </div>
  );
}
