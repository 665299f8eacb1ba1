// Deploy a forge artifact on a test node and wait for it to be mined.
import type { Address, Chain, Hex, HttpTransport, PublicClient, WalletClient } from 'viem';
import type { HDAccount } from 'viem/accounts';
import { type ArtifactOptions, readDeployableArtifact } from './artifacts.ts';

export interface DeployClients {
  readonly publicClient: PublicClient<HttpTransport, Chain>;
  readonly walletClient: WalletClient<HttpTransport, Chain, HDAccount>;
}

/**
 * Deploys `contractName` from the forge artifacts with constructor `args` and returns its address.
 * Throws when the deployment reverts.
 */
export async function deployArtifact(
  clients: DeployClients,
  contractName: string,
  args: readonly unknown[] = [],
  options: ArtifactOptions = {},
): Promise<Address> {
  const { abi, bytecode } = readDeployableArtifact(contractName, options);
  const hash: Hex = await clients.walletClient.deployContract({ abi, bytecode, args });
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) {
    throw new Error(`deploying ${contractName} failed (tx ${hash}, status ${receipt.status})`);
  }
  return receipt.contractAddress;
}
