// The demo's local chain: a real anvil node, the protocol deployed by the project's forge deploy
// script from contracts/config/demo.json, then seeded by SeedLocal.s.sol (Uniswap V2 pools, the
// flash taker, several hundred vaults, insurance-fund liquidity).

import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type AnvilNode, repoRoot, startAnvil } from '@gavel/contracts/testing';
import { type DemoDeployment, checkDeploymentChain, readDeployment } from './deployment.ts';

/** anvil account 0: deployer, governance, the feeds' pusher and the market maker. */
export const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
/** forge script has been seen to hang mid-broadcast on a busy machine: one retry on a fresh chain. */
const FORGE_TIMEOUT_MS = 180_000;

export interface LocalChainOptions {
  /** anvil's port (0: any free one). */
  readonly port: number;
  /** Seeded vaults. */
  readonly vaults: number;
  /** Seeded portfolio vaults (0 for none). */
  readonly portfolios: number;
  /** contracts/config/<name>.json. */
  readonly config: string;
  readonly log: (line: string) => void;
}

export interface LocalChain {
  readonly node: AnvilNode;
  readonly deploymentsFile: string;
  readonly deployment: DemoDeployment;
  /** Stops anvil and removes the deployment file. */
  stop(): Promise<void>;
}

/** Runs a forge script against `rpcUrl`; rejects with the tail of its output on failure or timeout. */
function forgeScript(script: string, rpcUrl: string, env: Record<string, string>, extra: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'contracts', 'tools', 'foundry.mjs'), 'forge', 'script', script, '--rpc-url', rpcUrl, '--broadcast', '--slow', ...extra], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (b: Buffer): void => {
      out = (out + b.toString()).slice(-6000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), FORGE_TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`forge script ${path.basename(script)} failed (${signal ?? `exit ${code}`})\n${out}`));
    });
  });
}

/** Starts anvil (automine while deploying and seeding), deploys and seeds. */
export async function startLocalChain(o: LocalChainOptions): Promise<LocalChain> {
  const dir = path.join(repoRoot, 'deployments', `demo-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const deploymentsFile = path.join(dir, '31337.json');
  const env = {
    GAVEL_CONFIG: o.config,
    GAVEL_DEPLOYMENTS_FILE: path.relative(repoRoot, deploymentsFile),
    GAVEL_SEED_VAULTS: String(o.vaults),
    GAVEL_SEED_PORTFOLIOS: String(o.portfolios),
  };
  for (let attempt = 1; ; attempt++) {
    const node = await startAnvil({ port: o.port, accounts: 10, args: ['--gas-limit', '30000000'], startupTimeoutMs: 30_000, detached: true });
    o.log(`anvil on ${node.rpcUrl} (pid ${node.pid})`);
    try {
      let t = Date.now();
      await forgeScript('contracts/script/Deploy.s.sol', node.rpcUrl, env, ['--private-key', DEPLOYER_KEY]);
      o.log(`deployed with contracts/config/${o.config}.json in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      t = Date.now();
      await forgeScript('contracts/script/SeedLocal.s.sol', node.rpcUrl, env, []);
      o.log(`seeded ${o.vaults} vaults, ${o.portfolios} portfolios, pools and insurance liquidity in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      const deployment = readDeployment(deploymentsFile);
      await checkDeploymentChain(deployment, node.publicClient);
      return {
        node,
        deploymentsFile,
        deployment,
        stop: async () => {
          await node.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      await node.stop();
      if (attempt >= 2) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
      o.log(`${(e as Error).message.split('\n')[0] ?? 'deploy failed'}: retrying once on a fresh chain`);
    }
  }
}
