// A third-party bidder on @gavel/sdk alone: discover live auctions, price them locally, take the
// profitable ones, and print failures by error name. Usage:
//   node bidder.mjs <rpcUrl> <deployments.json> <privateKey> [minMarginBps=100]
import { readFileSync } from 'node:fs';
import { createPublicClient, createWalletClient, http, maxUint256 } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { BPS, collateralAuctionAbi, decodeGavelError, formatRevert, iMarkPriceSourceAbi, lotValue, quoteAuction, scaleForDecimals, stablecoinAbi, takeAllowed } from '@gavel/sdk';
import { parseDeployment } from '@gavel/sdk/deployment';

const [rpcUrl, file, key, marginArg = '100'] = process.argv.slice(2);
const parsed = parseDeployment(JSON.parse(readFileSync(file, 'utf8')));
if (!parsed.ok) throw new Error(`bad deployments file: ${parsed.message}`);
const d = parsed.deployment;
const account = privateKeyToAccount(key);
const client = createPublicClient({ transport: http(rpcUrl) });
const wallet = createWalletClient({ account, transport: http(rpcUrl) });
const chain = { id: await client.getChainId(), name: 'gavel', nativeCurrency: { name: 'ETH', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } };
const send = async (address, abi, functionName, args) => {
  const hash = await wallet.writeContract({ chain, address, abi, functionName, args });
  return client.waitForTransactionReceipt({ hash });
};

for (const ilk of d.ilks) {
  const read = (functionName, args = []) => client.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName, args });
  if (!takeAllowed(await read('breakerLevel'))) continue; // takes paused by the circuit breaker
  const [mark] = await client.readContract({ address: ilk.oracle, abi: iMarkPriceSourceAbi, functionName: 'peek' });
  const scale = scaleForDecimals(ilk.decimals);
  for (const id of await read('list')) {
    const sale = await read('sale', [id]);
    const tier = await read('tier', [BigInt(sale.tierId)]);
    const now = (await client.getBlock()).timestamp + 1n; // the next block's time, at least
    const q = quoteAuction(tier, { ...sale, startedAt: BigInt(sale.startedAt) }, sale.lot, now, scale);
    if (!q.ok) { console.log(`auction ${id}: ${q.error}`); continue; }
    const value = lotValue(q.collateralOut, mark, scale);
    if (value * BPS < q.owe * (BPS + BigInt(marginArg))) { console.log(`auction ${id}: price ${q.price} not yet profitable`); continue; }
    try {
      await send(d.stablecoin, stablecoinAbi, 'approve', [ilk.house, maxUint256]);
      const maxPrice = (mark * BPS) / (BPS + BigInt(marginArg)); // the highest price that still pays the margin
      const r = await send(ilk.house, collateralAuctionAbi, 'take', [id, sale.lot, maxPrice, account.address, '0x']);
      console.log(`auction ${id}: took ${q.collateralOut} ${ilk.name} for ${q.owe} (worth ${value}) in ${r.transactionHash}`);
    } catch (err) {
      const e = decodeGavelError(err);
      console.log(`auction ${id}: take failed: ${e ? formatRevert(e) : String(err).split('\n')[0]}`);
    }
  }
}
