// The events the index is built from, as human-readable ABI (typed by viem). events.test.ts checks
// every selector against the generated ABIs in @gavel/sdk, so a contract change that renames
// or retypes an event fails the keeper's tests instead of silently dropping logs.

import { parseAbi } from 'viem';

export const vaultEngineEvents = parseAbi([
  'event IlkAdded(bytes32 indexed ilk, address indexed token, uint8 decimals, uint256 scale)',
  'event DebtCeilingSet(bytes32 indexed ilk, uint256 debtCeiling)',
  'event DustSet(bytes32 indexed ilk, uint256 dust)',
  'event LiquidationRatioSet(bytes32 indexed ilk, uint256 liquidationRatio)',
  'event StabilityFeeSet(bytes32 indexed ilk, uint256 stabilityFeeRay)',
  'event SpotUpdated(bytes32 indexed ilk, uint256 spot)',
  'event Dripped(bytes32 indexed ilk, uint256 rate, uint256 surplusRad)',
  'event VaultChanged(bytes32 indexed ilk, address indexed owner, int256 collateralDelta, int256 debtDelta, uint256 collateral, uint256 normalizedDebt)',
  'event Seized(bytes32 indexed ilk, address indexed owner, address indexed recipient, uint256 collateral, uint256 normalizedDebt, uint256 debtRad)',
]);

export const auctionEvents = parseAbi([
  'event Kick(uint256 indexed id, address indexed owner, uint256 tab, uint256 lot, uint256 top, uint256 startedAt, uint256 tierId, uint256 minTab, uint256 penalty, address keeper)',
  'event Take(uint256 indexed id, address indexed taker, address indexed receiver, uint256 price, uint256 owe, uint256 collateralOut, uint256 tabLeft, uint256 lotLeft)',
  'event Redo(uint256 indexed id, address indexed keeper, uint256 top, uint256 startedAt, uint256 incentive)',
  'event AuctionClosed(uint256 indexed id, uint256 lotReturned, uint256 unraisedTab, uint256 revenue)',
  'event Yank(uint256 indexed id, uint256 tab, uint256 lot, address to)',
  'event Takeover(uint256 indexed id, address indexed trigger, uint256 price, uint256 owe, uint256 collateralOut, uint256 reward)',
  'struct Tier { uint8 kind; uint96 cutRay; uint32 periodSeconds; uint32 tailSeconds; uint64 floorWad; uint16 startPremiumBps; }',
  'event TierAdded(uint256 indexed tierId, Tier tier)',
  'event TiersSet(uint256[] tierIds, uint256[] maxTabs)',
  'event BreakerLevelSet(uint8 level)',
]);

export const spotterEvents = parseAbi(['event Poke(bytes32 indexed ilk, uint256 markPrice, uint256 spot)']);

export const liquidationEngineEvents = parseAbi([
  'event IlkConfigured(bytes32 indexed ilk, address house, uint256 penaltyWad, uint256 maxDebtInAuctions, uint256 maxDebtPerBlock)',
]);

/** Every event the index reads (one eth_getLogs filter). */
export const indexEvents = [...vaultEngineEvents, ...auctionEvents, ...spotterEvents, ...liquidationEngineEvents] as const;
