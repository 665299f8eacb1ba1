// Portfolio vaults (issue #18) in Chromium, judged by the chain. On the stack's deployed system:
//   - desktop: an owner opens a portfolio through the app only (approve + deposit WBTC, then ETH, then
//     borrow; a borrow and a withdrawal the SDK predicts unsafe are refused before sending), the page shows
//     each asset's contribution, the worst scenario and each liquidation price exactly as the chain and the
//     SDK compute them; the what-if turns it unsafe just past WBTC's distance to liquidation and not before;
//     then the test moves WBTC's market that far on anvil and the engine agrees: unsafe;
//   - phone (390×844): another account rescues it from the page — repays half the shortfall (still unsafe
//     on chain), deposits USDC (safe on chain) — every figure and action inside the phone's width;
//   - a deployment without a PortfolioEngine: no nav link, no portfolio page, no link from the vaults.
// Runs after phone.spec.ts (name order) and before protect.spec.ts; WBTC's market is put back afterwards.
// Screenshots: portfolio-*.png.
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  debtOf,
  demoTokenAbi,
  isPortfolioSafe,
  mulWadUp,
  portfolioEngineAbi,
  portfolioLiquidationSpot,
  portfolioRequirement,
  repayNormalizedDebt,
  shockedValue,
  vaultEngineAbi,
  WAD,
  type AssetRisk,
} from '@gavel/sdk';
import { createPublicClient, createWalletClient, defineChain, http, parseAbi, type Address } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { connectDevWallet, screenshot, state, type E2EState } from './fixtures.ts';
import { ANVIL_MNEMONIC } from './stack.mjs';

test.describe.configure({ mode: 'serial' });

/** anvil accounts no other spec uses for this: the portfolio owner and the rescuer (the phone spec's liquidator, done by now). */
const OWNER_INDEX = 7;
const RESCUER_INDEX = 3;
const PHONE = { width: 390, height: 844 };
const POKE_GAS = 2_000_000n;
const BPS = 10_000n;
/** What the owner deposits through the page. */
const WBTC_DEPOSIT = '0.5';
const ETH_DEPOSIT = '10';

const oracleAbi = parseAbi(['function poke() returns (uint256, uint256)', 'function peek() view returns (uint256, bool)']);
const spotterAbi = parseAbi(['function poke(bytes32 ilk) returns (uint256)']);
const feedAbi = parseAbi(['function push(uint256 priceWad)', 'function read() view returns (uint256 priceWad, uint256 updatedAt)']);

type StackIlk = E2EState['deployment']['ilks'][number];

interface Chain {
  s: E2EState;
  pc: ReturnType<typeof createPublicClient>;
  wallet: (index: number) => ReturnType<typeof createWalletClient>;
  engine: Address;
  wbtc: StackIlk;
  eth: StackIlk;
  usdc: StackIlk;
}

function chain(): Chain {
  const s = state();
  const c = defineChain({ id: 31337, name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [s.rpcUrl] } } });
  const transport = http(s.rpcUrl, { batch: false });
  const pc = createPublicClient({ chain: c, transport, pollingInterval: 50 });
  const wallet = (index: number) => createWalletClient({ chain: c, transport, account: mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }) });
  const ilk = (name: string): StackIlk => {
    const i = s.deployment.ilks.find((x) => x.name === name);
    if (!i) throw new Error(`the stack has no ${name}`);
    return i;
  };
  const engine = s.deployment.portfolioEngine;
  if (!engine) throw new Error('the stack has no PortfolioEngine');
  return { s, pc, wallet, engine, wbtc: ilk('WBTC-A'), eth: ilk('ETH-A'), usdc: ilk('USDC-A') };
}

const address = (index: number): Address => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }).address;
const unit = (decimals: number): bigint => 10n ** BigInt(decimals);

async function send(c: Chain, index: number, req: { address: Address; abi: readonly unknown[]; functionName: string; args?: readonly unknown[]; gas?: bigint }) {
  const w = c.wallet(index);
  const account = w.account;
  if (!account) throw new Error('no account');
  const hash = await w.writeContract({ ...req, account, chain: w.chain });
  const r = await c.pc.waitForTransactionReceipt({ hash });
  if (r.status !== 'success') throw new Error(`${req.functionName} reverted (${hash})`);
  return r;
}

/** The portfolio as the chain holds it, and the SDK's rule over exactly those reads. */
async function readPortfolio(c: Chain, owner: Address) {
  const [assets, shocks, holdings, debt, safe, lv] = await Promise.all([
    c.pc.readContract({ address: c.engine, abi: portfolioEngineAbi, functionName: 'assets' }),
    c.pc.readContract({ address: c.engine, abi: portfolioEngineAbi, functionName: 'scenarios' }),
    c.pc.readContract({ address: c.engine, abi: portfolioEngineAbi, functionName: 'holdingsOf', args: [owner] }),
    c.pc.readContract({ address: c.engine, abi: portfolioEngineAbi, functionName: 'portfolioDebt', args: [owner] }),
    c.pc.readContract({ address: c.engine, abi: portfolioEngineAbi, functionName: 'isSafe', args: [owner] }),
    c.pc.readContract({ address: c.engine, abi: portfolioEngineAbi, functionName: 'liquidationView', args: [owner] }),
  ]);
  const risks: AssetRisk[] = await Promise.all(
    assets.map(async (id) => {
      const i = await c.pc.readContract({ address: c.s.deployment.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [id] });
      return { spotWad: i.spot, liquidationRatioWad: i.liquidationRatio, scale: i.scale };
    }),
  );
  const [worstValue, worstScenario] = await c.pc.readContract({ address: c.engine, abi: portfolioEngineAbi, functionName: 'portfolioRequirement', args: [holdings] });
  const col = (ilk: StackIlk): number => assets.findIndex((a) => a.toLowerCase() === ilk.id.toLowerCase());
  return { assets, shocks, holdings: [...holdings], debt, safe, risks, worstValue, worstScenario: Number(worstScenario), col, normalizedDebt: lv.normalizedDebt, rate: lv.rate };
}

/** WBTC-A's market moves `bps` (negative: down) in steps the oracle accepts (at most 10% per update). */
async function moveWbtc(c: Chain, bps: bigint): Promise<void> {
  const steps = (bps < 0n ? -bps : bps) / 900n + 1n;
  const [start] = await c.pc.readContract({ address: c.wbtc.feeds[0] as Address, abi: feedAbi, functionName: 'read' });
  const target = (start * (BPS + bps)) / BPS;
  for (let k = 1n; k <= steps; k++) await setWbtc(c, start + ((target - start) * k) / steps);
}

/** Every WBTC-A feed reports `price`; the oracle and the spotter are poked (one poke per second). */
async function setWbtc(c: Chain, price: bigint): Promise<void> {
  await c.pc.request({ method: 'evm_increaseTime', params: ['0x2'] } as never);
  for (const feed of c.wbtc.feeds) await send(c, 0, { address: feed, abi: feedAbi, functionName: 'push', args: [price] });
  await send(c, 0, { address: c.wbtc.oracle, abi: oracleAbi, functionName: 'poke', gas: POKE_GAS });
  await send(c, 0, { address: c.s.deployment.spotter, abi: spotterAbi, functionName: 'poke', args: [c.wbtc.id], gas: POKE_GAS });
}

/** The status line of the transaction labelled `label` says mined (a form keeps the previous one's line until the next starts). */
async function expectMined(status: Locator, label: string): Promise<void> {
  await expect(status).toContainText(label, { timeout: 30_000 });
  await expect(status).toHaveAttribute('data-status', /^(mined|failed)$/, { timeout: 30_000 });
  expect(await status.getAttribute('data-status'), `${label}: ${await status.textContent()}`).toBe('mined');
}

/** Through the Deposit tab: approve the portfolio engine for exactly `amount`, then deposit it. */
async function deposit(page: Page, ilk: StackIlk, symbol: string, amount: string, shown = amount): Promise<void> {
  await page.getByTestId('portfolio-tab-deposit').click();
  await page.getByTestId('portfolio-deposit-asset').selectOption(ilk.id.toLowerCase());
  await page.getByTestId('portfolio-deposit-amount').fill(amount);
  await page.getByTestId('portfolio-deposit-approve').click();
  await expectMined(page.getByTestId('portfolio-deposit-approve-status'), `Approve ${shown} ${symbol}`);
  await page.getByTestId('portfolio-deposit-submit').click();
  await expectMined(page.getByTestId('portfolio-deposit-status'), `Deposit ${shown} ${symbol}`);
}

/** The page's figures equal the chain's reads (debt, worst scenario and value, safe, holdings). */
async function expectPageMatchesChain(page: Page, c: Chain, owner: Address): Promise<Awaited<ReturnType<typeof readPortfolio>>> {
  const p = await readPortfolio(c, owner);
  await expect(page.getByTestId('portfolio-debt')).toHaveAttribute('data-debt', String(p.debt));
  await expect(page.getByTestId('portfolio-worst-value')).toHaveAttribute('data-value', String(p.worstValue));
  await expect(page.getByTestId('portfolio-worst-scenario')).toHaveAttribute('data-scenario', String(p.worstScenario));
  await expect(page.getByTestId('portfolio-status')).toHaveAttribute('data-safe', String(p.safe));
  for (const ilk of [c.usdc, c.wbtc, c.eth]) {
    await expect(page.getByTestId(`portfolio-asset-${ilk.name}`).getByTestId('asset-holding')).toHaveAttribute('data-amount', String(p.holdings[p.col(ilk)]));
  }
  return p;
}

let c: Chain;
const owner = address(OWNER_INDEX);
const rescuer = address(RESCUER_INDEX);
/** WBTC's distance to liquidation the page showed, and the fall driven on chain past it (bps). */
let fallBps = 0n;
let wbtcStart = 0n;

test.beforeAll(async () => {
  c = chain();
  [wbtcStart] = await c.pc.readContract({ address: c.wbtc.feeds[0] as Address, abi: feedAbi, functionName: 'read' });
  // The owner's tokens (deposited through the page).
  await send(c, OWNER_INDEX, { address: c.wbtc.token, abi: demoTokenAbi, functionName: 'mint', args: [owner, unit(c.wbtc.decimals)] });
  await send(c, OWNER_INDEX, { address: c.eth.token, abi: demoTokenAbi, functionName: 'mint', args: [owner, 20n * WAD] });
  // The rescuer: gUSD from an isolated ETH vault, and USDC to deposit.
  await send(c, RESCUER_INDEX, { address: c.eth.token, abi: demoTokenAbi, functionName: 'mint', args: [rescuer, 100n * WAD] });
  await send(c, RESCUER_INDEX, { address: c.eth.token, abi: demoTokenAbi, functionName: 'approve', args: [c.s.deployment.engine, 100n * WAD] });
  await send(c, RESCUER_INDEX, { address: c.s.deployment.engine, abi: vaultEngineAbi, functionName: 'adjust', args: [c.eth.id, 100n * WAD, 20_000n * WAD] });
  await send(c, RESCUER_INDEX, { address: c.usdc.token, abi: demoTokenAbi, functionName: 'mint', args: [rescuer, 20_000n * unit(c.usdc.decimals)] });
});

test.afterAll(async () => {
  // Put WBTC's market back where it was for the specs that follow.
  if (wbtcStart === 0n) return;
  for (let k = 0; k < 4; k++) {
    await setWbtc(c, wbtcStart);
    const [mark] = await c.pc.readContract({ address: c.wbtc.oracle, abi: oracleAbi, functionName: 'peek' });
    if (mark === wbtcStart) break;
  }
});

test('desktop: open a portfolio (two assets, a borrow), contributions and worst scenario as the chain says, the what-if turns it unsafe where the chain then does', async ({ page }, testInfo) => {
  await page.goto(`${c.s.baseUrl}/vaults`);
  await connectDevWallet(page, OWNER_INDEX);
  await expect(page.getByTestId('vaults-portfolio-link')).toHaveText('My portfolio vault →');
  await page.getByTestId('nav-portfolio').click();
  await expect(page).toHaveURL(/\/portfolio$/);
  await expect(page.getByTestId('portfolio-empty')).toContainText('You have no portfolio yet');

  await deposit(page, c.wbtc, 'WBTC', WBTC_DEPOSIT);
  await deposit(page, c.eth, 'WETH', ETH_DEPOSIT);
  let p = await readPortfolio(c, owner);
  expect(p.holdings[p.col(c.wbtc)], 'WBTC held on chain').toBe(unit(c.wbtc.decimals) / 2n);
  expect(p.holdings[p.col(c.eth)], 'ETH held on chain').toBe(10n * WAD);
  await expectPageMatchesChain(page, c, owner);

  // Borrow so that WBTC may fall about 10% (the worst scenario, the crypto crash, gives up a tenth of WBTC's isolated value).
  const wbtcIso = shockedValue(p.holdings[p.col(c.wbtc)] ?? 0n, p.risks[p.col(c.wbtc)] as AssetRisk, WAD);
  const borrow = (p.worstValue - wbtcIso / 10n) / WAD;
  await page.getByTestId('portfolio-tab-borrow').click();
  // Above what the rule allows: refused on the field, before any transaction.
  await page.getByTestId('portfolio-borrow-amount').fill(String(p.worstValue / WAD + 1n));
  await expect(page.getByTestId('portfolio-borrow-amount-error')).toContainText(/^Unsafe: scenario #\d is worth .* at most [\d,.]+ gUSD can be borrowed$/);
  await expect(page.getByTestId('portfolio-borrow-submit')).toBeDisabled();
  await page.getByTestId('portfolio-borrow-amount').fill(String(borrow));
  await expect(page.getByTestId('portfolio-projection')).toHaveAttribute('data-safe-after', 'true');
  await page.getByTestId('portfolio-borrow-submit').click();
  await expectMined(page.getByTestId('portfolio-borrow-status'), 'Borrow');
  p = await expectPageMatchesChain(page, c, owner);
  expect(p.debt >= borrow * WAD && p.debt <= borrow * WAD + 1n, `debt ${p.debt} for a borrow of ${borrow}`).toBe(true);
  expect(p.safe).toBe(true);

  // The worst scenario, described; each asset's contribution sums to its value; WBTC's liquidation price is the SDK's.
  const worst = page.getByTestId('portfolio-worst-description');
  await expect(worst).toContainText('WBTC-A −');
  await expect(worst).toContainText('full isolated haircut');
  await expect(page.getByTestId(`portfolio-scenario-${p.worstScenario}`)).toHaveAttribute('data-worst', 'true');
  let sum = 0n;
  for (const ilk of [c.usdc, c.wbtc, c.eth]) sum += BigInt((await page.getByTestId(`portfolio-asset-${ilk.name}`).getByTestId('asset-worst').getAttribute('data-value')) ?? '0');
  expect(sum, 'contributions sum to the worst scenario value').toBe(p.worstValue);
  const a = p.col(c.wbtc);
  const wbtcRisk = p.risks[a] as AssetRisk;
  const liqSpot = portfolioLiquidationSpot(p.risks, p.holdings, p.shocks, p.debt, a);
  if (!liqSpot) throw new Error('WBTC has no liquidation spot');
  const wbtcCard = page.getByTestId('portfolio-asset-WBTC-A');
  await expect(wbtcCard.getByTestId('asset-liquidation-price')).toHaveAttribute('data-price', String(mulWadUp(liqSpot, wbtcRisk.liquidationRatioWad)));
  const distance = BigInt((await wbtcCard.getByTestId('asset-distance').getAttribute('data-bps')) ?? '0');
  expect(distance > 500n && distance < 1_500n, `WBTC may fall ${distance} bps`).toBe(true);

  // Withdrawing all the WBTC is refused before sending.
  await page.getByTestId('portfolio-tab-withdraw').click();
  await page.getByTestId('portfolio-withdraw-asset').selectOption(c.wbtc.id.toLowerCase());
  await page.getByTestId('portfolio-withdraw-amount').fill(WBTC_DEPOSIT);
  await expect(page.getByTestId('portfolio-withdraw-amount-error')).toContainText(/^Unsafe: scenario #\d would be worth/);
  await expect(page.getByTestId('portfolio-withdraw-submit')).toBeDisabled();

  // What-if: a WBTC fall one point short of the distance stays safe, three points past it is unsafe.
  const pct = (bps: bigint): string => `-${bps / 100n}.${(bps % 100n).toString().padStart(2, '0')}`;
  const field = page.getByTestId('whatif-WBTC-A');
  await field.fill(pct(distance - 100n));
  await expect(page.getByTestId('whatif-status')).toHaveAttribute('data-safe', 'true');
  fallBps = distance + 300n;
  await field.fill(pct(fallBps));
  await expect(page.getByTestId('whatif-status')).toHaveAttribute('data-safe', 'false');
  await expect(page.getByTestId('whatif-margin')).toHaveAttribute('data-margin', /^-\d+$/);
  // The what-if is the SDK's rule at the moved price.
  const moved = p.risks.map((r, i) => (i === a ? { ...r, spotWad: (r.spotWad * (BPS - fallBps)) / BPS } : r));
  expect(isPortfolioSafe(moved, p.holdings, p.shocks, p.debt)).toBe(false);
  await expect(page.getByTestId('whatif-worst-value')).toHaveAttribute('data-value', String(portfolioRequirement(moved, p.holdings, p.shocks).worstValueWad));
  await expect(page.getByTestId('portfolio-status')).toHaveAttribute('data-safe', 'true');
  await screenshot(page, testInfo, 'portfolio-whatif');

  // The market falls that far on anvil: the engine agrees, unsafe; so does the page without the what-if.
  await moveWbtc(c, -fallBps);
  p = await readPortfolio(c, owner);
  expect(p.safe, 'the engine after WBTC fell past its liquidation price').toBe(false);
  await page.getByTestId('whatif-reset').click();
  await expect(page.getByTestId('portfolio-unsafe')).toBeVisible();
  await expectPageMatchesChain(page, c, owner);
});

/** Rendered, and its box within the phone's width; the document does not scroll sideways. */
async function expectOnPhone(page: Page, locator: Locator, what: string): Promise<void> {
  await expect(locator, what).toBeVisible();
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${what} has no box`);
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(PHONE.width);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'document width').toBeLessThanOrEqual(PHONE.width);
}

test('phone: another account rescues the unsafe portfolio at 390 px — repays, then deposits — and the chain agrees at each step', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, hasTouch: true, isMobile: true });
  try {
    const page = await context.newPage();
    await page.goto(`${c.s.baseUrl}/portfolio/${owner}`);
    await connectDevWallet(page, RESCUER_INDEX);
    await expect(page.getByTestId('portfolio-status')).toHaveAttribute('data-safe', 'false');
    await expect(page.getByTestId('portfolio-rescue-hint')).toBeVisible();
    await expect(page.getByTestId('portfolio-tab-withdraw')).toHaveCount(0);
    await expect(page.getByTestId('portfolio-tab-borrow')).toHaveCount(0);
    for (const id of ['nav-portfolio', 'portfolio-status', 'portfolio-debt', 'portfolio-worst-value', 'portfolio-margin', 'portfolio-worst-scenario', 'portfolio-worst-description', 'portfolio-unsafe']) {
      await expectOnPhone(page, page.getByTestId(id), id);
    }
    for (const ilk of [c.usdc, c.wbtc, c.eth]) {
      const card = page.getByTestId(`portfolio-asset-${ilk.name}`);
      for (const id of ['asset-holding', 'asset-worst', 'asset-isolated', 'asset-liquidation-price', `whatif-${ilk.name}`]) await expectOnPhone(page, card.getByTestId(id), `${ilk.name} ${id}`);
    }
    await screenshot(page, testInfo, 'portfolio-phone-unsafe');
    // The alert leads to the rescue forms.
    await page.getByTestId('portfolio-rescue-link').click();
    await expect(page.getByTestId('portfolio-actions')).toBeInViewport();

    // Repay half the shortfall: still unsafe on chain.
    let p = await readPortfolio(c, owner);
    const shortfall = p.debt - p.worstValue;
    expect(shortfall > 0n).toBe(true);
    const repay = shortfall / 2n / WAD + 1n;
    await page.getByTestId('portfolio-tab-repay').click();
    await page.getByTestId('portfolio-repay-amount').fill(String(repay));
    await expectOnPhone(page, page.getByTestId('portfolio-repay-submit'), 'Repay');
    await page.getByTestId('portfolio-repay-submit').click();
    await expectMined(page.getByTestId('portfolio-repay-status'), 'Repay');
    const afterRepay = await readPortfolio(c, owner);
    expect(afterRepay.debt, 'the debt fell by the repayment, as the engine books it').toBe(debtOf(p.normalizedDebt - repayNormalizedDebt(repay * WAD, p.rate), p.rate));
    expect(afterRepay.safe, 'half the shortfall does not rescue it').toBe(false);
    await expectPageMatchesChain(page, c, owner);

    // Deposit USDC for the owner: safe on chain.
    await deposit(page, c.usdc, 'USDC', '2000', '2,000');
    p = await expectPageMatchesChain(page, c, owner);
    expect(p.holdings[p.col(c.usdc)]).toBe(2_000n * unit(c.usdc.decimals));
    expect(p.safe, 'rescued').toBe(true);
    expect(isPortfolioSafe(p.risks, p.holdings, p.shocks, p.debt), 'the SDK agrees').toBe(true);
    await expect(page.getByTestId('portfolio-unsafe')).toHaveCount(0);
    await expect(page.getByTestId('portfolio-chain-check')).toHaveAttribute('data-chain-safe', 'true');
    await expectOnPhone(page, page.getByTestId('portfolio-deposit-submit'), 'Deposit');
    await expectOnPhone(page, page.getByTestId('portfolio-status'), 'status');
    await screenshot(page, testInfo, 'portfolio-phone-rescued');
  } finally {
    await context.close();
  }
});

test('a deployment without a PortfolioEngine shows no portfolio UI', async ({ page }) => {
  // The app's own deployment route, answered without `portfolioEngine` / `portfolioIlk`.
  await page.route('**/api/deployment', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { status: string; deployment?: Record<string, unknown> };
    if (body.deployment) {
      delete body.deployment.portfolioEngine;
      delete body.deployment.portfolioIlk;
    }
    await route.fulfill({ response: res, json: body });
  });
  await page.goto(`${c.s.baseUrl}/vaults`);
  await connectDevWallet(page, OWNER_INDEX);
  await expect(page.getByTestId('nav-vaults')).toBeVisible();
  await expect(page.getByTestId('nav-portfolio')).toHaveCount(0);
  await expect(page.getByTestId('vaults-portfolio-link')).toHaveCount(0);
  await page.goto(`${c.s.baseUrl}/portfolio/${owner}`);
  await expect(page.getByTestId('no-portfolio-engine')).toBeVisible();
  await expect(page.getByTestId('portfolio')).toHaveCount(0);
});
