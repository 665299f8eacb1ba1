// The deployment the indexer follows: the deployments file named by DEPLOYMENTS_FILE, validated with
// the SDK's schema (the one definition of its shape). Read once when Ponder loads the config and the
// handlers; a bad file stops the indexer with the schema's message naming the field.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Deployment, type Ilk, parseDeployment } from '@gavel/sdk/deployment';
import { type Address, type Hex, getAddress } from 'viem';

export class IndexerConfigError extends Error {
  override readonly name = 'IndexerConfigError';
}

function load(): Deployment {
  const file = process.env.DEPLOYMENTS_FILE;
  if (file === undefined || file === '') throw new IndexerConfigError('DEPLOYMENTS_FILE is not set: point it at deployments/<chainId>.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.resolve(file), 'utf8')) as unknown;
  } catch (err) {
    throw new IndexerConfigError(`cannot read the deployments file ${file}: ${(err as Error).message}`);
  }
  const parsed = parseDeployment(raw);
  if (!parsed.ok) throw new IndexerConfigError(`bad deployments file ${file}: ${parsed.message}`);
  return parsed.deployment;
}

export const deployment: Deployment = load();

const byHouse = new Map<string, Ilk>(deployment.ilks.map((i) => [i.house.toLowerCase(), i]));
const byId = new Map<string, Ilk>(deployment.ilks.map((i) => [i.id.toLowerCase(), i]));

/** The collateral type an auction house sells (from the deployments file). */
export function ilkOfHouse(house: Address): Ilk {
  const ilk = byHouse.get(house.toLowerCase());
  if (ilk === undefined) throw new IndexerConfigError(`auction house ${house} is not in the deployments file`);
  return ilk;
}

const portfolioIlk = deployment.portfolioIlk?.toLowerCase();

/**
 * The portfolio debt ilk (deployments `portfolioIlk`, issue #18): an engine ilk that books portfolio debt
 * with no collateral, oracle or house. It is no collateral type: the ilk and vault tables leave it out.
 */
export function isPortfolioIlk(id: Hex): boolean {
  return portfolioIlk !== undefined && id.toLowerCase() === portfolioIlk;
}

/** The deployments file's entry of an ilk id, if it lists it. */
export function ilkInfo(id: Hex): Ilk | undefined {
  return byId.get(id.toLowerCase());
}

/** The Uniswap V2 pair of an ilk on a seeded local chain (keyed by ilk name in the file). */
export function pairOf(ilk: Ilk): Address | undefined {
  const p = deployment.dex?.pairs[ilk.name] ?? deployment.dex?.pairs[ilk.id];
  return p === undefined ? undefined : getAddress(p);
}
