// A fault-injecting JSON-RPC proxy (HTTP, single and batch requests): pass through, add latency,
// drop a share of requests (HTTP 502), answer 503 (down), or blackhole (accept and never answer).
// Each keeper URL gets its own proxy, so faults are per URL.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /** Milliseconds added to every request. */
  delayMs: number;
  /** Share of requests answered HTTP 502 (0..1). */
  dropRate: number;
  /** Every request gets HTTP 503. */
  down: boolean;
  /** Requests are accepted and never answered. */
  blackhole: boolean;
}

export interface FaultProxy {
  readonly url: string;
  readonly faults: Faults;
  /** Requests seen (a batch counts once), JSON-RPC calls seen (each batch item). */
  readonly counts: { requests: number; calls: number };
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string, initial: Partial<Faults> = {}): Promise<FaultProxy> {
  const faults: Faults = { delayMs: 0, dropRate: 0, down: false, blackhole: false, ...initial };
  const counts = { requests: 0, calls: 0 };
  const held = new Set<ServerResponse>();
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      counts.requests++;
      const body = Buffer.concat(chunks).toString('utf8');
      const arrived = Date.now();
      let methods = '';
      try {
        const parsed: unknown = JSON.parse(body);
        counts.calls += Array.isArray(parsed) ? parsed.length : 1;
        methods = ((Array.isArray(parsed) ? parsed : [parsed]) as { method?: string }[]).map((x) => x.method).join(',');
      } catch {
        counts.calls++;
      }
      if (faults.blackhole) {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      if (faults.down) {
        res.writeHead(503).end('down');
        return;
      }
      if (faults.dropRate > 0 && Math.random() < faults.dropRate) {
        res.writeHead(502).end('dropped');
        return;
      }
      const forward = (): void => {
        const sent = Date.now();
        fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
          .then(async (r) => {
            res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text());
            // Debug: when each request arrived (ms mod 100 s), its methods, and the node's own time.
            if (process.env.GAVEL_CHAOS_TRACE) console.info('rpc', arrived % 100000, methods, `node ${Date.now() - sent} ms`);
          })
          .catch(() => res.writeHead(502).end('bad gateway'));
      };
      if (faults.delayMs > 0) setTimeout(forward, faults.delayMs);
      else forward();
    });
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of held) r.destroy();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
