// A vault monitor on @gavel/sdk alone: every vault's debt, health and liquidation price computed
// locally with the engine's own rules from `vault` and `ilks` reads, and the unsafe ones flagged.
// Owners come from the VaultEngine's VaultChanged events. Usage:
//   node vault-monitor.mjs <rpcUrl> <deployments.json>
import { readFileSync } from 'node:fs';
import { createPublicClient, formatUnits, http } from 'viem';
import { MAX_UINT256, debtOf, health, isSafe, liquidationPrice, vaultEngineAbi } from '@gavel/sdk';
import { parseDeployment } from '@gavel/sdk/deployment';

const [rpcUrl, file] = process.argv.slice(2);
const parsed = parseDeployment(JSON.parse(readFileSync(file, 'utf8')));
if (!parsed.ok) throw new Error(`bad deployments file: ${parsed.message}`);
const d = parsed.deployment;
const client = createPublicClient({ transport: http(rpcUrl) });
const event = vaultEngineAbi.find((i) => i.type === 'event' && i.name === 'VaultChanged');
const logs = await client.getLogs({ address: d.engine, event, fromBlock: d.block });
const fmt = (wad) => (wad === MAX_UINT256 ? '∞' : Number(formatUnits(wad, 18)).toFixed(4));

let vaults = 0;
let unsafe = 0;
for (const ilk of d.ilks) {
  const info = await client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [ilk.id] });
  const owners = new Set(logs.filter((l) => l.args.ilk === ilk.id).map((l) => l.args.owner));
  for (const owner of owners) {
    const [collateral, normalizedDebt] = await client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'vault', args: [ilk.id, owner] });
    if (normalizedDebt === 0n) continue;
    vaults++;
    const safe = isSafe(collateral, normalizedDebt, info);
    if (!safe) unsafe++;
    console.log(
      `${ilk.name} ${owner} debt ${fmt(debtOf(normalizedDebt, info.rate))} health ${fmt(health(collateral, normalizedDebt, info))}` +
        ` liquidation price ${fmt(liquidationPrice(collateral, normalizedDebt, info))}${safe ? '' : '  UNSAFE'}`,
    );
  }
}
console.log(`${vaults} vaults with debt, ${unsafe} unsafe`);
