'use client';
import { useState } from 'react';
import { useConnection } from 'wagmi';
import type { PortfolioView } from '../../lib/portfolio';
import type { PortfolioData } from '../../queries/portfolio';
import { Panel } from '../ui';
import { PortfolioBorrowForm, PortfolioDepositForm, PortfolioRepayForm, PortfolioWithdrawForm } from './PortfolioForms';

type Tab = 'deposit' | 'repay' | 'withdraw' | 'borrow';

const TAB_LABELS: Record<Tab, string> = { deposit: 'Deposit', repay: 'Repay', withdraw: 'Withdraw', borrow: 'Borrow' };

/**
 * Deposit and Repay for anyone (a rescue); Withdraw and Borrow only on the connected wallet's own portfolio.
 * Every action goes through the app's one transaction hook (simulated first, a revert named).
 */
export function PortfolioActions({ data, now, own }: { data: PortfolioData; now: PortfolioView; own: boolean }) {
  const { address } = useConnection();
  const [tab, setTab] = useState<Tab>(own ? 'deposit' : 'repay');
  const tabs: Tab[] = own ? ['deposit', 'repay', 'withdraw', 'borrow'] : ['deposit', 'repay'];
  const current = tabs.includes(tab) ? tab : 'deposit';
  return (
    <div id="portfolio-actions" className="scroll-mt-4">
      <Panel title={own ? 'Manage' : 'Rescue'} testId="portfolio-actions">
        {!own && (
          <p className="mb-3 text-xs text-muted" data-testid="portfolio-rescue-hint">
            Anyone may deposit collateral to or repay the debt of any portfolio. Withdrawing and borrowing are for its owner.
          </p>
        )}
        <div className="mb-3 flex flex-wrap gap-1 text-sm" role="tablist">
          {tabs.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={current === t}
              data-testid={`portfolio-tab-${t}`}
              onClick={() => {
                setTab(t);
              }}
              className={`rounded-md px-3 py-1.5 ${current === t ? 'bg-line text-white' : 'text-muted hover:text-white'}`}
            >
              {TAB_LABELS[t]}
            </button>
          ))}
        </div>
        {current === 'deposit' ? (
          <PortfolioDepositForm data={data} before={now} />
        ) : current === 'repay' ? (
          <PortfolioRepayForm data={data} before={now} />
        ) : current === 'withdraw' && address ? (
          <PortfolioWithdrawForm data={data} before={now} to={address} />
        ) : current === 'borrow' ? (
          <PortfolioBorrowForm data={data} before={now} />
        ) : null}
      </Panel>
    </div>
  );
}
