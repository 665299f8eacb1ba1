// Test fixture, part two: the real Uniswap V2 (WETH9, Factory + Pair, Router02 from the npm build
// artifacts of @uniswap/v2-core and @uniswap/v2-periphery, the same bytecode
// contracts/script/lib/UniswapV2Artifacts.sol deploys for SeedLocal) and the real
// UniswapV2FlashTaker (forge build) on the fixture's anvil, with one collateral/gUSD pool per ilk
// at the ilk's mark price — the shape SeedLocal gives the demo chain.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { iUniswapV2FactoryAbi, iUniswapV2Router02Abi, stablecoinAbi } from '@gavel/sdk';
import { deployArtifact, readArtifact, repoRoot } from '@gavel/contracts/testing';
import { type Abi, type Address, type Hex, maxUint256 } from 'viem';
import type { Deployment } from '../src/config/deployments.ts';
import { type IlkFixture, type System, openVault, send } from './fixture.ts';

const WAD = 10n ** 18n;

export interface Dex {
  readonly weth: Address;
  readonly factory: Address;
  readonly router: Address;
  readonly flashTaker: Address;
  /** Pair by ilk name. */
  readonly pairs: ReadonlyMap<string, Address>;
  /** The fixture's deployment with `flashTaker` and `dexRouter` set (as SeedLocal's deployments file has them). */
  readonly deployment: Deployment;
}

/** Deploys a Waffle artifact (top-level `abi` and `bytecode` without 0x) from node_modules. */
async function deployWaffle(sys: System, file: string, args: readonly unknown[]): Promise<Address> {
  const json = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', file), 'utf8')) as { abi: Abi; bytecode: string };
  const bytecode = (json.bytecode.startsWith('0x') ? json.bytecode : `0x${json.bytecode}`) as Hex;
  const hash = await sys.node.walletClient.deployContract({ abi: json.abi, bytecode, args });
  const r = await sys.node.publicClient.waitForTransactionReceipt({ hash });
  if (r.status !== 'success' || !r.contractAddress) throw new Error(`deploying ${file} failed`);
  return r.contractAddress;
}

/**
 * Deploys Uniswap V2 and the flash taker, and gives every ilk a pool worth `poolUsd` gUSD a side
 * at its current mark price (account 0 borrows the gUSD against ETH-A and provides the
 * liquidity).
 */
export async function deployDex(sys: System, poolUsd = 2_000_000n): Promise<Dex> {
  const gov = sys.node.accounts[0]?.address;
  if (!gov) throw new Error('no account 0');
  const weth = await deployWaffle(sys, '@uniswap/v2-periphery/build/WETH9.json', []);
  const factory = await deployWaffle(sys, '@uniswap/v2-core/build/UniswapV2Factory.json', [gov]);
  const router = await deployWaffle(sys, '@uniswap/v2-periphery/build/UniswapV2Router02.json', [factory, weth]);
  const flashTaker = await deployArtifact(sys.node, 'UniswapV2FlashTaker', [router]);
  const eth = sys.ilks.find((i) => i.name === 'ETH-A');
  if (!eth) throw new Error('no ETH-A');
  // gUSD for every pool: a very safe ETH-A vault of account 0.
  const need = poolUsd * BigInt(sys.ilks.length);
  if (!(await openVault(sys, 0, eth, need, 400n))) throw new Error('account 0 could not borrow the pool gUSD');
  const erc20 = readArtifact('MockERC20').abi;
  await send(sys.node, 0, sys.stablecoin, stablecoinAbi, 'approve', [router, maxUint256]);
  const pairs = new Map<string, Address>();
  for (const ilk of sys.ilks) {
    const collateral = (poolUsd * WAD * 10n ** BigInt(ilk.decimals)) / ilk.price;
    await send(sys.node, 0, ilk.token, erc20, 'mint', [gov, collateral]);
    await send(sys.node, 0, ilk.token, erc20, 'approve', [router, maxUint256]);
    await send(sys.node, 0, router, iUniswapV2Router02Abi, 'addLiquidity', [ilk.token, sys.stablecoin, collateral, poolUsd * WAD, 0n, 0n, gov, maxUint256]);
    const pair = await sys.node.publicClient.readContract({ address: factory, abi: iUniswapV2FactoryAbi, functionName: 'getPair', args: [ilk.token, sys.stablecoin] });
    pairs.set(ilk.name, pair);
  }
  return { weth, factory, router, flashTaker, pairs, deployment: { ...sys.deployment, flashTaker, dexRouter: router } };
}

/** The router's quote: gUSD (WAD) out for `amount` of the ilk's collateral (native units). */
export async function dexQuote(sys: System, dex: Dex, ilk: IlkFixture, amount: bigint, blockNumber?: bigint): Promise<bigint> {
  const amounts = await sys.node.publicClient.readContract({
    address: dex.router,
    abi: iUniswapV2Router02Abi,
    functionName: 'getAmountsOut',
    args: [amount, [ilk.token, sys.stablecoin]],
    ...(blockNumber === undefined ? {} : { blockNumber }),
  });
  return amounts.at(-1) ?? 0n;
}
