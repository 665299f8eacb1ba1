'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useConnection } from 'wagmi';
import { shortAddress } from '../../lib/format';
import { validateAddress } from '../../lib/validation';
import { vaultsQueryOptions } from '../../queries/vaults';
import { publicClient } from '../../wallet/chain';
import { useDeployment } from '../DeploymentContext';
import { Field } from '../Field';
import { QueryState } from '../QueryState';
import { Notice } from '../ui';
import { OpenVault } from './OpenVault';
import { ClosedVaultHistory } from './ClosedVaultHistory';
import { VaultCard } from './VaultCard';

export function VaultsPage() {
  const { address } = useConnection();
  // ?owner=0x… (the overview's unsafe list links here) prefills the search.
  const params = useSearchParams();
  const [typed, setTyped] = useState(params.get('owner') ?? '');
  const parsed = validateAddress(typed);
  const owner = typed.trim() === '' ? address : parsed.ok ? parsed.value : undefined;
  const d = useDeployment();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Vaults</h1>
          <p className="text-sm text-muted">Health, liquidation price and rescue. Anyone may add collateral to or repay any vault.</p>
          {owner && d.portfolioEngine && (
            <Link href={`/portfolio/${owner}`} className="mt-1 inline-block text-sm text-accent" data-testid="vaults-portfolio-link">
              {owner === address ? 'My portfolio vault' : `Portfolio vault of ${shortAddress(owner)}`} →
            </Link>
          )}
        </div>
        <div className="w-full max-w-md">
          <Field
            label="Vault owner"
            value={typed}
            onChange={setTyped}
            error={typed.trim() !== '' && !parsed.ok ? parsed.message : undefined}
            testId="vault-owner"
            placeholder={address ?? '0x… any address'}
            inputMode="text"
          />
        </div>
      </div>
      {owner ? (
        <VaultList owner={owner} own={owner === address} />
      ) : typed.trim() === '' ? (
        <Notice tone="info" title="Connect a wallet to see your vaults, or type any address" testId="vaults-no-wallet" />
      ) : null}
    </div>
  );
}

function VaultList({ owner, own }: { owner: `0x${string}`; own: boolean }) {
  const d = useDeployment();
  const q = useQuery(vaultsQueryOptions(publicClient, d, owner));
  return (
    <QueryState query={q} what="the vaults">
      {(rows) => {
        const open = rows.filter((r) => r.collateral > 0n || r.normalizedDebt > 0n);
        const empty = rows.filter((r) => r.collateral === 0n && r.normalizedDebt === 0n);
        return (
          <div className="space-y-6">
            {open.length === 0 && (
              <Notice tone="info" title={`${own ? 'You have' : `${shortAddress(owner)} has`} no open vault`} testId="no-vaults" />
            )}
            <div className="grid gap-6 md:grid-cols-2">
              {open.map((r) => (
                <VaultCard key={r.ilk.id} row={r} owner={owner} own={own} />
              ))}
            </div>
            {empty.length > 0 && (
              <div className="grid gap-6 md:grid-cols-2">
                {empty.map((r) => (
                  <ClosedVaultHistory key={r.ilk.id} ilk={r.ilk} owner={owner} />
                ))}
              </div>
            )}
            {own && <OpenVault rows={rows} />}
          </div>
        );
      }}
    </QueryState>
  );
}
