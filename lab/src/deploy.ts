// One scenario × mechanism's chain: anvil on an OS-chosen port, the system deployed and seeded by the
// project's forge scripts (Deploy.s.sol, SeedLocal.s.sol, via `deployLocalSystem`) from the base config
// with the mechanism's sections applied. The config is written under deployments/ (the only folder
// the scripts may read besides contracts/config) and named to Deploy.s.sol by a relative path.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type AnvilNode, deployLocalSystem, repoRoot, startAnvil } from '@gavel/contracts/testing';
import { type Deployment, parseDeployment } from '@gavel/sdk/deployment';
import type { Mechanism, Scenario } from './schema.ts';

interface ConfigIlk {
  name: string;
  seed: { price: string };
  [section: string]: unknown;
}
interface Config {
  ilks: ConfigIlk[];
  [section: string]: unknown;
}

/** forge's number strings (`"2000e18"`, `"1.5e18"`, `"100"`) as a float (for seed prices only). */
export function parseConfigNumber(s: string): number {
  const v = Number(s);
  if (!Number.isFinite(v)) throw new RangeError(`not a number: ${s}`);
  return v;
}

export function readBaseConfig(name: string): Config {
  return JSON.parse(readFileSync(path.join(repoRoot, 'contracts', 'config', `${name}.json`), 'utf8')) as Config;
}

/** The deploy config of `mechanism` over the base config: named sections replaced wholesale. */
export function mechanismConfig(base: Config, mechanism: Mechanism): Config {
  const cfg = structuredClone(base);
  for (const name of Object.keys(mechanism.ilks)) {
    if (!cfg.ilks.some((i) => i.name === name)) throw new Error(`mechanism ${mechanism.name}: ${name} is not an ilk of the base config`);
  }
  for (const ilk of cfg.ilks) {
    const over = mechanism.ilks[ilk.name];
    if (!over) continue;
    for (const [section, value] of Object.entries(over)) ilk[section] = structuredClone(value);
  }
  for (const [section, value] of Object.entries(mechanism.global)) cfg[section] = structuredClone(value);
  return cfg;
}

/** Seed price per ilk name (whole gUSD per whole token), from the base config. */
export function seedPrices(base: Config): Map<string, number> {
  return new Map(base.ilks.map((i) => [i.name, parseConfigNumber(i.seed.price) / 1e18]));
}

export interface LabChain {
  readonly node: AnvilNode;
  readonly deployment: Deployment;
  readonly config: Config;
  stop(): Promise<void>;
}

/** Starts anvil (automine, for the forge scripts) and deploys + seeds the system of `mechanism`. */
export async function deployLab(sc: Scenario, mechanism: Mechanism): Promise<LabChain> {
  const config = mechanismConfig(readBaseConfig(sc.baseConfig), mechanism);
  const dir = path.join(repoRoot, 'deployments', `lab-${process.pid}-${sc.name}-${mechanism.name}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'config.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  // Deploy.s.sol reads contracts/config/<name>.json: name the file relative to that folder.
  const relative = path.relative(path.join(repoRoot, 'contracts', 'config'), file).replace(/\.json$/, '');
  const node = await startAnvil({ accounts: 10, args: ['--gas-limit', '100000000'] });
  try {
    const sys = await deployLocalSystem(node, { config: relative, vaults: sc.vaults });
    const parsed = parseDeployment(sys.raw);
    sys.remove();
    if (!parsed.ok) throw new Error(`deployment file: ${parsed.message}`);
    return {
      node,
      deployment: parsed.deployment,
      config,
      stop: async () => {
        await node.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
