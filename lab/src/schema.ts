// The lab's two kinds of data file, validated with zod: a scenario (lab/scenarios/*.json: the market,
// the chain, the oracle's faults and the agents, with the public facts it is built from) and a
// mechanism (lab/mechanisms/*.json: the auction sections of the deploy config, per ilk). A bad file
// fails with a message naming the field.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Piecewise-linear series over lab steps: `[[step, value], ...]`, steps ascending, held flat past the ends. */
const series = z
  .array(z.tuple([z.number().int().nonnegative(), z.number()]))
  .min(1)
  .refine((s) => s.every((p, i) => i === 0 || p[0] > (s[i - 1]?.[0] ?? -1)), 'steps must ascend');
export type Series = z.infer<typeof series>;

const feedSchema = z.object({
  /** Constant relative error of this feed, basis points (signed). */
  biasBps: z.number().default(0),
  /** Standard deviation of per-step noise, basis points. */
  noiseBps: z.number().nonnegative().default(0),
});

const oracleSchema = z.object({
  /** Every feed reports the true price of this many steps ago (a delayed oracle, MakerDAO's OSM). */
  lagSteps: z.number().int().nonnegative().default(0),
  /** The three pushed feeds' errors (missing ones: exact). */
  feeds: z.array(feedSchema).max(3).default([]),
  /** Feeds never report below this multiple of the seed price (a Chainlink `minAnswer`: LUNA 2022). */
  floorMultiple: z.number().positive().optional(),
  /** Feeds overridden for a window: report `multiple` × the true price (a bad venue or a manipulation). */
  faults: z
    .array(
      z.object({
        feeds: z.array(z.number().int().min(0).max(2)).min(1),
        multiple: z.number().positive(),
        fromStep: z.number().int().nonnegative(),
        toStep: z.number().int().nonnegative(),
        /** The DEX pool is pushed to the same price (a manipulated thin pool the feeds read). */
        pool: z.boolean().default(false),
        why: z.string().min(1),
      }),
    )
    .default([]),
});

const ilkMarketSchema = z.object({
  /** The true price as a multiple of the ilk's seed price, per step (interpolated in log space). */
  path: series,
  /** Standard deviation of a mean-reverting per-step wobble around the path, basis points. */
  volatilityBps: z.number().nonnegative().default(0),
  /** DEX pool depth as a fraction of the seeded liquidity, per step (the LP withdraws; it never adds back). */
  dexDepth: series.default([[0, 1]]),
  oracle: oracleSchema.default({ lagSteps: 0, feeds: [], faults: [] }),
});

const bidderSchema = z.object({
  name: z.string().min(1),
  count: z.number().int().min(1).max(8),
  /** Steps after an auction (re)starts before this bidder looks at it. */
  reactionSteps: z.number().int().nonnegative(),
  /** Whole gUSD each bidder of this kind holds (0 for a flash bidder). */
  capitalGusd: z.number().nonnegative(),
  /** Required discount to the market (capital bidders) or DEX proceeds over cost (flash bidders), basis points. */
  marginBps: z.number().int().nonnegative(),
  /** Zero capital: takes through the UniswapV2FlashTaker and sells on the DEX pool in the callback. */
  flash: z.boolean(),
  /** Highest base fee this bidder pays, gwei (above it the bidder sits the block out). */
  maxFeeGwei: z.number().positive(),
});
export type BidderSpec = z.infer<typeof bidderSchema>;

export const scenarioSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  /** The public facts the scenario is built from (what, where). */
  sources: z.array(z.string().min(10)).min(1),
  /** How the facts were compressed or simplified into the data below. */
  modelling: z.string().min(1),
  seed: z.string().min(1),
  /** Base deploy config (contracts/config/<name>.json) the mechanism's tiers are applied to. */
  baseConfig: z.string().default('demo'),
  vaults: z.number().int().min(3).max(600),
  steps: z.number().int().min(2),
  /** Chain seconds per lab step (one protocol block per step; the blocks between carry only other traffic). */
  stepSeconds: z.number().int().min(2),
  chain: z.object({
    blockSeconds: z.number().int().positive(),
    blockGasLimit: z.number().int().positive(),
    /** Share of each block other traffic fills (0-1), per step: the rest is what the lab's agents can use. */
    otherTrafficShare: series,
    /** Base fee per step, gwei. */
    gasPriceGwei: series,
    /** ETH price in gUSD for gas costs (the gas token's own price, not a collateral). */
    gasTokenPriceGusd: z.number().positive(),
  }),
  market: z.record(z.string(), ilkMarketSchema),
  /** The poke bot also calls CircuitBreaker.observe after every poke (the breaker is armed, as in the demo). */
  breakerWatched: z.boolean().default(true),
  keeper: z.object({
    /** Steps between a vault turning unsafe and the kick. */
    kickDelaySteps: z.number().int().nonnegative(),
    maxFeeGwei: z.number().positive(),
    /** The keeper triggers the fund takeover once an auction has been redone this often and is due again. */
    takeoverAfterRedos: z.number().int().nonnegative().default(1),
  }),
  bidders: z.array(bidderSchema).min(1),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type IlkMarket = z.infer<typeof ilkMarketSchema>;

/** Opt-in pre-liquidation (issue 17): which owners opt in, their parameters, and the agent that executes it. */
const preLiquidationSchema = z.object({
  /** Share of the watched vaults whose owners opt in (spread evenly over the vault list). */
  optInShare: z.number().min(0).max(1),
  /** `PreLiquidation.setParams` fields, as forge number strings (`"1.1e18"`, `"2000"`). */
  preHealthWad: z.string(),
  incentiveStartWad: z.string(),
  incentiveEndWad: z.string(),
  closeFactorStartBps: z.string(),
  closeFactorEndBps: z.string(),
  /** The pre-liquidator: repays with its own gUSD, sells the collateral at the market. */
  agent: z.object({
    capitalGusd: z.number().positive(),
    /** Required gain over the repayment after gas, basis points of the repayment. */
    marginBps: z.number().int().nonnegative(),
    maxFeeGwei: z.number().positive(),
  }),
});
export type PreLiquidationSpec = z.infer<typeof preLiquidationSchema>;

export const mechanismSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  /** Another mechanism's name: its `ilks`, `global` and `preLiquidation` are the defaults of this one. */
  extends: z.string().optional(),
  title: z.string().min(1),
  sources: z.array(z.string().min(10)).min(1),
  notes: z.string().min(1),
  /**
   * Per ilk of the base config: sections of its deploy-config entry replaced wholesale
   * (`auction`, optionally `liquidation`); Deploy.s.sol validates them as it does any config.
   */
  ilks: z.record(z.string(), z.record(z.string(), z.unknown())),
  /** Top-level sections replaced wholesale (e.g. `liquidation` for the keeper incentives). */
  global: z.record(z.string(), z.unknown()).default({}),
  /** Owners opt into pre-liquidation and a pre-liquidator agent runs (absent: nobody opts in). */
  preLiquidation: preLiquidationSchema.optional(),
});
export type Mechanism = z.infer<typeof mechanismSchema>;

/**
 * The margin comparison's book (lab/margin.json): borrowers whose holdings (a value at the seed prices split
 * over portfolio-table assets) are opened once as isolated vaults and once as one portfolio, each drawing
 * `utilization` of its own capacity.
 */
export const marginBookSchema = z.object({
  /** Share of its own debt capacity each position draws (isolated: each vault's; portfolio: the worst scenario's), unless a borrower sets its own. */
  utilization: z.number().gt(0).lt(1),
  borrowers: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z0-9-]+$/),
        /** This borrower's share of its capacity drawn, in both models (default: the book's `utilization`). */
        utilization: z.number().gt(0).lt(1).optional(),
        /** Value of the holdings at the base config's seed prices, whole gUSD. */
        valueGusd: z.number().positive(),
        /** Share of the value per ilk (portfolio-table assets of the base config), summing to 1. */
        mix: z
          .record(z.string(), z.number().positive())
          .refine((m) => Object.keys(m).length > 0, 'at least one asset')
          .refine((m) => Math.abs(Object.values(m).reduce((a, b) => a + b, 0) - 1) < 1e-9, 'shares must sum to 1'),
      }),
    )
    .min(1)
    .max(50)
    .refine((b) => new Set(b.map((x) => x.name)).size === b.length, 'borrower names must be unique'),
});
export type MarginBook = z.infer<typeof marginBookSchema>;

function loadDir<T>(dir: string, schema: z.ZodType<T>, what: string): T[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((f) => {
    const raw: unknown = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    const r = schema.safeParse(raw);
    if (!r.success) {
      const msg = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new Error(`${what} ${f}: ${msg}`);
    }
    return r.data;
  });
}

export const labRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export function loadScenarios(dir = path.join(labRoot, 'scenarios')): Scenario[] {
  return loadDir(dir, scenarioSchema, 'scenario');
}

export function loadMechanisms(dir = path.join(labRoot, 'mechanisms')): Mechanism[] {
  const all = loadDir(dir, mechanismSchema, 'mechanism');
  const byName = new Map(all.map((m) => [m.name, m]));
  return all.map((m) => {
    if (m.extends === undefined) return m;
    const parent = byName.get(m.extends);
    if (!parent || parent.extends !== undefined) throw new Error(`mechanism ${m.name}: extends ${m.extends}, which is missing or itself extends another`);
    const preLiquidation = m.preLiquidation ?? parent.preLiquidation;
    return {
      ...m,
      ilks: { ...parent.ilks, ...m.ilks },
      global: { ...parent.global, ...m.global },
      ...(preLiquidation ? { preLiquidation } : {}),
    };
  });
}

/** The value of a series at `step`: linear between points, flat beyond the ends. */
export function seriesAt(s: Series, step: number): number {
  const first = s[0];
  if (!first) throw new RangeError('empty series');
  if (step <= first[0]) return first[1];
  for (let i = 1; i < s.length; i++) {
    const b = s[i];
    const a = s[i - 1];
    if (!a || !b) break;
    if (step <= b[0]) return a[1] + ((b[1] - a[1]) * (step - a[0])) / (b[0] - a[0]);
  }
  return s[s.length - 1]?.[1] ?? first[1];
}

/** Like {@link seriesAt} but interpolated in log space (for prices: a steady percentage fall). */
export function seriesAtLog(s: Series, step: number): number {
  return Math.exp(seriesAt(s.map(([k, v]) => [k, Math.log(v)] as [number, number]), step));
}

/** The margin comparison's book: lab/margin.json unless another file is named. */
export function loadMarginBook(file = path.join(labRoot, 'margin.json')): MarginBook {
  const r = marginBookSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!r.success) throw new Error(`margin book ${path.basename(file)}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}
