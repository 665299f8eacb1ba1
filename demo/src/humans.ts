// The people in an interactive demo: development accounts (anvil's, offered by the app's
// development wallet) that each hold gUSD, so a person can take auctions by hand against the
// keeper. Each opens a real vault (mint WETH, approve, adjust), so the gUSD is borrowed like
// anyone's; the vaults stay safe through the crash (health 2.67 at the start, 1.6 after 40%).

import { type Address, type Chain, type HttpTransport, type PublicClient, parseUnits } from 'viem';
import { demoTokenAbi, vaultEngineAbi } from '@gavel/sdk';
import type { AnvilNode } from '@gavel/contracts/testing';
import type { DemoDeployment } from './deployment.ts';

/** anvil accounts for people: 0 is the deployer and market maker, 5-7 are the keeper's lanes. */
export const HUMAN_ACCOUNT_INDEXES = [1, 2, 3, 4] as const;
/** WETH each person locks. */
export const HUMAN_COLLATERAL = '100';
/** gUSD each person borrows against it (at 2,000 per WETH and a 150% ratio: health 2.67). */
export const HUMAN_DEBT = '50000';

export interface Humans {
  readonly indexes: readonly number[];
  readonly addresses: readonly Address[];
  /** gUSD each holds, WAD. */
  readonly stableEach: bigint;
}

async function mined(client: PublicClient<HttpTransport, Chain>, hash: `0x${string}`, what: string): Promise<void> {
  const r = await client.waitForTransactionReceipt({ hash });
  if (r.status !== 'success') throw new Error(`funding the development accounts: ${what} reverted (${hash})`);
}

/** Gives every HUMAN_ACCOUNT_INDEXES account a safe ETH-A vault and HUMAN_DEBT gUSD in its wallet. */
export async function fundHumans(node: AnvilNode, d: DemoDeployment): Promise<Humans> {
  const eth = d.ilks.find((i) => i.name === 'ETH-A') ?? d.ilks[0];
  if (!eth) throw new Error('funding the development accounts: the deployment has no collateral type');
  const collateral = parseUnits(HUMAN_COLLATERAL, eth.decimals);
  const debt = parseUnits(HUMAN_DEBT, 18);
  const client = node.publicClient;
  const addresses: Address[] = [];
  for (const index of HUMAN_ACCOUNT_INDEXES) {
    const wallet = node.walletFor(index);
    const who = wallet.account.address;
    addresses.push(who);
    await mined(client, await node.walletClient.writeContract({ address: eth.token, abi: demoTokenAbi, functionName: 'mint', args: [who, collateral] }), `mint for #${index}`);
    await mined(client, await wallet.writeContract({ address: eth.token, abi: demoTokenAbi, functionName: 'approve', args: [d.engine, collateral] }), `approve for #${index}`);
    await mined(client, await wallet.writeContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'adjust', args: [eth.id, collateral, debt] }), `vault of #${index}`);
  }
  return { indexes: HUMAN_ACCOUNT_INDEXES, addresses, stableEach: debt };
}

/** The dashboard's line for people: where the app is, which accounts to pick, how long the keeper waits. */
export function humanHint(appUrl: string, humans: Humans, keeperMargin: string | undefined): string {
  const accounts = `#${humans.indexes[0]}–#${humans.indexes[humans.indexes.length - 1]}`;
  const wait = keeperMargin === undefined ? 'the keeper takes at its default margin' : `the keeper waits until a price is ${Math.round(Number(keeperMargin) * 1000) / 10}% below the market`;
  return `take auctions by hand: open ${appUrl}, Connect wallet → development wallet ${accounts} (${Number(HUMAN_DEBT).toLocaleString('en-US')} gUSD each); ${wait}, so anything you take above that beats it`;
}
