// Third-party use: `npm pack` the SDK, install the tarball into an empty folder (offline, from the npm
// cache), and run its two examples there against a real system on anvil deployed by the forge scripts:
// the vault monitor (before and after a price crash) and the bidder (which must take a profitable
// auction). Nothing from the workspace is on the examples' module path.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Address, erc20Abi, maxUint256, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilNode, type LocalSystem, deployLocalSystem, startAnvil } from '@gavel/contracts/testing';
import { auctionStatus } from '../src/auction.ts';
import { type Deployment, parseDeployment } from '../src/deployment.ts';
import { collateralAuctionAbi, demoTokenAbi, iMarkPriceSourceAbi, iMedianOracleAbi, liquidationEngineAbi, pushedFeedAbi, spotterAbi, vaultEngineAbi } from '../src/generated.ts';
import { WAD } from '../src/units.ts';

const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd: string, args: readonly string[], cwd: string): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

function runNode(script: string, args: readonly string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: { PATH: process.env.PATH ?? '' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      resolve({ code: code ?? 1, out });
    });
  });
}

describe('the SDK tarball, installed from outside the workspace, runs its examples against anvil', () => {
  let node: AnvilNode;
  let system: LocalSystem;
  let d: Deployment;
  let consumer: string;

  beforeAll(async () => {
    const packed = run(process.execPath, [path.join(sdkDir, 'tools', 'pack.mjs')], sdkDir);
    expect(packed.code, packed.out).toBe(0);
    const tarball = packed.out.trim().split('\n').at(-1) ?? '';
    consumer = mkdtempSync(path.join(tmpdir(), 'gavel-sdk-consumer-'));
    writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    let install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], consumer);
    // A cold npm cache: let npm fill it from the registry once (the only network npm may use).
    if (install.code !== 0) install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], consumer);
    expect(install.code, install.out).toBe(0);
    cpSync(path.join(consumer, 'node_modules', '@gavel', 'sdk', 'examples'), path.join(consumer, 'examples'), { recursive: true });

    node = await startAnvil({ accounts: 10, args: ['--gas-limit', '30000000'] });
    system = await deployLocalSystem(node, { vaults: 12, timeoutMs: 400_000 });
    const parsed = parseDeployment(system.raw);
    if (!parsed.ok) throw new Error(parsed.message);
    d = parsed.deployment;
  }, 900_000);

  afterAll(async () => {
    await node.stop();
    system.remove();
    rmSync(consumer, { recursive: true, force: true });
  }, 60_000);

  const send = async (from: number, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []): Promise<void> => {
    const hash = await node.walletFor(from).writeContract({ address, abi: abi as never, functionName, args: args });
    const r = await node.publicClient.waitForTransactionReceipt({ hash });
    if (r.status !== 'success') throw new Error(`${functionName} reverted`);
  };

  it('monitors vaults, then bids on the auctions a crash opens', { timeout: 300_000 }, async () => {
    const monitor = path.join(consumer, 'examples', 'vault-monitor.mjs');
    const calm = await runNode(monitor, [node.rpcUrl, system.deploymentsFile], consumer);
    expect(calm.code, calm.out).toBe(0);
    expect(calm.out).toMatch(/(\d+) vaults with debt, 0 unsafe/);

    // Crash ETH-A by 60% in 10% steps (the oracle's max change per poke): feeds, oracle, spotter.
    const ilk = d.ilks[0];
    if (!ilk) throw new Error('no ilk');
    let [price] = await node.publicClient.readContract({ address: ilk.oracle, abi: iMarkPriceSourceAbi, functionName: 'peek' });
    for (let step = 0; step < 9; step++) {
      price = (price * 90n) / 100n;
      for (const feed of ilk.feeds) await send(0, feed, pushedFeedAbi, 'push', [price]);
      await node.testClient.increaseTime({ seconds: 2 }); // one poke per second at most
      await send(0, ilk.oracle, iMedianOracleAbi, 'poke');
      await send(0, d.spotter, spotterAbi, 'poke', [ilk.id]);
    }
    const crashed = await runNode(monitor, [node.rpcUrl, system.deploymentsFile], consumer);
    expect(crashed.code, crashed.out).toBe(0);
    const unsafeOwners = crashed.out
      .split('\n')
      .filter((l) => l.startsWith(`${ilk.name} `) && l.endsWith('UNSAFE'))
      .map((l) => l.split(' ')[1] as Address);
    expect(unsafeOwners.length, crashed.out).toBeGreaterThan(0);
    // The monitor's verdict is the engine's.
    for (const owner of unsafeOwners) {
      expect(await node.publicClient.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'isSafe', args: [ilk.id, owner] })).toBe(false);
    }
    await send(0, d.liquidationEngine, liquidationEngineAbi, 'liquidateMany', [ilk.id, unsafeOwners, node.accounts[0]?.address]);
    const ids = await node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'list' });
    expect(ids.length).toBeGreaterThan(0);

    // The bidder borrows stablecoin against fresh collateral.
    const bidderAccount = node.accounts[1];
    const bidderKey = bidderAccount?.getHdKey().privateKey;
    if (!bidderAccount || !bidderKey) throw new Error('no bidder account');
    const bidder = bidderAccount.address;
    await node.testClient.setBalance({ address: bidder, value: 100n * WAD }); // the seeding spends the funded accounts' ether
    await send(1, ilk.token, demoTokenAbi, 'mint', [bidder, 1_000n * WAD]);
    await send(1, ilk.token, erc20Abi, 'approve', [d.engine, maxUint256]);
    await send(1, d.engine, vaultEngineAbi, 'adjust', [ilk.id, 1_000n * WAD, (price * 1_000n * 40n) / 100n]);

    // Wait (chain time) until the first auction trades 5% under the mark, before it needs a redo.
    const id = ids[0] as bigint;
    const sale = await node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'sale', args: [id] });
    const tier = await node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'tier', args: [BigInt(sale.tierId)] });
    let at = BigInt(sale.startedAt);
    for (;;) {
      const st = auctionStatus(tier, { ...sale, startedAt: BigInt(sale.startedAt) }, at);
      if (st.needsRedo) throw new Error('no profitable second before the redo');
      if (st.price * 100n < price * 95n) break;
      at += 1n;
    }
    await node.testClient.setNextBlockTimestamp({ timestamp: at - 1n });
    await node.testClient.mine({ blocks: 1 });

    const before = await node.publicClient.readContract({ address: ilk.token, abi: erc20Abi, functionName: 'balanceOf', args: [bidder] });
    const bid = await runNode(path.join(consumer, 'examples', 'bidder.mjs'), [node.rpcUrl, system.deploymentsFile, toHex(bidderKey)], consumer);
    expect(bid.code, bid.out).toBe(0);
    expect(bid.out, bid.out).toMatch(new RegExp(`auction ${id}: took \\d+ ${ilk.name}`));
    const after = await node.publicClient.readContract({ address: ilk.token, abi: erc20Abi, functionName: 'balanceOf', args: [bidder] });
    expect(after).toBeGreaterThan(before);
  });
});
