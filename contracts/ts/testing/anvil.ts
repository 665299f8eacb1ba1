// A real anvil node per test file: started on a port the OS picks (so parallel vitest workers never
// collide), ready when it answers JSON-RPC, killed in afterAll and, failing that, when the process
// exits. Uses the real binary, never node_modules/.bin/anvil (that launcher exits 0 on failure).
//
//   const node = await startAnvil();
//   afterAll(() => node.stop());
//   await node.walletClient.deployContract({ abi, bytecode });
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Chain,
  type HttpTransport,
  type PublicClient,
  type TestClient,
  type WalletClient,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
} from 'viem';
import { type HDAccount, mnemonicToAccount } from 'viem/accounts';
import { anvil as anvilChain } from 'viem/chains';

/** The repository root (contracts/ts/testing -> ../../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** anvil's default mnemonic; its accounts are funded with 10,000 ETH each. Public test keys. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

export interface AnvilOptions {
  /** TCP port (default 0: one the OS picks, so parallel runs never collide). */
  port?: number;
  /** Chain id (default 31337). */
  chainId?: number;
  /** Seconds between blocks; default: mine one block per transaction (automine). */
  blockTime?: number;
  /** Accounts to derive from the default mnemonic for `accounts` (default 10, the ones anvil funds; at least 1). */
  accounts?: number;
  /** Extra command-line arguments for anvil (e.g. `['--code-size-limit', '50000']`). */
  args?: readonly string[];
  /** How long to wait for anvil to listen and answer (default 30 s). */
  startupTimeoutMs?: number;
  /**
   * Run anvil in its own process group and leave SIGINT/SIGTERM to the caller (default false: a
   * signal to this process kills anvil at once). A terminal's Ctrl-C then reaches only the caller,
   * which stops anvil itself after winding down; anvil still dies with this process.
   */
  detached?: boolean;
  /** Client polling interval in ms (default 50: a local node answers at once). */
  pollingInterval?: number;
}

export interface AnvilNode {
  readonly rpcUrl: string;
  readonly port: number;
  readonly chain: Chain;
  /** Funded accounts from the default mnemonic, index 0 first. */
  readonly accounts: readonly HDAccount[];
  readonly publicClient: PublicClient<HttpTransport, Chain>;
  /** Wallet client sending from `accounts[0]`. */
  readonly walletClient: WalletClient<HttpTransport, Chain, HDAccount>;
  /** anvil cheat methods (mine, setBalance, increaseTime, snapshot/revert, ...). */
  readonly testClient: TestClient<'anvil', HttpTransport, Chain>;
  /** The OS process id of anvil. */
  readonly pid: number;
  /** The last lines anvil printed (stdout and stderr), for diagnostics. */
  logs(): string;
  /** Wallet client for another funded account. */
  walletFor(index: number): WalletClient<HttpTransport, Chain, HDAccount>;
  /** Stops anvil (SIGTERM, SIGKILL after 3 s) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** The real anvil binary from the `@foundry-rs/anvil` npm package. */
export function anvilBinary(): string {
  const bin = path.join(repoRoot, 'node_modules', '@foundry-rs', 'anvil-linux-amd64', 'bin', 'anvil');
  if (!existsSync(bin)) throw new Error(`anvil binary not found at ${bin}: run \`npm ci\` at the repository root`);
  return bin;
}

/*                              PROCESS CLEANUP                               */

// Three layers, so no anvil outlives its test run: `stop()` in afterAll; on Linux, util-linux `setpriv
// --pdeathsig SIGKILL` makes the kernel kill anvil when the thread that started it ends (a vitest worker
// thread or fork that is torn down, even by SIGKILL); and exit/signal handlers as the last resort.

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

const live = new Set<ChildProcess>();
let cleanupInstalled = false;

function killAllSync(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** Kill every anvil we started when this process exits or is told to stop, whatever the reason. */
let exitHookInstalled = false;

function installCleanup(signals: boolean): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllSync);
  }
  if (!signals || cleanupInstalled) return;
  cleanupInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllSync();
      process.removeListener(signal, onSignal);
      // Keep the default behaviour (exit) unless someone else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/*                                   START                                    */

const LISTENING = /Listening on ([\d.]+|\[[0-9a-f:]+\]|localhost):(\d+)/;
const LOG_LINES = 200;

/** Starts anvil on a free port and returns clients for it once it answers `eth_chainId`. */
export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilNode> {
  const chainId = options.chainId ?? 31337;
  const timeoutMs = options.startupTimeoutMs ?? 30_000;
  const args = ['--host', '127.0.0.1', '--port', String(options.port ?? 0), '--chain-id', String(chainId)];
  if (options.blockTime !== undefined) args.push('--block-time', String(options.blockTime));
  args.push(...(options.args ?? []));

  installCleanup(options.detached !== true);
  const [command, commandArgs] = SETPRIV
    ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', anvilBinary(), ...args]]
    : [anvilBinary(), args];
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached === true });
  live.add(child);

  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => {
    const done = (): void => {
      live.delete(child);
      resolve();
    };
    child.once('exit', done);
    // A spawn failure (no such binary) emits 'error' and never 'exit'.
    child.once('error', () => {
      if (child.pid === undefined) done();
    });
  });
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  child.once('exit', (code, signal) => {
    exitCode = code;
    exitSignal = signal;
  });

  const port = await new Promise<number>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | null, value?: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value ?? 0);
    };
    const timer = setTimeout(() => {
      finish(new Error(`anvil did not start listening within ${timeoutMs} ms\n${tail(lines)}`));
    }, timeoutMs);
    const reader = (): ((chunk: Buffer) => void) => {
      let partial = ''; // a line can arrive split across chunks
      return (chunk) => {
        const parts = (partial + chunk.toString('utf8')).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) {
          if (line.trim() === '') continue;
          lines.push(line);
          if (lines.length > LOG_LINES) lines.shift();
          const m = LISTENING.exec(line);
          if (m?.[2]) finish(null, Number(m[2]));
        }
      };
    };
    // Always drain both pipes, for the node's whole life: a full pipe would block anvil.
    child.stdout.on('data', reader());
    child.stderr.on('data', reader());
    child.once('error', (err) => {
      finish(new Error(`anvil failed to start: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      finish(new Error(`anvil exited before listening (code ${code}, signal ${signal})\n${tail(lines)}`));
    });
  }).catch(async (err: unknown) => {
    await killAndWait(child, exited);
    throw err;
  });

  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswers(rpcUrl, chainId, timeoutMs, () =>
      exitCode !== null || exitSignal !== null ? `anvil exited (code ${exitCode}, signal ${exitSignal})` : null,
    );
  } catch (err) {
    await killAndWait(child, exited);
    throw new Error(`${(err as Error).message}\n${tail(lines)}`);
  }

  const pollingInterval = options.pollingInterval ?? 50;
  const chain = defineChain({ ...anvilChain, id: chainId, rpcUrls: { default: { http: [rpcUrl] } } });
  const transport = http(rpcUrl, { retryCount: 0 });
  // Deriving an account costs ~30 ms (PBKDF2 on the mnemonic): only as many as asked for.
  const accounts = Array.from({ length: Math.max(1, options.accounts ?? 10) }, (_, i) =>
    mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }),
  );
  const [first] = accounts as [HDAccount, ...HDAccount[]];
  const walletFor = (index: number): WalletClient<HttpTransport, Chain, HDAccount> =>
    createWalletClient({
      account: accounts[index] ?? mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }),
      chain,
      transport,
      pollingInterval,
    });

  let stopping: Promise<void> | undefined;
  return {
    rpcUrl,
    port,
    chain,
    accounts,
    // cacheTime 0: tests read the block number right after mining; viem would serve a cached one.
    publicClient: createPublicClient({ chain, transport, pollingInterval, cacheTime: 0 }),
    walletClient: createWalletClient({ account: first, chain, transport, pollingInterval }),
    testClient: createTestClient({ mode: 'anvil', chain, transport, pollingInterval }),
    pid: child.pid ?? -1,
    logs: () => lines.join('\n'),
    walletFor,
    stop: () => (stopping ??= killAndWait(child, exited)),
  };
}

/*                                  HELPERS                                   */

function tail(lines: readonly string[]): string {
  return lines.length === 0 ? '(anvil printed nothing)' : `anvil output:\n${lines.slice(-30).join('\n')}`;
}

async function killAndWait(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntilAnswers(
  rpcUrl: string,
  chainId: number,
  timeoutMs: number,
  dead: () => string | null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const why = dead();
    if (why) throw new Error(why);
    try {
      const res = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
        signal: AbortSignal.timeout(2_000),
      });
      const body = (await res.json()) as { result?: string };
      if (body.result !== undefined && Number(body.result) === chainId) return;
      last = `unexpected answer ${JSON.stringify(body)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`anvil at ${rpcUrl} did not answer eth_chainId within ${timeoutMs} ms (${last})`);
}
