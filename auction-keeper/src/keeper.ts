// Assembles a keeper from a validated config: RPC pool, indexer, sender (lanes), kicker, bidder,
// metrics. Used by `gavel-keeper run` and by the tests (several keepers in one process).

import type { Logger } from 'pino';
import { type Hex, createPublicClient, http, parseGwei, getAddress, type PublicClient } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { BlockRoom } from './bid/blockRoom.ts';
import { Bidder } from './bid/bidder.ts';
import { type PriceReference, configReference, decimalToWad, dexReference, oracleReference } from './bid/reference.ts';
import { ConfigError, type KeeperConfig } from './config/config.ts';
import type { Deployment } from './config/deployments.ts';
import { Indexer } from './index/indexer.ts';
import { Kicker } from './kick/kicker.ts';
import { PortfolioKicker } from './kick/portfolioKicker.ts';
import { type Health, KeeperMetrics } from './metrics.ts';
import { RpcPool } from './rpc/pool.ts';
import { TxSender } from './send/sender.ts';
import { type ProtectionParts, buildProtection } from './protect/wire.ts';

export interface KeeperOptions {
  readonly config: KeeperConfig;
  readonly deployment: Deployment;
  /** Private keys (env and/or keystore). One key: every lane shares it; three: one account per lane. */
  readonly keys: readonly Hex[];
  readonly logger: Logger;
  readonly metrics?: KeeperMetrics;
  /** Disable parts (tests). */
  readonly kick?: boolean;
  readonly bid?: boolean;
  readonly bidTickMs?: number;
  readonly senderPollMs?: number;
  /** Use no checkpoint file (tests). */
  readonly noCheckpoint?: boolean;
}

/** The reference the config asks for; throws ConfigError when it cannot be built. */
export function buildReference(config: KeeperConfig, deployment: Deployment, client: PublicClient, model: () => Indexer['model']): PriceReference {
  switch (config.reference) {
    case 'oracle':
      return oracleReference(model);
    case 'config': {
      const byIlk = new Map<string, bigint>();
      for (const [name, price] of Object.entries(config.referencePrices)) {
        const ilk = deployment.ilks.find((i) => i.name === name || i.id === name.toLowerCase());
        if (!ilk) throw new ConfigError(`referencePrices.${name}`, `config: referencePrices.${name}: no such ilk in the deployment (have ${deployment.ilks.map((i) => i.name).join(', ')})`);
        byIlk.set(ilk.id.toLowerCase(), decimalToWad(price));
      }
      return configReference(byIlk);
    }
    case 'dex': {
      // The configured router, else the deployment's own DEX (SeedLocal writes dex.router).
      const router = config.dexRouter ?? deployment.dexRouter;
      if (!router) throw new ConfigError('dexRouter', 'config: dexRouter: is required when reference is dex and the deployment has no dex.router (set GAVEL_DEX_ROUTER or --dex-router)');
      if (!deployment.stablecoin) throw new ConfigError('deployments.stablecoin', 'config: deployments: stablecoin: is required when reference is dex');
      return dexReference(client, getAddress(router), deployment.stablecoin);
    }
  }
}

export class Keeper {
  readonly pool: RpcPool;
  readonly indexer: Indexer;
  readonly sender: TxSender;
  readonly kicker: Kicker | undefined;
  /** Portfolio vaults (issue 18): detection and `liquidatePortfolio`, when the deployment has them. */
  readonly portfolios: PortfolioKicker | undefined;
  readonly bidder: Bidder | undefined;
  readonly metrics: KeeperMetrics;
  /** Owner protection (src/protect): pre-liquidations and the opt-ins they follow. */
  readonly protection: ProtectionParts;
  private readonly log: Logger;
  private readonly staleHeadMs: number;
  private lastBlock = -1n;
  private lastBlockAt = Date.now();
  private gaugeTimer: ReturnType<typeof setInterval> | undefined;

  /**
   * Healthy when the index is live and has seen a new block within `staleHeadSeconds`, every RPC
   * endpoint answers (one failing for longer than 10 s is a problem even while the others carry
   * on: it needs an operator) and no account is out of funds.
   */
  health(): Health {
    const problems: string[] = [];
    if (!this.indexer.live) problems.push('index not live yet');
    const idleMs = Date.now() - this.lastBlockAt;
    if (this.indexer.live && idleMs > this.staleHeadMs) problems.push(`no new block for ${Math.round(idleMs / 1000)} s`);
    const st = this.pool.status();
    for (const ep of st) if (!ep.up && ep.downForMs >= 10_000) problems.push(`rpc ${ep.url} down for ${Math.round(ep.downForMs / 1000)} s: ${ep.lastError ?? 'error'}`);
    if (st.every((ep) => !ep.up)) problems.push('no RPC endpoint answers');
    for (const a of this.sender.broke) problems.push(`account ${a} cannot pay for gas`);
    return { ok: problems.length === 0, problems };
  }

  private updateGauges(): void {
    for (const ep of this.pool.status()) {
      this.metrics.rpcUp.set({ url: ep.url }, ep.up ? 1 : 0);
      this.metrics.rpcDownSeconds.set({ url: ep.url }, ep.downForMs / 1000);
    }
    this.metrics.rpcRequests.set(this.pool.requests);
    this.metrics.healthy.set(this.health().ok ? 1 : 0);
  }

  constructor(o: KeeperOptions) {
    const { config, deployment, logger } = o;
    this.log = logger;
    this.metrics = o.metrics ?? new KeeperMetrics();
    if (o.keys.length === 0) throw new ConfigError('keys', 'config: keys: the keeper needs at least one key (GAVEL_PRIVATE_KEYS or --keystore)');
    this.pool = new RpcPool(config.rpcUrls, { staleHeadMs: config.staleHeadSeconds * 1000 });
    this.staleHeadMs = config.staleHeadSeconds * 1000;
    this.pool.onEvent((e) => {
      if (e.type === 'down') logger.error({ url: e.url, downForMs: e.downForMs, error: e.error }, 'ALERT rpc endpoint down (the others carry on)');
      else if (e.type === 'up') logger.info({ url: e.url, downForMs: e.downForMs }, 'rpc endpoint back');
      else logger.warn({ rpc: e }, 'rpc pool');
    });
    this.indexer = new Indexer({
      deployment,
      chainId: config.chainId,
      pool: this.pool,
      checkpointFile: o.noCheckpoint ? undefined : config.checkpointFile,
      blockRange: config.blockRange,
      reorgDepth: config.reorgDepth,
      confirmations: config.confirmations,
      pollIntervalMs: config.pollIntervalMs,
      checkpointIntervalMs: config.checkpointIntervalMs,
    });
    const accounts = o.keys.map((k) => privateKeyToAccount(k));
    const pick = (i: number): PrivateKeyAccount => {
      const a = accounts[i % accounts.length];
      if (!a) throw new ConfigError('keys', 'config: keys: none given');
      return a;
    };
    // The sender polls receipts with its own client (cacheTime 0) over the same pool.
    const client = createPublicClient({ transport: this.pool.transport(), cacheTime: 0 });
    this.sender = new TxSender({
      client,
      accounts: { kick: pick(0), take: pick(1), settle: pick(2) },
      chainId: config.chainId,
      fees: { maxFeePerGas: parseGwei(config.maxFeeGwei), priorityFeePerGas: parseGwei(config.priorityFeeGwei) },
      stuckBlocks: config.stuckBlocks,
      logger: logger.child({ mod: 'send' }),
      metrics: this.metrics,
      pollMs: o.senderPollMs ?? Math.min(500, config.pollIntervalMs),
      relay: config.relayUrl === undefined ? undefined : createPublicClient({ transport: http(config.relayUrl, { retryCount: 0, timeout: 3_000 }), cacheTime: 0 }),
    });
    if (o.kick !== false) {
      if (!deployment.liquidationEngine) throw new ConfigError('deployments.liquidationEngine', 'config: deployments: liquidationEngine: is required to kick');
      this.kicker = new Kicker({
        indexer: this.indexer,
        sender: this.sender,
        liquidationEngine: deployment.liquidationEngine,
        gasBudget: config.kickGasBudget,
        gasPerVault: config.kickGasPerVault,
        feeShareBps: BigInt(config.feeProfitShareBps),
        nativePriceWad: decimalToWad(config.nativePrice),
        // Tier 1 needs the flash taker: zero capital, so the kick lane needs no gUSD.
        instant: config.instantTake && config.capital === 'flash' && deployment.flashTaker && deployment.stablecoin ? { flashTaker: deployment.flashTaker, stablecoin: deployment.stablecoin } : undefined,
        logger: logger.child({ mod: 'kick' }),
        metrics: this.metrics,
      });
    }
    if (o.kick !== false && deployment.liquidationEngine && deployment.portfolioEngine && deployment.portfolioIlk) {
      this.portfolios = new PortfolioKicker({
        indexer: this.indexer,
        sender: this.sender,
        liquidationEngine: deployment.liquidationEngine,
        portfolioEngine: deployment.portfolioEngine,
        portfolioIlk: deployment.portfolioIlk.toLowerCase() as Hex,
        fromBlock: deployment.block,
        logger: logger.child({ mod: 'portfolio' }),
      });
    }
    if (o.bid !== false) {
      if (!deployment.stablecoin) throw new ConfigError('deployments.stablecoin', 'config: deployments: stablecoin: is required to bid');
      if (config.capital === 'flash' && !deployment.flashTaker) throw new ConfigError('capital', 'config: capital (flash): the deployment has no flashTaker address');
      this.bidder = new Bidder({
        indexer: this.indexer,
        sender: this.sender,
        reference: buildReference(config, deployment, client, () => this.indexer.model),
        minMarginWad: decimalToWad(config.minMargin),
        nativePriceWad: decimalToWad(config.nativePrice),
        capital: config.capital,
        stablecoin: deployment.stablecoin,
        flashTaker: deployment.flashTaker,
        settleIntervalBlocks: config.settleIntervalBlocks,
        takeJitterMs: config.takeJitterMs,
        room: new BlockRoom(client),
        ownAddresses: [this.sender.address('kick'), this.sender.address('take'), this.sender.address('settle')],
        sharedAddresses: deployment.flashTaker ? [deployment.flashTaker] : [],
        feeShareBps: BigInt(config.feeProfitShareBps),
        tickMs: o.bidTickMs,
        logger: logger.child({ mod: 'bid' }),
        metrics: this.metrics,
      });
    }
    this.protection = buildProtection({ config, deployment, indexer: this.indexer, sender: this.sender, client, reference: () => buildReference(config, deployment, client, () => this.indexer.model), logger, metrics: this.metrics });
    this.metrics.health = () => this.health();
    this.indexer.on('block', (e) => {
      if (e.block > this.lastBlock) {
        this.lastBlock = e.block;
        this.lastBlockAt = Date.now();
      }
      this.metrics.blocksBehind.set(Number(e.head - e.block));
      this.metrics.indexedBlock.set(Number(e.block));
      if (e.live) {
        this.metrics.vaultsIndexed.set(this.indexer.model.vaultCount());
        this.metrics.auctionsLive.set(this.indexer.model.auctions.size);
      }
    });
    this.indexer.on('error', (e) => {
      logger.warn({ error: e.message }, 'index error (retrying)');
    });
    this.indexer.on('checkpointMismatch', (e) => {
      logger.warn({ file: e.file, reason: e.reason }, 'checkpoint is from another chain or deployment: ignored, re-indexing from the deployment block');
    });
    this.indexer.on('block', (e) => {
      // A receipt of ours from a block the chain has since replaced: the sender resyncs at once.
      for (const b of this.indexer.model.window) if (b.number >= e.from && b.number <= e.block) this.sender.checkCanonical(b.number, b.hash);
    });
    this.indexer.on('reorg', (e) => {
      logger.warn({ from: e.from.toString(), ancestor: e.ancestor.toString(), undone: e.undone }, 'reorg');
      // Transactions of the undone blocks may be gone: nonces and in-flight plans follow the chain.
      this.sender.reconcile('reorg').catch((err: unknown) => {
        logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'nonce reconcile after reorg failed (retried when a transaction is due)');
      });
    });
    this.indexer.on('live', (e) => {
      logger.info({ block: e.block.toString(), vaults: this.indexer.model.vaultCount() }, 'index live');
    });
  }

  /** Starts sending machinery first, then the index (kick/bid react to its events); resolves once live. */
  async start(): Promise<void> {
    this.pool.startProbing(1_000);
    this.gaugeTimer = setInterval(() => {
      this.updateGauges();
    }, 1_000);
    this.gaugeTimer.unref();
    this.sender.start();
    this.kicker?.start();
    this.portfolios?.start();
    this.bidder?.start();
    this.protection.preLiquidator?.start();
    this.protection.alerts?.service.start();
    const alertsPort = await this.protection.alerts?.server.listen();
    if (alertsPort !== undefined) this.log.info({ port: alertsPort }, 'owner-alert subscriptions on /subscriptions');
    await this.indexer.start();
  }

  /** Graceful stop: no new work, let in-flight transactions land (up to `waitMs`), checkpoint. */
  async stop(waitMs = 5_000): Promise<void> {
    await Promise.all([this.kicker?.stop(waitMs), this.portfolios?.stop(waitMs), this.bidder?.stop(waitMs), this.protection.preLiquidator?.stop(waitMs)]);
    await this.sender.stop(waitMs);
    await this.protection.alerts?.server.close();
    await this.protection.alerts?.service.stop();
    await this.indexer.stop();
    this.protection.alerts?.service.store.close();
    if (this.gaugeTimer) clearInterval(this.gaugeTimer);
    this.log.info({ block: this.indexer.processed.toString() }, 'stopped (checkpoint written)');
  }
}
