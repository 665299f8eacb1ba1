import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { loadDeployment, parseDeployment } from './deployments.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'gavel-config-'));
function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}
const KEY = `0x${'ab'.repeat(32)}`;

function errorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('loadConfig: owner protection keys', () => {
  it('is off by default; the alert endpoint listens on loopback only when a port is set', () => {
    const c = loadConfig(undefined, { GAVEL_RPC_URLS: 'http://a:1', GAVEL_CHAIN_ID: '1' });
    expect([c.preLiquidate, c.preLiquidateMinProfit, c.alertsPort, c.alertsHost, c.alertsAllowPrivateUrls, c.alertsMaxSubscriptions, c.alertsMaxPerOwner]).toEqual([false, '1', 0, '127.0.0.1', false, 1_000, 5]);
    const on = loadConfig(undefined, { GAVEL_RPC_URLS: 'http://a:1', GAVEL_CHAIN_ID: '1', GAVEL_PRE_LIQUIDATE: 'on', GAVEL_ALERTS_ALLOW_PRIVATE_URLS: 'true' }, { preLiquidateMinProfit: '2.5', alertsPort: '9100' });
    expect([on.preLiquidate, on.preLiquidateMinProfit, on.alertsPort, on.alertsAllowPrivateUrls]).toEqual([true, '2.5', 9100, true]);
  });
  it('names the field of a bad switch or amount in one line', () => {
    expect(errorOf(() => loadConfig(undefined, { GAVEL_RPC_URLS: 'http://a:1', GAVEL_CHAIN_ID: '1', GAVEL_PRE_LIQUIDATE: 'maybe' })).message).toBe('config: preLiquidate (env GAVEL_PRE_LIQUIDATE): must be true or false (on/off, 1/0), got "maybe"');
    expect(errorOf(() => loadConfig(undefined, { GAVEL_RPC_URLS: 'http://a:1', GAVEL_CHAIN_ID: '1' }, { preLiquidateMinProfit: '-1' })).message).toBe('config: preLiquidateMinProfit (flag --pre-liquidate-min-profit): must be a decimal amount of gUSD, got "-1"');
    expect(errorOf(() => loadConfig(undefined, { GAVEL_RPC_URLS: 'http://a:1', GAVEL_CHAIN_ID: '1', GAVEL_ALERTS_MAX_PER_OWNER: '0' })).field).toBe('alertsMaxPerOwner');
  });
});

describe('loadConfig', () => {
  it('merges file < env < flags, with defaults', () => {
    const f = file('ok.json', { rpcUrls: ['http://a:8545'], chainId: 1, blockRange: 100, deploymentsFile: 'd.json' });
    const c = loadConfig(f, { GAVEL_BLOCK_RANGE: '200', GAVEL_RPC_URLS: 'http://b:1, wss://c/x', GAVEL_PRIVATE_KEYS: KEY }, { blockRange: '300', confirmations: 2 });
    expect(c.rpcUrls).toEqual(['http://b:1', 'wss://c/x']);
    expect(c.blockRange).toBe(300);
    expect(c.confirmations).toBe(2);
    expect(c.reorgDepth).toBe(64);
    expect(c.keys).toEqual([KEY]);
    expect(c.deploymentsFile).toBe(path.join(dir, 'd.json'));
    expect(c.checkpointFile).toBe(path.resolve('keeper-1.sqlite'));
  });

  it.each([
    [{ GAVEL_RPC_URLS: 'ftp://x', GAVEL_CHAIN_ID: '1' }, {}, 'config: rpcUrls.0 (env GAVEL_RPC_URLS): must be an http(s):// or ws(s):// URL, got "ftp://x"'],
    [{ GAVEL_CHAIN_ID: '1' }, {}, 'config: rpcUrls (missing): is required (set it in the file, GAVEL_RPC_URLS or --rpc-urls)'],
    [{ GAVEL_RPC_URLS: 'http://a', GAVEL_CHAIN_ID: 'one' }, {}, 'config: chainId (env GAVEL_CHAIN_ID): must be an integer in [1, 9007199254740991], got "one"'],
    [{ GAVEL_RPC_URLS: 'http://a', GAVEL_CHAIN_ID: '1' }, { blockRange: '0' }, 'config: blockRange (flag --block-range): must be an integer in [1, 10000000], got 0'],
    [{ GAVEL_RPC_URLS: 'http://a', GAVEL_CHAIN_ID: '1', GAVEL_POLL_INTERVAL_MS: '1.5' }, {}, 'config: pollIntervalMs (env GAVEL_POLL_INTERVAL_MS): must be an integer in [10, 3600000], got "1.5"'],
    [{ GAVEL_RPC_URLS: 'http://a', GAVEL_CHAIN_ID: '1', GAVEL_PRIVATE_KEYS: '0xdeadbeefsecret' }, {}, 'config: keys.0 (env GAVEL_PRIVATE_KEYS): must be a 0x-prefixed 32-byte hex private key'],
  ])('rejects a bad value with one line: %#', (env, flags, line) => {
    const e = errorOf(() => loadConfig(undefined, env, flags));
    expect(e.message).toBe(line);
    expect(e.message).not.toContain('\n');
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain('secret');
  });

  it('rejects unknown fields, keys in the file, bad JSON and missing files', () => {
    expect(errorOf(() => loadConfig(file('typo.json', { rpcUrls: ['http://a'], chainId: 1, reorgDepht: 3 }))).message).toBe(
      `config: reorgDepht: unknown field (${path.join(dir, 'typo.json')})`,
    );
    expect(errorOf(() => loadConfig(file('keys.json', { keys: [KEY] }))).message).toMatch(/^config: keys \(.*\): private keys are read from GAVEL_PRIVATE_KEYS only/);
    expect(errorOf(() => loadConfig(file('bad.json', '{ nope'))).message).toMatch(/^config: .*bad\.json is not valid JSON/);
    expect(errorOf(() => loadConfig(path.join(dir, 'none.json'))).message).toMatch(/cannot read .*none\.json: ENOENT$/);
    const typed = errorOf(() => loadConfig(file('t.json', { rpcUrls: 'http://a', chainId: 1 })));
    expect(typed.message).toBe(`config: rpcUrls (${path.join(dir, 't.json')}): must be a list of URLs, got "http://a"`);
  });
});

describe('deployments', () => {
  const ok = {
    chainId: 31337,
    genesisHash: `0x${'12'.repeat(32)}`,
    engine: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    stablecoin: '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707',
    fund: '0x0165878A594ca255338adfa4d48449f69242Eb8F',
    spotter: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    liquidationEngine: '0xa513E6E4b8f2a923D98304ec87F64353C4D5C853',
    ilks: [
      {
        name: 'ETH-A',
        id: '0x4554482D41000000000000000000000000000000000000000000000000000000',
        token: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
        decimals: 18,
        oracle: '0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6',
        house: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9',
      },
    ],
    block: 5,
  };
  it('parses and normalizes', () => {
    const d = parseDeployment(ok);
    expect(d.engine).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
    expect(d.ilks[0]?.id).toBe('0x4554482d41000000000000000000000000000000000000000000000000000000');
    expect(d.block).toBe(5n);
  });
  it('rejects a bad address with one line, and a chain mismatch', () => {
    expect(() => parseDeployment({ ...ok, engine: '0x12' }, 'd.json')).toThrow('config: d.json: engine: not an address');
    expect(() => loadDeployment(file('dep.json', ok), 1)).toThrow(/chainId: 1 does not match .*dep\.json \(chainId 31337\)/);
  });
  it('exposes the portfolio engine and its debt ilk when the file has them (optional)', () => {
    expect(parseDeployment(ok).portfolioEngine).toBeUndefined();
    expect(parseDeployment(ok).portfolioIlk).toBeUndefined();
    const d = parseDeployment({ ...ok, portfolioEngine: '0x610178da211fef7d417bc0e6fed39f05609ad788', portfolioIlk: '0x504F5254464F4C494F0000000000000000000000000000000000000000000000' });
    expect(d.portfolioEngine).toBe('0x610178dA211FEF7D417bC0e6FeD39F05609AD788');
    expect(d.portfolioIlk).toBe('0x504f5254464f4c494f0000000000000000000000000000000000000000000000');
    expect(() => parseDeployment({ ...ok, portfolioEngine: '0x12' }, 'd.json')).toThrow('config: d.json: portfolioEngine: not an address');
  });
  it('requires the chain identity: chainId and genesisHash', () => {
    const { genesisHash: _g, ...noGenesis } = ok;
    expect(() => parseDeployment(noGenesis, 'd.json')).toThrow('config: d.json: genesisHash: must be a bytes32 hex');
    const { chainId: _c, ...noChain } = ok;
    expect(() => parseDeployment(noChain, 'd.json')).toThrow(/^config: d\.json: chainId: /);
  });
});
