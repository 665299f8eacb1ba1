// Room for takes in the next block.
//
// A node's pending block holds only what fits in one block (anvil and geth both stop filling it at
// the gas limit). When the pool already holds more than a block, a take is simulated against a
// pending view that leaves out transactions ahead of it in the pool — a rival's take of the same
// auction among them — so the check passes, the take waits a block in the pool behind the rival's,
// and reverts. Measured in the chaos suite (two keepers, 300 auctions profitable within two blocks):
// most lost takes were mined one or two blocks after the rival's winning take, which had been sent
// 0.5–2 s earlier. So a take is sent only while the pending block has room for it after what this
// keeper has sent since the view was read; otherwise it waits for the next pass, when the view
// again shows everything ahead of it.

import type { PublicClient } from 'viem';

export interface PendingBlockView {
  readonly gasUsed: bigint;
  readonly gasLimit: bigint;
}

/** Whether `gas` fits in the pending block after `reservedGas` of our own sends it does not show yet. */
export function fitsPendingBlock(view: PendingBlockView, reservedGas: bigint, gas: bigint): boolean {
  return view.gasUsed + reservedGas + gas <= view.gasLimit;
}

/** A reservation: `sent()` once the node has the transaction, `release()` when it was not sent. */
export interface RoomSlot {
  sent(): void;
  release(): void;
}

interface Reservation {
  readonly gas: bigint;
  /** Time the node answered the broadcast (undefined while on the way). */
  sentAt: number | undefined;
}

/** The view is read again when older than this (shared by every take asking meanwhile). */
const VIEW_MAX_AGE_MS = 150;

export class BlockRoom {
  private view: { value: PendingBlockView | undefined; readAt: number } | undefined;
  private reading: Promise<PendingBlockView | undefined> | undefined;
  private readonly reservations = new Set<Reservation>();

  constructor(private readonly client: PublicClient) {}

  /**
   * A slot for a transaction of `gas` in the next block, or undefined when the pending block has no
   * room for it now. A node without a pending block (or one that fails to answer) is not checked.
   */
  async reserve(gas: bigint): Promise<RoomSlot | undefined> {
    const view = await this.read();
    const r: Reservation = { gas, sentAt: undefined };
    if (view !== undefined) {
      // Our sends the view does not show yet (those answered before it was asked for were dropped).
      let reserved = 0n;
      for (const x of this.reservations) reserved += x.gas;
      if (!fitsPendingBlock(view, reserved, gas)) return undefined;
    }
    this.reservations.add(r);
    return {
      sent: () => {
        r.sentAt = Date.now();
      },
      release: () => {
        this.reservations.delete(r);
      },
    };
  }

  private async read(): Promise<PendingBlockView | undefined> {
    const now = Date.now();
    if (this.view && now - this.view.readAt < VIEW_MAX_AGE_MS) return this.view.value;
    if (!this.reading) {
      const askedAt = now;
      this.reading = this.client
        .getBlock({ blockTag: 'pending' })
        .then(
          (b): PendingBlockView | undefined => ({ gasUsed: b.gasUsed, gasLimit: b.gasLimit }),
          () => undefined,
        )
        .then((value) => {
          this.view = { value, readAt: askedAt };
          // Sent before the view was asked for: the view shows them (or they are mined).
          for (const x of this.reservations) if (x.sentAt !== undefined && x.sentAt < askedAt) this.reservations.delete(x);
          return value;
        })
        .finally(() => {
          this.reading = undefined;
        });
    }
    return this.reading;
  }
}
