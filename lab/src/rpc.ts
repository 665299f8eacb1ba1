// Thin JSON-RPC helpers for the lab's hot loop: single calls, batched eth_calls decoded with their ABI,
// and raw transactions signed locally and sent in one batch (one HTTP request per block's worth).
import { type Abi, type Address, type Hex, decodeFunctionResult, encodeFunctionData } from 'viem';
import { type RpcCall, rpcBatch } from '@gavel/contracts/testing';

export class Rpc {
  private id = 0;
  constructor(readonly url: string) {}

  async call<T = unknown>(method: string, params: readonly unknown[] = []): Promise<T> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }),
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await res.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  }

  batch<T = unknown>(calls: readonly RpcCall[]): ReturnType<typeof rpcBatch<T>> {
    return rpcBatch<T>(this.url, calls, { batchSize: 400, concurrency: 2 });
  }
}

/** One contract read for {@link readMany}. */
export interface Read {
  readonly address: Address;
  readonly abi: Abi;
  readonly functionName: string;
  readonly args?: readonly unknown[];
}

/** Batched `eth_call`s at `block`, decoded; a reverted call throws (the lab reads only views that do not revert). */
export async function readMany(rpc: Rpc, reads: readonly Read[], block: string = 'latest'): Promise<unknown[]> {
  if (reads.length === 0) return [];
  const calls = reads.map((r) => ({
    method: 'eth_call',
    params: [{ to: r.address, data: encodeFunctionData({ abi: r.abi, functionName: r.functionName, args: r.args ?? [] }) }, block],
  }));
  const out = await rpc.batch<Hex>(calls);
  return out.map((o, i) => {
    const r = reads[i] as Read;
    if (!o.ok) throw new Error(`${r.functionName} on ${r.address} reverted: ${o.error.message}`);
    const value: unknown = decodeFunctionResult({ abi: r.abi, functionName: r.functionName, data: o.result });
    return value;
  });
}

export const hex = (n: bigint | number): Hex => `0x${BigInt(n).toString(16)}`;
