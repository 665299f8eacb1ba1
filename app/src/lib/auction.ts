// What the UI shows about an auction at one instant. Every pricing rule (tier curve, redo, quote of a
// take) is the SDK's (`@gavel/sdk` auction module, differential-tested against the contract), so the
// price can tick every second in the browser without a call per tick.
import { type Sale, type Tier, auctionAge, auctionStatus, tierPrice } from '@gavel/sdk';

export {
  CurveKind,
  floorPrice,
  lotValue,
  needsRedo,
  premiumBps,
  quoteTake,
  redoAt,
  scaleForDecimals,
  tierCurve,
  type TakeQuote,
  type Tier,
} from '@gavel/sdk';

/** The parts of `ICollateralAuction.Sale` the pages read. */
export type SaleCore = Pick<Sale, 'tab' | 'lot' | 'top' | 'startedAt' | 'minTab'>;

/** Price at chain time `now` (the SDK's `tierPrice` at the auction's age). */
export function priceAt(tier: Tier, top: bigint, startedAt: bigint, now: bigint): bigint {
  return tierPrice(tier, top, auctionAge(startedAt, now));
}

/** Everything the UI shows about an auction at one instant. */
export interface AuctionTick {
  price: bigint;
  age: bigint;
  needsRedo: boolean;
}

export function auctionTick(tier: Tier, sale: Pick<SaleCore, 'top' | 'startedAt'>, now: bigint): AuctionTick {
  const s = auctionStatus(tier, { ...sale, redos: 0 }, now);
  return { price: s.price, age: s.age, needsRedo: s.needsRedo };
}
