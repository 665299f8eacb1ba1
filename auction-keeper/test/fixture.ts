// Test fixture: the Gavel system deployed on a real anvil (like test/utils/LiquidationBaseTest.sol:
// VaultEngine deploys the Stablecoin; roles; three ilks of 6, 8 and 18 decimals; a Spotter fed by
// MockMarkPrice oracles; a LiquidationEngine; one CollateralAuction per ilk), random activity,
// and a comparison of the index with on-chain state.

import {
  collateralAuctionAbi,
  liquidationEngineAbi,
  portfolioEngineAbi,
  preLiquidationAbi,
  spotterAbi,
  vaultEngineAbi,
  RAY,
  WAD,
} from '@gavel/sdk';
import { type AnvilNode, type Random, deployArtifact, readArtifact, startAnvil } from '@gavel/contracts/testing';
import { type Address, type Hex, bytesToHex, maxUint256, stringToHex } from 'viem';
import { type Logger, pino } from 'pino';
import { expect } from 'vitest';
import { type KeeperConfig, loadConfig } from '../src/config/config.ts';
import type { Deployment } from '../src/config/deployments.ts';
import type { IndexModel } from '../src/index/model.ts';

const FEE_5_PCT = 1_000_000_001_547_125_957_863_212_448n;
const FEE_1_PCT = 1_000_000_000_315_522_921_573_372_069n;

export interface IlkFixture {
  readonly name: string;
  readonly id: Hex;
  readonly decimals: number;
  readonly token: Address;
  readonly mark: Address;
  readonly house: Address;
  price: bigint;
  readonly ratio: bigint;
}

export interface System {
  readonly node: AnvilNode;
  /** Mutable: deployPreLiquidation adds its address. */
  deployment: Deployment;
  readonly engine: Address;
  readonly stablecoin: Address;
  readonly spotter: Address;
  readonly dog: Address;
  readonly ilks: IlkFixture[];
  /** Vault owners used by the activity (account indexes 1..). */
  readonly actors: Address[];
  readonly bidderIndex: number;
}

const erc20 = () => readArtifact('MockERC20').abi;
const markAbi = () => readArtifact('MockMarkPrice').abi;

/** Sends a transaction from account `from` and waits for it; throws on revert (or failed estimate). */
export async function send(node: AnvilNode, from: number, to: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[]): Promise<void> {
  const wallet = node.walletFor(from);
  // Estimated gas plus a margin: the estimate runs at the current timestamp, the transaction may be
  // mined a second later (a loaded machine, tests in parallel), when a drip inside it (setStabilityFee,
  // drip, adjust) has accrued fees to write — without the margin it ran out of gas now and then.
  const estimate = await node.publicClient.estimateContractGas({ account: wallet.account, address: to, abi: abi as never, functionName, args });
  const hash = await wallet.writeContract({ address: to, abi: abi as never, functionName: functionName, args: args, gas: (estimate * 3n) / 2n + 50_000n });
  const r = await node.publicClient.waitForTransactionReceipt({ hash });
  if (r.status !== 'success') throw new Error(`${functionName} reverted`);
}

/** Like {@link send} but returns false instead of throwing. */
export async function trySend(node: AnvilNode, from: number, to: Address, abi: readonly unknown[], fn: string, args: readonly unknown[]): Promise<boolean> {
  try {
    await send(node, from, to, abi, fn, args);
    return true;
  } catch {
    return false;
  }
}

export async function deploySystem(node?: AnvilNode): Promise<System> {
  node ??= await startAnvil({ accounts: 8 });
  const gov = node.accounts[0]?.address;
  if (!gov) throw new Error('no account');
  const startBlock = (await node.publicClient.getBlockNumber()) + 1n;
  const engine = await deployArtifact(node, 'VaultEngine', [gov]);
  const stablecoin = await node.publicClient.readContract({ address: engine, abi: vaultEngineAbi, functionName: 'stablecoin' });
  const fund = await deployArtifact(node, 'InsuranceFund', [engine, gov, 7n * 86400n, 2n * 86400n]);
  const spotter = await deployArtifact(node, 'Spotter', [gov, engine]);
  const dog = await deployArtifact(node, 'LiquidationEngine', [gov, engine]);
  await send(node, 0, engine, vaultEngineAbi, 'setInsuranceFund', [fund]);
  await send(node, 0, engine, vaultEngineAbi, 'grantRoles', [spotter, 1n]);
  await send(node, 0, engine, vaultEngineAbi, 'grantRoles', [dog, 2n]);
  await send(node, 0, dog, liquidationEngineAbi, 'setGlobalMaxDebtInAuctions', [100_000_000n * WAD]);
  await send(node, 0, dog, liquidationEngineAbi, 'setIncentives', [10n * WAD, WAD / 1000n]);
  const specs = [
    { name: 'USDC-A', decimals: 6, price: WAD, ratio: (11n * WAD) / 10n, fee: FEE_1_PCT },
    { name: 'WBTC-A', decimals: 8, price: 60_000n * WAD, ratio: (145n * WAD) / 100n, fee: FEE_5_PCT },
    { name: 'ETH-A', decimals: 18, price: 2_000n * WAD, ratio: (15n * WAD) / 10n, fee: FEE_5_PCT },
  ];
  const ilks: IlkFixture[] = [];
  for (const s of specs) {
    const id = stringToHex(s.name, { size: 32 });
    const token = await deployArtifact(node, 'MockERC20', [s.name, s.name, s.decimals]);
    const mark = await deployArtifact(node, 'MockMarkPrice', []);
    await send(node, 0, engine, vaultEngineAbi, 'addIlk', [id, token]);
    await send(node, 0, engine, vaultEngineAbi, 'setLiquidationRatio', [id, s.ratio]);
    await send(node, 0, engine, vaultEngineAbi, 'setStabilityFee', [id, s.fee]);
    await send(node, 0, engine, vaultEngineAbi, 'setDebtCeiling', [id, 100_000_000n * WAD]);
    await send(node, 0, engine, vaultEngineAbi, 'setDust', [id, 100n * WAD]);
    await send(node, 0, mark, markAbi(), 'set', [s.price, true]);
    await send(node, 0, spotter, spotterAbi, 'setOracle', [id, mark]);
    await send(node, 0, spotter, spotterAbi, 'poke', [id]);
    const house = await deployArtifact(node, 'CollateralAuction', [gov, id, engine, mark, fund]);
    await send(node, 0, house, collateralAuctionAbi, 'grantRoles', [dog, 1n]);
    // As Deploy does: INCENTIVE_MINTER (redo/takeover incentives), restores for its own ilk only.
    await send(node, 0, engine, vaultEngineAbi, 'grantRoles', [house, 4n]);
    await send(node, 0, engine, vaultEngineAbi, 'setAuctionHouse', [id, house, true]);
    await send(node, 0, house, collateralAuctionAbi, 'addTier', [
      { kind: 3, cutRay: (99_999n * RAY) / 100_000n, periodSeconds: 0, tailSeconds: 6 * 3600, floorWad: (4n * WAD) / 10n, startPremiumBps: 12_000 },
    ]);
    await send(node, 0, house, collateralAuctionAbi, 'setTiers', [[0n], [maxUint256]]);
    await send(node, 0, house, collateralAuctionAbi, 'setRedoIncentive', [5n * WAD, WAD / 1000n]);
    await send(node, 0, dog, liquidationEngineAbi, 'configureIlk', [id, house, (113n * WAD) / 100n, 50_000_000n * WAD, 10_000_000n * WAD]);
    ilks.push({ name: s.name, id: id.toLowerCase() as Hex, decimals: s.decimals, token, mark, house, price: s.price, ratio: s.ratio });
  }
  const deployment: Deployment = {
    chainId: node.chain.id,
    genesisHash: (await node.publicClient.getBlock({ blockNumber: 0n })).hash,
    engine,
    stablecoin,
    fund,
    spotter,
    liquidationEngine: dog,
    flashTaker: undefined,
    ilks: ilks.map((i) => ({ name: i.name, id: i.id, token: i.token, decimals: i.decimals, oracle: i.mark, house: i.house })),
    block: startBlock,
  };
  const actors = node.accounts.slice(1, 6).map((a) => a.address);
  return { node, deployment, engine, stablecoin, spotter, dog, ilks, actors, bidderIndex: 6 };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Opens (or grows) a vault of `actor` (account index) at about `healthPct`% of the required collateral. */
export async function openVault(sys: System, actorIndex: number, ilk: IlkFixture, debtWhole: bigint, collateralRatioPct: bigint): Promise<boolean> {
  const { node } = sys;
  const debt = debtWhole * WAD;
  // collateral value = debt × ratio × pct / 100
  const value = (debt * ilk.ratio * collateralRatioPct) / (WAD * 100n);
  const collateral = (value * pow10(ilk.decimals)) / ilk.price + 1n;
  await send(node, actorIndex, ilk.token, erc20(), 'mint', [node.accounts[actorIndex]?.address, collateral]);
  await send(node, actorIndex, ilk.token, erc20(), 'approve', [sys.engine, maxUint256]);
  return trySend(node, actorIndex, sys.engine, vaultEngineAbi, 'adjust', [ilk.id, collateral, debt]);
}

export async function setPrice(sys: System, ilk: IlkFixture, price: bigint): Promise<void> {
  ilk.price = price;
  await send(sys.node, 0, ilk.mark, markAbi(), 'set', [price, true]);
  await send(sys.node, 0, sys.spotter, spotterAbi, 'poke', [ilk.id]);
}

/** One random action (vault changes, price moves, drips, liquidations, takes, redos). */
export async function randomStep(sys: System, rng: Random): Promise<string> {
  const { node } = sys;
  const ilk = rng.pick(sys.ilks);
  const actorIndex = rng.int(1, sys.actors.length);
  const actor = sys.actors[actorIndex - 1] as Address;
  const kind = rng.int(0, 9);
  switch (kind) {
    case 0:
    case 1:
      await openVault(sys, actorIndex, ilk, BigInt(rng.int(150, 5_000)), BigInt(rng.int(105, 160)));
      return 'open';
    case 2: {
      const [, art] = await node.publicClient.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'vault', args: [ilk.id, actor] });
      if (art > 0n) await trySend(node, actorIndex, sys.engine, vaultEngineAbi, 'repay', [ilk.id, (art / 4n / WAD) * WAD + WAD]);
      return 'repay';
    }
    case 3: {
      const [c] = await node.publicClient.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'vault', args: [ilk.id, actor] });
      if (c > 10n) await trySend(node, actorIndex, sys.engine, vaultEngineAbi, 'withdraw', [ilk.id, c / 10n]);
      return 'withdraw';
    }
    case 4: {
      const pct = BigInt(rng.int(80, 115));
      await setPrice(sys, ilk, (ilk.price * pct) / 100n);
      return 'price';
    }
    case 5:
      await node.testClient.increaseTime({ seconds: rng.int(3600, 30 * 86400) });
      await send(node, 0, sys.engine, vaultEngineAbi, 'drip', [ilk.id]);
      return 'drip';
    case 6:
    case 7: {
      for (const owner of sys.actors) {
        await trySend(node, 0, sys.dog, liquidationEngineAbi, 'liquidate', [ilk.id, owner, node.accounts[0]?.address]);
      }
      return 'liquidate';
    }
    case 8: {
      const ids = await node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'list' });
      const id = ids.length > 0 ? rng.pick(ids) : undefined;
      if (id === undefined) return 'take-none';
      const s = await node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'sale', args: [id] });
      await ensureBidder(sys);
      await trySend(node, sys.bidderIndex, ilk.house, collateralAuctionAbi, 'take', [id, s.lot / BigInt(rng.int(1, 3)), maxUint256, node.accounts[sys.bidderIndex]?.address, '0x']);
      return 'take';
    }
    default: {
      const ids = await node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'list' });
      const id = ids.length > 0 ? rng.pick(ids) : undefined;
      if (id === undefined) return 'redo-none';
      await node.testClient.increaseTime({ seconds: 7 * 3600 });
      await node.testClient.mine({ blocks: 1 });
      await trySend(node, 0, ilk.house, collateralAuctionAbi, 'redo', [id, node.accounts[0]?.address]);
      return 'redo';
    }
  }
}

let bidderFunded = new WeakSet<System>();
/** The bidder borrows plenty of gUSD against ETH and approves every house. */
export async function ensureBidder(sys: System): Promise<void> {
  if (bidderFunded.has(sys)) return;
  bidderFunded.add(sys);
  const eth = sys.ilks[2] as IlkFixture;
  await openVault(sys, sys.bidderIndex, eth, 2_000_000n, 1_000n);
  for (const i of sys.ilks) await send(sys.node, sys.bidderIndex, sys.stablecoin, erc20(), 'approve', [i.house, maxUint256]);
}
export function resetBidderCache(): void {
  bidderFunded = new WeakSet();
}

/** Asserts the model equals on-chain state: every ilk, every actor's vaults, every live auction, marks, unsafe sets. */
export async function expectModelMatchesChain(sys: System, model: IndexModel, blockNumber?: bigint): Promise<void> {
  const pc = sys.node.publicClient;
  const opts = blockNumber === undefined ? {} : { blockNumber };
  const owners = [...sys.actors, sys.node.accounts[sys.bidderIndex]?.address as Address];
  let vaults = 0;
  for (const ilk of sys.ilks) {
    const onchain = await pc.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [ilk.id], ...opts });
    const mine = model.ilks.get(ilk.id);
    expect(mine, `ilk ${ilk.name}`).toBeDefined();
    expect({ ...mine, id: undefined }).toEqual({ ...onchain, id: undefined });
    for (const owner of owners) {
      const [c, d] = await pc.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'vault', args: [ilk.id, owner], ...opts });
      expect(model.vault(ilk.id, owner), `vault ${ilk.name} ${owner}`).toEqual({ collateral: c, normalizedDebt: d });
      if (c !== 0n || d !== 0n) vaults++;
      const safe = await pc.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'isSafe', args: [ilk.id, owner], ...opts });
      expect(model.unsafe.isUnsafe(ilk.id, owner), `unsafe ${ilk.name} ${owner}`).toBe(!safe);
    }
    const [price] = (await pc.readContract({ address: ilk.mark, abi: markAbi(), functionName: 'peek', ...opts })) as [bigint, boolean];
    expect(model.marks.get(ilk.id), `mark ${ilk.name}`).toBe(price);
    const ids = await pc.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'list', ...opts });
    const live = model.liveAuctions(ilk.house);
    expect(live.map((a) => a.id).sort()).toEqual([...ids].sort());
    for (const a of live) {
      const s = await pc.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'sale', args: [a.id], ...opts });
      expect({ tab: a.tab, lot: a.lot, top: a.top, startedAt: a.startedAt, tierId: a.tierId, minTab: a.minTab, owner: a.owner, redos: a.redos, penalty: a.penalty, nonce: Number(a.id >> 32n) }).toEqual({
        tab: s.tab,
        lot: s.lot,
        top: s.top,
        startedAt: BigInt(s.startedAt),
        tierId: s.tierId,
        minTab: s.minTab,
        owner: s.owner,
        redos: s.redos,
        penalty: s.penalty,
        nonce: s.nonce,
      });
      expect(a.tier?.kind).toBe(3);
    }
  }
  expect(model.vaultCount()).toBe(vaults);
}

/** The private key of anvil account `i` of the system's node (for a keeper process or a lane). */
export function keyOf(sys: System, i: number): Hex {
  const k = sys.node.accounts[i]?.getHdKey().privateKey;
  if (!k) throw new Error(`no key ${i}`);
  return bytesToHex(k);
}

/** Bounds as contracts/config/local.json gives Deploy.s.sol: pre-threshold ≤ 1.5, incentive ≤ 5 %, close factor ≤ 50 %. */
export const LOCAL_PRE_BOUNDS = { maxPreHealthWad: (15n * WAD) / 10n, maxIncentiveWad: (105n * WAD) / 100n, maxCloseFactorBps: 5_000 };

/**
 * Deploys the real PreLiquidation and wires it as Deploy.s.sol's `_deployProtection` does (the engine's
 * PRE_LIQUIDATOR role); the deployment gains its address. Returns it.
 */
export async function deployPreLiquidation(sys: System): Promise<Address> {
  const gov = sys.node.accounts[0]?.address;
  const pre = await deployArtifact(sys.node, 'PreLiquidation', [gov, sys.engine, sys.dog, LOCAL_PRE_BOUNDS]);
  const role = await sys.node.publicClient.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'PRE_LIQUIDATOR' });
  await send(sys.node, 0, sys.engine, vaultEngineAbi, 'grantRoles', [pre, role]);
  sys.deployment = { ...sys.deployment, preLiquidation: pre };
  return pre;
}

/** Opts `actorIndex`'s vault of `ilk` into pre-liquidation. */
export async function optIn(sys: System, actorIndex: number, ilk: IlkFixture, p: { preHealthWad: bigint; incentiveStartWad: bigint; incentiveEndWad: bigint; closeFactorStartBps: number; closeFactorEndBps: number }): Promise<void> {
  const pre = sys.deployment.preLiquidation;
  if (!pre) throw new Error('deployPreLiquidation first');
  await send(sys.node, actorIndex, pre, preLiquidationAbi, 'setParams', [ilk.id, p]);
}

/**
 * A keeper config for tests on `sys`'s anvil: polling every 25 ms, no deployments or checkpoint file,
 * no periodic settle; `extra` adds or overrides config keys (the env-style names of config.ts).
 */
export function testConfig(sys: System, extra: Record<string, string | undefined> = {}): KeeperConfig {
  return loadConfig(undefined, {}, {
    rpcUrls: sys.node.rpcUrl,
    chainId: String(sys.node.chain.id),
    pollIntervalMs: '25',
    deploymentsFile: '/dev/null',
    checkpointFile: '/dev/null',
    settleIntervalBlocks: '0',
    ...extra,
  });
}

/** The portfolio debt line's id (as Deploy names it) and the typical table over USDC, WBTC, ETH. */
export const PORTFOLIO_ILK = stringToHex('PORTFOLIO', { size: 32 }).toLowerCase() as Hex;
const TYPICAL_SHOCKS: readonly (readonly bigint[])[] = [
  [WAD, 0n, 0n],
  [0n, WAD, 0n],
  [0n, 0n, WAD],
  [0n, WAD, WAD],
  [(3n * WAD) / 10n, (6n * WAD) / 10n, (6n * WAD) / 10n],
];

/**
 * Portfolio margin on `sys`, wired as Deploy wires it (issue #18): the PORTFOLIO debt line (gUSD's address as
 * its never-moved token, fee 5 %, dust 100), a PortfolioEngine with the typical table, the liquidation engine
 * naming it and holding its LIQUIDATOR role. Adds `portfolioEngine` and `portfolioIlk` to the deployment.
 */
export async function deployPortfolio(sys: System): Promise<Address> {
  const { node, engine, dog } = sys;
  const gov = node.accounts[0]?.address as Address;
  await send(node, 0, engine, vaultEngineAbi, 'addIlk', [PORTFOLIO_ILK, sys.stablecoin]);
  await send(node, 0, engine, vaultEngineAbi, 'setStabilityFee', [PORTFOLIO_ILK, FEE_5_PCT]);
  await send(node, 0, engine, vaultEngineAbi, 'setDebtCeiling', [PORTFOLIO_ILK, 100_000_000n * WAD]);
  await send(node, 0, engine, vaultEngineAbi, 'setDust', [PORTFOLIO_ILK, 100n * WAD]);
  const portfolio = await deployArtifact(node, 'PortfolioEngine', [gov, engine, PORTFOLIO_ILK]);
  await send(node, 0, engine, vaultEngineAbi, 'setRiskEngine', [PORTFOLIO_ILK, portfolio]);
  await send(node, 0, portfolio, portfolioEngineAbi, 'setScenarioTable', [sys.ilks.map((i) => i.id), TYPICAL_SHOCKS]);
  await send(node, 0, dog, liquidationEngineAbi, 'setPortfolioEngine', [portfolio]);
  await send(node, 0, portfolio, portfolioEngineAbi, 'grantRoles', [dog, 1n]);
  sys.deployment = { ...sys.deployment, portfolioEngine: portfolio, portfolioIlk: PORTFOLIO_ILK };
  return portfolio;
}

/** Deposits `amounts` (whole tokens per ilk name) into `actor`'s portfolio. */
export async function depositPortfolio(sys: System, portfolio: Address, actorIndex: number, amounts: Readonly<Record<string, bigint>>): Promise<void> {
  const { node } = sys;
  const owner = node.accounts[actorIndex]?.address as Address;
  for (const [name, whole] of Object.entries(amounts)) {
    const ilk = sys.ilks.find((i) => i.name === name) as IlkFixture;
    const amount = whole * pow10(ilk.decimals);
    await send(node, actorIndex, ilk.token, erc20(), 'mint', [owner, amount]);
    await send(node, actorIndex, ilk.token, erc20(), 'approve', [portfolio, maxUint256]);
    await send(node, actorIndex, portfolio, portfolioEngineAbi, 'deposit', [owner, ilk.id, amount]);
  }
}

/** A raw JSON-RPC call (anvil_* and evm_* methods viem's clients do not type); throws the node's error. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const j = (await r.json()) as { result?: unknown; error?: { message: string } };
  if (j.error) throw new Error(`${method}: ${j.error.message}`);
  return j.result;
}

/** A logger (info level unless asked for debug) whose JSON lines are kept, for tests that judge what the keeper said. */
export function captureLogger(level: 'info' | 'debug' = 'info'): { logger: Logger; lines: { msg?: string; level: number; [k: string]: unknown }[] } {
  const lines: { msg?: string; level: number }[] = [];
  const logger = pino({ level }, {
    write(s: string) {
      lines.push(JSON.parse(s) as { msg?: string; level: number });
    },
  });
  return { logger, lines };
}
