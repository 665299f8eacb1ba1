// A JSON-RPC proxy in front of anvil for failure tests: pass through, freeze the head (a stalled
// node), refuse large eth_getLogs ranges (a provider limit), answer 503 (down), or record what arrives.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyState {
  /** eth_blockNumber answers this (hex) instead of the upstream head. */
  frozenHead: string | undefined;
  /** eth_getLogs with a block range wider than this fails with -32005. */
  maxRange: number | undefined;
  /** Every request gets HTTP 503. */
  down: boolean;
  requests: number;
  refusedRanges: number;
  /** Milliseconds each request of a method waits before it is passed on (a slow node for that method). */
  readonly delayMs: Record<string, number | undefined>;
  /** Requests of each method passed on and not yet answered, and the most at once. */
  readonly inFlight: Record<string, number | undefined>;
  readonly maxInFlight: Record<string, number | undefined>;
  /** Requests as they arrived (method, eth_call's input, ms since the epoch); kept while `recording`. */
  recording: boolean;
  readonly calls: { readonly method: string; readonly data: string | undefined; readonly at: number }[];
}

export interface RpcProxy {
  readonly url: string;
  readonly state: ProxyState;
  close(): Promise<void>;
}

interface RpcReq {
  id: number;
  method: string;
  params?: unknown[];
}

export async function startProxy(upstream: string): Promise<RpcProxy> {
  const state: ProxyState = { frozenHead: undefined, maxRange: undefined, down: false, requests: 0, refusedRanges: 0, recording: false, calls: [], delayMs: {}, inFlight: {}, maxInFlight: {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (state.down) {
        res.writeHead(503).end('down');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const msg = JSON.parse(body) as RpcReq;
      if (state.recording) {
        const tx = (msg.params?.[0] ?? {}) as { data?: string; input?: string };
        state.calls.push({ method: msg.method, data: msg.method === 'eth_call' ? (tx.data ?? tx.input) : undefined, at: Date.now() });
      }
      const reply = (obj: unknown): void => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(obj));
      };
      if (msg.method === 'eth_blockNumber' && state.frozenHead !== undefined) {
        reply({ jsonrpc: '2.0', id: msg.id, result: state.frozenHead });
        return;
      }
      if (msg.method === 'eth_getLogs' && state.maxRange !== undefined) {
        const f = (msg.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
        if (f.fromBlock && f.toBlock && Number(BigInt(f.toBlock) - BigInt(f.fromBlock)) + 1 > state.maxRange) {
          state.refusedRanges++;
          reply({ jsonrpc: '2.0', id: msg.id, error: { code: -32005, message: `block range is too large, max ${state.maxRange}` } });
          return;
        }
      }
      const m = msg.method;
      state.inFlight[m] = (state.inFlight[m] ?? 0) + 1;
      state.maxInFlight[m] = Math.max(state.maxInFlight[m] ?? 0, state.inFlight[m]);
      new Promise((r) => setTimeout(r, state.delayMs[m] ?? 0))
        .then(() => fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body }))
        .then(async (r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text());
        })
        .catch(() => res.writeHead(502).end('bad gateway'))
        .finally(() => {
          state.inFlight[m] = (state.inFlight[m] ?? 1) - 1;
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => { resolve(); });
      }),
  };
}

/** A URL nothing listens on. */
export async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => { resolve(); }));
  return `http://127.0.0.1:${port}`;
}
