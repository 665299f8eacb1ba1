// A tiny counting JSON-RPC proxy for the e2e bench: forwards every request to `upstream` and
// counts requests (HTTP POSTs) and JSON-RPC calls by method (a batch counts each of its calls).
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  readonly url: string;
  /** HTTP requests forwarded. */
  requests(): number;
  /** JSON-RPC calls by method since the start. */
  byMethod(): Map<string, number>;
  close(): Promise<void>;
}

function methodsOf(body: string): string[] {
  try {
    const msg = JSON.parse(body) as unknown;
    const calls = Array.isArray(msg) ? (msg as unknown[]) : [msg];
    return calls.map((c) => (typeof c === 'object' && c !== null && 'method' in c && typeof c.method === 'string' ? c.method : '?'));
  } catch {
    return ['?'];
  }
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  let requests = 0;
  const methods = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const body = Buffer.concat(chunks).toString('utf8');
      for (const m of methodsOf(body)) methods.set(m, (methods.get(m) ?? 0) + 1);
      fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        .then(async (r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text());
        })
        .catch(() => res.writeHead(502).end('bad gateway'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    byMethod: () => new Map(methods),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
