// Signs an EIP-2612 permit for the stablecoin with the connected wallet.
import type { Address, Hex } from 'viem';
import type { Config } from 'wagmi';
import { signTypedData } from 'wagmi/actions';
import { permitTypedData, type PermitDomain } from '../actions/permit';

export async function signPermit(
  config: Config,
  p: { domain: PermitDomain; owner: Address; spender: Address; value: bigint; nonce: bigint; deadline: bigint },
): Promise<Hex> {
  return signTypedData(config, { account: p.owner, ...permitTypedData(p) });
}
