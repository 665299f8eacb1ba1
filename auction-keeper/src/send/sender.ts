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
// - Reorgs (`reconcile`, called on the indexer's reorg event and whenever a transaction about to
//   be replaced is unknown to the node): the next nonce is set from the chain's latest count plus
//   the run of our transactions the node still holds without a gap; everything after the first gap
//   is abandoned — resolved `dropped`, so the kicker and bidder re-plan from the (rolled-back)
//   index instead of re-sending stale calls — and nonces still occupied in the node's pool by
//   abandoned transactions are remembered: a new transaction at such a nonce outbids the old one,
//   and once a block has passed, the nonces nobody re-used are filled with 0-value self-transfers
//   so nothing stays queued behind a gap. Never a replacement for a transaction the node does not
//   hold (that was the replacement storm: 252 "replacements" of two vanished nonces). The pending
//   transactions the node still should hold are sent again unchanged at once (a node may have
//   dropped them from its pool with the reorg). Reorgs the index cannot see also reconcile: a
//   receipt of ours from a block the index then applies with another hash (`checkCanonical`), and a
//   lowest pending transaction the node no longer holds at the chain's next nonce is sent again with
//   those behind it (`resendLost`, one lookup per account and block).

import type { Logger } from 'pino';
import {
  type Abi,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
  decodeFunctionResult,
  encodeFunctionData,
} from 'viem';
import type { KeeperMetrics, TxKind } from '../metrics.ts';
import { decodeError, type DecodedError, isInsufficientFunds, isNonceError, isUnderpriced, shortMessage } from './errors.ts';
import { type FeePolicy, type Fees, FeeCeilingError, bumpFees, estimateFees, feesForAction } from './fees.ts';
import { NonceManager } from './nonce.ts';
import { PendingSimulator } from './pendingSimulator.ts';

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
  /** Date.now() when the simulation was requested. */
  readonly preparedAt: number;
  /** The action's own fee ceiling ({@link TxSender.priceFor}); replacements never go above it. */
  readonly ceilingPerGas?: bigint;
}

export interface SendOptions {
  /** Asked inside the account's queue right before signing: false → SendAbortedError, nothing sent. */
  readonly stillWanted?: () => boolean;
  /** Re-run the call at the pending block right before sending when the preparation is this old (ms). */
  readonly recheckAfterMs?: number;
}

/** A send stopped before signing: not wanted any more, or the call would now revert (a rival got there first). */
export class SendAbortedError extends Error {
  override readonly name = 'SendAbortedError';
  constructor(
    message: string,
    readonly error?: DecodedError,
  ) {
    super(message);
  }
}

export interface PrepareFailure {
  readonly ok: false;
  readonly reason: 'reverted' | 'fee-ceiling' | 'out-of-funds' | 'rpc';
  readonly error: DecodedError;
}

/** `cancelled`: replaced by a 0-value self-transfer ({@link TxSender.cancel}) that was mined. */
export type TxStatus = 'success' | 'reverted' | 'dropped' | 'cancelled';

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
  /** Private submission endpoint (eth_sendRawTransaction); the public pool is the fallback. */
  readonly relay?: PublicClient;
  /** Several broadcasts of one account in flight at once (default true). */
  readonly pipeline?: boolean;
}

type FeePair = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

interface AccountQueue {
  readonly account: PrivateKeyAccount;
  readonly nonces: NonceManager;
  tail: Promise<unknown>;
  /** Nonce → fees of an abandoned transaction the node may still hold in its pool. */
  readonly stale: Map<number, FeePair>;
  /** Head when `stale` was filled (gap filling waits one block for re-planned transactions). */
  staleSince: bigint;
  /** Recently resolved transactions (a reorg can put them back into the pool or drop them). */
  readonly recent: { readonly nonce: number; readonly hashes: readonly Hex[]; readonly fees: FeePair }[];
  /** Highest nonce used so far. */
  maxNonce: number;
  reconciling: Promise<void> | undefined;
  /** Pipelined broadcasts signed and not yet answered. */
  broadcasting: number;
}

interface Pending {
  readonly queue: AccountQueue;
  readonly kind: TxKind;
  readonly nonce: number;
  readonly to: Address;
  readonly data: Hex;
  readonly value: bigint;
  readonly gas: bigint;
  /** The call (undefined for a self-transfer: gap fill or cancel). */
  call: ContractCall | undefined;
  readonly hashes: Hex[];
  fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
  sentBlock: bigint;
  replacements: number;
  ceilingLogged: boolean;
  /** The hash of the self-transfer that cancels it ({@link TxSender.cancel}). */
  cancelHash: Hex | undefined;
  /** Replacements stay at or below this (the config's ceiling, or the action's own). */
  readonly ceiling: bigint;
  resolve: (o: TxOutcome) => void;
}

export class TxSender {
  private readonly client: PublicClient;
  private readonly queues = new Map<LaneName, AccountQueue>();
  private readonly pending = new Set<Pending>();
  /** The block hash each of our recent receipts came from, by block number ({@link checkCanonical}). */
  private readonly minedIn = new Map<bigint, Hex>();
  private readonly log: Logger;
  private readonly metrics: KeeperMetrics | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly pollMs: number;
  private readonly gasBufferPct: bigint;
  /** Per lane: moves when a send starts and when it ends ({@link sendEpoch}); sends under way. */
  private readonly epochs = new Map<LaneName, { moves: number; sending: number }>();

  constructor(private readonly options: SenderOptions) {
    this.client = options.client;
    this.log = options.logger;
    this.metrics = options.metrics;
    this.pollMs = options.pollMs ?? 250;
    this.gasBufferPct = BigInt(options.gasBufferPct ?? 120);
    this.pendingSim = new PendingSimulator(this.client);
    const byAddress = new Map<string, AccountQueue>();
    for (const lane of LANES) {
      const account = options.accounts[lane];
      const key = account.address.toLowerCase();
      let q = byAddress.get(key);
      if (!q) {
        q = { account, nonces: new NonceManager(this.client, account.address), tail: Promise.resolve(), stale: new Map(), staleSince: 0n, recent: [], maxNonce: -1, reconciling: undefined, broadcasting: 0 };
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

  /** The lane's next nonce as the sender sees it (undefined before first use). */
  nextNonce(lane: LaneName): number | undefined {
    return this.queue(lane).nonces.peek();
  }

  /** Transactions sent and not yet resolved. */
  pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Simulates the call from the lane's account, estimates gas and fees and checks the balance, in
   * parallel. A revert comes back decoded; nothing is sent. `batched`: the simulation shares one
   * eth_simulateV1 with the calls asked meanwhile and the gas is estimated at the latest block (for
   * many calls at once, e.g. the takes of a pass).
   */
  async prepare(lane: LaneName, kind: TxKind, call: ContractCall, opts: { gas?: bigint; batched?: boolean } = {}): Promise<Prepared | PrepareFailure> {
    const { account } = this.queue(lane);
    const preparedAt = Date.now();
    // Against the pending block: the transaction lands in the next block, and what it checks can
    // depend on the block number (the liquidation engine's per-block cap resets every block; at
    // 'latest' a capped block reads NoRoom although the next block has room) and on the time.
    const base = { account: account.address, address: call.address, abi: call.abi, functionName: call.functionName, args: call.args, value: call.value, blockTag: 'pending' as const };
    type Sim = { ok: true; result: unknown } | { ok: false; error: unknown };
    type Est = { ok: true; gas: bigint } | { ok: false; error: unknown };
    const callAndEstimate = (): Promise<[Sim, Est]> =>
      Promise.all([
        this.client.simulateContract(base as Parameters<PublicClient['simulateContract']>[0]).then(
          (r): Sim => ({ ok: true, result: r.result }),
          (e: unknown): Sim => ({ ok: false, error: e }),
        ),
        opts.gas !== undefined
          ? Promise.resolve<Est>({ ok: true, gas: opts.gas })
          : this.client.estimateContractGas(base as Parameters<PublicClient['estimateContractGas']>[0]).then(
              (g): Est => ({ ok: true, gas: (g * this.gasBufferPct) / 100n }),
              (e: unknown): Est => ({ ok: false, error: e }),
            ),
      ]);
    // Batched: the result from the pending simulation shared with other calls, the gas from an
    // estimate at the latest block (no pool under it; the pending one is asked only if that fails).
    // Not the simulation's own gas: a take simulated behind others in one block reported less gas
    // than it needed when mined (× 5/4 of it ran out of gas in the chaos suite).
    const estimateLatestThenPending = (): Promise<Est> =>
      this.client.estimateContractGas({ ...base, blockTag: 'latest' } as Parameters<PublicClient['estimateContractGas']>[0]).then(
        (g): Est => ({ ok: true, gas: (g * this.gasBufferPct) / 100n }),
        () =>
          this.client.estimateContractGas(base as Parameters<PublicClient['estimateContractGas']>[0]).then(
            (g): Est => ({ ok: true, gas: (g * this.gasBufferPct) / 100n }),
            (e: unknown): Est => ({ ok: false, error: e }),
          ),
      );
    const simAndGas: Promise<[Sim, Est]> =
      opts.gas === undefined && opts.batched === true && this.pendingSim.supported
        ? this.simulateOne(account.address, call).then((r): Promise<[Sim, Est]> | [Sim, Est] => {
            if (r === undefined) return callAndEstimate();
            if (!r.ok) return [r, { ok: true, gas: 0n }];
            return estimateLatestThenPending().then((g): [Sim, Est] => [r, g]);
          })
        : callAndEstimate();
    const fees = this.sharedFees().then(
      (f) => ({ ok: true as const, fees: f }),
      (e: unknown) => ({ ok: false as const, error: e }),
    );
    const balance = this.sharedBalance(account.address);
    const [[s, g], f, bal] = await Promise.all([simAndGas, fees, balance]);
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
      this.broke.delete(account.address);
    }
    const data = encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args });
    return { ok: true, lane, kind, call, data, gas: g.gas, fees: f.fees, result: s.result, maxCostWei, preparedAt };
  }

  /** Simulations at the pending block, batched (prepare with `batched`, and the re-check before signing). */
  private readonly pendingSim: PendingSimulator;

  /**
   * The call at the pending block through the batched eth_simulateV1 (one execution of the node's
   * pool for every call asked meanwhile, instead of one per call): its result or revert. Undefined
   * when the node does not offer eth_simulateV1.
   */
  private async simulateOne(from: Address, call: ContractCall): Promise<{ ok: true; result: unknown } | { ok: false; error: unknown } | undefined> {
    const data = encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args });
    let r;
    try {
      r = await this.pendingSim.simulate({ from, to: call.address, data, value: call.value });
    } catch (err) {
      return { ok: false, error: err };
    }
    if (r === undefined) return undefined;
    if (!r.ok) return { ok: false, error: new SimulatedRevertError(r.message, r.revertData) };
    return { ok: true, result: decodeFunctionResult({ abi: call.abi, functionName: call.functionName, data: r.returnData }) };
  }

  /** Base-fee read in flight, shared by every preparation started meanwhile. */
  private feesInFlight: Promise<Fees> | undefined;
  /** Balance reads in flight per account, shared likewise. */
  private readonly balanceInFlight = new Map<Address, Promise<bigint | undefined>>();

  /**
   * The latest block's fees, one read for all preparations that start while it is in flight: 300
   * takes prepared at once ask the node once, not 300 times (on a loaded node every request counts).
   */
  private sharedFees(): Promise<Fees> {
    this.feesInFlight ??= estimateFees(this.client, this.options.fees).finally(() => {
      this.feesInFlight = undefined;
    });
    return this.feesInFlight;
  }

  /** The account's balance (undefined when the read fails), shared like {@link sharedFees}. */
  private sharedBalance(address: Address): Promise<bigint | undefined> {
    let p = this.balanceInFlight.get(address);
    if (!p) {
      p = this.client
        .getBalance({ address })
        .catch(() => undefined)
        .finally(() => this.balanceInFlight.delete(address));
      this.balanceInFlight.set(address, p);
    }
    return p;
  }

  /**
   * Re-prices a preparation for what the action earns (`valueWei` before gas, `shareBps` of it at
   * most for gas): fees follow the base fee the preparation saw up to the action's own ceiling
   * (fees.ts `feesForAction`). Pure: no round trip. A failure means not worth sending at this base fee.
   */
  priceFor(p: Prepared, valueWei: bigint, shareBps: bigint): Prepared | PrepareFailure {
    try {
      const fees = feesForAction(p.fees.baseFeePerGas, this.options.fees, { valueWei, gas: p.gas, shareBps });
      return { ...p, fees, maxCostWei: p.gas * fees.maxFeePerGas, ceilingPerGas: fees.maxFeePerGas };
    } catch (err) {
      if (!(err instanceof FeeCeilingError)) throw err;
      this.metrics?.feeCeilingHit.inc({ kind: p.kind });
      this.log.info({ kind: p.kind, needed: err.needed.toString(), ceiling: err.ceiling.toString(), valueWei: valueWei.toString() }, 'base fee above what this action is worth: not sending now');
      return { ok: false, reason: 'fee-ceiling', error: { name: 'FeeCeiling', message: err.message } };
    }
  }

  /**
   * The preparation with other arguments for the same function, re-encoded with no round trip: for
   * an argument that does not change what the call costs, such as a minimum profit set from the
   * gas cost the preparation measured.
   */
  withArgs(p: Prepared, args: readonly unknown[]): Prepared {
    const call = { ...p.call, args };
    return { ...p, call, data: encodeFunctionData({ abi: call.abi, functionName: call.functionName, args }) };
  }

  /** Accounts whose last preparation could not pay for gas. */
  readonly broke = new Set<Address>();

  private outOfFunds(account: Address, kind: TxKind, error: DecodedError): PrepareFailure {
    this.broke.add(account);
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

  /** Runs `fn` in the account's queue: nonce allocation and broadcast never interleave. */
  private serialized<T>(q: AccountQueue, fn: () => Promise<T>): Promise<T> {
    const r = q.tail.then(fn, fn);
    q.tail = r.catch(() => undefined);
    return r;
  }

  /** Fees for `nonce`: at least a valid replacement of an abandoned transaction still in the pool. */
  private feesAt(q: AccountQueue, nonce: number, fees: FeePair): FeePair {
    const old = q.stale.get(nonce);
    if (!old) return fees;
    const bumped = bumpFees(old);
    return {
      maxFeePerGas: bumped.maxFeePerGas > fees.maxFeePerGas ? bumped.maxFeePerGas : fees.maxFeePerGas,
      maxPriorityFeePerGas: bumped.maxPriorityFeePerGas > fees.maxPriorityFeePerGas ? bumped.maxPriorityFeePerGas : fees.maxPriorityFeePerGas,
    };
  }

  private used(q: AccountQueue, nonce: number): void {
    if (nonce > q.maxNonce) q.maxNonce = nonce;
    for (const n of q.stale.keys()) if (n <= nonce) q.stale.delete(n);
  }

  /**
   * Broadcasts a prepared transaction on its lane's account. Nonce allocation and signing run in the
   * account's queue; the broadcast itself does not (pipelined: several transactions of one lane in
   * flight, one round trip each, not one after the other), unless the account has abandoned
   * transactions in the pool or is being reconciled, when everything runs in order as before.
   * A pipelined broadcast that fails reconciles the account with the chain and retries in order.
   * `opts.stillWanted` is asked inside the queue right before signing, `opts.recheckAfterMs` re-runs
   * the call at the pending block when the preparation is older: a take a rival's already beat is
   * not sent (SendAbortedError, nothing spent).
   */
  async send(p: Prepared, opts: SendOptions = {}): Promise<TxHandle> {
    const e = this.epochs.get(p.lane) ?? { moves: 0, sending: 0 };
    this.epochs.set(p.lane, e);
    e.moves++;
    e.sending++;
    try {
      return await this.sendNow(p, opts);
    } finally {
      e.sending--;
      e.moves++;
    }
  }

  /**
   * A number that moves whenever a send on `lane` starts or ends, and whether one is under way: a
   * read of the pending state taken at one epoch counts every transaction of the lane only if the
   * epoch is unchanged and nothing was being sent (the kicker's room read ahead of its pass).
   */
  sendEpoch(lane: LaneName): { readonly epoch: number; readonly sending: boolean } {
    const e = this.epochs.get(lane);
    return { epoch: e?.moves ?? 0, sending: (e?.sending ?? 0) > 0 };
  }

  private async sendNow(p: Prepared, opts: SendOptions): Promise<TxHandle> {
    const q = this.queue(p.lane);
    await this.recheck(q, p, opts);
    if (!this.pipelined(q)) return this.serialized(q, () => this.sendInOrder(q, p, opts));
    const signed = await this.serialized(q, async () => {
      if (opts.stillWanted && !opts.stillWanted()) throw new SendAbortedError('no longer wanted (its auction or vault changed)');
      if (!this.pipelined(q)) return undefined;
      const nonce = await q.nonces.take();
      const fees = { maxFeePerGas: p.fees.maxFeePerGas, maxPriorityFeePerGas: p.fees.maxPriorityFeePerGas };
      const raw = await q.account.signTransaction({ type: 'eip1559', chainId: this.options.chainId, to: p.call.address, data: p.data, value: p.call.value ?? 0n, gas: p.gas, nonce, ...fees });
      q.broadcasting++;
      return { nonce, fees, raw };
    });
    if (!signed) return this.serialized(q, () => this.sendInOrder(q, p, opts));
    let hash: Hex;
    try {
      hash = await this.submit(signed.raw, signed.nonce);
    } catch (err) {
      q.broadcasting--;
      if (isInsufficientFunds(err)) {
        this.outOfFunds(q.account.address, p.kind, decodeError(err));
        q.nonces.resync();
        throw err;
      }
      this.log.warn({ kind: p.kind, nonce: signed.nonce, error: shortMessage(err) }, 'pipelined broadcast failed: reconciling the nonces, then sending in order');
      try {
        await this.reconcileQueue(q, 'pipelined broadcast failed');
      } catch {
        q.nonces.resync();
        throw err;
      }
      return this.serialized(q, () => this.sendInOrder(q, p, opts));
    }
    q.broadcasting--;
    this.used(q, signed.nonce);
    return this.track(q, p, signed.nonce, signed.fees, hash);
  }

  /** Pipelining is off for an account with abandoned transactions in the pool or under reconciliation. */
  private pipelined(q: AccountQueue): boolean {
    return this.options.pipeline !== false && q.stale.size === 0 && q.reconciling === undefined;
  }

  /** `opts.recheckAfterMs`: the call again at the pending block when the preparation has aged. */
  private async recheck(q: AccountQueue, p: Prepared, opts: SendOptions): Promise<void> {
    if (opts.stillWanted && !opts.stillWanted()) throw new SendAbortedError('no longer wanted (its auction or vault changed)');
    if (opts.recheckAfterMs === undefined || Date.now() - p.preparedAt < opts.recheckAfterMs) return;
    const batched = await this.pendingSim.simulate({ from: q.account.address, to: p.call.address, data: p.data, value: p.call.value }).catch(() => null);
    if (batched === null) return; // an RPC problem is no proof: send
    if (batched !== undefined) {
      if (batched.ok) return;
      const error = decodeError(new SimulatedRevertError(batched.message, batched.revertData));
      this.metrics?.simulationReverted.inc({ kind: p.kind, error: error.name ?? 'recheck' });
      throw new SendAbortedError(`would now revert: ${error.message}`, error);
    }
    try {
      await this.client.call({ account: q.account.address, to: p.call.address, data: p.data, value: p.call.value, blockTag: 'pending' });
    } catch (err) {
      const error = decodeError(err);
      if (error.name === undefined && !hasRevert(err)) return; // an RPC problem is no proof: send
      this.metrics?.simulationReverted.inc({ kind: p.kind, error: error.name ?? 'recheck' });
      throw new SendAbortedError(`would now revert: ${error.message}`, error);
    }
  }

  /** Registers a broadcast transaction for receipts and replacement. */
  private track(q: AccountQueue, p: Prepared, nonce: number, fees: FeePair, hash: Hex): TxHandle {
    // No round trip here (this is the hot path): the receipt loop stamps the head it sees next.
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
      value: p.call.value ?? 0n,
      gas: p.gas,
      call: p.call,
      hashes: [hash],
      fees,
      sentBlock: 0n,
      replacements: 0,
      ceilingLogged: false,
      cancelHash: undefined,
      ceiling: p.ceilingPerGas ?? this.options.fees.maxFeePerGas,
      resolve,
    });
    this.metrics?.txSent.inc({ kind: p.kind });
    this.log.info({ kind: p.kind, hash, nonce, from: q.account.address, fn: p.call.functionName, gas: p.gas.toString() }, 'sent');
    this.wake?.();
    return { hash, nonce, from: q.account.address, done };
  }

  /** The in-order path (inside the account's queue): retries nonce problems and outbids abandoned transactions. */
  private async sendInOrder(q: AccountQueue, p: Prepared, opts: SendOptions): Promise<TxHandle> {
    if (opts.stillWanted && !opts.stillWanted()) throw new SendAbortedError('no longer wanted (its auction or vault changed)');
    const value = p.call.value ?? 0n;
    let lastErr: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const nonce = await q.nonces.take();
      const fees = this.feesAt(q, nonce, { maxFeePerGas: p.fees.maxFeePerGas, maxPriorityFeePerGas: p.fees.maxPriorityFeePerGas });
      try {
        const hash = await this.broadcast(q, { to: p.call.address, data: p.data, value, gas: p.gas, nonce, ...fees });
        this.used(q, nonce);
        return this.track(q, p, nonce, fees, hash);
      } catch (err) {
        lastErr = err;
        if (isUnderpriced(err) && !/^transaction underpriced/i.test(shortMessage(err))) {
          // The nonce is held in the pool by a transaction we no longer track (abandoned after a
          // reorg): outbid it at the same nonce rather than skipping ahead of a gap.
          q.stale.set(nonce, fees);
          q.nonces.set(nonce);
          this.log.warn({ kind: p.kind, nonce }, 'nonce held in the pool: outbidding it');
          continue;
        }
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
  }

  /**
   * Stops a transaction still waiting for a block (a rival's take for the same auction landed first):
   * replaces it at its nonce with a 0-value self-transfer at bumped fees. Its outcome becomes
   * `cancelled` when the cancel is mined (or its own status if it was mined first). False when it is
   * no longer pending or the replacement could not be sent.
   */
  cancel(hash: Hex, why: string): Promise<boolean> {
    const p = [...this.pending].find((x) => x.hashes.includes(hash));
    if (!p || p.cancelHash !== undefined) return Promise.resolve(false);
    const q = p.queue;
    return this.serialized(q, async () => {
      if (!this.pending.has(p) || p.cancelHash !== undefined) return false;
      let current: Fees | undefined;
      try {
        current = await estimateFees(this.client, { ...this.options.fees, maxFeePerGas: 2n ** 255n });
      } catch {
        current = undefined;
      }
      const next = bumpFees(p.fees, current);
      if (next.maxFeePerGas > this.options.fees.maxFeePerGas) return false;
      try {
        const h = await this.broadcast(q, { to: q.account.address, data: '0x', value: 0n, gas: 21_000n, nonce: p.nonce, ...next });
        p.hashes.push(h);
        p.cancelHash = h;
        p.fees = next;
        p.call = undefined;
        this.metrics?.txReplaced.inc({ kind: 'cancel' });
        this.log.info({ kind: p.kind, nonce: p.nonce, hash: h, why }, 'cancelled a pending transaction');
        return true;
      } catch (err) {
        // Mined already (nonce too low) or the node refused: the receipt loop resolves it.
        this.log.debug({ kind: p.kind, nonce: p.nonce, error: shortMessage(err) }, 'cancel not sent');
        return false;
      }
    });
  }

  private async broadcast(
    q: AccountQueue,
    tx: { to: Address; data: Hex; value: bigint; gas: bigint; nonce: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  ): Promise<Hex> {
    const serialized = await q.account.signTransaction({ type: 'eip1559', chainId: this.options.chainId, ...tx });
    return this.submit(serialized, tx.nonce);
  }

  /** Relay first (when configured), the public pool as fallback. */
  private async submit(serialized: Hex, nonce: number): Promise<Hex> {
    const relay = this.options.relay;
    if (relay) {
      try {
        const hash = await relay.sendRawTransaction({ serializedTransaction: serialized });
        this.metrics?.relaySubmissions.inc({ result: 'ok' });
        return hash;
      } catch (err) {
        // A nonce or funds problem is the transaction's, not the relay's: the caller handles it.
        if (isNonceError(err) || isInsufficientFunds(err)) throw err;
        this.metrics?.relaySubmissions.inc({ result: 'fallback' });
        this.log.warn({ nonce, error: shortMessage(err) }, 'relay refused or did not answer: sending to the public mempool');
      }
    }
    return this.client.sendRawTransaction({ serializedTransaction: serialized });
  }

  /** Starts the receipt / replacement loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    // Read every account's nonce now, not on the first (urgent) send.
    for (const q of new Set(this.queues.values())) {
      void this.serialized(q, async () => {
        if (q.nonces.peek() === undefined) q.nonces.set(await this.client.getTransactionCount({ address: q.account.address, blockTag: 'pending' }));
      }).catch(() => undefined);
    }
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

  /** The head the receipts were last asked at. */
  private receiptsHead = -1n;

  /** One pass: receipts for every pending transaction; replacement of stuck ones. */
  async tick(): Promise<void> {
    const gaps = [...new Set(this.queues.values())].filter((q) => q.stale.size > 0);
    if (this.pending.size === 0 && gaps.length === 0) return;
    const head = await this.client.getBlockNumber({ cacheTime: 0 });
    for (const q of gaps) if (head > q.staleSince && !q.reconciling) await this.fillGaps(q);
    // Receipts only once a block has come since the last look (nothing can be mined without one):
    // with 300 takes in flight and a 100 ms poll, asking every poll was 3,000 requests a second.
    if (head === this.receiptsHead) {
      for (const p of this.pending) if (p.sentBlock === 0n) p.sentBlock = head;
      return;
    }
    this.receiptsHead = head;
    // Every pending transaction's receipt at once (in parallel), not one round trip after
    // another: with 64 takes in flight and 300 ms to the node a sequential pass took 19 s, and
    // transactions long mined looked stuck.
    const all = [...this.pending];
    const receipts = await Promise.all(all.map((p) => this.findReceipt(p)));
    for (const [i, p] of all.entries()) {
      if (!this.pending.has(p)) continue;
      if (p.sentBlock === 0n) p.sentBlock = head;
      const receipt = receipts[i];
      if (receipt) {
        this.pending.delete(p);
        this.remember(p);
        this.minedIn.set(receipt.blockNumber, receipt.blockHash);
        if (this.minedIn.size > 256) this.minedIn.delete(this.minedIn.keys().next().value as bigint);
        const status: TxStatus = receipt.status !== 'success' ? 'reverted' : receipt.transactionHash === p.cancelHash ? 'cancelled' : 'success';
        if (status === 'success') this.metrics?.txMined.inc({ kind: p.kind });
        else this.metrics?.txReverted.inc({ kind: p.kind });
        this.log[status === 'success' ? 'info' : 'warn']({ kind: p.kind, hash: receipt.transactionHash, block: receipt.blockNumber.toString(), gasUsed: receipt.gasUsed.toString() }, status === 'success' ? 'mined' : 'mined but reverted');
        p.resolve({ status, hash: receipt.transactionHash, receipt, replacements: p.replacements });
        continue;
      }
      if (head - p.sentBlock >= BigInt(this.options.stuckBlocks)) {
        // A transaction behind a nonce gap (the chain's count is below it and none of ours fills
        // the nonces in between: a reorg took them) is not replaced — no fee makes it minable;
        // its nonce and its plan are reconciled with the chain instead.
        if (await this.behindGap(p)) await this.reconcileQueue(p.queue, 'pending transaction behind a nonce gap');
        else await this.replace(p, head);
      }
    }
    await this.resendLost(head);
  }

  /**
   * Per account, the lowest-nonce transaction still pending a block after it was sent: when the
   * node no longer knows it, it was lost from the pool (anvil drops its pool on a reorg, also when
   * the index never saw the replaced block), and it and every pending one behind it are sent again
   * unchanged now rather than at the stuck check. One lookup per account and block.
   */
  private async resendLost(head: bigint): Promise<void> {
    const lowest = new Map<AccountQueue, Pending>();
    for (const p of this.pending) {
      const cur = lowest.get(p.queue);
      if (!cur || p.nonce < cur.nonce) lowest.set(p.queue, p);
    }
    await Promise.all(
      [...lowest.values()].map(async (p) => {
        if (p.sentBlock === 0n || head - p.sentBlock < 1n || p.queue.reconciling !== undefined || p.queue.stale.size > 0) return;
        if (await this.knownToNode(p.hashes)) return;
        // Only the chain's next nonce: one behind a gap is the reconcile's (and a node may hide a
        // transaction priced below the base fee, which the stuck check replaces).
        const latest = await this.client.getTransactionCount({ address: p.queue.account.address, blockTag: 'latest' });
        if (p.nonce !== latest || !this.pending.has(p)) return;
        const behind = [...this.pending].filter((o) => o.queue === p.queue).sort((x, y) => x.nonce - y.nonce);
        await Promise.all(behind.map((o) => this.rebroadcast(o, undefined, 'lost from the node\'s pool: sent again')));
      }),
    );
  }

  private remember(p: Pending): void {
    p.queue.recent.push({ nonce: p.nonce, hashes: p.hashes, fees: p.fees });
    if (p.queue.recent.length > 512) p.queue.recent.splice(0, p.queue.recent.length - 512);
  }

  private resolveDropped(p: Pending): void {
    this.pending.delete(p);
    this.metrics?.txDropped.inc({ kind: p.kind });
    p.resolve({ status: 'dropped', hash: undefined, receipt: undefined, replacements: p.replacements });
  }

  private async behindGap(p: Pending): Promise<boolean> {
    const latest = await this.client.getTransactionCount({ address: p.queue.account.address, blockTag: 'latest' });
    const ours = new Set([...this.pending].filter((o) => o.queue === p.queue).map((o) => o.nonce));
    for (let n = latest; n < p.nonce; n++) if (!ours.has(n)) return true;
    return false;
  }

  /** True when the node holds any of these transactions in its pool (or does not say: an RPC error). */
  private async knownToNode(hashes: readonly Hex[]): Promise<boolean> {
    const found = await Promise.all(
      hashes.map((hash) =>
        this.client.request({ method: 'eth_getTransactionByHash', params: [hash] }).then(
          // In the pool: no block. A node may still return an orphan of a replaced block with its
          // old block number: for a nonce the chain has not used, that is not held.
          (tx) => tx !== null && tx.blockNumber === null,
          () => undefined,
        ),
      ),
    );
    if (found.includes(true)) return true;
    // An RPC error is not proof of absence.
    return found.includes(undefined);
  }

  /**
   * The index applied block `number` with `hash`. When a receipt of ours came from another block of
   * that number, the chain replaced it: nonces are reconciled at once (true). The index alone does
   * not see such a reorg when it had not applied the replaced block yet (a depth-1 reorg right
   * after our kicks were mined): the kicks re-planned for the vaults then queued behind a nonce
   * the chain no longer had, until the stuck check two blocks later.
   */
  checkCanonical(number: bigint, hash: Hex): boolean {
    const ours = this.minedIn.get(number);
    if (ours === undefined || ours.toLowerCase() === hash.toLowerCase()) return false;
    this.minedIn.delete(number);
    this.reconcile('a block our transactions were mined in was replaced').catch((err: unknown) => {
      this.log.warn({ error: shortMessage(err) }, 'nonce reconcile failed (retried when a transaction is due)');
    });
    return true;
  }

  /**
   * Brings every account's nonce and pending set in line with the chain (after a reorg): see the
   * header. Dropped transactions resolve `dropped`; their senders re-plan from the index.
   */
  async reconcile(reason: string): Promise<void> {
    await Promise.all([...new Set(this.queues.values())].map((q) => this.reconcileQueue(q, reason)));
  }

  private reconcileQueue(q: AccountQueue, reason: string): Promise<void> {
    if (q.reconciling) return q.reconciling;
    const run = this.serialized(q, async () => {
      // Pipelined broadcasts still on the wire land (or fail) first: the node's answer counts them.
      for (const end = Date.now() + 5_000; q.broadcasting > 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
      const address = q.account.address;
      const [latest, head] = await Promise.all([
        this.client.getTransactionCount({ address, blockTag: 'latest' }),
        this.client.getBlockNumber({ cacheTime: 0 }),
      ]);
      const mine = [...this.pending].filter((p) => p.queue === q);
      // Our transactions by nonce: pending ones, and resolved ones a reorg may have undone.
      const byNonce = new Map<number, { hashes: readonly Hex[]; fees: FeePair; pending: Pending | undefined }>();
      for (const r of q.recent) if (r.nonce >= latest) byNonce.set(r.nonce, { hashes: r.hashes, fees: r.fees, pending: undefined });
      for (const p of mine) byNonce.set(p.nonce, { hashes: p.hashes, fees: p.fees, pending: p });
      let dropped = 0;
      for (const p of mine) {
        if (p.nonce < latest && !(await this.findReceipt(p))) {
          // The nonce is used on chain by none of our hashes.
          this.resolveDropped(p);
          dropped++;
        }
      }
      const top = Math.max(q.maxNonce, ...byNonce.keys());
      // Still held by the node: a pending transaction is assumed held (the node's answer about
      // pool contents is not reliable: anvil does not return a transaction priced below the base
      // fee; if it was lost, the stuck check finds the gap or re-broadcasts it); a resolved one a
      // reorg undid is held only if the node returns it (geth puts it back into the pool).
      const known = await Promise.all(
        Array.from({ length: Math.max(0, top - latest + 1) }, (_, i) => {
          const e = byNonce.get(latest + i);
          if (!e) return Promise.resolve(false);
          return e.pending ? Promise.resolve(true) : this.knownToNode(e.hashes);
        }),
      );
      let next = latest;
      let gap = false;
      let stale = 0;
      for (let i = 0; i < known.length; i++) {
        const n = latest + i;
        const e = byNonce.get(n);
        if (!gap && known[i] === true) {
          next = n + 1;
          continue;
        }
        gap = true;
        if (known[i] === true && e) {
          q.stale.set(n, e.fees);
          stale++;
        }
        if (e?.pending && this.pending.has(e.pending)) {
          this.resolveDropped(e.pending);
          dropped++;
        }
      }
      for (const n of q.stale.keys()) if (n < next) q.stale.delete(n);
      // Our pending transactions from the chain's nonce on, sent again unchanged now (the node that
      // holds one answers "already known"): a reorg may have taken them out of the node's pool too
      // (anvil does), and waiting for the stuck check cost two blocks after a depth-5 reorg.
      const held = mine.filter((p) => p.nonce >= latest && p.nonce < next && this.pending.has(p));
      await Promise.all(held.map((p) => this.rebroadcast(p, undefined, 'sent again after a reorg')));
      const before = q.nonces.peek();
      q.nonces.set(next);
      q.maxNonce = Math.max(next - 1, ...q.stale.keys());
      q.staleSince = head;
      q.recent.splice(0, q.recent.length);
      this.metrics?.nonceResyncs.inc();
      this.log.warn({ account: address, reason, chainNonce: latest, next, localBefore: before, dropped, staleInPool: stale }, 'nonces reconciled with the chain');
    });
    q.reconciling = run.finally(() => {
      q.reconciling = undefined;
    });
    return q.reconciling;
  }

  /** Fills nonces still held in the pool by abandoned transactions that nothing re-used: 0-value self-transfers. */
  private fillGaps(q: AccountQueue): Promise<void> {
    return this.serialized(q, async () => {
      if (q.stale.size === 0) return;
      const top = Math.max(...q.stale.keys());
      let fees: Fees;
      try {
        fees = await estimateFees(this.client, this.options.fees);
      } catch (err) {
        this.log.warn({ error: shortMessage(err) }, 'gap fill: no fee estimate');
        return;
      }
      for (let nonce = await q.nonces.take(); ; nonce = await q.nonces.take()) {
        const f = this.feesAt(q, nonce, fees);
        try {
          const hash = await this.broadcast(q, { to: q.account.address, data: '0x', value: 0n, gas: 21_000n, nonce, ...f });
          this.used(q, nonce);
          const head = await this.client.getBlockNumber({ cacheTime: 0 }).catch(() => 0n);
          this.pending.add({ queue: q, kind: 'cancel', nonce, to: q.account.address, data: '0x', value: 0n, gas: 21_000n, call: undefined, hashes: [hash], fees: f, sentBlock: head, replacements: 0, ceilingLogged: false, cancelHash: undefined, ceiling: this.options.fees.maxFeePerGas, resolve: () => undefined });
          this.metrics?.txSent.inc({ kind: 'cancel' });
          this.log.info({ nonce, hash }, 'filled a nonce held by an abandoned transaction');
        } catch (err) {
          q.nonces.set(nonce);
          this.log.warn({ nonce, error: shortMessage(err) }, 'gap fill failed');
          return;
        }
        if (nonce >= top) break;
      }
      q.stale.clear();
    });
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

  /**
   * Sends the last version of a stuck transaction again, unchanged (same nonce, fees and so the same
   * hash), when its fees cannot be raised. A node that holds it answers "already known"; one that lost
   * it takes it back: anvil drops a reorg's transactions from its pool, and a keeper whose fee ceiling
   * forbade a bump used to wait on them for good.
   */
  private async rebroadcast(p: Pending, head: bigint | undefined, why = 'stuck transaction at its fee ceiling: sent again unchanged'): Promise<void> {
    const tx = p.cancelHash !== undefined
      ? { to: p.queue.account.address, data: '0x' as Hex, value: 0n, gas: 21_000n }
      : { to: p.to, data: p.data, value: p.value, gas: p.gas };
    // `head` restarts the stuck clock (the fee-ceiling case); undefined keeps it running.
    if (head !== undefined) p.sentBlock = head;
    try {
      await this.broadcast(p.queue, { ...tx, nonce: p.nonce, ...p.fees });
      this.log.warn({ kind: p.kind, nonce: p.nonce }, why);
    } catch (err) {
      if (!isAlreadyKnown(err) && !isNonceError(err)) this.log.warn({ kind: p.kind, nonce: p.nonce, error: shortMessage(err) }, 're-broadcast failed');
    }
  }

  private async replace(p: Pending, head: bigint): Promise<void> {
    let current: Fees | undefined;
    try {
      current = await estimateFees(this.client, { ...this.options.fees, maxFeePerGas: 2n ** 255n });
    } catch {
      current = undefined;
    }
    const next = bumpFees(p.fees, current);
    if (next.maxFeePerGas > p.ceiling) {
      if (!p.ceilingLogged) {
        p.ceilingLogged = true;
        this.metrics?.feeCeilingHit.inc({ kind: p.kind });
        this.log.error({ kind: p.kind, nonce: p.nonce, hash: p.hashes.at(-1), wanted: next.maxFeePerGas.toString(), ceiling: p.ceiling.toString() }, 'ALERT stuck transaction: replacement would exceed the fee ceiling');
      }
      await this.rebroadcast(p, head);
      return;
    }
    // Still worth sending? A call that would now revert is replaced by a no-op that frees the nonce.
    let cancel = p.cancelHash !== undefined;
    if (p.call && !cancel) {
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
      if (cancel) {
        p.cancelHash = hash;
        p.call = undefined;
      }
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

function isAlreadyKnown(err: unknown): boolean {
  return /already known|already imported|known transaction/i.test(shortMessage(err));
}

/** A call that reverted in eth_simulateV1 (its revert data, for the SDK's decoder). */
class SimulatedRevertError extends Error {
  override readonly name = 'SimulatedRevertError';
  constructor(
    message: string,
    readonly data: Hex | undefined,
  ) {
    super(/revert/i.test(message) ? message : `execution reverted: ${message}`);
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
