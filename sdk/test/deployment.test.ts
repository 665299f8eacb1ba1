// The chain check every client runs before trusting a deployments file: against a real anvil.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hex, zeroHash } from 'viem';
import { checkDeploymentChain, DeploymentChainError, parseDeployment } from '../src/deployment.ts';
import { type AnvilNode, startAnvil } from '@gavel/contracts/testing';

let node: AnvilNode;
let genesis: Hex;

beforeAll(async () => {
  node = await startAnvil();
  genesis = (await node.publicClient.getBlock({ blockNumber: 0n })).hash;
}, 60_000);

afterAll(async () => {
  await node.stop();
});

describe('checkDeploymentChain', () => {
  it('accepts a deployment made on the node it talks to', async () => {
    await expect(checkDeploymentChain({ chainId: 31337, genesisHash: genesis }, node.publicClient)).resolves.toBeUndefined();
  });

  it('refuses another chain id, in one line', async () => {
    const err = await checkDeploymentChain({ chainId: 1, genesisHash: genesis }, node.publicClient).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeploymentChainError);
    expect((err as Error).message).toBe('the deployment is for chain 1 but the node is chain 31337');
  });

  it('refuses the same chain id with another genesis (another anvil, a restarted node), in one line', async () => {
    const other: Hex = `0x${'ab'.repeat(32)}`;
    const err = await checkDeploymentChain({ chainId: 31337, genesisHash: other }, node.publicClient).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeploymentChainError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`genesis ${other} but the node's is ${genesis}`);
  });
});

describe('deploymentSchema identity fields', () => {
  const base = {
    chainId: 31337,
    genesisHash: zeroHash,
    block: 0,
    engine: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    stablecoin: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
    fund: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0',
    spotter: '0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9',
    liquidationEngine: '0xdc64a140aa3e981100a9beca4e685f962f0cf6c9',
    ilks: [],
  };

  it('requires chainId and genesisHash', () => {
    const { chainId: _c, genesisHash: _g, ...rest } = base;
    const r = parseDeployment(rest);
    expect(r.ok ? '' : r.message).toMatch(/chainId: .*; genesisHash: /);
    expect(parseDeployment({ ...base, genesisHash: '0x12' }).ok).toBe(false);
    expect(parseDeployment(base).ok).toBe(true);
  });

  it('reads the portfolio engine and its debt ilk when present, and files without them', () => {
    const without = parseDeployment(base);
    expect(without.ok && without.deployment.portfolioEngine).toBeUndefined();
    expect(without.ok && without.deployment.portfolioIlk).toBeUndefined();
    const r = parseDeployment({ ...base, portfolioEngine: '0x610178da211fef7d417bc0e6fed39f05609ad788', portfolioIlk: '0x504F5254464F4C494F0000000000000000000000000000000000000000000000' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.deployment.portfolioEngine).toBe('0x610178dA211FEF7D417bC0e6FeD39F05609AD788');
    expect(r.deployment.portfolioIlk).toBe('0x504f5254464f4c494f0000000000000000000000000000000000000000000000');
    const bad = parseDeployment({ ...base, portfolioEngine: '0x12', portfolioIlk: '0x504f' });
    expect(bad.ok ? '' : bad.message).toMatch(/portfolioEngine: not an address; portfolioIlk: must be a bytes32 hex/);
  });
});
