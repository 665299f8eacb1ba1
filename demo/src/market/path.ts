// The scenario's market, as a pure function of a seed: per block, the "true" price of each
// collateral and what each of its feeds reports. Black Thursday (12 March 2020) in miniature: a calm
// random walk, then a crash in two legs with a small bounce between them, while the feeds disagree
// (a bias and noise each), one lags and one goes stale.
//
// Prices are generated as floats (a synthetic market, not accounting) and handed out as WAD
// bigints, rounded to 1e-9 of a unit; every amount the demo *measures* is bigint from the chain.

import { seededRandom, type Random } from '@gavel/contracts/testing';

export type Phase = 'calm' | 'crash' | 'aftermath';

/** Block counts of the three phases (aftermath may be Infinity: the interactive demo runs on). */
export interface Timeline {
  readonly calmBlocks: number;
  readonly crashBlocks: number;
  readonly aftermathBlocks: number;
}

/** How one feed misreports the true price. */
export interface FeedBehaviour {
  /** Constant relative error, in basis points (signed). */
  readonly biasBps: number;
  /** Standard deviation of independent per-push noise, in basis points. */
  readonly noiseBps: number;
  /** Reports the true price of this many blocks ago. */
  readonly lagBlocks: number;
  /** Stops reporting once the crash is this far along (0-1); undefined: never stale. */
  readonly staleAtCrashFraction?: number;
}

export interface IlkMarket {
  readonly name: string;
  /** Start price, stablecoin per whole token. */
  readonly startPrice: number;
  /** Fraction the price loses at the bottom of the crash (0.4 = -40%). */
  readonly crashDepth: number;
  /** Per-block standard deviation of the random walk, in basis points. */
  readonly volatilityBps: number;
  readonly feeds: readonly FeedBehaviour[];
}

/** One block of the scenario. */
export interface MarketStep {
  readonly step: number;
  readonly phase: Phase;
  /** Crash progress 0-1 (0 before, 1 after). */
  readonly crashProgress: number;
  /** True price per ilk name, WAD. */
  readonly truth: ReadonlyMap<string, bigint>;
  /** Per ilk name, per feed: the value to push this block, or undefined (no push: cadence or stale). */
  readonly pushes: ReadonlyMap<string, readonly (bigint | undefined)[]>;
  /** Per ilk name, per feed: true once the feed has gone stale for good. */
  readonly stale: ReadonlyMap<string, readonly boolean[]>;
}

/** Feeds push every block during the crash, every `CALM_PUSH_EVERY` blocks otherwise (a heartbeat). */
export const CALM_PUSH_EVERY = 3;

/** Shape of the crash, 0 → 1 of the full depth: leg one to 65% fast, a bounce, leg two to the bottom. */
export function crashShape(p: number): number {
  if (p <= 0) return 0;
  if (p >= 0.85) return 1;
  const ease = (x: number): number => x * x * (3 - 2 * x); // smoothstep
  if (p < 0.35) return 0.65 * ease(p / 0.35);
  if (p < 0.5) return 0.65 - 0.08 * ease((p - 0.35) / 0.15); // bounce
  return 0.57 + 0.43 * ease((p - 0.5) / 0.35);
}

/** Standard normal from two uniforms (Box-Muller). */
function gaussian(rng: Random): number {
  const u = Math.max(rng.float(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
}

/** A float price to WAD, rounded to 1e-9. */
export function toWad(price: number): bigint {
  if (!Number.isFinite(price) || price <= 0) throw new RangeError(`price must be positive, got ${price}`);
  return BigInt(Math.round(price * 1e9)) * 10n ** 9n;
}

/** Generates the scenario's market block by block; the same seed always gives the same market. */
export class MarketPath {
  private readonly rng: Random;
  private readonly deviation = new Map<string, number>();
  private readonly history = new Map<string, number[]>();
  private readonly feedRng: Map<string, Random[]>;
  private step = 0;

  constructor(
    readonly seed: string,
    readonly timeline: Timeline,
    readonly ilks: readonly IlkMarket[],
  ) {
    this.rng = seededRandom(`${seed}/truth`);
    this.feedRng = new Map(ilks.map((m) => [m.name, m.feeds.map((_, i) => seededRandom(`${seed}/${m.name}/feed${i}`))]));
    for (const m of ilks) {
      this.deviation.set(m.name, 0);
      this.history.set(m.name, []);
    }
  }

  phaseOf(step: number): { phase: Phase; crashProgress: number } {
    const { calmBlocks, crashBlocks } = this.timeline;
    if (step < calmBlocks) return { phase: 'calm', crashProgress: 0 };
    if (step < calmBlocks + crashBlocks) return { phase: 'crash', crashProgress: (step - calmBlocks) / crashBlocks };
    return { phase: 'aftermath', crashProgress: 1 };
  }

  /** Whether the timeline has run out (never for an infinite aftermath). */
  done(): boolean {
    const t = this.timeline;
    return this.step >= t.calmBlocks + t.crashBlocks + t.aftermathBlocks;
  }

  /** The next block's market. */
  next(): MarketStep {
    const step = this.step++;
    const { phase, crashProgress } = this.phaseOf(step);
    const truth = new Map<string, bigint>();
    const pushes = new Map<string, (bigint | undefined)[]>();
    const stale = new Map<string, boolean[]>();
    for (const m of this.ilks) {
      // Mean-reverting noise (AR(1)) around the scripted level, so the path cannot wander off.
      const dev = 0.97 * (this.deviation.get(m.name) ?? 0) + (m.volatilityBps / 10_000) * gaussian(this.rng);
      this.deviation.set(m.name, dev);
      const aftermathDrift = phase === 'aftermath' ? Math.min(1, (step - this.timeline.calmBlocks - this.timeline.crashBlocks) / 300) * 0.05 : 0;
      const level = m.startPrice * (1 - m.crashDepth * crashShape(crashProgress)) * (1 + aftermathDrift * m.crashDepth);
      const price = level * Math.exp(dev);
      const hist = this.history.get(m.name) ?? [];
      hist.push(price);
      if (hist.length > 64) hist.shift();
      truth.set(m.name, toWad(price));

      const pushNow = phase === 'crash' || step % CALM_PUSH_EVERY === 0;
      const rngs = this.feedRng.get(m.name) ?? [];
      pushes.set(
        m.name,
        m.feeds.map((f, i) => {
          const r = rngs[i];
          const noise = r ? (f.noiseBps / 10_000) * gaussian(r) : 0;
          if (isStale(f, phase, crashProgress)) return undefined;
          if (!pushNow) return undefined;
          const lagged = hist[Math.max(0, hist.length - 1 - f.lagBlocks)] ?? price;
          return toWad(lagged * (1 + f.biasBps / 10_000 + noise));
        }),
      );
      stale.set(
        m.name,
        m.feeds.map((f) => isStale(f, phase, crashProgress)),
      );
    }
    return { step, phase, crashProgress, truth, pushes, stale };
  }
}

function isStale(f: FeedBehaviour, phase: Phase, crashProgress: number): boolean {
  if (f.staleAtCrashFraction === undefined) return false;
  return phase !== 'calm' && crashProgress >= f.staleAtCrashFraction;
}

/** The scenario's three markets, keyed by the local config's ilk names; start prices as seeded. */
export function defaultMarkets(startPrices: ReadonlyMap<string, number>): IlkMarket[] {
  const price = (name: string, fallback: number): number => startPrices.get(name) ?? fallback;
  return [
    {
      name: 'ETH-A',
      startPrice: price('ETH-A', 2000),
      crashDepth: 0.4,
      volatilityBps: 15,
      // Three feeds that disagree by about a percent; the third goes stale a fifth into the crash.
      feeds: [
        { biasBps: -40, noiseBps: 10, lagBlocks: 0 },
        { biasBps: 60, noiseBps: 15, lagBlocks: 1 },
        { biasBps: 0, noiseBps: 10, lagBlocks: 0, staleAtCrashFraction: 0.2 },
      ],
    },
    {
      name: 'WBTC-A',
      startPrice: price('WBTC-A', 60000),
      crashDepth: 0.4,
      volatilityBps: 12,
      // One feed lags four blocks behind the market.
      feeds: [
        { biasBps: 20, noiseBps: 10, lagBlocks: 0 },
        { biasBps: 0, noiseBps: 10, lagBlocks: 4 },
        { biasBps: -30, noiseBps: 15, lagBlocks: 0 },
      ],
    },
    {
      name: 'USDC-A',
      startPrice: price('USDC-A', 1),
      // A stablecoin wobbles: a 3% depeg at the bottom of the crash.
      crashDepth: 0.03,
      volatilityBps: 2,
      feeds: [
        { biasBps: -10, noiseBps: 3, lagBlocks: 0 },
        { biasBps: 5, noiseBps: 3, lagBlocks: 0 },
        { biasBps: 0, noiseBps: 3, lagBlocks: 2 },
      ],
    },
  ];
}
