// One owner's portfolio vault, read from chain: the scenario table (PortfolioEngine `assets`, `scenarios`),
// the owner's holdings and debt (`holdingsOf`, `liquidationView`), the portfolio ilk's ceiling and totals
// (VaultEngine `ilks`), what the rule reads per asset (VaultEngine `ilks`: spot, liquidation ratio, scale),
// and the engine's own verdict (`isSafe`, `portfolioRequirement`) to show beside the SDK's. The rule that
// turns these into scenario values, safety and liquidation prices is the SDK's (lib/portfolio.ts).
import { portfolioEngineAbi, vaultEngineAbi } from '@gavel/sdk';
import { queryOptions } from '@tanstack/react-query';
import { hexToString, type Address, type Hex, type PublicClient } from 'viem';
import type { Deployment } from '../lib/deployment.ts';
import { familyKey } from '../lib/liveKeys.ts';
import type { PortfolioAsset, PortfolioInputs } from '../lib/portfolio.ts';
import { ilkInfo, tokenSymbol } from './reads.ts';

export interface PortfolioData extends PortfolioInputs {
  engine: Address;
  owner: Address;
  /** The engine's own verdict and worst scenario, for the page to show beside the SDK's. */
  chainSafe: boolean;
  chainWorstValue: bigint;
  chainWorstScenario: number;
}

/** An ilk id's name: the deployment's, else the bytes32 text ("ETH-A"). */
function ilkName(d: Deployment, id: Hex): string {
  const known = d.ilks.find((i) => i.id.toLowerCase() === id.toLowerCase());
  if (known) return known.name;
  try {
    return hexToString(id, { size: 32 }).replace(/\0+$/, '') || id;
  } catch {
    return id;
  }
}

async function fetchPortfolio(client: PublicClient, d: Deployment, engine: Address, owner: Address): Promise<PortfolioData> {
  const read = <F extends 'assets' | 'scenarios'>(functionName: F) => client.readContract({ address: engine, abi: portfolioEngineAbi, functionName });
  const [ids, shocksWad, holdings, lv, portfolioIlk] = await Promise.all([
    read('assets'),
    read('scenarios'),
    client.readContract({ address: engine, abi: portfolioEngineAbi, functionName: 'holdingsOf', args: [owner] }),
    client.readContract({ address: engine, abi: portfolioEngineAbi, functionName: 'liquidationView', args: [owner] }),
    d.portfolioIlk ? Promise.resolve(d.portfolioIlk) : client.readContract({ address: engine, abi: portfolioEngineAbi, functionName: 'portfolioIlk' }),
  ]);
  const [debtLine, requirement, assets] = await Promise.all([
    client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [portfolioIlk] }),
    client.readContract({ address: engine, abi: portfolioEngineAbi, functionName: 'portfolioRequirement', args: [holdings] }),
    Promise.all(
      ids.map(async (id, a): Promise<PortfolioAsset> => {
        const info = await ilkInfo(client, d.engine, id);
        const name = ilkName(d, id);
        return {
          ilk: id,
          name,
          symbol: await tokenSymbol(client, info.token, name),
          token: info.token,
          decimals: info.decimals,
          risk: { spotWad: info.spot, liquidationRatioWad: info.liquidationRatio, scale: info.scale },
          collateral: holdings[a] ?? 0n,
        };
      }),
    ),
  ]);
  return {
    engine,
    owner,
    assets,
    shocksWad: shocksWad.map((row) => [...row]),
    normalizedDebt: lv.normalizedDebt,
    rate: lv.rate,
    dust: lv.dust,
    debtCeiling: debtLine.debtCeiling,
    ilkNormalizedDebt: debtLine.normalizedDebt,
    chainSafe: lv.safe,
    chainWorstValue: requirement[0],
    chainWorstScenario: Number(requirement[1]),
  };
}

/** `owner`'s portfolio vault (refreshed with the vault cards: the same log families move it). */
export function portfolioQueryOptions(client: PublicClient, d: Deployment, engine: Address, owner: Address) {
  return queryOptions({ queryKey: [...familyKey('vaults'), d.chainId, owner, 'portfolio'] as const, queryFn: () => fetchPortfolio(client, d, engine, owner) });
}
