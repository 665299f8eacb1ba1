// Plain JSON-RPC batches over HTTP, for tests that fire thousands of calls (anvil has no Multicall3
// deployed by default, and one HTTP request per call is slow). Keeps each call's revert data.
import type { Hex } from 'viem';

export interface RpcCall {
  readonly method: string;
  readonly params: readonly unknown[];
}

export interface RpcError {
  readonly code: number;
  readonly message: string;
  /** Revert data for a reverted `eth_call` (`0x...`), when the node returns it. */
  readonly data?: unknown;
}

export type RpcOutcome<T = unknown> =
  { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: RpcError };

export interface BatchOptions {
  /** Calls per HTTP request (default 200). */
  batchSize?: number;
  /** HTTP requests in flight at once (default 4). */
  concurrency?: number;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
}

/**
 * Sends `calls` as JSON-RPC batches and returns one outcome per call, in order. A transport failure
 * (HTTP error, malformed or missing response) throws; a per-call JSON-RPC error is an outcome.
 */
export async function rpcBatch<T = unknown>(
  rpcUrl: string,
  calls: readonly RpcCall[],
  options: BatchOptions = {},
): Promise<RpcOutcome<T>[]> {
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const out = new Array<RpcOutcome<T>>(calls.length);
  let next = 0;

  async function worker(): Promise<void> {
    for (;;) {
      const start = next;
      if (start >= calls.length) return;
      const end = Math.min(calls.length, start + batchSize);
      next = end;
      const chunk = calls.slice(start, end);
      const body = chunk.map((c, i) => ({ jsonrpc: '2.0', id: start + i, method: c.method, params: c.params }));
      const res = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`JSON-RPC batch to ${rpcUrl} failed: HTTP ${res.status} ${await res.text()}`);
      const answers: unknown = await res.json();
      if (!Array.isArray(answers))
        throw new Error(`JSON-RPC batch to ${rpcUrl}: not an array: ${JSON.stringify(answers)}`);
      for (const a of answers as { id?: unknown; result?: T; error?: RpcError }[]) {
        if (typeof a.id !== 'number' || a.id < start || a.id >= end) {
          throw new Error(`JSON-RPC batch to ${rpcUrl}: unexpected id in ${JSON.stringify(a)}`);
        }
        out[a.id] = a.error ? { ok: false, error: a.error } : { ok: true, result: a.result as T };
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  for (let i = 0; i < calls.length; i++) {
    if (out[i] === undefined) throw new Error(`JSON-RPC batch to ${rpcUrl}: no answer for call ${i}`);
  }
  return out;
}

/** `eth_call` requests to `to` with each calldata, at `block` (default latest). */
export function ethCalls(to: Hex, calldata: readonly Hex[], block: string = 'latest'): RpcCall[] {
  return calldata.map((data) => ({ method: 'eth_call', params: [{ to, data }, block] }));
}

/** The revert data of a failed `eth_call` outcome, or undefined when the node gave none. */
export function revertData(error: RpcError): Hex | undefined {
  const d = error.data;
  if (typeof d === 'string' && d.startsWith('0x')) return d as Hex;
  // Some nodes nest it: { data: { data: '0x...' } }.
  if (d !== null && typeof d === 'object' && 'data' in d) {
    const inner = (d as { data?: unknown }).data;
    if (typeof inner === 'string' && inner.startsWith('0x')) return inner as Hex;
  }
  return undefined;
}
