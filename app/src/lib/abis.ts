// Every custom error the app can meet in one ABI, so a revert from any contract in a call chain
// (a take that fails in the stablecoin's transferFrom, a deposit that fails in the token) decodes
// to its name, whichever contract the call was addressed to.
import {
  collateralAuctionAbi,
  insuranceFundAbi,
  liquidationEngineAbi,
  medianOracleAbi,
  pushedFeedAbi,
  spotterAbi,
  stablecoinAbi,
  uniswapV2FlashTakerAbi,
  vaultEngineAbi,
} from '@gavel/contracts';
import { type Abi, parseAbi } from 'viem';

type AbiError = Extract<Abi[number], { type: 'error' }>;

/** Errors raised inside solady libraries and by OpenZeppelin-style tokens, absent from our ABIs. */
const libraryErrors = parseAbi([
  'error TransferFromFailed()',
  'error TransferFailed()',
  'error ApproveFailed()',
  'error ETHTransferFailed()',
  'error Reentrancy()',
  'error Unauthorized()',
  'error NewOwnerIsZeroAddress()',
  'error MulDivFailed()',
  'error FullMulDivFailed()',
  'error RPowOverflow()',
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
]);

function isError(item: Abi[number]): item is AbiError {
  return item.type === 'error';
}

/** The union of every error of every contract, deduplicated by signature. */
export const allErrorsAbi: readonly AbiError[] = (() => {
  const seen = new Set<string>();
  const out: AbiError[] = [];
  const sources: readonly Abi[] = [
    collateralAuctionAbi,
    liquidationEngineAbi,
    vaultEngineAbi,
    stablecoinAbi,
    insuranceFundAbi,
    medianOracleAbi,
    spotterAbi,
    pushedFeedAbi,
    uniswapV2FlashTakerAbi,
    libraryErrors,
  ];
  for (const abi of sources) {
    for (const item of abi) {
      if (!isError(item)) continue;
      const selector = `${item.name}(${item.inputs.map((i) => i.type).join(',')})`;
      if (seen.has(selector)) continue;
      seen.add(selector);
      out.push(item);
    }
  }
  return out;
})();
