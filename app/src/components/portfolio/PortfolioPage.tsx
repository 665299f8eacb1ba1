'use client';
import Link from 'next/link';
import { useState } from 'react';
import type { Address } from 'viem';
import { useConnection } from 'wagmi';
import { shortAddress } from '../../lib/format';
import { validateAddress } from '../../lib/validation';
import { useDeployment } from '../DeploymentContext';
import { Field } from '../Field';
import { QueryState } from '../QueryState';
import { Notice } from '../ui';
import { PortfolioActions } from './PortfolioActions';
import { PortfolioAssets } from './PortfolioAssets';
import { PortfolioScenarios } from './PortfolioScenarios';
import { PortfolioSummary } from './PortfolioSummary';
import { usePortfolio } from './usePortfolio';

/** Shown instead of any portfolio UI when the deployment has no PortfolioEngine. */
function NoPortfolios() {
  return <Notice tone="info" title="This deployment has no portfolio vaults" testId="no-portfolio-engine" />;
}

/** `/portfolio`: the connected wallet's portfolio, or any address typed in. */
export function PortfolioIndexPage() {
  const d = useDeployment();
  const { address } = useConnection();
  const [typed, setTyped] = useState('');
  const parsed = validateAddress(typed);
  const owner = typed.trim() === '' ? address : parsed.ok ? parsed.value : undefined;
  if (!d.portfolioEngine) return <NoPortfolios />;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <PortfolioHeading />
        <div className="w-full max-w-md">
          <Field
            label="Portfolio owner"
            value={typed}
            onChange={setTyped}
            error={typed.trim() !== '' && !parsed.ok ? parsed.message : undefined}
            testId="portfolio-owner"
            placeholder={address ?? '0x… any address'}
            inputMode="text"
          />
        </div>
      </div>
      {owner ? (
        <Portfolio engine={d.portfolioEngine} owner={owner} own={owner === address} />
      ) : typed.trim() === '' ? (
        <Notice tone="info" title="Connect a wallet to see your portfolio, or type any address" testId="portfolio-no-wallet" />
      ) : null}
    </div>
  );
}

/** `/portfolio/<owner>`: one owner's portfolio. */
export function PortfolioOwnerPage({ owner }: { owner: string }) {
  const d = useDeployment();
  const { address } = useConnection();
  const parsed = validateAddress(decodeURIComponent(owner));
  if (!d.portfolioEngine) return <NoPortfolios />;
  if (!parsed.ok) return <Notice tone="bad" title="Not an address" testId="bad-portfolio-owner">{owner}</Notice>;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <PortfolioHeading owner={parsed.value} />
        {address && address !== parsed.value && (
          <Link href={`/portfolio/${address}`} className="text-sm text-accent" data-testid="portfolio-mine">
            My portfolio →
          </Link>
        )}
      </div>
      <Portfolio engine={d.portfolioEngine} owner={parsed.value} own={parsed.value === address} />
    </div>
  );
}

function PortfolioHeading({ owner }: { owner?: Address }) {
  return (
    <div className="min-w-0">
      <h1 className="text-2xl font-bold" title={owner}>
        Portfolio{owner ? ` ${shortAddress(owner)}` : ''}
      </h1>
      <p className="text-sm text-muted">
        Several collaterals against one debt, safe while every stress scenario of governance&apos;s table covers it. Anyone may deposit to or
        repay any portfolio.
      </p>
    </div>
  );
}

/** One owner's portfolio: the figures, the holdings with their what-if, the scenarios and the actions. */
export function Portfolio({ engine, owner, own }: { engine: Address; owner: Address; own: boolean }) {
  const p = usePortfolio(engine, owner);
  return (
    <QueryState query={p.query} what="the portfolio">
      {(data) => {
        if (!p.now) return null;
        const empty = data.normalizedDebt === 0n && data.assets.every((a) => a.collateral === 0n);
        return (
          <div className="space-y-6" data-testid="portfolio" data-owner={owner}>
            {empty && (
              <Notice tone="info" title={`${own ? 'You have' : `${shortAddress(owner)} has`} no portfolio yet`} testId="portfolio-empty">
                {own ? 'Deposit any asset of the table below, then borrow against all of them at once.' : 'Anyone may deposit collateral for it.'}
              </Notice>
            )}
            <PortfolioSummary data={data} now={p.now} whatIf={p.whatIf} />
            <PortfolioAssets data={data} now={p.now} whatIf={p.whatIf} moves={p.moves} />
            <div className="grid gap-6 lg:grid-cols-2">
              <PortfolioActions data={data} now={p.now} own={own} />
              <PortfolioScenarios data={data} now={p.now} whatIf={p.whatIf} />
            </div>
          </div>
        );
      }}
    </QueryState>
  );
}
