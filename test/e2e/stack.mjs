// The local stack the e2e suite and the app benchmark run against: a real anvil node, the Gavel
// system deployed and seeded by the forge scripts, vaults made unsafe and liquidated so auctions
// are running, the app built for that node (`next build`) and served (`next start`).
// Plain Node ESM (used by Playwright's global setup and by app/bench/app.bench.mjs); types in stack.d.mts.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublicClient, createWalletClient, defineChain, http, parseAbi, parseUnits, maxUint256 } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const appDir = path.join(repoRoot, 'app');
const ANVIL = path.join(repoRoot, 'node_modules', '@foundry-rs', 'anvil-linux-amd64', 'bin', 'anvil');
const FOUNDRY = path.join(repoRoot, 'contracts', 'tools', 'foundry.mjs');
const NEXT = path.join(repoRoot, 'node_modules', 'next', 'dist', 'bin', 'next');
const DEPLOYMENTS = path.join(repoRoot, 'deployments', '31337.json');
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
/** Gas limit of an oracle poke (the oracle needs FEED_READ_GAS_REQUIRED before each feed read). */
const POKE_GAS = 2_000_000n;
/** forge script has been seen to hang mid-broadcast (waiting on receipts anvil had mined): retry on a fresh chain. */
const FORGE_TIMEOUT_MS = Number(process.env.GAVEL_E2E_FORGE_TIMEOUT_MS ?? 90_000);

/** anvil account that owns a vault opened by the setup (the vault spec connects it as the dev wallet). */
export const VAULT_OWNER_INDEX = 1;
/** anvil account that holds gUSD to take auctions with. */
export const TAKER_INDEX = 2;
/**
 * The two named bidders of the indexed history (makeHistory): anvil accounts no other spec uses
 * (1 vault owner, 2 taker, 3 phone liquidator, 4-6 protect.spec.ts).
 */
export const BIDDERS = [
  { name: 'Alice', index: 8 },
  { name: 'Bob', index: 9 },
];
const INDEXER_BIN = path.join(repoRoot, 'indexer', 'bin', 'gavel-indexer.mjs');
/** Ponder's start (build, migrations, backfill) takes ~25 s alone; on two busy cores allow more. */
const INDEXER_READY_MS = Number(process.env.GAVEL_E2E_INDEXER_TIMEOUT_MS ?? 180_000);

const abi = {
  engine: parseAbi([
    'function adjust(bytes32 ilk, int256 collateralDelta, int256 debtDelta)',
    'function vault(bytes32 ilk, address owner) view returns (uint256 collateral, uint256 normalizedDebt)',
    'function isSafe(bytes32 ilk, address owner) view returns (bool)',
  ]),
  token: parseAbi(['function mint(address to, uint256 amount)', 'function approve(address spender, uint256 amount) returns (bool)']),
  feed: parseAbi(['function push(uint256 priceWad)', 'function read() view returns (uint256 priceWad, uint256 updatedAt)']),
  oracle: parseAbi(['function poke() returns (uint256, uint256)']),
  spotter: parseAbi(['function poke(bytes32 ilk) returns (uint256)']),
  liq: parseAbi(['function liquidate(bytes32 ilk, address owner, address rewardRecipient) returns (uint256)']),
  house: parseAbi([
    'function list() view returns (uint256[])',
    'function count() view returns (uint256)',
    'function getStatus(uint256 id) view returns (bool needsRedo, uint256 price, uint256 lot, uint256 tab)',
    'function take(uint256 id, uint256 amount, uint256 maxPrice, address receiver, bytes data) returns (uint256 collateralOut, uint256 owe)',
    'function settle() returns (uint256 healed, uint256 revenue)',
  ]),
};

/** A TCP port the OS reports free. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// Children (process groups) and file restores still pending, undone on exit or on a signal.
const liveGroups = new Set();
const pendingRestores = new Set();
function emergencyCleanup() {
  for (const pid of liveGroups) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
  }
  liveGroups.clear();
  for (const restore of pendingRestores) {
    try { restore(); } catch { /* best effort */ }
  }
  pendingRestores.clear();
}
process.on('exit', emergencyCleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    emergencyCleanup();
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
  });
}

function log(msg) {
  process.stdout.write(`[e2e-stack] ${msg}\n`);
}

/** Runs a command to completion; throws with its output on a non-zero exit. */
function run(cmd, args, { cwd = repoRoot, env = {}, quiet = true, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    liveGroups.add(child.pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    let out = '';
    child.stdout.on('data', (b) => { out += b; if (!quiet) process.stdout.write(b); });
    child.stderr.on('data', (b) => { out += b; if (!quiet) process.stderr.write(b); });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      liveGroups.delete(child.pid);
      if (code === 0) resolve(out);
      else if (timedOut) reject(Object.assign(new Error(`${args.slice(0, 4).join(' ')} timed out after ${timeoutMs} ms\n${out.slice(-2000)}`), { timedOut: true }));
      else reject(new Error(`${path.basename(cmd)} ${args.slice(0, 4).join(' ')} exited with ${code ?? signal}\n${out.slice(-4000)}`));
    });
  });
}

/** Spawns a long-running process in its own process group (so stop() kills its children too). */
function startProcess(cmd, args, { cwd = repoRoot, env = {} } = {}) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  liveGroups.add(child.pid);
  child.once('exit', () => liveGroups.delete(child.pid));
  let tail = '';
  const keep = (b) => { tail = (tail + b).slice(-8000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { child, logs: () => tail };
}

function killGroup(child) {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } resolve(); }, 3000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    try { process.kill(-child.pid, 'SIGTERM'); } catch { clearTimeout(timer); resolve(); }
  });
}

async function waitFor(what, probe, timeoutMs, logs) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      if (await probe()) return;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms${last ? ` (${last.message})` : ''}\n${logs?.() ?? ''}`);
}

async function rpcAnswers(url) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) });
  return res.ok;
}

/**
 * Starts a real anvil node (automine) on `port`; `loadState`: a state file (JSON, as
 * `anvil_dumpState` returns it once un-gzipped) to start from.
 */
export async function startAnvil(port, { loadState } = {}) {
  if (!existsSync(ANVIL)) throw new Error(`anvil binary not found at ${ANVIL}`);
  const args = ['--port', String(port), '--host', '127.0.0.1', '--chain-id', '31337', '--accounts', '10', '--silent'];
  if (loadState) args.push('--load-state', loadState);
  const p = startProcess(ANVIL, args);
  const rpcUrl = `http://127.0.0.1:${port}`;
  // Our anvil must be the one answering (not another process on a reused port).
  await waitFor('anvil', async () => {
    if (p.child.exitCode !== null) throw new Error(`anvil exited with ${p.child.exitCode}: ${p.logs()}`);
    return rpcAnswers(rpcUrl);
  }, 30_000, p.logs);
  return { rpcUrl, port, pid: p.child.pid, stop: () => killGroup(p.child) };
}

/**
 * Runs Deploy.s.sol and SeedLocal.s.sol against `rpcUrl`. The scripts always write
 * deployments/31337.json: an existing file is moved aside and restored afterwards; the result is
 * copied to `outFile`.
 */
export async function deployAndSeed(rpcUrl, outFile, seedVaults) {
  const backup = `${DEPLOYMENTS}.e2e-backup-${process.pid}`;
  const had = existsSync(DEPLOYMENTS);
  if (had) renameSync(DEPLOYMENTS, backup);
  const restore = () => {
    rmSync(DEPLOYMENTS, { force: true });
    if (had) renameSync(backup, DEPLOYMENTS);
  };
  pendingRestores.add(restore);
  try {
    let t = Date.now();
    // Compile first, untimed: a recompile (the scripts or sources changed) on two busy cores can
    // take longer than the broadcast timeout below, which is meant for a hung broadcast only.
    await run(process.execPath, [FOUNDRY, 'forge', 'build', 'contracts/script/Deploy.s.sol', 'contracts/script/SeedLocal.s.sol'], { timeoutMs: 900_000 });
    await run(process.execPath, [FOUNDRY, 'forge', 'script', 'contracts/script/Deploy.s.sol', '--rpc-url', rpcUrl, '--broadcast', '--slow', '--private-key', DEPLOYER_KEY], { timeoutMs: FORGE_TIMEOUT_MS });
    log(`deployed in ${Date.now() - t} ms`);
    t = Date.now();
    await run(process.execPath, [FOUNDRY, 'forge', 'script', 'contracts/script/SeedLocal.s.sol', '--rpc-url', rpcUrl, '--broadcast', '--slow'], {
      env: { GAVEL_SEED_VAULTS: String(seedVaults) },
      timeoutMs: FORGE_TIMEOUT_MS,
    });
    log(`seeded ${seedVaults} vaults in ${Date.now() - t} ms`);
    copyFileSync(DEPLOYMENTS, outFile);
  } finally {
    pendingRestores.delete(restore);
    restore();
  }
  return JSON.parse(readFileSync(outFile, 'utf8'));
}

function clients(rpcUrl) {
  const chain = defineChain({ id: 31337, name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } });
  const transport = http(rpcUrl, { batch: false });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const wallet = (index) => createWalletClient({ chain, transport, account: mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }) });
  return { publicClient, wallet };
}

/** Sends a contract write and waits for it; throws on a revert. */
async function send(c, walletClient, req) {
  const hash = await walletClient.writeContract(req);
  const r = await c.publicClient.waitForTransactionReceipt({ hash });
  if (r.status !== 'success') throw new Error(`${req.functionName} reverted (${hash})`);
  return r;
}

/**
 * Prepares the scenario on a seeded chain: a vault for anvil account VAULT_OWNER_INDEX (ETH-A),
 * gUSD for anvil account TAKER_INDEX, then every mark price pushed down `drops` times by
 * `dropBps` (poke oracle + spotter each time), then liquidates unsafe seed vaults (at most
 * `maxAuctions`). Returns the auctions started.
 */
export async function makeAuctions(rpcUrl, d, { drops = 2, dropBps = 900, maxAuctions = 1000 } = {}) {
  const c = clients(rpcUrl);
  const admin = c.wallet(0);
  const eth = d.ilks.find((i) => i.name === 'ETH-A') ?? d.ilks[0];
  const scale = (n) => parseUnits(n, eth.decimals);

  // The vault owner's vault: 10 ETH, 8,000 gUSD (health ~1.67 at 2,000), 90 ETH left to add.
  const owner = c.wallet(VAULT_OWNER_INDEX);
  await send(c, admin, { address: eth.token, abi: abi.token, functionName: 'mint', args: [owner.account.address, scale('100')] });
  await send(c, owner, { address: eth.token, abi: abi.token, functionName: 'approve', args: [d.engine, scale('10')] });
  await send(c, owner, { address: d.engine, abi: abi.engine, functionName: 'adjust', args: [eth.id, scale('10'), parseUnits('8000', 18)] });
  // The taker: 1,000 ETH locked, 300,000 gUSD drawn.
  const taker = c.wallet(TAKER_INDEX);
  await send(c, admin, { address: eth.token, abi: abi.token, functionName: 'mint', args: [taker.account.address, scale('1000')] });
  await send(c, taker, { address: eth.token, abi: abi.token, functionName: 'approve', args: [d.engine, maxUint256] });
  await send(c, taker, { address: d.engine, abi: abi.engine, functionName: 'adjust', args: [eth.id, scale('1000'), parseUnits('300000', 18)] });

  // Prices down (each step within the oracle's max change per update).
  for (let k = 0; k < drops; k++) {
    // One poke per oracle per second (hop 0): move the clock on.
    await c.publicClient.request({ method: 'evm_increaseTime', params: ['0x2'] });
    for (const ilk of d.ilks) {
      for (const feed of ilk.feeds) {
        let price;
        try { [price] = await c.publicClient.readContract({ address: feed, abi: abi.feed, functionName: 'read' }); } catch { continue; }
        await send(c, admin, { address: feed, abi: abi.feed, functionName: 'push', args: [(price * BigInt(10_000 - dropBps)) / 10_000n] });
      }
      await send(c, admin, { address: ilk.oracle, abi: abi.oracle, functionName: 'poke', gas: POKE_GAS });
      await send(c, admin, { address: d.spotter, abi: abi.spotter, functionName: 'poke', args: [ilk.id], gas: POKE_GAS });
    }
  }

  // Liquidate unsafe seed vaults.
  const first = Number(d.seed?.firstAccountIndex ?? 10);
  const n = Number(d.seed?.vaults ?? 0);
  const mnemonic = d.seed?.mnemonic ?? ANVIL_MNEMONIC;
  const started = [];
  const seedOwners = [];
  for (let i = 0; i < n && started.length < maxAuctions; i++) {
    const who = mnemonicToAccount(mnemonic, { addressIndex: first + i }).address;
    for (const ilk of d.ilks) {
      const [collateral] = await c.publicClient.readContract({ address: d.engine, abi: abi.engine, functionName: 'vault', args: [ilk.id, who] });
      if (collateral === 0n) continue;
      const safe = await c.publicClient.readContract({ address: d.engine, abi: abi.engine, functionName: 'isSafe', args: [ilk.id, who] });
      if (safe) { seedOwners.push({ owner: who, ilk: ilk.name }); continue; }
      if (started.length >= maxAuctions) continue;
      try {
        await c.publicClient.simulateContract({ account: admin.account, address: d.liquidationEngine, abi: abi.liq, functionName: 'liquidate', args: [ilk.id, who, admin.account.address] });
      } catch { continue; }
      await send(c, admin, { address: d.liquidationEngine, abi: abi.liq, functionName: 'liquidate', args: [ilk.id, who, admin.account.address] });
      started.push({ owner: who, ilk: ilk.name, house: ilk.house });
    }
  }
  let live = 0;
  for (const ilk of d.ilks) live += Number(await c.publicClient.readContract({ address: ilk.house, abi: abi.house, functionName: 'count' }));
  log(`liquidated ${started.length} vaults, ${live} live auctions`);
  return { liquidated: started, live, safeSeedOwners: seedOwners };
}

/** Moves anvil's clock on by `seconds` and mines a block at the new time. */
async function advance(c, seconds) {
  await c.publicClient.request({ method: 'evm_increaseTime', params: [`0x${seconds.toString(16)}`] });
  await c.publicClient.request({ method: 'evm_mine', params: [] });
}

/**
 * Every feed reports its current price again and every oracle and the spotter are poked: the
 * market keeps reporting. The oracles refuse reports older than their max age (300 s in the local
 * config), after which the mark is gone and liquidations revert; the suite runs longer than that.
 */
export async function refreshPrices(rpcUrl, d) {
  const c = clients(rpcUrl);
  const admin = c.wallet(0);
  // One poke per oracle per second (hop 0): move the clock on.
  await c.publicClient.request({ method: 'evm_increaseTime', params: ['0x2'] });
  for (const ilk of d.ilks) {
    for (const feed of ilk.feeds) {
      let price;
      try { [price] = await c.publicClient.readContract({ address: feed, abi: abi.feed, functionName: 'read' }); } catch { continue; }
      await send(c, admin, { address: feed, abi: abi.feed, functionName: 'push', args: [price] });
    }
    await send(c, admin, { address: ilk.oracle, abi: abi.oracle, functionName: 'poke', gas: POKE_GAS });
    await send(c, admin, { address: d.spotter, abi: abi.spotter, functionName: 'poke', args: [ilk.id], gas: POKE_GAS });
  }
}

/** Live auctions on every house now. */
async function liveCount(c, d) {
  let live = 0;
  for (const ilk of d.ilks) live += Number(await c.publicClient.readContract({ address: ilk.house, abi: abi.house, functionName: 'count' }));
  return live;
}

/**
 * The history the indexer-backed views show, on top of makeAuctions' vaults, price drop and
 * liquidations: a minute later the two named BIDDERS take — Alice half of the auction with the
 * smallest tab, Bob the rest of it (it ends), Alice a tenth of the auction with the largest tab —
 * then another minute and every house settles its proceeds (bad debt healed). Each take pays the
 * auction's price of the block before (the price only falls, so that is a ceiling). Returns what
 * was done, for the specs to find; the figures they assert come from the chain's logs.
 */
export async function makeHistory(rpcUrl, d) {
  const c = clients(rpcUrl);
  const admin = c.wallet(0);
  const eth = d.ilks.find((i) => i.name === 'ETH-A') ?? d.ilks[0];
  const scale = (n) => parseUnits(n, eth.decimals);
  const bidders = [];
  for (const b of BIDDERS) {
    const w = c.wallet(b.index);
    await send(c, admin, { address: eth.token, abi: abi.token, functionName: 'mint', args: [w.account.address, scale('1000')] });
    await send(c, w, { address: eth.token, abi: abi.token, functionName: 'approve', args: [d.engine, maxUint256] });
    await send(c, w, { address: d.engine, abi: abi.engine, functionName: 'adjust', args: [eth.id, scale('1000'), parseUnits('300000', 18)] });
    for (const ilk of d.ilks) await send(c, w, { address: d.stablecoin, abi: abi.token, functionName: 'approve', args: [ilk.house, maxUint256] });
    bidders.push({ ...b, address: w.account.address, wallet: w });
  }
  await advance(c, 60);

  const auctions = [];
  for (const ilk of d.ilks) {
    const ids = await c.publicClient.readContract({ address: ilk.house, abi: abi.house, functionName: 'list' });
    for (const id of ids) {
      const [needsRedo, price, lot, tab] = await c.publicClient.readContract({ address: ilk.house, abi: abi.house, functionName: 'getStatus', args: [id] });
      if (!needsRedo) auctions.push({ house: ilk.house, ilk: ilk.name, id, price, lot, tab });
    }
  }
  if (auctions.length < 2) throw new Error(`makeHistory: ${auctions.length} takeable auctions, need 2`);
  auctions.sort((a, b) => (a.tab < b.tab ? -1 : a.tab > b.tab ? 1 : 0));
  const [alice, bob] = bidders;
  const take = async (who, a, amount) => {
    const [, price] = await c.publicClient.readContract({ address: a.house, abi: abi.house, functionName: 'getStatus', args: [a.id] });
    await send(c, who.wallet, { address: a.house, abi: abi.house, functionName: 'take', args: [a.id, amount, price, who.address, '0x'] });
  };
  const ended = auctions[0];
  const partial = auctions[auctions.length - 1];
  await take(alice, ended, ended.lot / 2n);
  await take(bob, ended, ended.lot);
  await take(alice, partial, partial.lot / 10n);
  await advance(c, 60);
  for (const ilk of d.ilks) await send(c, admin, { address: ilk.house, abi: abi.house, functionName: 'settle' });
  // Two minutes of chain time passed: fresh reports at the same prices, so the marks stay valid.
  await refreshPrices(rpcUrl, d);
  const live = await liveCount(c, d);
  log(`history: ${bidders.map((b) => b.name).join(' and ')} took 3 times, auction ${ended.id} ended, proceeds settled; ${live} live auctions`);
  return {
    bidders: bidders.map(({ name, index, address }) => ({ name, index, address })),
    ended: { house: ended.house, ilk: ended.ilk, id: ended.id.toString() },
    partial: { house: partial.house, ilk: partial.ilk, id: partial.id.toString() },
    live,
  };
}

/**
 * Starts the real indexer (`indexer/bin/gavel-indexer.mjs`: Ponder with embedded PGlite in
 * `dir`) against `rpcUrl` on `port`. Does not wait: see waitIndexed.
 */
export function startIndexer(rpcUrl, deploymentsFile, port, dir) {
  const env = { RPC_URL: rpcUrl, DEPLOYMENTS_FILE: deploymentsFile, GAVEL_INDEXER_DIR: dir, GAVEL_INDEXER_POLL_MS: '500', PONDER_TELEMETRY_DISABLED: 'true', DATABASE_URL: '', DATABASE_PRIVATE_URL: '' };
  const p = startProcess(process.execPath, [INDEXER_BIN, '--port', String(port), '--hostname', '127.0.0.1', '--schema', 'gavel_e2e'], { cwd: path.join(repoRoot, 'indexer'), env });
  const url = `http://127.0.0.1:${port}`;
  return { url, port, pid: p.child.pid, child: p.child, logs: p.logs, stop: () => killGroup(p.child) };
}

/** The block Ponder has indexed (its `/status`), or -1 before it answers. */
export async function indexedBlock(url) {
  const r = await fetch(`${url}/status`);
  if (!r.ok) return -1n;
  const s = await r.json();
  const n = Object.values(s)[0]?.block?.number;
  return BigInt(n ?? -1);
}

/**
 * Waits, through the indexer's own API, until it is ready (backfill done) and has indexed the
 * node's head block as it is now.
 */
export async function waitIndexed(indexer, rpcUrl, timeoutMs = INDEXER_READY_MS) {
  const c = clients(rpcUrl);
  const head = await c.publicClient.getBlockNumber({ cacheTime: 0 });
  await waitFor(`indexer at block ${head}`, async () => {
    if (indexer.child && indexer.child.exitCode !== null) throw new Error(`the indexer exited with ${indexer.child.exitCode}`);
    if (!(await fetch(`${indexer.url}/ready`)).ok) return false;
    return (await indexedBlock(indexer.url)) >= head;
  }, timeoutMs, indexer.logs);
  return head;
}

const buildMarker = path.join(appDir, '.next', 'e2e-build.json');

/** Hash of every input of the app build (app sources and config, the contracts' TS package, ABIs included). */
function buildFingerprint() {
  const h = createHash('sha256');
  const inputs = [path.join(appDir, 'src'), path.join(repoRoot, 'contracts', 'ts')];
  const files = ['package.json', 'next.config.ts', 'postcss.config.mjs', 'tsconfig.json'].map((f) => path.join(appDir, f));
  for (const dir of inputs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir, { recursive: true })) files.push(path.join(dir, String(f)));
  }
  for (const f of files.sort()) {
    try {
      if (statSync(f).isFile()) h.update(`${path.relative(repoRoot, f)}\n`).update(readFileSync(f));
    } catch { /* gone */ }
  }
  return h.digest('hex');
}

/** The URLs inlined into the last build, when that build is still current (its inputs unchanged). */
function reusableBuild() {
  try {
    const m = JSON.parse(readFileSync(buildMarker, 'utf8'));
    if (m.fingerprint === buildFingerprint() && existsSync(path.join(appDir, '.next', 'BUILD_ID'))) return { rpcUrl: m.rpcUrl, indexerUrl: m.indexerUrl };
  } catch { /* no marker */ }
  return undefined;
}

/** The previous build's port in `url` when nobody listens on it now (so the build can be reused), else a free one. */
async function reusePort(url) {
  const previous = url ? Number(new URL(url).port) : undefined;
  return previous && (await portIsFree(previous)) ? previous : freePort();
}

/** A port nobody listens on right now. */
function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Builds the app for `rpcUrl` (chain 31337) and `indexerUrl` unless .next already holds a current
 * build for those URLs (both are inlined by `next build`).
 */
export async function buildApp(rpcUrl, indexerUrl = E2E_INDEXER_URL) {
  const previous = reusableBuild();
  if (previous?.rpcUrl === rpcUrl && previous.indexerUrl === indexerUrl) return;
  const t = Date.now();
  const fingerprint = buildFingerprint();
  await run(process.execPath, [NEXT, 'build'], { cwd: appDir, env: appEnv(rpcUrl, indexerUrl) });
  writeFileSync(buildMarker, JSON.stringify({ rpcUrl, indexerUrl, fingerprint }));
  log(`next build in ${Date.now() - t} ms`);
}

/**
 * The indexer URL inlined into a build without an indexer (`startStack({ indexer: false })`, the
 * app benchmark): port 9 (discard) on loopback, where nothing listens and no test process can bind
 * (a privileged port): history says "unavailable" while every live view works.
 * GAVEL_E2E_INDEXER_URL points it at an indexer of your own.
 */
export const E2E_INDEXER_URL = process.env.GAVEL_E2E_INDEXER_URL ?? 'http://127.0.0.1:9';

function appEnv(rpcUrl, indexerUrl) {
  return { NEXT_PUBLIC_RPC_URL: rpcUrl, NEXT_PUBLIC_CHAIN_ID: '31337', NEXT_PUBLIC_GAVEL_INDEXER_URL: indexerUrl, NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1' };
}

/** Serves the built app with `next start` on a free port. */
export async function startApp(rpcUrl, deploymentsFile, indexerUrl = E2E_INDEXER_URL) {
  const port = await freePort();
  const p = startProcess(process.execPath, [NEXT, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir,
    env: { ...appEnv(rpcUrl, indexerUrl), GAVEL_DEPLOYMENTS_FILE: deploymentsFile, NODE_ENV: 'production' },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor('next start', async () => (await fetch(`${baseUrl}/api/deployment`)).ok, 60_000, p.logs);
  return { baseUrl, port, pid: p.child.pid, stop: () => killGroup(p.child), logs: p.logs };
}

/**
 * The whole stack. `indexer`: the real indexer beside the chain (PGlite in the temp dir, a free
 * port, inlined into the app build), the history scenario (makeHistory) driven on chain, and the
 * stack returned once the indexer has indexed the head. `stop()` kills next, the indexer and anvil
 * and removes the temp dir.
 */
export async function startStack({ seedVaults = 20, drops = 2, dropBps = 900, maxAuctions = 1000, indexer: withIndexer = false } = {}) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gavel-e2e-'));
  const deploymentsFile = path.join(tmp, '31337.json');
  const stops = [];
  let anvilPid;
  const stop = async () => {
    for (const s of stops.reverse()) await s();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    // Pick anvil's (and the indexer's) port first, build, then start anvil on it.
    // (Building while forge broadcasts starves forge on 2 cores.)
    // The URLs are inlined into the build: reuse the last build's ports when they are free (a run
    // after an unchanged app then skips `next build`), else any free port.
    const previous = reusableBuild();
    const rpcPort = await reusePort(previous?.rpcUrl);
    const rpcUrl = `http://127.0.0.1:${rpcPort}`;
    let indexerPort;
    if (withIndexer) {
      const prev = previous?.indexerUrl && previous.indexerUrl !== E2E_INDEXER_URL ? previous.indexerUrl : undefined;
      indexerPort = await reusePort(prev);
      if (indexerPort === rpcPort) indexerPort = await freePort();
    }
    const indexerUrl = withIndexer ? `http://127.0.0.1:${indexerPort}` : E2E_INDEXER_URL;
    await buildApp(rpcUrl, indexerUrl);
    let deployment;
    for (let attempt = 1; ; attempt++) {
      const anvil = await startAnvil(rpcPort);
      log(`anvil on ${anvil.rpcUrl} (pid ${anvil.pid})`);
      try {
        deployment = await deployAndSeed(anvil.rpcUrl, deploymentsFile, seedVaults);
        stops.push(anvil.stop);
        anvilPid = anvil.pid;
        break;
      } catch (e) {
        await anvil.stop();
        if (attempt >= 2 || !e.timedOut) throw e;
        log(`${e.message.split('\n')[0]}: retrying on a fresh chain`);
      }
    }
    // The indexer starts now (Ponder's build and migrations take ~25 s) and follows the scenario
    // block by block while it is driven.
    let idx;
    const t = Date.now();
    if (withIndexer) {
      idx = startIndexer(rpcUrl, deploymentsFile, indexerPort, path.join(tmp, 'indexer'));
      stops.push(idx.stop);
      log(`indexer starting on ${idx.url} (pid ${idx.pid})`);
    }
    const scenario = await makeAuctions(rpcUrl, deployment, { drops, dropBps, maxAuctions });
    if (withIndexer) {
      scenario.history = await makeHistory(rpcUrl, deployment);
      scenario.live = scenario.history.live;
    }
    const app = await startApp(rpcUrl, deploymentsFile, indexerUrl);
    stops.push(app.stop);
    log(`app on ${app.baseUrl} (pid ${app.pid})`);
    if (idx) {
      const head = await waitIndexed(idx, rpcUrl);
      log(`indexer at block ${head}, ${Date.now() - t} ms after its start`);
    }
    return { rpcUrl, baseUrl: app.baseUrl, deploymentsFile, deployment, scenario, tmp, anvilPid, indexerUrl: idx?.url, indexerPid: idx?.pid, pids: [...liveGroups], stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
