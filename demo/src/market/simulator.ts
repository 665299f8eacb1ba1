// The market simulator: every block, it pushes each feed's report (MarketPath), pokes the median
// oracle and the spotter, and trades each Uniswap V2 pool back to the true price, like an
// arbitrageur would (also undoing the price impact of the keeper's flash takes). It sends from anvil
// account 0 (the feeds' pusher, seeded as the pools' liquidity provider) with its own nonce counter
// and fixed gas limits, so a block's worth of transactions goes out without waiting on receipts.
// It also does the poke bot's breaker duty: `observe` each house after its oracle's poke (so the
// breaker judges one update at a time) and `checkBadDebt` once a block — the breaker is armed.

import {
  type Address,
  type Chain,
  type Hash,
  type HttpTransport,
  type PublicClient,
  type WalletClient,
  encodeFunctionData,
  maxUint256,
  parseGwei,
} from 'viem';
import type { HDAccount } from 'viem/accounts';
import {
  circuitBreakerAbi,
  demoTokenAbi,
  iMedianOracleAbi,
  iUniswapV2PairAbi,
  iUniswapV2Router02Abi,
  pushedFeedAbi,
  spotterAbi,
  stablecoinAbi,
  vaultEngineAbi,
} from '@gavel/sdk';
import type { DemoDeployment, DemoIlk } from '../deployment.ts';
import type { MarketPath, MarketStep } from './path.ts';
import { rebalanceTrade } from './pool.ts';

/** Gas limits: a poke reserves the oracle's per-feed read budget (MedianOracle FEED_READ_GAS_REQUIRED). */
const GAS = { push: 80_000n, oraclePoke: 2_000_000n, spotterPoke: 300_000n, observe: 300_000n, checkBadDebt: 600_000n, mint: 100_000n, swap: 250_000n, setup: 1_000_000n } as const;
const MAX_FEE = parseGwei('50');
const PRIORITY_FEE = parseGwei('1');
/** The arbitrageur leaves a pool alone within this distance of the true price. */
const POOL_TOLERANCE_BPS = 30n;

interface Pool {
  readonly pair: Address;
  readonly collateralIsToken0: boolean;
}

export interface SimulatorStats {
  sent: number;
  failedToSend: number;
  reverted: number;
  swaps: number;
  /** Last error seen, for the dashboard. */
  lastError: string | undefined;
}

export class MarketSimulator {
  readonly stats: SimulatorStats = { sent: 0, failedToSend: 0, reverted: 0, swaps: 0, lastError: undefined };
  /** True price per ilk name, by the block the step's transactions were sent for. */
  readonly truthByBlock = new Map<bigint, ReadonlyMap<string, bigint>>();
  private nonce = 0;
  private readonly pools = new Map<string, Pool>();
  private readonly pending = new Set<Hash>();
  lastStep: MarketStep | undefined;
  /** Per ilk name, per feed: the last value pushed (what the feed reports now). */
  readonly lastReported = new Map<string, (bigint | undefined)[]>();

  constructor(
    private readonly client: PublicClient<HttpTransport, Chain>,
    private readonly wallet: WalletClient<HttpTransport, Chain, HDAccount>,
    private readonly d: DemoDeployment,
    readonly path: MarketPath,
  ) {}

  get account(): Address {
    return this.wallet.account.address;
  }

  /**
   * One-time setup (automine still on): routers approved for every token, and the market maker's
   * stablecoin: 200,000 demo WETH locked in its ETH-A vault and 20,000,000 gUSD drawn (health stays
   * far above 1 at the bottom of the crash).
   */
  async setup(): Promise<void> {
    const dex = this.d.dex;
    if (!dex) throw new Error('the deployment has no dex section: run SeedLocal.s.sol (a local chain) before the simulator');
    this.nonce = await this.client.getTransactionCount({ address: this.account, blockTag: 'pending' });
    const eth = this.d.ilks.find((i) => i.name === 'ETH-A') ?? this.d.ilks[0];
    if (!eth) throw new Error('the deployment has no ilks');
    const unit = 10n ** BigInt(eth.decimals);
    const wad = 10n ** 18n;
    const hashes: Hash[] = [];
    hashes.push(await this.send(eth.token, encodeFunctionData({ abi: demoTokenAbi, functionName: 'mint', args: [this.account, 200_000n * unit] }), GAS.setup));
    hashes.push(await this.send(eth.token, encodeFunctionData({ abi: demoTokenAbi, functionName: 'approve', args: [this.d.engine, maxUint256] }), GAS.setup));
    hashes.push(
      await this.send(
        this.d.engine,
        encodeFunctionData({ abi: vaultEngineAbi, functionName: 'adjust', args: [eth.id, 200_000n * unit, 20_000_000n * wad] }),
        GAS.setup,
      ),
    );
    for (const token of [...this.d.ilks.map((i) => i.token), this.d.stablecoin]) {
      const abi = token === this.d.stablecoin ? stablecoinAbi : demoTokenAbi;
      hashes.push(await this.send(token, encodeFunctionData({ abi, functionName: 'approve', args: [dex.router, maxUint256] }), GAS.setup));
    }
    for (const h of hashes) {
      const r = await this.client.waitForTransactionReceipt({ hash: h });
      if (r.status !== 'success') throw new Error(`market maker setup transaction ${h} reverted`);
    }
    await this.readPools(dex.pairs);
  }

  /** Attaches to a chain where {@link setup} already ran (after an anvil revert): reads the pools and the nonce. */
  async attach(): Promise<void> {
    const dex = this.d.dex;
    if (!dex) throw new Error('the deployment has no dex section: run SeedLocal.s.sol (a local chain) before the simulator');
    this.nonce = await this.client.getTransactionCount({ address: this.account, blockTag: 'pending' });
    await this.readPools(dex.pairs);
  }

  private async readPools(pairs: Readonly<Record<string, Address>>): Promise<void> {
    for (const ilk of this.d.ilks) {
      const pair = pairs[ilk.name];
      if (!pair) throw new Error(`the deployment has no ${ilk.name} pool`);
      const token0 = await this.client.readContract({ address: pair, abi: iUniswapV2PairAbi, functionName: 'token0' });
      this.pools.set(ilk.name, { pair, collateralIsToken0: token0.toLowerCase() === ilk.token.toLowerCase() });
    }
  }

  /** Sends the next step's transactions (they land in the next block). */
  async step(forBlock: bigint): Promise<MarketStep | undefined> {
    if (this.path.done()) return undefined;
    const s = this.path.next();
    this.lastStep = s;
    this.truthByBlock.set(forBlock, s.truth);
    for (const ilk of this.d.ilks) {
      const reports = s.pushes.get(ilk.name) ?? [];
      let pushed = false;
      for (const [i, value] of reports.entries()) {
        const feed = ilk.feeds[i];
        if (value === undefined || !feed) continue;
        await this.trySend(feed, encodeFunctionData({ abi: pushedFeedAbi, functionName: 'push', args: [value] }), GAS.push);
        pushed = true;
        const last = this.lastReported.get(ilk.name) ?? [];
        last[i] = value;
        this.lastReported.set(ilk.name, last);
      }
      if (pushed) {
        await this.trySend(ilk.oracle, encodeFunctionData({ abi: iMedianOracleAbi, functionName: 'poke' }), GAS.oraclePoke);
        await this.trySend(this.d.spotter, encodeFunctionData({ abi: spotterAbi, functionName: 'poke', args: [ilk.id] }), GAS.spotterPoke);
        if (this.d.breaker) await this.trySend(this.d.breaker, encodeFunctionData({ abi: circuitBreakerAbi, functionName: 'observe', args: [ilk.house] }), GAS.observe);
      }
      const truth = s.truth.get(ilk.name);
      if (truth !== undefined) await this.rebalance(ilk, truth);
    }
    if (this.d.breaker) await this.trySend(this.d.breaker, encodeFunctionData({ abi: circuitBreakerAbi, functionName: 'checkBadDebt' }), GAS.checkBadDebt);
    return s;
  }

  /** Counts the simulator's transactions that reverted in `block` (one eth_getBlockReceipts call). */
  async checkBlock(block: bigint): Promise<void> {
    if (this.pending.size === 0) return;
    const receipts = await this.client
      .request({ method: 'eth_getBlockReceipts', params: [`0x${block.toString(16)}`] })
      .catch(() => null);
    for (const r of receipts ?? []) {
      if (!this.pending.delete(r.transactionHash)) continue;
      if (r.status !== '0x1') {
        this.stats.reverted++;
        this.stats.lastError = `transaction ${r.transactionHash} to ${r.to ?? '?'} reverted in block ${block}`;
      }
    }
  }

  private async rebalance(ilk: DemoIlk, truth: bigint): Promise<void> {
    const pool = this.pools.get(ilk.name);
    const dex = this.d.dex;
    if (!pool || !dex) return;
    const [r0, r1] = await this.client.readContract({ address: pool.pair, abi: iUniswapV2PairAbi, functionName: 'getReserves' });
    const reserves = pool.collateralIsToken0
      ? { collateral: r0, stable: r1, unit: 10n ** BigInt(ilk.decimals) }
      : { collateral: r1, stable: r0, unit: 10n ** BigInt(ilk.decimals) };
    const trade = rebalanceTrade(reserves, truth, POOL_TOLERANCE_BPS);
    if (!trade || trade.amountIn === 0n) return;
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    if (trade.sell === 'collateral') {
      await this.trySend(ilk.token, encodeFunctionData({ abi: demoTokenAbi, functionName: 'mint', args: [this.account, trade.amountIn] }), GAS.mint);
    }
    const route: readonly Address[] = trade.sell === 'collateral' ? [ilk.token, this.d.stablecoin] : [this.d.stablecoin, ilk.token];
    await this.trySend(
      dex.router,
      encodeFunctionData({ abi: iUniswapV2Router02Abi, functionName: 'swapExactTokensForTokens', args: [trade.amountIn, 0n, route, this.account, deadline] }),
      GAS.swap,
    );
    this.stats.swaps++;
  }

  private async trySend(to: Address, data: `0x${string}`, gas: bigint): Promise<void> {
    try {
      this.pending.add(await this.send(to, data, gas));
    } catch (e) {
      this.stats.failedToSend++;
      this.stats.lastError = (e as Error).message.split('\n')[0];
      // A rejected transaction leaves a nonce gap or a stale counter: re-read it.
      this.nonce = await this.client.getTransactionCount({ address: this.account, blockTag: 'pending' });
    }
  }

  private async send(to: Address, data: `0x${string}`, gas: bigint): Promise<Hash> {
    const hash = await this.wallet.sendTransaction({
      to,
      data,
      gas,
      nonce: this.nonce,
      maxFeePerGas: MAX_FEE,
      maxPriorityFeePerGas: PRIORITY_FEE,
    });
    this.nonce++;
    this.stats.sent++;
    return hash;
  }
}
