'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Address, Hex } from 'viem';
import { useConnection } from 'wagmi';
import { approveCall } from '../../actions/approve';
import { portfolioBorrowCall, portfolioDepositCall, portfolioRepayCall, portfolioWithdrawCall } from '../../actions/portfolio';
import { formatToken, formatWad, toInputString } from '../../lib/format';
import {
  maxBorrow,
  maxWithdraw,
  portfolioDebtOf,
  projectPortfolio,
  validatePortfolioBorrow,
  validatePortfolioRepay,
  validatePortfolioWithdraw,
  type PortfolioView,
} from '../../lib/portfolio';
import { validateDeposit } from '../../lib/validation';
import type { PortfolioData } from '../../queries/portfolio';
import { tokenWalletQueryOptions } from '../../queries/wallet';
import { useTransaction, type UseTransaction } from '../../tx/useTransaction';
import { publicClient } from '../../wallet/chain';
import { useDeployment } from '../DeploymentContext';
import { Field } from '../Field';
import { TxStatus } from '../TxStatus';
import { Button } from '../ui';

const isBusy = (...txs: UseTransaction[]): boolean => txs.some((t) => t.state.status === 'simulating' || t.state.status === 'signing' || t.state.status === 'pending');

/** The worst scenario, margin and safety after the action, next to now. */
export function PortfolioProjection({ before, after }: { before: PortfolioView; after: PortfolioView | undefined }) {
  if (!after) return null;
  const safe = (v: PortfolioView): string => (v.safe ? 'safe' : 'unsafe');
  const margin = (v: PortfolioView): string => (v.debt === 0n ? 'no debt' : formatWad(v.margin));
  return (
    <p className="num text-xs text-muted" data-testid="portfolio-projection" data-safe-after={after.safe ? 'true' : 'false'} data-margin-after={after.margin.toString()}>
      Worst scenario #{before.worstScenario} → <span className="text-slate-100">#{after.worstScenario}</span> · margin {margin(before)} →{' '}
      <span className="text-slate-100">{margin(after)}</span> gUSD · {safe(before)} →{' '}
      <span className={after.safe ? 'text-good' : 'text-bad'}>{safe(after)}</span>
    </p>
  );
}

function AssetSelect({ data, value, onChange, testId, heldOnly = false }: { data: PortfolioData; value: Hex; onChange: (ilk: Hex) => void; testId: string; heldOnly?: boolean }) {
  const options = heldOnly ? data.assets.filter((a) => a.collateral > 0n) : data.assets;
  return (
    <div>
      <label htmlFor={`f-${testId}`} className="mb-1 block text-xs text-muted">
        Asset
      </label>
      <select
        id={`f-${testId}`}
        data-testid={testId}
        value={value}
        onChange={(e) => {
          onChange(e.target.value as Hex);
        }}
        className="w-full rounded-lg border border-line bg-ink px-2 py-2 text-sm"
      >
        {options.map((a) => (
          <option key={a.ilk} value={a.ilk}>
            {a.name} ({a.symbol})
          </option>
        ))}
      </select>
    </div>
  );
}

/** Deposit any table asset for `owner` (a rescue when it is not you): approve the portfolio engine, then deposit. */
export function PortfolioDepositForm({ data, before }: { data: PortfolioData; before: PortfolioView }) {
  const d = useDeployment();
  const { address } = useConnection();
  const [ilk, setIlk] = useState<Hex>((data.assets.find((a) => a.collateral > 0n) ?? data.assets[0])?.ilk ?? '0x');
  const [input, setInput] = useState('');
  const index = Math.max(0, data.assets.findIndex((a) => a.ilk === ilk));
  const asset = data.assets[index];
  const wallet = useQuery(tokenWalletQueryOptions(publicClient, asset?.token ?? d.stablecoin, address, data.engine));
  const approveTx = useTransaction();
  const tx = useTransaction();
  if (!address) return <p className="text-sm text-muted">Connect a wallet to deposit.</p>;
  if (!asset) return null;
  const balance = wallet.data?.balance ?? 0n;
  const v = validateDeposit(input, { decimals: asset.decimals, balance, symbol: asset.symbol });
  const needsApproval = v.ok && (wallet.data?.allowance ?? 0n) < v.value;
  const busy = isBusy(approveTx, tx);
  const after = v.ok ? projectPortfolio(data, { asset: index, collateralDelta: v.value }) : undefined;
  return (
    <div className="space-y-3" data-testid="portfolio-deposit-form">
      <AssetSelect data={data} value={asset.ilk} onChange={setIlk} testId="portfolio-deposit-asset" />
      <Field
        label={`Deposit ${asset.symbol}`}
        value={input}
        onChange={setInput}
        error={input !== '' && !v.ok ? v.message : undefined}
        testId="portfolio-deposit-amount"
        hint={<span className="num">Balance {formatToken(balance, asset.decimals)}</span>}
      />
      <PortfolioProjection before={before} after={after} />
      <div className="flex flex-wrap gap-2">
        {needsApproval && (
          <Button
            kind="secondary"
            testId="portfolio-deposit-approve"
            disabled={busy}
            onClick={() => {
              void approveTx.send(approveCall({ token: asset.token, spender: data.engine, amount: v.value, label: `Approve ${formatToken(v.value, asset.decimals)} ${asset.symbol}` }));
            }}
          >
            Approve {asset.symbol}
          </Button>
        )}
        <Button
          testId="portfolio-deposit-submit"
          disabled={!v.ok || needsApproval || busy}
          onClick={() => {
            if (!v.ok) return;
            void tx
              .send(portfolioDepositCall({ engine: data.engine, owner: data.owner, ilk: asset.ilk, amount: v.value, label: `Deposit ${formatToken(v.value, asset.decimals)} ${asset.symbol}` }))
              .then((r) => {
                if (r) setInput('');
              });
          }}
        >
          Deposit
        </Button>
      </div>
      <TxStatus state={approveTx.state} testId="portfolio-deposit-approve-status" />
      <TxStatus state={tx.state} testId="portfolio-deposit-status" />
    </div>
  );
}

/**
 * Repay `owner`'s portfolio debt (a rescue when it is not you). The vault engine burns the payer's gUSD
 * itself (it is the stablecoin's minter), as for an isolated vault: no approve or permit, one transaction.
 */
export function PortfolioRepayForm({ data, before }: { data: PortfolioData; before: PortfolioView }) {
  const d = useDeployment();
  const { address } = useConnection();
  const [input, setInput] = useState('');
  const wallet = useQuery(tokenWalletQueryOptions(publicClient, d.stablecoin, address, data.engine));
  const tx = useTransaction();
  if (!address) return <p className="text-sm text-muted">Connect a wallet to repay.</p>;
  const debt = portfolioDebtOf(data);
  const balance = wallet.data?.balance ?? 0n;
  const v = validatePortfolioRepay(input, data, balance);
  const after = v.ok ? projectPortfolio(data, { debtDelta: -v.value }) : undefined;
  const max = debt < balance ? debt : balance;
  return (
    <div className="space-y-3" data-testid="portfolio-repay-form">
      <Field
        label="Repay gUSD"
        value={input}
        onChange={setInput}
        error={input !== '' && !v.ok ? v.message : undefined}
        testId="portfolio-repay-amount"
        hint={<span className="num">Balance {formatWad(balance, 4)}</span>}
        suffix={
          <button type="button" className="ml-2 text-xs font-semibold text-accent" data-testid="portfolio-repay-max" onClick={() => { setInput(toInputString(max, 18)); }}>
            MAX
          </button>
        }
      />
      <PortfolioProjection before={before} after={after} />
      <p className="text-xs text-muted">No approval needed: the vault engine burns the gUSD directly.</p>
      <Button
        testId="portfolio-repay-submit"
        disabled={!v.ok || isBusy(tx)}
        onClick={() => {
          if (!v.ok) return;
          void tx.send(portfolioRepayCall({ engine: data.engine, owner: data.owner, amount: v.value, label: `Repay ${formatWad(v.value, 4)} gUSD` })).then((r) => {
            if (r) setInput('');
          });
        }}
      >
        Repay
      </Button>
      <TxStatus state={tx.state} testId="portfolio-repay-status" />
    </div>
  );
}

/** Withdraw a held asset from your own portfolio to your wallet; refused before sending when it would be unsafe. */
export function PortfolioWithdrawForm({ data, before, to }: { data: PortfolioData; before: PortfolioView; to: Address }) {
  const held = data.assets.filter((a) => a.collateral > 0n);
  const [ilk, setIlk] = useState<Hex>(held[0]?.ilk ?? '0x');
  const [input, setInput] = useState('');
  const tx = useTransaction();
  const chosen = held.find((a) => a.ilk === ilk) ?? held[0];
  if (!chosen) return <p className="text-sm text-muted" data-testid="portfolio-withdraw-none">The portfolio holds nothing to withdraw.</p>;
  const index = data.assets.findIndex((a) => a.ilk === chosen.ilk);
  const v = validatePortfolioWithdraw(input, data, index);
  const after = v.ok ? projectPortfolio(data, { asset: index, collateralDelta: -v.value }) : undefined;
  const max = maxWithdraw(data, index);
  return (
    <div className="space-y-3" data-testid="portfolio-withdraw-form">
      <AssetSelect data={data} value={chosen.ilk} onChange={setIlk} testId="portfolio-withdraw-asset" heldOnly />
      <Field
        label={`Withdraw ${chosen.symbol}`}
        value={input}
        onChange={setInput}
        error={input !== '' && !v.ok ? v.message : undefined}
        testId="portfolio-withdraw-amount"
        hint={<span className="num">Safe max {formatToken(max, chosen.decimals)}</span>}
        suffix={
          <button type="button" className="ml-2 text-xs font-semibold text-accent" data-testid="portfolio-withdraw-max" onClick={() => { setInput(toInputString(max, chosen.decimals)); }}>
            MAX
          </button>
        }
      />
      <PortfolioProjection before={before} after={after} />
      <Button
        testId="portfolio-withdraw-submit"
        disabled={!v.ok || isBusy(tx)}
        onClick={() => {
          if (!v.ok) return;
          void tx.send(portfolioWithdrawCall({ engine: data.engine, ilk: chosen.ilk, amount: v.value, to, label: `Withdraw ${formatToken(v.value, chosen.decimals)} ${chosen.symbol}` })).then((r) => {
            if (r) setInput('');
          });
        }}
      >
        Withdraw
      </Button>
      <TxStatus state={tx.state} testId="portfolio-withdraw-status" />
    </div>
  );
}

/** Borrow gUSD against your own portfolio; refused before sending when it would be unsafe, below dust or above the ceiling. */
export function PortfolioBorrowForm({ data, before }: { data: PortfolioData; before: PortfolioView }) {
  const [input, setInput] = useState('');
  const tx = useTransaction();
  const v = validatePortfolioBorrow(input, data);
  const after = v.ok ? projectPortfolio(data, { debtDelta: v.value }) : undefined;
  const max = maxBorrow(data);
  return (
    <div className="space-y-3" data-testid="portfolio-borrow-form">
      <Field
        label="Borrow gUSD"
        value={input}
        onChange={setInput}
        error={input !== '' && !v.ok ? v.message : undefined}
        testId="portfolio-borrow-amount"
        hint={<span className="num">Safe max {formatWad(max, 2)}</span>}
        suffix={
          <button type="button" className="ml-2 text-xs font-semibold text-accent" data-testid="portfolio-borrow-max" onClick={() => { setInput(toInputString(max, 18)); }}>
            MAX
          </button>
        }
      />
      <PortfolioProjection before={before} after={after} />
      <p className="num text-xs text-muted">Minimum debt {formatWad(data.dust)} gUSD.</p>
      <Button
        testId="portfolio-borrow-submit"
        disabled={!v.ok || isBusy(tx)}
        onClick={() => {
          if (!v.ok) return;
          void tx.send(portfolioBorrowCall({ engine: data.engine, amount: v.value, label: `Borrow ${formatWad(v.value, 4)} gUSD` })).then((r) => {
            if (r) setInput('');
          });
        }}
      >
        Borrow
      </Button>
      <TxStatus state={tx.state} testId="portfolio-borrow-status" />
    </div>
  );
}
