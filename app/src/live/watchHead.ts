// Polls the chain head and reports three things: a new head, a failed poll (the RPC is down), and
// the first successful poll after failures (the RPC is back). Unlike viem's `watchBlocks`, which
// only calls back on a head *higher* than the last one, a poll that succeeds with the same head
// (an automining node with no new transaction, a node restarted from its state) or a lower one
// (a node restarted from scratch, a reorg) still ends the down state: recovery never waits for
// the next block.

export interface Head {
  number: bigint;
}

export interface WatchHeadOptions<B extends Head> {
  /** Reads the latest block; a rejection is a failed poll. */
  getBlock: () => Promise<B>;
  intervalMs: number;
  /** The head changed (or the first head): any number different from the last one seen. */
  onBlock: (block: B) => void;
  /** A poll failed; called on every failure while the node is down. */
  onError: (error: unknown) => void;
  /**
   * A poll succeeded after one or more failures. Called before `onBlock`, which then gets that
   * poll's head even when its number did not change, so the caller can start over from it.
   */
  onRecover: () => void;
}

/** Starts polling at once; returns a function that stops it (a poll in flight is then ignored). */
export function watchHead<B extends Head>(o: WatchHeadOptions<B>): () => void {
  let stopped = false;
  let down = false;
  let last: bigint | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const poll = async (): Promise<void> => {
    let block: B;
    try {
      block = await o.getBlock();
    } catch (e) {
      if (stopped) return;
      down = true;
      o.onError(e);
      return;
    }
    if (stopped) return;
    if (down) {
      down = false;
      last = undefined;
      o.onRecover();
    }
    if (block.number !== last) {
      last = block.number;
      o.onBlock(block);
    }
  };

  const loop = (): void => {
    poll()
      .catch(() => undefined) // a throwing callback must not end the loop
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, o.intervalMs);
      });
  };
  loop();

  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
