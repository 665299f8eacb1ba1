import { formatWad } from '../../lib/format';
import { describeScenario, scenarioShocks, type PortfolioView } from '../../lib/portfolio';
import type { PortfolioData } from '../../queries/portfolio';
import { Panel } from '../ui';

/** Safe or unsafe as a badge. */
export function SafeBadge({ safe, testId }: { safe: boolean; testId: string }) {
  return (
    <span
      className={`rounded px-2 py-0.5 text-xs font-semibold uppercase tracking-wide ${safe ? 'bg-good/15 text-good' : 'bg-bad/15 text-bad'}`}
      data-testid={testId}
      data-safe={safe ? 'true' : 'false'}
    >
      {safe ? 'safe' : 'unsafe'}
    </span>
  );
}

/** Debt, the worst scenario (index, shocks, value), the margin left and safe/unsafe; the what-if beside it. */
export function PortfolioSummary({ data, now, whatIf }: { data: PortfolioData; now: PortfolioView; whatIf: PortfolioView | undefined }) {
  const disagree = now.safe !== data.chainSafe || (data.shocksWad.length > 0 && (now.worstValue !== data.chainWorstValue || now.worstScenario !== data.chainWorstScenario));
  return (
    <div className={`rounded-xl border-2 ${now.safe ? 'border-line' : 'border-bad/70'}`}>
      <Panel title="Portfolio" actions={<SafeBadge safe={now.safe} testId="portfolio-status" />}>
        {!now.safe && (
          <p className="mb-3 rounded bg-bad/15 px-3 py-2 text-sm text-bad" role="alert" data-testid="portfolio-unsafe">
            The worst scenario no longer covers the debt: anyone can liquidate this portfolio now. Deposit collateral or repay immediately.{' '}
            <a href="#portfolio-actions" className="font-semibold underline" data-testid="portfolio-rescue-link">
              Rescue it ↓
            </a>
          </p>
        )}
        <Figures view={now} data={data} prefix="portfolio" />
        {whatIf && (
          <div className="mt-4 rounded-lg border border-accent/40 bg-accent/5 p-3" data-testid="whatif-result" data-safe={whatIf.safe ? 'true' : 'false'} data-scenario={whatIf.worstScenario}>
            <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
              <span className="text-xs font-semibold uppercase tracking-wide text-accent">What if — prices moved as set below</span>
              <SafeBadge safe={whatIf.safe} testId="whatif-status" />
            </div>
            <Figures view={whatIf} data={data} prefix="whatif" />
          </div>
        )}
        <p className="mt-3 text-xs text-muted" data-testid="portfolio-chain-check" data-chain-safe={data.chainSafe ? 'true' : 'false'}>
          {disagree
            ? `The engine reads differently right now (${data.chainSafe ? 'safe' : 'unsafe'}, scenario #${data.chainWorstScenario} worth ${formatWad(data.chainWorstValue)}): a price moved since this read.`
            : `The engine agrees: ${data.chainSafe ? 'safe' : 'unsafe'}, worst scenario #${data.chainWorstScenario}.`}
        </p>
      </Panel>
    </div>
  );
}

function Figures({ view, data, prefix }: { view: PortfolioView; data: PortfolioData; prefix: string }) {
  const description = data.shocksWad.length === 0 ? 'no scenario' : describeScenario(scenarioShocks(data, view.worstScenario));
  return (
    <dl className="num grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-4">
      <div>
        <dt className="text-xs text-muted">Debt</dt>
        <dd data-testid={`${prefix}-debt`} data-debt={view.debt.toString()}>
          {formatWad(view.debt, 4)} gUSD
        </dd>
      </div>
      <div>
        <dt className="text-xs text-muted">Worst scenario value</dt>
        <dd data-testid={`${prefix}-worst-value`} data-value={view.worstValue.toString()}>
          {formatWad(view.worstValue)} gUSD
        </dd>
      </div>
      <div>
        <dt className="text-xs text-muted">Margin left</dt>
        <dd data-testid={`${prefix}-margin`} data-margin={view.margin.toString()} className={view.margin < 0n ? 'text-bad' : ''}>
          {view.debt === 0n ? 'no debt' : `${view.margin < 0n ? '' : '+'}${formatWad(view.margin)} gUSD`}
        </dd>
      </div>
      <div>
        <dt className="text-xs text-muted">Worst scenario</dt>
        <dd data-testid={`${prefix}-worst-scenario`} data-scenario={view.worstScenario}>
          #{view.worstScenario}
        </dd>
      </div>
      <div className="col-span-2 sm:col-span-4">
        <dt className="text-xs text-muted">Its shocks</dt>
        <dd className="font-sans" data-testid={`${prefix}-worst-description`}>
          {description}
        </dd>
      </div>
    </dl>
  );
}
