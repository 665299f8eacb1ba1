// The scenario's market as a pure function of its seed: per step and ilk, the true price, what each of
// the three feeds reports (lag, bias, noise, a floor, faults), the price the DEX pool is traded to and
// the pool depth. Prices are generated as floats (a synthetic market) and handed out as WAD bigints
// rounded to 1e-9; everything the lab measures is bigint from the chain.
import { seededRandom, type Random } from '@gavel/contracts/testing';
import { type IlkMarket, type Scenario, seriesAt, seriesAtLog } from './schema.ts';

export const FEEDS = 3;

export interface IlkStep {
  /** True market price, WAD. */
  readonly truth: bigint;
  /** Per feed, the value pushed this step, WAD. */
  readonly reports: readonly bigint[];
  /** Price the arbitrageur trades the pool to, WAD (the truth, unless a fault moves the pool). */
  readonly poolTarget: bigint;
  /** Pool depth as a fraction of the seeded liquidity (never rises: the LP does not come back). */
  readonly depth: number;
}

export interface MarketStep {
  readonly step: number;
  readonly ilks: ReadonlyMap<string, IlkStep>;
}

/** A float price to WAD, rounded to 1e-9. */
export function toWad(price: number): bigint {
  if (!Number.isFinite(price) || price <= 0) throw new RangeError(`price must be positive, got ${price}`);
  return BigInt(Math.round(price * 1e9)) * 10n ** 9n;
}

/** WAD to float (for charts and ratios only). */
export function fromWad(x: bigint): number {
  return Number(x) / 1e18;
}

function gaussian(rng: Random): number {
  const u = Math.max(rng.float(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
}

/** How fast the wobble around the path reverts (AR(1) coefficient per step). */
const WOBBLE_PERSISTENCE = 0.9;

/** The whole market of a scenario, computed up front (a few hundred steps × three ilks). */
export function buildMarket(sc: Scenario, seedPrices: ReadonlyMap<string, number>): MarketStep[] {
  const out: MarketStep[] = [];
  const perIlk = new Map<string, { m: IlkMarket; rng: Random; feedRng: Random[]; dev: number; truth: number[]; depth: number }>();
  for (const [name, price] of seedPrices) {
    const m: IlkMarket = sc.market[name] ?? { path: [[0, 1]], volatilityBps: 0, dexDepth: [[0, 1]], oracle: { lagSteps: 0, feeds: [], faults: [] } };
    if (!(price > 0)) throw new RangeError(`seed price of ${name} must be positive`);
    perIlk.set(name, {
      m,
      rng: seededRandom(`${sc.seed}/${name}/truth`),
      feedRng: Array.from({ length: FEEDS }, (_, i) => seededRandom(`${sc.seed}/${name}/feed${i}`)),
      dev: 0,
      truth: [],
      depth: 1,
    });
  }
  for (const name of Object.keys(sc.market)) {
    if (!seedPrices.has(name)) throw new Error(`scenario ${sc.name}: market.${name} is not an ilk of the base config`);
  }
  for (let step = 0; step < sc.steps; step++) {
    const ilks = new Map<string, IlkStep>();
    for (const [name, st] of perIlk) {
      const seed = seedPrices.get(name) ?? 0;
      st.dev = WOBBLE_PERSISTENCE * st.dev + (gaussian(st.rng) * st.m.volatilityBps) / 10_000;
      const truth = seed * seriesAtLog(st.m.path, step) * Math.exp(st.dev);
      st.truth.push(truth);
      const o = st.m.oracle;
      const lagged = st.truth[Math.max(0, step - o.lagSteps)] ?? truth;
      let poolTarget = truth;
      const reports = Array.from({ length: FEEDS }, (_, i) => {
        const f = o.feeds[i] ?? { biasBps: 0, noiseBps: 0 };
        const noise = gaussian(st.feedRng[i] as Random) * f.noiseBps;
        let v = lagged * (1 + (f.biasBps + noise) / 10_000);
        for (const fault of o.faults) {
          if (step >= fault.fromStep && step <= fault.toStep && fault.feeds.includes(i)) v = truth * fault.multiple;
        }
        if (o.floorMultiple !== undefined) v = Math.max(v, seed * o.floorMultiple);
        return toWad(v);
      });
      for (const fault of o.faults) {
        if (fault.pool && step >= fault.fromStep && step <= fault.toStep) poolTarget = truth * fault.multiple;
      }
      st.depth = Math.min(st.depth, Math.max(0.01, seriesAt(st.m.dexDepth, step)));
      ilks.set(name, { truth: toWad(truth), reports, poolTarget: toWad(poolTarget), depth: st.depth });
    }
    out.push({ step, ilks });
  }
  return out;
}
