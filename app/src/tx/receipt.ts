// Waiting for a transaction's receipt without depending on new blocks.
//
// viem's waitForTransactionReceipt is driven by the block-number watcher: when its first receipt
// lookup misses (the node has not indexed the transaction yet, or the lookup failed), it only
// looks again when the watcher reports a *new* block. On a chain that mines only on demand —
// anvil's automine, which the local stack, the demo and the tests run — the take's own block may
// be the last one for a long time: the wait then sits on a mined transaction until something else
// mines. So the receipt is polled by time as well, and whichever answers first wins; viem's wait
// still runs alongside for what it does best on public chains (replacement detection).
import type { Hash, PublicClient, TransactionReceipt } from 'viem';

export interface WaitOptions {
  /** Receipt lookups are this far apart (ms). */
  pollMs?: number;
  /** Give up after this long (ms). */
  timeoutMs?: number;
}

export class ReceiptTimeoutError extends Error {
  override name = 'ReceiptTimeoutError';
  constructor(hash: Hash, ms: number) {
    super(`No receipt for ${hash} after ${Math.round(ms / 1000)} s: the transaction may still be pending.`);
  }
}

/** Polls eth_getTransactionReceipt every `pollMs` until the receipt exists; rejects on `signal` or timeout. */
export async function pollReceipt(client: Pick<PublicClient, 'getTransactionReceipt'>, hash: Hash, signal: AbortSignal, { pollMs = 500, timeoutMs = 180_000 }: WaitOptions = {}): Promise<TransactionReceipt> {
  const end = Date.now() + timeoutMs;
  // (a function: the flag changes across the awaits below)
  const aborted = (): boolean => signal.aborted;
  for (;;) {
    if (aborted()) throw new Error('aborted');
    try {
      return await client.getTransactionReceipt({ hash });
    } catch {
      // not mined yet (TransactionReceiptNotFoundError) or a transient RPC error: look again
    }
    if (Date.now() >= end) throw new ReceiptTimeoutError(hash, timeoutMs);
    if (aborted()) throw new Error('aborted');
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, pollMs);
      signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
}

/** The receipt of `hash`: time-polled lookups raced with viem's block-driven wait. */
export async function waitForReceipt(client: PublicClient, hash: Hash, opts: WaitOptions = {}): Promise<TransactionReceipt> {
  const stop = new AbortController();
  const { pollMs = 500, timeoutMs = 180_000 } = opts;
  try {
    return await Promise.any([
      pollReceipt(client, hash, stop.signal, { pollMs, timeoutMs }),
      client.waitForTransactionReceipt({ hash, pollingInterval: 1_000, timeout: timeoutMs, signal: stop.signal }),
    ]);
  } catch (e) {
    throw e instanceof AggregateError ? (e.errors[0] as Error) : e;
  } finally {
    stop.abort();
  }
}
