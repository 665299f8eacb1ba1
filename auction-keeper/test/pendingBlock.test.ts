// The pending block on a real anvil (issue 14, rivals): what a take may be checked against.
//  - BlockRoom: a take is sent only while the pending block has room for it — a node's pending
//    block stops at the gas limit, so transactions beyond it are invisible to a pending simulation.
//  - PendingSimulator: calls asked together go in one eth_simulateV1 at the pending block and see
//    the pool, each with its own result; the same answers as eth_call at the pending block.

import { type AnvilNode, deployArtifact, readArtifact, startAnvil } from '@gavel/contracts/testing';
import { type Address, type Hex, encodeFunctionData } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockRoom, fitsPendingBlock } from '../src/bid/blockRoom.ts';
import { PendingSimulator } from '../src/send/pendingSimulator.ts';

let node: AnvilNode;
const erc20 = () => readArtifact('MockERC20').abi;
/** Init code that loops until it runs out of gas: a transaction that uses all of its gas limit. */
const BURN_ALL_GAS: Hex = '0x5b600056';

beforeAll(async () => {
  node = await startAnvil({ args: ['--gas-limit', '30000000'] });
}, 60_000);

afterAll(async () => {
  await node.stop();
});

describe('fitsPendingBlock', () => {
  it('fits up to the gas limit and not one gas beyond', () => {
    const view = { gasUsed: 29_000_000n, gasLimit: 30_000_000n };
    expect(fitsPendingBlock(view, 0n, 1_000_000n)).toBe(true);
    expect(fitsPendingBlock(view, 0n, 1_000_001n)).toBe(false);
    expect(fitsPendingBlock(view, 400_000n, 600_000n)).toBe(true);
    expect(fitsPendingBlock(view, 400_001n, 600_000n)).toBe(false);
  });
});

describe('BlockRoom on anvil', () => {
  it('refuses a take while the pool holds a full block, and counts its own reservations', async () => {
    const pc = node.publicClient;
    await node.testClient.setAutomine(false);
    try {
      const room = new BlockRoom(pc);
      // An empty pending block: room for 30M, and our own reservations use it up.
      const first = await room.reserve(20_000_000n);
      expect(first).toBeDefined();
      expect(await room.reserve(10_000_000n)).toBeDefined();
      expect(await room.reserve(1n)).toBeUndefined();
      first?.release();
      expect(await room.reserve(19_000_000n)).toBeDefined();
      // Three transactions that use 10M gas each fill the pending block.
      const from = node.accounts[1];
      if (!from) throw new Error('account');
      const nonce = await pc.getTransactionCount({ address: from.address, blockTag: 'pending' });
      for (let i = 0; i < 3; i++) {
        await node.walletFor(1).sendTransaction({ data: BURN_ALL_GAS, gas: 10_000_000n, nonce: nonce + i });
      }
      const full = await pc.getBlock({ blockTag: 'pending' });
      expect(full.gasUsed).toBe(30_000_000n);
      await new Promise((r) => setTimeout(r, 200)); // the view is re-read after 150 ms
      const fresh = new BlockRoom(pc);
      expect(await fresh.reserve(200_000n)).toBeUndefined();
      // Mined: the next pending block is empty again.
      await node.testClient.mine({ blocks: 1 });
      await new Promise((r) => setTimeout(r, 200));
      expect(await fresh.reserve(200_000n)).toBeDefined();
    } finally {
      await node.testClient.setAutomine(true);
    }
  }, 30_000);
});

describe('PendingSimulator on anvil', () => {
  it('answers calls asked together from one request, seeing the pool, as eth_call at the pending block does', async () => {
    const pc = node.publicClient;
    const [alice, bob] = [node.accounts[2], node.accounts[3]];
    if (!alice || !bob) throw new Error('accounts');
    const token = await deployArtifact(node, 'MockERC20', ['T', 'T', 18]);
    await node.walletClient.writeContract({ address: token, abi: erc20(), functionName: 'mint', args: [alice.address, 1_000n] });
    await node.testClient.setAutomine(false);
    try {
      // In the pool only: alice sends bob 600.
      await node.walletFor(2).writeContract({ address: token, abi: erc20(), functionName: 'transfer', args: [bob.address, 600n] });
      const transfer = (to: Address, amount: bigint): Hex => encodeFunctionData({ abi: erc20(), functionName: 'transfer', args: [to, amount] });
      const calls = [
        { from: bob.address, to: token, data: transfer(alice.address, 600n) }, // bob has 600 only in the pool
        { from: bob.address, to: token, data: transfer(alice.address, 601n) }, // one more than that: reverts
        { from: alice.address, to: token, data: transfer(bob.address, 400n) }, // what alice has left
      ];
      let requests = 0;
      const counting = { ...pc, request: ((args: { method: string; params: unknown[] }) => {
        if (args.method === 'eth_simulateV1') requests++;
        return pc.request(args as never);
      }) as typeof pc.request };
      const sim = new PendingSimulator(counting, 10);
      const results = await Promise.all(calls.map((c) => sim.simulate(c)));
      expect(requests).toBe(1);
      const viaCall = await Promise.all(calls.map((c) => pc.call({ account: c.from, to: c.to, data: c.data, blockTag: 'pending' }).then(() => true, () => false)));
      expect(results.map((r) => r?.ok)).toEqual(viaCall);
      expect(viaCall).toEqual([true, false, true]);
      const failed = results[1];
      expect(failed?.ok).toBe(false);
      // The revert data is the token's own error, for the SDK's decoder.
      if (failed && !failed.ok) expect(failed.revertData?.length ?? 0).toBeGreaterThanOrEqual(10);
    } finally {
      await node.testClient.setAutomine(true);
      await node.testClient.mine({ blocks: 1 });
    }
  }, 30_000);
});
