// Detection-to-kick accounting, as the system test states it: a vault that became unsafe must be
// liquidated within 2 blocks, except where the protocol's own limits (room in auctions, the
// per-block cap) held it back; then within 2 blocks of the limits allowing it.
//
// A block "had room" for an ilk when, after the block, the liquidation engine's room for the ilk
// was still at least the smallest auction it starts (dust × penalty): a keeper could have
// liquidated one more vault of that ilk in it. Blocks without room do not count against the
// keeper. A vault is on time when at most one block with room passed between the block it
// became unsafe in and the block it was liquidated in (so it went in the first or second block
// it could have).

/** One unsafe episode of a vault: from the block it became (or stayed, after a partial) unsafe. */
export interface Episode {
  readonly ilk: string;
  readonly owner: string;
  /** Last block whose state left the vault unsafe first (the kick can land in unsafeAt + 1 at best). */
  readonly unsafeAt: bigint;
  /** Block of the liquidation, or undefined (still waiting at the end, or safe again). */
  readonly kickedAt: bigint | undefined;
  /** Blocks with room strictly between unsafeAt and kickedAt (or the end / recovery). */
  readonly roomyBlocksWaited: number;
  readonly outcome: 'kicked' | 'recovered' | 'waiting';
  /** The vault turned unsafe in `unsafeAt` (not: still unsafe after a partial liquidation, or at the observer's start). */
  readonly startedFresh: boolean;
}

export type Verdict = 'onTime' | 'heldBackByLimits' | 'late' | 'pendingAtEnd';

/** Whether the keeper met the rule for one episode. */
export function verdict(e: Episode): Verdict {
  if (e.outcome === 'kicked' && e.kickedAt !== undefined) {
    if (e.kickedAt - e.unsafeAt <= 2n) return 'onTime';
    return e.roomyBlocksWaited <= 1 ? 'heldBackByLimits' : 'late';
  }
  // Never kicked: fine while the limits allowed at most one block for it.
  if (e.roomyBlocksWaited >= 2) return 'late';
  return e.outcome === 'waiting' ? 'pendingAtEnd' : 'onTime';
}

export interface LatencyReport {
  readonly episodes: number;
  readonly onTime: number;
  readonly heldBackByLimits: number;
  readonly late: number;
  readonly pendingAtEnd: number;
  /** Slowest detection-to-kick, in blocks (unsafe block to liquidation block), over kicked episodes. */
  readonly maxBlocks: number;
  readonly meanBlocks: number;
  /** Slowest among the episodes the limits did not hold back. */
  readonly maxBlocksUnconstrained: number;
  /** The late episodes themselves (at most 20), so a failing run names the vaults and blocks. */
  readonly lateEpisodes: readonly LateEpisode[];
}

/** A late episode as the summary prints it (block numbers as strings: JSON has no bigint). */
export interface LateEpisode {
  readonly ilk: string;
  readonly owner: string;
  readonly unsafeAt: string;
  readonly kickedAt: string | undefined;
  readonly roomyBlocksWaited: number;
}

export function summarizeLatency(episodes: readonly Episode[]): LatencyReport {
  let onTime = 0;
  let held = 0;
  let late = 0;
  let pending = 0;
  let max = 0;
  let maxFree = 0;
  let sum = 0;
  let kicked = 0;
  const lateEpisodes: LateEpisode[] = [];
  for (const e of episodes) {
    const v = verdict(e);
    if (v === 'onTime') onTime++;
    else if (v === 'heldBackByLimits') held++;
    else if (v === 'late') {
      late++;
      if (lateEpisodes.length < 20) lateEpisodes.push({ ilk: e.ilk, owner: e.owner, unsafeAt: String(e.unsafeAt), kickedAt: e.kickedAt === undefined ? undefined : String(e.kickedAt), roomyBlocksWaited: e.roomyBlocksWaited });
    } else pending++;
    if (e.kickedAt !== undefined) {
      const blocks = Number(e.kickedAt - e.unsafeAt);
      kicked++;
      sum += blocks;
      max = Math.max(max, blocks);
      if (v !== 'heldBackByLimits') maxFree = Math.max(maxFree, blocks);
    }
  }
  return {
    episodes: episodes.length,
    onTime,
    heldBackByLimits: held,
    late,
    pendingAtEnd: pending,
    maxBlocks: max,
    meanBlocks: kicked === 0 ? 0 : Math.round((sum / kicked) * 100) / 100,
    maxBlocksUnconstrained: maxFree,
    lateEpisodes,
  };
}
