// Owner-protection calls. Each acts on the caller's own vault (msg.sender is the owner): the app sends
// them only from the owner's wallet.
import { collateralTopUpHookAbi, liquidationEngineAbi, preLiquidationAbi, type PreLiquidationParams } from '@gavel/sdk';
import { encodeFunctionData, zeroAddress, type Address, type Hex } from 'viem';
import type { Call } from '../tx/types.ts';

/** `PreLiquidation.setParams(ilk, params)`: opt in, or change the parameters. */
export function setPreLiquidationParamsCall(p: { preLiquidation: Address; ilk: Hex; params: PreLiquidationParams; label: string }): Call {
  const params = {
    preHealthWad: p.params.preHealthWad,
    incentiveStartWad: p.params.incentiveStartWad,
    incentiveEndWad: p.params.incentiveEndWad,
    closeFactorStartBps: Number(p.params.closeFactorStartBps),
    closeFactorEndBps: Number(p.params.closeFactorEndBps),
  };
  return { label: p.label, to: p.preLiquidation, data: encodeFunctionData({ abi: preLiquidationAbi, functionName: 'setParams', args: [p.ilk, params] }) };
}

/** `PreLiquidation.optOut(ilk)`. */
export function optOutCall(p: { preLiquidation: Address; ilk: Hex }): Call {
  return { label: 'Opt out of pre-liquidation', to: p.preLiquidation, data: encodeFunctionData({ abi: preLiquidationAbi, functionName: 'optOut', args: [p.ilk] }) };
}

/** `LiquidationEngine.setRescueHook(ilk, hook)`; `hook` undefined removes it. */
export function setRescueHookCall(p: { liquidationEngine: Address; ilk: Hex; hook: Address | undefined; label: string }): Call {
  return {
    label: p.label,
    to: p.liquidationEngine,
    data: encodeFunctionData({ abi: liquidationEngineAbi, functionName: 'setRescueHook', args: [p.ilk, p.hook ?? zeroAddress] }),
  };
}

/** `CollateralTopUpHook.setReserve(ilk, maxAmount, targetHealthWad)`; maxAmount 0 clears the reserve. */
export function setReserveCall(p: { hook: Address; ilk: Hex; maxAmount: bigint; targetHealthWad: bigint; label: string }): Call {
  return { label: p.label, to: p.hook, data: encodeFunctionData({ abi: collateralTopUpHookAbi, functionName: 'setReserve', args: [p.ilk, p.maxAmount, p.targetHealthWad] }) };
}
