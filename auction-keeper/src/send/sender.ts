// Send: simulate, estimate, price, sign, broadcast, track, replace.
//
// - Lanes: kicks, takes and settles/redos each have a lane; with three keys each lane has its own
//   account (own nonce sequence), so a stuck settle can never sit ahead of a take. With fewer keys
//   lanes share accounts (and a NonceManager): that is logged at start.
// - Nothing is sent that the simulation (eth_call through simulateContract) says reverts: the
//   caller gets the decoded custom error instead (`prepare`).
// - Every sent transaction is watched for its receipt. One not mined after `stuckBlocks` blocks is
//   replaced at the same nonce with fees +12.5% (never above the ceiling); if the call would now
//   revert, the replacement is a 0-value self-transfer that just frees the nonce.

import type { Logger } from 'pino';
import {
  type Abi,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
  encodeFunctionData,
} from 'viem';
import type { KeeperMetrics, TxKind } from '../metrics.ts';
import { decodeError, type DecodedError, isInsufficientFunds, isNonceError, shortMessage } from './errors.ts';
import { type FeePolicy, type Fees, FeeCeilingError, bumpFees, estimateFees } from './fees.ts';
import { NonceManager } from './nonce.ts';

export type LaneName = 'kick' | 'take' | 'settle';
export const LANES: readonly LaneName[] = ['kick', 'take', 'settle'];

export interface ContractCall {
  readonly address: Address;
  readonly abi: Abi;
  readonly functionName: string;
  readonly args: readonly unknown[];
  readonly value?: bigint;
}

export interface Prepared {
  readonly ok: true;
  readonly lane: LaneName;
  readonly kind: TxKind;
  readonly call: ContractCall;
  readonly data: Hex;
  readonly gas: bigint;
  readonly fees: Fees;
  /** The simulated return value. */
  readonly result: unknown;
  /** gas × maxFeePerGas: the most the transaction can cost (wei). */
  readonly maxCostWei: bigint;
}

export interface PrepareFailure {
  readonly ok: false;
  readonly reason: 'reverted' | 'fee-ceiling' | 'out-of-funds' | 'rpc';
  readonly error: DecodedError;
}

export type TxStatus = 'success' | 'reverted' | 'dropped';

export interface TxOutcome {
  readonly status: TxStatus;
  readonly hash: Hex | undefined;
  readonly receipt: TransactionReceipt | undefined;
  readonly replacements: number;
}

export interface TxHandle {
  readonly hash: Hex;
  readonly nonce: number;
  readonly from: Address;
  readonly done: Promise<TxOutcome>;
}

export interface SenderOptions {
  readonly client: PublicClient;
  /** Lane → account (lanes may share an account). */
  readonly accounts: Readonly<Record<LaneName, PrivateKeyAccount>>;
  readonly chainId: number;
  readonly fees: FeePolicy;
  readonly stuckBlocks: number;
  readonly logger: Logger;
  readonly metrics?: KeeperMetrics;
  /** Receipt polling interval. Default 250 ms. */
  readonly pollMs?: number;
  /** Gas estimate multiplier in percent. Default 120. */
  readonly gasBufferPct?: number;
}

interface AccountQueue {
  readonly account: PrivateKeyAccount;
  readonly nonces: NonceManager;
  tail: Promise<unknown>;
}

interface Pending {
  readonly queue: AccountQueue;
  readonly kind: TxKind;
  readonly nonce: number;
  readonly to: Address;
  readonly data: Hex;
  readonly value: bigint;
  readonly gas: bigint;
  readonly call: ContractCall | undefined;
  readonly hashes: Hex[];
  fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
  sentBlock: bigint;
  replacements: number;
  ceilingLogged: boolean;
  resolve: (o: TxOutcome) => void;
}

export class TxSender {
  private readonly client: PublicClient;
  private readonly queues = new Map<LaneName, AccountQueue>();
  private readonly pending = new Set<Pending>();
  private readonly log: Logger;
  private readonly metrics: KeeperMetrics | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly pollMs: number;
  private readonly gasBufferPct: bigint;

  constructor(private readonly options: SenderOptions) {
    this.client = options.client;
    this.log = options.logger;
    this.metrics = options.metrics;
    this.pollMs = options.pollMs ?? 250;
    this.gasBufferPct = BigInt(options.gasBufferPct ?? 120);
    const byAddress = new Map<string, AccountQueue>();
    for (const lane of LANES) {
      const account = options.accounts[lane];
      const key = account.address.toLowerCase();
      let q = byAddress.get(key);
      if (!q) {
        q = { account, nonces: new NonceManager(this.client, account.address), tail: Promise.resolve() };
        byAddress.set(key, q);
      }
      this.queues.set(lane, q);
    }
    if (byAddress.size < LANES.length) {
      this.log.warn({ accounts: byAddress.size }, 'lanes share accounts: give three keys so kicks, takes and settles never queue behind each other');
    }
  }

  address(lane: LaneName): Address {
    return this.queue(lane).account.address;
  }

  private queue(lane: LaneName): AccountQueue {
    const q = this.queues.get(lane);
    if (!q) throw new Error(`no lane ${lane}`);
    return q;
  }

  /** Transactions sent and not yet resolved. */
  pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Simulates the call from the lane's account, estimates gas and fees and checks the balance, in
   * parallel. A revert comes back decoded; nothing is sent.
   */
  async prepare(lane: LaneName, kind: TxKind, call: ContractCall, opts: { gas?: bigint } = {}): Promise<Prepared | PrepareFailure> {
    const { account } = this.queue(lane);
    // Against the pending block: the transaction lands in the next block, and what it checks can
    // depend on the block number (the liquidation engine's per-block cap resets every block; at
    // 'latest' a capped block reads NoRoom although the next block has room) and on the time.
    const base = { account: account.address, address: call.address, abi: call.abi, functionName: call.functionName, args: call.args, value: call.value, blockTag: 'pending' as const };
    const sim = this.client.simulateContract(base as Parameters<PublicClient['simulateContract']>[0]).then(
      (r) => ({ ok: true as const, result: r.result }),
      (e: unknown) => ({ ok: false as const, error: e }),
    );
    const est =
      opts.gas !== undefined
        ? Promise.resolve({ ok: true as const, gas: opts.gas })
        : this.client.estimateContractGas(base as Parameters<PublicClient['estimateContractGas']>[0]).then(
            (g) => ({ ok: true as const, gas: (g * this.gasBufferPct) / 100n }),
            (e: unknown) => ({ ok: false as const, error: e }),
          );
    const fees = estimateFees(this.client, this.options.fees).then(
      (f) => ({ ok: true as const, fees: f }),
      (e: unknown) => ({ ok: false as const, error: e }),
    );
    const balance = this.client.getBalance({ address: account.address }).catch(() => undefined);
    const [s, g, f, bal] = await Promise.all([sim, est, fees, balance]);
    if (!s.ok) {
      const error = decodeError(s.error);
      this.metrics?.simulationReverted.inc({ kind, error: error.name ?? 'unknown' });
      return { ok: false, reason: error.name === undefined && !hasRevert(s.error) ? 'rpc' : 'reverted', error };
    }
    if (!g.ok) {
      const error = decodeError(g.error);
      if (isInsufficientFunds(g.error)) return this.outOfFunds(account.address, kind, error);
      this.metrics?.simulationReverted.inc({ kind, error: error.name ?? 'estimate' });
      return { ok: false, reason: hasRevert(g.error) ? 'reverted' : 'rpc', error };
    }
    if (!f.ok) {
      if (f.error instanceof FeeCeilingError) {
        this.metrics?.feeCeilingHit.inc({ kind });
        this.log.error({ kind, needed: f.error.needed.toString(), ceiling: f.error.ceiling.toString() }, 'ALERT fee ceiling: not sending');
        return { ok: false, reason: 'fee-ceiling', error: { name: 'FeeCeiling', message: f.error.message } };
      }
      return { ok: false, reason: 'rpc', error: decodeError(f.error) };
    }
    const maxCostWei = g.gas * f.fees.maxFeePerGas;
    if (bal !== undefined) {
      this.metrics?.balanceWei.set({ account: account.address }, Number(bal));
      if (bal < maxCostWei + (call.value ?? 0n)) {
        return this.outOfFunds(account.address, kind, { name: 'OutOfFunds', message: `balance ${bal} wei < max cost ${maxCostWei} wei` });
      }
      this.metrics?.outOfFunds.set({ account: account.address }, 0);
    }
    const data = encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args });
    return { ok: true, lane, kind, call, data, gas: g.gas, fees: f.fees, result: s.result, maxCostWei };
  }

  private outOfFunds(account: Address, kind: TxKind, error: DecodedError): PrepareFailure {
    this.metrics?.outOfFunds.set({ account }, 1);
    this.log.error({ account, kind, error: error.message }, 'ALERT out of funds: cannot pay for gas');
    return { ok: false, reason: 'out-of-funds', error };
  }

  /** Simulates and sends; a failed preparation is returned as is (nothing sent). */
  async sendTransaction(lane: LaneName, kind: TxKind, call: ContractCall): Promise<TxHandle | PrepareFailure> {
    const p = await this.prepare(lane, kind, call);
    if (!p.ok) return p;
    return this.send(p);
  }

  /** Broadcasts a prepared transaction on its lane's account (serialized per account). */
  send(p: Prepared): Promise<TxHandle> {
    const q = this.queue(p.lane);
    const run = async (): Promise<TxHandle> => {
      const value = p.call.value ?? 0n;
      const fees = { maxFeePerGas: p.fees.maxFeePerGas, maxPriorityFeePerGas: p.fees.maxPriorityFeePerGas };
      let lastErr: unknown;
      for (let attempt = 0; attempt < 3; attempt++) {
        const nonce = await q.nonces.take();
        try {
          const hash = await this.broadcast(q, { to: p.call.address, data: p.data, value, gas: p.gas, nonce, ...fees });
          const sentBlock = await this.client.getBlockNumber({ cacheTime: 0 }).catch(() => 0n);
          let resolve: (o: TxOutcome) => void = () => undefined;
          const done = new Promise<TxOutcome>((r) => {
            resolve = r;
          });
          this.pending.add({
            queue: q,
            kind: p.kind,
            nonce,
            to: p.call.address,
            data: p.data,
            value,
            gas: p.gas,
            call: p.call,
            hashes: [hash],
            fees,
            sentBlock,
            replacements: 0,
            ceilingLogged: false,
            resolve,
          });
          this.metrics?.txSent.inc({ kind: p.kind });
          this.log.info({ kind: p.kind, hash, nonce, from: q.account.address, fn: p.call.functionName, gas: p.gas.toString() }, 'sent');
          this.wake?.();
          return { hash, nonce, from: q.account.address, done };
        } catch (err) {
          lastErr = err;
          q.nonces.resync();
          if (isInsufficientFunds(err)) {
            this.outOfFunds(q.account.address, p.kind, decodeError(err));
            break;
          }
          if (!isNonceError(err)) break;
          this.log.warn({ kind: p.kind, nonce, error: shortMessage(err) }, 'nonce rejected: resynced, retrying');
        }
      }
      throw lastErr instanceof Error ? lastErr : new Error(String(lastErr));
    };
    const r = q.tail.then(run, run);
    q.tail = r.catch(() => undefined);
    return r;
  }

  private async broadcast(
    q: AccountQueue,
    tx: { to: Address; data: Hex; value: bigint; gas: bigint; nonce: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  ): Promise<Hex> {
    const serialized = await q.account.signTransaction({ type: 'eip1559', chainId: this.options.chainId, ...tx });
    return this.client.sendRawTransaction({ serializedTransaction: serialized });
  }

  /** Starts the receipt / replacement loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        if (this.pending.size > 0) {
          try {
            await this.tick();
          } catch (err) {
            this.log.warn({ error: shortMessage(err) }, 'receipt poll failed');
          }
        }
        await new Promise<void>((r) => {
          const t = setTimeout(r, this.pollMs);
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
        this.wake = undefined;
      }
    })();
  }

  /** Stops the loop; pending transactions stay unresolved unless `waitMs` lets them land first. */
  async stop(waitMs = 0): Promise<void> {
    const end = Date.now() + waitMs;
    while (this.pending.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, Math.min(100, this.pollMs)));
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** One pass: receipts for every pending transaction; replacement of stuck ones. */
  async tick(): Promise<void> {
    if (this.pending.size === 0) return;
    const head = await this.client.getBlockNumber({ cacheTime: 0 });
    for (const p of [...this.pending]) {
      const receipt = await this.findReceipt(p);
      if (receipt) {
        this.pending.delete(p);
        const status: TxStatus = receipt.status === 'success' ? 'success' : 'reverted';
        if (status === 'success') this.metrics?.txMined.inc({ kind: p.kind });
        else this.metrics?.txReverted.inc({ kind: p.kind });
        this.log[status === 'success' ? 'info' : 'warn']({ kind: p.kind, hash: receipt.transactionHash, block: receipt.blockNumber.toString(), gasUsed: receipt.gasUsed.toString() }, status === 'success' ? 'mined' : 'mined but reverted');
        p.resolve({ status, hash: receipt.transactionHash, receipt, replacements: p.replacements });
        continue;
      }
      if (head - p.sentBlock >= BigInt(this.options.stuckBlocks)) await this.replace(p, head);
    }
  }

  private async findReceipt(p: Pending): Promise<TransactionReceipt | undefined> {
    for (const hash of p.hashes) {
      try {
        return await this.client.getTransactionReceipt({ hash });
      } catch {
        // not mined (TransactionReceiptNotFoundError) or a transient error: try the next hash
      }
    }
    return undefined;
  }

  private async replace(p: Pending, head: bigint): Promise<void> {
    let current: Fees | undefined;
    try {
      current = await estimateFees(this.client, { ...this.options.fees, maxFeePerGas: 2n ** 255n });
    } catch {
      current = undefined;
    }
    const next = bumpFees(p.fees, current);
    if (next.maxFeePerGas > this.options.fees.maxFeePerGas) {
      if (!p.ceilingLogged) {
        p.ceilingLogged = true;
        this.metrics?.feeCeilingHit.inc({ kind: p.kind });
        this.log.error({ kind: p.kind, nonce: p.nonce, hash: p.hashes.at(-1), wanted: next.maxFeePerGas.toString(), ceiling: this.options.fees.maxFeePerGas.toString() }, 'ALERT stuck transaction: replacement would exceed the fee ceiling');
      }
      return;
    }
    // Still worth sending? A call that would now revert is replaced by a no-op that frees the nonce.
    let cancel = false;
    if (p.call) {
      try {
        await this.client.call({ account: p.queue.account.address, to: p.to, data: p.data, value: p.value });
      } catch (err) {
        cancel = true;
        this.log.info({ kind: p.kind, nonce: p.nonce, error: decodeError(err).message }, 'stuck transaction would now revert: cancelling');
      }
    }
    const tx = cancel
      ? { to: p.queue.account.address, data: '0x' as Hex, value: 0n, gas: 21_000n }
      : { to: p.to, data: p.data, value: p.value, gas: p.gas };
    try {
      const hash = await this.broadcast(p.queue, { ...tx, nonce: p.nonce, ...next });
      p.hashes.push(hash);
      p.fees = next;
      p.sentBlock = head;
      p.replacements++;
      this.metrics?.txReplaced.inc({ kind: p.kind });
      this.log.warn({ kind: p.kind, nonce: p.nonce, hash, maxFeePerGas: next.maxFeePerGas.toString(), cancel }, 'replaced stuck transaction');
    } catch (err) {
      if (isNonceError(err) && !/underpriced/i.test(shortMessage(err))) {
        // The nonce is used: one of our hashes is mined (found next tick) or something else took it.
        const mined = await this.client.getTransactionCount({ address: p.queue.account.address, blockTag: 'latest' });
        if (mined > p.nonce && !(await this.findReceipt(p))) {
          this.pending.delete(p);
          p.resolve({ status: 'dropped', hash: undefined, receipt: undefined, replacements: p.replacements });
        }
        return;
      }
      this.log.warn({ kind: p.kind, nonce: p.nonce, error: shortMessage(err) }, 'replacement failed');
      p.sentBlock = head;
    }
  }
}

function hasRevert(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 10 && e instanceof Error; i++) {
    if (/revert/i.test(e.name) || /execution reverted|reverted/i.test(e.message)) return true;
    e = e.cause;
  }
  return false;
}
