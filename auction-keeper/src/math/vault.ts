// Vault math, mirroring VaultEngine to the wei. It lives in @gavel/contracts (contracts/ts/vault.ts)
// beside the other TypeScript mirrors of on-chain math, so the keeper and the demo's observer
// classify vaults with the same functions; re-exported here for the keeper's modules.

export {
  MAX_UINT256,
  RAY,
  WAD,
  type IlkRates,
  type VaultAmounts,
  collateralValueWadDown,
  debtWadUp,
  health,
  isSafe,
  isSafeUnrounded,
  liquidationPrice,
  liquidationSpot,
  scaleForDecimals,
} from '@gavel/contracts';
