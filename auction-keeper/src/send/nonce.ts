// One nonce manager per account: a local counter, read from the node's pending count on first use
// and again after any error that says it is wrong ("nonce too low", "replacement underpriced", ...).
// Callers allocate inside the account's serialized queue (src/send/sender.ts), so allocation and
// broadcast never interleave.

import type { Address, PublicClient } from 'viem';

export class NonceManager {
  private nextNonce: number | undefined;

  constructor(
    private readonly client: PublicClient,
    readonly address: Address,
  ) {}

  /** The next nonce to use (reserves it). */
  async take(): Promise<number> {
    this.nextNonce ??= await this.client.getTransactionCount({ address: this.address, blockTag: 'pending' });
    const n = this.nextNonce;
    this.nextNonce = n + 1;
    return n;
  }

  /**
   * Sets the next nonce explicitly. After a reorg the node's pending count can be wrong (anvil
   * counts transactions queued behind a gap), so the sender sets it from the chain's latest count.
   */
  set(next: number): void {
    this.nextNonce = next;
  }

  /** Forgets the local counter: the next {@link take} reads the node's pending count. */
  resync(): void {
    this.nextNonce = undefined;
  }

  /** The local counter (undefined before first use or after a resync). */
  peek(): number | undefined {
    return this.nextNonce;
  }
}
