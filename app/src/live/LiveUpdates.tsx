'use client';
// The one block subscription: each new block (polled once per interval) is one eth_getLogs over
// every Gavel contract; the logs decide which queries go stale. No per-query polling.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Deployment } from '../lib/deployment.ts';
import { watchedAddresses } from '../lib/deploymentUtils.ts';
import { CHAIN_KEY, familiesForLogs, familyKey } from '../lib/liveKeys.ts';
import { publicClient } from '../wallet/chain.ts';
import { setLiveState } from './store.ts';
import { watchHead } from './watchHead.ts';

/** A gap wider than this is not worth a log query: refresh everything. */
const MAX_LOG_RANGE = 1_000n;

export function LiveUpdates({ deployment }: { deployment: Deployment }): null {
  const queryClient = useQueryClient();
  useEffect(() => {
    const addresses = watchedAddresses(deployment);
    let last: bigint | undefined;
    let busy = false;
    // The node's clock, read once per new block: the pending block's timestamp is what a block
    // mined now would carry (see lib/clock.ts). A node without a pending block leaves the clock
    // on the latest block.
    let clockBlock: bigint | undefined;
    let stopped = false;
    const readClock = (number: bigint): void => {
      publicClient
        .getBlock({ blockTag: 'pending' })
        .then((pending) => {
          if (stopped || clockBlock !== number) return;
          setLiveState({ clock: { timestamp: pending.timestamp, seenAtMs: Date.now(), exact: true } });
        })
        .catch(() => {
          if (!stopped) setLiveState({ clock: undefined });
        });
    };
    const unwatch = watchHead({
      getBlock: () => publicClient.getBlock({ blockTag: 'latest' }),
      intervalMs: 2_000,
      onBlock: (block) => {
        const number = block.number;
        const seenAtMs = Date.now();
        setLiveState({ block: { number, timestamp: block.timestamp, seenAtMs }, rpcError: undefined });
        if (number !== clockBlock) {
          clockBlock = number;
          readClock(number);
        }
        const from = last;
        if (from === undefined) {
          last = number;
          return;
        }
        if (number < from) {
          // The chain went back (a reorg deeper than our view, a node restarted): refresh all.
          last = number;
          void queryClient.invalidateQueries({ queryKey: CHAIN_KEY });
          return;
        }
        if (number === from || busy) return;
        last = number;
        if (number - from > MAX_LOG_RANGE) {
          void queryClient.invalidateQueries({ queryKey: CHAIN_KEY });
          return;
        }
        busy = true;
        publicClient
          .getLogs({ address: addresses, fromBlock: from + 1n, toBlock: number })
          .then((logs) => {
            for (const f of familiesForLogs(logs, deployment)) void queryClient.invalidateQueries({ queryKey: familyKey(f) });
          })
          .catch(() => queryClient.invalidateQueries({ queryKey: CHAIN_KEY }))
          .finally(() => {
            busy = false;
          });
      },
      onError: (error) => {
        const message = error instanceof Error ? error.message.split('\n')[0] : undefined;
        setLiveState({ rpcError: message || 'RPC error' });
      },
      // The node answers again: every read may have failed or missed events while it was down
      // (and a restarted node may be at a lower block), so refresh everything and start over from
      // the head that watchHead emits right after this.
      onRecover: () => {
        last = undefined;
        clockBlock = undefined;
        setLiveState({ rpcError: undefined });
        void queryClient.invalidateQueries({ queryKey: CHAIN_KEY });
      },
    });
    return () => {
      stopped = true;
      unwatch();
    };
  }, [deployment, queryClient]);
  return null;
}
