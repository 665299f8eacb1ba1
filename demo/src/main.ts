// gavel-demo CLI (`npm run demo`). Bad options exit 2 with one line; a failed run exits 1 with the
// reason; a headless run prints its JSON summary on stdout and exits 0.

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { z } from 'zod';
import { runLive } from './live.ts';
import { type DemoSummary, runScenario } from './scenario.ts';

const INTERACTIVE_TIMELINE = { calmBlocks: 60, crashBlocks: 180, aftermathBlocks: Number.POSITIVE_INFINITY };
const HEADLESS_TIMELINE = { calmBlocks: 15, crashBlocks: 120, aftermathBlocks: 90 };
/**
 * The keeper's GAVEL_MIN_MARGIN in an interactive run: it takes only 10% below the market, so a
 * person in the app has the seconds while the price falls from the market to 10% below it (curves
 * fall 0.5-1.5% a second here: about 7-20 s) to take first. Headless keeps the keeper's default.
 */
const INTERACTIVE_KEEPER_MARGIN = '0.1';

const blocks = (what: string) => z.coerce.number({ error: `${what} must be a whole number of blocks` }).int({ error: `${what} must be a whole number of blocks` }).min(1, { error: `${what} must be at least 1` }).max(100_000, { error: `${what} must be at most 100000` });
const port = (what: string) => z.coerce.number({ error: `${what} must be a port number` }).int({ error: `${what} must be a port number` }).min(1, { error: `${what} must be in 1-65535` }).max(65_535, { error: `${what} must be in 1-65535` });

const optionsSchema = z
  .object({
    headless: z.boolean(),
    seed: z.string().min(1, { error: '--seed must not be empty' }),
    vaults: z.coerce.number().int().min(1, { error: '--vaults must be at least 1' }).max(2000, { error: '--vaults must be at most 2000' }),
    portfolios: z.coerce.number({ error: '--portfolios must be a whole number' }).int({ error: '--portfolios must be a whole number' }).min(0, { error: '--portfolios must be at least 0' }).max(200, { error: '--portfolios must be at most 200' }),
    calm: blocks('--calm').optional(),
    crash: blocks('--crash').optional(),
    aftermath: blocks('--aftermath').optional(),
    keeper: z.boolean(),
    compare: z.boolean(),
    port: port('--port'),
    appPort: port('--app-port'),
    config: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: '--config must be a config name under contracts/config (letters, digits, - and _)' }),
    summaryFile: z.string().optional(),
    rpc: z.url({ error: '--rpc must be an http(s) URL' }).optional(),
    deployments: z.string().optional(),
    keeperMargin: z
      .string()
      .regex(/^(0(\.\d+)?|\.\d+)$/, { error: '--keeper-margin must be a fraction in [0, 1), e.g. 0.1' })
      .optional(),
  })
  .refine((o) => o.rpc === undefined || o.deployments !== undefined, { error: '--rpc needs --deployments <file> (the deployment file of that chain)', path: ['deployments'] })
  .refine((o) => o.rpc === undefined || !o.headless, { error: '--headless runs the scenario on its own chain; it cannot be combined with --rpc', path: ['headless'] });

export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('gavel-demo')
    .description('A local chain, the Gavel protocol, hundreds of vaults, a 40% crash, the keeper and the app.')
    .option('--headless', 'run the fixed scenario without the app; print a JSON summary and exit', false)
    .option('--seed <seed>', 'market seed (same seed, same market)', 'gavel')
    .option('--vaults <n>', 'vaults to seed', '300')
    .option('--portfolios <n>', 'portfolio vaults to seed (several collaterals against one debt)', '12')
    .option('--calm <blocks>', 'blocks of random walk before the crash')
    .option('--crash <blocks>', 'blocks the 40% crash takes')
    .option('--aftermath <blocks>', 'blocks after the crash (headless; interactive runs until Ctrl-C)')
    .option('--no-keeper', 'run without the keeper (nobody liquidates)')
    .option('--no-compare', 'headless: skip the replay without the keeper')
    .option('--port <port>', 'anvil port', '8545')
    .option('--app-port <port>', 'app port', '3000')
    .option('--config <name>', 'deploy config, contracts/config/<name>.json', 'demo')
    .option('--summary-file <path>', 'headless: also write the JSON summary to this file')
    .option('--rpc <url>', 'run the keeper and the app against this chain instead of starting one')
    .option('--deployments <file>', 'with --rpc: the deployment file of that chain')
    .option('--keeper-margin <fraction>', `take only this far below the market (interactive default ${INTERACTIVE_KEEPER_MARGIN}: a window for people; headless: the keeper's 0.02)`)
    .addOption(new Option('--no-build', 'skip the contracts build (the launcher runs it)'))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.code === 'commander.helpDisplayed' || e.code === 'commander.help' ? 0 : 2);
    throw e;
  }
  const parsed = optionsSchema.safeParse(program.opts());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    process.stderr.write(`gavel-demo: ${issue?.message ?? 'invalid options'}\n`);
    process.exit(2);
  }
  const o = parsed.data;
  const workDir = path.join(os.tmpdir(), `gavel-demo-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const log = (line: string): void => {
    process.stderr.write(`[demo] ${line}\n`);
  };
  let onStop: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => {
    onStop = resolve;
  });
  let stops = 0;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      stops++;
      if (stops > 1) process.exit(130);
      log('stopping (Ctrl-C again to force)...');
      onStop();
    });
  }

  try {
    if (o.rpc !== undefined && o.deployments !== undefined) {
      await runLive({ rpcUrl: o.rpc, deploymentsFile: path.resolve(o.deployments), keeper: o.keeper, appPort: o.appPort, workDir, log, stopRequested });
      process.exit(0);
    }
    const base = o.headless ? HEADLESS_TIMELINE : INTERACTIVE_TIMELINE;
    const timeline = { calmBlocks: o.calm ?? base.calmBlocks, crashBlocks: o.crash ?? base.crashBlocks, aftermathBlocks: o.headless ? (o.aftermath ?? base.aftermathBlocks) : base.aftermathBlocks };
    const summary: DemoSummary | undefined = await runScenario({
      headless: o.headless,
      seed: o.seed,
      vaults: o.vaults,
      portfolios: o.portfolios,
      timeline,
      keeper: o.keeper,
      compare: o.compare && o.keeper,
      anvilPort: o.port,
      appPort: o.appPort,
      config: o.config,
      workDir,
      log,
      stopRequested,
      keeperMargin: o.keeperMargin ?? (o.headless ? undefined : INTERACTIVE_KEEPER_MARGIN),
    });
    if (summary) {
      const json = JSON.stringify(summary, null, 2);
      if (o.summaryFile) writeFileSync(o.summaryFile, `${json}\n`);
      process.stdout.write(`${json}\n`);
    }
    process.exit(0);
  } catch (e) {
    process.stderr.write(`gavel-demo: ${(e as Error).message.split('\n')[0] ?? 'failed'}\n`);
    const rest = (e as Error).message.split('\n').slice(1).join('\n');
    if (rest) process.stderr.write(`${rest}\n`);
    process.exit(1);
  }
}
