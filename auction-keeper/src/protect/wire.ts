// Builds the keeper's owner-protection parts from the config: the pre-liquidation executor (config
// `preLiquidate`) and the owner-alert service (config `alertsPort`). keeper.ts calls this once and
// starts and stops what it returns; nothing here touches the kick, bid or send paths.

import type { Logger } from 'pino';
import type { PublicClient } from 'viem';
import { decimalToWad, type PriceReference } from '../bid/reference.ts';
import { ConfigError, type KeeperConfig } from '../config/config.ts';
import type { Deployment } from '../config/deployments.ts';
import type { Indexer } from '../index/indexer.ts';
import type { KeeperMetrics } from '../metrics.ts';
import type { TxSender } from '../send/sender.ts';
import { AlertServer } from './alertServer.ts';
import { AlertService } from './alertService.ts';
import { AlertStore } from './alertStore.ts';
import { OptIns } from './optIns.ts';
import { PreLiquidator } from './preLiquidator.ts';

export interface ProtectionParts {
  /** Shared by the executor and the alerts (undefined when the deployment has no PreLiquidation). */
  readonly optIns: OptIns | undefined;
  readonly preLiquidator: PreLiquidator | undefined;
  /** Owner alerts (config alertsPort > 0): the index-driven service and its subscription endpoint. */
  readonly alerts: { readonly service: AlertService; readonly server: AlertServer } | undefined;
}

export function buildProtection(x: {
  config: KeeperConfig;
  deployment: Deployment;
  indexer: Indexer;
  sender: TxSender;
  client: PublicClient;
  reference: () => PriceReference;
  logger: Logger;
  metrics: KeeperMetrics;
}): ProtectionParts {
  const { config, deployment } = x;
  const optIns = deployment.preLiquidation
    ? new OptIns({ client: x.indexer.client, address: deployment.preLiquidation, fromBlock: deployment.block, blockRange: config.blockRange })
    : undefined;
  const alerts = config.alertsPort > 0 ? buildAlerts(x, optIns) : undefined;
  if (!config.preLiquidate) return { optIns, preLiquidator: undefined, alerts };
  if (!optIns || !deployment.preLiquidation) throw new ConfigError('preLiquidate', 'config: preLiquidate: the deployments file has no preLiquidation address (deploy with Deploy.s.sol of issue 17, or turn preLiquidate off)');
  if (!deployment.liquidationEngine) throw new ConfigError('deployments.liquidationEngine', 'config: deployments: liquidationEngine: is required to pre-liquidate (the incentive is capped by the penalty)');
  if (!deployment.stablecoin) throw new ConfigError('deployments.stablecoin', 'config: deployments: stablecoin: is required to pre-liquidate');
  const preLiquidator = new PreLiquidator({
    indexer: x.indexer,
    sender: x.sender,
    optIns,
    preLiquidation: deployment.preLiquidation,
    liquidationEngine: deployment.liquidationEngine,
    stablecoin: deployment.stablecoin,
    reference: x.reference(),
    minProfitWad: decimalToWad(config.preLiquidateMinProfit),
    nativePriceWad: decimalToWad(config.nativePrice),
    feeShareBps: BigInt(config.feeProfitShareBps),
    logger: x.logger.child({ mod: 'preLiquidate' }),
    metrics: x.metrics,
  });
  return { optIns, preLiquidator, alerts };
}

function buildAlerts(x: { config: KeeperConfig; indexer: Indexer; logger: Logger }, optIns: OptIns | undefined): ProtectionParts['alerts'] {
  const { config } = x;
  const store = new AlertStore(config.checkpointFile);
  const logger = x.logger.child({ mod: 'alerts' });
  const service = new AlertService({ indexer: x.indexer, optIns, store, chainId: config.chainId, allowPrivateUrls: config.alertsAllowPrivateUrls, logger });
  const server = new AlertServer({
    store,
    model: () => x.indexer.model,
    chainId: config.chainId,
    host: config.alertsHost,
    port: config.alertsPort,
    allowPrivateUrls: config.alertsAllowPrivateUrls,
    maxSubscriptions: config.alertsMaxSubscriptions,
    maxPerOwner: config.alertsMaxPerOwner,
    logger,
    onSubscribed: () => {
      service.poke();
    },
  });
  return { service, server };
}
