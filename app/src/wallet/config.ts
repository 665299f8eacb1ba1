// wagmi configuration: injected (EIP-1193) wallets always; the development wallet only when this
// build targets the local chain.
import { createConfig, injected } from 'wagmi';
import { IS_LOCAL_CHAIN } from '../lib/env.ts';
import { chain, transport } from './chain.ts';
import { ANVIL_ACCOUNTS, devWallet } from './devWallet.ts';

const devWallets = IS_LOCAL_CHAIN ? ANVIL_ACCOUNTS.map((_, i) => devWallet(i)) : [];

export const wagmiConfig = createConfig({
  chains: [chain],
  connectors: [injected(), ...devWallets],
  transports: { [chain.id]: transport },
  ssr: true,
  pollingInterval: 2_000,
});

declare module 'wagmi' {
  interface Register {
    config: typeof wagmiConfig;
  }
}
