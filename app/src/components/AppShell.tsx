'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { deploymentQueryOptions } from '../queries/deployment';
import { DeploymentGate } from './DeploymentGate';
import { NetworkBanner } from './NetworkBanner';
import { WalletButton } from './WalletButton';
import { BlockIndicator } from './BlockIndicator';

const NAV = [
  { href: '/', label: 'Overview' },
  { href: '/auctions', label: 'Auctions' },
  { href: '/vaults', label: 'Vaults' },
] as const;

/** Shown only when the deployment has a PortfolioEngine. */
const PORTFOLIO_NAV = { href: '/portfolio', label: 'Portfolio' } as const;

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  // The same cached read DeploymentGate makes (the shell sits outside the gate).
  const deployment = useQuery(deploymentQueryOptions());
  const hasPortfolio = deployment.data?.status === 'ok' && deployment.data.deployment.portfolioEngine !== undefined;
  const nav = hasPortfolio ? [...NAV, PORTFOLIO_NAV] : NAV;
  return (
    <div className="mx-auto flex min-h-screen max-w-7xl flex-col px-4 sm:px-6">
      <header className="flex flex-wrap items-center justify-between gap-4 border-b border-line py-4">
        <div className="flex flex-wrap items-center gap-x-8 gap-y-2">
          <Link href="/" className="flex items-center gap-2 text-lg font-bold tracking-tight">
            <span className="inline-block h-5 w-5 rounded bg-accent" aria-hidden /> Gavel
          </Link>
          <nav className="flex gap-1 text-sm" aria-label="Main">
            {nav.map((n) => {
              const active = n.href === '/' ? pathname === '/' : pathname.startsWith(n.href);
              return (
                <Link
                  key={n.href}
                  href={n.href}
                  data-testid={`nav-${n.label.toLowerCase()}`}
                  aria-current={active ? 'page' : undefined}
                  className={`rounded-md px-3 py-1.5 ${active ? 'bg-line text-white' : 'text-muted hover:text-white'}`}
                >
                  {n.label}
                </Link>
              );
            })}
          </nav>
        </div>
        <div className="flex items-center gap-3">
          <BlockIndicator />
          <WalletButton />
        </div>
      </header>
      <NetworkBanner />
      <main className="flex-1 py-6">
        <DeploymentGate>{children}</DeploymentGate>
      </main>
      <footer className="border-t border-line py-4 text-xs text-muted">
        Gavel · prices tick locally from each auction&apos;s curve and the node&apos;s clock
      </footer>
    </div>
  );
}
