// Shared pieces of the SDK's differential tests: storage slots of Solidity mappings, packing of
// struct fields into a slot, and batched eth_calls that carry their own state (anvil's eth_call state
// override), so thousands of cases run against one deployed contract without a transaction each.
import { type Hex, encodeAbiParameters, keccak256, numberToHex, toHex } from 'viem';
import { type RpcOutcome, revertData, rpcBatch } from '@gavel/contracts/testing';

/** `keccak256(abi.encode(key, slot))`: the slot of `mapping[key]` for a mapping declared at `slot`. */
export function mappingSlot(keyType: 'bytes32' | 'address' | 'uint256', key: Hex | bigint, slot: bigint | Hex): Hex {
  const base = typeof slot === 'bigint' ? slot : BigInt(slot);
  return keccak256(encodeAbiParameters([{ type: keyType }, { type: 'uint256' }], [key as never, base]));
}

/** A slot number plus an offset, as a 32-byte hex. */
export function slotPlus(slot: Hex, offset: bigint): Hex {
  return numberToHex(BigInt(slot) + offset, { size: 32 });
}

/** Packs fields into one 32-byte word, lowest-order first (Solidity's packing): `[value, bits][]`. */
export function pack(fields: readonly (readonly [bigint, number])[]): Hex {
  let word = 0n;
  let shift = 0n;
  for (const [value, bits] of fields) {
    const max = (1n << BigInt(bits)) - 1n;
    if (value < 0n || value > max) throw new RangeError(`${value} does not fit ${bits} bits`);
    word |= value << shift;
    shift += BigInt(bits);
  }
  if (shift > 256n) throw new RangeError('more than 256 bits');
  return toHex(word, { size: 32 });
}

/** One eth_call at `to` with storage slots of `to` overridden for this call only. */
export interface OverrideCall {
  readonly to: Hex;
  readonly data: Hex;
  readonly stateDiff: Readonly<Record<Hex, Hex>>;
  /** Storage of other contracts the call reads, overridden too (address → slot → word). */
  readonly others?: Readonly<Record<Hex, Readonly<Record<Hex, Hex>>>>;
  /** `msg.sender` of the call (anvil's default when absent). */
  readonly from?: Hex;
}

export type CallResult = { readonly ok: true; readonly result: Hex } | { readonly ok: false; readonly revert: Hex | undefined; readonly message: string };

/** Runs the calls in JSON-RPC batches; each call sees the chain with its own storage overrides. */
export async function callsWithState(rpcUrl: string, calls: readonly OverrideCall[]): Promise<CallResult[]> {
  const outcomes: RpcOutcome<Hex>[] = await rpcBatch<Hex>(
    rpcUrl,
    calls.map((c) => {
      const state: Record<Hex, { stateDiff: Readonly<Record<Hex, Hex>> }> = { [c.to]: { stateDiff: c.stateDiff } };
      for (const [address, stateDiff] of Object.entries(c.others ?? {})) state[address as Hex] = { stateDiff };
      return { method: 'eth_call', params: [{ ...(c.from ? { from: c.from } : {}), to: c.to, data: c.data }, 'latest', state] };
    }),
    { batchSize: 250, concurrency: 4 },
  );
  return outcomes.map((o) => (o.ok ? { ok: true, result: o.result } : { ok: false, revert: revertData(o.error), message: o.error.message }));
}

/** One call of a simulated block (`eth_simulateV1`): later calls see what earlier ones wrote. */
export interface SimCall {
  readonly to: Hex;
  readonly data: Hex;
  readonly from?: Hex;
}

/** One simulated block: storage overrides (address → slot → word), the block time, and its calls in order. */
export interface SimBlock {
  readonly state: Readonly<Record<Hex, Readonly<Record<Hex, Hex>>>>;
  readonly time: bigint;
  readonly calls: readonly SimCall[];
}

export interface SimLog {
  readonly address: Hex;
  readonly topics: readonly Hex[];
  readonly data: Hex;
}

/** A simulated call: its return data and logs, or its revert data. */
export type SimResult = { readonly ok: true; readonly result: Hex; readonly logs: readonly SimLog[] } | { readonly ok: false; readonly revert: Hex | undefined; readonly message: string };

/**
 * Runs each block as its own `eth_simulateV1` request (so every case starts from the chain plus its own
 * overrides), batched: the state-changing calls' return values, events and reverts, with no transaction.
 */
export async function simulateWithState(rpcUrl: string, blocks: readonly SimBlock[]): Promise<SimResult[][]> {
  type Answer = { calls: { status: Hex; returnData: Hex; logs?: SimLog[]; error?: { message?: string; data?: unknown } }[] }[];
  const outcomes: RpcOutcome<Answer>[] = await rpcBatch<Answer>(
    rpcUrl,
    blocks.map((b) => {
      const stateOverrides: Record<Hex, { stateDiff: Readonly<Record<Hex, Hex>> }> = {};
      for (const [address, stateDiff] of Object.entries(b.state)) stateOverrides[address as Hex] = { stateDiff };
      return {
        method: 'eth_simulateV1',
        params: [{ blockStateCalls: [{ stateOverrides, blockOverrides: { time: numberToHex(b.time) }, calls: b.calls.map((c) => ({ ...c, from: c.from ?? CALLER_DEFAULT })) }], validation: false }, 'latest'],
      };
    }),
    { batchSize: 100, concurrency: 4 },
  );
  return outcomes.map((o, i) => {
    if (!o.ok) throw new Error(`eth_simulateV1 of block ${i} failed: ${o.error.message}`);
    const calls = o.result[0]?.calls ?? [];
    return calls.map((c): SimResult => {
      if (c.status === '0x1') return { ok: true, result: c.returnData, logs: c.logs ?? [] };
      const data = typeof c.error?.data === 'string' ? (c.error.data as Hex) : c.returnData !== '0x' ? c.returnData : undefined;
      return { ok: false, revert: data, message: c.error?.message ?? 'reverted' };
    });
  });
}

/** `msg.sender` of simulated calls that name none. */
const CALLER_DEFAULT: Hex = '0x00000000000000000000000000000000000051a1';
