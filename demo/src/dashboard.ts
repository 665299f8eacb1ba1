// The live terminal dashboard: one screen redrawn every block (ANSI: cursor home, clear below).
// Display only: numbers are formatted from the observer's bigints with 2 decimals.


import type { MarketSimulator } from './market/simulator.ts';
import { fmt, type Observer, soldAtOnce } from './observe/observer.ts';
import { summarizeLatency } from './observe/latency.ts';

export interface DashboardInfo {
  readonly title: string;
  readonly rpcUrl: string;
  readonly appUrl: string | undefined;
  readonly keeper: string;
  readonly startedAt: number;
  readonly badDebtWad: bigint;
  readonly fundWad: bigint;
  /** Stablecoin raised by the houses and not yet settled (it pays the bad debt down at settle), WAD. */
  readonly proceedsWad: bigint;
  readonly keeperProfitWad: bigint | undefined;
  /** One line for the person watching: where to take auctions by hand. */
  readonly hint?: string | undefined;
}

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

function price(wad: bigint | undefined): string {
  if (wad === undefined) return '—';
  return fmt(wad);
}

export function renderDashboard(obs: Observer, sim: MarketSimulator | undefined, info: DashboardInfo): string {
  const lines: string[] = [];
  const secs = Math.floor((Date.now() - info.startedAt) / 1000);
  const clock = `${String(Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
  const step = sim?.lastStep;
  const phase = step ? (step.phase === 'crash' ? `${RED}CRASH ${Math.round(step.crashProgress * 100)}%${RESET}` : step.phase) : 'live';
  lines.push(`${BOLD}${info.title}${RESET}  block ${BOLD}${obs.head}${RESET}  ${DIM}${clock}${RESET}  market: ${phase}`);
  lines.push(`${DIM}chain ${info.rpcUrl}   app ${info.appUrl ?? '(off)'}   keeper ${info.keeper}${RESET}`);
  if (info.hint) lines.push(`${GREEN}→ ${info.hint}${RESET}`);
  lines.push('');
  lines.push(`${BOLD}${'ilk'.padEnd(8)}${'market'.padStart(12)}${'mark'.padStart(12)}   feeds${' '.repeat(33)}${'safe'.padStart(6)}${'unsafe'.padStart(8)}${'liq.'.padStart(6)}${RESET}`);
  for (const ilk of obs.ilks.values()) {
    const truth = step?.truth.get(ilk.name);
    const reports = sim?.lastReported.get(ilk.name) ?? [];
    const stale = step?.stale.get(ilk.name) ?? [];
    // Each feed's current report; a stale one keeps its last value, marked.
    const plain = reports.map((r, i) => `${price(r)}${stale[i] ? '!' : ''}`).join(' ');
    const feeds = reports.map((r, i) => (stale[i] ? `${YELLOW}${price(r)}!${RESET}` : price(r))).join(' ');
    let safe = 0;
    let unsafe = 0;
    let liq = 0;
    for (const v of obs.vaults.values()) {
      if (v.ilk !== ilk.name) continue;
      if (v.liquidations > 0) liq++;
      if (v.normalizedDebt === 0n) continue;
      if (obs.unsafe(v)) unsafe++;
      else safe++;
    }
    lines.push(
      `${ilk.name.padEnd(8)}${price(truth).padStart(12)}${price(ilk.mark).padStart(12)}   ${feeds}${' '.repeat(Math.max(1, 38 - plain.length))}${String(safe).padStart(6)}${unsafe > 0 ? RED : ''}${String(unsafe).padStart(8)}${RESET}${String(liq).padStart(6)}`,
    );
  }
  lines.push('');
  const auctions = [...obs.auctions.values()];
  const active = auctions.filter((a) => a.end === undefined).length;
  const taken = auctions.filter((a) => a.end === 'taken').length;
  const over = auctions.filter((a) => a.end === 'takenOver').length;
  // Tier 1: liquidated and bought in the kick's own transaction.
  const atOnce = auctions.filter(soldAtOnce).length;
  lines.push(`auctions  active ${BOLD}${active}${RESET}  cleared ${GREEN}${taken + over}${RESET} (taken ${taken}, of them sold at once ${atOnce}; taken over by the fund ${over})  redone ${obs.counts.redos}  kicked ${auctions.length}`);
  if (obs.portfolios.size > 0) {
    const liquidated = [...obs.portfolios.values()].filter((p) => p.liquidations > 0).length;
    const lots = obs.portfolioLiquidations.reduce((n, l) => n + l.lots, 0);
    lines.push(`portfolios  ${obs.portfolios.size} (several collaterals, one debt)  liquidated ${liquidated} in ${lots} lots`);
  }
  const lat = summarizeLatency(obs.episodes);
  lines.push(`detection → kick  slowest ${lat.maxBlocks} blocks, mean ${lat.meanBlocks}; held back by limits ${lat.heldBackByLimits}; late ${lat.late > 0 ? RED : ''}${lat.late}${RESET}`);
  // On chain, a liquidation moves the vault's debt to bad debt at once; auction proceeds pay it
  // down at settle. What is still owed by live auctions and what was raised but not yet settled
  // explain the figure; the rest is a real loss (or unhealed keeper incentives).
  let inAuctions = 0n;
  for (const a of auctions) if (a.end === undefined) inAuctions += a.tabLeft;
  lines.push(
    `bad debt on the books ${info.badDebtWad > 0n ? YELLOW : GREEN}${fmt(info.badDebtWad)}${RESET} gUSD ${DIM}(tab still in live auctions ${fmt(inAuctions)}, raised awaiting settle ${fmt(info.proceedsWad)})${RESET}`,
  );
  lines.push(
    `insurance fund ${fmt(info.fundWad)} gUSD` +
      (info.keeperProfitWad !== undefined ? `   keeper profit ${fmt(info.keeperProfitWad)} gUSD` : ''),
  );
  if (sim) lines.push(`${DIM}market simulator: ${sim.stats.sent} tx sent, ${sim.stats.reverted} reverted, ${sim.stats.swaps} pool trades${sim.stats.lastError ? `; last error: ${sim.stats.lastError.slice(0, 80)}` : ''}${RESET}`);
  lines.push('');
  lines.push(`${BOLD}recent${RESET}`);
  for (const e of obs.recent.slice(-8).reverse()) lines.push(`${DIM}${String(e.block).padStart(7)}${RESET}  ${e.text}`);
  lines.push('');
  lines.push(`${DIM}Ctrl-C stops everything. Amounts in gUSD; prices per whole token; ${YELLOW}!${RESET}${DIM} marks a stale feed.${RESET}`);
  return `\x1b[H\x1b[2J${lines.join('\n')}\n`;
}

