// The development wallet: anvil's well-known dev accounts behind wagmi's mock connector, which
// forwards every request to the node, so anvil signs and the transactions are real. Created only
// when the build targets the local chain (31337); anvil's keys are public, never use them elsewhere.
import { createConnector, mock } from 'wagmi';
import type { Address } from 'viem';

/** anvil's default accounts (mnemonic "test test … junk"), index 0 to 9. */
export const ANVIL_ACCOUNTS: readonly Address[] = [
  '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65',
  '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
  '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955',
  '0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f',
  '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
];

export const DEV_WALLET_PREFIX = 'dev-';

/** The key wagmi keeps the last connected connector's id under (its `connect` sets it, `disconnect` clears it). */
export const RECENT_CONNECTOR_KEY = 'recentConnectorId';

/**
 * Whether a dev-wallet connector should reconnect on load: it was the last one connected and not
 * disconnected since. wagmi's mock connector remembers "connected" only in memory, so without this a
 * reload or a new tab loses the wallet; the storage (localStorage) is shared by every tab.
 */
export function shouldReconnect(connectorId: string, recentConnectorId: string | null | undefined): boolean {
  return isDevWallet(connectorId) && recentConnectorId === connectorId;
}

/** A connector for anvil account `index`, id `dev-<index>`. */
export function devWallet(index: number) {
  const address = ANVIL_ACCOUNTS[index];
  if (!address) throw new RangeError(`no anvil account ${index}`);
  const base = mock({ accounts: [address], features: { reconnect: true } });
  const id = `${DEV_WALLET_PREFIX}${index}`;
  return createConnector((config) => {
    const inner = base(config);
    return {
      ...inner,
      id,
      name: `Development wallet #${index}`,
      async isAuthorized(): Promise<boolean> {
        let recent: string | null | undefined;
        try {
          recent = await config.storage?.getItem(RECENT_CONNECTOR_KEY);
        } catch {
          return false;
        }
        return shouldReconnect(id, recent);
      },
      // wagmi's disconnect keeps the last connector's id: forget it, so a disconnected dev wallet
      // stays disconnected after a reload.
      async disconnect(): Promise<void> {
        await inner.disconnect();
        await config.storage?.removeItem(RECENT_CONNECTOR_KEY);
      },
    };
  });
}

export function isDevWallet(connectorId: string | undefined): boolean {
  return connectorId?.startsWith(DEV_WALLET_PREFIX) ?? false;
}
