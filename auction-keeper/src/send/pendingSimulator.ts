// Simulations at the pending block, many calls per request.
//
// A node answers a call "at the pending block" by executing every transaction in its pool first
// (up to a block's gas), then the call. During a crash burst the pool holds a block of takes, and
// two keepers each simulating 300 takes twice (prepare, then the re-check right before signing)
// made the node execute the pool over a thousand times in two seconds: each answer took 0.4–0.8 s,
// broadcasts queued behind them, and a keeper's re-check could not see a rival's take sent half a
// second earlier — the two keepers' takes of the same auction landed in the same block and one
// reverted (chaos suite, rivals). Calls asked within `windowMs` of each other go in ONE
// eth_simulateV1 request: the pool executed once, then the calls in order in one simulated block
// (separate blocks would each move the clock on, and auction prices with it). A call sees what the
// calls before it in the batch did — as the same account's transactions in a row will: callers
// batch calls of different auctions, and a call that fails only because an earlier one spent the
// balance is not sent and comes back in the next pass. A node without eth_simulateV1 gets
// `undefined` back (asked once): the caller falls back to eth_call.

import type { Address, Hex, PublicClient } from 'viem';

/** One call's outcome: status, what it returned (or its revert data) and the gas it used. */
export type PendingSimResult =
  | { readonly ok: true; readonly returnData: Hex; readonly gasUsed: bigint }
  | { readonly ok: false; readonly revertData: Hex | undefined; readonly message: string };

export interface PendingCall {
  readonly from: Address;
  readonly to: Address;
  readonly data: Hex;
  readonly value?: bigint;
}

interface Waiting {
  readonly call: PendingCall;
  readonly resolve: (r: PendingSimResult | undefined) => void;
  readonly reject: (e: unknown) => void;
}

type SimCall = { status: Hex; returnData: Hex; gasUsed: Hex; error?: { message?: string; data?: Hex } };

/** Calls per request at most. */
const MAX_CALLS = 64;

export class PendingSimulator {
  /** False once the node has refused eth_simulateV1. */
  supported = true;
  private queue: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: PublicClient,
    private readonly windowMs = 10,
  ) {}

  /** The call at the pending block; undefined when the node does not offer eth_simulateV1. */
  simulate(call: PendingCall): Promise<PendingSimResult | undefined> {
    if (!this.supported) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      if (this.queue.length >= MAX_CALLS) this.flush();
      else
        this.timer ??= setTimeout(() => {
          this.flush();
        }, this.windowMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0, MAX_CALLS);
    if (this.queue.length > 0)
      this.timer = setTimeout(() => {
        this.flush();
      }, this.windowMs);
    if (batch.length === 0) return;
    void this.run(batch);
  }

  private async run(batch: Waiting[]): Promise<void> {
    const request = {
      blockStateCalls: [{ calls: batch.map((w) => ({ from: w.call.from, to: w.call.to, data: w.call.data, ...(w.call.value ? { value: `0x${w.call.value.toString(16)}` } : {}) })) }],
      validation: false,
    };
    let blocks: { calls: SimCall[] }[];
    try {
      blocks = (await (this.client.request as (a: { method: string; params: unknown[] }) => Promise<unknown>)({ method: 'eth_simulateV1', params: [request, 'pending'] })) as { calls: SimCall[] }[];
    } catch (err) {
      if (isUnsupported(err)) {
        this.supported = false;
        for (const w of batch) w.resolve(undefined);
      } else {
        for (const w of batch) w.reject(err);
      }
      return;
    }
    const calls = Array.isArray(blocks) ? blocks[0]?.calls : undefined;
    if (!calls || calls.length !== batch.length) {
      this.supported = false;
      for (const w of batch) w.resolve(undefined);
      return;
    }
    for (const [i, w] of batch.entries()) {
      const r = calls[i];
      if (!r) w.resolve(undefined);
      else if (BigInt(r.status) === 1n) w.resolve({ ok: true, returnData: r.returnData, gasUsed: BigInt(r.gasUsed) });
      else w.resolve({ ok: false, revertData: r.returnData !== '0x' ? r.returnData : r.error?.data, message: r.error?.message ?? 'execution reverted' });
    }
  }
}

function isUnsupported(err: unknown): boolean {
  const details = err instanceof Error ? (err as { details?: unknown }).details : undefined;
  const text = err instanceof Error ? `${err.message} ${typeof details === 'string' ? details : ''}` : String(err);
  return /method not found|not supported|does not exist|unsupported|not available|unknown method/i.test(text);
}
