// The app against a live local chain: overview, auctions (price falls, partial take), vaults
// (liquidation price, add collateral), then the states that make actions impossible: no wallet,
// wrong network, a rejected signature (the RPC that is down: rpc-down.spec.ts, last). Serial: the
// take changes the chain the later tests read.
import { expect, test, type Page } from '@playwright/test';
import { createPublicClient, http, parseAbi, type Address } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { connectDevWallet, injectWallet, num, screenshot, SIGNING_METHODS, state, walletCalls, type E2EState } from './fixtures.ts';
import { ANVIL_MNEMONIC, TAKER_INDEX, VAULT_OWNER_INDEX } from './stack.mjs';

test.describe.configure({ mode: 'serial' });

test('overview shows the collateral types and their mark prices', async ({ page }, testInfo) => {
  const s = state();
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${s.baseUrl}/`);
  for (const ilk of s.deployment.ilks) {
    await expect(page.getByTestId(`ilk-row-${ilk.name}`)).toBeVisible();
  }
  await expect(page.getByTestId('mark-price').first()).not.toHaveText(/^\s*$/);
  await expect(page.getByTestId('active-auctions')).toHaveText(String(s.scenario.live));

  // Unsafe vaults: the engine's own isSafe over every account that can hold a vault on this chain
  // (anvil's ten and the seeded ones), each collateral type.
  const chain = createPublicClient({ transport: http(s.rpcUrl) });
  const engineAbi = parseAbi([
    'function isSafe(bytes32 ilk, address owner) view returns (bool)',
    'function vault(bytes32 ilk, address owner) view returns (uint256 collateral, uint256 normalizedDebt)',
  ]);
  const seed = s.deployment.seed;
  const owners = [
    ...Array.from({ length: 10 }, (_, i) => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }).address),
    ...Array.from({ length: seed?.vaults ?? 0 }, (_, i) => mnemonicToAccount(seed?.mnemonic ?? ANVIL_MNEMONIC, { addressIndex: (seed?.firstAccountIndex ?? 10) + i }).address),
  ];
  let unsafe = 0;
  let withDebt = 0;
  for (const ilk of s.deployment.ilks) {
    for (const owner of owners) {
      const [, art] = await chain.readContract({ address: s.deployment.engine, abi: engineAbi, functionName: 'vault', args: [ilk.id, owner] });
      if (art > 0n) withDebt++;
      if (!(await chain.readContract({ address: s.deployment.engine, abi: engineAbi, functionName: 'isSafe', args: [ilk.id, owner] }))) unsafe++;
    }
  }
  expect(withDebt).toBeGreaterThan(0);
  expect(unsafe, 'global setup leaves an unsafe vault unliquidated').toBeGreaterThan(0);
  await expect(page.getByTestId('unsafe-vaults')).toHaveText(String(unsafe));
  await expect(page.getByTestId('unsafe-vault')).toHaveCount(Math.min(unsafe, 10));
  await expect(page.getByTestId('overview-liquidate').first()).toBeVisible();
  // Bad debt split as the terminal dashboard splits it: tab in live auctions, proceeds not settled.
  await expect(page.getByTestId('bad-debt-live')).toHaveText(/\d/);
  await expect(page.getByTestId('bad-debt-proceeds')).toHaveText(/\d/);
  // The favicon exists and nothing the page loaded failed.
  const icon = await page.request.get(`${s.baseUrl}/favicon.ico`);
  expect(icon.status()).toBe(200);
  expect(failed, 'no request of the page failed').toEqual([]);
  await screenshot(page, testInfo, 'overview');
});

test('auctions page: the price falls between two reads', async ({ page }, testInfo) => {
  const s = state();
  await page.goto(`${s.baseUrl}/auctions`);
  const rows = page.getByTestId('auction-row');
  await expect(rows).toHaveCount(s.scenario.live);
  const price = rows.first().getByTestId('auction-price');
  await expect(price).toHaveAttribute('data-price', /^[1-9]\d*$/);
  const first = BigInt((await price.getAttribute('data-price')) ?? '0');
  // The price ticks every second from the curve (stairstep tiers step every 10 s at most).
  await expect
    .poll(async () => BigInt((await price.getAttribute('data-price')) ?? '0'), { timeout: 25_000, intervals: [2_000] })
    .toBeLessThan(first);
  await screenshot(page, testInfo, 'auctions');
});

test('take part of an auction with the development wallet', async ({ page }, testInfo) => {
  const s = state();
  await page.goto(`${s.baseUrl}/auctions`);
  const rows = page.getByTestId('auction-row');
  await expect(rows).toHaveCount(s.scenario.live);
  // The auction with the largest debt left: a partial take keeps it above its minimum.
  const tabs = await rows.getByTestId('auction-tab').allTextContents();
  let best = 0;
  tabs.forEach((t, i) => {
    if (num(t) > num(tabs[best] ?? '0')) best = i;
  });
  await rows.nth(best).getByTestId('auction-link').click();
  await expect(page.getByTestId('take-form')).toBeVisible();

  await connectDevWallet(page, TAKER_INDEX);
  const lot = page.getByTestId('detail-lot');
  const balance = page.getByTestId('stable-balance');
  await expect(balance).not.toHaveText('—');
  const lotBefore = num(await lot.textContent());
  const balanceBefore = num(await balance.textContent());
  expect(lotBefore).toBeGreaterThan(0);

  // A tenth of the lot, approve flow (permit is the default; approve is the universal path).
  await page.getByTestId('take-max').click();
  const maxLot = num(await page.getByTestId('take-amount').inputValue());
  await page.getByTestId('take-amount').fill((maxLot / 10).toFixed(4));
  await page.getByTestId('auth-approve').click();
  const authorize = page.getByTestId('take-authorize');
  if (await authorize.isVisible()) {
    await authorize.click();
    const approveStatus = page.getByTestId('approve-status');
    await expect(approveStatus).toHaveAttribute('data-status', /^(mined|failed)$/);
    expect(await approveStatus.getAttribute('data-status'), `approve: ${await approveStatus.textContent()}`).toBe('mined');
  }
  await expect(page.getByTestId('take-submit')).toBeEnabled();
  await page.getByTestId('take-submit').click();
  const takeStatus = page.getByTestId('take-status');
  await expect(takeStatus).toHaveAttribute('data-status', /^(mined|failed)$/, { timeout: 30_000 });
  expect(await takeStatus.getAttribute('data-status'), `take: ${await takeStatus.textContent()}`).toBe('mined');

  await expect.poll(async () => num(await lot.textContent())).toBeLessThan(lotBefore);
  await expect.poll(async () => num(await balance.textContent())).toBeLessThan(balanceBefore);
  await expect(page.getByTestId('take-row').first()).toBeVisible();
  // After a successful take the emptied form is not an error, and the proposed max price is a
  // readable number (at most 6 significant digits), not 18 decimals.
  await expect(page.getByTestId('take-amount-error')).toHaveCount(0);
  expect(await page.getByTestId('take-amount').getAttribute('aria-invalid')).toBeNull();
  const proposed = await page.getByTestId('take-max-price').inputValue();
  expect(proposed.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length, `max price ${proposed}`).toBeLessThanOrEqual(6);

  // Right after the take, "price now" is to the wei what the chain would charge in a block mined
  // now: getStatus at anvil's pending block (its clock). Read mid-second, so neither clock turns
  // between the two reads.
  const [, , house, id] = new URL(page.url()).pathname.split('/');
  const chain = createPublicClient({ transport: http(s.rpcUrl) });
  const getStatus = parseAbi(['function getStatus(uint256 id) view returns (bool needsRedo, uint256 price, uint256 lot, uint256 tab)']);
  const uiPrice = page.getByTestId('detail-price-wad');
  for (let i = 0; i < 3; i++) {
    await page.waitForTimeout((1_500 - (Date.now() % 1_000)) % 1_000);
    const [ui, [, chainPrice]] = await Promise.all([
      uiPrice.getAttribute('data-price'),
      chain.readContract({ address: house as Address, abi: getStatus, functionName: 'getStatus', args: [BigInt(id ?? '')], blockTag: 'pending' }),
    ]);
    expect(BigInt(ui ?? '0'), `price now vs chain (read ${i + 1})`).toBe(chainPrice);
  }
  await screenshot(page, testInfo, 'auction-detail');

  // The development wallet survives a reload and a new tab (it was lost on both).
  await page.reload();
  await expect(page.getByTestId('dev-wallet-badge')).toBeVisible();
  const tab = await page.context().newPage();
  await tab.goto(`${s.baseUrl}/vaults`);
  await expect(tab.getByTestId('dev-wallet-badge')).toBeVisible();
  await tab.close();
});

test('vaults: liquidation price of a seeded owner, add collateral raises health', async ({ page }, testInfo) => {
  const s = state();
  const seeded = s.scenario.safeSeedOwners[0];
  if (!seeded) throw new Error('no safe seeded vault left');
  await page.goto(`${s.baseUrl}/vaults`);
  await page.getByTestId('vault-owner').fill(seeded.owner);
  const seededCard = page.getByTestId(`vault-${seeded.ilk}`);
  await expect(seededCard).toBeVisible();
  await expect(seededCard.getByTestId('vault-liquidation-price')).toHaveText(/\d/);
  expect(num(await seededCard.getByTestId('vault-liquidation-price').textContent())).toBeGreaterThan(0);
  await screenshot(page, testInfo, 'vaults-seeded-owner');

  // The dev wallet's own vault (opened in global setup for this account).
  await page.getByTestId('vault-owner').fill('');
  await connectDevWallet(page, VAULT_OWNER_INDEX);
  const card = page.getByTestId('vault-ETH-A');
  await expect(card).toBeVisible();
  const health = card.getByTestId('health');
  await expect(health).toHaveAttribute('data-health', /^\d+$/);
  const before = BigInt((await health.getAttribute('data-health')) ?? '0');
  await expect(card.getByTestId('vault-liquidation-price')).toHaveText(/\d/);

  await card.getByTestId('vault-tab-add').click();
  await card.getByTestId('add-collateral-amount').fill('5');
  const approve = card.getByTestId('add-collateral-approve');
  if (await approve.isVisible()) {
    await approve.click();
    await expect(card.getByTestId('add-collateral-approve-status')).toHaveAttribute('data-status', 'mined');
  }
  await expect(card.getByTestId('add-collateral-submit')).toBeEnabled();
  await card.getByTestId('add-collateral-submit').click();
  const addStatus = card.getByTestId('add-collateral-status');
  await expect(addStatus).toHaveAttribute('data-status', /^(mined|failed)$/, { timeout: 30_000 });
  expect(await addStatus.getAttribute('data-status'), `add collateral: ${await addStatus.textContent()}`).toBe('mined');
  await expect.poll(async () => BigInt((await health.getAttribute('data-health')) ?? '0')).toBeGreaterThan(before);
  await screenshot(page, testInfo, 'vaults');
});

test('an auction id that never existed says so, not "this auction is over"', async ({ page }) => {
  const s = state();
  const house = s.deployment.ilks[0]?.house ?? '0x';
  await page.goto(`${s.baseUrl}/auctions/${house}/999`);
  await expect(page.getByTestId('no-such-auction')).toContainText('No such auction');
  await expect(page.getByTestId('auction-closed')).toHaveCount(0);
});

/** Opens the auction with the largest debt left (a partial take of it stays above its minimum). */
async function openLargestAuction(page: Page, s: E2EState): Promise<void> {
  await page.goto(`${s.baseUrl}/auctions`);
  const rows = page.getByTestId('auction-row');
  await expect(rows).toHaveCount(s.scenario.live);
  const tabs = await rows.getByTestId('auction-tab').allTextContents();
  let best = 0;
  tabs.forEach((t, i) => {
    if (num(t) > num(tabs[best] ?? '0')) best = i;
  });
  await rows.nth(best).getByTestId('auction-link').click();
  await expect(page.getByTestId('take-form')).toBeVisible();
}

const taker = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: TAKER_INDEX }).address;
const vaultOwner = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: VAULT_OWNER_INDEX }).address;

/** Transactions sent from `address` so far (its nonce on the node). */
async function nonce(s: E2EState, address: Address): Promise<number> {
  return createPublicClient({ transport: http(s.rpcUrl) }).getTransactionCount({ address, blockTag: 'pending' });
}

test('no wallet: the take form asks for one and the connect menu says none is installed', async ({ page }, testInfo) => {
  const s = state();
  await openLargestAuction(page, s);
  await expect(page.getByTestId('take-connect')).toHaveText(/Connect a wallet to take this auction/);
  await expect(page.getByTestId('take-submit')).toHaveCount(0);
  await page.getByTestId('connect-button').click();
  await expect(page.getByTestId('no-injected')).toHaveText(/No browser wallet found/);
  await expect(page.getByTestId('connect-injected')).toBeDisabled();
  await screenshot(page, testInfo, 'state-no-wallet');
});

test('wrong network: a wallet on another chain is named, nothing can be sent until it switches', async ({ page }, testInfo) => {
  const s = state();
  await injectWallet(page, { chainId: 1, account: vaultOwner, rpcUrl: s.rpcUrl });
  const nonceBefore = await nonce(s, vaultOwner);

  // The owner's vault (opened in global setup, ETH left in the wallet): a vault action on the
  // wrong chain is refused before the wallet is asked (approve or deposit, whichever the form
  // offers once it has read the balance and the allowance).
  await page.goto(`${s.baseUrl}/vaults`);
  await page.getByTestId('connect-button').click();
  await page.getByTestId('connect-injected').click();
  await expect(page.getByTestId('wallet-address')).toBeVisible();
  await expect(page.getByTestId('wrong-network')).toContainText('Wrong network');
  const card = page.getByTestId('vault-ETH-A');
  await expect(card).toBeVisible();
  await card.getByTestId('vault-tab-add').click();
  await card.getByTestId('add-collateral-amount').fill('1');
  const approve = card.getByTestId('add-collateral-approve');
  await expect(approve.or(card.locator('[data-testid="add-collateral-submit"]:enabled'))).toBeVisible();
  const [button, status] = (await approve.isVisible())
    ? [approve, card.getByTestId('add-collateral-approve-status')]
    : [card.getByTestId('add-collateral-submit'), card.getByTestId('add-collateral-status')];
  await button.click();
  await expect(status).toHaveAttribute('data-status', 'failed');
  await expect(status).toHaveAttribute('data-error', 'Wrong network');
  await expect(status).toContainText('Your wallet is on chain 1');
  await expect(status).toContainText('Nothing was sent.');

  await openLargestAuction(page, s);
  await expect(page.getByTestId('wallet-address')).toBeVisible();

  const banner = page.getByTestId('wrong-network');
  await expect(banner).toContainText('Wrong network');
  await expect(banner).toContainText('Your wallet is on chain 1');
  await expect(page.getByTestId('take-form')).toContainText('Switch your wallet to the right network first');
  await expect(page.getByTestId('take-submit')).toHaveCount(0);
  await expect(page.getByTestId('take-authorize')).toHaveCount(0);
  await screenshot(page, testInfo, 'state-wrong-network');

  // The banner's switch asks the wallet to change chain; on the right chain the form opens.
  await page.getByTestId('switch-network').click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('take-submit')).toBeVisible();

  const calls = await walletCalls(page);
  expect(calls).toContain('wallet_switchEthereumChain');
  expect(calls.filter((m) => SIGNING_METHODS.includes(m)), 'nothing asked the wallet to sign').toEqual([]);
  expect(await nonce(s, vaultOwner)).toBe(nonceBefore);
});

test('rejected signature: a permit or an approval the wallet rejects is named and nothing is sent', async ({ page }, testInfo) => {
  const s = state();
  await injectWallet(page, { chainId: 31337, account: taker, rpcUrl: s.rpcUrl });
  const nonceBefore = await nonce(s, taker);
  await openLargestAuction(page, s);
  await page.getByTestId('connect-button').click();
  await page.getByTestId('connect-injected').click();
  await expect(page.getByTestId('wallet-address')).toBeVisible();
  await expect(page.getByTestId('wrong-network')).toHaveCount(0);
  await expect(page.getByTestId('stable-balance')).not.toHaveText('—');

  // A fifth of the lot: more than any allowance left by the earlier take, so authorization is needed.
  await page.getByTestId('take-max').click();
  const maxLot = num(await page.getByTestId('take-amount').inputValue());
  await page.getByTestId('take-amount').fill((maxLot / 5).toFixed(4));
  const authorize = page.getByTestId('take-authorize');

  // Permit (the default): the wallet rejects eth_signTypedData_v4.
  await expect(page.getByTestId('auth-permit')).toHaveAttribute('aria-checked', 'true');
  await expect(authorize).toBeEnabled();
  await authorize.click();
  const sign = page.getByTestId('sign-status');
  await expect(sign).toHaveAttribute('data-status', 'failed');
  await expect(sign).toHaveAttribute('data-error', 'Rejected');
  await expect(sign).toContainText('You rejected the request in your wallet. Nothing was sent.');
  await expect(page.getByTestId('approve-status')).toHaveCount(0);
  await screenshot(page, testInfo, 'state-rejected-permit');

  // Approve: the wallet rejects eth_sendTransaction.
  await page.getByTestId('auth-approve').click();
  await expect(authorize).toBeEnabled();
  await authorize.click();
  const approve = page.getByTestId('approve-status');
  await expect(approve).toHaveAttribute('data-status', 'failed');
  await expect(approve).toHaveAttribute('data-error', 'Rejected');
  await expect(approve).toContainText('Nothing was sent.');
  await expect(page.getByTestId('take-submit')).toBeDisabled();

  const calls = await walletCalls(page);
  expect(calls.filter((m) => SIGNING_METHODS.includes(m))).toEqual(['eth_signTypedData_v4', 'eth_sendTransaction']);
  expect(await nonce(s, taker), 'no transaction reached the chain').toBe(nonceBefore);
});
