// Keeper configuration: a JSON file, then environment variables, then command-line flags (each
// later source overrides the earlier ones), validated with zod. A bad value is reported as ONE
// line naming the field, where it came from and what is wrong (`ConfigError`, exit code 2).
//
// Private keys come from the environment only (GAVEL_PRIVATE_KEYS) and never appear in messages.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Environment variables read by {@link loadConfig}, by field. */
export const ENV_VARS = {
  rpcUrls: 'GAVEL_RPC_URLS',
  chainId: 'GAVEL_CHAIN_ID',
  deploymentsFile: 'GAVEL_DEPLOYMENTS_FILE',
  checkpointFile: 'GAVEL_CHECKPOINT_FILE',
  confirmations: 'GAVEL_CONFIRMATIONS',
  pollIntervalMs: 'GAVEL_POLL_INTERVAL_MS',
  blockRange: 'GAVEL_BLOCK_RANGE',
  reorgDepth: 'GAVEL_REORG_DEPTH',
  staleHeadSeconds: 'GAVEL_STALE_HEAD_SECONDS',
  checkpointIntervalMs: 'GAVEL_CHECKPOINT_INTERVAL_MS',
  keys: 'GAVEL_PRIVATE_KEYS',
  // Kick, bid and send (added with src/send, src/kick, src/bid).
  maxFeeGwei: 'GAVEL_MAX_FEE_GWEI',
  priorityFeeGwei: 'GAVEL_PRIORITY_FEE_GWEI',
  stuckBlocks: 'GAVEL_STUCK_BLOCKS',
  kickGasBudget: 'GAVEL_KICK_GAS_BUDGET',
  kickGasPerVault: 'GAVEL_KICK_GAS_PER_VAULT',
  minMargin: 'GAVEL_MIN_MARGIN',
  reference: 'GAVEL_REFERENCE',
  referencePrices: 'GAVEL_REFERENCE_PRICES',
  nativePrice: 'GAVEL_NATIVE_PRICE',
  capital: 'GAVEL_CAPITAL',
  dexRouter: 'GAVEL_DEX_ROUTER',
  settleIntervalBlocks: 'GAVEL_SETTLE_INTERVAL_BLOCKS',
  takeJitterMs: 'GAVEL_TAKE_JITTER_MS',
  instantTake: 'GAVEL_INSTANT_TAKE',
  feeProfitShareBps: 'GAVEL_FEE_PROFIT_SHARE_BPS',
  metricsPort: 'GAVEL_METRICS_PORT',
  relayUrl: 'GAVEL_RELAY_URL',
  // Owner protection (issue 17, src/protect).
  preLiquidate: 'GAVEL_PRE_LIQUIDATE',
  preLiquidateMinProfit: 'GAVEL_PRE_LIQUIDATE_MIN_PROFIT',
  alertsPort: 'GAVEL_ALERTS_PORT',
  alertsHost: 'GAVEL_ALERTS_HOST',
  alertsAllowPrivateUrls: 'GAVEL_ALERTS_ALLOW_PRIVATE_URLS',
  alertsMaxSubscriptions: 'GAVEL_ALERTS_MAX_SUBSCRIPTIONS',
  alertsMaxPerOwner: 'GAVEL_ALERTS_MAX_PER_OWNER',
  logLevel: 'GAVEL_LOG_LEVEL',
} as const;

type Field = keyof typeof ENV_VARS;

/** The process exit code for a configuration error. */
export const CONFIG_EXIT_CODE = 2;

/** A configuration error; `message` is one line: `config: <field> (<source>): <what is wrong>`. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly exitCode = CONFIG_EXIT_CODE;
  constructor(
    /** Dotted path of the offending field (`rpcUrls.1`), or `file` when the file itself is bad. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const URL_RE = /^(https?|wss?):\/\/[^\s/?#]+[^\s]*$/i;

const rpcUrl = z.string({ error: 'must be a string URL' }).refine((s) => URL_RE.test(s) && URL.canParse(s), {
  error: 'must be an http(s):// or ws(s):// URL',
});

function int(min: number, max: number): z.ZodNumber {
  const msg = `must be an integer in [${min}, ${max}]`;
  return z.number({ error: msg }).int({ error: msg }).min(min, { error: msg }).max(max, { error: msg });
}

const privateKey = z
  .string({ error: 'must be a 0x-prefixed 32-byte hex private key' })
  .regex(/^0x[0-9a-fA-F]{64}$/, { error: 'must be a 0x-prefixed 32-byte hex private key' });

const DECIMAL_RE = /^\d+(\.\d+)?$/;

/** A non-negative decimal (string, or a plain number in a JSON file), kept as its string form. */
function decimal(msg: string): z.ZodType<string> {
  return z
    .union([z.string(), z.number()], { error: msg })
    .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
    .refine((s) => DECIMAL_RE.test(s), { error: msg });
}

const addressRe = /^0x[0-9a-fA-F]{40}$/;

/** A switch: a JSON boolean, or true/false, on/off, 1/0 from env and flags (converted by fromString). */
const flag = z.boolean({ error: 'must be true or false (on/off, 1/0)' });

export const configSchema = z.strictObject({
  /** JSON-RPC endpoints, in order of preference (failover rotates through them). */
  rpcUrls: z.array(rpcUrl, { error: 'must be a list of URLs' }).min(1, { error: 'needs at least one URL' }),
  chainId: int(1, 2 ** 53 - 1),
  /** deployments/<chainId>.json written by the deploy script. */
  deploymentsFile: z.string({ error: 'must be a file path' }).min(1, { error: 'must not be empty' }),
  /** SQLite checkpoint file. */
  checkpointFile: z.string({ error: 'must be a file path' }).min(1, { error: 'must not be empty' }),
  /** Blocks behind head the index stays (0: index the head itself). */
  confirmations: int(0, 1_000),
  /** How often to poll the head over HTTP (a WebSocket head notification wakes the loop early). */
  pollIntervalMs: int(10, 3_600_000),
  /** Largest eth_getLogs block range for backfill (halved automatically when the RPC refuses it). */
  blockRange: int(1, 10_000_000),
  /** Block hashes (and undo records) remembered for reorgs. */
  reorgDepth: int(1, 100_000),
  /** Rotate away from an endpoint whose head has not advanced for this long while another is ahead. */
  staleHeadSeconds: int(1, 86_400),
  /** Minimum time between two checkpoints. */
  checkpointIntervalMs: int(0, 86_400_000),
  /** Private keys (env only). */
  keys: z.array(privateKey, { error: 'must be a list of private keys' }),
  /** Fee ceiling (gwei, decimal): nothing is sent (or replaced) above it. */
  maxFeeGwei: decimal('must be a decimal number of gwei').refine((s) => Number(s) > 0, { error: 'must be above 0' }),
  /** Priority fee (tip) per gas (gwei, decimal). */
  priorityFeeGwei: decimal('must be a decimal number of gwei'),
  /** A transaction not mined after this many blocks is replaced (same nonce, fees +12.5% or more). */
  stuckBlocks: int(1, 10_000),
  /**
   * Gas budget of one liquidation transaction (a batch is sized to fit, from estimates). About an
   * eighth of the block gas limit packs blocks well: 4M on 30M blocks filled 95% of the per-block
   * ceiling in the bench, 8M only 74% (four 7.9M-limit batches fit a block, the rest is wasted).
   */
  kickGasBudget: int(100_000, 1_000_000_000),
  /** Planning figure per vault for the FIRST liquidateMany batch; later batches are sized from estimates. */
  kickGasPerVault: int(10_000, 10_000_000),
  /** Take when price <= reference x (1 - minMargin): a fraction in [0, 1). */
  minMargin: decimal('must be a fraction in [0, 1)').refine((s) => Number(s) < 1, { error: 'must be a fraction in [0, 1)' }),
  /** Market reference: a DEX quote (Uniswap V2 router getAmountsOut), the oracle mark, or configured prices. */
  reference: z.enum(['dex', 'oracle', 'config'], { error: 'must be one of dex, oracle, config' }),
  /** Per ilk name, stablecoin per whole token (reference "config"). Env/flag: "ETH-A=2000,WBTC-A=60000". */
  referencePrices: z.record(z.string(), decimal('must be a decimal price'), { error: 'must map ilk names to decimal prices' }),
  /** Stablecoin per native token: converts gas cost (gas x maxFee) into stablecoin. */
  nativePrice: decimal('must be a decimal price'),
  /** "own": pay with the keeper's stablecoin; "flash": zero capital through the flash taker. */
  capital: z.enum(['own', 'flash'], { error: 'must be own or flash' }),
  /** Uniswap V2 router (reference "dex"). */
  dexRouter: z.string({ error: 'must be an address' }).regex(addressRe, { error: 'must be a 0x-prefixed 20-byte address' }).optional(),
  /** Call settle() on each house every this many blocks (0: never). */
  settleIntervalBlocks: int(0, 1_000_000),
  /**
   * Rivals: once another keeper has been seen (a kick or take by an address not ours — nor the
   * shared flash taker's — in the last day of blocks, or a race lost on an auction it did not take
   * itself), each take waits a random 0..takeJitterMs after it is found
   * profitable, then re-simulates at the pending block right before signing (a rival's take already
   * in the pool stops it). Keepers that see the same block at the same instant otherwise send the
   * same take into the same block, and the loser pays for a revert. Alone, takes go at once. 0:
   * never wait.
   */
  takeJitterMs: int(0, 10_000),
  /**
   * Tier 1: a vault whose tab falls in a tier that starts below the mark is liquidated and bought
   * in one transaction (the flash taker's liquidateAndTake) when its profit beats the gas at the fee
   * ceiling; otherwise it is kicked like any other. Needs capital "flash" (ignored with "own").
   */
  instantTake: flag,
  /**
   * Fees per action: maxFee follows the base fee (2 x base + tip) up to this share (basis points) of
   * what the action earns per unit of gas — a take's profit before gas, a kick's incentive — and
   * never above maxFeeGwei. Above it the action waits for a lower base fee.
   */
  feeProfitShareBps: int(1, 10_000),
  /**
   * Private submission: signed transactions go to this endpoint's eth_sendRawTransaction (a
   * protected RPC or relay that does not gossip them to the public mempool) first; the public RPC
   * pool is the fallback when it refuses or does not answer.
   */
  relayUrl: rpcUrl.optional(),
  /**
   * Execute pre-liquidations (PreLiquidation.preLiquidate) of opted-in vaults in their band when the
   * collateral received, valued at the reference, beats the repayment plus gas by preLiquidateMinProfit.
   * Pays gUSD from the take lane's account (own capital only).
   */
  preLiquidate: flag,
  /** Least profit after gas (gUSD, decimal) for a pre-liquidation to be sent. */
  preLiquidateMinProfit: decimal('must be a decimal amount of gUSD'),
  /** Port of the owner-alert subscription endpoint (POST/GET/DELETE /subscriptions); 0: off. */
  alertsPort: int(0, 65_535),
  /** Interface the alert endpoint listens on (loopback by default: put a reverse proxy in front to expose it). */
  alertsHost: z.string({ error: 'must be a host name or IP address' }).min(1, { error: 'must not be empty' }),
  /** Allow webhook URLs whose host is (or resolves to) a loopback, private or link-local address (tests, a private network). */
  alertsAllowPrivateUrls: flag,
  /** Most subscriptions the store keeps (a new one past it is refused with 429). */
  alertsMaxSubscriptions: int(1, 1_000_000),
  /** Most subscriptions per owner address. */
  alertsMaxPerOwner: int(1, 1_000),
  /** Port of the Prometheus /metrics endpoint (0: none). */
  metricsPort: int(0, 65_535),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], { error: 'must be one of trace, debug, info, warn, error, fatal, silent' }),
});

export type KeeperConfig = z.infer<typeof configSchema>;

/** What a config file may set: everything but keys. */
export type ConfigFileInput = Partial<Omit<KeeperConfig, 'keys'>>;
/** Command-line flags, already named like the fields (the CLI maps its options). */
export type ConfigFlags = Partial<Record<Exclude<Field, 'keys'>, string | number | readonly string[] | undefined>>;

export const CONFIG_DEFAULTS = {
  confirmations: 0,
  pollIntervalMs: 1_000,
  blockRange: 5_000,
  reorgDepth: 64,
  staleHeadSeconds: 30,
  checkpointIntervalMs: 10_000,
  keys: [] as string[],
  maxFeeGwei: '200',
  priorityFeeGwei: '1',
  stuckBlocks: 3,
  kickGasBudget: 4_000_000,
  kickGasPerVault: 150_000,
  minMargin: '0.02',
  reference: 'oracle' as const,
  referencePrices: {} as Record<string, string>,
  nativePrice: '3000',
  capital: 'own' as const,
  settleIntervalBlocks: 50,
  takeJitterMs: 5_000,
  instantTake: true,
  feeProfitShareBps: 5_000,
  metricsPort: 0,
  preLiquidate: false,
  preLiquidateMinProfit: '1',
  alertsPort: 0,
  alertsHost: '127.0.0.1',
  alertsAllowPrivateUrls: false,
  alertsMaxSubscriptions: 1_000,
  alertsMaxPerOwner: 5,
  logLevel: 'info' as const,
} satisfies Partial<KeeperConfig>;

const NUMERIC: ReadonlySet<Field> = new Set([
  'chainId',
  'confirmations',
  'pollIntervalMs',
  'blockRange',
  'reorgDepth',
  'staleHeadSeconds',
  'checkpointIntervalMs',
  'stuckBlocks',
  'kickGasBudget',
  'kickGasPerVault',
  'settleIntervalBlocks',
  'takeJitterMs',
  'feeProfitShareBps',
  'metricsPort',
  'alertsPort',
  'alertsMaxSubscriptions',
  'alertsMaxPerOwner',
]);
const BOOLS: ReadonlySet<Field> = new Set(['preLiquidate', 'alertsAllowPrivateUrls', 'instantTake']);
const LISTS: ReadonlySet<Field> = new Set(['rpcUrls', 'keys']);
const MAPS: ReadonlySet<Field> = new Set(['referencePrices']);

/** Converts a string from env or a flag to the field's type (numbers, comma-separated lists). */
function fromString(field: Field, raw: string): unknown {
  const s = raw.trim();
  if (NUMERIC.has(field)) return /^-?\d+$/.test(s) ? Number(s) : s;
  if (BOOLS.has(field)) {
    const l = s.toLowerCase();
    if (l === 'true' || l === 'on' || l === '1') return true;
    if (l === 'false' || l === 'off' || l === '0') return false;
    return s; // the schema reports it
  }
  if (LISTS.has(field)) return s === '' ? [] : s.split(',').map((x) => x.trim());
  if (MAPS.has(field)) {
    const out: Record<string, string> = {};
    for (const part of s.split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      if (eq <= 0) return s; // not a map: let the schema report it
      out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    return out;
  }
  return s;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return 'an object';
}

/**
 * Loads and validates the configuration: `file` (JSON, optional) < `env` < `flags` < nothing else.
 * `deploymentsFile` defaults to `deployments/<chainId>.json` and `checkpointFile` to
 * `keeper-<chainId>.sqlite`, both relative to the working directory; relative paths in the file are
 * resolved against the file's directory. Throws {@link ConfigError} (one line) on any bad value.
 */
export function loadConfig(
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>> = {},
  flags: ConfigFlags = {},
): KeeperConfig {
  const merged: Record<string, unknown> = {};
  const source: Record<string, string> = {};

  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError('file', `config: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ConfigError('file', `config: ${file} is not valid JSON: ${(err as Error).message.split('\n')[0] ?? ''}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError('file', `config: ${file} must contain a JSON object`);
    }
    const dir = path.dirname(path.resolve(file));
    for (const [k, v] of Object.entries(parsed)) {
      if (k === 'keys') {
        throw new ConfigError('keys', `config: keys (${file}): private keys are read from ${ENV_VARS.keys} only, never from a file`);
      }
      merged[k] = (k === 'deploymentsFile' || k === 'checkpointFile') && typeof v === 'string' && v !== '' ? path.resolve(dir, v) : v;
      source[k] = file;
    }
  }
  for (const [field, name] of Object.entries(ENV_VARS) as [Field, string][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    merged[field] = fromString(field, raw);
    source[field] = `env ${name}`;
  }
  for (const [field, raw] of Object.entries(flags) as [Field, ConfigFlags[Exclude<Field, 'keys'>]][]) {
    if (raw === undefined) continue;
    merged[field] = typeof raw === 'string' ? fromString(field, raw) : raw;
    source[field] = `flag --${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  }
  for (const [k, v] of Object.entries(CONFIG_DEFAULTS)) {
    if (!(k in merged)) merged[k] = v;
  }
  const chainId = merged.chainId;
  if (typeof chainId === 'number' && Number.isSafeInteger(chainId)) {
    merged.deploymentsFile ??= path.resolve('deployments', `${chainId}.json`);
    merged.checkpointFile ??= path.resolve(`keeper-${chainId}.sqlite`);
  }

  const result = configSchema.safeParse(merged);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new ConfigError('config', 'config: invalid configuration');
  const fieldPath = issue.path.map(String).join('.');
  const top = String(issue.path[0] ?? '');
  const where = source[top] ?? (top in CONFIG_DEFAULTS ? 'default' : 'missing');
  let what: string;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    throw new ConfigError(keys, `config: ${keys}: unknown field${issue.keys.length > 1 ? 's' : ''} (${source[issue.keys[0] ?? ''] ?? 'input'})`);
  }
  if (merged[top] === undefined) {
    what = `is required (set it in the file, ${top in ENV_VARS ? ENV_VARS[top as Field] : 'env'} or --${top.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)})`;
  } else {
    let value: unknown = merged[top];
    for (const p of issue.path.slice(1)) {
      value = Array.isArray(value) || (typeof value === 'object' && value !== null) ? (value as Record<PropertyKey, unknown>)[p] : undefined;
    }
    // Never echo a key, even a malformed one.
    const shown = top === 'keys' ? '' : `, got ${describe(value)}`;
    what = `${issue.message}${shown}`;
  }
  throw new ConfigError(fieldPath, `config: ${fieldPath} (${where}): ${what}`);
}
