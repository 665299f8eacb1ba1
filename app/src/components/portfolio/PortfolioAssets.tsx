import { BPS } from '@gavel/sdk';
import { formatBps, formatToken, formatWad } from '../../lib/format';
import type { AssetFigures, PortfolioView } from '../../lib/portfolio';
import type { PortfolioData } from '../../queries/portfolio';
import { Field } from '../Field';
import { Button, Panel } from '../ui';
import type { WhatIf } from './usePortfolio';

/** One-tap what-if moves. */
const QUICK_MOVES = ['-10', '-25', '-50'] as const;

/** The liquidation price of one asset, for people. */
function liquidationText(f: AssetFigures, debt: bigint): string {
  if (debt === 0n) return '— (no debt)';
  if (f.liquidationMark === undefined) return 'none: no price of it covers the debt';
  if (f.liquidationMark === 0n) return 'none: the others cover the debt';
  return formatWad(f.liquidationMark);
}

/**
 * Every asset of the table: the holding, its contribution (value in the worst scenario, its share of the
 * worst value) and its isolated value, the mark at which the portfolio turns unsafe (others fixed), and
 * the what-if field that moves its price.
 */
export function PortfolioAssets({ data, now, whatIf, moves }: { data: PortfolioData; now: PortfolioView; whatIf: PortfolioView | undefined; moves: WhatIf }) {
  return (
    <Panel
      title="Holdings"
      testId="portfolio-assets"
      actions={
        moves.active ? (
          <Button kind="secondary" testId="whatif-reset" onClick={moves.reset}>
            Reset what-if
          </Button>
        ) : undefined
      }
    >
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {data.assets.map((a, i) => {
          const f = now.assets[i];
          if (!f) return null;
          const w = whatIf ? { figures: whatIf.assets[i], scenario: whatIf.worstScenario } : undefined;
          const share = now.worstValue === 0n ? 0n : (f.worstValue * BPS) / now.worstValue;
          return (
            <div key={a.ilk} className="min-w-0 rounded-lg border border-line p-4" data-testid={`portfolio-asset-${a.name}`} data-held={a.collateral > 0n ? 'true' : 'false'}>
              <div className="mb-3 flex items-baseline justify-between gap-2">
                <h3 className="font-semibold">{a.name}</h3>
                <span className="num text-xs text-muted" data-testid="asset-mark" data-mark={f.mark.toString()}>
                  mark {formatWad(f.mark)}
                  {w?.figures && w.figures.mark !== f.mark && <span className="text-accent"> → {formatWad(w.figures.mark)}</span>}
                </span>
              </div>
              <dl className="num grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
                <div>
                  <dt className="text-xs text-muted">Holding</dt>
                  <dd data-testid="asset-holding" data-amount={a.collateral.toString()}>
                    {formatToken(a.collateral, a.decimals)} {a.symbol}
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-muted">Isolated value</dt>
                  <dd data-testid="asset-isolated" data-value={f.isolatedValue.toString()}>
                    {formatWad(f.isolatedValue)}
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-muted">In worst scenario #{now.worstScenario}</dt>
                  <dd data-testid="asset-worst" data-value={f.worstValue.toString()}>
                    {formatWad(f.worstValue)}
                  </dd>
                  <dd className="text-xs text-muted">{formatBps(share)} of it</dd>
                </div>
                <div>
                  <dt className="text-xs text-muted">Liquidation price</dt>
                  <dd data-testid="asset-liquidation-price" data-price={f.liquidationMark?.toString() ?? 'none'} className="break-words">
                    {liquidationText(f, now.debt)}
                  </dd>
                  {f.distanceBps !== undefined && (
                    <dd className={`text-xs ${f.distanceBps <= 0n ? 'text-bad' : 'text-muted'}`} data-testid="asset-distance" data-bps={f.distanceBps.toString()}>
                      {f.distanceBps > 0n ? `a ${formatBps(f.distanceBps)} fall` : 'past it'}
                    </dd>
                  )}
                </div>
              </dl>
              <div className="mt-3">
                <Field
                  label="What if its price moves (%)"
                  value={moves.inputs[a.ilk] ?? ''}
                  onChange={(v) => {
                    moves.set(a.ilk, v);
                  }}
                  error={moves.errors[a.ilk]}
                  testId={`whatif-${a.name}`}
                  placeholder="e.g. -20"
                  inputMode="text"
                  hint={w?.figures ? <span className="num" data-testid="asset-whatif-worst">{formatWad(w.figures.worstValue)} in #{w.scenario}</span> : undefined}
                />
                <div className="mt-1 flex flex-wrap gap-1">
                  {QUICK_MOVES.map((m) => (
                    <button
                      key={m}
                      type="button"
                      className="rounded border border-line px-2 py-0.5 text-xs text-muted hover:text-white"
                      data-testid={`whatif-${a.name}-${m}`}
                      onClick={() => {
                        moves.set(a.ilk, m);
                      }}
                    >
                      {m}%
                    </button>
                  ))}
                </div>
              </div>
            </div>
          );
        })}
      </div>
      <p className="mt-3 text-xs text-muted">
        Values in gUSD. The isolated value is the holding at its collateral type&apos;s liquidation ratio (what an isolated vault would lend
        against); the liquidation price is the mark at which the portfolio turns unsafe with every other price unchanged.
      </p>
    </Panel>
  );
}
