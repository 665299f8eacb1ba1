import { stablecoinAbi } from '@gavel/sdk';
import { queryOptions } from '@tanstack/react-query';
import { erc20Abi, type Address, type PublicClient } from 'viem';
import { familyKey } from '../lib/liveKeys.ts';

/** A token balance and allowance of `account` for `spender`. */
export function tokenWalletQueryOptions(client: PublicClient, token: Address, account: Address | undefined, spender: Address) {
  return queryOptions({
    queryKey: [...familyKey('wallet'), account ?? '', token, spender] as const,
    enabled: account !== undefined,
    queryFn: async () => {
      const owner = account ?? '0x0000000000000000000000000000000000000000';
      const [balance, allowance] = await Promise.all([
        client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] }),
        client.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [owner, spender] }),
      ]);
      return { balance, allowance };
    },
  });
}

/** The stablecoin's permit state for `account`: nonce, name and domain separator. */
export function permitInfoQueryOptions(client: PublicClient, stablecoin: Address, account: Address | undefined) {
  return queryOptions({
    queryKey: [...familyKey('wallet'), account ?? '', stablecoin, 'permit'] as const,
    enabled: account !== undefined,
    queryFn: async () => {
      const owner = account ?? '0x0000000000000000000000000000000000000000';
      const [nonce, name, separator] = await Promise.all([
        client.readContract({ address: stablecoin, abi: stablecoinAbi, functionName: 'nonces', args: [owner] }),
        client.readContract({ address: stablecoin, abi: stablecoinAbi, functionName: 'name' }),
        client.readContract({ address: stablecoin, abi: stablecoinAbi, functionName: 'DOMAIN_SEPARATOR' }),
      ]);
      return { nonce, name, separator };
    },
  });
}
