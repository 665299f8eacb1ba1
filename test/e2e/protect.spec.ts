// Owner protection from the vault card, in Chromium at desktop size and on a 390×844 phone, judged by the
// chain. Two owners open ETH-A vaults (set up here on the stack's chain); each, through the app only, opts
// into pre-liquidation (the band appears on the health bar); the phone owner also registers the top-up hook
// with a funded, approved reserve. The test then drives the market on anvil (feeds pushed down, oracle and
// spotter poked):
//   - desktop: a 5% fall puts the vault in its band; a keeper account pre-liquidates it; the card's
//     preview at today's price equals, to the wei, what the chain then did, and the card shows it;
//   - phone: a 9% fall puts the other vault past the line; a keeper liquidates it; the hook tops it up
//     from the reserve by exactly what the card previewed, the vault stays out of auction, and the card
//     shows the rescue, every element inside the phone's width.
// Runs after phone.spec.ts (name order) and before rpc-down.spec.ts. Screenshots: protect-*.png.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collateralTopUpHookAbi, demoTokenAbi, liquidationEngineAbi, preLiquidationAbi, topUpShortfall, vaultEngineAbi, WAD } from '@gavel/sdk';
import { createPublicClient, createWalletClient, defineChain, http, maxUint256, parseAbi, parseEventLogs, type Address } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { connectDevWallet, screenshot, state, type E2EState } from './fixtures.ts';
import { ANVIL_MNEMONIC } from './stack.mjs';

test.describe.configure({ mode: 'serial' });

/** anvil accounts: the desktop owner, the phone owner, the keeper that pre-liquidates and liquidates. */
const DESKTOP_OWNER_INDEX = 4;
const PHONE_OWNER_INDEX = 5;
const KEEPER_INDEX = 6;
const PHONE = { width: 390, height: 844 };
/** Each owner's debt, and the health each vault opens at (the desktop one above its band, the phone one near the line). */
const VAULT_DEBT = 5_000n * WAD;
const DESKTOP_HEALTH = (WAD * 135n) / 100n;
const PHONE_HEALTH = (WAD * 112n) / 100n;
/** Collateral each owner keeps in the wallet for the reserve. */
const WALLET_SPARE = 20n * WAD;
const POKE_GAS = 2_000_000n;
const LIQUIDATE_GAS = 5_000_000n;
const BPS = 10_000n;

const oracleAbi = parseAbi(['function poke() returns (uint256, uint256)']);
const spotterAbi = parseAbi(['function poke(bytes32 ilk) returns (uint256)']);
const feedAbi = parseAbi(['function push(uint256 priceWad)', 'function read() view returns (uint256 priceWad, uint256 updatedAt)']);

interface Chain {
  s: E2EState;
  pc: ReturnType<typeof createPublicClient>;
  wallet: (index: number) => ReturnType<typeof createWalletClient>;
  eth: E2EState['deployment']['ilks'][number];
  pre: Address;
  hook: Address;
}

function chain(): Chain {
  const s = state();
  const c = defineChain({ id: 31337, name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [s.rpcUrl] } } });
  const transport = http(s.rpcUrl, { batch: false });
  const pc = createPublicClient({ chain: c, transport, pollingInterval: 50 });
  const wallet = (index: number) => createWalletClient({ chain: c, transport, account: mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }) });
  const eth = s.deployment.ilks.find((i) => i.name === 'ETH-A');
  const { preLiquidation: pre, topUpHook: hook } = s.deployment;
  if (!eth || !pre || !hook) throw new Error('the stack has no ETH-A, PreLiquidation or CollateralTopUpHook');
  return { s, pc, wallet, eth, pre, hook };
}

const address = (index: number): Address => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }).address;

async function send(c: Chain, index: number, req: { address: Address; abi: readonly unknown[]; functionName: string; args?: readonly unknown[]; gas?: bigint }) {
  const w = c.wallet(index);
  const account = w.account;
  if (!account) throw new Error('no account');
  const hash = await w.writeContract({ ...req, account, chain: w.chain });
  const r = await c.pc.waitForTransactionReceipt({ hash });
  if (r.status !== 'success') throw new Error(`${req.functionName} reverted (${hash})`);
  return r;
}

/** Opens `index`'s ETH-A vault at `healthWad` today (the SDK's shortfall from zero is the collateral that health needs). */
async function openVault(c: Chain, index: number, healthWad: bigint): Promise<void> {
  const ilk = await c.pc.readContract({ address: c.s.deployment.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [c.eth.id] });
  const collateral = topUpShortfall(0n, VAULT_DEBT, healthWad, ilk);
  await send(c, index, { address: c.eth.token, abi: demoTokenAbi, functionName: 'mint', args: [address(index), collateral + WALLET_SPARE] });
  await send(c, index, { address: c.eth.token, abi: demoTokenAbi, functionName: 'approve', args: [c.s.deployment.engine, collateral] });
  await send(c, index, { address: c.s.deployment.engine, abi: vaultEngineAbi, functionName: 'adjust', args: [c.eth.id, collateral, VAULT_DEBT] });
}

/** The market falls `bps` for ETH-A: every feed pushed down, then the oracle and the spotter poked. */
async function dropEth(c: Chain, bps: bigint): Promise<void> {
  await c.pc.request({ method: 'evm_increaseTime', params: ['0x2'] } as never);
  for (const feed of c.eth.feeds) {
    const [price] = await c.pc.readContract({ address: feed, abi: feedAbi, functionName: 'read' });
    await send(c, 0, { address: feed, abi: feedAbi, functionName: 'push', args: [(price * (BPS - bps)) / BPS] });
  }
  await send(c, 0, { address: c.eth.oracle, abi: oracleAbi, functionName: 'poke', gas: POKE_GAS });
  await send(c, 0, { address: c.s.deployment.spotter, abi: spotterAbi, functionName: 'poke', args: [c.eth.id], gas: POKE_GAS });
}

async function chainHealth(c: Chain, owner: Address): Promise<bigint> {
  return c.pc.readContract({ address: c.s.deployment.engine, abi: vaultEngineAbi, functionName: 'health', args: [c.eth.id, owner] });
}

async function expectMined(status: Locator, what: string): Promise<void> {
  await expect(status).toHaveAttribute('data-status', /^(mined|failed)$/, { timeout: 30_000 });
  expect(await status.getAttribute('data-status'), `${what}: ${await status.textContent()}`).toBe('mined');
}

/** Through the card: opt in with `preHealth` (defaults elsewhere); `refuseFirst`: a value above governance's bound is refused first. */
async function optIn(card: Locator, preHealth: string, refuseFirst = false): Promise<void> {
  await card.getByTestId('vault-tab-prelig').click();
  const field = card.getByTestId('prelig-pre-health');
  if (refuseFirst) {
    await field.fill('1.6');
    await expect(card.getByTestId('prelig-pre-health-error')).toContainText("at most 1.5 (governance's bound)");
    await expect(card.getByTestId('prelig-submit')).toBeDisabled();
  }
  await field.fill(preHealth);
  await expect(card.getByTestId('prelig-pre-health-error')).toHaveCount(0);
  await card.getByTestId('prelig-submit').click();
  await expectMined(card.getByTestId('prelig-status-tx'), 'opt in');
  await expect(card.getByTestId('prelig-panel')).toHaveAttribute('data-opted-in', 'true');
}

/** Through the card: a reserve of `amount` ETH topping up to `target`, approved, and the top-up hook registered. */
async function registerTopUp(card: Locator, amount: string, target: string): Promise<void> {
  await card.getByTestId('vault-tab-hook').click();
  await expect(card.getByTestId('hook-select')).toBeVisible();
  await card.getByTestId('topup-amount').fill(amount);
  await card.getByTestId('topup-target').fill(target);
  await card.getByTestId('topup-approve').click();
  await expectMined(card.getByTestId('topup-approve-status'), 'approve the hook');
  await card.getByTestId('topup-set').click();
  await expectMined(card.getByTestId('topup-set-status'), 'set reserve');
  await card.getByTestId('hook-register').click();
  await expectMined(card.getByTestId('hook-register-status'), 'register hook');
  await expect(card.getByTestId('hook-panel')).toHaveAttribute('data-hook-kind', 'top-up');
}

/** Chain truth after registering: the hook, the reserve and the approval are what the owner typed. */
async function expectTopUpOnChain(c: Chain, owner: Address, amount: bigint, target: bigint): Promise<void> {
  const d = c.s.deployment;
  expect((await c.pc.readContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'rescueHook', args: [c.eth.id, owner] })).toLowerCase()).toBe(c.hook.toLowerCase());
  const r = await c.pc.readContract({ address: c.hook, abi: collateralTopUpHookAbi, functionName: 'reserve', args: [c.eth.id, owner] });
  expect([r.maxAmount, r.targetHealthWad]).toEqual([amount, target]);
  expect(await c.pc.readContract({ address: c.eth.token, abi: demoTokenAbi, functionName: 'allowance', args: [owner, c.hook] })).toBe(amount);
}

let c: Chain;

test.beforeAll(async () => {
  c = chain();
  await openVault(c, DESKTOP_OWNER_INDEX, DESKTOP_HEALTH);
  await openVault(c, PHONE_OWNER_INDEX, PHONE_HEALTH);
  // The keeper: gUSD from its own large vault, approved to the PreLiquidation.
  await openVault(c, KEEPER_INDEX, 3n * WAD);
  await send(c, KEEPER_INDEX, { address: c.s.deployment.stablecoin, abi: demoTokenAbi, functionName: 'approve', args: [c.pre, maxUint256] });
});

test('desktop: opt in (a value above the bound refused first), the band on the bar, then a 5% fall and a pre-liquidation the card previewed to the wei', async ({ page }, testInfo) => {
  const owner = address(DESKTOP_OWNER_INDEX);
  await page.goto(`${c.s.baseUrl}/vaults`);
  await connectDevWallet(page, DESKTOP_OWNER_INDEX);
  const card = page.getByTestId('vault-ETH-A');
  await expect(card.getByTestId('health')).toHaveAttribute('data-health', /^\d+$/);
  await expect(card.getByTestId('health-liquidation-line')).toContainText('Liquidation line: health 1.00');
  await expect(card.getByTestId('health-pre-threshold')).toHaveCount(0);

  await optIn(card, '1.3', true);
  const bar = card.getByTestId('health');
  await expect(bar).toHaveAttribute('data-pre-health', String((WAD * 13n) / 10n));
  await expect(card.getByTestId('health-pre-threshold')).toContainText('Pre-liquidation band: health 1.00 to 1.3');
  await expect(card.getByTestId('health-pre-label')).toHaveText('pre-liq 1.3');
  expect((await c.pc.readContract({ address: c.pre, abi: preLiquidationAbi, functionName: 'params', args: [c.eth.id, owner] })).preHealthWad).toBe((WAD * 13n) / 10n);
  await expect(card.getByTestId('prelig-preview')).toHaveAttribute('data-outcome', 'VaultAbovePreThreshold');

  // The market falls 5%: health ~1.28, inside the band.
  await dropEth(c, 500n);
  const inBand = await chainHealth(c, owner);
  expect(inBand < (WAD * 13n) / 10n && inBand >= WAD, `health ${inBand} in the band`).toBe(true);
  await expect(bar).toHaveAttribute('data-in-band', 'true');
  await expect(card.getByTestId('health-pre-threshold')).toContainText('in the band now');
  await card.getByTestId('vault-tab-prelig').click();
  const preview = card.getByTestId('prelig-preview');
  await expect(preview).toHaveAttribute('data-outcome', 'quoted');
  await expect(bar).toHaveAttribute('data-health', String(inBand));
  const previewed = [await preview.getAttribute('data-repaid'), await preview.getAttribute('data-collateral-out')];

  // A keeper pre-liquidates: the chain does what the card previewed.
  const receipt = await send(c, KEEPER_INDEX, { address: c.pre, abi: preLiquidationAbi, functionName: 'preLiquidate', args: [c.eth.id, owner, maxUint256, 0n, address(KEEPER_INDEX)] });
  const [ev] = parseEventLogs({ abi: preLiquidationAbi, eventName: 'PreLiquidate', logs: receipt.logs });
  if (!ev) throw new Error('no PreLiquidate event');
  expect([String(ev.args.repaid), String(ev.args.collateralOut)], 'chain vs the card’s preview').toEqual(previewed);
  expect(ev.args.healthAfterWad).toBeGreaterThanOrEqual(ev.args.healthBeforeWad);
  const event = card.getByTestId('protection-event-pre-liquidate');
  await expect(event).toContainText('Pre-liquidated');
  await expect(bar).toHaveAttribute('data-health', String(await chainHealth(c, owner)));
  await screenshot(page, testInfo, 'protect-desktop');
});

async function expectOnPhone(page: Page, locator: Locator, what: string): Promise<void> {
  await expect(locator, what).toBeVisible();
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${what} has no box`);
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(PHONE.width);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'document width').toBeLessThanOrEqual(PHONE.width);
}

test('phone: opt in and fund the top-up hook at 390 px, then a 9% fall and a liquidation the hook rescues', async ({ browser }, testInfo) => {
  const owner = address(PHONE_OWNER_INDEX);
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, hasTouch: true, isMobile: true });
  try {
    const page = await context.newPage();
    await page.goto(`${c.s.baseUrl}/vaults`);
    await connectDevWallet(page, PHONE_OWNER_INDEX);
    const card = page.getByTestId('vault-ETH-A');
    await expect(card.getByTestId('health')).toHaveAttribute('data-health', /^\d+$/);
    await optIn(card, '1.25');
    for (const id of ['health-pre-label', 'health-pre-threshold', 'health-liquidation-line', 'prelig-preview', 'prelig-submit', 'prelig-pre-health']) {
      await expectOnPhone(page, card.getByTestId(id), id);
    }
    await screenshot(page, testInfo, 'protect-phone-band');

    await registerTopUp(card, '5', '1.5');
    await expectTopUpOnChain(c, owner, 5n * WAD, (WAD * 3n) / 2n);
    for (const id of ['hook-select', 'hook-register', 'topup-reserve-amount', 'topup-reserve-target', 'topup-preview']) {
      await expectOnPhone(page, card.getByTestId(id), id);
    }

    // The market falls 9%: the vault is past the line.
    await dropEth(c, 900n);
    expect(await chainHealth(c, owner), 'past the liquidation line').toBeLessThan(WAD);
    await expect(card).toHaveAttribute('data-state', 'liquidatable');
    const preview = card.getByTestId('topup-preview');
    await expect(preview).toHaveAttribute('data-rescues', 'true');
    const previewed = await preview.getAttribute('data-amount');

    // A keeper liquidates: the hook runs first, tops up exactly what the card said, and nothing is sold.
    const d = c.s.deployment;
    const receipt = await send(c, KEEPER_INDEX, { address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'liquidate', args: [c.eth.id, owner, address(KEEPER_INDEX)], gas: LIQUIDATE_GAS });
    const logs = parseEventLogs({ abi: [...collateralTopUpHookAbi, ...liquidationEngineAbi], logs: receipt.logs });
    const topped = logs.find((l) => l.eventName === 'ToppedUp');
    expect(topped && 'amount' in topped.args ? String(topped.args.amount) : 'none', 'topped up vs the card’s preview').toBe(previewed);
    expect(logs.some((l) => l.eventName === 'Rescued'), 'Rescued').toBe(true);
    expect(logs.some((l) => l.eventName === 'Liquidate'), 'no auction').toBe(false);
    const after = await chainHealth(c, owner);
    expect(after).toBeGreaterThanOrEqual(WAD);

    await expectOnPhone(page, card.getByTestId('protection-event-rescued'), 'the rescue on the card');
    await expect(card.getByTestId('protection-event-topped-up')).toContainText('Topped up from the reserve');
    await expect(card.getByTestId('health')).toHaveAttribute('data-health', String(after));
    await expect(card).not.toHaveAttribute('data-state', 'liquidatable');
    await screenshot(page, testInfo, 'protect-phone-rescued');
  } finally {
    await context.close();
  }
});
