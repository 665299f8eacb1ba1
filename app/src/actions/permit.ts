// EIP-2612 permit for the stablecoin: the typed data to sign, and the call that submits it.
import { stablecoinAbi } from '@gavel/sdk';
import { encodeFunctionData, hashDomain, parseSignature, type Address, type Hex } from 'viem';
import type { Call } from '../tx/types.ts';

export const PERMIT_TYPES = {
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const;

export interface PermitDomain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
}

/** Whether the token's DOMAIN_SEPARATOR is the one we would sign against (solady: version "1"). */
export function domainMatches(domain: PermitDomain, separator: Hex): boolean {
  return hashDomain({ domain: { ...domain, chainId: BigInt(domain.chainId) }, types: { EIP712Domain: [
    { name: 'name', type: 'string' },
    { name: 'version', type: 'string' },
    { name: 'chainId', type: 'uint256' },
    { name: 'verifyingContract', type: 'address' },
  ] } }).toLowerCase() === separator.toLowerCase();
}

export function permitTypedData(p: { domain: PermitDomain; owner: Address; spender: Address; value: bigint; nonce: bigint; deadline: bigint }) {
  return {
    domain: p.domain,
    types: PERMIT_TYPES,
    primaryType: 'Permit' as const,
    message: { owner: p.owner, spender: p.spender, value: p.value, nonce: p.nonce, deadline: p.deadline },
  };
}

/** `permit(owner, spender, value, deadline, v, r, s)` from a signature. */
export function permitCall(p: { token: Address; owner: Address; spender: Address; value: bigint; deadline: bigint; signature: Hex }): Call {
  const { r, s, v, yParity } = parseSignature(p.signature);
  const vv = v !== undefined ? Number(v) : yParity + 27;
  return {
    label: 'Submit permit',
    to: p.token,
    data: encodeFunctionData({ abi: stablecoinAbi, functionName: 'permit', args: [p.owner, p.spender, p.value, p.deadline, vv, r, s] }),
  };
}
