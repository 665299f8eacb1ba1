// The deployment file (deployments/<chainId>.json): addresses of every contract, the block it was
// deployed at, and each collateral type. Its one schema lives in @gavel/sdk
// (sdk/src/deployment.ts, imported by its own subpath so the client bundle does not take in
// every ABI), shared with the demo; the API route's response type is the app's.
export {
  checkDeploymentChain,
  DeploymentChainError,
  deploymentSchema,
  ilkSchema,
  parseDeployment,
  type Deployment,
  type Ilk,
  type ParsedDeployment,
} from '@gavel/sdk/deployment';

/** The JSON the API route serves: the raw file, or why there is none. */
export type DeploymentResponse =
  | { status: 'ok'; deployment: unknown }
  | { status: 'missing'; path: string }
  | { status: 'invalid'; path: string; message: string };

