// The whole Gavel system on a test anvil, deployed by the real forge scripts (Deploy.s.sol, then
// SeedLocal.s.sol: feeds, Uniswap V2 pools, seeded vaults), as a third party would find it on a chain.
// Returns the deployments file the scripts wrote (parse it with `@gavel/sdk/deployment`).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type AnvilNode, repoRoot } from './anvil.ts';
import { rpcBatch } from './rpc.ts';

/** anvil's account 0 (public test key): the deployer and the feeds' pusher of SeedLocal. */
export const DEPLOYER_PRIVATE_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

export interface LocalSystemOptions {
  /** contracts/config/<config>.json (default `local`). */
  config?: string;
  /** Seeded vaults (default 12). */
  vaults?: number;
  /** Timeout of compiling the scripts (default 180 s); each broadcast has its own 90 s, retried on a reset chain. */
  timeoutMs?: number;
}

export interface LocalSystem {
  /** Path of the deployments file. */
  readonly deploymentsFile: string;
  /** Its content, unparsed. */
  readonly raw: unknown;
  /** Removes the deployments file (the chain is the caller's to stop). */
  remove(): void;
}

function forgeScript(script: string, rpcUrl: string, env: Record<string, string>, extra: readonly string[], timeoutMs: number): Promise<void> {
  return runForge(['script', script, '--rpc-url', rpcUrl, '--broadcast', '--slow', ...extra], env, timeoutMs, `forge script ${path.basename(script)}`);
}

function runForge(args: readonly string[], env: Record<string, string>, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'contracts', 'tools', 'foundry.mjs'), 'forge', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let timedOut = false;
    const keep = (b: Buffer): void => {
      out = (out + b.toString()).slice(-6000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else if (timedOut) reject(new ForgeTimeout(`${what} timed out after ${String(timeoutMs)} ms\n${out}`));
      else reject(new Error(`${what} failed (${signal ?? `exit ${String(code)}`})\n${out}`));
    });
  });
}

/** Deploys and seeds the system on `node` (an anvil from `startAnvil` with at least 10 accounts). */
export async function deployLocalSystem(node: AnvilNode, options: LocalSystemOptions = {}): Promise<LocalSystem> {
  // Under deployments/: the only folder the scripts may write (foundry.toml fs_permissions).
  mkdirSync(path.join(repoRoot, 'deployments'), { recursive: true });
  const dir = mkdtempSync(path.join(repoRoot, 'deployments', 'test-'));
  const deploymentsFile = path.join(dir, `${String(node.chain.id)}.json`);
  const env = {
    GAVEL_CONFIG: options.config ?? 'local',
    GAVEL_DEPLOYMENTS_FILE: path.relative(repoRoot, deploymentsFile),
    GAVEL_SEED_VAULTS: String(options.vaults ?? 12),
  };
  const timeout = options.timeoutMs ?? 180_000;
  const remove = (): void => {
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Compile first (a cold compile can take minutes), so the broadcast's own timeout is meant for a
    // hung broadcast only: forge script has been seen to hang mid-broadcast waiting on receipts anvil
    // had mined (the e2e stack and the demo retry the same way). On a hang: reset the chain, retry.
    // `--slow` (one transaction at a time, each receipt awaited): under load, forge's concurrent sends
    // timed out and were re-sent, failing with "nonce too low" (the headless demo in npm test).
    await forgeBuild(['contracts/script/Deploy.s.sol', 'contracts/script/SeedLocal.s.sol'], timeout);
    for (let attempt = 1; ; attempt++) {
      try {
        await forgeScript('contracts/script/Deploy.s.sol', node.rpcUrl, env, ['--private-key', DEPLOYER_PRIVATE_KEY], BROADCAST_TIMEOUT_MS);
        await forgeScript('contracts/script/SeedLocal.s.sol', node.rpcUrl, env, [], BROADCAST_TIMEOUT_MS);
        break;
      } catch (err) {
        if (attempt >= BROADCAST_ATTEMPTS || !(err instanceof ForgeTimeout)) throw err;
        // A bare `anvil_reset` (viem's `reset()` sends `{ forking: { blockNumber: null } }`, which anvil
        // refuses on a chain that is not a fork: the retry itself failed).
        const [reset] = await rpcBatch(node.rpcUrl, [{ method: 'anvil_reset', params: [] }]);
        if (!reset?.ok) throw new Error(`anvil_reset before the retry failed: ${reset?.ok === false ? reset.error.message : 'no answer'}`, { cause: err });
      }
    }
    return { deploymentsFile, raw: JSON.parse(readFileSync(deploymentsFile, 'utf8')) as unknown, remove };
  } catch (err) {
    remove();
    throw err;
  }
}

/** A broadcast of the deploy or seed script takes a few seconds; past this it is hung. */
const BROADCAST_TIMEOUT_MS = 90_000;
const BROADCAST_ATTEMPTS = 3;

/** forge was killed at its timeout (as opposed to failing on its own). */
class ForgeTimeout extends Error {}

function forgeBuild(files: readonly string[], timeoutMs: number): Promise<void> {
  return runForge(['build', ...files], {}, timeoutMs, 'forge build');
}
