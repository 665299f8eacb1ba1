// Market references for the bidder: what the collateral is worth, in stablecoin (WAD) per whole
// token. "dex": the Uniswap V2 router's getAmountsOut for the actual amount (slippage included),
// cached per block; "oracle": the mark price from the index (no RPC); "config": fixed prices.

import { iUniswapV2Router02Abi } from '@gavel/sdk';
import { type Address, type Hex, type PublicClient, parseUnits } from 'viem';
import type { IndexModel } from '../index/model.ts';

export interface ReferenceQuery {
  readonly ilk: Hex;
  readonly token: Address;
  readonly decimals: number;
  /** Collateral amount to sell (native units). */
  readonly amount: bigint;
  /** The index's last block (cache key). */
  readonly block: bigint;
}

export interface PriceReference {
  readonly kind: 'dex' | 'oracle' | 'config';
  /** WAD stablecoin per whole token; undefined when unknown (then nothing is taken). */
  price(q: ReferenceQuery): Promise<bigint | undefined>;
}

/** Decimal string → WAD. */
export function decimalToWad(s: string): bigint {
  return parseUnits(s, 18);
}

export function configReference(pricesByIlk: ReadonlyMap<string, bigint>): PriceReference {
  return { kind: 'config', price: (q) => Promise.resolve(pricesByIlk.get(q.ilk.toLowerCase())) };
}

export function oracleReference(model: () => IndexModel): PriceReference {
  return { kind: 'oracle', price: (q) => Promise.resolve(model().marks.get(q.ilk)) };
}

export function dexReference(client: PublicClient, router: Address, stablecoin: Address): PriceReference {
  const cache = new Map<string, bigint | undefined>();
  let cacheBlock = -1n;
  return {
    kind: 'dex',
    async price(q) {
      if (q.amount <= 0n) return undefined;
      if (q.block !== cacheBlock) {
        cache.clear();
        cacheBlock = q.block;
      }
      const k = `${q.token}:${q.amount}`;
      if (cache.has(k)) return cache.get(k);
      let p: bigint | undefined;
      try {
        const amounts = await client.readContract({ address: router, abi: iUniswapV2Router02Abi, functionName: 'getAmountsOut', args: [q.amount, [q.token, stablecoin]] });
        const out = amounts.at(-1) ?? 0n;
        p = (out * 10n ** BigInt(q.decimals)) / q.amount;
      } catch {
        p = undefined; // no pair / no liquidity
      }
      cache.set(k, p);
      return p;
    },
  };
}
