// gavel-keeper: run | vaults | auctions | watch <owner>.
//
// Config: --config file < env (GAVEL_*) < flags, validated by loadConfig. Any bad config or flag
// prints ONE line naming the field and what is wrong, and exits 2. Keys: GAVEL_PRIVATE_KEYS and/or
// --keystore <file> with GAVEL_KEYSTORE_PASSWORD; never logged (pino redact, and never in messages).

import { Command, CommanderError, Option } from 'commander';
import { pino, type Logger } from 'pino';
import { type Hex, isAddress, parseUnits } from 'viem';
import { CONFIG_EXIT_CODE, ConfigError, ENV_VARS, type ConfigFlags, type KeeperConfig, loadConfig } from '../config/config.ts';
import { type Deployment, loadDeployment } from '../config/deployments.ts';
import { Indexer } from '../index/indexer.ts';
import { Keeper } from '../keeper.ts';
import { KeystoreError, readKeystore } from '../keys/keystore.ts';
import { KeeperMetrics } from '../metrics.ts';
import { RpcPool } from '../rpc/pool.ts';
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

function decimalWad(field: string, v: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(v)) throw new ConfigError(field, `config: ${field} (flag --${field}): must be a decimal number, got ${JSON.stringify(v)}`);
  return parseUnits(v, 18);
}

async function cmdRun(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const l = load(opts, io.env, true);
  const log = makeLogger(l.config.logLevel);
  const metrics = new KeeperMetrics({ defaultMetrics: true });
  const keeper = new Keeper({ config: l.config, deployment: l.deployment, keys: l.keys, logger: log, metrics });
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
  const threshold = decimalWad('threshold', typeof opts.threshold === 'string' ? opts.threshold : '1.1');
  const webhook = typeof opts.webhook === 'string' ? opts.webhook : undefined;
  if (webhook !== undefined && !/^https?:\/\//.test(webhook)) throw new ConfigError('webhook', `config: webhook (flag --webhook): must be an http(s) URL, got ${JSON.stringify(webhook)}`);
  const l = load(opts, io.env, false);
  const ix = readIndexer(l);
  const last = new Map<string, string>();
  const alerted = new Set<string>();
  let exitCode: number | undefined;
  let resolveBreach: (code: number) => void = () => undefined;
  const breach = new Promise<number>((r) => {
    resolveBreach = r;
  });
  const check = async (): Promise<void> => {
    for (const r of vaultRows(ix.model, { owner })) {
      const k = r.ilk;
      const line = `${r.ilk} health ${fmtWad(r.health)} liquidation price ${fmtWad(r.liquidationPrice, 2)} debt ${fmtWad(r.debt, 2)}`;
      if (last.get(k) !== line) {
        last.set(k, line);
        io.stdout(`block ${ix.processed} ${line}\n`);
      }
      if (r.debt > 0n && r.health < threshold) {
        if (webhook === undefined) {
          io.stderr(`ALERT ${r.ilk} vault of ${owner}: health ${fmtWad(r.health)} below ${fmtWad(threshold)}\n`);
          exitCode = 3;
          resolveBreach(3);
          return;
        }
        if (!alerted.has(k)) {
          alerted.add(k);
          const body = JSON.stringify({ owner, ilk: r.ilk, health: fmtWad(r.health), threshold: fmtWad(threshold), liquidationPrice: fmtWad(r.liquidationPrice, 2), block: ix.processed.toString() });
          await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch((err: unknown) => {
            io.stderr(`webhook failed: ${err instanceof Error ? err.message : String(err)}\n`);
          });
        }
      } else alerted.delete(k);
    }
  };
  ix.on('block', (e) => {
    if (e.live) void check();
  });
  await ix.start();
  await check();
  if (exitCode === undefined) await Promise.race([io.stopSignal, breach]);
  await ix.stop();
  return exitCode ?? 0;
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
  addConfigOptions(program.command('watch').description("watch an owner's vaults: health and liquidation price"))
    .argument('<owner>', 'vault owner address')
    .option('--threshold <health>', 'alert below this health (1.0 = liquidation)', '1.1')
    .option('--webhook <url>', 'POST a JSON alert here instead of exiting')
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
