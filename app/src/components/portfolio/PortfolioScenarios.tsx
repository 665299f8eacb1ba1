import { formatWad } from '../../lib/format';
import { describeScenario, scenarioShocks, type PortfolioView } from '../../lib/portfolio';
import type { PortfolioData } from '../../queries/portfolio';
import { Panel } from '../ui';

/** Governance's scenario table: each scenario's shocks and the holdings' value in it, the worst marked. */
export function PortfolioScenarios({ data, now, whatIf }: { data: PortfolioData; now: PortfolioView; whatIf: PortfolioView | undefined }) {
  return (
    <Panel title="Stress scenarios" testId="portfolio-scenarios">
      <ol className="space-y-2 text-sm">
        {data.shocksWad.map((_, j) => {
          const worst = j === now.worstScenario;
          const moved = whatIf?.scenarioValues[j];
          const covers = now.debt === 0n || (now.scenarioValues[j] ?? 0n) >= now.debt;
          return (
            <li
              key={j}
              className={`rounded-lg border px-3 py-2 ${worst ? 'border-accent/60 bg-accent/5' : 'border-line'}`}
              data-testid={`portfolio-scenario-${j}`}
              data-worst={worst ? 'true' : 'false'}
              data-value={now.scenarioValues[j]?.toString()}
            >
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <span className="font-semibold">
                  #{j}
                  {worst && <span className="ml-2 text-xs font-normal text-accent">worst</span>}
                </span>
                <span className={`num ${covers ? '' : 'text-bad'}`}>
                  {formatWad(now.scenarioValues[j] ?? 0n)} gUSD
                  {moved !== undefined && (
                    <span className={`text-xs ${whatIf && now.debt > 0n && moved < now.debt ? 'text-bad' : 'text-accent'}`}> → {formatWad(moved)}</span>
                  )}
                </span>
              </div>
              <p className="text-xs text-muted">{describeScenario(scenarioShocks(data, j))}</p>
            </li>
          );
        })}
      </ol>
      <p className="mt-3 text-xs text-muted">
        A shock is the share of an asset&apos;s isolated margin a scenario applies: the full shock prices it at its liquidation ratio (as an
        isolated vault would), none at the mark. The portfolio is safe while every scenario covers the debt.
      </p>
    </Panel>
  );
}
