// One scenario on one mechanism's chain, in simulated time. Per lab step two blocks are mined with
// explicit timestamps (automine off): a market block (feeds pushed, oracle and spotter poked, the
// breaker observed, pools arbitraged to the scenario's price and thinned, houses settled: the world's
// infrastructure, given the whole block) and a protocol block at T+1 (keeper kicks, redos, takeovers,
// bidders' takes), whose gas limit is what other traffic leaves and whose base fee is the scenario's.
// What does not fit the block is dropped and counted; nothing waits on the wall clock.
import { type Address, type Hex, decodeFunctionResult, encodeFunctionData, erc20Abi, getAddress, keccak256, maxUint256, parseAbi, parseGwei, toBytes } from 'viem';
import { type HDAccount, mnemonicToAccount } from 'viem/accounts';
import { ANVIL_MNEMONIC } from '@gavel/contracts/testing';
import { rebalanceTrade } from '@gavel/demo/market/pool';
import type { Deployment } from '@gavel/sdk/deployment';
import {
  RAY,
  WAD,
  circuitBreakerAbi,
  collateralAuctionAbi,
  demoTokenAbi,
  iMedianOracleAbi,
  iUniswapV2PairAbi,
  iUniswapV2Router02Abi,
  liquidationEngineAbi,
  lotValue,
  preLiquidationAbi,
  previewPreLiquidation,
  portfolioEngineAbi,
  pushedFeedAbi,
  spotterAbi,
  stablecoinAbi,
  uniswapV2FlashTakerAbi,
  vaultEngineAbi,
} from '@gavel/sdk';
import {
  FLASH_TAKE_GAS,
  type LiveAuction,
  type PoolReserves,
  TAKE_GAS,
  gasCostGusd,
  housekeeping,
  planCapitalTake,
  planFlashTake,
  vaultsToKick,
} from './agents.ts';
import { type MarketStep, buildMarket } from './market.ts';
import { Rpc, hex, readMany } from './rpc.ts';
import { type PreLiquidationSpec, type Scenario, seriesAt } from './schema.ts';

const routerExtraAbi = parseAbi([
  'function removeLiquidity(address tokenA, address tokenB, uint256 liquidity, uint256 amountAMin, uint256 amountBMin, address to, uint256 deadline) returns (uint256, uint256)',
]);

/** Gas limits of the infrastructure's own transactions (the market block has room for all of them). */
export const GAS = { push: 80_000n, oraclePoke: 2_000_000n, spotterPoke: 300_000n, observe: 300_000n, checkBadDebt: 600_000n, mint: 100_000n, swap: 250_000n, remove: 300_000n, settle: 300_000n, setup: 1_000_000n } as const;
const MARKET_BLOCK_GAS_LIMIT = 100_000_000n;
export const INFRA_MAX_FEE = parseGwei('100000');
/** The arbitrageur leaves a pool alone within this distance of its target. */
const POOL_TOLERANCE_BPS = 30n;
const FAR_DEADLINE = 2n ** 40n;
/** The market maker's own vault: collateral and debt far from unsafe in every scenario (ETH-A, 2,000,000 WETH / 40,000,000 gUSD). */
const MM_COLLATERAL = 2_000_000n;
const MM_DEBT = 40_000_000n;
/** Estimated gas is padded by this factor (percent) to form the gas limit. */
const GAS_PAD_PCT = 130n;
/** First mnemonic index of the bidders' accounts (far past the seeded vault owners). */
const BIDDER_ACCOUNT_BASE = 5_000;
/** Mnemonic index of the pre-liquidator's account (past every bidder's). */
const PRE_LIQUIDATOR_ACCOUNT = 6_000;
/** Gas a pre-liquidator budgets for `preLiquidate`, for its profit check. */
const PRE_LIQUIDATE_GAS = 200_000n;
export const AGENT_ETH = 10_000n * WAD;
const RECEIPT_POLLS = 250;
const RECEIPT_POLL_MS = 20;
/** The keeper's key prefix for a watched portfolio (`PORTFOLIO/<owner>`), beside `<ilk>/<owner>` for vaults. */
const PORTFOLIO_KEY = 'PORTFOLIO';

export type TxKind = 'liquidate' | 'liquidatePortfolio' | 'take' | 'flashTake' | 'redo' | 'takeover' | 'preLiquidate';

export interface Ilk {
  readonly name: string;
  readonly id: Hex;
  readonly token: Address;
  readonly decimals: number;
  readonly scale: bigint;
  readonly oracle: Address;
  readonly feeds: readonly Address[];
  readonly house: Address;
  readonly pair: Address;
  readonly collateralIsToken0: boolean;
}

/** A vault the keeper watches: a seeded owner's vault. */
export interface WatchedVault {
  readonly ilk: string;
  readonly owner: Address;
}

/** Everything a mechanism's chain needs once: the world set up, a snapshot to return to. */
export interface World {
  readonly rpc: Rpc;
  readonly d: Deployment;
  readonly ilks: readonly Ilk[];
  readonly vaults: readonly WatchedVault[];
  readonly mm: HDAccount;
  readonly keeper: HDAccount;
  readonly chainId: number;
  readonly lpStart: ReadonlyMap<string, bigint>;
  /** Pre-liquidation: the owners who opted in, and the agent's rule (absent: nobody opted in). */
  readonly preLiquidation?: { readonly spec: PreLiquidationSpec; readonly opted: readonly WatchedVault[]; readonly agent: HDAccount };
}

/** One step's sample for the charts. */
export interface Sample {
  readonly step: number;
  readonly timestamp: number;
  readonly truth: Record<string, number>;
  readonly mark: Record<string, number>;
  readonly pool: Record<string, number>;
  /** Bad debt on the books after the step's settle, whole gUSD. */
  readonly badDebt: number;
  /** Tab in live auctions, whole gUSD. */
  readonly debtInAuctions: number;
  readonly baseFeeGwei: number;
}

export interface SentTx {
  readonly hash: Hex;
  readonly kind: TxKind;
  readonly step: number;
}

export interface IncludedTx extends SentTx {
  readonly gasUsed: bigint;
  readonly effectiveGasPrice: bigint;
  readonly success: boolean;
}

export interface RunResult {
  readonly scenario: Scenario;
  readonly startBlock: bigint;
  readonly endBlock: bigint;
  readonly t0: number;
  /** Block number → lab step. */
  readonly stepOfBlock: ReadonlyMap<bigint, number>;
  readonly market: readonly MarketStep[];
  readonly samples: readonly Sample[];
  readonly included: readonly IncludedTx[];
  /** Transactions the agents sent that the protocol block had no room for (dropped). */
  readonly crowdedOut: number;
  /** Planned transactions whose simulation reverted (not sent: a lost race seen in time, or no room). */
  readonly simulatedReverts: number;
  /** Infrastructure transactions that reverted (pokes, swaps): must be 0 for a sound run. */
  readonly infraReverts: number;
  readonly badDebtStartRad: bigint;
  /** Positions the run's `open` hook added to what the keeper watches (none without a hook). */
  readonly extra: ExtraPositions;
}

/** Positions opened at the start of a run (automine on, before the first step) that the keeper watches too. */
export interface ExtraPositions {
  /** Isolated vaults, watched with `VaultEngine.isSafe` like the seeded ones. */
  readonly vaults: readonly WatchedVault[];
  /** Portfolio owners, watched with `PortfolioEngine.isSafe` and liquidated with `liquidatePortfolio`. */
  readonly portfolios: readonly Address[];
}

/** What a run's `open` hook gets: the chain (automine on) and the run's sender (its nonces). */
export interface OpenContext {
  readonly world: World;
  readonly sender: Sender;
  readonly seedPrices: ReadonlyMap<string, number>;
}

export interface RunOptions {
  /** Opens extra positions after the bidders are funded and before the first step (the margin comparison). */
  readonly open?: (ctx: OpenContext) => Promise<ExtraPositions>;
}

const toNum = (x: bigint, unit: bigint = WAD): number => Number(x) / Number(unit);

async function mine(rpc: Rpc, timestamp: number, baseFee: bigint, gasLimit: bigint): Promise<bigint> {
  await rpc.batch([
    { method: 'anvil_setNextBlockBaseFeePerGas', params: [hex(baseFee)] },
    { method: 'evm_setBlockGasLimit', params: [hex(gasLimit)] },
    { method: 'evm_setNextBlockTimestamp', params: [hex(timestamp)] },
  ]);
  await rpc.call('evm_mine', []);
  return BigInt(await rpc.call<Hex>('eth_blockNumber'));
}

export interface Outgoing {
  readonly from: HDAccount;
  readonly to: Address;
  readonly data: Hex;
  readonly kind: TxKind | 'infra';
  readonly maxFee: bigint;
  readonly priority: bigint;
  /** Fixed gas limit (infrastructure); agents' limits come from an estimate. */
  readonly gas?: bigint;
}

/** Local nonces per account, resynced from the chain after a drop. */
export class Sender {
  private readonly nonces = new Map<Address, number>();
  constructor(
    private readonly rpc: Rpc,
    private readonly chainId: number,
  ) {}

  async resync(addresses: Iterable<Address>): Promise<void> {
    const list = [...new Set(addresses)];
    const out = await this.rpc.batch<Hex>(list.map((a) => ({ method: 'eth_getTransactionCount', params: [a, 'latest'] })));
    out.forEach((o, i) => {
      if (o.ok) this.nonces.set(list[i] as Address, Number(o.result));
    });
  }

  /** Estimates the agents' transactions (drops those that would revert), signs and sends all in one batch. */
  async send(txs: readonly Outgoing[]): Promise<{ sent: { hash: Hex; tx: Outgoing }[]; simulatedReverts: number; rejected: number }> {
    const unknown = txs.filter((t) => !this.nonces.has(t.from.address)).map((t) => t.from.address);
    if (unknown.length > 0) await this.resync(unknown);
    const needEstimate = txs.filter((t) => t.gas === undefined);
    const estimates = await this.rpc.batch<Hex>(
      needEstimate.map((t) => ({ method: 'eth_estimateGas', params: [{ from: t.from.address, to: t.to, data: t.data }, 'latest'] })),
    );
    const gasOf = new Map<Outgoing, bigint>();
    let simulatedReverts = 0;
    needEstimate.forEach((t, i) => {
      const o = estimates[i];
      if (o?.ok) gasOf.set(t, (BigInt(o.result) * GAS_PAD_PCT) / 100n);
      else simulatedReverts++;
    });
    const signed: { raw: Hex; tx: Outgoing }[] = [];
    for (const t of txs) {
      const gas = t.gas ?? gasOf.get(t);
      if (gas === undefined) continue;
      const nonce = this.nonces.get(t.from.address) ?? 0;
      const raw = await t.from.signTransaction({
        type: 'eip1559',
        chainId: this.chainId,
        to: t.to,
        data: t.data,
        gas,
        nonce,
        maxFeePerGas: t.maxFee,
        maxPriorityFeePerGas: t.priority,
      });
      this.nonces.set(t.from.address, nonce + 1);
      signed.push({ raw, tx: t });
    }
    const out = await this.rpc.batch<Hex>(signed.map((s) => ({ method: 'eth_sendRawTransaction', params: [s.raw] })));
    const sent: { hash: Hex; tx: Outgoing }[] = [];
    const resync: Address[] = [];
    let rejected = 0;
    out.forEach((o, i) => {
      const s = signed[i] as { raw: Hex; tx: Outgoing };
      if (o.ok) sent.push({ hash: o.result, tx: s.tx });
      else {
        rejected++;
        resync.push(s.tx.from.address);
      }
    });
    if (resync.length > 0) await this.resync(resync);
    return { sent, simulatedReverts, rejected };
  }
}

export const accountAt = (index: number): HDAccount => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index });

/**
 * One-time world setup on a freshly deployed chain (automine on): the market maker's vault and
 * approvals, the seeded vaults the keeper watches, the pools. Returns what every scenario run needs.
 */
export async function setupWorld(rpcUrl: string, d: Deployment, pre?: PreLiquidationSpec): Promise<World> {
  const rpc = new Rpc(rpcUrl);
  const chainId = Number(await rpc.call<Hex>('eth_chainId'));
  const mm = accountAt(0);
  const keeper = accountAt(1);
  const dex = d.dex;
  if (!dex || !d.seed) throw new Error('the deployment has no dex/seed section: SeedLocal.s.sol must have run');
  const ilks: Ilk[] = [];
  for (const i of d.ilks) {
    const pair = dex.pairs[i.name];
    if (!pair) throw new Error(`no pool for ${i.name}`);
    const [token0] = (await readMany(rpc, [{ address: pair, abi: iUniswapV2PairAbi, functionName: 'token0' }])) as [Address];
    ilks.push({ ...i, scale: 10n ** BigInt(18 - i.decimals), pair, collateralIsToken0: token0.toLowerCase() === i.token.toLowerCase() });
  }
  const eth = ilks.find((i) => i.name === 'ETH-A') ?? ilks[0];
  if (!eth) throw new Error('no ilks');
  const sender = new Sender(rpc, chainId);
  const unit = 10n ** BigInt(eth.decimals);
  const setup: Outgoing[] = [
    { from: mm, to: eth.token, data: encodeFunctionData({ abi: demoTokenAbi, functionName: 'mint', args: [mm.address, MM_COLLATERAL * unit] }), kind: 'infra', maxFee: INFRA_MAX_FEE, priority: 1n, gas: GAS.setup },
    { from: mm, to: eth.token, data: encodeFunctionData({ abi: demoTokenAbi, functionName: 'approve', args: [d.engine, maxUint256] }), kind: 'infra', maxFee: INFRA_MAX_FEE, priority: 1n, gas: GAS.setup },
    { from: mm, to: d.engine, data: encodeFunctionData({ abi: vaultEngineAbi, functionName: 'adjust', args: [eth.id, MM_COLLATERAL * unit, MM_DEBT * WAD] }), kind: 'infra', maxFee: INFRA_MAX_FEE, priority: 1n, gas: GAS.setup },
  ];
  for (const t of [...ilks.map((i) => i.token), d.stablecoin, ...ilks.map((i) => i.pair)]) {
    setup.push({ from: mm, to: t, data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [dex.router, maxUint256] }), kind: 'infra', maxFee: INFRA_MAX_FEE, priority: 1n, gas: GAS.setup });
  }
  await sendConfirmed(rpc, sender, setup, 'world setup');
  // The watched vaults: every vault a seeded owner opened (VaultChanged logs), the infrastructure's own excluded.
  const logs = await rpc.call<{ topics: Hex[] }[]>('eth_getLogs', [
    { address: d.engine, fromBlock: '0x0', toBlock: 'latest', topics: [vaultChangedTopic()] },
  ]);
  const seen = new Set<string>();
  const vaults: WatchedVault[] = [];
  for (const l of logs) {
    const ilkId = l.topics[1]?.toLowerCase();
    const owner = getAddress(`0x${(l.topics[2] ?? '').slice(26)}`);
    const ilk = ilks.find((i) => i.id.toLowerCase() === ilkId);
    if (!ilk || owner.toLowerCase() === mm.address.toLowerCase()) continue;
    const key = `${ilk.name}/${owner.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    vaults.push({ ilk: ilk.name, owner });
  }
  const lp = (await readMany(
    rpc,
    ilks.map((i) => ({ address: i.pair, abi: erc20Abi, functionName: 'balanceOf', args: [mm.address] })),
  )) as bigint[];
  const world: World = { rpc, d, ilks, vaults, mm, keeper, chainId, lpStart: new Map(ilks.map((i, k) => [i.name, lp[k] ?? 0n])) };
  if (!pre) return world;
  return { ...world, preLiquidation: { spec: pre, opted: await optIn(rpc, d, ilks, vaults, pre), agent: accountAt(PRE_LIQUIDATOR_ACCOUNT) } };
}

/** forge's number strings (`"1.1e18"`) as exact integers. */
function configInt(s: string): bigint {
  const [mantissa = '0', exp = '0'] = s.split('e');
  const [whole = '0', frac = ''] = mantissa.split('.');
  const e = Number(exp) - frac.length;
  if (e < 0) throw new RangeError(`not an integer: ${s}`);
  return BigInt(whole + frac) * 10n ** BigInt(e);
}

/** The owners of an even `optInShare` of the watched vaults call `PreLiquidation.setParams` (impersonated). */
async function optIn(rpc: Rpc, d: Deployment, ilks: readonly Ilk[], vaults: readonly WatchedVault[], pre: PreLiquidationSpec): Promise<WatchedVault[]> {
  const target = d.preLiquidation;
  if (!target) throw new Error('the deployment has no preLiquidation: Deploy.s.sol must deploy it');
  const opted = vaults.filter((_, i) => Math.floor((i + 1) * pre.optInShare) > Math.floor(i * pre.optInShare));
  const params = {
    preHealthWad: configInt(pre.preHealthWad),
    incentiveStartWad: configInt(pre.incentiveStartWad),
    incentiveEndWad: configInt(pre.incentiveEndWad),
    closeFactorStartBps: Number(configInt(pre.closeFactorStartBps)),
    closeFactorEndBps: Number(configInt(pre.closeFactorEndBps)),
  };
  for (const v of opted) {
    const ilk = ilks.find((i) => i.name === v.ilk) as Ilk;
    await rpc.call('anvil_impersonateAccount', [v.owner]);
    await rpc.call('anvil_setBalance', [v.owner, hex(AGENT_ETH)]);
    const hash = await rpc.call<Hex>('eth_sendTransaction', [{ from: v.owner, to: target, data: encodeFunctionData({ abi: preLiquidationAbi, functionName: 'setParams', args: [ilk.id, params] }) }]);
    let r: { status: Hex } | null = null;
    for (let tries = 0; !r && tries < RECEIPT_POLLS; tries++) {
      r = await rpc.call<{ status: Hex } | null>('eth_getTransactionReceipt', [hash]);
      if (!r) await new Promise((res) => setTimeout(res, RECEIPT_POLL_MS));
    }
    if (r?.status !== '0x1') throw new Error(`opt-in of ${v.owner} (${v.ilk}) failed`);
    await rpc.call('anvil_stopImpersonatingAccount', [v.owner]);
  }
  return opted;
}

let vaultChangedTopicCache: Hex | undefined;
function vaultChangedTopic(): Hex {
  if (vaultChangedTopicCache) return vaultChangedTopicCache;
  // keccak of the event signature, from the ABI (no hard-coded hash).
  const ev = vaultEngineAbi.find((x) => x.type === 'event' && x.name === 'VaultChanged');
  if (!ev) throw new Error('VaultChanged not in the ABI');
  vaultChangedTopicCache = eventTopic(`VaultChanged(${ev.inputs.map((i) => i.type).join(',')})`);
  return vaultChangedTopicCache;
}

const eventTopic = (sig: string): Hex => keccak256(toBytes(sig));

/** Runs `sc` on `world` (a chain at its post-setup snapshot). Leaves the chain where the scenario ended. */
export async function runScenario(
  world: World,
  sc: Scenario,
  seedPrices: ReadonlyMap<string, number>,
  log: (s: string) => void = () => undefined,
  options: RunOptions = {},
): Promise<RunResult> {
  const { rpc, d, ilks, mm, keeper } = world;
  const market = buildMarket(sc, seedPrices);
  const sender = new Sender(rpc, world.chainId);
  await rpc.call('evm_setAutomine', [true]);

  // Bidders: own accounts with gas money; capital bidders get gUSD from the market maker and approve every house.
  const bidders: { spec: Scenario['bidders'][number]; account: HDAccount; index: number }[] = [];
  let next = BIDDER_ACCOUNT_BASE;
  for (const spec of sc.bidders) for (let k = 0; k < spec.count; k++) bidders.push({ spec, account: accountAt(next), index: next++ });
  await rpc.batch([...bidders.map((b) => ({ method: 'anvil_setBalance', params: [b.account.address, hex(AGENT_ETH)] })), { method: 'anvil_setBalance', params: [keeper.address, hex(AGENT_ETH)] }]);
  const funding: Outgoing[] = [];
  for (const b of bidders) {
    if (b.spec.flash || b.spec.capitalGusd === 0) continue;
    funding.push({ from: mm, to: d.stablecoin, data: encodeFunctionData({ abi: stablecoinAbi, functionName: 'transfer', args: [b.account.address, BigInt(Math.round(b.spec.capitalGusd)) * WAD] }), kind: 'infra', maxFee: INFRA_MAX_FEE, priority: 1n, gas: GAS.setup });
    for (const i of ilks) funding.push({ from: b.account, to: d.stablecoin, data: encodeFunctionData({ abi: stablecoinAbi, functionName: 'approve', args: [i.house, maxUint256] }), kind: 'infra', maxFee: INFRA_MAX_FEE, priority: 1n, gas: GAS.setup });
  }
  const pre = world.preLiquidation;
  if (pre && d.preLiquidation) {
    await rpc.call('anvil_setBalance', [pre.agent.address, hex(AGENT_ETH)]);
    funding.push({ from: mm, to: d.stablecoin, data: encodeFunctionData({ abi: stablecoinAbi, functionName: 'transfer', args: [pre.agent.address, BigInt(Math.round(pre.spec.agent.capitalGusd)) * WAD] }), kind: 'infra', maxFee: INFRA_MAX_FEE, priority: 1n, gas: GAS.setup });
    funding.push({ from: pre.agent, to: d.stablecoin, data: encodeFunctionData({ abi: stablecoinAbi, functionName: 'approve', args: [d.preLiquidation, maxUint256] }), kind: 'infra', maxFee: INFRA_MAX_FEE, priority: 1n, gas: GAS.setup });
  }
  await sendConfirmed(rpc, sender, funding, 'bidder funding');
  const extra: ExtraPositions = options.open ? await options.open({ world, sender, seedPrices }) : { vaults: [], portfolios: [] };
  const watched = [...world.vaults, ...extra.vaults];
  const portfolioEngine = d.portfolioEngine;
  if (extra.portfolios.length > 0 && !portfolioEngine) throw new Error('portfolios to watch but the deployment has no portfolioEngine');
  await rpc.call('evm_setAutomine', [false]);

  const head = await rpc.call<{ timestamp: Hex; number: Hex }>('eth_getBlockByNumber', ['latest', false]);
  const t0 = Number(BigInt(head.timestamp)) + sc.stepSeconds;
  const startBlock = BigInt(head.number) + 1n;
  const badDebtStartRad = ((await readMany(rpc, [{ address: d.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' }])) as [bigint])[0];
  const stepOfBlock = new Map<bigint, number>();
  const samples: Sample[] = [];
  const pending: SentTx[] = [];
  const included: IncludedTx[] = [];
  const unsafeSince = new Map<string, number>();
  let crowdedOut = 0;
  let simulatedReverts = 0;
  let infraReverts = 0;
  const gasTokenPrice = BigInt(Math.round(sc.chain.gasTokenPriceGusd)) * WAD;
  const infraHashes = new Set<Hex>();

  const ilkByName = new Map(ilks.map((i) => [i.name, i]));
  for (let step = 0; step < sc.steps; step++) {
    const m = market[step] as MarketStep;
    const T = t0 + step * sc.stepSeconds;
    const baseFee = parseGwei(String(seriesAt(sc.chain.gasPriceGwei, step)));

    // ---- market block: the world's infrastructure.
    const reserves = (await readMany(rpc, ilks.flatMap((i) => [
      { address: i.pair, abi: iUniswapV2PairAbi, functionName: 'getReserves' },
      { address: i.pair, abi: erc20Abi, functionName: 'balanceOf', args: [mm.address] },
      { address: i.pair, abi: erc20Abi, functionName: 'totalSupply' },
    ])));
    const infra: Outgoing[] = [];
    const push = (to: Address, data: Hex, gas: bigint): void => {
      infra.push({ from: mm, to, data, kind: 'infra', maxFee: INFRA_MAX_FEE, priority: 1n, gas });
    };
    ilks.forEach((i, k) => {
      const s = m.ilks.get(i.name);
      if (!s) return;
      s.reports.forEach((v, f) => {
        const feed = i.feeds[f];
        if (feed) push(feed, encodeFunctionData({ abi: pushedFeedAbi, functionName: 'push', args: [v] }), GAS.push);
      });
      push(i.oracle, encodeFunctionData({ abi: iMedianOracleAbi, functionName: 'poke' }), GAS.oraclePoke);
      push(d.spotter, encodeFunctionData({ abi: spotterAbi, functionName: 'poke', args: [i.id] }), GAS.spotterPoke);
      if (sc.breakerWatched && d.breaker) push(d.breaker, encodeFunctionData({ abi: circuitBreakerAbi, functionName: 'observe', args: [i.house] }), GAS.observe);
      // Pool depth: the LP withdraws down to the scenario's share of its seeded liquidity.
      const [r0, r1] = reserves[3 * k] as [bigint, bigint, number];
      const lpNow = reserves[3 * k + 1] as bigint;
      const supply = reserves[3 * k + 2] as bigint;
      const target = (((world.lpStart.get(i.name) ?? 0n) * BigInt(Math.round(s.depth * 1e6))) / 1_000_000n);
      let keep = 1_000_000n;
      if (lpNow > target && supply > 0n) {
        const burn = lpNow - target;
        push(d.dex?.router as Address, encodeFunctionData({ abi: routerExtraAbi, functionName: 'removeLiquidity', args: [i.token, d.stablecoin, burn, 0n, 0n, mm.address, FAR_DEADLINE] }), GAS.remove);
        keep = ((supply - burn) * 1_000_000n) / supply;
      }
      const coll = ((i.collateralIsToken0 ? r0 : r1) * keep) / 1_000_000n;
      const stable = ((i.collateralIsToken0 ? r1 : r0) * keep) / 1_000_000n;
      const trade = rebalanceTrade({ collateral: coll, stable, unit: 10n ** BigInt(i.decimals) }, s.poolTarget, POOL_TOLERANCE_BPS);
      if (trade && trade.amountIn > 0n) {
        if (trade.sell === 'collateral') push(i.token, encodeFunctionData({ abi: demoTokenAbi, functionName: 'mint', args: [mm.address, trade.amountIn] }), GAS.mint);
        const route: readonly Address[] = trade.sell === 'collateral' ? [i.token, d.stablecoin] : [d.stablecoin, i.token];
        push(d.dex?.router as Address, encodeFunctionData({ abi: iUniswapV2Router02Abi, functionName: 'swapExactTokensForTokens', args: [trade.amountIn, 0n, route, mm.address, FAR_DEADLINE] }), GAS.swap);
      }
      push(i.house, encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'settle' }), GAS.settle);
    });
    if (sc.breakerWatched && d.breaker) push(d.breaker, encodeFunctionData({ abi: circuitBreakerAbi, functionName: 'checkBadDebt' }), GAS.checkBadDebt);
    const infraSent = await sender.send(infra);
    for (const s of infraSent.sent) infraHashes.add(s.hash);
    if (infraSent.rejected > 0) infraReverts += infraSent.rejected;
    const marketBlock = await mine(rpc, T, baseFee, MARKET_BLOCK_GAS_LIMIT);
    stepOfBlock.set(marketBlock, step);
    infraReverts += await countInfraReverts(rpc, marketBlock, infraHashes);

    // ---- what the agents see after the market block.
    const liveLists = (await readMany(rpc, ilks.map((i) => ({ address: i.house, abi: collateralAuctionAbi, functionName: 'list' })))) as bigint[][];
    const capitalBidders = bidders.filter((b) => !b.spec.flash);
    const state = (await readMany(rpc, [
      { address: d.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' },
      ...ilks.map((i) => ({ address: i.house, abi: collateralAuctionAbi, functionName: 'debtInAuctions' })),
      ...ilks.map((i) => ({ address: i.oracle, abi: iMedianOracleAbi, functionName: 'peek' })),
      ...ilks.map((i) => ({ address: i.pair, abi: iUniswapV2PairAbi, functionName: 'getReserves' })),
      ...watched.map((v) => ({ address: d.engine, abi: vaultEngineAbi, functionName: 'isSafe', args: [ilkByName.get(v.ilk)?.id, v.owner] })),
      ...extra.portfolios.map((owner) => ({ address: portfolioEngine as Address, abi: portfolioEngineAbi, functionName: 'isSafe', args: [owner] })),
      ...capitalBidders.map((b) => ({ address: d.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [b.account.address] })),
      ...ilks.flatMap((i, k) => (liveLists[k] ?? []).flatMap((id) => [
        { address: i.house, abi: collateralAuctionAbi, functionName: 'getStatus', args: [id] },
        { address: i.house, abi: collateralAuctionAbi, functionName: 'sale', args: [id] },
      ])),
    ]));
    let at = 0;
    const badDebtRad = state[at++] as bigint;
    const debtIn = ilks.map(() => state[at++] as bigint);
    const marks = ilks.map(() => (state[at++] as [bigint, boolean])[0]);
    const pools = new Map<string, PoolReserves>();
    for (const i of ilks) {
      const [r0, r1] = state[at++] as [bigint, bigint, number];
      pools.set(i.name, i.collateralIsToken0 ? { collateral: r0, stable: r1 } : { collateral: r1, stable: r0 });
    }
    const unsafeNow = new Set<string>();
    for (const v of watched) if (!(state[at++] as boolean)) unsafeNow.add(`${v.ilk}/${v.owner}`);
    for (const owner of extra.portfolios) if (!(state[at++] as boolean)) unsafeNow.add(`${PORTFOLIO_KEY}/${owner}`);
    const capital = new Map<Address, bigint>(capitalBidders.map((b) => [b.account.address, state[at++] as bigint]));
    const live: LiveAuction[] = [];
    ilks.forEach((i, k) => {
      for (const id of liveLists[k] ?? []) {
        const [needsRedo, price, lot, tab] = state[at++] as [boolean, bigint, bigint, bigint];
        const sale = state[at++] as { startedAt: bigint | number; redos: number };
        const startedStep = Math.max(0, Math.floor((Number(sale.startedAt) - t0) / sc.stepSeconds));
        live.push({ ilk: i.name, house: i.house, id, price, needsRedo, lot, tab, redos: sale.redos, startedStep, scale: i.scale });
      }
    });
    samples.push({
      step,
      timestamp: T,
      truth: Object.fromEntries(ilks.map((i) => [i.name, toNum(m.ilks.get(i.name)?.truth ?? 0n)])),
      mark: Object.fromEntries(ilks.map((i, k) => [i.name, toNum(marks[k] ?? 0n)])),
      pool: Object.fromEntries(ilks.map((i) => {
        const p = pools.get(i.name);
        return [i.name, p && p.collateral > 0n ? toNum((p.stable * 10n ** BigInt(i.decimals)) / p.collateral) : 0];
      })),
      badDebt: toNum(badDebtRad, WAD * RAY),
      debtInAuctions: toNum(debtIn.reduce((a, b) => a + b, 0n)),
      baseFeeGwei: Number(baseFee) / 1e9,
    });

    // ---- protocol block: the agents.
    const agentTxs: Outgoing[] = [];
    const keeperFee = parseGwei(String(sc.keeper.maxFeeGwei));
    if (keeperFee >= baseFee) {
      for (const key of vaultsToKick(unsafeSince, unsafeNow, step, sc.keeper.kickDelaySteps)) {
        const [name, owner] = key.split('/') as [string, Address];
        if (name === PORTFOLIO_KEY) {
          // The whole portfolio, every held asset to its own house (simulated first by the sender, as any kick).
          agentTxs.push({ from: keeper, to: d.liquidationEngine, data: encodeFunctionData({ abi: liquidationEngineAbi, functionName: 'liquidatePortfolio', args: [owner, keeper.address] }), kind: 'liquidatePortfolio', maxFee: keeperFee, priority: parseGwei('2') });
          continue;
        }
        const ilk = ilkByName.get(name) as Ilk;
        agentTxs.push({ from: keeper, to: d.liquidationEngine, data: encodeFunctionData({ abi: liquidationEngineAbi, functionName: 'liquidate', args: [ilk.id, owner, keeper.address] }), kind: 'liquidate', maxFee: keeperFee, priority: parseGwei('2') });
      }
      // Simulate first, as a keeper does: the preferred action, else the other (a redo is refused at
      // breaker level 2, a takeover when the fund's cap is spent or a dss-style mechanism disables it).
      const due = live
        .map((a) => ({ a, what: housekeeping(a, sc.keeper.takeoverAfterRedos) }))
        .filter((x) => x.what !== 'none')
        .map(({ a, what }) => {
          const redo = encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'redo', args: [a.id, keeper.address] });
          const takeover = encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'takeover', args: [a.id, keeper.address] });
          const order: [TxKind, Hex][] = what === 'takeover' ? [['takeover', takeover], ['redo', redo]] : [['redo', redo], ['takeover', takeover]];
          return { a, order };
        });
      const sims = await rpc.batch(due.flatMap(({ a, order }) => order.map(([, data]) => ({ method: 'eth_call', params: [{ from: keeper.address, to: a.house, data }, 'latest'] }))));
      due.forEach(({ a, order }, k) => {
        const pick = order.findIndex((_, j) => sims[2 * k + j]?.ok === true);
        const chosen = order[pick];
        if (chosen) agentTxs.push({ from: keeper, to: a.house, data: chosen[1], kind: chosen[0], maxFee: keeperFee, priority: parseGwei('2') });
      });
    } else {
      vaultsToKick(unsafeSince, unsafeNow, step, Number.MAX_SAFE_INTEGER); // still track when vaults turned unsafe
    }
    const flashTaker = d.flashTaker;
    for (const b of bidders) {
      const fee = parseGwei(String(b.spec.maxFeeGwei));
      if (fee < baseFee) continue;
      const gasCost = gasCostGusd(b.spec.flash ? FLASH_TAKE_GAS : TAKE_GAS, baseFee, gasTokenPrice);
      let best: { a: LiveAuction; amount: bigint; maxPrice: bigint; profit: bigint } | undefined;
      for (const a of live) {
        if (step < a.startedStep + b.spec.reactionSteps) continue;
        const marketPrice = m.ilks.get(a.ilk)?.truth ?? 0n;
        const plan = b.spec.flash
          ? planFlashTake(a, pools.get(a.ilk) ?? { collateral: 0n, stable: 0n }, b.spec, gasCost)
          : planCapitalTake(a, marketPrice, capital.get(b.account.address) ?? 0n, b.spec, gasCost);
        if (plan && (!best || plan.profit > best.profit)) best = { a, ...plan };
      }
      if (!best) continue;
      const ilk = ilkByName.get(best.a.ilk) as Ilk;
      const priority = parseGwei(String(1 + (b.index % 7)));
      if (b.spec.flash) {
        if (!flashTaker) continue;
        agentTxs.push({ from: b.account, to: flashTaker, data: encodeFunctionData({ abi: uniswapV2FlashTakerAbi, functionName: 'take', args: [best.a.house, best.a.id, best.amount, best.maxPrice, 0n, [ilk.token, d.stablecoin], b.account.address] }), kind: 'flashTake', maxFee: fee, priority });
      } else {
        agentTxs.push({ from: b.account, to: best.a.house, data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'take', args: [best.a.id, best.amount, best.maxPrice, b.account.address, '0x'] }), kind: 'take', maxFee: fee, priority });
      }
    }
    if (pre && d.preLiquidation) agentTxs.push(...(await planPreLiquidations(world, pre, d.preLiquidation, m, baseFee, gasTokenPrice)));
    const agentSent = await sender.send(agentTxs);
    simulatedReverts += agentSent.simulatedReverts;
    crowdedOut += agentSent.rejected;
    for (const s of agentSent.sent) pending.push({ hash: s.hash, kind: s.tx.kind as TxKind, step });
    // A step stands for stepSeconds / blockSeconds real blocks: the agents get the gas other traffic leaves in all of them.
    const blocksPerStep = Math.max(1, Math.floor(sc.stepSeconds / sc.chain.blockSeconds));
    const room = BigInt(Math.floor(sc.chain.blockGasLimit * blocksPerStep * (1 - seriesAt(sc.chain.otherTrafficShare, step))));
    const protocolBlock = await mine(rpc, T + 1, baseFee, room > 0n ? room : 1n);
    stepOfBlock.set(protocolBlock, step);
    const receipts = await rpc.call<{ transactionHash: Hex; gasUsed: Hex; effectiveGasPrice: Hex; status: Hex }[]>('eth_getBlockReceipts', [hex(protocolBlock)]);
    const byHash = new Map(receipts.map((r) => [r.transactionHash, r]));
    const left: SentTx[] = [];
    for (const p of pending.splice(0)) {
      const r = byHash.get(p.hash);
      if (r) included.push({ ...p, gasUsed: BigInt(r.gasUsed), effectiveGasPrice: BigInt(r.effectiveGasPrice), success: r.status === '0x1' });
      else left.push(p);
    }
    if (left.length > 0) {
      // No room in this block: the agents' transactions are dropped (they re-plan next step).
      crowdedOut += left.length;
      await rpc.call('anvil_dropAllTransactions', []);
      await sender.resync([keeper.address, ...bidders.map((b) => b.account.address), mm.address, ...(pre ? [pre.agent.address] : [])]);
    }
    if (step % 50 === 0) log(`${sc.name}: step ${step}/${sc.steps}, live auctions ${live.length}, bad debt ${toNum(badDebtRad, WAD * RAY).toFixed(0)}`);
  }

  // ---- wind down: one last settle of every house in a block of its own, so the books say what the auctions raised.
  const closing = await sender.send(ilks.map((i) => ({ from: mm, to: i.house, data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'settle' }), kind: 'infra' as const, maxFee: INFRA_MAX_FEE, priority: 1n, gas: GAS.settle })));
  const finalBlock = await mine(rpc, t0 + sc.steps * sc.stepSeconds, 1n, MARKET_BLOCK_GAS_LIMIT);
  const finalReceipts = await rpc.call<{ transactionHash: Hex; status: Hex }[]>('eth_getBlockReceipts', [hex(finalBlock)]);
  for (const c of closing.sent) {
    if (finalReceipts.find((r) => r.transactionHash === c.hash)?.status !== '0x1') throw new Error(`final settle ${c.hash} failed or was not mined`);
  }
  stepOfBlock.set(finalBlock, sc.steps - 1);
  const endBlock = BigInt(await rpc.call<Hex>('eth_blockNumber'));
  return { scenario: sc, startBlock, endBlock, t0, stepOfBlock, market, samples, included, crowdedOut, simulatedReverts, infraReverts, badDebtStartRad, extra };
}

/**
 * The pre-liquidator: for every opted-in vault in its band (`quote` does not revert), repays the most
 * the quote allows when the collateral out, sold at the true market, beats the repayment by the
 * agent's margin plus gas. One transaction per vault and step; its gUSD is checked by the estimate.
 */
async function planPreLiquidations(
  world: World,
  pre: NonNullable<World['preLiquidation']>,
  target: Address,
  m: MarketStep,
  baseFee: bigint,
  gasTokenPrice: bigint,
): Promise<Outgoing[]> {
  const fee = parseGwei(String(pre.spec.agent.maxFeeGwei));
  if (fee < baseFee) return [];
  const ilkByName = new Map(world.ilks.map((i) => [i.name, i]));
  const quotes = await world.rpc.batch<Hex>(pre.opted.map((v) => ({
    method: 'eth_call',
    params: [{ to: target, data: encodeFunctionData({ abi: preLiquidationAbi, functionName: 'quote', args: [(ilkByName.get(v.ilk) as Ilk).id, v.owner] }) }, 'latest'],
  })));
  const gasCost = gasCostGusd(PRE_LIQUIDATE_GAS, baseFee, gasTokenPrice);
  const out: Outgoing[] = [];
  pre.opted.forEach((v, k) => {
    const o = quotes[k];
    if (!o?.ok) return; // outside the band (or not opted in): the contract says why
    const ilk = ilkByName.get(v.ilk) as Ilk;
    const quote = decodeFunctionResult({ abi: preLiquidationAbi, functionName: 'quote', data: o.result });
    const { repaid, collateralOut } = previewPreLiquidation(quote, quote.maxRepay, ilk.scale);
    if (repaid === 0n || collateralOut === 0n) return;
    const worth = lotValue(collateralOut, m.ilks.get(v.ilk)?.truth ?? 0n, ilk.scale);
    if (worth * 10_000n < (repaid + gasCost) * (10_000n + BigInt(pre.spec.agent.marginBps))) return;
    out.push({ from: pre.agent, to: target, data: encodeFunctionData({ abi: preLiquidationAbi, functionName: 'preLiquidate', args: [ilk.id, v.owner, repaid, 0n, pre.agent.address] }), kind: 'preLiquidate', maxFee: fee, priority: parseGwei('2') });
  });
  return out;
}

/** Automine: one transaction at a time (a JSON-RPC batch may reach the pool out of nonce order), each checked. */
export async function sendConfirmed(rpc: Rpc, sender: Sender, txs: readonly Outgoing[], what: string): Promise<void> {
  for (const tx of txs) {
    const { sent } = await sender.send([tx]);
    const hash = sent[0]?.hash;
    let r: { status: Hex } | null = null;
    // anvil mines an automined transaction right after answering: poll for its receipt (bounded).
    for (let tries = 0; hash && !r && tries < RECEIPT_POLLS; tries++) {
      r = await rpc.call<{ status: Hex } | null>('eth_getTransactionReceipt', [hash]);
      if (!r) await new Promise((res) => setTimeout(res, RECEIPT_POLL_MS));
    }
    if (r?.status !== '0x1') throw new Error(`${what} transaction ${hash ?? '(rejected)'} to ${tx.to} failed: ${JSON.stringify(r).slice(0, 300)}`);
  }
}

async function countInfraReverts(rpc: Rpc, block: bigint, hashes: Set<Hex>): Promise<number> {
  const receipts = await rpc.call<{ transactionHash: Hex; status: Hex }[]>('eth_getBlockReceipts', [hex(block)]);
  let bad = 0;
  for (const r of receipts) {
    if (!hashes.delete(r.transactionHash)) continue;
    if (r.status !== '0x1') bad++;
  }
  return bad;
}
