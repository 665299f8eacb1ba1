// Prometheus metrics (prom-client, one registry per keeper) and the HTTP /metrics endpoint.

import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The keeper's health: `ok` false with one line per problem (HTTP 503 on /healthz). */
export interface Health {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

export type TxKind = 'kick' | 'take' | 'redo' | 'takeover' | 'settle' | 'approve' | 'cancel' | 'preLiquidate' | 'instantTake' | 'liquidatePortfolio';

export class KeeperMetrics {
  readonly registry = new Registry();
  readonly blocksBehind = new Gauge({ name: 'gavel_keeper_blocks_behind_head', help: 'Head minus the last indexed block', registers: [this.registry] });
  readonly indexedBlock = new Gauge({ name: 'gavel_keeper_indexed_block', help: 'Last block applied to the index', registers: [this.registry] });
  readonly vaultsIndexed = new Gauge({ name: 'gavel_keeper_vaults_indexed', help: 'Vaults in the index', registers: [this.registry] });
  readonly auctionsLive = new Gauge({ name: 'gavel_keeper_auctions_live', help: 'Active auctions in the index', registers: [this.registry] });
  readonly unsafeDetected = new Counter({ name: 'gavel_keeper_unsafe_detected_total', help: 'Vaults seen becoming unsafe', labelNames: ['ilk'] as const, registers: [this.registry] });
  readonly kickLatencyMs = new Histogram({
    name: 'gavel_keeper_detection_to_kick_ms',
    help: 'Milliseconds from detecting an unsafe vault to its liquidation being mined',
    buckets: [50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000],
    registers: [this.registry],
  });
  readonly kickLatencyBlocks = new Histogram({
    name: 'gavel_keeper_detection_to_kick_blocks',
    help: 'Blocks from the block that made a vault unsafe to the block its liquidation was mined in',
    buckets: [0, 1, 2, 3, 5, 10, 20],
    registers: [this.registry],
  });
  readonly txSent = new Counter({ name: 'gavel_keeper_tx_sent_total', help: 'Transactions sent (replacements excluded)', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly txMined = new Counter({ name: 'gavel_keeper_tx_mined_total', help: 'Transactions mined successfully', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly txReverted = new Counter({ name: 'gavel_keeper_tx_reverted_total', help: 'Transactions mined but reverted', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly txReplaced = new Counter({ name: 'gavel_keeper_tx_replaced_total', help: 'Stuck transactions replaced with higher fees', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly takeDeferred = new Counter({ name: 'gavel_keeper_take_deferred_total', help: 'Profitable takes held for the next pass: the pending block had no room for them (bid/blockRoom.ts)', registers: [this.registry] });
  readonly txDropped = new Counter({ name: 'gavel_keeper_tx_dropped_total', help: 'Transactions abandoned after a reorg or lost by the node (re-planned from chain state)', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly nonceResyncs = new Counter({ name: 'gavel_keeper_nonce_resyncs_total', help: 'Nonce reconciliations with the chain (reorgs, vanished transactions)', registers: [this.registry] });
  readonly simulationReverted = new Counter({
    name: 'gavel_keeper_simulation_reverted_total',
    help: 'Transactions not sent because the simulation reverted',
    labelNames: ['kind', 'error'] as const,
    registers: [this.registry],
  });
  readonly feeCeilingHit = new Counter({ name: 'gavel_keeper_fee_ceiling_hit_total', help: 'Sends or replacements refused by the max-fee ceiling', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly profit = new Counter({ name: 'gavel_keeper_profit_stablecoin', help: 'Expected profit of mined takes, in stablecoin (whole units)', labelNames: ['ilk'] as const, registers: [this.registry] });
  readonly incentives = new Counter({ name: 'gavel_keeper_incentives_stablecoin', help: 'Kick, redo and takeover incentives earned, in stablecoin (whole units)', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly outOfFunds = new Gauge({ name: 'gavel_keeper_out_of_funds', help: '1 when an account cannot pay for its next transaction', labelNames: ['account'] as const, registers: [this.registry] });
  readonly balanceWei = new Gauge({ name: 'gavel_keeper_balance_wei', help: 'Native balance of each keeper account (wei, as a float)', labelNames: ['account'] as const, registers: [this.registry] });

  readonly relaySubmissions = new Counter({ name: 'gavel_keeper_relay_submissions_total', help: 'Signed transactions submitted to the private relay, by result (ok, fallback to the public mempool)', labelNames: ['result'] as const, registers: [this.registry] });
  readonly rpcUp = new Gauge({ name: 'gavel_keeper_rpc_up', help: '1 while the RPC endpoint answers, 0 while it fails (probed every second)', labelNames: ['url'] as const, registers: [this.registry] });
  readonly rpcDownSeconds = new Gauge({ name: 'gavel_keeper_rpc_down_seconds', help: 'How long the RPC endpoint has been failing (0 when up)', labelNames: ['url'] as const, registers: [this.registry] });
  readonly healthy = new Gauge({ name: 'gavel_keeper_healthy', help: '1 when /healthz answers 200 (index live and moving, RPC endpoints up, accounts funded)', registers: [this.registry] });
  readonly rpcRequests = new Gauge({ name: 'gavel_keeper_rpc_requests', help: 'JSON-RPC requests sent so far (all endpoints, probes included)', registers: [this.registry] });

  /** What /healthz reports; set by the keeper (default: healthy). */
  health: () => Health = () => ({ ok: true, problems: [] });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Serves GET /metrics on `port` (0: any free port). Resolves with the bound port and a close function. */
  async serve(port: number, host = '0.0.0.0'): Promise<{ port: number; close: () => Promise<void> }> {
    const server: Server = createServer((req, res) => {
      if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?') === true)) {
        this.registry
          .metrics()
          .then((body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body))
          .catch((err: unknown) => res.writeHead(500).end(String(err)));
        return;
      }
      if (req.url === '/healthz') {
        const h = this.health();
        this.healthy.set(h.ok ? 1 : 0);
        if (h.ok) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        else res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, problems: h.problems }));
        return;
      }
      res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    const bound = (server.address() as AddressInfo).port;
    return {
      port: bound,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => {
            resolve();
          });
        }),
    };
  }
}

/** A WAD amount as a float of whole units (for counters only; never for decisions). */
export function wadToNumber(wad: bigint): number {
  return Number(wad / 10n ** 9n) / 1e9;
}
