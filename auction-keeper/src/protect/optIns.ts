// Who opted into pre-liquidation, with which parameters, under which governance bounds: followed from
// the PreLiquidation's own logs (PreLiquidationParamsSet, PreLiquidationOptedOut, BoundsSet — the
// constructor emits the first BoundsSet), up to the block the keeper's index has applied. Opt-ins are
// rare, so a reorg simply starts the scan over from the deployment block (no undo records).
//
// Everything an executor or an alert reads here is re-checked on chain before money moves (the
// pre-liquidation is simulated), so a stale entry costs a failed simulation, never a loss.

import { type PreLiquidationBounds, type PreLiquidationParams, preLiquidationAbi } from '@gavel/sdk';
import { type Address, type Hex, type PublicClient, getAddress, parseEventLogs } from 'viem';
import { SerialQueue } from './serialQueue.ts';

export interface OptIn {
  readonly ilk: Hex;
  readonly owner: Address;
  readonly params: PreLiquidationParams;
}

const vaultKey = (ilk: string, owner: string): string => `${ilk.toLowerCase()}|${owner.toLowerCase()}`;

export interface OptInsOptions {
  readonly client: PublicClient;
  /** The PreLiquidation contract. */
  readonly address: Address;
  /** First block to scan (the deployment block). */
  readonly fromBlock: bigint;
  /** Largest eth_getLogs range (halved on a range error down to 1). */
  readonly blockRange?: number;
}

export class OptIns {
  readonly #o: OptInsOptions;
  readonly #byVault = new Map<string, OptIn>();
  #bounds: PreLiquidationBounds | undefined;
  /** Last block whose logs are applied. */
  #scanned: bigint;
  readonly #queue = new SerialQueue();

  constructor(o: OptInsOptions) {
    this.#o = o;
    this.#scanned = o.fromBlock - 1n;
  }

  /** The last block applied. */
  get scanned(): bigint {
    return this.#scanned;
  }

  /** Governance bounds in force (undefined before the first scan). */
  get bounds(): PreLiquidationBounds | undefined {
    return this.#bounds;
  }

  /** The owner's parameters for a vault, or undefined when not opted in. */
  get(ilk: Hex, owner: Address): PreLiquidationParams | undefined {
    return this.#byVault.get(vaultKey(ilk, owner))?.params;
  }

  /** Every opted-in vault. */
  list(): OptIn[] {
    return [...this.#byVault.values()];
  }

  /** Forgets everything (a reorg): the next {@link syncTo} rescans from the deployment block. */
  reset(): void {
    void this.#queue.run(() => {
      this.#byVault.clear();
      this.#bounds = undefined;
      this.#scanned = this.#o.fromBlock - 1n;
      return Promise.resolve();
    });
  }

  /** Applies the PreLiquidation's logs up to `block` (calls are serialized; a later target wins). */
  syncTo(block: bigint): Promise<void> {
    return this.#queue.run(() => this.#scan(block));
  }

  async #scan(to: bigint): Promise<void> {
    let range = BigInt(this.#o.blockRange ?? 5_000);
    while (this.#scanned < to) {
      const from = this.#scanned + 1n;
      const end = from + range - 1n < to ? from + range - 1n : to;
      let logs;
      try {
        logs = await this.#o.client.getLogs({ address: this.#o.address, fromBlock: from, toBlock: end });
      } catch (err) {
        if (range > 1n) {
          range /= 2n;
          continue;
        }
        throw err;
      }
      for (const l of parseEventLogs({ abi: preLiquidationAbi, logs, strict: false })) {
        if (l.eventName === 'BoundsSet') {
          const a = l.args;
          if (a.maxPreHealthWad === undefined || a.maxIncentiveWad === undefined || a.maxCloseFactorBps === undefined) continue;
          this.#bounds = { maxPreHealthWad: a.maxPreHealthWad, maxIncentiveWad: a.maxIncentiveWad, maxCloseFactorBps: a.maxCloseFactorBps };
        } else if (l.eventName === 'PreLiquidationParamsSet') {
          const a = l.args;
          if (a.ilk === undefined || a.owner === undefined || a.preHealthWad === undefined || a.incentiveStartWad === undefined || a.incentiveEndWad === undefined || a.closeFactorStartBps === undefined || a.closeFactorEndBps === undefined) continue;
          const ilk = a.ilk.toLowerCase() as Hex;
          const owner = getAddress(a.owner);
          this.#byVault.set(vaultKey(ilk, owner), {
            ilk,
            owner,
            params: {
              preHealthWad: a.preHealthWad,
              incentiveStartWad: a.incentiveStartWad,
              incentiveEndWad: a.incentiveEndWad,
              closeFactorStartBps: a.closeFactorStartBps,
              closeFactorEndBps: a.closeFactorEndBps,
            },
          });
        } else if (l.eventName === 'PreLiquidationOptedOut') {
          if (l.args.ilk === undefined || l.args.owner === undefined) continue;
          this.#byVault.delete(vaultKey(l.args.ilk, l.args.owner));
        }
      }
      this.#scanned = end;
    }
    // A deployments file whose block is after the PreLiquidation's constructor: ask the contract.
    if (this.#bounds === undefined && to >= this.#o.fromBlock) {
      const b = await this.#o.client.readContract({ address: this.#o.address, abi: preLiquidationAbi, functionName: 'bounds', blockNumber: to });
      this.#bounds = { maxPreHealthWad: b.maxPreHealthWad, maxIncentiveWad: b.maxIncentiveWad, maxCloseFactorBps: b.maxCloseFactorBps };
    }
  }
}
