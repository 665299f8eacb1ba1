// Assembles a keeper from a validated config: RPC pool, indexer, sender (lanes), kicker, bidder,
// metrics. Used by `gavel-keeper run` and by the tests (several keepers in one process).

import type { Logger } from 'pino';
import { type Hex, createPublicClient, parseGwei, getAddress, type PublicClient } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { Bidder } from './bid/bidder.ts';
import { type PriceReference, configReference, decimalToWad, dexReference, oracleReference } from './bid/reference.ts';
import { ConfigError, type KeeperConfig } from './config/config.ts';
import type { Deployment } from './config/deployments.ts';
import { Indexer } from './index/indexer.ts';
import { Kicker } from './kick/kicker.ts';
import { KeeperMetrics } from './metrics.ts';
import { RpcPool } from './rpc/pool.ts';
import { TxSender } from './send/sender.ts';

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
  readonly bidder: Bidder | undefined;
  readonly metrics: KeeperMetrics;
  private readonly log: Logger;

  constructor(o: KeeperOptions) {
    const { config, deployment, logger } = o;
    this.log = logger;
    this.metrics = o.metrics ?? new KeeperMetrics();
    if (o.keys.length === 0) throw new ConfigError('keys', 'config: keys: the keeper needs at least one key (GAVEL_PRIVATE_KEYS or --keystore)');
    this.pool = new RpcPool(config.rpcUrls, { staleHeadMs: config.staleHeadSeconds * 1000 });
    this.pool.onEvent((e) => {
      logger.warn({ rpc: e }, 'rpc pool');
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
    });
    if (o.kick !== false) {
      if (!deployment.liquidationEngine) throw new ConfigError('deployments.liquidationEngine', 'config: deployments: liquidationEngine: is required to kick');
      this.kicker = new Kicker({
        indexer: this.indexer,
        sender: this.sender,
        liquidationEngine: deployment.liquidationEngine,
        gasBudget: config.kickGasBudget,
        gasPerVault: config.kickGasPerVault,
        logger: logger.child({ mod: 'kick' }),
        metrics: this.metrics,
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
        tickMs: o.bidTickMs,
        logger: logger.child({ mod: 'bid' }),
        metrics: this.metrics,
      });
    }
    this.indexer.on('block', (e) => {
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
    this.indexer.on('reorg', (e) => {
      logger.warn({ from: e.from.toString(), ancestor: e.ancestor.toString(), undone: e.undone }, 'reorg');
    });
    this.indexer.on('live', (e) => {
      logger.info({ block: e.block.toString(), vaults: this.indexer.model.vaultCount() }, 'index live');
    });
  }

  /** Starts sending machinery first, then the index (kick/bid react to its events); resolves once live. */
  async start(): Promise<void> {
    this.sender.start();
    this.kicker?.start();
    this.bidder?.start();
    await this.indexer.start();
  }

  /** Graceful stop: no new work, let in-flight transactions land (up to `waitMs`), checkpoint. */
  async stop(waitMs = 5_000): Promise<void> {
    await Promise.all([this.kicker?.stop(waitMs), this.bidder?.stop(waitMs)]);
    await this.sender.stop(waitMs);
    await this.indexer.stop();
    this.log.info({ block: this.indexer.processed.toString() }, 'stopped (checkpoint written)');
  }
}
