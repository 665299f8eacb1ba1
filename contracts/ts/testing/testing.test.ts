// The test helpers other packages build on: anvil lifecycle, artifacts, JSON-RPC batches, seeded PRNG.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAnvil } from './anvil.ts';
import { ArtifactNotFoundError, readArtifact, readDeployableArtifact } from './artifacts.ts';
import { seededRandom } from './random.ts';
import { rpcBatch } from './rpc.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

describe('startAnvil', () => {
  it('starts nodes in parallel on distinct free ports, with funded default accounts', { timeout: 60_000 }, async () => {
    const [a, b] = await Promise.all([startAnvil({ accounts: 2 }), startAnvil({ accounts: 1, chainId: 1337 })]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(await a.publicClient.getChainId()).toBe(31337);
      expect(await b.publicClient.getChainId()).toBe(1337);
      expect(a.accounts.map((x) => x.address)).toEqual([
        '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
        '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      ]);
      expect(await a.publicClient.getBalance({ address: a.walletClient.account.address })).toBe(10_000n * 10n ** 18n);
      const hash = await a.walletFor(1).sendTransaction({ to: a.walletClient.account.address, value: 1n });
      expect((await a.publicClient.waitForTransactionReceipt({ hash })).status).toBe('success');
      await a.testClient.mine({ blocks: 2 });
      expect(await a.publicClient.getBlockNumber()).toBe(3n);
      expect(a.logs()).toMatch(/Listening on 127\.0\.0\.1:\d+/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(await waitDead(a.pid)).toBe(true);
    expect(await waitDead(b.pid)).toBe(true);
    await a.stop(); // idempotent
  });

  it('rejects with anvil output and leaves no process when anvil fails to start', { timeout: 30_000 }, async () => {
    await expect(startAnvil({ accounts: 1, args: ['--no-such-flag'] })).rejects.toThrow(
      /anvil exited before listening[\s\S]*no-such-flag/,
    );
  });
});

describe('readArtifact', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gavel-artifacts-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (rel: string, json: unknown): void => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), JSON.stringify(json));
  };
  const abi = [{ type: 'function', name: 'f', inputs: [], outputs: [], stateMutability: 'view' }];
  write('Foo.sol/Foo.json', { abi, bytecode: { object: '0x6001' }, deployedBytecode: { object: '0x01' } });
  write('Lib.sol/Bar.json', { abi, bytecode: { object: '6002' }, deployedBytecode: { object: '02' } });
  write('A.sol/Twin.json', { abi, bytecode: { object: '0x01' }, deployedBytecode: { object: '0x' } });
  write('B.sol/Twin.json', { abi, bytecode: { object: '0x02' }, deployedBytecode: { object: '0x' } });
  write('IFoo.sol/IFoo.json', { abi, bytecode: { object: '0x' }, deployedBytecode: { object: '0x' } });
  write('Linked.sol/Linked.json', {
    abi,
    bytecode: { object: '0x73__$ab$__', linkReferences: { 'L.sol': { L: [] } } },
    deployedBytecode: { object: '0x' },
  });

  it('reads abi and bytecode by contract name', () => {
    const foo = readArtifact('Foo', { outDir: dir });
    expect(foo.abi).toEqual(abi);
    expect(foo.bytecode).toBe('0x6001');
    expect(foo.deployedBytecode).toBe('0x01');
    expect(readArtifact('Bar', { outDir: dir }).bytecode).toBe('0x6002'); // found in another file, 0x added
  });

  it('says to build when the artifact or the output directory is missing', () => {
    expect(() => readArtifact('Nope', { outDir: dir })).toThrow(ArtifactNotFoundError);
    expect(() => readArtifact('Nope', { outDir: dir })).toThrow(/npm run build/);
    expect(() => readArtifact('Foo', { outDir: path.join(dir, 'missing') })).toThrow(
      /no forge output directory.*npm run build/,
    );
  });

  it('asks for the file when a name is ambiguous', () => {
    expect(() => readArtifact('Twin', { outDir: dir })).toThrow(/several artifacts.*pass \{ file \}/s);
    expect(readArtifact('Twin', { outDir: dir, file: 'B.sol' }).bytecode).toBe('0x02');
  });

  it('refuses interfaces and unlinked bytecode for deployment', () => {
    expect(() => readDeployableArtifact('IFoo', { outDir: dir })).toThrow(/no creation bytecode/);
    expect(() => readArtifact('Linked', { outDir: dir })).toThrow(/needs linking/);
  });
});

describe('rpcBatch', () => {
  it(
    'keeps order across batches and workers, and returns per-call errors as outcomes',
    { timeout: 30_000 },
    async () => {
      const node = await startAnvil({ accounts: 1 });
      try {
        const calls = Array.from({ length: 1000 }, (_, i) =>
          i % 100 === 7
            ? { method: 'no_such_method', params: [] }
            : { method: 'eth_getBlockByNumber', params: ['0x0', false] },
        );
        const out = await rpcBatch(node.rpcUrl, calls, { batchSize: 37, concurrency: 5 });
        expect(out).toHaveLength(1000);
        out.forEach((o, i) => {
          expect(o.ok, `call ${i}`).toBe(i % 100 !== 7);
        });
        const failed = out[7];
        expect(failed && !failed.ok && failed.error.code).toBe(-32601);
      } finally {
        await node.stop();
      }
    },
  );

  it('throws on a transport failure', async () => {
    await expect(rpcBatch('http://127.0.0.1:1', [{ method: 'eth_chainId', params: [] }])).rejects.toThrow();
  });
});

describe('seededRandom', () => {
  it('is deterministic per seed', () => {
    const a = seededRandom('s');
    const b = seededRandom('s');
    const c = seededRandom('t');
    const seqA = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(seqA);
    expect(a.seed).toBe('s');
  });

  it('stays in range', () => {
    const r = seededRandom('ranges');
    const max = 2n ** 256n - 1n;
    let sawSmall = false;
    for (let i = 0; i < 2000; i++) {
      const v = r.bigint(5n, 9n);
      expect(v >= 5n && v <= 9n).toBe(true);
      const l = r.bigintLog(0n, max);
      expect(l >= 0n && l <= max).toBe(true);
      if (l < 2n ** 32n) sawSmall = true;
      const n = r.int(-3, 3);
      expect(n >= -3 && n <= 3).toBe(true);
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
      expect(r.bits(13) < 2n ** 13n).toBe(true);
    }
    expect(sawSmall).toBe(true); // log-uniform: small magnitudes are common
    expect(r.bigint(7n, 7n)).toBe(7n);
    expect(() => r.bigint(2n, 1n)).toThrow(RangeError);
    expect(() => r.pick([])).toThrow(RangeError);
  });
});
