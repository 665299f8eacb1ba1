// gavel-keeper: run | vaults | auctions | watch <owner>.
//
// Config: --config file < env (GAVEL_*) < flags, validated by loadConfig. Any bad config or flag
// prints ONE line naming the field and what is wrong, and exits 2. Keys: GAVEL_PRIVATE_KEYS and/or
// --keystore <file> with GAVEL_KEYSTORE_PASSWORD; never logged (pino redact, and never in messages).

import { Command, CommanderError, Option } from 'commander';
import { pino, type Logger } from 'pino';
import { type Hex, getAddress, isAddress, parseUnits } from 'viem';
import { CONFIG_EXIT_CODE, ConfigError, ENV_VARS, type ConfigFlags, type KeeperConfig, loadConfig } from '../config/config.ts';
import { type Deployment, loadDeployment } from '../config/deployments.ts';
import { Indexer } from '../index/indexer.ts';
import { Keeper } from '../keeper.ts';
import { KeystoreError, readKeystore } from '../keys/keystore.ts';
import { KeeperMetrics } from '../metrics.ts';
import { RpcPool } from '../rpc/pool.ts';
import { startupChecks } from '../startup.ts';
import { OK_STATE, type AlertState, alertRank, describeState, formatDistances, nextAlertState, parseDistances } from '../protect/alerts.ts';
import { OptIns } from '../protect/optIns.ts';
import { ownerVaults } from '../protect/ownerVaults.ts';
import { SerialQueue } from '../protect/serialQueue.ts';
import { buildAlert, deliverAlert, webhookUrlProblem } from '../protect/webhook.ts';
import { VAULT_SORTS, type VaultSort, auctionTable, fmtWad, sortVaults, vaultRows, vaultTable } from './format.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface CliIo {
  readonly env: Env;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  readonly stopSignal: Promise<string>;
}

const REDACT = ['keys', '*.keys', 'config.keys', 'privateKey', '*.privateKey', 'password', '*.password', 'keystorePassword'];

export function makeLogger(level: string, dest: 1 | 2 = 2): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'gavel-keeper' } }, pino.destination({ fd: dest, sync: true }));
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (s: string): string => s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

type FieldName = Exclude<keyof typeof ENV_VARS, 'keys'>;
const FLAG_FIELDS = (Object.keys(ENV_VARS) as (keyof typeof ENV_VARS)[]).filter((f): f is FieldName => f !== 'keys');

function addConfigOptions(cmd: Command): Command {
  cmd.option('-c, --config <file>', 'JSON config file');
  cmd.option('--keystore <file>', 'encrypted JSON keystore (password from GAVEL_KEYSTORE_PASSWORD)');
  for (const f of FLAG_FIELDS) cmd.addOption(new Option(`--${kebab(f)} <value>`, `${f} (env ${ENV_VARS[f]})`));
  return cmd;
}

interface Loaded {
  readonly config: KeeperConfig;
  readonly deployment: Deployment;
  readonly keys: Hex[];
}

function load(opts: Record<string, unknown>, env: Env, needKeys: boolean): Loaded {
  const flags: ConfigFlags = {};
  for (const f of FLAG_FIELDS) {
    const v = opts[camel(kebab(f))];
    if (typeof v === 'string') flags[f] = v;
  }
  const config = loadConfig(typeof opts.config === 'string' ? opts.config : undefined, env, flags);
  const keys = [...config.keys] as Hex[];
  if (typeof opts.keystore === 'string') {
    const password = env.GAVEL_KEYSTORE_PASSWORD;
    if (password === undefined) throw new ConfigError('keystore', 'config: keystore: GAVEL_KEYSTORE_PASSWORD is not set');
    try {
      keys.push(readKeystore(opts.keystore, password));
    } catch (err) {
      if (err instanceof KeystoreError) throw new ConfigError('keystore', `config: keystore (${opts.keystore}): ${err.message.replace(/^keystore: /, '')}`);
      throw err;
    }
  }
  if (needKeys && keys.length === 0) throw new ConfigError('keys', `config: keys: none given (set ${ENV_VARS.keys} or --keystore with GAVEL_KEYSTORE_PASSWORD)`);
  const deployment = loadDeployment(config.deploymentsFile, config.chainId);
  return { config, deployment, keys };
}

function readIndexer(l: Loaded): Indexer {
  const { config, deployment } = l;
  const ix = new Indexer({
    deployment,
    chainId: config.chainId,
    pool: new RpcPool(config.rpcUrls, { staleHeadMs: config.staleHeadSeconds * 1000 }),
    // Read-only: a running keeper may own this file; looking must never write, reset or lock it.
    checkpointFile: config.checkpointFile,
    checkpointReadOnly: true,
    blockRange: config.blockRange,
    reorgDepth: config.reorgDepth,
    confirmations: config.confirmations,
    pollIntervalMs: config.pollIntervalMs,
    checkpointIntervalMs: config.checkpointIntervalMs,
  });
  ix.on('checkpointMismatch', (e) => {
    makeLogger(config.logLevel).warn({ file: e.file, reason: e.reason }, 'checkpoint is from another chain or deployment: ignored (read-only, left as it is), indexing from the deployment block');
  });
  return ix;
}

/** `watch`'s warning distances when --warn-at is not given. */
const DEFAULT_WARN_AT = '10%,5%';

function decimalWad(field: string, v: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(v)) throw new ConfigError(field, `config: ${field} (flag --${field}): must be a decimal number, got ${JSON.stringify(v)}`);
  return parseUnits(v, 18);
}

async function cmdRun(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const l = load(opts, io.env, true);
  const log = makeLogger(l.config.logLevel);
  const metrics = new KeeperMetrics({ defaultMetrics: true });
  const keeper = new Keeper({ config: l.config, deployment: l.deployment, keys: l.keys, logger: log, metrics });
  // Fail fast on a bad configuration (one line, exit 2): dead URL, wrong chain, wrong addresses, no ETH.
  await startupChecks({ config: l.config, deployment: l.deployment, lanes: { kick: keeper.sender.address('kick'), take: keeper.sender.address('take'), settle: keeper.sender.address('settle') } });
  const server = l.config.metricsPort > 0 ? await metrics.serve(l.config.metricsPort) : undefined;
  if (server) log.info({ port: server.port }, 'metrics on /metrics');
  log.info({ rpc: l.config.rpcUrls.length, chainId: l.config.chainId, reference: l.config.reference, capital: l.config.capital, lanes: { kick: keeper.sender.address('kick'), take: keeper.sender.address('take'), settle: keeper.sender.address('settle') } }, 'starting');
  const started = keeper.start().then(() => 'live');
  const first = await Promise.race([started, io.stopSignal]);
  if (first === 'live') await io.stopSignal.then((sig) => { log.info({ signal: sig }, 'shutting down'); });
  await keeper.stop();
  await server?.close();
  return 0;
}

async function cmdVaults(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const sort = (opts.sort ?? 'health') as string;
  if (!(VAULT_SORTS as readonly string[]).includes(sort)) throw new ConfigError('sort', `config: sort (flag --sort): must be one of ${VAULT_SORTS.join(', ')}, got ${JSON.stringify(sort)}`);
  const l = load(opts, io.env, false);
  const ix = readIndexer(l);
  await ix.start();
  const rows = sortVaults(vaultRows(ix.model, { ilk: typeof opts.ilk === 'string' ? opts.ilk : undefined }), sort as VaultSort);
  io.stdout(`${vaultTable(rows)}\n${rows.length} vaults at block ${ix.processed}\n`);
  await ix.stop();
  return 0;
}

async function cmdAuctions(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const l = load(opts, io.env, false);
  const ix = readIndexer(l);
  const decimalsOf = (ilk: Hex): number => ix.model.ilks.get(ilk)?.decimals ?? 18;
  const print = (): void => {
    const now = ix.processedTimestamp ?? BigInt(Math.floor(Date.now() / 1000));
    const list = ix.model.liveAuctions();
    io.stdout(`${auctionTable(list, now, decimalsOf)}\n${list.length} live auctions at block ${ix.processed}\n`);
  };
  await ix.start();
  print();
  if (opts.once !== true) {
    const off = ix.on('block', (e) => {
      if (e.live) print();
    });
    await io.stopSignal;
    off();
  }
  await ix.stop();
  return 0;
}

async function cmdWatch(owner: string, opts: Record<string, unknown>, io: CliIo): Promise<number> {
  if (!isAddress(owner, { strict: false })) throw new ConfigError('owner', `config: owner (argument): must be a 0x-prefixed 20-byte address, got ${JSON.stringify(owner)}`);
  const who = getAddress(owner);
  let warnAt: bigint[];
  try {
    warnAt = parseDistances(typeof opts.warnAt === 'string' ? opts.warnAt : DEFAULT_WARN_AT);
  } catch (e) {
    throw new ConfigError('warnAt', `config: warn-at (flag --warn-at): ${(e as Error).message}`);
  }
  const threshold = typeof opts.threshold === 'string' ? decimalWad('threshold', opts.threshold) : undefined;
  const webhook = typeof opts.webhook === 'string' ? opts.webhook : undefined;
  // The watcher's own URL (its operator typed it): any http(s) host, loopback included.
  const urlProblem = webhook === undefined ? undefined : webhookUrlProblem(webhook, true);
  if (webhook !== undefined && urlProblem !== undefined) throw new ConfigError('webhook', `config: webhook (flag --webhook): ${urlProblem}, got ${JSON.stringify(webhook)}`);
  const secret = io.env.GAVEL_WEBHOOK_SECRET;
  const l = load(opts, io.env, false);
  // An RPC that does not answer (or serves another chain or deployment): one line, exit 2.
  await startupChecks({ config: l.config, deployment: l.deployment, lanes: {} });
  const ix = readIndexer(l);
  const optIns = l.deployment.preLiquidation ? new OptIns({ client: ix.client, address: l.deployment.preLiquidation, fromBlock: l.deployment.block, blockRange: l.config.blockRange }) : undefined;
  ix.on('reorg', () => {
    optIns?.reset();
  });
  const states = new Map<string, AlertState>();
  const queue = new SerialQueue();
  let resolveBreach: (code: number) => void = () => undefined;
  const breach = new Promise<number>((r) => {
    resolveBreach = r;
  });
  const check = async (): Promise<void> => {
    const block = ix.processed;
    await optIns?.syncTo(block);
    for (const v of ownerVaults(ix.model, optIns, who)) {
      const prev = states.get(v.ilk) ?? OK_STATE;
      const next = nextAlertState(prev, v.healthWad, v.preHealthWad, warnAt);
      const change = alertRank(next, warnAt) - alertRank(prev, warnAt);
      states.set(v.ilk, next);
      if (change !== 0) {
        const tag = change > 0 ? 'ALERT' : 'RECOVERED';
        io.stdout(`${tag} block ${block} ${v.ilkName} ${who} health ${fmtWad(v.healthWad)}: ${describeState(next, v.preHealthWad, (w) => fmtWad(w))}\n`);
        if (change > 0 && webhook !== undefined) {
          const alert = buildAlert({ subscription: null, chainId: l.config.chainId, ilk: v.ilk, ilkName: v.ilkName, owner: who, state: next, previous: prev, healthWad: v.healthWad, preHealthWad: v.preHealthWad, block });
          const r = await deliverAlert(webhook, alert, { allowPrivate: true, secret });
          if (!r.ok) io.stderr(`webhook failed after ${r.attempts} attempts: ${r.error}\n`);
        }
      }
      if (threshold !== undefined && v.healthWad < threshold) {
        io.stderr(`ALERT ${v.ilkName} vault of ${who}: health ${fmtWad(v.healthWad)} below ${fmtWad(threshold)}\n`);
        resolveBreach(3);
      }
    }
  };
  const run = (): Promise<void> =>
    queue.run(check).catch((err: unknown) => {
      io.stderr(`watch: ${err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err)}\n`);
    });
  ix.on('block', (e) => {
    if (e.live) void run();
  });
  await ix.start();
  await run();
  const vaults = ownerVaults(ix.model, optIns, who);
  io.stderr(`watching ${who}: ${vaults.length} vaults with debt at block ${ix.processed}, warn at ${formatDistances(warnAt)} above ${optIns ? 'the pre-liquidation threshold and ' : ''}the liquidation threshold\n`);
  const code = opts.once === true ? 0 : await Promise.race([io.stopSignal.then(() => 0), breach]);
  await queue.idle();
  await ix.stop();
  return code;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('gavel-keeper')
    .description('Gavel auction keeper: index, liquidate, bid')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined })
    .showSuggestionAfterError(false);
  let result: Promise<number> = Promise.resolve(0);
  addConfigOptions(program.command('run').description('index, kick and bid until SIGINT/SIGTERM')).action((opts: Record<string, unknown>) => {
    result = cmdRun(opts, io);
  });
  addConfigOptions(program.command('vaults').description('table of vaults: owner, collateral, debt, health, liquidation price'))
    .option('--sort <key>', `one of ${VAULT_SORTS.join(', ')}`, 'health')
    .option('--ilk <name>', 'only this collateral type')
    .action((opts: Record<string, unknown>) => {
      result = cmdVaults(opts, io);
    });
  addConfigOptions(program.command('auctions').description('live table of active auctions'))
    .option('--once', 'print once and exit')
    .action((opts: Record<string, unknown>) => {
      result = cmdAuctions(opts, io);
    });
  addConfigOptions(program.command('watch').description("follow an owner's vaults: one line per alert at the owner's distances to the pre-liquidation and liquidation thresholds"))
    .argument('<owner>', 'vault owner address')
    .option('--warn-at <distances>', `alert within these distances above the pre-liquidation threshold and the liquidation threshold (default ${DEFAULT_WARN_AT})`)
    .option('--webhook <url>', 'also POST each alert (JSON, format version 2; signed when GAVEL_WEBHOOK_SECRET is set)')
    .option('--threshold <health>', 'exit 3 as soon as a vault is below this health (for scripts)')
    .option('--once', 'check once and exit')
    .action((owner: string, opts: Record<string, unknown>) => {
      result = cmdWatch(owner, opts, io);
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return await result;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      io.stderr(`config: ${err.message.replace(/^error: /, '').split('\n')[0] ?? err.code}\n`);
      return CONFIG_EXIT_CODE;
    }
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\n`);
      return err.exitCode;
    }
    io.stderr(`gavel-keeper: ${err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err)}\n`);
    return 1;
  }
}

/** Process entry: wires signals and stdio, exits with main's code. */
export function runCli(): void {
  const stopSignal = new Promise<string>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => {
      resolve(sig);
    });
  });
  const io: CliIo = {
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stopSignal,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
      // Sockets (RPC keep-alive, metrics) must not keep a finished command alive.
      setTimeout(() => process.exit(code), 200).unref();
    },
    (err: unknown) => {
      process.stderr.write(`gavel-keeper: ${String(err)}\n`);
      process.exit(1);
    },
  );
}

const isEntry = process.argv[1] !== undefined && /[\\/]cli[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (isEntry) runCli();
